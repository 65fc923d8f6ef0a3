package sqlite

import (
	"context"
	"fmt"
	"time"

	"cognate/internal/userpool"
)

// CountAttempt records an attempt of kind by subject at at unless limit attempts were
// recorded in the window before it: those at instants after at-window and not after at.
// The count and the insert share one write transaction (BEGIN IMMEDIATE, from the DSN), so
// two processes cannot both see room for the last attempt. The same transaction forgets the
// subject's attempts of kind that have left the window, which keeps the table as small as
// the traffic of the last window. ErrNotFound if the pool does not exist.
func (s *Store) CountAttempt(ctx context.Context, poolID, subject, kind string, at time.Time,
	window time.Duration, limit int) (bool, error) {
	allowed := false
	err := s.inTx(ctx, func(ctx context.Context, tx *txn) error {
		l := userpool.Limit{Subject: subject, Kind: kind, Window: window, Max: limit}
		room, err := attemptRoom(ctx, tx, poolID, l, at)
		if err != nil || !room {
			return err
		}
		allowed = true
		return addAttempt(ctx, tx, poolID, l, at)
	})
	if err != nil {
		return false, err
	}
	return allowed, nil
}

// attemptRoom forgets the attempts of l that have left its window before at and reports
// whether the window has room for one more. Inside a write transaction, which no other
// writer enters until it ends, the answer holds until the transaction adds the attempt.
func attemptRoom(ctx context.Context, tx *txn, poolID string, l userpool.Limit, at time.Time) (bool, error) {
	since := micros(at.Add(-l.Window))
	if _, err := tx.ExecContext(ctx,
		`DELETE FROM attempts WHERE pool_id = ? AND subject = ? AND kind = ? AND at <= ?`,
		poolID, l.Subject, l.Kind, since); err != nil {
		return false, fmt.Errorf("sqlite: count attempt: %w", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx,
		`SELECT count(*) FROM attempts WHERE pool_id = ? AND subject = ? AND kind = ? AND at > ?`,
		poolID, l.Subject, l.Kind, since).Scan(&n); err != nil {
		return false, fmt.Errorf("sqlite: count attempt: %w", err)
	}
	return n < l.Max, nil
}

// addAttempt records one attempt of l at at; ErrNotFound if the pool does not exist.
func addAttempt(ctx context.Context, tx *txn, poolID string, l userpool.Limit, at time.Time) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO attempts (pool_id, subject, kind, at) VALUES (?, ?, ?, ?)`,
		poolID, l.Subject, l.Kind, micros(at)); err != nil {
		return insertErr("count attempt", err)
	}
	return nil
}

// ClearAttempts forgets subject's attempts of kind.
func (s *Store) ClearAttempts(ctx context.Context, poolID, subject, kind string) error {
	return s.inTx(ctx, func(ctx context.Context, tx *txn) error {
		return clearAttempts(ctx, tx, poolID, userpool.Counter{Subject: subject, Kind: kind})
	})
}

func clearAttempts(ctx context.Context, db execer, poolID string, c userpool.Counter) error {
	if _, err := db.ExecContext(ctx,
		`DELETE FROM attempts WHERE pool_id = ? AND subject = ? AND kind = ?`, poolID, c.Subject, c.Kind); err != nil {
		return fmt.Errorf("sqlite: clear attempts: %w", err)
	}
	return nil
}

// CountAttempts returns how many of subject's attempts of kind were recorded after since.
func (s *Store) CountAttempts(ctx context.Context, poolID, subject, kind string, since time.Time) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx,
		`SELECT count(*) FROM attempts WHERE pool_id = ? AND subject = ? AND kind = ? AND at > ?`,
		poolID, subject, kind, micros(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count attempts: %w", err)
	}
	return n, nil
}
