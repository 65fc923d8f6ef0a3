package userpooltest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"cognate/internal/userpool"
)

// newUser returns a confirmed user of the pool whose sub is derived from its key.
func newUser(poolID, key string, aliases ...string) *userpool.User {
	return &userpool.User{
		PoolID: poolID, Key: key, Sub: "sub-" + key, Aliases: aliases,
		Username:   key,
		Attributes: []userpool.Attribute{{Name: "sub", Value: "sub-" + key}},
		Status:     "CONFIRMED",
		Enabled:    true,
		CreatedAt:  base(),
		ModifiedAt: base(),
	}
}

// insertUsers stores new users in one SaveUsers call.
func insertUsers(t *testing.T, s userpool.Store, users ...*userpool.User) {
	t.Helper()
	must(t, "SaveUsers (insert)", s.SaveUsers(t.Context(), inserts(users...)...))
}

func inserts(users ...*userpool.User) []userpool.UserWrite {
	var ws []userpool.UserWrite
	for _, u := range users {
		ws = append(ws, userpool.UserWrite{User: u, New: true})
	}
	return ws
}

func updates(users ...*userpool.User) []userpool.UserWrite {
	var ws []userpool.UserWrite
	for _, u := range users {
		ws = append(ws, userpool.UserWrite{User: u})
	}
	return ws
}

// update saves changes to stored users in one SaveUsers call.
func update(t *testing.T, s userpool.Store, users ...*userpool.User) {
	t.Helper()
	must(t, "SaveUsers (update)", s.SaveUsers(t.Context(), updates(users...)...))
}

// wantUser fails the test unless the stored user with this key equals want.
func wantUser(t *testing.T, s userpool.Store, want *userpool.User) {
	t.Helper()
	got, err := s.GetUser(t.Context(), want.PoolID, want.Key)
	must(t, "GetUser "+want.Key, err)
	same(t, "GetUser "+want.Key, want, got)
}

// wantNoUser fails the test unless the pool has no user with this key.
func wantNoUser(t *testing.T, s userpool.Store, poolID, key string) {
	t.Helper()
	_, err := s.GetUser(t.Context(), poolID, key)
	wantErr(t, "GetUser "+key, err, userpool.ErrNotFound)
}

// wantAliasHolder fails the test unless the alias is held by the user with key, or by
// nobody when key is "".
func wantAliasHolder(t *testing.T, s userpool.Store, poolID, alias, key string) {
	t.Helper()
	got, err := s.GetUserByAlias(t.Context(), poolID, alias)
	if key == "" {
		wantErr(t, "GetUserByAlias "+alias, err, userpool.ErrNotFound)
		return
	}
	must(t, "GetUserByAlias "+alias, err)
	if got.Key != key {
		t.Fatalf("GetUserByAlias %s = user %q, want %q", alias, got.Key, key)
	}
}

// wantPlainConflict fails the test unless err is ErrConflict and not ErrAliasConflict:
// operations tell UsernameExistsException from AliasExistsException by that difference.
func wantPlainConflict(t *testing.T, what string, err error) {
	t.Helper()
	wantErr(t, what, err, userpool.ErrConflict)
	if errors.Is(err, userpool.ErrAliasConflict) {
		t.Fatalf("%s: got ErrAliasConflict (%v), want a plain ErrConflict", what, err)
	}
}

