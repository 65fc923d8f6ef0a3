package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// CountAttempt records an attempt of kind by subject at at unless limit attempts were
// recorded in the window before it: those at instants after at-window and not after at.
// The count and the insert share one write transaction (BEGIN IMMEDIATE, from the DSN), so
// two processes cannot both see room for the last attempt. The same transaction forgets the
// subject's attempts of kind that have left the window, which keeps the table as small as
// the traffic of the last window. ErrNotFound if the pool does not exist.
func (s *Store) CountAttempt(ctx context.Context, poolID, subject, kind string, at time.Time,
	window time.Duration, limit int) (bool, error) {
	now, since := micros(at), micros(at.Add(-window))
	allowed := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx,
			`DELETE FROM attempts WHERE pool_id = ? AND subject = ? AND kind = ? AND at <= ?`,
			poolID, subject, kind, since); err != nil {
			return fmt.Errorf("sqlite: count attempt: %w", err)
		}
		var n int
		if err := tx.QueryRowContext(ctx,
			`SELECT count(*) FROM attempts WHERE pool_id = ? AND subject = ? AND kind = ? AND at > ?`,
			poolID, subject, kind, since).Scan(&n); err != nil {
			return fmt.Errorf("sqlite: count attempt: %w", err)
		}
		if n >= limit {
			return nil
		}
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO attempts (pool_id, subject, kind, at) VALUES (?, ?, ?, ?)`,
			poolID, subject, kind, now); err != nil {
			return insertErr("count attempt", err)
		}
		allowed = true
		return nil
	})
	if err != nil {
		return false, err
	}
	return allowed, nil
}

// ClearAttempts forgets subject's attempts of kind.
func (s *Store) ClearAttempts(ctx context.Context, poolID, subject, kind string) error {
	if _, err := s.db.ExecContext(ctx,
		`DELETE FROM attempts WHERE pool_id = ? AND subject = ? AND kind = ?`, poolID, subject, kind); err != nil {
		return fmt.Errorf("sqlite: clear attempts: %w", err)
	}
	return nil
}

// CountAttempts returns how many of subject's attempts of kind were recorded after since.
func (s *Store) CountAttempts(ctx context.Context, poolID, subject, kind string, since time.Time) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx,
		`SELECT count(*) FROM attempts WHERE pool_id = ? AND subject = ? AND kind = ? AND at > ?`,
		poolID, subject, kind, micros(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count attempts: %w", err)
	}
	return n, nil
}
