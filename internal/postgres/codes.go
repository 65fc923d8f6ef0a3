package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"cognate/internal/userpool"
)

// errRefused rolls back an issue a limit refused.
var errRefused = errors.New("postgres: limit reached")

// IssueCode counts the issue's attempts and, when every limit has room, writes its users,
// code, message and event, in one transaction. The counter rows of all its limits are
// locked first (in one order, so that two issues never deadlock on them), so the counts
// and the inserts are not interleaved with another count of the same counters, in this
// process or another: the limits hold however many requests race.
func (s *Store) IssueCode(ctx context.Context, is *userpool.CodeIssue) (int, error) {
	refused := -1
	err := s.saveUsers(ctx, func(ctx context.Context, tx pgx.Tx) error {
		refused = -1
		if err := lockCounters(ctx, tx, is.PoolID, is.Limits...); err != nil {
			return err
		}
		for i, l := range is.Limits {
			room, err := attemptRoom(ctx, tx, is.PoolID, l, is.At)
			if err != nil {
				return err
			}
			if !room {
				refused = i
				return errRefused
			}
		}
		for _, l := range is.Limits {
			if err := addAttempt(ctx, tx, is.PoolID, l, is.At); err != nil {
				return err
			}
		}
		return nil
	}, is.Users, func(ctx context.Context, tx pgx.Tx) error {
		code, message, event := putCode, insertMessage, s.addAuthEvent
		if is.Shadow {
			code, message, event = putShadowCode, insertShadowMessage, s.addShadowAuthEvent
		}
		if is.Code != nil {
			if err := code(ctx, tx, is.Code); err != nil {
				return err
			}
		}
		if is.Message != nil {
			if err := message(ctx, tx, is.Message); err != nil {
				return err
			}
		}
		if is.Event != nil {
			return event(ctx, tx, is.PoolID, is.Event)
		}
		return nil
	})
	if errors.Is(err, errRefused) {
		return refused, nil
	}
	if err != nil {
		return -1, err
	}
	return -1, nil
}

// putCode stores the code, replacing the user's code for its purpose.
func putCode(ctx context.Context, tx pgx.Tx, c *userpool.Code) error {
	return putCodeIn(ctx, tx, "codes", c)
}

// putShadowCode stores the code of a request for a name the caller may not learn about.
func putShadowCode(ctx context.Context, tx pgx.Tx, c *userpool.Code) error {
	return putCodeIn(ctx, tx, "shadow_codes", c)
}

func putCodeIn(ctx context.Context, tx pgx.Tx, table string, c *userpool.Code) error {
	_, err := tx.Exec(ctx,
		`INSERT INTO `+table+` (pool_id, user_sub, purpose, mac, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
		 ON CONFLICT (pool_id, user_sub, purpose) DO UPDATE
		 SET mac = excluded.mac, created_at = excluded.created_at, expires_at = excluded.expires_at`,
		c.PoolID, c.UserSub, c.Purpose, c.MAC, ts(c.CreatedAt), ts(c.ExpiresAt))
	if err != nil {
		return insertErr("put "+c.Purpose+" code of user "+c.UserSub, err)
	}
	return nil
}

// GetCode returns the user's outstanding code for purpose, or ErrNotFound.
func (s *Store) GetCode(ctx context.Context, poolID, userSub, purpose string) (*userpool.Code, error) {
	return s.getCode(ctx, "codes", poolID, userSub, purpose)
}

// GetShadowCode returns the shadow code of subject for purpose, or ErrNotFound.
func (s *Store) GetShadowCode(ctx context.Context, poolID, subject, purpose string) (*userpool.Code, error) {
	return s.getCode(ctx, "shadow_codes", poolID, subject, purpose)
}

func (s *Store) getCode(ctx context.Context, table, poolID, userSub, purpose string) (*userpool.Code, error) {
	c := userpool.Code{PoolID: poolID, UserSub: userSub, Purpose: purpose}
	err := s.db.QueryRow(ctx,
		`SELECT mac, created_at, expires_at FROM `+table+` WHERE pool_id = $1 AND user_sub = $2 AND purpose = $3`,
		poolID, userSub, purpose).Scan(&c.MAC, &c.CreatedAt, &c.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound(purpose + " code of user " + userSub)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get %s code of user %s: %w", purpose, userSub, err)
	}
	c.CreatedAt, c.ExpiresAt = c.CreatedAt.UTC(), c.ExpiresAt.UTC()
	return &c, nil
}

