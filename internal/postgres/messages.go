package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"cognate/internal/userpool"
)

// messageColumns are the columns a message is read from, in scanMessage's order.
const messageColumns = `id, pool_id, username, delivery_medium, destination, subject, body, html, from_addr, reply_to,
	trigger_source, created_at, channel, status, attempts, next_attempt_at, last_error, delivered_at,
	code_sub, code_purpose, code_mac, code_expires_at, shaped_by`

func insertMessage(ctx context.Context, tx pgx.Tx, m *userpool.Message) error {
	return putMessage(ctx, tx, `INSERT INTO messages`, ``, m)
}

// insertShadowMessage writes the message of a request for a name the caller may not learn
// about to shadow_messages, which nothing lists or delivers: the name's newest replaces
// the last.
func insertShadowMessage(ctx context.Context, tx pgx.Tx, m *userpool.Message) error {
	return putMessage(ctx, tx, `INSERT INTO shadow_messages`, shadowMessageUpsert, m)
}

// writeColumns are the columns a message is written to, in putMessage's order.
var writeColumns = []string{"id", "pool_id", "username", "delivery_medium", "destination", "subject", "body", "html",
	"from_addr", "reply_to", "trigger_source", "created_at", "channel", "status", "attempts", "next_attempt_at",
	"last_error", "delivered_at", "code_sub", "code_purpose", "code_mac", "code_expires_at", "lease_owner",
	"lease_until", "shaped_by"}

// shadowMessageUpsert replaces a name's shadow message with its newest.
var shadowMessageUpsert = func() string {
	set := make([]string, len(writeColumns))
	for i, c := range writeColumns {
		set[i] = c + " = excluded." + c
	}
	return ` ON CONFLICT (pool_id, username) DO UPDATE SET ` + strings.Join(set, ", ")
}()

// putMessage writes m with insert (the statement's start, naming the table) and then,
// the conflict clause.
func putMessage(ctx context.Context, tx pgx.Tx, insert, then string, m *userpool.Message) error {
	var sub, purpose *string
	var mac []byte
	var expires *time.Time
	if c := m.Code; c != nil {
		e := ts(c.ExpiresAt)
		sub, purpose, mac, expires = &c.UserSub, &c.Purpose, c.MAC, &e
	}
	var owner *string
	if m.LeaseOwner != "" {
		owner = &m.LeaseOwner
	}
	_, err := tx.Exec(ctx,
		insert+` (`+strings.Join(writeColumns, ", ")+`)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)`+then,
		m.MessageID, m.UserPoolID, m.Username, m.DeliveryMedium, m.Destination, m.Subject, m.Body, m.HTML, m.From,
		m.ReplyTo, m.TriggerSource, ts(m.CreatedAt), m.Channel, m.Status,
		m.Attempts, ts(m.NextAttemptAt), m.LastError, nullTS(m.DeliveredAt), sub, purpose, mac, expires,
		owner, nullTS(m.LeaseUntil), m.ShapedBy)
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
			args = append(args, c.value)
			where = append(where, c.column+" = $"+strconv.Itoa(len(args)))
		}
	}
	query := `SELECT ` + messageColumns + ` FROM messages`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY created_at DESC, seq DESC"
	rows, err := s.db.Query(ctx, query, args...)
	return collect(rows, err, "list messages", scanMessage)
}

