package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"cognate/internal/userpool"
)

// The state of the hosted pages and the authorization server.

// CreateDomain stores a domain; a taken name or a second domain of the kind is ErrConflict.
func (s *Store) CreateDomain(ctx context.Context, d *userpool.Domain) error {
	doc, err := s.docs.Encode(d.Doc)
	if err != nil {
		return fmt.Errorf("postgres: encode domain: %w", err)
	}
	_, err = s.db.Exec(ctx, `INSERT INTO domains (name, pool_id, custom, doc) VALUES ($1, $2, $3, $4)`,
		d.Name, d.PoolID, d.Custom, doc)
	if err != nil {
		return insertErr("create domain "+d.Name, err)
	}
	return nil
}

// GetDomain returns the domain with this name, or ErrNotFound.
func (s *Store) GetDomain(ctx context.Context, name string) (*userpool.Domain, error) {
	ds, err := s.domains(ctx, `WHERE name = $1`, name)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, notFound("domain " + name)
	}
	return ds[0], nil
}

// PoolDomains returns the pool's domains, the prefix domain first (false sorts before true).
func (s *Store) PoolDomains(ctx context.Context, poolID string) ([]*userpool.Domain, error) {
	return s.domains(ctx, `WHERE pool_id = $1 ORDER BY custom`, poolID)
}

func (s *Store) domains(ctx context.Context, where string, arg string) ([]*userpool.Domain, error) {
	rows, err := s.db.Query(ctx, `SELECT name, pool_id, custom, doc FROM domains `+where, arg)
	return collect(rows, err, "domains", func(r pgx.Row) (*userpool.Domain, error) {
		var (
			d   userpool.Domain
			doc string
		)
		if err := r.Scan(&d.Name, &d.PoolID, &d.Custom, &doc); err != nil {
			return nil, err
		}
		if err := s.docs.Decode(doc, &d.Doc); err != nil {
			return nil, fmt.Errorf("decode domain: %w", err)
		}
		return &d, nil
	})
}

// UpdateDomain replaces the pool's domain of that name, or answers ErrNotFound.
func (s *Store) UpdateDomain(ctx context.Context, d *userpool.Domain) error {
	doc, err := s.docs.Encode(d.Doc)
	if err != nil {
		return fmt.Errorf("postgres: encode domain: %w", err)
	}
	return s.execOne(ctx, "update domain "+d.Name, `UPDATE domains SET doc = $1 WHERE name = $2 AND pool_id = $3`, doc, d.Name, d.PoolID)
}

// DeleteDomain removes the pool's domain of that name, or answers ErrNotFound.
func (s *Store) DeleteDomain(ctx context.Context, poolID, name string) error {
	return s.execOne(ctx, "delete domain "+name, `DELETE FROM domains WHERE name = $1 AND pool_id = $2`, name, poolID)
}

// CreateResourceServer stores a resource server; ErrConflict if its identifier exists in the pool.
func (s *Store) CreateResourceServer(ctx context.Context, rs *userpool.ResourceServerType) error {
	doc, err := s.docs.Encode(rs)
	if err != nil {
		return fmt.Errorf("postgres: encode resource server: %w", err)
	}
	_, err = s.db.Exec(ctx, `INSERT INTO resource_servers (pool_id, identifier, doc) VALUES ($1, $2, $3)`,
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
		`SELECT doc FROM resource_servers WHERE pool_id = $1 AND identifier = $2`, poolID, identifier); err != nil {
		return nil, err
	}
	return &rs, nil
}

// UpdateResourceServer replaces a resource server, or answers ErrNotFound.
func (s *Store) UpdateResourceServer(ctx context.Context, rs *userpool.ResourceServerType) error {
	doc, err := s.docs.Encode(rs)
	if err != nil {
		return fmt.Errorf("postgres: encode resource server: %w", err)
	}
	return s.execOne(ctx, "update resource server", `UPDATE resource_servers SET doc = $1 WHERE pool_id = $2 AND identifier = $3`,
		doc, deref(rs.UserPoolId), deref(rs.Identifier))
}

// DeleteResourceServer removes a resource server, or answers ErrNotFound.
func (s *Store) DeleteResourceServer(ctx context.Context, poolID, identifier string) error {
	return s.execOne(ctx, "delete resource server", `DELETE FROM resource_servers WHERE pool_id = $1 AND identifier = $2`, poolID, identifier)
}