func testUserRoundTrip(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	at := base()
	u := &userpool.User{
		PoolID:  p.ID,
		Key:     "jane.doe",
		Sub:     "0b5c7c2e-5a3e-4f0e-9d43-2d3c1c1e9a01",
		Aliases: []string{"email:jane@example.com", "phone_number:+15555550100", "preferred_username:jd"},

		Username: "Jane.Doe",
		Attributes: []userpool.Attribute{
			{Name: "sub", Value: "0b5c7c2e-5a3e-4f0e-9d43-2d3c1c1e9a01"},
			{Name: "email", Value: "jane@example.com"},
			{Name: "email_verified", Value: "true"},
			{Name: "phone_number", Value: "+15555550100"},
			{Name: "name", Value: "Jane \u201cJD\u201d Doe \u2713 \"quoted\" \\ back"},
			{Name: "custom:empty", Value: ""},
		},
		Status:           "FORCE_CHANGE_PASSWORD",
		Enabled:          true,
		PasswordHash:     "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
		PasswordHistory:  []string{"$argon2id$old-2", "$argon2id$old-1"},
		PasswordSetAt:    at.Add(time.Minute),
		TokensValidAfter: at.Add(2 * time.Minute),
		SRPSalt:          "5f3a9c0e7b21d4a8",
		SRPVerifier:      []byte{0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, '"', '\\'},
		TOTP:             userpool.SoftwareToken{Pending: []byte{0x01, 0xff, 0x00}, Secret: []byte{0x7f, 0x80, 0x22}, Name: "phone"},
		Pending:          map[string]string{"email": "jane.new@example.com", "phone_number": "+15555550199"},
		MFA: userpool.MFASettings{
			SMSEnabled: true, SMSPreferred: true, TOTPEnabled: true, TOTPPreferred: true,
			EmailEnabled: true, EmailPreferred: true,
		},
		CreatedAt:  at,
		ModifiedAt: at.Add(3 * time.Minute),
	}
	allSet(t, u, "Version", "Outbox") // the outbox is written beside the user, not with it

	insertUsers(t, s, u)
	if u.Version == 0 {
		t.Fatal("SaveUsers left the inserted user's Version at 0")
	}
	check := func(what string, got *userpool.User, err error) {
		t.Helper()
		must(t, what, err)
		same(t, what, u, got)
		wantUTC(t, what, got.PasswordSetAt, got.TokensValidAfter, got.CreatedAt, got.ModifiedAt)
	}
	got, err := s.GetUser(ctx, p.ID, u.Key)
	check("GetUser", got, err)
	got, err = s.GetUserBySub(ctx, p.ID, u.Sub)
	check("GetUserBySub", got, err)
	for _, a := range u.Aliases {
		got, err = s.GetUserByAlias(ctx, p.ID, a)
		check("GetUserByAlias "+a, got, err)
	}

	// A replace writes every field too, including those going back to zero.
	v := u.Version
	u.Username = "jane"
	u.Attributes = u.Attributes[1:3]
	u.Status = "CONFIRMED"
	u.Enabled = false
	u.PasswordHash = "$argon2id$new"
	u.PasswordHistory = []string{"$argon2id$old-1", "$argon2id$old-2", "$argon2id$old-3"}
	u.PasswordSetAt = at.Add(time.Hour)
	u.TokensValidAfter = time.Time{}
	u.SRPSalt, u.SRPVerifier = "", nil
	u.Pending = nil
	u.MFA = userpool.MFASettings{TOTPEnabled: true}
	u.ModifiedAt = at.Add(time.Hour).In(time.FixedZone("UTC-7", -7*3600))
	update(t, s, u)
	if u.Version == v {
		t.Fatalf("SaveUsers left the updated user's Version at %d", v)
	}
	got, err = s.GetUser(ctx, p.ID, u.Key)
	must(t, "GetUser after update", err)
	same(t, "GetUser after update", u, got)
	if !got.TokensValidAfter.IsZero() {
		t.Fatalf("zero TokensValidAfter read back as %v", got.TokensValidAfter)
	}
	if got.SRPSalt != "" || len(got.SRPVerifier) != 0 || len(got.Pending) != 0 {
		t.Fatalf("cleared SRP salt, verifier and pending values read back as %q, %x, %v",
			got.SRPSalt, got.SRPVerifier, got.Pending)
	}

	// And back: a verifier set again is read back byte for byte, a pending value as given.
	u.SRPSalt, u.SRPVerifier = "0c1d2e3f", []byte{0xff, 0x00, 0xaa}
	u.Pending = map[string]string{"email": "jane.later@example.com"}
	update(t, s, u)
	wantUser(t, s, u)
}

