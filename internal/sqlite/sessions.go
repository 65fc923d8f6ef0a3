package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cognate/internal/userpool"
)

// StartSession stores a sign-in session and clears the given counters, in one transaction;
// ErrConflict if its id exists, ErrNotFound if its user (or pool) does not.
func (s *Store) StartSession(ctx context.Context, se *userpool.Session, clear ...userpool.Counter) error {
	return s.inTx(ctx, func(ctx context.Context, tx *txn) error {
		_, err := tx.ExecContext(ctx,
			`INSERT INTO sessions (id, pool_id, client_id, user_sub, auth_time, created_at, expires_at, revoked_at)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			se.ID, se.PoolID, se.ClientID, se.UserSub, micros(se.AuthTime), micros(se.CreatedAt), micros(se.ExpiresAt),
			nullMicros(se.RevokedAt))
		if err != nil {
			return insertErr("create session "+se.ID, err)
		}
		for _, c := range clear {
			if err := clearAttempts(ctx, tx, se.PoolID, c); err != nil {
				return err
			}
		}
		return nil
	})
}

// GetSession returns the session or ErrNotFound.
func (s *Store) GetSession(ctx context.Context, id string) (*userpool.Session, error) {
	var (
		se                         userpool.Session
		authTime, created, expires int64
		revoked                    sql.Null[int64]
	)
	err := s.read.QueryRowContext(ctx,
		`SELECT id, pool_id, client_id, user_sub, auth_time, created_at, expires_at, revoked_at
		 FROM sessions WHERE id = ?`, id).
		Scan(&se.ID, &se.PoolID, &se.ClientID, &se.UserSub, &authTime, &created, &expires, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("session " + id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get session %s: %w", id, err)
	}
	se.AuthTime, se.CreatedAt, se.ExpiresAt = fromMicros(authTime), fromMicros(created), fromMicros(expires)
	if revoked.Valid {
		se.RevokedAt = fromMicros(revoked.V)
	}
	return &se, nil
}

// RevokeSession marks the session revoked at at. A session revoked already keeps the time
// of its first revocation: that is when its tokens stopped being good.
func (s *Store) RevokeSession(ctx context.Context, id string, at time.Time) error {
	res, err := s.exec(ctx,
		`UPDATE sessions SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`, micros(at), id)
	if err != nil {
		return fmt.Errorf("sqlite: revoke session %s: %w", id, err)
	}
	// SQLite counts the rows the WHERE matched, changed or not, so a second revocation
	// counts as one too.
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: revoke session %s: %w", id, err)
	} else if n == 0 {
		return notFound("session " + id)
	}
	return nil
}

// nullMicros is micros for a time that may be zero, which is stored as NULL.
func nullMicros(t time.Time) sql.Null[int64] {
	if t.IsZero() {
		return sql.Null[int64]{}
	}
	return sql.Null[int64]{V: micros(t), Valid: true}
}
