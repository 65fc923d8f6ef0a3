package sqlite

import (
	"context"
	"database/sql"
	"errors"
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

// AddPoolCertificate stores a pool's signing certificate; ErrConflict if it has one,
// ErrNotFound if the pool does not exist.
func (s *Store) AddPoolCertificate(ctx context.Context, c *userpool.PoolCertificate) error {
	if _, err := s.exec(ctx, `INSERT INTO pool_certificates (pool_id, cert, sealed_key, created_at) VALUES (?, ?, ?, ?)`,
		c.PoolID, c.DER, c.SealedKey, micros(c.CreatedAt)); err != nil {
		return insertErr("add the certificate of pool "+c.PoolID, err)
	}
	return nil
}

// PoolCertificate returns the pool's signing certificate, or ErrNotFound.
func (s *Store) PoolCertificate(ctx context.Context, poolID string) (*userpool.PoolCertificate, error) {
	c := userpool.PoolCertificate{PoolID: poolID}
	var created int64
	err := s.read.QueryRowContext(ctx, `SELECT cert, sealed_key, created_at FROM pool_certificates WHERE pool_id = ?`, poolID).
		Scan(&c.DER, &c.SealedKey, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("certificate of pool " + poolID)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: read the certificate of pool %s: %w", poolID, err)
	}
	c.CreatedAt = fromMicros(created)
	return &c, nil
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