func testUserInsertConflicts(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	a := newUser(p.ID, "alice")
	insertUsers(t, s, a)

	dupKey := newUser(p.ID, "alice")
	dupKey.Sub = "another-sub"
	wantPlainConflict(t, "insert with a taken key", s.SaveUsers(ctx, inserts(dupKey)...))
	if dupKey.Version != 0 {
		t.Fatalf("a refused insert set Version to %d", dupKey.Version)
	}
	_, err := s.GetUserBySub(ctx, p.ID, dupKey.Sub)
	wantErr(t, "GetUserBySub of the refused user", err, userpool.ErrNotFound)

	dupSub := newUser(p.ID, "bob")
	dupSub.Sub = a.Sub
	wantPlainConflict(t, "insert with a taken sub", s.SaveUsers(ctx, inserts(dupSub)...))
	wantNoUser(t, s, p.ID, "bob")
	wantUser(t, s, a)

	// Keys and subs are unique per pool, not across pools.
	insertUsers(t, s, newUser(q.ID, "alice"))

	wantErr(t, "insert into a missing pool", s.SaveUsers(ctx, inserts(newUser("us-east-1_none", "x"))...), userpool.ErrNotFound)
	must(t, "SaveUsers with no writes", s.SaveUsers(ctx))
}

func testUserUpdate(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	u := newUser(p.ID, "alice", "email:alice@example.com")
	insertUsers(t, s, u)
	stale := *u
	v := u.Version

	u.Status = "RESET_REQUIRED"
	u.Attributes = append(u.Attributes, userpool.Attribute{Name: "email", Value: "alice@example.com"})
	update(t, s, u)
	if u.Version == v {
		t.Fatalf("SaveUsers left Version at %d", v)
	}
	wantUser(t, s, u)
	// An unchanged alias stays with its user: a user does not conflict with itself.
	wantAliasHolder(t, s, p.ID, "email:alice@example.com", "alice")

	stale.Status = "lost update"
	wantPlainConflict(t, "update with a stale version", s.SaveUsers(ctx, updates(&stale)...))
	if stale.Version != v {
		t.Fatalf("a refused update moved Version from %d to %d", v, stale.Version)
	}
	wantUser(t, s, u)

	ghost := newUser(p.ID, "ghost")
	ghost.Version = u.Version
	wantErr(t, "update of a missing user", s.SaveUsers(ctx, updates(ghost)...), userpool.ErrNotFound)
	wantNoUser(t, s, p.ID, "ghost")

	// The sub can change, but not to another user's.
	b := newUser(p.ID, "bob")
	insertUsers(t, s, b)
	b.Sub = u.Sub
	wantPlainConflict(t, "update to a taken sub", s.SaveUsers(ctx, updates(b)...))
	b.Sub = "sub-bob-2"
	update(t, s, b)
	got, err := s.GetUserBySub(ctx, p.ID, "sub-bob-2")
	must(t, "GetUserBySub of the new sub", err)
	same(t, "GetUserBySub of the new sub", b, got)
	_, err = s.GetUserBySub(ctx, p.ID, "sub-bob")
	wantErr(t, "GetUserBySub of the old sub", err, userpool.ErrNotFound)
}

