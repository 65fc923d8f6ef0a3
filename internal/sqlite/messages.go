package sqlite

import (
	"context"
	"fmt"
	"strings"

	"cognate/internal/userpool"
)

// AddMessage stores a message in the built-in inbox; ErrConflict if its MessageID is taken.
func (s *Store) AddMessage(ctx context.Context, m *userpool.Message) error {
	_, err := s.db.ExecContext(ctx,
		`INSERT INTO messages (id, pool_id, username, delivery_medium, destination, subject, body, trigger_source, created_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.MessageID, m.UserPoolID, m.Username, m.DeliveryMedium, m.Destination, m.Subject, m.Body,
		m.TriggerSource, micros(m.CreatedAt))
	if err != nil {
		return insertErr("add message "+m.MessageID, err)
	}
	return nil
}

// ListMessages returns the inbox's messages matching f, newest first; of messages written
// at the same instant, the one added last comes first.
func (s *Store) ListMessages(ctx context.Context, f userpool.MessageFilter) ([]*userpool.Message, error) {
	var (
		where []string
		args  []any
	)
	for _, c := range []struct{ column, value string }{
		{"pool_id", f.UserPoolID}, {"username", f.Username}, {"destination", f.Destination},
	} {
		if c.value != "" {
			where = append(where, c.column+" = ?")
			args = append(args, c.value)
		}
	}
	query := `SELECT id, pool_id, username, delivery_medium, destination, subject, body, trigger_source, created_at
		FROM messages`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY created_at DESC, seq DESC"
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list messages: %w", err)
	}
	return collect(rows, scanMessage)
}

// ClearMessages empties the inbox.
func (s *Store) ClearMessages(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM messages`); err != nil {
		return fmt.Errorf("sqlite: clear messages: %w", err)
	}
	return nil
}

func scanMessage(r scanner) (*userpool.Message, error) {
	var (
		m       userpool.Message
		created int64
	)
	if err := r.Scan(&m.MessageID, &m.UserPoolID, &m.Username, &m.DeliveryMedium, &m.Destination,
		&m.Subject, &m.Body, &m.TriggerSource, &created); err != nil {
		return nil, err
	}
	m.CreatedAt = fromMicros(created)
	return &m, nil
}
