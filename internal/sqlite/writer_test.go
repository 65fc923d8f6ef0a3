package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"cognate/internal/userpool"
)

// TestGroupCommit sends many writes at once to a file database: every one succeeds (no
// SQLITE_BUSY, whatever the load), they share transactions, and a write that fails inside a
// shared transaction fails alone.
func TestGroupCommit(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "cognate.db"), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CreatePool(ctx, &userpool.Pool{ID: "us-east-1_load"}); err != nil {
		t.Fatal(err)
	}
	before := s.w.commits.Load()
	const n = 400
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			if i%10 == 0 {
				// A duplicate: refused, without taking its neighbours down with it.
				errs[i] = s.CreatePool(ctx, &userpool.Pool{ID: "us-east-1_load"})
				return
			}
			_, errs[i] = s.CountAttempt(ctx, "us-east-1_load", fmt.Sprintf("user-%d", i), "k", time.Now(), time.Hour, 5)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if i%10 == 0 {
			if !errors.Is(err, userpool.ErrConflict) {
				t.Fatalf("duplicate %d: %v, want ErrConflict", i, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	var counted int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM attempts`).Scan(&counted); err != nil {
		t.Fatal(err)
	}
	if counted != n-n/10 {
		t.Fatalf("%d attempts stored, want %d", counted, n-n/10)
	}
	if commits := s.w.commits.Load() - before; commits >= n {
		t.Fatalf("%d writes took %d transactions: none were shared", n, commits)
	}
}

// TestWriteCancelledWhileQueued gives up on a write whose caller's context ends before the
// writer takes it; a write the writer has taken is answered with its outcome.
func TestWriteCancelledWhileQueued(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, ":memory:", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Hold the writer inside a transaction until released.
	entered, release := make(chan struct{}), make(chan struct{})
	held := make(chan error, 1)
	go func() {
		held <- s.inTx(ctx, func(ctx context.Context, tx *txn) error {
			close(entered)
			<-release
			return nil
		})
	}()
	<-entered
	cctx, cancel := context.WithCancel(ctx)
	queued := make(chan error, 1)
	go func() { queued <- s.CreatePool(cctx, &userpool.Pool{ID: "us-east-1_gone"}) }()
	cancel()
	if err := <-queued; !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled queued write answered %v, want context.Canceled", err)
	}
	close(release)
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetPool(ctx, "us-east-1_gone"); !errors.Is(err, userpool.ErrNotFound) {
		t.Fatalf("the cancelled write was written: %v", err)
	}
}

// TestWriterOutlivesAPanic answers a write that panics with an error and goes on writing.
func TestWriterOutlivesAPanic(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, ":memory:", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.inTx(ctx, func(ctx context.Context, tx *txn) error { panic("a bug") })
	var p *panicked
	if !errors.As(err, &p) {
		t.Fatalf("a panicking write answered %v", err)
	}
	if err := s.CreatePool(ctx, &userpool.Pool{ID: "us-east-1_after"}); err != nil {
		t.Fatalf("a write after the panic: %v", err)
	}
}
