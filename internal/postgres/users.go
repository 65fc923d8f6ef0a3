package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"cognate/internal/userpool"
)

// userColumns selects a user row with its aliases as an array, so that a user and its
// aliases are read by one statement and so from one snapshot. u is the users table.
const userColumns = `u.pool_id, u.key, u.sub, u.doc, u.version,
	ARRAY(SELECT a.alias FROM user_aliases a WHERE a.pool_id = u.pool_id AND a.user_key = u.key)`

// GetUser returns the user whose Key is key, or ErrNotFound.
func (s *Store) GetUser(ctx context.Context, poolID, key string) (*userpool.User, error) {
	return s.getUser(ctx, "user "+key,
		`SELECT `+userColumns+` FROM users u WHERE u.pool_id = $1 AND u.key = $2`, poolID, key)
}

// GetUserBySub returns the user with this sub, or ErrNotFound.
func (s *Store) GetUserBySub(ctx context.Context, poolID, sub string) (*userpool.User, error) {
	return s.getUser(ctx, "user with sub "+sub,
		`SELECT `+userColumns+` FROM users u WHERE u.pool_id = $1 AND u.sub = $2`, poolID, sub)
}

// GetUserByAlias returns the user holding this alias, or ErrNotFound.
func (s *Store) GetUserByAlias(ctx context.Context, poolID, alias string) (*userpool.User, error) {
	return s.getUser(ctx, "user with alias "+alias,
		`SELECT `+userColumns+` FROM user_aliases h JOIN users u ON u.pool_id = h.pool_id AND u.key = h.user_key
		 WHERE h.pool_id = $1 AND h.alias = $2`, poolID, alias)
}

func (s *Store) getUser(ctx context.Context, what, query string, args ...any) (*userpool.User, error) {
	u, err := s.scanUser(s.db.QueryRow(ctx, query, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound(what)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get %s: %w", what, err)
	}
	return u, nil
}

// SaveUsers writes users in one transaction: New writes insert, the others replace the
// stored user if its version is the one the caller read. Aliases are replaced with each
// user's Aliases; one held by a user outside the call, or by two users of the call, fails
// the whole call with ErrAliasConflict. On success each user's Version has advanced; on
// failure nothing is written and no Version changes.
func (s *Store) SaveUsers(ctx context.Context, writes ...userpool.UserWrite) error {
	return s.saveUsers(ctx, nil, writes, nil)
}

// RedeemCode deletes the code if its MAC is still the one given, then writes the users,
// clears the counters and records the event, in one transaction. The comparison is part of
// the DELETE: at Read Committed a second DELETE of the row waits for the first to commit,
// then finds the row gone and deletes nothing, so of racing redemptions exactly one
// deletes a row and goes on.
func (s *Store) RedeemCode(ctx context.Context, r *userpool.Redemption) error {
	c := r.Code
	return s.saveUsers(ctx, func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx,
			`DELETE FROM codes WHERE pool_id = $1 AND user_sub = $2 AND purpose = $3 AND mac = $4`,
			c.PoolID, c.UserSub, c.Purpose, c.MAC)
		if err != nil {
			return fmt.Errorf("postgres: redeem code: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return notFound(c.Purpose + " code of user " + c.UserSub)
		}
		return nil
	}, r.Users, func(ctx context.Context, tx pgx.Tx) error {
		for _, k := range r.Clear {
			if err := clearAttempts(ctx, tx, c.PoolID, k); err != nil {
				return err
			}
		}
		if r.Event != nil {
			return s.addAuthEvent(ctx, tx, c.PoolID, r.Event)
		}
		return nil
	})
}

