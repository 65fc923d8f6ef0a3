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

// The conformance tests of RedeemCode and CountAttempts: the two Store methods account
// recovery leans on to change a password exactly when its code is used up, and to answer
// a ConfirmForgotPassword after a simulated ForgotPassword as after a real one.

// redeemFixture is a pool with alice (whose recovery code is to be redeemed) and bob, and
// codes beside alice's that no redemption of hers may touch.
type redeemFixture struct {
	pool   *userpool.Pool
	alice  *userpool.User
	bob    *userpool.User
	code   *userpool.Code   // alice's recovery code
	others []*userpool.Code // alice's sign-up code, bob's recovery code
}

func newRedeemFixture(t *testing.T, s userpool.Store) *redeemFixture {
	t.Helper()
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice", "email:alice@example.com")
	a.PasswordHash = "$argon2id$old"
	b := newUser(p.ID, "bob", "email:bob@example.com")
	insertUsers(t, s, a, b)
	f := &redeemFixture{pool: p, alice: a, bob: b, code: newCode(a, "recovery", base(), 1)}
	putCode(t, s, f.code)
	f.others = []*userpool.Code{newCode(a, "signup", base(), 2), newCode(b, "recovery", base(), 3)}
	for _, c := range f.others {
		putCode(t, s, c)
	}
	return f
}

// reset returns a copy of alice as a password reset changes her, at the version she was read at.
func (f *redeemFixture) reset(hash string) *userpool.User {
	u := *f.alice
	u.Attributes = append([]userpool.Attribute(nil), u.Attributes...)
	u.PasswordHash = hash
	u.PasswordHistory = []string{f.alice.PasswordHash}
	u.Status = "CONFIRMED"
	u.TokensValidAfter = base().Add(time.Minute)
	u.ModifiedAt = base().Add(time.Minute)
	return &u
}

// wantOthersKept fails the test unless the codes beside alice's recovery code are as stored.
func (f *redeemFixture) wantOthersKept(t *testing.T, s userpool.Store) {
	t.Helper()
	for _, c := range f.others {
		wantCode(t, s, c)
	}
	wantUser(t, s, f.bob)
}

// redeem redeems c to write u alone.
func redeem(ctx context.Context, s userpool.Store, c *userpool.Code, u *userpool.User) error {
	return s.RedeemCode(ctx, &userpool.Redemption{Code: c, Users: []userpool.UserWrite{{User: u}}})
}

// stored returns the user as a store must return it after a write: without its Outbox.
func stored(u *userpool.User) *userpool.User {
	c := *u
	c.Outbox = nil
	return &c
}

// testRedeemCode checks a redemption that succeeds: the code is gone, the user replaced
// with its Version advanced, the messages of its Outbox written, and nothing else touched.
// The same code cannot be redeemed again.
func testRedeemCode(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	f := newRedeemFixture(t, s)
	u := f.reset("$argon2id$new")
	u.Aliases = []string{"email:alice@example.org"}
	m := newMessage("redeem-m1", f.pool.ID, "alice", "alice@example.org", base().Add(time.Minute))
	u.Outbox = []*userpool.Message{m}
	v := u.Version

	must(t, "RedeemCode", redeem(ctx, s, f.code, u))
	if u.Version <= v {
		t.Fatalf("RedeemCode left Version at %d (was %d), want it advanced", u.Version, v)
	}
	wantNoCode(t, s, f.pool.ID, f.alice.Sub, "recovery")
	wantUser(t, s, stored(u))
	wantAliasHolder(t, s, f.pool.ID, "email:alice@example.org", "alice")
	wantAliasHolder(t, s, f.pool.ID, "email:alice@example.com", "")
	same(t, "the messages written with the user", []*userpool.Message{m},
		listMessages(t, s, userpool.MessageFilter{UserPoolID: f.pool.ID}))
	f.wantOthersKept(t, s)

	// The code is used up: redeeming it again, even with the user's current version, writes nothing.
	again := *stored(u)
	again.PasswordHash = "$argon2id$replayed"
	wantErr(t, "RedeemCode of a redeemed code", redeem(ctx, s, f.code, &again), userpool.ErrNotFound)
	wantUser(t, s, stored(u))
	f.wantOthersKept(t, s)

	// A new code of the same purpose can be stored and redeemed in its turn.
	next := newCode(f.alice, "recovery", base().Add(2*time.Minute), 4)
	putCode(t, s, next)
	must(t, "RedeemCode of the next code", redeem(ctx, s, next, &again))
	wantNoCode(t, s, f.pool.ID, f.alice.Sub, "recovery")
	wantUser(t, s, &again)
}

