package userpooltest

import (
	"testing"
	"time"

	"cognate/internal/userpool"
)

// newSession returns a valid session of the user's through the client, signed in at at.
func newSession(id string, u *userpool.User, clientID string, at time.Time) *userpool.Session {
	return &userpool.Session{
		ID: id, PoolID: u.PoolID, ClientID: clientID, UserSub: u.Sub,
		AuthTime: at, CreatedAt: at.Add(time.Second), ExpiresAt: at.Add(30 * 24 * time.Hour),
	}
}

func createSession(t *testing.T, s userpool.Store, se *userpool.Session) {
	t.Helper()
	must(t, "StartSession "+se.ID, s.StartSession(t.Context(), se))
}

// wantSession fails the test unless the stored session with want's id equals want.
func wantSession(t *testing.T, s userpool.Store, want *userpool.Session) {
	t.Helper()
	got, err := s.GetSession(t.Context(), want.ID)
	must(t, "GetSession "+want.ID, err)
	same(t, "GetSession "+want.ID, want, got)
	wantUTC(t, "GetSession "+want.ID, got.AuthTime, got.CreatedAt, got.ExpiresAt)
	if !got.RevokedAt.IsZero() {
		wantUTC(t, "GetSession "+want.ID, got.RevokedAt)
	}
}

func wantNoSession(t *testing.T, s userpool.Store, id string) {
	t.Helper()
	_, err := s.GetSession(t.Context(), id)
	wantErr(t, "GetSession "+id, err, userpool.ErrNotFound)
}

func testSessionCreateGet(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	a := newUser(p.ID, "alice")
	insertUsers(t, s, a)
	insertUsers(t, s, newUser(q.ID, "bob"))

	// A session stored revoked covers every field.
	revoked := newSession("s-revoked", a, "client1", base())
	revoked.RevokedAt = base().Add(time.Hour)
	allSet(t, revoked)
	createSession(t, s, revoked)
	wantSession(t, s, revoked)

	valid := newSession("s-valid", a, "client1", base().Add(time.Minute))
	createSession(t, s, valid)
	wantSession(t, s, valid)
	if got, _ := s.GetSession(ctx, valid.ID); !got.RevokedAt.IsZero() {
		t.Fatalf("a valid session read back revoked at %v", got.RevokedAt)
	}
	wantNoSession(t, s, "s-none")

	// Ids are unique across pools.
	dup := newSession(valid.ID, newUser(q.ID, "bob"), "client2", base())
	wantErr(t, "StartSession with a taken id", s.StartSession(ctx, dup), userpool.ErrConflict)
	wantSession(t, s, valid)

	ghost := newSession("s-ghost", newUser(p.ID, "ghost"), "client1", base())
	wantErr(t, "StartSession for a missing user", s.StartSession(ctx, ghost), userpool.ErrNotFound)
	wantNoSession(t, s, ghost.ID)
	lost := newSession("s-lost", newUser("us-east-1_none", "alice"), "client1", base())
	wantErr(t, "StartSession in a missing pool", s.StartSession(ctx, lost), userpool.ErrNotFound)
	wantNoSession(t, s, lost.ID)
	// The user is found by sub in its own pool.
	elsewhere := newSession("s-elsewhere", a, "client1", base())
	elsewhere.PoolID = q.ID
	wantErr(t, "StartSession for a user of another pool", s.StartSession(ctx, elsewhere), userpool.ErrNotFound)
	wantNoSession(t, s, elsewhere.ID)
}

func testSessionRevoke(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice")
	insertUsers(t, s, a)
	se := newSession("s1", a, "client1", base())
	other := newSession("s2", a, "client1", base())
	createSession(t, s, se)
	createSession(t, s, other)

	at := base().Add(time.Hour).In(time.FixedZone("UTC-7", -7*3600))
	must(t, "RevokeSession", s.RevokeSession(ctx, se.ID, at))
	se.RevokedAt = at
	wantSession(t, s, se)
	wantSession(t, s, other)

	// Revoking again is not an error, and the first revocation's time stands, whether the
	// second names a later or an earlier one.
	must(t, "RevokeSession again, later", s.RevokeSession(ctx, se.ID, at.Add(time.Hour)))
	wantSession(t, s, se)
	must(t, "RevokeSession again, earlier", s.RevokeSession(ctx, se.ID, at.Add(-time.Minute)))
	wantSession(t, s, se)

	wantErr(t, "RevokeSession of a missing session", s.RevokeSession(ctx, "s-none", at), userpool.ErrNotFound)
	wantNoSession(t, s, "s-none")
}

