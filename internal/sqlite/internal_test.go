package sqlite

import (
	"path/filepath"
	"testing"
)

// TestPragmas checks the settings every connection of a file database must have: they are
// per connection, so a pool that opened a second connection without them would lose
// foreign keys (and with them the cascades) or durability without any test noticing.
func TestPragmas(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "cognate.db"), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := map[string]string{"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "busy_timeout": "5000"}
	// Hold three connections at once so that each is a different one.
	for i := range 3 {
		c, err := s.db.Conn(ctx)
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
				t.Errorf("connection %d: PRAGMA %s = %s, want %s", i, name, got, v)
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
	if _, err := s.db.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_future.sql')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := Open(ctx, path, DefaultOptions()); err == nil {
		s.Close()
		t.Fatal("Open migrated a database with a newer schema")
	}
}
