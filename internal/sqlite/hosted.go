package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"cognate/internal/userpool"
)

// The state of the hosted pages and the authorization server (migration 0006).

// CreateDomain stores a domain; a taken name or a second domain of the kind is ErrConflict.
func (s *Store) CreateDomain(ctx context.Context, d *userpool.Domain) error {
	doc, err := s.docs.Encode(d.Doc)
	if err != nil {
		return fmt.Errorf("sqlite: encode domain: %w", err)
	}
	_, err = s.exec(ctx, `INSERT INTO domains (name, pool_id, custom, doc) VALUES (?, ?, ?, ?)`,
		d.Name, d.PoolID, d.Custom, doc)
	if err != nil {
		return insertErr("create domain "+d.Name, err)
	}
	return nil
}

// GetDomain returns the domain with this name, or ErrNotFound.
func (s *Store) GetDomain(ctx context.Context, name string) (*userpool.Domain, error) {
	ds, err := s.domains(ctx, `WHERE name = ?`, name)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, notFound("domain " + name)
	}
	return ds[0], nil
}

// PoolDomains returns the pool's domains, the prefix domain first.
func (s *Store) PoolDomains(ctx context.Context, poolID string) ([]*userpool.Domain, error) {
	return s.domains(ctx, `WHERE pool_id = ? ORDER BY custom`, poolID)
}

func (s *Store) domains(ctx context.Context, where string, arg string) ([]*userpool.Domain, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, pool_id, custom, doc FROM domains `+where, arg)
	if err != nil {
		return nil, fmt.Errorf("sqlite: domains: %w", err)
	}
	defer rows.Close()
	var out []*userpool.Domain
	for rows.Next() {
		var (
			d   userpool.Domain
			doc string
		)
		if err := rows.Scan(&d.Name, &d.PoolID, &d.Custom, &doc); err != nil {
			return nil, fmt.Errorf("sqlite: domains: %w", err)
		}
		if err := s.docs.Decode(doc, &d.Doc); err != nil {
			return nil, fmt.Errorf("sqlite: decode domain: %w", err)
		}
		out = append(out, &d)
	}
	return out, rows.Err()
}

// UpdateDomain replaces the pool's domain of that name, or answers ErrNotFound.
func (s *Store) UpdateDomain(ctx context.Context, d *userpool.Domain) error {
	doc, err := s.docs.Encode(d.Doc)
	if err != nil {
		return fmt.Errorf("sqlite: encode domain: %w", err)
	}
	return s.execOne(ctx, "update domain "+d.Name, `UPDATE domains SET doc = ? WHERE name = ? AND pool_id = ?`, doc, d.Name, d.PoolID)
}

// DeleteDomain removes the pool's domain of that name, or answers ErrNotFound.
func (s *Store) DeleteDomain(ctx context.Context, poolID, name string) error {
	return s.execOne(ctx, "delete domain "+name, `DELETE FROM domains WHERE name = ? AND pool_id = ?`, name, poolID)
}

// execOne runs a statement that must touch exactly one row: none is ErrNotFound.
func (s *Store) execOne(ctx context.Context, what, query string, args ...any) error {
	res, err := s.exec(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	} else if n == 0 {
		return notFound(what)
	}
	return nil
}

// CreateResourceServer stores a resource server; ErrConflict if its identifier exists in the pool.
func (s *Store) CreateResourceServer(ctx context.Context, rs *userpool.ResourceServerType) error {
	doc, err := s.docs.Encode(rs)
	if err != nil {
		return fmt.Errorf("sqlite: encode resource server: %w", err)
	}
	_, err = s.exec(ctx, `INSERT INTO resource_servers (pool_id, identifier, doc) VALUES (?, ?, ?)`,
		deref(rs.UserPoolId), deref(rs.Identifier), doc)
	if err != nil {
		return insertErr("create resource server", err)
	}
	return nil
}

// GetResourceServer returns the pool's resource server, or ErrNotFound.
func (s *Store) GetResourceServer(ctx context.Context, poolID, identifier string) (*userpool.ResourceServerType, error) {
	var rs userpool.ResourceServerType
	if err := s.getDoc(ctx, "resource server "+identifier, &rs,
		`SELECT doc FROM resource_servers WHERE pool_id = ? AND identifier = ?`, poolID, identifier); err != nil {
		return nil, err
	}
	return &rs, nil
}

// UpdateResourceServer replaces a resource server, or answers ErrNotFound.
func (s *Store) UpdateResourceServer(ctx context.Context, rs *userpool.ResourceServerType) error {
	doc, err := s.docs.Encode(rs)
	if err != nil {
		return fmt.Errorf("sqlite: encode resource server: %w", err)
	}
	return s.execOne(ctx, "update resource server", `UPDATE resource_servers SET doc = ? WHERE pool_id = ? AND identifier = ?`,
		doc, deref(rs.UserPoolId), deref(rs.Identifier))
}

// DeleteResourceServer removes a resource server, or answers ErrNotFound.
func (s *Store) DeleteResourceServer(ctx context.Context, poolID, identifier string) error {
	return s.execOne(ctx, "delete resource server", `DELETE FROM resource_servers WHERE pool_id = ? AND identifier = ?`, poolID, identifier)
}

// ListResourceServers returns a page of the pool's resource servers in identifier order.
func (s *Store) ListResourceServers(ctx context.Context, poolID, after string, limit int) ([]*userpool.ResourceServerType, error) {
	return listDocs[userpool.ResourceServerType](ctx, s, "list resource servers",
		`SELECT doc FROM resource_servers WHERE pool_id = ? AND identifier > ? ORDER BY identifier LIMIT ?`, poolID, after, sqlLimit(limit))
}

// CreateIdentityProvider stores a provider and its identifiers in one transaction.
func (s *Store) CreateIdentityProvider(ctx context.Context, p *userpool.IdentityProviderType) error {
	doc, err := s.docs.Encode(p)
	if err != nil {
		return fmt.Errorf("sqlite: encode identity provider: %w", err)
	}
	pool, name := deref(p.UserPoolId), deref(p.ProviderName)
	return s.inTx(ctx, func(ctx context.Context, tx *txn) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO identity_providers (pool_id, name, doc) VALUES (?, ?, ?)`, pool, name, doc); err != nil {
			return insertErr("create identity provider "+name, err)
		}
		return putIdentifiers(ctx, tx, pool, name, p.IdpIdentifiers)
	})
}