// testSessionDeleteUser checks that a user's sessions go with it: revoking a deleted
// user's tokens needs no bookkeeping of its own.
func testSessionDeleteUser(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	a := newUser(p.ID, "alice")
	b := newUser(p.ID, "bob")
	a2 := newUser(q.ID, "alice") // the same sub in another pool
	insertUsers(t, s, a, b)
	insertUsers(t, s, a2)
	sa1, sa2 := newSession("s-a1", a, "client1", base()), newSession("s-a2", a, "client2", base())
	sb, sa3 := newSession("s-b", b, "client1", base()), newSession("s-a3", a2, "client3", base())
	for _, se := range []*userpool.Session{sa1, sa2, sb, sa3} {
		createSession(t, s, se)
	}

	must(t, "DeleteUser", s.DeleteUser(ctx, p.ID, a.Key))
	wantNoSession(t, s, sa1.ID)
	wantNoSession(t, s, sa2.ID)
	wantErr(t, "RevokeSession of a deleted user's session", s.RevokeSession(ctx, sa1.ID, base()), userpool.ErrNotFound)
	wantSession(t, s, sb)
	wantSession(t, s, sa3)

	insertUsers(t, s, newUser(p.ID, "alice"))
	wantNoSession(t, s, sa1.ID)
}

// testSubChange checks what becomes of a user's codes and sessions when SaveUsers changes
// its sub (the store allows it, though Cognito never does): they follow the user, so that
// deleting the user still deletes them. The old sub has none left.
func testSubChange(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice")
	insertUsers(t, s, a)
	c := newCode(a, "recovery", base(), 1)
	putCode(t, s, c)
	se := newSession("s1", a, "client1", base())
	createSession(t, s, se)

	oldSub := a.Sub
	a.Sub = "sub-alice-2"
	update(t, s, a)
	wantNoCode(t, s, p.ID, oldSub, "recovery")
	c.UserSub, se.UserSub = a.Sub, a.Sub
	wantCode(t, s, c)
	wantSession(t, s, se)

	must(t, "DeleteUser", s.DeleteUser(t.Context(), p.ID, a.Key))
	wantNoCode(t, s, p.ID, a.Sub, "recovery")
	wantNoSession(t, s, se.ID)
}

// newSigningKey returns a signing key made at at; its sealed bytes are binary.
func newSigningKey(id string, at time.Time) *userpool.SigningKeyRecord {
	return &userpool.SigningKeyRecord{ID: id, Sealed: append([]byte{0x00, 0xff, 0x80}, "sealed "+id...), CreatedAt: at}
}

func signingKeys(t *testing.T, s userpool.Store) []*userpool.SigningKeyRecord {
	t.Helper()
	keys, err := s.SigningKeys(t.Context())
	must(t, "SigningKeys", err)
	for _, k := range keys {
		wantUTC(t, "signing key "+k.ID, k.CreatedAt)
	}
	return keys
}

func testSigningKeys(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	if keys := signingKeys(t, s); len(keys) != 0 {
		t.Fatalf("a new store has %d signing keys", len(keys))
	}
	at := base()
	k1 := newSigningKey("k-b", at)
	k0 := newSigningKey("k-z", at.Add(-24*time.Hour)) // added later, made earlier
	k2 := newSigningKey("k-a", at)                    // made in the same microsecond as k1
	k3 := newSigningKey("k-c", at.Add(time.Microsecond))
	allSet(t, k1)
	for _, k := range []*userpool.SigningKeyRecord{k1, k0, k3, k2} {
		must(t, "AddSigningKey "+k.ID, s.AddSigningKey(ctx, k))
	}
	// Oldest first; of keys made at the same instant, in id order.
	want := []*userpool.SigningKeyRecord{k0, k2, k1, k3}
	same(t, "SigningKeys", want, signingKeys(t, s))

	dup := newSigningKey(k1.ID, at.Add(time.Hour))
	dup.Sealed = []byte("another key")
	wantErr(t, "AddSigningKey with a taken id", s.AddSigningKey(ctx, dup), userpool.ErrConflict)
	same(t, "SigningKeys after a refused duplicate", want, signingKeys(t, s))
}
