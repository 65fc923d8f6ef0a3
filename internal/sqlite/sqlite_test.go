package sqlite_test

import (
	"path/filepath"
	"testing"

	"cognate/internal/sqlite"
	"cognate/internal/userpool"
	"cognate/internal/userpool/userpooltest"
)

func open(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), path, sqlite.DefaultOptions())
	if err != nil {
		t.Fatalf("Open %s: %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStoreMemory(t *testing.T) {
	userpooltest.TestStore(t, func(t *testing.T) userpool.Store {
		return open(t, ":memory:")
	})
}

func TestStoreFile(t *testing.T) {
	userpooltest.TestStore(t, func(t *testing.T) userpool.Store {
		return open(t, filepath.Join(t.TempDir(), "cognate.db"))
	})
}

func TestRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cognate.db")
	userpooltest.TestRestart(t, func(t *testing.T) userpool.Store {
		return open(t, path)
	})
}

// TestOpenFresh opens a database in directories that do not exist yet, as the default
// ./cognate-data/cognate.db does on a fresh checkout, and opens it again: migrations that
// ran once do not run twice.
func TestOpenFresh(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "a", "b", "cognate.db")
	s := open(t, path)
	p := &userpool.Pool{ID: "us-east-1_fresh"}
	if err := s.CreatePool(ctx, p); err != nil {
		t.Fatalf("CreatePool: %v", err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate again: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s = open(t, path)
	if _, err := s.GetPool(ctx, p.ID); err != nil {
		t.Fatalf("GetPool after reopening: %v", err)
	}
}

// TestOpenWithoutMigrate leaves the schema alone until Migrate is called, as `cognate serve
// --migrate=false` after `cognate migrate` does.
func TestOpenWithoutMigrate(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "cognate.db")
	opts := sqlite.DefaultOptions()
	opts.Migrate = false
	s, err := sqlite.Open(ctx, path, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.ListPools(ctx, "", 0); err == nil {
		t.Fatal("ListPools on an unmigrated database succeeded")
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	if _, err := s.ListPools(ctx, "", 0); err != nil {
		t.Fatalf("ListPools after Migrate: %v", err)
	}
}

func TestOpenOptions(t *testing.T) {
	ctx := t.Context()
	for _, sync := range []string{"", "normal", "OFF", "EXTRA"} {
		s, err := sqlite.Open(ctx, ":memory:", sqlite.Options{Migrate: true, Synchronous: sync})
		if err != nil {
			t.Fatalf("Open with synchronous %q: %v", sync, err)
		}
		s.Close()
	}
	if _, err := sqlite.Open(ctx, ":memory:", sqlite.Options{Synchronous: "FULL); DROP"}); err == nil {
		t.Fatal("Open accepted a bad synchronous setting")
	}
	if _, err := sqlite.Open(ctx, "", sqlite.DefaultOptions()); err == nil {
		t.Fatal("Open accepted an empty path")
	}
}