func putIdentifiers(ctx context.Context, tx *txn, pool, name string, ids []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM idp_identifiers WHERE pool_id = ? AND name = ?`, pool, name); err != nil {
		return fmt.Errorf("sqlite: idp identifiers: %w", err)
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO idp_identifiers (pool_id, identifier, name) VALUES (?, ?, ?)`, pool, id, name); err != nil {
			return insertErr("idp identifier "+id, err)
		}
	}
	return nil
}

// GetIdentityProvider returns the pool's provider of that name, or ErrNotFound.
func (s *Store) GetIdentityProvider(ctx context.Context, poolID, name string) (*userpool.IdentityProviderType, error) {
	var p userpool.IdentityProviderType
	if err := s.getDoc(ctx, "identity provider "+name, &p,
		`SELECT doc FROM identity_providers WHERE pool_id = ? AND name = ?`, poolID, name); err != nil {
		return nil, err
	}
	return &p, nil
}

// GetIdentityProviderByIdentifier returns the provider holding the identifier, or ErrNotFound.
func (s *Store) GetIdentityProviderByIdentifier(ctx context.Context, poolID, identifier string) (*userpool.IdentityProviderType, error) {
	var p userpool.IdentityProviderType
	if err := s.getDoc(ctx, "identity provider by identifier "+identifier, &p,
		`SELECT p.doc FROM idp_identifiers i JOIN identity_providers p ON p.pool_id = i.pool_id AND p.name = i.name
		 WHERE i.pool_id = ? AND i.identifier = ?`, poolID, identifier); err != nil {
		return nil, err
	}
	return &p, nil
}