func testUserAliasConflict(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice", "email:a@example.com", "phone_number:+15555550100")
	insertUsers(t, s, a)

	b := newUser(p.ID, "bob", "email:a@example.com")
	err := s.SaveUsers(ctx, inserts(b)...)
	wantErr(t, "insert with a held alias", err, userpool.ErrAliasConflict)
	wantErr(t, "insert with a held alias", err, userpool.ErrConflict)
	wantNoUser(t, s, p.ID, "bob")
	if b.Version != 0 {
		t.Fatalf("a refused insert set Version to %d", b.Version)
	}

	c := newUser(p.ID, "carol")
	insertUsers(t, s, c)
	taken := *c
	taken.Aliases = []string{"phone_number:+15555550100"}
	wantErr(t, "update taking a held alias", s.SaveUsers(ctx, updates(&taken)...), userpool.ErrAliasConflict)
	wantUser(t, s, c)

	d := newUser(p.ID, "dave", "email:d@example.com")
	e := newUser(p.ID, "erin", "email:d@example.com")
	wantErr(t, "two users of one call with one alias", s.SaveUsers(ctx, inserts(d, e)...), userpool.ErrAliasConflict)
	wantNoUser(t, s, p.ID, "dave")
	wantNoUser(t, s, p.ID, "erin")

	wantAliasHolder(t, s, p.ID, "email:a@example.com", "alice")
	wantAliasHolder(t, s, p.ID, "phone_number:+15555550100", "alice")
	wantAliasHolder(t, s, p.ID, "email:d@example.com", "")
}

func testUserAliasAtomicity(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice", "email:a@example.com")
	b := newUser(p.ID, "bob", "email:b@example.com")
	insertUsers(t, s, a, b)

	// An insert followed by a conflicting insert: neither is stored.
	c := newUser(p.ID, "carol", "email:c@example.com")
	d := newUser(p.ID, "dave", "email:a@example.com")
	wantErr(t, "insert, then a conflicting insert", s.SaveUsers(ctx, inserts(c, d)...), userpool.ErrAliasConflict)
	wantNoUser(t, s, p.ID, "carol")
	wantNoUser(t, s, p.ID, "dave")
	wantAliasHolder(t, s, p.ID, "email:c@example.com", "")
	if c.Version != 0 || d.Version != 0 {
		t.Fatalf("a refused call set Versions to %d, %d", c.Version, d.Version)
	}

	// An update followed by a conflicting insert: the update is undone, aliases included.
	b2 := *b
	b2.Status = "RESET_REQUIRED"
	b2.Aliases = []string{"email:b2@example.com"}
	f := newUser(p.ID, "frank", "email:a@example.com")
	wantErr(t, "update, then a conflicting insert", s.SaveUsers(ctx,
		userpool.UserWrite{User: &b2}, userpool.UserWrite{User: f, New: true}), userpool.ErrAliasConflict)
	wantUser(t, s, b)
	wantAliasHolder(t, s, p.ID, "email:b@example.com", "bob")
	wantAliasHolder(t, s, p.ID, "email:b2@example.com", "")
	if b2.Version != b.Version {
		t.Fatalf("a refused call moved Version from %d to %d", b.Version, b2.Version)
	}

	// An insert followed by a stale update: the insert is undone.
	fresh := *a
	fresh.Status = "RESET_REQUIRED"
	update(t, s, &fresh) // a is now stale
	g := newUser(p.ID, "gina", "email:g@example.com")
	wantPlainConflict(t, "insert, then a stale update", s.SaveUsers(ctx,
		userpool.UserWrite{User: g, New: true}, userpool.UserWrite{User: a}))
	wantNoUser(t, s, p.ID, "gina")
	wantAliasHolder(t, s, p.ID, "email:g@example.com", "")
	wantUser(t, s, &fresh)
}

func testUserAliasesReplaced(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice", "email:old@example.com", "preferred_username:al")
	insertUsers(t, s, a)

	a.Aliases = []string{"preferred_username:al", "email:new@example.com"}
	update(t, s, a)
	wantUser(t, s, a)
	wantAliasHolder(t, s, p.ID, "email:old@example.com", "")
	wantAliasHolder(t, s, p.ID, "email:new@example.com", "alice")
	wantAliasHolder(t, s, p.ID, "preferred_username:al", "alice")

	// The released alias is free for another user.
	insertUsers(t, s, newUser(p.ID, "bob", "email:old@example.com"))
	wantAliasHolder(t, s, p.ID, "email:old@example.com", "bob")

	a.Aliases = nil
	update(t, s, a)
	wantUser(t, s, a)
	wantAliasHolder(t, s, p.ID, "email:new@example.com", "")
	wantAliasHolder(t, s, p.ID, "preferred_username:al", "")
}

