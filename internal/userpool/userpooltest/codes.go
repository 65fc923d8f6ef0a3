package userpooltest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"cognate/internal/userpool"
)

// purposes are the code purposes userpool uses; readState looks for a code of each.
var purposes = []string{"signup", "recovery", "verify:email", "verify:phone_number"}

// newCode returns a code of the user's for purpose, valid an hour from at. Its MAC is
// binary (a zero byte, bytes over 0x7f) and differs by user, purpose, time and tag, as
// real MACs differ by code.
func newCode(u *userpool.User, purpose string, at time.Time, tag byte) *userpool.Code {
	mac := []byte{0x00, 0xff, 0x80, tag}
	mac = append(mac, u.PoolID+"|"+u.Sub+"|"+purpose+"|"+at.UTC().Format(time.RFC3339Nano)...)
	return &userpool.Code{
		PoolID: u.PoolID, UserSub: u.Sub, Purpose: purpose, MAC: mac,
		CreatedAt: at, ExpiresAt: at.Add(time.Hour),
	}
}

// putCode issues a code with nothing else: no limits, no message.
func putCode(t *testing.T, s userpool.Store, c *userpool.Code) {
	t.Helper()
	must(t, "IssueCode "+c.Purpose+" for "+c.UserSub, issueCode(t.Context(), s, c))
}

// issueCode issues a code alone and answers IssueCode's error.
func issueCode(ctx context.Context, s userpool.Store, c *userpool.Code) error {
	refused, err := s.IssueCode(ctx, &userpool.CodeIssue{PoolID: c.PoolID, At: c.CreatedAt, Code: c})
	if err == nil && refused != -1 {
		err = fmt.Errorf("IssueCode without limits answered %d, want -1", refused)
	}
	return err
}

// consume uses up the code of a user and purpose with this MAC, paying for nothing: a
// RedemptionCode of no writes.
func consume(ctx context.Context, s userpool.Store, poolID, sub, purpose string, mac []byte) error {
	return s.RedeemCode(ctx, &userpool.Redemption{Code: &userpool.Code{PoolID: poolID, UserSub: sub, Purpose: purpose, MAC: mac}})
}

// wantCode fails the test unless the stored code for want's user and purpose equals want.
func wantCode(t *testing.T, s userpool.Store, want *userpool.Code) {
	t.Helper()
	got, err := s.GetCode(t.Context(), want.PoolID, want.UserSub, want.Purpose)
	must(t, "GetCode "+want.Purpose+" of "+want.UserSub, err)
	same(t, "GetCode "+want.Purpose+" of "+want.UserSub, want, got)
	wantUTC(t, "GetCode", got.CreatedAt, got.ExpiresAt)
}

// wantNoCode fails the test unless the user has no code for purpose.
func wantNoCode(t *testing.T, s userpool.Store, poolID, sub, purpose string) {
	t.Helper()
	_, err := s.GetCode(t.Context(), poolID, sub, purpose)
	wantErr(t, "GetCode "+purpose+" of "+sub, err, userpool.ErrNotFound)
}

func testCodeRoundTrip(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	a := newUser(p.ID, "alice")
	b := newUser(p.ID, "bob")
	insertUsers(t, s, a, b)
	insertUsers(t, s, newUser(q.ID, "alice")) // the same sub in another pool

	c := newCode(a, "recovery", base(), 1)
	allSet(t, c)
	putCode(t, s, c)
	wantCode(t, s, c)

	// A code belongs to one pool, user and purpose.
	wantNoCode(t, s, q.ID, a.Sub, "recovery")
	wantNoCode(t, s, p.ID, b.Sub, "recovery")
	wantNoCode(t, s, p.ID, a.Sub, "signup")
	wantErr(t, "RedeemCode in another pool", consume(ctx, s, q.ID, a.Sub, "recovery", c.MAC), userpool.ErrNotFound)
	wantErr(t, "RedeemCode of another user", consume(ctx, s, p.ID, b.Sub, "recovery", c.MAC), userpool.ErrNotFound)
	wantErr(t, "RedeemCode for another purpose", consume(ctx, s, p.ID, a.Sub, "signup", c.MAC), userpool.ErrNotFound)
	wantCode(t, s, c)

	// Codes for users that do not exist are refused, and nothing is stored.
	ghost := newUser(p.ID, "ghost")
	wantErr(t, "IssueCode for a missing user", issueCode(ctx, s, newCode(ghost, "recovery", base(), 1)), userpool.ErrNotFound)
	wantNoCode(t, s, p.ID, ghost.Sub, "recovery")
	lost := newUser("us-east-1_none", "alice")
	wantErr(t, "IssueCode in a missing pool", issueCode(ctx, s, newCode(lost, "recovery", base(), 1)), userpool.ErrNotFound)
	// The user is found by sub, not by key.
	byKey := newCode(a, "signup", base(), 1)
	byKey.UserSub = a.Key
	wantErr(t, "IssueCode naming the user by key", issueCode(ctx, s, byKey), userpool.ErrNotFound)
}

