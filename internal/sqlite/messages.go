package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"cognate/internal/userpool"
)

// messageColumns are the columns a message is read from, in scanMessage's order.
const messageColumns = `id, pool_id, username, delivery_medium, destination, subject, body, html, from_addr, reply_to,
	trigger_source, created_at, channel, status, attempts, next_attempt_at, last_error, delivered_at,
	code_sub, code_purpose, code_mac, code_expires_at, shaped_by`

// execer is what inserts a message: the database or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func insertMessage(ctx context.Context, db execer, m *userpool.Message) error {
	return putMessage(ctx, db, `INSERT INTO messages`, m)
}

// insertShadowMessage writes the message of a request for a name the caller may not learn
// about to shadow_messages, which nothing lists or delivers: the name's newest replaces
// the last.
func insertShadowMessage(ctx context.Context, db execer, m *userpool.Message) error {
	return putMessage(ctx, db, `INSERT OR REPLACE INTO shadow_messages`, m)
}

// putMessage writes m with insert, the statement's start naming the table.
func putMessage(ctx context.Context, db execer, insert string, m *userpool.Message) error {
	var sub, purpose sql.Null[string]
	var mac []byte
	var expires sql.Null[int64]
	if c := m.Code; c != nil {
		sub, purpose = sql.Null[string]{V: c.UserSub, Valid: true}, sql.Null[string]{V: c.Purpose, Valid: true}
		mac, expires = c.MAC, sql.Null[int64]{V: micros(c.ExpiresAt), Valid: true}
	}
	_, err := db.ExecContext(ctx,
		insert+` (id, pool_id, username, delivery_medium, destination, subject, body, html, from_addr,
		 reply_to, trigger_source, created_at, channel, status, attempts, next_attempt_at, last_error, delivered_at,
		 code_sub, code_purpose, code_mac, code_expires_at, lease_owner, lease_until, shaped_by)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.MessageID, m.UserPoolID, m.Username, m.DeliveryMedium, m.Destination, m.Subject, m.Body, m.HTML, m.From,
		m.ReplyTo, m.TriggerSource, micros(m.CreatedAt), m.Channel, m.Status,
		m.Attempts, micros(m.NextAttemptAt), m.LastError, nullMicros(m.DeliveredAt), sub, purpose, mac, expires,
		sql.Null[string]{V: m.LeaseOwner, Valid: m.LeaseOwner != ""}, nullMicros(m.LeaseUntil), m.ShapedBy)
	if err != nil {
		return insertErr("add message "+m.MessageID, err)
	}
	return nil
}

// ListMessages returns the messages matching f, newest first; of messages written at the
// same instant, the one added last comes first.
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
	query := `SELECT ` + messageColumns + ` FROM messages`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY created_at DESC, seq DESC"
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list messages: %w", err)
	}
	return collect(rows, scanMessage)
}

// ClearMessages empties the inbox.
func (s *Store) ClearMessages(ctx context.Context) error {
	if _, err := s.exec(ctx, `DELETE FROM messages`); err != nil {
		return fmt.Errorf("sqlite: clear messages: %w", err)
	}
	return nil
}

// ClaimMessages leases due queued messages to owner. The select and the update are one
// write transaction, so two dispatchers never claim the same row.
func (s *Store) ClaimMessages(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]*userpool.Message, error) {
	var out []*userpool.Message
	err := s.inTx(ctx, func(ctx context.Context, tx *txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+messageColumns+` FROM messages
			WHERE status = 'queued' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
			ORDER BY next_attempt_at, seq LIMIT ?`, micros(now), micros(now), sqlLimit(limit))
		if err != nil {
			return fmt.Errorf("sqlite: claim messages: %w", err)
		}
		if out, err = collect(rows, scanMessage); err != nil {
			return err
		}
		for _, m := range out {
			if _, err := tx.ExecContext(ctx, `UPDATE messages SET lease_owner = ?, lease_until = ? WHERE id = ?`,
				owner, micros(now.Add(lease)), m.MessageID); err != nil {
				return fmt.Errorf("sqlite: claim message: %w", err)
			}
		}
		return nil
	})
	return out, err
}

// FinishMessage records a delivery attempt's outcome if owner still holds the lease.
func (s *Store) FinishMessage(ctx context.Context, m *userpool.Message, owner string) error {
	res, err := s.exec(ctx, `UPDATE messages SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?,
		delivered_at = ?, body = ?, html = ?, lease_owner = NULL, lease_until = NULL
		WHERE id = ? AND lease_owner = ?`,
		m.Status, m.Attempts, micros(m.NextAttemptAt), m.LastError, nullMicros(m.DeliveredAt), m.Body, m.HTML,
		m.MessageID, owner)
	if err != nil {
		return fmt.Errorf("sqlite: finish message %s: %w", m.MessageID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlite: finish message %s: lease lost: %w", m.MessageID, userpool.ErrConflict)
	}
	return nil
}

func scanMessage(r scanner) (*userpool.Message, error) {
	var (
		m                      userpool.Message
		created, next          int64
		delivered, codeExpires sql.Null[int64]
		codeSub, codePurpose   sql.Null[string]
		codeMAC                []byte
	)
	if err := r.Scan(&m.MessageID, &m.UserPoolID, &m.Username, &m.DeliveryMedium, &m.Destination,
		&m.Subject, &m.Body, &m.HTML, &m.From, &m.ReplyTo, &m.TriggerSource, &created, &m.Channel, &m.Status,
		&m.Attempts, &next, &m.LastError, &delivered, &codeSub, &codePurpose, &codeMAC, &codeExpires, &m.ShapedBy); err != nil {
		return nil, err
	}
	m.CreatedAt, m.NextAttemptAt = fromMicros(created), fromMicros(next)
	if delivered.Valid {
		m.DeliveredAt = fromMicros(delivered.V)
	}
	if codeSub.Valid {
		m.Code = &userpool.CodeRef{UserSub: codeSub.V, Purpose: codePurpose.V, MAC: codeMAC, ExpiresAt: fromMicros(codeExpires.V)}
	}
	return &m, nil
}

// ReleaseMessages frees the leases owner holds on queued messages.
func (s *Store) ReleaseMessages(ctx context.Context, owner string) error {
	if _, err := s.exec(ctx, `UPDATE messages SET lease_owner = NULL, lease_until = NULL
		WHERE lease_owner = ? AND status = 'queued'`, owner); err != nil {
		return fmt.Errorf("sqlite: release messages: %w", err)
	}
	return nil
}

// CountQueuedMessages returns the queued messages by channel.
func (s *Store) CountQueuedMessages(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT channel, count(*) FROM messages WHERE status = 'queued' GROUP BY channel`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: count queued messages: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var ch string
		var n int
		if err := rows.Scan(&ch, &n); err != nil {
			return nil, fmt.Errorf("sqlite: count queued messages: %w", err)
		}
		out[ch] = n
	}
	return out, rows.Err()
}