// testRedeemCodeStaleUser checks that a user that moved on since it was read refuses the
// redemption with ErrConflict, and that then the code is not used up either.
func testRedeemCodeStaleUser(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	f := newRedeemFixture(t, s)
	stale := f.reset("$argon2id$new")
	stale.Outbox = []*userpool.Message{newMessage("redeem-m1", f.pool.ID, "alice", "alice@example.com", base())}

	// Someone else changes alice after the reset read her.
	current := *f.alice
	current.Status = "RESET_REQUIRED"
	update(t, s, &current)

	wantErr(t, "RedeemCode with a stale user", redeem(ctx, s, f.code, stale), userpool.ErrConflict)
	wantCode(t, s, f.code)
	wantUser(t, s, &current)
	if got := listMessages(t, s, userpool.MessageFilter{}); len(got) != 0 {
		t.Fatalf("a refused RedeemCode wrote %d messages: %+v", len(got), got)
	}
	f.wantOthersKept(t, s)

	// Read again, the reset goes through with the same code.
	again := f.reset("$argon2id$new")
	again.Version = current.Version
	must(t, "RedeemCode after reading the user again", redeem(ctx, s, f.code, again))
	wantNoCode(t, s, f.pool.ID, f.alice.Sub, "recovery")
	wantUser(t, s, again)
}

// testRedeemCodeWrongCode checks that a code that is not the outstanding one — another MAC,
// one already consumed, one of another purpose or user — refuses the redemption with
// ErrNotFound and leaves the user and the outstanding code as they were.
func testRedeemCodeWrongCode(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	f := newRedeemFixture(t, s)
	before := *f.alice

	// The previous code's MAC, after a new request replaced it.
	newer := newCode(f.alice, "recovery", base().Add(time.Minute), 9)
	putCode(t, s, newer)
	bad := map[string]*userpool.Code{"the replaced code": f.code}
	other := *newer
	other.MAC = append([]byte(nil), newer.MAC...)
	other.MAC[len(other.MAC)-1] ^= 1
	bad["a code with another MAC"] = &other
	prefix := *newer
	prefix.MAC = newer.MAC[:len(newer.MAC)-1]
	bad["a prefix of the MAC"] = &prefix
	noMAC := *newer
	noMAC.MAC = nil
	bad["a code without a MAC"] = &noMAC
	purpose := *newer
	purpose.Purpose = "verify:email"
	bad["the MAC for another purpose"] = &purpose
	bobs := *newer
	bobs.UserSub = f.bob.Sub
	bad["the MAC for another user"] = &bobs
	pool := *newer
	pool.PoolID = "us-east-1_bbbb"
	bad["the MAC in another pool"] = &pool

	for what, c := range bad {
		u := f.reset("$argon2id$" + what)
		u.Outbox = []*userpool.Message{newMessage("redeem-"+what, f.pool.ID, "alice", "alice@example.com", base())}
		wantErr(t, "RedeemCode with "+what, redeem(ctx, s, c, u), userpool.ErrNotFound)
		wantUser(t, s, &before)
		wantCode(t, s, newer)
	}
	if got := listMessages(t, s, userpool.MessageFilter{}); len(got) != 0 {
		t.Fatalf("refused RedeemCode calls wrote %d messages: %+v", len(got), got)
	}
	f.wantOthersKept(t, s)

	// A code used up by a redemption of no writes cannot be redeemed after.
	must(t, "RedeemCode of no writes", consume(ctx, s, newer.PoolID, newer.UserSub, newer.Purpose, newer.MAC))
	wantErr(t, "RedeemCode of a consumed code", redeem(ctx, s, newer, f.reset("$argon2id$consumed")), userpool.ErrNotFound)
	wantUser(t, s, &before)

	// Nor the code of a user deleted since: it went with the user.
	putCode(t, s, newer)
	must(t, "DeleteUser", s.DeleteUser(ctx, f.pool.ID, "alice"))
	err := redeem(ctx, s, newer, f.reset("$argon2id$deleted"))
	wantErr(t, "RedeemCode for a deleted user", err, userpool.ErrNotFound)
	wantNoUser(t, s, f.pool.ID, "alice")
}

