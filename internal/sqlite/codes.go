package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"cognate/internal/userpool"
)

// errRefused rolls back an issue a limit refused.
var errRefused = errors.New("sqlite: limit reached")

// IssueCode counts the issue's attempts and, when every limit has room, writes its users,
// code, message and event, in one write transaction: no other writer enters between the
// counts and the inserts, so the limits hold however many requests race. The user's
// foreign key answers ErrNotFound for a code of a user (or pool) that does not exist.
func (s *Store) IssueCode(ctx context.Context, is *userpool.CodeIssue) (int, error) {
	refused := -1
	err := s.saveUsers(ctx, func(ctx context.Context, tx *txn) error {
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
	}, is.Users, func(ctx context.Context, tx *txn) error {
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

func putCode(ctx context.Context, db execer, c *userpool.Code) error {
	return putCodeIn(ctx, db, "codes", c)
}

// putShadowCode stores the code of a request for a name the caller may not learn about.
func putShadowCode(ctx context.Context, db execer, c *userpool.Code) error {
	return putCodeIn(ctx, db, "shadow_codes", c)
}

func putCodeIn(ctx context.Context, db execer, table string, c *userpool.Code) error {
	_, err := db.ExecContext(ctx,
		`INSERT INTO `+table+` (pool_id, user_sub, purpose, mac, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
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
	return s.getCode(ctx, "codes", poolID, userSub, purpose)
}

// GetShadowCode returns the shadow code of subject for purpose, or ErrNotFound.
func (s *Store) GetShadowCode(ctx context.Context, poolID, subject, purpose string) (*userpool.Code, error) {
	return s.getCode(ctx, "shadow_codes", poolID, subject, purpose)
}

func (s *Store) getCode(ctx context.Context, table, poolID, userSub, purpose string) (*userpool.Code, error) {
	var (
		c                = userpool.Code{PoolID: poolID, UserSub: userSub, Purpose: purpose}
		created, expires int64
	)
	err := s.read.QueryRowContext(ctx,
		`SELECT mac, created_at, expires_at FROM `+table+` WHERE pool_id = ? AND user_sub = ? AND purpose = ?`,
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
