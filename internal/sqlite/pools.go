package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"cognate/internal/userpool"
)

// CreatePool stores a new pool at version 1 and sets p.Version; ErrConflict if the id exists.
func (s *Store) CreatePool(ctx context.Context, p *userpool.Pool) error {
	doc, mfa, err := s.encodePool(p)
	if err != nil {
		return err
	}
	if _, err := s.exec(ctx, `INSERT INTO pools (id, doc, mfa, version) VALUES (?, ?, ?, 1)`, p.ID, doc, mfa); err != nil {
		return insertErr("create pool "+p.ID, err)
	}
	p.Version = 1
	return nil
}

// GetPool returns the pool or ErrNotFound.
func (s *Store) GetPool(ctx context.Context, id string) (*userpool.Pool, error) {
	p, err := s.scanPool(s.read.QueryRowContext(ctx, `SELECT id, doc, mfa, version FROM pools WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("pool " + id)
	}
	return p, err
}

// UpdatePool replaces the pool if its stored version equals p.Version, and advances p.Version.
func (s *Store) UpdatePool(ctx context.Context, p *userpool.Pool) error {
	doc, mfa, err := s.encodePool(p)
	if err != nil {
		return err
	}
	res, err := s.exec(ctx, `UPDATE pools SET doc = ?, mfa = ?, version = version + 1 WHERE id = ? AND version = ?`,
		doc, mfa, p.ID, p.Version)
	if err != nil {
		return fmt.Errorf("sqlite: update pool %s: %w", p.ID, err)
	}
	if err := versionMiss(ctx, s.db, res, "pool "+p.ID, `SELECT count(*) FROM pools WHERE id = ?`, p.ID); err != nil {
		return err
	}
	p.Version++
	return nil
}

// DeletePool removes the pool with its clients, users (with their codes and sessions),
// groups, attempts and messages, or answers ErrNotFound.
func (s *Store) DeletePool(ctx context.Context, id string) error {
	return s.inTx(ctx, func(ctx context.Context, tx *txn) error {
		// The schema's cascades take clients, users, aliases, groups, memberships, codes,
		// sessions and attempts.
		res, err := tx.ExecContext(ctx, `DELETE FROM pools WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("sqlite: delete pool %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("sqlite: delete pool %s: %w", id, err)
		} else if n == 0 {
			return notFound("pool " + id)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM messages WHERE pool_id = ?`, id); err != nil {
			return fmt.Errorf("sqlite: delete pool %s: %w", id, err)
		}
		return nil
	})
}

// ListPools returns at most limit pools with ids greater than after, in id order.
func (s *Store) ListPools(ctx context.Context, after string, limit int) ([]*userpool.Pool, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, doc, mfa, version FROM pools WHERE id > ? ORDER BY id LIMIT ?`,
		after, sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("sqlite: list pools: %w", err)
	}
	return collect(rows, s.scanPool)
}

// CountUsers returns how many users the pool has (0 for a pool that does not exist).
func (s *Store) CountUsers(ctx context.Context, poolID string) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE pool_id = ?`, poolID).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count users: %w", err)
	}
	return n, nil
}

func (s *Store) scanPool(r scanner) (*userpool.Pool, error) {
	var (
		p   userpool.Pool
		doc string
		mfa string
	)
	if err := r.Scan(&p.ID, &doc, &mfa, &p.Version); err != nil {
		return nil, err
	}
	if err := s.docs.DecodeCached("pool\x00"+p.ID, doc, &p.Doc); err != nil {
		return nil, fmt.Errorf("sqlite: decode pool %s: %w", p.ID, err)
	}
	if mfa != "" {
		if err := s.docs.Decode(mfa, &p.MFA); err != nil {
			return nil, fmt.Errorf("sqlite: decode pool %s MFA: %w", p.ID, err)
		}
	}
	return &p, nil
}

// encodePool encodes a pool's description and MFA configuration (empty when it has none).
func (s *Store) encodePool(p *userpool.Pool) (doc, mfa string, err error) {
	if doc, err = s.docs.Encode(&p.Doc); err == nil && p.MFA != (userpool.PoolMFA{}) {
		mfa, err = s.docs.Encode(&p.MFA)
	}
	if err != nil {
		return "", "", fmt.Errorf("sqlite: encode pool %s: %w", p.ID, err)
	}
	return doc, mfa, nil
}

// CreateClient stores a new app client at version 1 and sets c.Version; ErrConflict if the
// id exists in any pool, ErrNotFound if the pool does not exist.
func (s *Store) CreateClient(ctx context.Context, c *userpool.Client) error {
	doc, err := s.docs.Encode(&c.Doc)
	if err != nil {
		return fmt.Errorf("sqlite: encode client %s: %w", c.ID, err)
	}
	secrets, err := userpool.EncodeClientSecrets(c.Secrets)
	if err != nil {
		return fmt.Errorf("%s: encode the secrets of client %s: %w", "sqlite", c.ID, err)
	}
	if _, err := s.exec(ctx, `INSERT INTO clients (id, pool_id, doc, version, secrets) VALUES (?, ?, ?, 1, ?)`,
		c.ID, c.PoolID, doc, secrets); err != nil {
		return insertErr("create client "+c.ID, err)
	}
	c.Version = 1
	return nil
}

// GetClient returns the pool's client or ErrNotFound.
func (s *Store) GetClient(ctx context.Context, poolID, clientID string) (*userpool.Client, error) {
	c, err := s.scanClient(s.read.QueryRowContext(ctx,
		`SELECT pool_id, id, doc, version, secrets FROM clients WHERE pool_id = ? AND id = ?`, poolID, clientID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("client " + clientID)
	}
	return c, err
}

// FindClient returns the client with this id in whichever pool has it, or ErrNotFound.
func (s *Store) FindClient(ctx context.Context, clientID string) (*userpool.Client, error) {
	c, err := s.scanClient(s.read.QueryRowContext(ctx,
		`SELECT pool_id, id, doc, version, secrets FROM clients WHERE id = ?`, clientID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("client " + clientID)
	}
	return c, err
}

// UpdateClient replaces the client if its stored version equals c.Version, and advances
// c.Version; ErrConflict if the version moved on, ErrNotFound if the client is gone.
func (s *Store) UpdateClient(ctx context.Context, c *userpool.Client) error {
	doc, err := s.docs.Encode(&c.Doc)
	if err != nil {
		return fmt.Errorf("sqlite: encode client %s: %w", c.ID, err)
	}
	secrets, err := userpool.EncodeClientSecrets(c.Secrets)
	if err != nil {
		return fmt.Errorf("%s: encode the secrets of client %s: %w", "sqlite", c.ID, err)
	}
	res, err := s.exec(ctx,
		`UPDATE clients SET doc = ?, secrets = ?, version = version + 1 WHERE pool_id = ? AND id = ? AND version = ?`,
		doc, secrets, c.PoolID, c.ID, c.Version)
	if err != nil {
		return fmt.Errorf("sqlite: update client %s: %w", c.ID, err)
	}
	if err := versionMiss(ctx, s.db, res, "client "+c.ID,
		`SELECT count(*) FROM clients WHERE pool_id = ? AND id = ?`, c.PoolID, c.ID); err != nil {
		return err
	}
	c.Version++
	return nil
}

// DeleteClient removes the client or answers ErrNotFound.
func (s *Store) DeleteClient(ctx context.Context, poolID, clientID string) error {
	res, err := s.exec(ctx, `DELETE FROM clients WHERE pool_id = ? AND id = ?`, poolID, clientID)
	return deleted(res, err, "client "+clientID)
}

// ListClients returns at most limit of the pool's clients with ids greater than after, in id order.
func (s *Store) ListClients(ctx context.Context, poolID, after string, limit int) ([]*userpool.Client, error) {
	rows, err := s.read.QueryContext(ctx,
		`SELECT pool_id, id, doc, version, secrets FROM clients WHERE pool_id = ? AND id > ? ORDER BY id LIMIT ?`,
		poolID, after, sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("sqlite: list clients: %w", err)
	}
	return collect(rows, s.scanClient)
}

func (s *Store) scanClient(r scanner) (*userpool.Client, error) {
	var (
		c       userpool.Client
		doc     string
		secrets string
	)
	err := r.Scan(&c.PoolID, &c.ID, &doc, &c.Version, &secrets)
	if err != nil {
		return nil, err
	}
	if c.Secrets, err = userpool.DecodeClientSecrets(secrets); err != nil {
		return nil, fmt.Errorf("decode the secrets of client %s: %w", c.ID, err)
	}
	if err := s.docs.DecodeCached("client\x00"+c.PoolID+"\x00"+c.ID, doc, &c.Doc); err != nil {
		return nil, fmt.Errorf("sqlite: decode client %s: %w", c.ID, err)
	}
	return &c, nil
}

// querier is what *sql.DB and *txn share.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// versionMiss explains a versioned UPDATE that changed nothing: ErrConflict if the row is
// there (its version moved on), ErrNotFound if it is gone; exists counts the row with args.
// It answers nil if res shows the UPDATE did change a row.
func versionMiss(ctx context.Context, q querier, res sql.Result, what, exists string, args ...any) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: update %s: %w", what, err)
	}
	if n > 0 {
		return nil
	}
	var count int
	if err := q.QueryRowContext(ctx, exists, args...).Scan(&count); err != nil {
		return fmt.Errorf("sqlite: update %s: %w", what, err)
	}
	if count == 0 {
		return notFound(what)
	}
	return fmt.Errorf("sqlite: update %s: stale version: %w", what, userpool.ErrConflict)
}

// deleted reports the outcome of a DELETE of one named row: ErrNotFound if there was none.
func deleted(res sql.Result, err error, what string) error {
	if err != nil {
		return fmt.Errorf("sqlite: delete %s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: delete %s: %w", what, err)
	}
	if n == 0 {
		return notFound(what)
	}
	return nil
}

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return out, nil
}