// saveUsers writes users in one transaction, after first and before then (each when not
// nil) in the same one.
func (s *Store) saveUsers(ctx context.Context, first txFunc, writes []userpool.UserWrite, then txFunc) error {
	docs := make([]string, len(writes))
	for i, w := range writes {
		doc, err := s.encodeUser(w.User)
		if err != nil {
			return fmt.Errorf("postgres: encode user %s: %w", w.User.Key, err)
		}
		docs[i] = doc
	}
	versions := make([]int64, len(writes))
	err := s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		if first != nil {
			if err := first(ctx, tx); err != nil {
				return err
			}
		}
		// Rows first, with every rewritten user's old aliases dropped; new aliases after.
		// So an alias that moves from one user to another within the call moves cleanly,
		// whichever of the two writes comes first.
		for i, w := range writes {
			u := w.User
			if w.New {
				if _, err := tx.Exec(ctx,
					`INSERT INTO users (pool_id, key, sub, doc, version) VALUES ($1, $2, $3, $4, 1)`,
					u.PoolID, u.Key, u.Sub, docs[i]); err != nil {
					return insertErr("insert user "+u.Key, err)
				}
				versions[i] = 1
				continue
			}
			// The version compare-and-set: a concurrent save of the same user waits for
			// this one's commit, then re-checks the version and changes nothing.
			tag, err := tx.Exec(ctx,
				`UPDATE users SET sub = $1, doc = $2, version = version + 1 WHERE pool_id = $3 AND key = $4 AND version = $5`,
				u.Sub, docs[i], u.PoolID, u.Key, u.Version)
			if violated(err) == uniqueConstraint {
				return fmt.Errorf("postgres: update user %s: sub taken: %w", u.Key, userpool.ErrConflict)
			}
			if err != nil {
				return fmt.Errorf("postgres: update user %s: %w", u.Key, err)
			}
			if err := versionMiss(ctx, tx, tag, "user "+u.Key,
				`SELECT count(*) FROM users WHERE pool_id = $1 AND key = $2`, u.PoolID, u.Key); err != nil {
				return err
			}
			versions[i] = u.Version + 1
			if _, err := tx.Exec(ctx, `DELETE FROM user_aliases WHERE pool_id = $1 AND user_key = $2`,
				u.PoolID, u.Key); err != nil {
				return fmt.Errorf("postgres: update user %s: %w", u.Key, err)
			}
		}
		for _, w := range writes {
			for _, m := range w.User.Outbox {
				if err := insertMessage(ctx, tx, m); err != nil {
					return err
				}
			}
		}
		for _, w := range writes {
			u := w.User
			aliases := slices.Clone(u.Aliases)
			slices.Sort(aliases)
			for _, a := range slices.Compact(aliases) {
				// The primary key decides: of two transactions inserting one alias, the
				// second waits for the first and fails if it commits.
				_, err := tx.Exec(ctx, `INSERT INTO user_aliases (pool_id, alias, user_key) VALUES ($1, $2, $3)`,
					u.PoolID, a, u.Key)
				if violated(err) == uniqueConstraint {
					return fmt.Errorf("postgres: user %s: %q: %w", u.Key, a, userpool.ErrAliasConflict)
				}
				if err != nil {
					return fmt.Errorf("postgres: user %s: alias %q: %w", u.Key, a, err)
				}
			}
		}
		if then != nil {
			return then(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, w := range writes {
		w.User.Version = versions[i]
		w.User.Outbox = nil // written
	}
	return nil
}

// txFunc is a part of a transaction.
type txFunc func(ctx context.Context, tx pgx.Tx) error

// DeleteUser removes the user; the schema's cascades take its aliases, memberships, codes,
// sessions and events.
func (s *Store) DeleteUser(ctx context.Context, poolID, key string) error {
	return s.execOne(ctx, "delete user "+key, `DELETE FROM users WHERE pool_id = $1 AND key = $2`, poolID, key)
}

// ListUsers returns at most limit users with keys greater than after, in key order.
func (s *Store) ListUsers(ctx context.Context, poolID, after string, limit int) ([]*userpool.User, error) {
	rows, err := s.db.Query(ctx,
		`SELECT `+userColumns+` FROM users u WHERE u.pool_id = $1 AND u.key > $2 ORDER BY u.key LIMIT $3`,
		poolID, after, sqlLimit(limit))
	return collect(rows, err, "list users", s.scanUser)
}

// encodeUser returns the user's document: the fields the store does not index, with times
// in UTC so that they read back in UTC.
func (s *Store) encodeUser(u *userpool.User) (string, error) {
	d := *u
	d.PasswordSetAt = d.PasswordSetAt.UTC()
	d.TokensValidAfter = d.TokensValidAfter.UTC()
	d.CreatedAt = d.CreatedAt.UTC()
	d.ModifiedAt = d.ModifiedAt.UTC()
	return s.docs.Encode(&d)
}

func (s *Store) scanUser(r pgx.Row) (*userpool.User, error) {
	var (
		poolID, key, sub, doc string
		version               int64
		aliases               []string
	)
	if err := r.Scan(&poolID, &key, &sub, &doc, &version, &aliases); err != nil {
		return nil, err
	}
	var u userpool.User
	if err := s.docs.Decode(doc, &u); err != nil {
		return nil, fmt.Errorf("decode user %s: %w", key, err)
	}
	u.PoolID, u.Key, u.Sub, u.Version = poolID, key, sub, version
	if len(aliases) > 0 {
		slices.Sort(aliases)
		u.Aliases = aliases
	}
	return &u, nil
}
