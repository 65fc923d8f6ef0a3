package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"cognate/internal/userpool"
)

// UI customizations, managed login brandings, terms, log delivery configurations and the
// request-rate quotas (migration 0004).

// PutUICustomization stores the customization of a pool (ClientID "") or client.
func (s *Store) PutUICustomization(ctx context.Context, u *userpool.UICustomization) error {
	doc, err := s.docs.Encode(u)
	if err != nil {
		return fmt.Errorf("postgres: encode ui customization: %w", err)
	}
	var client *string
	if u.ClientID != "" {
		client = &u.ClientID
	}
	_, err = s.db.Exec(ctx, `INSERT INTO ui_customizations (pool_id, scope, client_id, doc) VALUES ($1, $2, $3, $4)
		ON CONFLICT (pool_id, scope) DO UPDATE SET doc = excluded.doc`, u.PoolID, u.ClientID, client, doc)
	if err != nil {
		return insertErr("put ui customization", err)
	}
	return nil
}

// GetUICustomization returns the customization of a pool (clientID "") or client.
func (s *Store) GetUICustomization(ctx context.Context, poolID, clientID string) (*userpool.UICustomization, error) {
	var u userpool.UICustomization
	if err := s.getDoc(ctx, "ui customization", &u,
		`SELECT doc FROM ui_customizations WHERE pool_id = $1 AND scope = $2`, poolID, clientID); err != nil {
		return nil, err
	}
	return &u, nil
}

// DeleteUICustomization removes the customization of a pool (clientID "") or client.
func (s *Store) DeleteUICustomization(ctx context.Context, poolID, clientID string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM ui_customizations WHERE pool_id = $1 AND scope = $2`, poolID, clientID); err != nil {
		return fmt.Errorf("postgres: delete ui customization: %w", err)
	}
	return nil
}

// CreateBranding stores a new style at version 1.
func (s *Store) CreateBranding(ctx context.Context, b *userpool.Branding) error {
	doc, err := s.docs.Encode(&b.Doc)
	if err != nil {
		return fmt.Errorf("postgres: encode managed login branding: %w", err)
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO managed_login_brandings (pool_id, id, client_id, doc, version) VALUES ($1, $2, $3, $4, 1)`,
		b.PoolID, b.ID, b.ClientID, doc); err != nil {
		return insertErr("create managed login branding "+b.ID, err)
	}
	b.Version = 1
	return nil
}

const brandingColumns = `SELECT pool_id, id, client_id, doc, version FROM managed_login_brandings `

// GetBranding returns the pool's style with this id.
func (s *Store) GetBranding(ctx context.Context, poolID, id string) (*userpool.Branding, error) {
	return s.getBranding(ctx, brandingColumns+`WHERE pool_id = $1 AND id = $2`, poolID, id)
}

// GetBrandingByClient returns the style of the pool's client.
func (s *Store) GetBrandingByClient(ctx context.Context, poolID, clientID string) (*userpool.Branding, error) {
	return s.getBranding(ctx, brandingColumns+`WHERE pool_id = $1 AND client_id = $2`, poolID, clientID)
}

func (s *Store) getBranding(ctx context.Context, query string, args ...any) (*userpool.Branding, error) {
	var (
		b   userpool.Branding
		doc string
	)
	err := s.db.QueryRow(ctx, query, args...).Scan(&b.PoolID, &b.ID, &b.ClientID, &doc, &b.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("managed login branding")
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get managed login branding: %w", err)
	}
	if err := s.docs.Decode(doc, &b.Doc); err != nil {
		return nil, fmt.Errorf("postgres: decode managed login branding: %w", err)
	}
	return &b, nil
}

