package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"cognate/internal/userpool"
)

// PutCode stores a one-time code, replacing the user's code for the same purpose; the
// foreign key to users answers ErrNotFound for a user (or pool) that does not exist.
func (s *Store) PutCode(ctx context.Context, c *userpool.Code) error {
	return putCode(ctx, s.db, c)
}

func putCode(ctx context.Context, db execer, c *userpool.Code) error {
	_, err := db.ExecContext(ctx,
		`INSERT INTO codes (pool_id, user_sub, purpose, mac, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
		 ON CONFLICT (pool_id, user_sub, purpose) DO UPDATE
		 SET mac = excluded.mac, created_at = excluded.created_at, expires_at = excluded.expires_at`,
		c.PoolID, c.UserSub, c.Purpose, c.MAC, micros(c.CreatedAt), micros(c.ExpiresAt))
	if err != nil {
		return insertErr("put "+c.Purpose+" code of user "+c.UserSub, err)
	}
	return nil
}

// GetCode returns the user's outstanding code for purpose, or ErrNotFound.
func (s *Store) GetCode(ctx context.Context, poolID, userSub, purpose string) (*userpool.Code, error) {
	var (
		c                = userpool.Code{PoolID: poolID, UserSub: userSub, Purpose: purpose}
		created, expires int64
	)
	err := s.db.QueryRowContext(ctx,
		`SELECT mac, created_at, expires_at FROM codes WHERE pool_id = ? AND user_sub = ? AND purpose = ?`,
		poolID, userSub, purpose).Scan(&c.MAC, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound(purpose + " code of user " + userSub)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get %s code of user %s: %w", purpose, userSub, err)
	}
	c.CreatedAt, c.ExpiresAt = fromMicros(created), fromMicros(expires)
	return &c, nil
}

// ConsumeCode deletes the code if its MAC is still mac. The comparison is part of the
// DELETE, so of racing calls exactly one deletes a row; the others, and a call with the MAC
// of a code since replaced, find none and answer ErrNotFound. Comparing in constant time
// is the caller's business: this compares MACs, not codes.
func (s *Store) ConsumeCode(ctx context.Context, poolID, userSub, purpose string, mac []byte) error {
	res, err := s.db.ExecContext(ctx,
		`DELETE FROM codes WHERE pool_id = ? AND user_sub = ? AND purpose = ? AND mac = ?`,
		poolID, userSub, purpose, mac)
	return deleted(res, err, purpose+" code of user "+userSub)
}

// DeleteCodes deletes the user's codes for the given purposes, or all of them if none are
// given. Deleting what is not there is not an error.
func (s *Store) DeleteCodes(ctx context.Context, poolID, userSub string, purposes ...string) error {
	query := `DELETE FROM codes WHERE pool_id = ? AND user_sub = ?`
	args := []any{poolID, userSub}
	if len(purposes) > 0 {
		query += ` AND purpose IN (?` + strings.Repeat(", ?", len(purposes)-1) + `)`
		for _, p := range purposes {
			args = append(args, p)
		}
	}
	if _, err := s.db.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("sqlite: delete codes of user %s: %w", userSub, err)
	}
	return nil
}
