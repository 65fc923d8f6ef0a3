package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"cognate/internal/userpool"
)

// PutRiskConfiguration stores the risk configuration of a pool or one of its clients,
// replacing the one there was; ErrNotFound if the pool does not exist.
func (s *Store) PutRiskConfiguration(ctx context.Context, r *userpool.RiskConfigurationType) error {
	doc, err := s.docs.Encode(r)
	if err != nil {
		return fmt.Errorf("sqlite: encode risk configuration: %w", err)
	}
	_, err = s.exec(ctx,
		`INSERT INTO risk_configurations (pool_id, client_id, doc) VALUES (?, ?, ?)
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
	var doc string
	err := s.read.QueryRowContext(ctx,
		`SELECT doc FROM risk_configurations WHERE pool_id = ? AND client_id = ?`, poolID, clientID).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("risk configuration")
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get risk configuration: %w", err)
	}
	var r userpool.RiskConfigurationType
	if err := s.docs.Decode(doc, &r); err != nil {
		return nil, fmt.Errorf("sqlite: decode risk configuration: %w", err)
	}
	return &r, nil
}

// AddAuthEvent records an auth event of a user; ErrNotFound if the user does not exist.
func (s *Store) AddAuthEvent(ctx context.Context, poolID, userSub string, e *userpool.AuthEventType) error {
	return s.inTx(ctx, func(ctx context.Context, tx *txn) error {
		return s.addAuthEvent(ctx, tx, poolID, &userpool.UserEvent{UserSub: userSub, Event: e})
	})
}

func (s *Store) addAuthEvent(ctx context.Context, db execer, poolID string, e *userpool.UserEvent) error {
	return s.putAuthEvent(ctx, db, `INSERT INTO auth_events (pool_id, user_sub, doc) VALUES (?, ?, ?)`, poolID, e)
}

// addShadowAuthEvent keeps the event of a request for a name the caller may not learn
// about where no listing reads it: the name's newest replaces the last.
func (s *Store) addShadowAuthEvent(ctx context.Context, db execer, poolID string, e *userpool.UserEvent) error {
	return s.putAuthEvent(ctx, db, `INSERT OR REPLACE INTO shadow_auth_events (pool_id, user_sub, doc) VALUES (?, ?, ?)`, poolID, e)
}

func (s *Store) putAuthEvent(ctx context.Context, db execer, stmt, poolID string, e *userpool.UserEvent) error {
	doc, err := s.docs.Encode(e.Event)
	if err != nil {
		return fmt.Errorf("sqlite: encode auth event: %w", err)
	}
	_, err = db.ExecContext(ctx, stmt, poolID, e.UserSub, doc)
	if err != nil {
		return insertErr("add auth event", err)
	}
	return nil
}

// ListAuthEvents returns at most limit of the user's events older than the cursor before
// (0: from the newest), newest first, each with its cursor.
func (s *Store) ListAuthEvents(ctx context.Context, poolID, userSub string, before int64, limit int) ([]userpool.AuthEventRecord, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := s.read.QueryContext(ctx,
		`SELECT seq, doc FROM auth_events WHERE pool_id = ? AND user_sub = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
		poolID, userSub, before, sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("sqlite: list auth events: %w", err)
	}
	defer rows.Close()
	var out []userpool.AuthEventRecord
	for rows.Next() {
		var (
			rec userpool.AuthEventRecord
			doc string
		)
		if err := rows.Scan(&rec.Seq, &doc); err != nil {
			return nil, fmt.Errorf("sqlite: list auth events: %w", err)
		}
		if err := s.docs.Decode(doc, &rec.Event); err != nil {
			return nil, fmt.Errorf("sqlite: decode auth event: %w", err)
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// SetAuthEventFeedback records feedback on one of the user's events; ErrNotFound if the
// user has no event with this id.
func (s *Store) SetAuthEventFeedback(ctx context.Context, poolID, userSub, eventID string, fb *userpool.EventFeedbackType) error {
	return s.inTx(ctx, func(ctx context.Context, tx *txn) error {
		var (
			seq int64
			doc string
			ev  userpool.AuthEventType
		)
		err := tx.QueryRowContext(ctx, `SELECT seq, doc FROM auth_events WHERE pool_id = ? AND user_sub = ? AND json_extract(doc, '$.EventId') = ?`,
			poolID, userSub, eventID).Scan(&seq, &doc)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("auth event " + eventID)
		}
		if err != nil {
			return fmt.Errorf("sqlite: read auth event: %w", err)
		}
		if err := s.docs.Decode(doc, &ev); err != nil {
			return fmt.Errorf("sqlite: decode auth event: %w", err)
		}
		ev.EventFeedback = fb
		if doc, err = s.docs.Encode(&ev); err != nil {
			return fmt.Errorf("sqlite: encode auth event: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE auth_events SET doc = ? WHERE seq = ?`, doc, seq); err != nil {
			return fmt.Errorf("sqlite: update auth event: %w", err)
		}
		return nil
	})
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
