package sqlite

import (
	"context"
	"fmt"

	"cognate/internal/userpool"
)

// SigningKeys returns the installation's token signing keys, oldest first; of keys made in
// the same microsecond, in id order.
func (s *Store) SigningKeys(ctx context.Context) ([]*userpool.SigningKeyRecord, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, sealed, created_at FROM signing_keys ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list signing keys: %w", err)
	}
	return collect(rows, scanSigningKey)
}

// AddSigningKey stores a new signing key; ErrConflict if its id exists.
func (s *Store) AddSigningKey(ctx context.Context, k *userpool.SigningKeyRecord) error {
	if _, err := s.exec(ctx, `INSERT INTO signing_keys (id, sealed, created_at) VALUES (?, ?, ?)`,
		k.ID, k.Sealed, micros(k.CreatedAt)); err != nil {
		return insertErr("add signing key "+k.ID, err)
	}
	return nil
}

func scanSigningKey(r scanner) (*userpool.SigningKeyRecord, error) {
	var (
		k       userpool.SigningKeyRecord
		created int64
	)
	if err := r.Scan(&k.ID, &k.Sealed, &created); err != nil {
		return nil, err
	}
	k.CreatedAt = fromMicros(created)
	return &k, nil
}
