package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"cognate/internal/userpool"
)

// CreatePool stores a new pool at version 1 and sets p.Version; ErrConflict if the id exists.
func (s *Store) CreatePool(ctx context.Context, p *userpool.Pool) error {
	doc, mfa, err := s.encodePool(p)
	if err != nil {
		return err
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO pools (id, doc, mfa, version) VALUES ($1, $2, $3, 1)`, p.ID, doc, mfa); err != nil {
		return insertErr("create pool "+p.ID, err)
	}
	p.Version = 1
	return nil
}

// GetPool returns the pool or ErrNotFound.
func (s *Store) GetPool(ctx context.Context, id string) (*userpool.Pool, error) {
	p, err := s.scanPool(s.db.QueryRow(ctx, `SELECT id, doc, mfa, version FROM pools WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("pool " + id)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get pool %s: %w", id, err)
	}
	return p, nil
}

// UpdatePool replaces the pool if its stored version equals p.Version, and advances
// p.Version. The compare is the UPDATE's WHERE: at Read Committed a second UPDATE of the
// row waits for the first to commit and then re-checks the WHERE against the new version,
// so of two updates read from one version exactly one changes the row.
func (s *Store) UpdatePool(ctx context.Context, p *userpool.Pool) error {
	doc, mfa, err := s.encodePool(p)
	if err != nil {
		return err
	}
	tag, err := s.db.Exec(ctx, `UPDATE pools SET doc = $1, mfa = $2, version = version + 1 WHERE id = $3 AND version = $4`,
		doc, mfa, p.ID, p.Version)
	if err != nil {
		return fmt.Errorf("postgres: update pool %s: %w", p.ID, err)
	}
	if err := versionMiss(ctx, s.db, tag, "pool "+p.ID, `SELECT count(*) FROM pools WHERE id = $1`, p.ID); err != nil {
		return err
	}
	p.Version++
	return nil
}

// DeletePool removes the pool with everything in it (the schema's cascades) and its
// messages, or answers ErrNotFound.
func (s *Store) DeletePool(ctx context.Context, id string) error {
	return s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM pools WHERE id = $1`, id)
		if err != nil {
			return fmt.Errorf("postgres: delete pool %s: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			return notFound("pool " + id)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM messages WHERE pool_id = $1`, id); err != nil {
			return fmt.Errorf("postgres: delete pool %s: %w", id, err)
		}
		return nil
	})
}

// ListPools returns at most limit pools with ids greater than after, in id order.
func (s *Store) ListPools(ctx context.Context, after string, limit int) ([]*userpool.Pool, error) {
	rows, err := s.db.Query(ctx, `SELECT id, doc, mfa, version FROM pools WHERE id > $1 ORDER BY id LIMIT $2`,
		after, sqlLimit(limit))
	return collect(rows, err, "list pools", s.scanPool)
}

// CountUsers returns how many users the pool has (0 for a pool that does not exist).
func (s *Store) CountUsers(ctx context.Context, poolID string) (int, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM users WHERE pool_id = $1`, poolID).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count users: %w", err)
	}
	return n, nil
}

func (s *Store) scanPool(r pgx.Row) (*userpool.Pool, error) {
	var (
		p   userpool.Pool
		doc string
		mfa string
	)
	if err := r.Scan(&p.ID, &doc, &mfa, &p.Version); err != nil {
		return nil, err
	}
	if err := s.docs.DecodeCached("pool\x00"+p.ID, doc, &p.Doc); err != nil {
		return nil, fmt.Errorf("decode pool %s: %w", p.ID, err)
	}
	if mfa != "" {
		if err := s.docs.Decode(mfa, &p.MFA); err != nil {
			return nil, fmt.Errorf("decode pool %s MFA: %w", p.ID, err)
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
		return "", "", fmt.Errorf("postgres: encode pool %s: %w", p.ID, err)
	}
	return doc, mfa, nil
}

// CreateClient stores a new app client at version 1 and sets c.Version; ErrConflict if the
// id exists in any pool, ErrNotFound if the pool does not exist.
func (s *Store) CreateClient(ctx context.Context, c *userpool.Client) error {
	doc, err := s.docs.Encode(&c.Doc)
	if err != nil {
		return fmt.Errorf("postgres: encode client %s: %w", c.ID, err)
	}
	secrets, err := userpool.EncodeClientSecrets(c.Secrets)
	if err != nil {
		return fmt.Errorf("%s: encode the secrets of client %s: %w", "postgres", c.ID, err)
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO clients (id, pool_id, doc, version, secrets) VALUES ($1, $2, $3, 1, $4)`,
		c.ID, c.PoolID, doc, secrets); err != nil {
		return insertErr("create client "+c.ID, err)
	}
	c.Version = 1
	return nil
}