// CountAttempt records an attempt of kind by subject at at unless limit attempts were
// recorded in the window before it. The transaction first locks the subject's counter row
// (upserting it); a concurrent count of the same counter waits on that lock until this
// transaction commits, and its count — a new statement, so a new snapshot at Read
// Committed — then sees this attempt. So of concurrent calls with room for k, exactly k
// are allowed, in one process or many. ErrNotFound if the pool does not exist.
func (s *Store) CountAttempt(ctx context.Context, poolID, subject, kind string, at time.Time,
	window time.Duration, limit int) (bool, error) {
	allowed := false
	err := s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		allowed = false
		l := userpool.Limit{Subject: subject, Kind: kind, Window: window, Max: limit}
		if err := lockCounters(ctx, tx, poolID, l); err != nil {
			return err
		}
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

// lockCounters upserts and so locks the counter rows of limits, in (subject, kind) order;
// ErrNotFound if the pool does not exist.
func lockCounters(ctx context.Context, tx pgx.Tx, poolID string, limits ...userpool.Limit) error {
	ls := slices.Clone(limits)
	slices.SortFunc(ls, func(a, b userpool.Limit) int {
		if c := strings.Compare(a.Subject, b.Subject); c != 0 {
			return c
		}
		return strings.Compare(a.Kind, b.Kind)
	})
	for _, l := range ls {
		// DO UPDATE (not DO NOTHING) so that an existing row is locked too.
		if _, err := tx.Exec(ctx, `INSERT INTO attempt_counters (pool_id, subject, kind) VALUES ($1, $2, $3)
			ON CONFLICT (pool_id, subject, kind) DO UPDATE SET kind = excluded.kind`,
			poolID, l.Subject, l.Kind); err != nil {
			return insertErr("count attempt", err)
		}
	}
	return nil
}

// attemptRoom forgets the attempts of l that have left its window before at and reports
// whether the window has room for one more. With the counter row locked, the answer holds
// until the transaction adds the attempt and commits.
func attemptRoom(ctx context.Context, tx pgx.Tx, poolID string, l userpool.Limit, at time.Time) (bool, error) {
	since := ts(at.Add(-l.Window))
	if _, err := tx.Exec(ctx,
		`DELETE FROM attempts WHERE pool_id = $1 AND subject = $2 AND kind = $3 AND at <= $4`,
		poolID, l.Subject, l.Kind, since); err != nil {
		return false, fmt.Errorf("postgres: count attempt: %w", err)
	}
	var n int
	if err := tx.QueryRow(ctx,
		`SELECT count(*) FROM attempts WHERE pool_id = $1 AND subject = $2 AND kind = $3 AND at > $4`,
		poolID, l.Subject, l.Kind, since).Scan(&n); err != nil {
		return false, fmt.Errorf("postgres: count attempt: %w", err)
	}
	return n < l.Max, nil
}

// addAttempt records one attempt of l at at.
func addAttempt(ctx context.Context, tx pgx.Tx, poolID string, l userpool.Limit, at time.Time) error {
	if _, err := tx.Exec(ctx, `INSERT INTO attempts (pool_id, subject, kind, at) VALUES ($1, $2, $3, $4)`,
		poolID, l.Subject, l.Kind, ts(at)); err != nil {
		return insertErr("count attempt", err)
	}
	return nil
}

// ClearAttempts forgets subject's attempts of kind.
func (s *Store) ClearAttempts(ctx context.Context, poolID, subject, kind string) error {
	return s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		return clearAttempts(ctx, tx, poolID, userpool.Counter{Subject: subject, Kind: kind})
	})
}

func clearAttempts(ctx context.Context, tx pgx.Tx, poolID string, c userpool.Counter) error {
	if _, err := tx.Exec(ctx,
		`DELETE FROM attempts WHERE pool_id = $1 AND subject = $2 AND kind = $3`, poolID, c.Subject, c.Kind); err != nil {
		return fmt.Errorf("postgres: clear attempts: %w", err)
	}
	return nil
}

// CountAttempts returns how many of subject's attempts of kind were recorded after since.
func (s *Store) CountAttempts(ctx context.Context, poolID, subject, kind string, since time.Time) (int, error) {
	var n int
	if err := s.db.QueryRow(ctx,
		`SELECT count(*) FROM attempts WHERE pool_id = $1 AND subject = $2 AND kind = $3 AND at > $4`,
		poolID, subject, kind, ts(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count attempts: %w", err)
	}
	return n, nil
}