// UpdateBranding replaces the style's Doc if its stored version equals b.Version.
func (s *Store) UpdateBranding(ctx context.Context, b *userpool.Branding) error {
	doc, err := s.docs.Encode(&b.Doc)
	if err != nil {
		return fmt.Errorf("postgres: encode managed login branding: %w", err)
	}
	tag, err := s.db.Exec(ctx,
		`UPDATE managed_login_brandings SET doc = $1, version = version + 1 WHERE pool_id = $2 AND id = $3 AND version = $4`,
		doc, b.PoolID, b.ID, b.Version)
	if err != nil {
		return fmt.Errorf("postgres: update managed login branding %s: %w", b.ID, err)
	}
	if err := versionMiss(ctx, s.db, tag, "managed login branding "+b.ID,
		`SELECT count(*) FROM managed_login_brandings WHERE pool_id = $1 AND id = $2`, b.PoolID, b.ID); err != nil {
		return err
	}
	b.Version++
	return nil
}

// DeleteBranding removes the style.
func (s *Store) DeleteBranding(ctx context.Context, poolID, id string) error {
	return s.execOne(ctx, "delete managed login branding "+id, `DELETE FROM managed_login_brandings WHERE pool_id = $1 AND id = $2`, poolID, id)
}

// CreateTerms stores new terms at version 1.
func (s *Store) CreateTerms(ctx context.Context, t *userpool.Terms) error {
	doc, err := s.docs.Encode(&t.Doc)
	if err != nil {
		return fmt.Errorf("postgres: encode terms: %w", err)
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO terms (pool_id, id, client_id, name, doc, version) VALUES ($1, $2, $3, $4, $5, 1)`,
		t.PoolID, t.ID, t.ClientID, t.Name, doc); err != nil {
		return insertErr("create terms "+t.ID, err)
	}
	t.Version = 1
	return nil
}

const termsColumns = `SELECT pool_id, id, client_id, name, doc, version FROM terms `

// GetTerms returns the pool's terms with this id.
func (s *Store) GetTerms(ctx context.Context, poolID, id string) (*userpool.Terms, error) {
	t, err := s.scanTerms(s.db.QueryRow(ctx, termsColumns+`WHERE pool_id = $1 AND id = $2`, poolID, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("terms " + id)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get terms %s: %w", id, err)
	}
	return t, nil
}

// ListTerms returns at most limit of the pool's terms with ids greater than after.
func (s *Store) ListTerms(ctx context.Context, poolID, after string, limit int) ([]*userpool.Terms, error) {
	rows, err := s.db.Query(ctx, termsColumns+`WHERE pool_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
		poolID, after, sqlLimit(limit))
	return collect(rows, err, "list terms", s.scanTerms)
}

// ListClientTerms returns all terms of one client, in id order.
func (s *Store) ListClientTerms(ctx context.Context, poolID, clientID string) ([]*userpool.Terms, error) {
	rows, err := s.db.Query(ctx, termsColumns+`WHERE pool_id = $1 AND client_id = $2 ORDER BY id`, poolID, clientID)
	return collect(rows, err, "list terms of client", s.scanTerms)
}

// UpdateTerms replaces the terms if the stored version equals t.Version.
func (s *Store) UpdateTerms(ctx context.Context, t *userpool.Terms) error {
	doc, err := s.docs.Encode(&t.Doc)
	if err != nil {
		return fmt.Errorf("postgres: encode terms: %w", err)
	}
	tag, err := s.db.Exec(ctx,
		`UPDATE terms SET name = $1, doc = $2, version = version + 1 WHERE pool_id = $3 AND id = $4 AND version = $5`,
		t.Name, doc, t.PoolID, t.ID, t.Version)
	if err != nil {
		return insertErr("update terms "+t.ID, err)
	}
	if err := versionMiss(ctx, s.db, tag, "terms "+t.ID, `SELECT count(*) FROM terms WHERE pool_id = $1 AND id = $2`, t.PoolID, t.ID); err != nil {
		return err
	}
	t.Version++
	return nil
}

