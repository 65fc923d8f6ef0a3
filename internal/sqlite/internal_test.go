package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cognate/internal/userpool"
)

// TestPragmas checks the settings every connection of a file database must have: they are
// per connection, so a pool that opened a second connection without them would lose
// foreign keys (and with them the cascades) or durability without any test noticing.
// Readers also may not write (query_only): every write goes through the writer.
func TestPragmas(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "cognate.db"), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := map[string]string{"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "busy_timeout": "5000"}
	checkPragmas(t, s.wdb, "the writer", 1, want)
	want["query_only"] = "1"
	checkPragmas(t, s.db, "a reader", 3, want)
}

func checkPragmas(t *testing.T, db *sql.DB, what string, conns int, want map[string]string) {
	t.Helper()
	ctx := t.Context()
	// Hold conns connections at once so that each is a different one.
	for i := range conns {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		for name, v := range want {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+name).Scan(&got); err != nil {
				t.Fatalf("PRAGMA %s: %v", name, err)
			}
			if got != v {
				t.Errorf("%s, connection %d: PRAGMA %s = %s, want %s", what, i, name, got, v)
			}
		}
	}
}

// TestMigrateRefusesNewerSchema keeps an older cognate off a database a newer one migrated.
func TestMigrateRefusesNewerSchema(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "cognate.db")
	s, err := Open(ctx, path, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_future.sql')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := Open(ctx, path, DefaultOptions()); err == nil {
		s.Close()
		t.Fatal("Open migrated a database with a newer schema")
	}
}

// TestAttemptsPruned checks that CountAttempt forgets the subject's attempts of kind that
// left the window, and only those, so that the table stays as small as a window's traffic.
// The contract allows forgetting without requiring it, hence a test of this package's own.
func TestAttemptsPruned(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, ":memory:", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CreatePool(ctx, &userpool.Pool{ID: "us-east-1_aaaa"}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)
	count := func(subject, kind string, at time.Time) {
		t.Helper()
		if _, err := s.CountAttempt(ctx, "us-east-1_aaaa", subject, kind, at, time.Hour, 5); err != nil {
			t.Fatal(err)
		}
	}
	rows := func(subject, kind string) int {
		t.Helper()
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM attempts WHERE subject = ? AND kind = ?`,
			subject, kind).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for i := range 3 {
		count("alice", "forgot", at.Add(time.Duration(i)*time.Minute))
		count("alice", "confirm", at)
		count("bob", "forgot", at)
	}
	// At at+1h+1m the attempts at at and at+1m have left the window; the one at +2m has not.
	count("alice", "forgot", at.Add(time.Hour+time.Minute))
	if n := rows("alice", "forgot"); n != 2 {
		t.Errorf("alice's forgot attempts: %d rows, want 2", n)
	}
	if n := rows("alice", "confirm"); n != 3 {
		t.Errorf("alice's confirm attempts: %d rows, want 3 (another kind is not pruned)", n)
	}
	if n := rows("bob", "forgot"); n != 3 {
		t.Errorf("bob's forgot attempts: %d rows, want 3 (another subject is not pruned)", n)
	}
}

// TestShadowRowsBounded: the shadow state of a name (IssueCode's Shadow) is one row in
// each shadow table however often the name asks, as a user has one code.
func TestShadowRowsBounded(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, ":memory:", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const pool = "us-east-1_aaaa"
	if err := s.CreatePool(ctx, &userpool.Pool{ID: pool}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)
	for i, name := range []string{"nobody", "nobody", "nobody", "somebody"} {
		when := at.Add(time.Duration(i) * time.Second)
		if _, err := s.IssueCode(ctx, &userpool.CodeIssue{PoolID: pool, At: when, Shadow: true,
			Code: &userpool.Code{PoolID: pool, UserSub: "shadow:" + name, Purpose: "recovery", MAC: []byte{byte(i)},
				CreatedAt: when, ExpiresAt: when.Add(time.Hour)},
			Message: &userpool.Message{MessageID: "m" + string(rune('0'+i)), UserPoolID: pool, Username: name,
				DeliveryMedium: "EMAIL", Channel: "inbox", Status: "delivered", CreatedAt: when, DeliveredAt: when},
			Event: &userpool.UserEvent{UserSub: "shadow:" + name, Event: &userpool.AuthEventType{}},
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, table := range []string{"shadow_codes", "shadow_messages", "shadow_auth_events"} {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("%s: %d rows after four requests of two names, want 2", table, n)
		}
	}
	for _, table := range []string{"codes", "messages", "auth_events"} {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s: %d rows, want none (shadows are not written there)", table, n)
		}
	}
}

// TestWipedBodyLeavesNoTrace proves that a message body wiped after delivery (FinishMessage
// with an empty Body) is gone from the files once the store is closed, not merely unlinked.
func TestWipedBodyLeavesNoTrace(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	s, err := Open(ctx, path, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	// Long enough to spill onto overflow pages, which an update frees rather than rewrites.
	secret := strings.Repeat("Your password reset code is 918273. ", 200)
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	m := &userpool.Message{MessageID: "m1", UserPoolID: "us-east-1_p", Username: "jane", DeliveryMedium: "EMAIL",
		Destination: "jane@example.com", Subject: "s", Body: secret, TriggerSource: "t", CreatedAt: now,
		Channel: "smtp", Status: "queued", NextAttemptAt: now}
	if _, err := s.IssueCode(ctx, &userpool.CodeIssue{PoolID: m.UserPoolID, At: now, Message: m}); err != nil {
		t.Fatal(err)
	}
	claimed, err := s.ClaimMessages(ctx, "d", now, time.Minute, 10)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %v, %d", err, len(claimed))
	}
	m.Status, m.Body, m.Attempts, m.DeliveredAt = "delivered", "", 1, now
	if err := s.FinishMessage(ctx, m, "d"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(path + "*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("918273")) {
			t.Errorf("%s still holds the delivered code", filepath.Base(f))
		}
	}
}

func TestBackupTo(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	s, err := Open(ctx, filepath.Join(dir, "live.db"), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.PendingMigrations(ctx); err != nil || n != 0 {
		t.Fatalf("PendingMigrations of a migrated store = %d, %v", n, err)
	}
	if err := s.CreatePool(ctx, &userpool.Pool{ID: "us-east-1_backup"}); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(dir, "copy.db")
	if err := s.BackupTo(ctx, copyPath); err != nil {
		t.Fatal(err)
	}
	if err := s.BackupTo(ctx, copyPath); err == nil {
		t.Error("a second BackupTo over an existing file succeeded")
	}
	c, err := Open(ctx, copyPath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.GetPool(ctx, "us-east-1_backup"); err != nil {
		t.Errorf("the copy lacks the pool: %v", err)
	}
	if n, err := c.PendingMigrations(ctx); err != nil || n != 0 {
		t.Errorf("PendingMigrations of the copy = %d, %v", n, err)
	}
	fresh, err := Open(ctx, ":memory:", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if n, _ := fresh.PendingMigrations(ctx); n == 0 {
		t.Error("an unmigrated store reports no pending migrations")
	}
}