// testRedeemCodeAliasConflict checks that a user write that fails on an alias another user
// holds leaves the code unused: nothing of a failed redemption is written.
func testRedeemCodeAliasConflict(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	f := newRedeemFixture(t, s)
	u := f.reset("$argon2id$new")
	u.Aliases = []string{"email:bob@example.com"}
	wantErr(t, "RedeemCode taking bob's alias", redeem(ctx, s, f.code, u), userpool.ErrAliasConflict)
	wantCode(t, s, f.code)
	wantUser(t, s, f.alice)
	wantAliasHolder(t, s, f.pool.ID, "email:bob@example.com", "bob")
	wantAliasHolder(t, s, f.pool.ID, "email:alice@example.com", "alice")
	f.wantOthersKept(t, s)
}

// testRedeemCodeRace has 16 requests race to redeem one code, each with its own copy of the
// user at the same version: exactly one wins, and the stored user is the winner's.
func testRedeemCodeRace(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	f := newRedeemFixture(t, s)
	const n = 16
	users := make([]*userpool.User, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		users[i] = f.reset(fmt.Sprintf("$argon2id$racer-%d", i))
		users[i].Outbox = []*userpool.Message{newMessage(fmt.Sprintf("redeem-m%d", i), f.pool.ID, "alice", "alice@example.com", base())}
		wg.Go(func() {
			<-start
			errs[i] = redeem(ctx, s, f.code, users[i])
		})
	}
	close(start)
	wg.Wait()

	winner := -1
	for i, err := range errs {
		switch {
		case err == nil:
			if winner >= 0 {
				t.Fatalf("racers %d and %d both redeemed the code", winner, i)
			}
			winner = i
		case errors.Is(err, userpool.ErrNotFound), errors.Is(err, userpool.ErrConflict):
		default:
			t.Fatalf("racer %d: %v, want nil, ErrNotFound or ErrConflict", i, err)
		}
	}
	if winner < 0 {
		t.Fatalf("none of %d racing RedeemCode calls redeemed the code: %v", n, errs)
	}
	wantNoCode(t, s, f.pool.ID, f.alice.Sub, "recovery")
	wantUser(t, s, stored(users[winner]))
	got := listMessages(t, s, userpool.MessageFilter{})
	if len(got) != 1 || got[0].MessageID != fmt.Sprintf("redeem-m%d", winner) {
		t.Fatalf("messages after the race: %+v, want only the winner's (redeem-m%d)", got, winner)
	}
	f.wantOthersKept(t, s)
}

