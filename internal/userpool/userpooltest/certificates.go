package userpooltest

import (
	"sync"
	"testing"
	"time"

	"cognate/internal/userpool"
)

// testPoolCertificates checks a pool's signing certificate: stored once, read back whole,
// refused a second time (so that of concurrent first requests one certificate stands), and
// gone with its pool.
func testPoolCertificates(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	_, err := s.PoolCertificate(ctx, p.ID)
	wantErr(t, "PoolCertificate before any", err, userpool.ErrNotFound)

	c := &userpool.PoolCertificate{PoolID: p.ID, DER: []byte{0x30, 0x82, 1, 2}, SealedKey: []byte{9, 8, 7}, CreatedAt: base().Add(1500 * time.Microsecond)}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := *c
			mine.SealedKey = []byte{byte(i)}
			errs[i] = s.AddPoolCertificate(ctx, &mine)
		}()
	}
	wg.Wait()
	won := -1
	for i, err := range errs {
		switch {
		case err == nil && won >= 0:
			t.Fatalf("AddPoolCertificate succeeded twice for one pool (%d and %d)", won, i)
		case err == nil:
			won = i
		default:
			wantErr(t, "AddPoolCertificate when the pool has one", err, userpool.ErrConflict)
		}
	}
	if won < 0 {
		t.Fatal("no concurrent AddPoolCertificate succeeded")
	}
	got, err := s.PoolCertificate(ctx, p.ID)
	must(t, "PoolCertificate", err)
	want := *c
	want.SealedKey = []byte{byte(won)}
	same(t, "the certificate read back", &want, got)
	wantUTC(t, "PoolCertificate", got.CreatedAt)

	_, err = s.PoolCertificate(ctx, q.ID)
	wantErr(t, "PoolCertificate of another pool", err, userpool.ErrNotFound)
	wantErr(t, "AddPoolCertificate for a missing pool", s.AddPoolCertificate(ctx, &userpool.PoolCertificate{PoolID: "us-east-1_none", DER: []byte{1}, SealedKey: []byte{1}, CreatedAt: base()}), userpool.ErrNotFound)

	must(t, "DeletePool", s.DeletePool(ctx, p.ID))
	_, err = s.PoolCertificate(ctx, p.ID)
	wantErr(t, "PoolCertificate of a deleted pool", err, userpool.ErrNotFound)
}