func testUserAliasMovesWithinCall(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice", "email:shared@example.com")
	b := newUser(p.ID, "bob")
	insertUsers(t, s, a, b)

	// The new holder is written before the old one lets go; the call as a whole is consistent.
	b.Aliases = []string{"email:shared@example.com"}
	a.Aliases = nil
	update(t, s, b, a)
	wantAliasHolder(t, s, p.ID, "email:shared@example.com", "bob")

	// And back, with the writes in the other order.
	a.Aliases = []string{"email:shared@example.com"}
	b.Aliases = nil
	update(t, s, b, a)
	wantAliasHolder(t, s, p.ID, "email:shared@example.com", "alice")
	wantUser(t, s, a)
	wantUser(t, s, b)

	// A new user takes the alias from its holder, the insert first (as AdminCreateUser
	// with ForceAliasCreation writes them).
	c := newUser(p.ID, "carol", "email:shared@example.com")
	a.Aliases = nil
	must(t, "SaveUsers", s.SaveUsers(t.Context(), userpool.UserWrite{User: c, New: true}, userpool.UserWrite{User: a}))
	wantAliasHolder(t, s, p.ID, "email:shared@example.com", "carol")
	wantUser(t, s, a)
	wantUser(t, s, c)
}

func testUserAliasPerPool(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	a := newUser(p.ID, "alice", "email:a@example.com")
	b := newUser(q.ID, "bob", "email:a@example.com")
	insertUsers(t, s, a)
	insertUsers(t, s, b)
	wantAliasHolder(t, s, p.ID, "email:a@example.com", "alice")
	wantAliasHolder(t, s, q.ID, "email:a@example.com", "bob")

	wantAliasHolder(t, s, p.ID, "email:nobody@example.com", "")
	_, err := s.GetUserBySub(ctx, p.ID, "no-such-sub")
	wantErr(t, "GetUserBySub of a missing sub", err, userpool.ErrNotFound)
	_, err = s.GetUserBySub(ctx, q.ID, a.Sub)
	wantErr(t, "GetUserBySub in the wrong pool", err, userpool.ErrNotFound)
	wantNoUser(t, s, q.ID, "alice")
}

func testUserDelete(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice", "email:a@example.com")
	b := newUser(p.ID, "bob")
	insertUsers(t, s, a, b)
	createGroup(t, s, p.ID, "admins")
	createGroup(t, s, p.ID, "staff")
	for _, m := range [][2]string{{"alice", "admins"}, {"alice", "staff"}, {"bob", "admins"}} {
		must(t, "AddUserToGroup", s.AddUserToGroup(ctx, p.ID, m[0], m[1]))
	}

	must(t, "DeleteUser", s.DeleteUser(ctx, p.ID, "alice"))
	wantNoUser(t, s, p.ID, "alice")
	_, err := s.GetUserBySub(ctx, p.ID, a.Sub)
	wantErr(t, "GetUserBySub of a deleted user", err, userpool.ErrNotFound)
	wantAliasHolder(t, s, p.ID, "email:a@example.com", "")
	wantMembers(t, s, p.ID, "admins", "bob")
	wantMembers(t, s, p.ID, "staff")
	wantGroupsOf(t, s, p.ID, "alice")
	wantErr(t, "DeleteUser again", s.DeleteUser(ctx, p.ID, "alice"), userpool.ErrNotFound)

	// The key, sub and alias are free, and no membership comes back with them.
	insertUsers(t, s, newUser(p.ID, "alice", "email:a@example.com"))
	wantGroupsOf(t, s, p.ID, "alice")
	wantUser(t, s, b)
}