// ListResourceServers returns a page of the pool's resource servers in identifier order.
func (s *Store) ListResourceServers(ctx context.Context, poolID, after string, limit int) ([]*userpool.ResourceServerType, error) {
	return listDocs[userpool.ResourceServerType](ctx, s, "list resource servers",
		`SELECT doc FROM resource_servers WHERE pool_id = $1 AND identifier > $2 ORDER BY identifier LIMIT $3`, poolID, after, sqlLimit(limit))
}

// CreateIdentityProvider stores a provider and its identifiers in one transaction.
func (s *Store) CreateIdentityProvider(ctx context.Context, p *userpool.IdentityProviderType) error {
	doc, err := s.docs.Encode(p)
	if err != nil {
		return fmt.Errorf("postgres: encode identity provider: %w", err)
	}
	pool, name := deref(p.UserPoolId), deref(p.ProviderName)
	return s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO identity_providers (pool_id, name, doc) VALUES ($1, $2, $3)`, pool, name, doc); err != nil {
			return insertErr("create identity provider "+name, err)
		}
		return putIdentifiers(ctx, tx, pool, name, p.IdpIdentifiers)
	})
}

func putIdentifiers(ctx context.Context, tx pgx.Tx, pool, name string, ids []string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM idp_identifiers WHERE pool_id = $1 AND name = $2`, pool, name); err != nil {
		return fmt.Errorf("postgres: idp identifiers: %w", err)
	}
	for _, id := range ids {
		if _, err := tx.Exec(ctx, `INSERT INTO idp_identifiers (pool_id, identifier, name) VALUES ($1, $2, $3)`, pool, id, name); err != nil {
			return insertErr("idp identifier "+id, err)
		}
	}
	return nil
}

// GetIdentityProvider returns the pool's provider of that name, or ErrNotFound.
func (s *Store) GetIdentityProvider(ctx context.Context, poolID, name string) (*userpool.IdentityProviderType, error) {
	var p userpool.IdentityProviderType
	if err := s.getDoc(ctx, "identity provider "+name, &p,
		`SELECT doc FROM identity_providers WHERE pool_id = $1 AND name = $2`, poolID, name); err != nil {
		return nil, err
	}
	return &p, nil
}

// GetIdentityProviderByIdentifier returns the provider holding the identifier, or ErrNotFound.
func (s *Store) GetIdentityProviderByIdentifier(ctx context.Context, poolID, identifier string) (*userpool.IdentityProviderType, error) {
	var p userpool.IdentityProviderType
	if err := s.getDoc(ctx, "identity provider by identifier "+identifier, &p,
		`SELECT p.doc FROM idp_identifiers i JOIN identity_providers p ON p.pool_id = i.pool_id AND p.name = i.name
		 WHERE i.pool_id = $1 AND i.identifier = $2`, poolID, identifier); err != nil {
		return nil, err
	}
	return &p, nil
}