// DeleteTerms removes the terms.
func (s *Store) DeleteTerms(ctx context.Context, poolID, id string) error {
	return s.execOne(ctx, "delete terms "+id, `DELETE FROM terms WHERE pool_id = $1 AND id = $2`, poolID, id)
}

func (s *Store) scanTerms(r pgx.Row) (*userpool.Terms, error) {
	var (
		t   userpool.Terms
		doc string
	)
	if err := r.Scan(&t.PoolID, &t.ID, &t.ClientID, &t.Name, &doc, &t.Version); err != nil {
		return nil, err
	}
	if err := s.docs.Decode(doc, &t.Doc); err != nil {
		return nil, fmt.Errorf("decode terms %s: %w", t.ID, err)
	}
	return &t, nil
}

// PutLogDelivery stores the pool's log delivery configuration.
func (s *Store) PutLogDelivery(ctx context.Context, c *userpool.LogDeliveryConfigurationType) error {
	doc, err := s.docs.Encode(c)
	if err != nil {
		return fmt.Errorf("postgres: encode log delivery configuration: %w", err)
	}
	_, err = s.db.Exec(ctx, `INSERT INTO log_delivery_configurations (pool_id, doc) VALUES ($1, $2)
		ON CONFLICT (pool_id) DO UPDATE SET doc = excluded.doc`, deref(c.UserPoolId), doc)
	if err != nil {
		return insertErr("put log delivery configuration", err)
	}
	return nil
}

// GetLogDelivery returns the pool's log delivery configuration.
func (s *Store) GetLogDelivery(ctx context.Context, poolID string) (*userpool.LogDeliveryConfigurationType, error) {
	var c userpool.LogDeliveryConfigurationType
	if err := s.getDoc(ctx, "log delivery configuration", &c,
		`SELECT doc FROM log_delivery_configurations WHERE pool_id = $1`, poolID); err != nil {
		return nil, err
	}
	return &c, nil
}

// TakeRequest counts one request of category in its one-second window unless the window is
// full: one upsert whose update is conditional on the count. PostgreSQL locks the window's
// row for the update and judges the condition on its latest version, so at Read Committed
// concurrent takes (from any process) never count past the limit. A window's first request
// also forgets the category's windows a minute old.
func (s *Store) TakeRequest(ctx context.Context, category string, second int64, free int) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, `INSERT INTO request_counts (category, second, count) VALUES ($1, $2, 1)
		ON CONFLICT (category, second) DO UPDATE SET count = request_counts.count + 1
		WHERE request_counts.count < coalesce((SELECT value FROM provisioned_limits WHERE category = $1), $3)
		RETURNING count`, category, second, free).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("postgres: take a request of %s: %w", category, err)
	}
	if n == 1 {
		if _, err := s.db.Exec(ctx, `DELETE FROM request_counts WHERE category = $1 AND second < $2`, category, second-60); err != nil {
			return true, fmt.Errorf("postgres: forget old requests of %s: %w", category, err)
		}
	}
	return true, nil
}

// PutProvisionedLimit stores a category's provisioned limit.
func (s *Store) PutProvisionedLimit(ctx context.Context, category string, value int) error {
	_, err := s.db.Exec(ctx, `INSERT INTO provisioned_limits (category, value) VALUES ($1, $2)
		ON CONFLICT (category) DO UPDATE SET value = excluded.value`, category, value)
	if err != nil {
		return fmt.Errorf("postgres: put provisioned limit of %s: %w", category, err)
	}
	return nil
}

// GetProvisionedLimit returns a category's provisioned limit, or ErrNotFound.
func (s *Store) GetProvisionedLimit(ctx context.Context, category string) (int, error) {
	var v int
	err := s.db.QueryRow(ctx, `SELECT value FROM provisioned_limits WHERE category = $1`, category).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, notFound("provisioned limit of " + category)
	}
	if err != nil {
		return 0, fmt.Errorf("postgres: get provisioned limit of %s: %w", category, err)
	}
	return v, nil
}
