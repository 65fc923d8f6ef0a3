package userpooltest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"cognate/internal/userpool"
)

// window and limit are the figures of ARCHITECTURE.md "Limits": 5 an hour.
const (
	window = time.Hour
	limit  = 5
)

// attempt calls CountAttempt with window and limit and fails the test unless it answers want.
func attempt(t *testing.T, s userpool.Store, poolID, subject, kind string, at time.Time, want bool) {
	t.Helper()
	got, err := s.CountAttempt(t.Context(), poolID, subject, kind, at, window, limit)
	must(t, "CountAttempt", err)
	if got != want {
		t.Fatalf("CountAttempt(%s, %s, %s) at %v = %v, want %v", poolID, subject, kind, at.Sub(base()), got, want)
	}
}

// exhaust records limit attempts a minute apart from at, each allowed, and sees the next refused.
func exhaust(t *testing.T, s userpool.Store, poolID, subject, kind string, at time.Time) {
	t.Helper()
	for i := range limit {
		attempt(t, s, poolID, subject, kind, at.Add(time.Duration(i)*time.Minute), true)
	}
	attempt(t, s, poolID, subject, kind, at.Add(limit*time.Minute), false)
}

func testAttemptWindow(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	at := base()
	// Allowed at base, +1m, +2m, +3m, +4m; refused at +5m, and a refused attempt is not recorded.
	exhaust(t, s, p.ID, "alice", "forgot", at)
	attempt(t, s, p.ID, "alice", "forgot", at.Add(30*time.Minute), false)
	// The window starts after at-window: the attempt at base is inside it up to the last
	// microsecond before base+window, and out of it at base+window.
	attempt(t, s, p.ID, "alice", "forgot", at.Add(window-time.Microsecond), false)
	// Had the refused attempts at +5m or +30m been recorded, this would be refused.
	attempt(t, s, p.ID, "alice", "forgot", at.Add(window), true)
	// That one took the room the attempt at base left.
	attempt(t, s, p.ID, "alice", "forgot", at.Add(window), false)
	attempt(t, s, p.ID, "alice", "forgot", at.Add(window+time.Minute), true)
	attempt(t, s, p.ID, "alice", "forgot", at.Add(window+time.Minute), false)

	// Long after, the subject starts afresh.
	exhaust(t, s, p.ID, "alice", "forgot", at.Add(24*time.Hour))

	// Attempts recorded after at count against it too: a request that read its clock before
	// another request committed must still see that one.
	exhaust(t, s, p.ID, "bob", "forgot", at.Add(2*time.Hour))
	attempt(t, s, p.ID, "bob", "forgot", at.Add(2*time.Hour-time.Minute), false)

	// Instants are kept to the microsecond and compared as instants, whatever the zone.
	carol := at.In(time.FixedZone("UTC-7", -7*3600))
	for range limit {
		attempt(t, s, p.ID, "carol", "forgot", carol, true)
	}
	attempt(t, s, p.ID, "carol", "forgot", at.UTC().Add(window-time.Microsecond), false)
	attempt(t, s, p.ID, "carol", "forgot", at.UTC().Add(window), true)
}

// testAttemptIndependent checks that each pool, subject and kind has a counter of its own.
func testAttemptIndependent(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	at, later := base(), base().Add(10*time.Minute)
	exhaust(t, s, p.ID, "alice", "forgot", at)
	attempt(t, s, p.ID, "alice", "confirm", later, true)
	attempt(t, s, p.ID, "bob", "forgot", later, true)
	attempt(t, s, p.ID, "Alice", "forgot", later, true)
	attempt(t, s, q.ID, "alice", "forgot", later, true)
	attempt(t, s, p.ID, "alice", "forgot", later, false)

	// Nor does a full counter leak into one of the same names in another combination.
	exhaust(t, s, q.ID, "bob", "confirm", at)
	attempt(t, s, p.ID, "bob", "confirm", later, true)
	attempt(t, s, q.ID, "bob", "forgot", later, true)
	attempt(t, s, q.ID, "alice", "confirm", later, true)
	attempt(t, s, q.ID, "bob", "confirm", later, false)
}

// testAttemptRace has many requests race for the last few attempts: exactly limit win.
func testAttemptRace(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	const n = 16
	allowed := make([]bool, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			allowed[i], errs[i] = s.CountAttempt(ctx, p.ID, "alice", "confirm", base(), window, limit)
		})
	}
	close(start)
	wg.Wait()
	wins := 0
	for i := range n {
		must(t, fmt.Sprintf("CountAttempt %d", i), errs[i])
		if allowed[i] {
			wins++
		}
	}
	if wins != limit {
		t.Fatalf("%d of %d racing attempts were allowed, want %d", wins, n, limit)
	}
	attempt(t, s, p.ID, "alice", "confirm", base(), false)
}

func testAttemptClear(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	at := base()
	exhaust(t, s, p.ID, "alice", "confirm", at)
	exhaust(t, s, p.ID, "alice", "forgot", at)
	exhaust(t, s, p.ID, "bob", "confirm", at)
	exhaust(t, s, q.ID, "alice", "confirm", at)

	must(t, "ClearAttempts", s.ClearAttempts(ctx, p.ID, "alice", "confirm"))
	exhaust(t, s, p.ID, "alice", "confirm", at.Add(10*time.Minute))
	// Only that counter was cleared.
	attempt(t, s, p.ID, "alice", "forgot", at.Add(10*time.Minute), false)
	attempt(t, s, p.ID, "bob", "confirm", at.Add(10*time.Minute), false)
	attempt(t, s, q.ID, "alice", "confirm", at.Add(10*time.Minute), false)

	must(t, "ClearAttempts with nothing recorded", s.ClearAttempts(ctx, p.ID, "nobody", "confirm"))
	must(t, "ClearAttempts in a missing pool", s.ClearAttempts(ctx, "us-east-1_none", "alice", "confirm"))
}

// testAttemptDeletePool checks that a pool's counters go with it: a pool made again with
// the same id starts with none. Attempts in a pool that does not exist are not recorded.
func testAttemptDeletePool(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	at := base()
	exhaust(t, s, p.ID, "alice", "forgot", at)
	exhaust(t, s, q.ID, "alice", "forgot", at)

	must(t, "DeletePool", s.DeletePool(ctx, p.ID))
	_, err := s.CountAttempt(ctx, p.ID, "alice", "forgot", at, window, limit)
	wantErr(t, "CountAttempt in a deleted pool", err, userpool.ErrNotFound)
	createPool(t, s, p.ID)
	exhaust(t, s, p.ID, "alice", "forgot", at)
	attempt(t, s, q.ID, "alice", "forgot", at.Add(10*time.Minute), false)
}