func testUserList(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	// Keys list in byte order: upper case before lower, non-ASCII last.
	keys := []string{"mallory", "Bob", "alice", "\u00fcnal", "_x", "0zed", "carol", "Dave", "\u00e9mile", "bob"}
	byKey := map[string]*userpool.User{}
	for _, k := range keys {
		u := newUser(p.ID, k, "email:"+k+"@example.com")
		byKey[k] = u
		insertUsers(t, s, u)
	}
	insertUsers(t, s, newUser(q.ID, "alice"), newUser(q.ID, "aardvark"))

	for _, limit := range []int{1, 2, 3, 100} {
		got := pageKeys(t, limit, func(after string, limit int) ([]*userpool.User, error) {
			return s.ListUsers(ctx, p.ID, after, limit)
		}, func(u *userpool.User) string { return u.Key })
		same(t, fmt.Sprintf("user keys paged %d at a time", limit), sorted(keys...), got)
	}
	all, err := s.ListUsers(ctx, p.ID, "", 0)
	must(t, "ListUsers with limit 0", err)
	var want []*userpool.User
	for _, k := range sorted(keys...) {
		want = append(want, byKey[k])
	}
	same(t, "ListUsers with limit 0", want, all)

	last := sorted(keys...)[len(keys)-1]
	none, err := s.ListUsers(ctx, p.ID, last, 10)
	must(t, "ListUsers after the last key", err)
	if len(none) != 0 {
		t.Fatalf("ListUsers after the last key returned %d users", len(none))
	}
	none, err = s.ListUsers(ctx, "us-east-1_none", "", 10)
	must(t, "ListUsers of a missing pool", err)
	if len(none) != 0 {
		t.Fatalf("ListUsers of a missing pool returned %d users", len(none))
	}
}

func testUserListStable(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	for _, k := range []string{"user-a", "user-c", "user-e", "user-g", "user-i"} {
		insertUsers(t, s, newUser(p.ID, k))
	}
	page := func(after string, limit int, want ...string) {
		t.Helper()
		got, err := s.ListUsers(ctx, p.ID, after, limit)
		must(t, "ListUsers", err)
		var keys []string
		for _, u := range got {
			keys = append(keys, u.Key)
		}
		same(t, "page after "+after, want, keys)
	}
	page("", 2, "user-a", "user-c")
	// Rows written between pages: one before the cursor (not seen, never repeated), two after.
	insertUsers(t, s, newUser(p.ID, "user-b"), newUser(p.ID, "user-d"), newUser(p.ID, "user-z"))
	page("user-c", 2, "user-d", "user-e")
	must(t, "DeleteUser", s.DeleteUser(ctx, p.ID, "user-g"))
	page("user-e", 10, "user-i", "user-z")
}

func testUserConcurrentSave(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	u := newUser(p.ID, "alice", "email:alice@example.com")
	insertUsers(t, s, u)

	const n = 8
	writers := make([]*userpool.User, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		w := *u
		w.Username = fmt.Sprintf("writer-%d", i)
		w.Aliases = []string{fmt.Sprintf("email:writer-%d@example.com", i)}
		writers[i] = &w
		wg.Go(func() {
			<-start
			errs[i] = s.SaveUsers(ctx, userpool.UserWrite{User: writers[i]})
		})
	}
	close(start)
	wg.Wait()

	winner := -1
	for i, err := range errs {
		switch {
		case err == nil:
			if winner >= 0 {
				t.Fatalf("writers %d and %d both saved version %d", winner, i, u.Version)
			}
			winner = i
		case errors.Is(err, userpool.ErrConflict):
		default:
			t.Fatalf("writer %d: %v, want nil or ErrConflict", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no writer saved")
	}
	wantUser(t, s, writers[winner])
	for i := range n {
		holder := ""
		if i == winner {
			holder = "alice"
		}
		wantAliasHolder(t, s, p.ID, fmt.Sprintf("email:writer-%d@example.com", i), holder)
	}
	wantAliasHolder(t, s, p.ID, "email:alice@example.com", "")
}