// UpdateIdentityProvider replaces a provider and its identifiers in one transaction.
func (s *Store) UpdateIdentityProvider(ctx context.Context, p *userpool.IdentityProviderType) error {
	doc, err := s.docs.Encode(p)
	if err != nil {
		return fmt.Errorf("sqlite: encode identity provider: %w", err)
	}
	pool, name := deref(p.UserPoolId), deref(p.ProviderName)
	return s.inTx(ctx, func(ctx context.Context, tx *txn) error {
		res, err := tx.ExecContext(ctx, `UPDATE identity_providers SET doc = ? WHERE pool_id = ? AND name = ?`, doc, pool, name)
		if err != nil {
			return fmt.Errorf("sqlite: update identity provider: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("identity provider " + name)
		}
		return putIdentifiers(ctx, tx, pool, name, p.IdpIdentifiers)
	})
}

// DeleteIdentityProvider removes a provider (its identifiers cascade), or answers ErrNotFound.
func (s *Store) DeleteIdentityProvider(ctx context.Context, poolID, name string) error {
	return s.execOne(ctx, "delete identity provider "+name, `DELETE FROM identity_providers WHERE pool_id = ? AND name = ?`, poolID, name)
}

// ListIdentityProviders returns a page of the pool's providers in name order.
func (s *Store) ListIdentityProviders(ctx context.Context, poolID, after string, limit int) ([]*userpool.IdentityProviderType, error) {
	return listDocs[userpool.IdentityProviderType](ctx, s, "list identity providers",
		`SELECT doc FROM identity_providers WHERE pool_id = ? AND name > ? ORDER BY name LIMIT ?`, poolID, after, sqlLimit(limit))
}

// PutAuthorizationCode stores an authorization code; ErrNotFound if its user does not exist.
func (s *Store) PutAuthorizationCode(ctx context.Context, c *userpool.AuthorizationCode) error {
	doc, err := s.docs.Encode(c)
	if err != nil {
		return fmt.Errorf("sqlite: encode authorization code: %w", err)
	}
	_, err = s.exec(ctx, `INSERT INTO authorization_codes (id, pool_id, user_sub, expires_at, doc) VALUES (?, ?, ?, ?, ?)`,
		c.ID, c.PoolID, c.UserSub, micros(c.ExpiresAt), doc)
	if err != nil {
		return insertErr("put authorization code", err)
	}
	return nil
}

// TakeAuthorizationCode deletes and returns the code in one statement, so that of racing
// takes only one sees the row.
func (s *Store) TakeAuthorizationCode(ctx context.Context, id string) (*userpool.AuthorizationCode, error) {
	var c userpool.AuthorizationCode
	err := s.inTx(ctx, func(ctx context.Context, tx *txn) error {
		return s.scanDoc(tx.QueryRowContext(ctx, `DELETE FROM authorization_codes WHERE id = ? RETURNING doc`, id), "authorization code", &c)
	})
	if err != nil {
		return nil, err
	}
	c.AuthTime, c.CreatedAt, c.ExpiresAt = c.AuthTime.UTC(), c.CreatedAt.UTC(), c.ExpiresAt.UTC()
	return &c, nil
}

// CreateHostedSession stores a hosted session; ErrNotFound if its user does not exist.
func (s *Store) CreateHostedSession(ctx context.Context, hs *userpool.HostedSession) error {
	doc, err := s.docs.Encode(hs)
	if err != nil {
		return fmt.Errorf("sqlite: encode hosted session: %w", err)
	}
	_, err = s.exec(ctx, `INSERT INTO hosted_sessions (id, pool_id, user_sub, expires_at, doc) VALUES (?, ?, ?, ?, ?)`,
		hs.ID, hs.PoolID, hs.UserSub, micros(hs.ExpiresAt), doc)
	if err != nil {
		return insertErr("create hosted session", err)
	}
	return nil
}

// GetHostedSession returns the hosted session, or ErrNotFound.
func (s *Store) GetHostedSession(ctx context.Context, id string) (*userpool.HostedSession, error) {
	var hs userpool.HostedSession
	if err := s.getDoc(ctx, "hosted session", &hs, `SELECT doc FROM hosted_sessions WHERE id = ?`, id); err != nil {
		return nil, err
	}
	hs.AuthTime, hs.CreatedAt, hs.ExpiresAt = hs.AuthTime.UTC(), hs.CreatedAt.UTC(), hs.ExpiresAt.UTC()
	return &hs, nil
}

// DeleteHostedSession removes the hosted session if it is there.
func (s *Store) DeleteHostedSession(ctx context.Context, id string) error {
	if _, err := s.exec(ctx, `DELETE FROM hosted_sessions WHERE id = ?`, id); err != nil {
		return fmt.Errorf("sqlite: delete hosted session: %w", err)
	}
	return nil
}

// getDoc reads the one document a query returns into v, ErrNotFound when there is none.
func (s *Store) getDoc(ctx context.Context, what string, v any, query string, args ...any) error {
	return s.scanDoc(s.db.QueryRowContext(ctx, query, args...), what, v)
}

// scanDoc decodes the one doc column of row into v; ErrNotFound for no row.
func (s *Store) scanDoc(row *sql.Row, what string, v any) error {
	var doc string
	err := row.Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(what)
	}
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	if err := s.docs.Decode(doc, v); err != nil {
		return fmt.Errorf("sqlite: decode %s: %w", what, err)
	}
	return nil
}

// listDocs reads every document a query returns.
func listDocs[T any](ctx context.Context, s *Store, what, query string, args ...any) ([]*T, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", what, err)
		}
		v := new(T)
		if err := s.docs.Decode(doc, v); err != nil {
			return nil, fmt.Errorf("sqlite: decode %s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