// UpdateIdentityProvider replaces a provider and its identifiers in one transaction.
func (s *Store) UpdateIdentityProvider(ctx context.Context, p *userpool.IdentityProviderType) error {
	doc, err := s.docs.Encode(p)
	if err != nil {
		return fmt.Errorf("postgres: encode identity provider: %w", err)
	}
	pool, name := deref(p.UserPoolId), deref(p.ProviderName)
	return s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE identity_providers SET doc = $1 WHERE pool_id = $2 AND name = $3`, doc, pool, name)
		if err != nil {
			return fmt.Errorf("postgres: update identity provider: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return notFound("identity provider " + name)
		}
		return putIdentifiers(ctx, tx, pool, name, p.IdpIdentifiers)
	})
}

// DeleteIdentityProvider removes a provider (its identifiers cascade), or answers ErrNotFound.
func (s *Store) DeleteIdentityProvider(ctx context.Context, poolID, name string) error {
	return s.execOne(ctx, "delete identity provider "+name, `DELETE FROM identity_providers WHERE pool_id = $1 AND name = $2`, poolID, name)
}

// ListIdentityProviders returns a page of the pool's providers in name order.
func (s *Store) ListIdentityProviders(ctx context.Context, poolID, after string, limit int) ([]*userpool.IdentityProviderType, error) {
	return listDocs[userpool.IdentityProviderType](ctx, s, "list identity providers",
		`SELECT doc FROM identity_providers WHERE pool_id = $1 AND name > $2 ORDER BY name LIMIT $3`, poolID, after, sqlLimit(limit))
}

// PutAuthorizationCode stores an authorization code; ErrNotFound if its user does not exist.
func (s *Store) PutAuthorizationCode(ctx context.Context, c *userpool.AuthorizationCode) error {
	doc, err := s.docs.Encode(c)
	if err != nil {
		return fmt.Errorf("postgres: encode authorization code: %w", err)
	}
	_, err = s.db.Exec(ctx, `INSERT INTO authorization_codes (id, pool_id, user_sub, expires_at, doc) VALUES ($1, $2, $3, $4, $5)`,
		c.ID, c.PoolID, c.UserSub, ts(c.ExpiresAt), doc)
	if err != nil {
		return insertErr("put authorization code", err)
	}
	return nil
}

// TakeAuthorizationCode deletes and returns the code in one statement: of racing takes the
// second waits for the first's commit and then finds no row, so one gets the code.
func (s *Store) TakeAuthorizationCode(ctx context.Context, id string) (*userpool.AuthorizationCode, error) {
	var c userpool.AuthorizationCode
	if err := s.getDoc(ctx, "authorization code", &c, `DELETE FROM authorization_codes WHERE id = $1 RETURNING doc`, id); err != nil {
		return nil, err
	}
	c.AuthTime, c.CreatedAt, c.ExpiresAt = c.AuthTime.UTC(), c.CreatedAt.UTC(), c.ExpiresAt.UTC()
	return &c, nil
}

// CreateHostedSession stores a hosted session; ErrNotFound if its user does not exist.
func (s *Store) CreateHostedSession(ctx context.Context, hs *userpool.HostedSession) error {
	doc, err := s.docs.Encode(hs)
	if err != nil {
		return fmt.Errorf("postgres: encode hosted session: %w", err)
	}
	_, err = s.db.Exec(ctx, `INSERT INTO hosted_sessions (id, pool_id, user_sub, expires_at, doc) VALUES ($1, $2, $3, $4, $5)`,
		hs.ID, hs.PoolID, hs.UserSub, ts(hs.ExpiresAt), doc)
	if err != nil {
		return insertErr("create hosted session", err)
	}
	return nil
}

// GetHostedSession returns the hosted session, or ErrNotFound.
func (s *Store) GetHostedSession(ctx context.Context, id string) (*userpool.HostedSession, error) {
	var hs userpool.HostedSession
	if err := s.getDoc(ctx, "hosted session", &hs, `SELECT doc FROM hosted_sessions WHERE id = $1`, id); err != nil {
		return nil, err
	}
	hs.AuthTime, hs.CreatedAt, hs.ExpiresAt = hs.AuthTime.UTC(), hs.CreatedAt.UTC(), hs.ExpiresAt.UTC()
	return &hs, nil
}

// DeleteHostedSession removes the hosted session if it is there.
func (s *Store) DeleteHostedSession(ctx context.Context, id string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM hosted_sessions WHERE id = $1`, id); err != nil {
		return fmt.Errorf("postgres: delete hosted session: %w", err)
	}
	return nil
}

// getDoc reads the one document a query returns into v, ErrNotFound when there is none.
func (s *Store) getDoc(ctx context.Context, what string, v any, query string, args ...any) error {
	var doc string
	err := s.db.QueryRow(ctx, query, args...).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound(what)
	}
	if err != nil {
		return fmt.Errorf("postgres: %s: %w", what, err)
	}
	if err := s.docs.Decode(doc, v); err != nil {
		return fmt.Errorf("postgres: decode %s: %w", what, err)
	}
	return nil
}

// listDocs reads every document a query returns.
func listDocs[T any](ctx context.Context, s *Store, what, query string, args ...any) ([]*T, error) {
	rows, err := s.db.Query(ctx, query, args...)
	return collect(rows, err, what, func(r pgx.Row) (*T, error) {
		var doc string
		if err := r.Scan(&doc); err != nil {
			return nil, err
		}
		v := new(T)
		if err := s.docs.Decode(doc, v); err != nil {
			return nil, fmt.Errorf("decode: %w", err)
		}
		return v, nil
	})
}
