package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"cognate/internal/userpool"
)

// StartSession stores a sign-in session and clears the given counters, in one transaction;
// ErrConflict if its id exists, ErrNotFound if its user (or pool) does not.
func (s *Store) StartSession(ctx context.Context, se *userpool.Session, clear ...userpool.Counter) error {
	return s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		_, err := tx.Exec(ctx,
			`INSERT INTO sessions (id, pool_id, client_id, user_sub, auth_time, created_at, expires_at, revoked_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			se.ID, se.PoolID, se.ClientID, se.UserSub, ts(se.AuthTime), ts(se.CreatedAt), ts(se.ExpiresAt),
			nullTS(se.RevokedAt))
		if err != nil {
			return insertErr("create session "+se.ID, err)
		}
		for _, c := range clear {
			if err := clearAttempts(ctx, tx, se.PoolID, c); err != nil {
				return err
			}
		}
		return nil
	})
}

// GetSession returns the session or ErrNotFound.
func (s *Store) GetSession(ctx context.Context, id string) (*userpool.Session, error) {
	var (
		se      userpool.Session
		revoked *time.Time
	)
	err := s.db.QueryRow(ctx,
		`SELECT id, pool_id, client_id, user_sub, auth_time, created_at, expires_at, revoked_at
		 FROM sessions WHERE id = $1`, id).
		Scan(&se.ID, &se.PoolID, &se.ClientID, &se.UserSub, &se.AuthTime, &se.CreatedAt, &se.ExpiresAt, &revoked)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("session " + id)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get session %s: %w", id, err)
	}
	se.AuthTime, se.CreatedAt, se.ExpiresAt = se.AuthTime.UTC(), se.CreatedAt.UTC(), se.ExpiresAt.UTC()
	se.RevokedAt = fromNull(revoked)
	return &se, nil
}

// RevokeSession marks the session revoked at at. A session revoked already keeps the time
// of its first revocation (coalesce re-reads the row a concurrent revocation committed).
func (s *Store) RevokeSession(ctx context.Context, id string, at time.Time) error {
	return s.execOne(ctx, "revoke session "+id,
		`UPDATE sessions SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2`, ts(at), id)
}

// SigningKeys returns the installation's token signing keys, oldest first; of keys made in
// the same microsecond, in id order.
func (s *Store) SigningKeys(ctx context.Context) ([]*userpool.SigningKeyRecord, error) {
	rows, err := s.db.Query(ctx, `SELECT id, sealed, created_at FROM signing_keys ORDER BY created_at, id`)
	return collect(rows, err, "list signing keys", func(r pgx.Row) (*userpool.SigningKeyRecord, error) {
		var k userpool.SigningKeyRecord
		if err := r.Scan(&k.ID, &k.Sealed, &k.CreatedAt); err != nil {
			return nil, err
		}
		k.CreatedAt = k.CreatedAt.UTC()
		return &k, nil
	})
}

// AddSigningKey stores a new signing key; ErrConflict if its id exists.
func (s *Store) AddSigningKey(ctx context.Context, k *userpool.SigningKeyRecord) error {
	if _, err := s.db.Exec(ctx, `INSERT INTO signing_keys (id, sealed, created_at) VALUES ($1, $2, $3)`,
		k.ID, k.Sealed, ts(k.CreatedAt)); err != nil {
		return insertErr("add signing key "+k.ID, err)
	}
	return nil
}

// AddPoolCertificate stores a pool's signing certificate; ErrConflict if it has one,
// ErrNotFound if the pool does not exist.
func (s *Store) AddPoolCertificate(ctx context.Context, c *userpool.PoolCertificate) error {
	if _, err := s.db.Exec(ctx, `INSERT INTO pool_certificates (pool_id, cert, sealed_key, created_at) VALUES ($1, $2, $3, $4)`,
		c.PoolID, c.DER, c.SealedKey, ts(c.CreatedAt)); err != nil {
		return insertErr("add the certificate of pool "+c.PoolID, err)
	}
	return nil
}

// PoolCertificate returns the pool's signing certificate, or ErrNotFound.
func (s *Store) PoolCertificate(ctx context.Context, poolID string) (*userpool.PoolCertificate, error) {
	c := userpool.PoolCertificate{PoolID: poolID}
	err := s.db.QueryRow(ctx, `SELECT cert, sealed_key, created_at FROM pool_certificates WHERE pool_id = $1`, poolID).
		Scan(&c.DER, &c.SealedKey, &c.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("certificate of pool " + poolID)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: read the certificate of pool %s: %w", poolID, err)
	}
	c.CreatedAt = c.CreatedAt.UTC()
	return &c, nil
}

// PutRiskConfiguration stores the risk configuration of a pool or one of its clients,
// replacing the one there was; ErrNotFound if the pool does not exist.
func (s *Store) PutRiskConfiguration(ctx context.Context, r *userpool.RiskConfigurationType) error {
	doc, err := s.docs.Encode(r)
	if err != nil {
		return fmt.Errorf("postgres: encode risk configuration: %w", err)
	}
	_, err = s.db.Exec(ctx,
		`INSERT INTO risk_configurations (pool_id, client_id, doc) VALUES ($1, $2, $3)
		 ON CONFLICT (pool_id, client_id) DO UPDATE SET doc = excluded.doc`,
		deref(r.UserPoolId), deref(r.ClientId), doc)
	if err != nil {
		return insertErr("put risk configuration", err)
	}
	return nil
}

// GetRiskConfiguration returns the risk configuration of a pool (clientID "") or a client,
// or ErrNotFound.
func (s *Store) GetRiskConfiguration(ctx context.Context, poolID, clientID string) (*userpool.RiskConfigurationType, error) {
	var r userpool.RiskConfigurationType
	if err := s.getDoc(ctx, "risk configuration", &r,
		`SELECT doc FROM risk_configurations WHERE pool_id = $1 AND client_id = $2`, poolID, clientID); err != nil {
		return nil, err
	}
	return &r, nil
}

// AddAuthEvent records an auth event of a user; ErrNotFound if the user does not exist.
func (s *Store) AddAuthEvent(ctx context.Context, poolID, userSub string, e *userpool.AuthEventType) error {
	return s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		return s.addAuthEvent(ctx, tx, poolID, &userpool.UserEvent{UserSub: userSub, Event: e})
	})
}

// addAuthEvent inserts an event; its seq comes from an identity column, so that an event
// added after another committed has the greater one.
func (s *Store) addAuthEvent(ctx context.Context, tx pgx.Tx, poolID string, e *userpool.UserEvent) error {
	return s.putAuthEvent(ctx, tx, `INSERT INTO auth_events (pool_id, user_sub, doc) VALUES ($1, $2, $3)`, poolID, e)
}

// addShadowAuthEvent keeps the event of a request for a name the caller may not learn
// about where no listing reads it: the name's newest replaces the last.
func (s *Store) addShadowAuthEvent(ctx context.Context, tx pgx.Tx, poolID string, e *userpool.UserEvent) error {
	return s.putAuthEvent(ctx, tx, `INSERT INTO shadow_auth_events (pool_id, user_sub, doc) VALUES ($1, $2, $3)
		 ON CONFLICT (pool_id, user_sub) DO UPDATE SET doc = excluded.doc`, poolID, e)
}

func (s *Store) putAuthEvent(ctx context.Context, tx pgx.Tx, stmt, poolID string, e *userpool.UserEvent) error {
	doc, err := s.docs.Encode(e.Event)
	if err != nil {
		return fmt.Errorf("postgres: encode auth event: %w", err)
	}
	if _, err := tx.Exec(ctx, stmt, poolID, e.UserSub, doc); err != nil {
		return insertErr("add auth event", err)
	}
	return nil
}

// SetAuthEventFeedback records feedback on one of the user's events; ErrNotFound if the
// user has no event with this id. The event's row is locked from its read to its write.
func (s *Store) SetAuthEventFeedback(ctx context.Context, poolID, userSub, eventID string, fb *userpool.EventFeedbackType) error {
	return s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		var (
			seq int64
			doc string
			ev  userpool.AuthEventType
		)
		err := tx.QueryRow(ctx, `SELECT seq, doc FROM auth_events WHERE pool_id = $1 AND user_sub = $2 AND doc::jsonb ->> 'EventId' = $3 FOR UPDATE`,
			poolID, userSub, eventID).Scan(&seq, &doc)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("auth event " + eventID)
		}
		if err != nil {
			return fmt.Errorf("postgres: read auth event: %w", err)
		}
		if err := s.docs.Decode(doc, &ev); err != nil {
			return fmt.Errorf("postgres: decode auth event: %w", err)
		}
		ev.EventFeedback = fb
		if doc, err = s.docs.Encode(&ev); err != nil {
			return fmt.Errorf("postgres: encode auth event: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE auth_events SET doc = $1 WHERE seq = $2`, doc, seq); err != nil {
			return fmt.Errorf("postgres: update auth event: %w", err)
		}
		return nil
	})
}

// ListAuthEvents returns at most limit of the user's events older than the cursor before
// (0: from the newest), newest first, each with its cursor.
func (s *Store) ListAuthEvents(ctx context.Context, poolID, userSub string, before int64, limit int) ([]userpool.AuthEventRecord, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := s.db.Query(ctx,
		`SELECT seq, doc FROM auth_events WHERE pool_id = $1 AND user_sub = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4`,
		poolID, userSub, before, sqlLimit(limit))
	return collect(rows, err, "list auth events", func(r pgx.Row) (userpool.AuthEventRecord, error) {
		var (
			rec userpool.AuthEventRecord
			doc string
		)
		if err := r.Scan(&rec.Seq, &doc); err != nil {
			return rec, err
		}
		if err := s.docs.Decode(doc, &rec.Event); err != nil {
			return rec, fmt.Errorf("decode auth event: %w", err)
		}
		return rec, nil
	})
}
