package postgres_test

import (
	"testing"

	"cognate/internal/postgres"
	"cognate/internal/postgres/pgtest"
	"cognate/internal/userpool"
	"cognate/internal/userpool/userpooltest"
)

func open(t *testing.T, dsn string) *postgres.Store {
	t.Helper()
	opts := postgres.DefaultOptions()
	opts.MaxConns = 8
	s, err := postgres.Open(t.Context(), dsn, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	pgtest.DSN(t)
	userpooltest.TestStore(t, func(t *testing.T) userpool.Store {
		return open(t, pgtest.Schema(t))
	})
}

func TestRestart(t *testing.T) {
	dsn := pgtest.Schema(t)
	userpooltest.TestRestart(t, func(t *testing.T) userpool.Store {
		return open(t, dsn)
	})
}

// TestConcurrentMigrate starts four stores on one empty schema at once, as a fleet that
// migrates at start does: the advisory lock lets one apply the schema and the others find
// it done, and all of them work.
func TestConcurrentMigrate(t *testing.T) {
	dsn := pgtest.Schema(t)
	errs := make(chan error, 4)
	stores := make(chan *postgres.Store, 4)
	for range 4 {
		go func() {
			s, err := postgres.Open(t.Context(), dsn, postgres.Options{Migrate: true, MaxConns: 2})
			errs <- err
			stores <- s
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatalf("Open: %v", err)
		}
		s := <-stores
		t.Cleanup(func() { s.Close() })
		if n, err := s.PendingMigrations(t.Context()); err != nil || n != 0 {
			t.Fatalf("PendingMigrations = %d, %v; want 0", n, err)
		}
	}
}

// TestOpenWithoutMigrate leaves the schema alone until Migrate is called, as `cognate serve
// --migrate=false` after `cognate migrate` does.
func TestOpenWithoutMigrate(t *testing.T) {
	ctx := t.Context()
	s, err := postgres.Open(ctx, pgtest.Schema(t), postgres.Options{MaxConns: 2})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	if n, err := s.PendingMigrations(ctx); err != nil || n == 0 {
		t.Fatalf("PendingMigrations before Migrate = %d, %v; want some", n, err)
	}
	if _, err := s.ListPools(ctx, "", 0); err == nil {
		t.Fatal("ListPools on an unmigrated schema succeeded")
	}
	for range 2 {
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
	}
	if _, err := s.ListPools(ctx, "", 0); err != nil {
		t.Fatalf("ListPools after Migrate: %v", err)
	}
}