// testAttemptsCount checks CountAttempts: the attempts recorded strictly after since, of one
// pool, subject and kind; refused attempts are not among them.
func testAttemptsCount(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	at := base()
	const wide = 24 * time.Hour // so that no attempt of the test leaves the window
	record := func(poolID, subject, kind string, at time.Time) {
		t.Helper()
		ok, err := s.CountAttempt(ctx, poolID, subject, kind, at, wide, 1<<30)
		must(t, "CountAttempt", err)
		if !ok {
			t.Fatalf("CountAttempt(%s, %s, %s) refused with no limit", poolID, subject, kind)
		}
	}
	count := func(poolID, subject, kind string, since time.Time, want int) {
		t.Helper()
		got, err := s.CountAttempts(ctx, poolID, subject, kind, since)
		must(t, "CountAttempts", err)
		if got != want {
			t.Fatalf("CountAttempts(%s, %s, %s, base%+v) = %d, want %d", poolID, subject, kind, since.Sub(base()), got, want)
		}
	}

	count(p.ID, "alice", "recovery-simulated", at.Add(-wide), 0)
	for _, d := range []time.Duration{0, time.Minute, 2 * time.Minute} {
		record(p.ID, "alice", "recovery-simulated", at.Add(d))
	}
	// Strictly after since, to the microsecond.
	count(p.ID, "alice", "recovery-simulated", at.Add(-time.Hour), 3)
	count(p.ID, "alice", "recovery-simulated", at.Add(-time.Microsecond), 3)
	count(p.ID, "alice", "recovery-simulated", at, 2)
	count(p.ID, "alice", "recovery-simulated", at.Add(time.Minute-time.Microsecond), 2)
	count(p.ID, "alice", "recovery-simulated", at.Add(time.Minute), 1)
	count(p.ID, "alice", "recovery-simulated", at.Add(2*time.Minute), 0)
	count(p.ID, "alice", "recovery-simulated", at.Add(time.Hour), 0)
	// Instants are compared as instants, whatever the zone of since.
	count(p.ID, "alice", "recovery-simulated", at.In(time.FixedZone("UTC-7", -7*3600)), 2)
	count(p.ID, "alice", "recovery-simulated", at.UTC().Add(-time.Microsecond), 3)

	// Each pool, subject and kind counts on its own.
	count(p.ID, "bob", "recovery-simulated", at.Add(-time.Hour), 0)
	count(p.ID, "Alice", "recovery-simulated", at.Add(-time.Hour), 0)
	count(p.ID, "alice", "recovery-guess", at.Add(-time.Hour), 0)
	count(q.ID, "alice", "recovery-simulated", at.Add(-time.Hour), 0)
	record(q.ID, "alice", "recovery-simulated", at)
	record(p.ID, "bob", "recovery-simulated", at)
	record(p.ID, "alice", "recovery-guess", at)
	count(p.ID, "alice", "recovery-simulated", at.Add(-time.Hour), 3)
	count(q.ID, "alice", "recovery-simulated", at.Add(-time.Hour), 1)
	count(p.ID, "bob", "recovery-simulated", at.Add(-time.Hour), 1)
	count(p.ID, "alice", "recovery-guess", at.Add(-time.Hour), 1)

	// An attempt CountAttempt refused was not recorded, so it is not counted.
	exhaust(t, s, p.ID, "carol", "recovery-guess", at)
	count(p.ID, "carol", "recovery-guess", at.Add(-time.Hour), limit)
	attempt(t, s, p.ID, "carol", "recovery-guess", at.Add(10*time.Minute), false)
	count(p.ID, "carol", "recovery-guess", at.Add(-time.Hour), limit)

	// Forgotten attempts are not counted.
	must(t, "ClearAttempts", s.ClearAttempts(ctx, p.ID, "alice", "recovery-simulated"))
	count(p.ID, "alice", "recovery-simulated", at.Add(-time.Hour), 0)
	count(q.ID, "alice", "recovery-simulated", at.Add(-time.Hour), 1)
	count(p.ID, "alice", "recovery-guess", at.Add(-time.Hour), 1)

	// A deleted pool's attempts go with it.
	must(t, "DeletePool", s.DeletePool(ctx, q.ID))
	createPool(t, s, q.ID)
	count(q.ID, "alice", "recovery-simulated", at.Add(-time.Hour), 0)
}