func testCodeReplace(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice")
	insertUsers(t, s, a)
	other := newCode(a, "verify:email", base(), 1)
	putCode(t, s, other)

	old := newCode(a, "recovery", base(), 1)
	putCode(t, s, old)
	// The newest code wins, whatever its times.
	newer := newCode(a, "recovery", base().Add(-time.Minute), 2)
	putCode(t, s, newer)
	wantCode(t, s, newer)
	wantCode(t, s, other)

	wantErr(t, "RedeemCode with the replaced code's MAC", consume(ctx, s, p.ID, a.Sub, "recovery", old.MAC), userpool.ErrNotFound)
	wantCode(t, s, newer)
	wantErr(t, "RedeemCode with a prefix of the MAC", consume(ctx, s, p.ID, a.Sub, "recovery", newer.MAC[:4]), userpool.ErrNotFound)
	wantErr(t, "RedeemCode with no MAC", consume(ctx, s, p.ID, a.Sub, "recovery", nil), userpool.ErrNotFound)
	wantCode(t, s, newer)

	must(t, "RedeemCode", consume(ctx, s, p.ID, a.Sub, "recovery", newer.MAC))
	wantNoCode(t, s, p.ID, a.Sub, "recovery")
	wantErr(t, "RedeemCode again", consume(ctx, s, p.ID, a.Sub, "recovery", newer.MAC), userpool.ErrNotFound)
	wantCode(t, s, other)

	// A code may be stored again after one was consumed.
	again := newCode(a, "recovery", base().Add(time.Hour), 3)
	putCode(t, s, again)
	wantCode(t, s, again)
}

// testCodeConsumeRace has many requests race to use one code: it is used exactly once.
func testCodeConsumeRace(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice")
	insertUsers(t, s, a)
	c := newCode(a, "recovery", base(), 1)
	putCode(t, s, c)

	const n = 16
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = consume(ctx, s, p.ID, a.Sub, "recovery", c.MAC)
		})
	}
	close(start)
	wg.Wait()
	used := 0
	for i, err := range errs {
		switch {
		case err == nil:
			used++
		case errors.Is(err, userpool.ErrNotFound):
		default:
			t.Fatalf("RedeemCode %d: %v, want nil or ErrNotFound", i, err)
		}
	}
	if used != 1 {
		t.Fatalf("%d of %d racing RedeemCode calls used the code, want exactly 1", used, n)
	}
	wantNoCode(t, s, p.ID, a.Sub, "recovery")
}

// testCodeDeleteUser checks that a user's codes go with it and do not come back with a
// new user of the same key and sub.
func testCodeDeleteUser(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	a := newUser(p.ID, "alice")
	b := newUser(p.ID, "bob")
	a2 := newUser(q.ID, "alice") // the same sub in another pool
	insertUsers(t, s, a, b)
	insertUsers(t, s, a2)
	ca, cb, ca2 := newCode(a, "recovery", base(), 1), newCode(b, "recovery", base(), 1), newCode(a2, "recovery", base(), 1)
	for _, c := range []*userpool.Code{ca, cb, ca2} {
		putCode(t, s, c)
	}
	putCode(t, s, newCode(a, "signup", base(), 1))

	must(t, "DeleteUser", s.DeleteUser(ctx, p.ID, a.Key))
	for _, purpose := range purposes {
		wantNoCode(t, s, p.ID, a.Sub, purpose)
	}
	wantCode(t, s, cb)
	wantCode(t, s, ca2)

	insertUsers(t, s, newUser(p.ID, "alice"))
	for _, purpose := range purposes {
		wantNoCode(t, s, p.ID, a.Sub, purpose)
	}
}