// GetClient returns the pool's client or ErrNotFound.
func (s *Store) GetClient(ctx context.Context, poolID, clientID string) (*userpool.Client, error) {
	return s.getClient(ctx, clientID,
		`SELECT pool_id, id, doc, version, secrets FROM clients WHERE pool_id = $1 AND id = $2`, poolID, clientID)
}

// FindClient returns the client with this id in whichever pool has it, or ErrNotFound.
func (s *Store) FindClient(ctx context.Context, clientID string) (*userpool.Client, error) {
	return s.getClient(ctx, clientID, `SELECT pool_id, id, doc, version, secrets FROM clients WHERE id = $1`, clientID)
}

func (s *Store) getClient(ctx context.Context, clientID, query string, args ...any) (*userpool.Client, error) {
	c, err := s.scanClient(s.db.QueryRow(ctx, query, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("client " + clientID)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get client %s: %w", clientID, err)
	}
	return c, nil
}

// UpdateClient replaces the client if its stored version equals c.Version, and advances
// c.Version; ErrConflict if the version moved on, ErrNotFound if the client is gone.
func (s *Store) UpdateClient(ctx context.Context, c *userpool.Client) error {
	doc, err := s.docs.Encode(&c.Doc)
	if err != nil {
		return fmt.Errorf("postgres: encode client %s: %w", c.ID, err)
	}
	secrets, err := userpool.EncodeClientSecrets(c.Secrets)
	if err != nil {
		return fmt.Errorf("%s: encode the secrets of client %s: %w", "postgres", c.ID, err)
	}
	tag, err := s.db.Exec(ctx,
		`UPDATE clients SET doc = $1, secrets = $5, version = version + 1 WHERE pool_id = $2 AND id = $3 AND version = $4`,
		doc, c.PoolID, c.ID, c.Version, secrets)
	if err != nil {
		return fmt.Errorf("postgres: update client %s: %w", c.ID, err)
	}
	if err := versionMiss(ctx, s.db, tag, "client "+c.ID,
		`SELECT count(*) FROM clients WHERE pool_id = $1 AND id = $2`, c.PoolID, c.ID); err != nil {
		return err
	}
	c.Version++
	return nil
}

// DeleteClient removes the client or answers ErrNotFound.
func (s *Store) DeleteClient(ctx context.Context, poolID, clientID string) error {
	return s.execOne(ctx, "delete client "+clientID, `DELETE FROM clients WHERE pool_id = $1 AND id = $2`, poolID, clientID)
}

// ListClients returns at most limit of the pool's clients with ids greater than after, in id order.
func (s *Store) ListClients(ctx context.Context, poolID, after string, limit int) ([]*userpool.Client, error) {
	rows, err := s.db.Query(ctx,
		`SELECT pool_id, id, doc, version, secrets FROM clients WHERE pool_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
		poolID, after, sqlLimit(limit))
	return collect(rows, err, "list clients", s.scanClient)
}

func (s *Store) scanClient(r pgx.Row) (*userpool.Client, error) {
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
		return nil, fmt.Errorf("decode client %s: %w", c.ID, err)
	}
	return &c, nil
}

// querier is what the pool and a transaction share.
type querier interface {
	QueryRow(ctx context.Context, query string, args ...any) pgx.Row
}

// versionMiss explains a versioned UPDATE that changed nothing: ErrConflict if the row is
// there (its version moved on), ErrNotFound if it is gone; exists counts the row with args.
// It answers nil if tag shows the UPDATE did change a row.
func versionMiss(ctx context.Context, q querier, tag pgconn.CommandTag, what, exists string, args ...any) error {
	if tag.RowsAffected() > 0 {
		return nil
	}
	var count int
	if err := q.QueryRow(ctx, exists, args...).Scan(&count); err != nil {
		return fmt.Errorf("postgres: update %s: %w", what, err)
	}
	if count == 0 {
		return notFound(what)
	}
	return fmt.Errorf("postgres: update %s: stale version: %w", what, userpool.ErrConflict)
}