// ClearMessages empties the inbox.
func (s *Store) ClearMessages(ctx context.Context) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM messages`); err != nil {
		return fmt.Errorf("postgres: clear messages: %w", err)
	}
	return nil
}

// ClaimMessages leases due queued messages to owner in one statement. Its subquery locks
// the rows it picks FOR UPDATE SKIP LOCKED: a row another claimer is leasing at that moment
// is passed over rather than waited for, and a row whose lease was taken and committed
// meanwhile no longer matches when PostgreSQL re-checks it under the lock. So concurrent
// claimers get disjoint messages, and none waits on another.
func (s *Store) ClaimMessages(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]*userpool.Message, error) {
	rows, err := s.db.Query(ctx, `UPDATE messages SET lease_owner = $1, lease_until = $2
		WHERE seq IN (SELECT seq FROM messages
			WHERE status = 'queued' AND next_attempt_at <= $3 AND (lease_until IS NULL OR lease_until <= $3)
			ORDER BY next_attempt_at, seq LIMIT $4 FOR UPDATE SKIP LOCKED)
		RETURNING seq, `+messageColumns, owner, ts(now.Add(lease)), ts(now), sqlLimit(limit))
	type claimed struct {
		seq int64
		m   *userpool.Message
	}
	out, err := collect(rows, err, "claim messages", func(r pgx.Row) (claimed, error) {
		var c claimed
		m, err := scanMessageWith(r, &c.seq)
		c.m = m
		return c, err
	})
	if err != nil {
		return nil, err
	}
	// RETURNING keeps no order: oldest first, as claimed.
	slices.SortFunc(out, func(a, b claimed) int {
		if c := a.m.NextAttemptAt.Compare(b.m.NextAttemptAt); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	ms := make([]*userpool.Message, len(out))
	for i, c := range out {
		ms[i] = c.m
	}
	return ms, nil
}

// FinishMessage records a delivery attempt's outcome if owner still holds the lease: the
// check is the UPDATE's WHERE, so an owner whose lease was taken records nothing.
func (s *Store) FinishMessage(ctx context.Context, m *userpool.Message, owner string) error {
	tag, err := s.db.Exec(ctx, `UPDATE messages SET status = $1, attempts = $2, next_attempt_at = $3, last_error = $4,
		delivered_at = $5, body = $6, html = $7, lease_owner = NULL, lease_until = NULL
		WHERE id = $8 AND lease_owner = $9`,
		m.Status, m.Attempts, ts(m.NextAttemptAt), m.LastError, nullTS(m.DeliveredAt), m.Body, m.HTML,
		m.MessageID, owner)
	if err != nil {
		return fmt.Errorf("postgres: finish message %s: %w", m.MessageID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: finish message %s: lease lost: %w", m.MessageID, userpool.ErrConflict)
	}
	return nil
}

// ReleaseMessages frees the leases owner holds on queued messages.
func (s *Store) ReleaseMessages(ctx context.Context, owner string) error {
	if _, err := s.db.Exec(ctx, `UPDATE messages SET lease_owner = NULL, lease_until = NULL
		WHERE lease_owner = $1 AND status = 'queued'`, owner); err != nil {
		return fmt.Errorf("postgres: release messages: %w", err)
	}
	return nil
}

// CountQueuedMessages returns the queued messages by channel.
func (s *Store) CountQueuedMessages(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.Query(ctx, `SELECT channel, count(*) FROM messages WHERE status = 'queued' GROUP BY channel`)
	type count struct {
		channel string
		n       int
	}
	counts, err := collect(rows, err, "count queued messages", func(r pgx.Row) (count, error) {
		var c count
		return c, r.Scan(&c.channel, &c.n)
	})
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, c := range counts {
		out[c.channel] = c.n
	}
	return out, nil
}

func scanMessage(r pgx.Row) (*userpool.Message, error) { return scanMessageWith(r) }

// scanMessageWith scans a message after the columns of first.
func scanMessageWith(r pgx.Row, first ...any) (*userpool.Message, error) {
	var (
		m                      userpool.Message
		delivered, codeExpires *time.Time
		codeSub, codePurpose   *string
		codeMAC                []byte
	)
	dest := append(first, &m.MessageID, &m.UserPoolID, &m.Username, &m.DeliveryMedium, &m.Destination,
		&m.Subject, &m.Body, &m.HTML, &m.From, &m.ReplyTo, &m.TriggerSource, &m.CreatedAt, &m.Channel, &m.Status,
		&m.Attempts, &m.NextAttemptAt, &m.LastError, &delivered, &codeSub, &codePurpose, &codeMAC, &codeExpires, &m.ShapedBy)
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	m.CreatedAt, m.NextAttemptAt = m.CreatedAt.UTC(), m.NextAttemptAt.UTC()
	m.DeliveredAt = fromNull(delivered)
	if codeSub != nil {
		m.Code = &userpool.CodeRef{UserSub: *codeSub, Purpose: deref(codePurpose), MAC: codeMAC, ExpiresAt: fromNull(codeExpires)}
	}
	return &m, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
