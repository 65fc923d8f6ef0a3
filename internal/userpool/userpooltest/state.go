package userpooltest

import (
	"errors"
	"io"
	"testing"
	"time"

	"cognate/internal/userpool"
)

// poolState is everything a store holds for one pool, as the listings return it.
type poolState struct {
	Pool     *userpool.Pool
	Clients  []*userpool.Client
	Users    []*userpool.User
	Groups   []*userpool.Group
	Members  map[string][]string // group name → member keys
	Messages []*userpool.Message
	Codes    []*userpool.Code    // by user key, then in the order of purposes
	Sessions []*userpool.Session // by user key; ids from sessionID
}

// sessionID is the id populate gives the session of the pool's user with key, so that
// readState can find it (the Store lists no sessions).
func sessionID(poolID, key string) string { return poolID + "-session-" + key }

// populate fills a new pool with a little of everything and returns what it wrote, in
// the order readState lists it. Ids that must be unique across pools derive from poolID.
func populate(t *testing.T, s userpool.Store, poolID string) *poolState {
	t.Helper()
	ctx := t.Context()
	st := &poolState{Pool: createPool(t, s, poolID), Members: map[string][]string{}}
	st.Pool.Doc.Name = ptr("renamed")
	must(t, "UpdatePool", s.UpdatePool(ctx, st.Pool)) // so that Version is past its first value

	st.Clients = []*userpool.Client{createClient(t, s, poolID, poolID+"-app1"), createClient(t, s, poolID, poolID+"-app2")}

	alice := newUser(poolID, "alice", "email:alice@example.com", "phone_number:+15555550100")
	bob := newUser(poolID, "bob", "email:bob@example.com")
	carol := newUser(poolID, "carol")
	carol.PasswordHash, carol.PasswordSetAt = "$argon2id$carol", base().Add(time.Minute)
	insertUsers(t, s, alice, bob, carol)
	bob.Status = "RESET_REQUIRED"
	update(t, s, bob)
	st.Users = []*userpool.User{alice, bob, carol}

	st.Groups = []*userpool.Group{createGroup(t, s, poolID, "admins"), createGroup(t, s, poolID, "staff")}
	for _, m := range [][2]string{{"alice", "admins"}, {"bob", "admins"}, {"carol", "staff"}} {
		must(t, "AddUserToGroup", s.AddUserToGroup(ctx, poolID, m[0], m[1]))
		st.Members[m[1]] = append(st.Members[m[1]], m[0])
	}

	m1 := newMessage(poolID+"-m1", poolID, "alice", "alice@example.com", base())
	m2 := newMessage(poolID+"-m2", poolID, "bob", "bob@example.com", base().Add(time.Second))
	for _, m := range []*userpool.Message{m1, m2} {
		addMessage(t, s, m)
	}
	st.Messages = []*userpool.Message{m2, m1}

	st.Codes = []*userpool.Code{
		newCode(alice, "recovery", base(), 1),
		newCode(bob, "signup", base(), 2),
		newCode(bob, "verify:email", base().Add(time.Second), 3),
	}
	for _, c := range st.Codes {
		putCode(t, s, c)
	}
	aliceSession := newSession(sessionID(poolID, "alice"), alice, poolID+"-app1", base())
	carolSession := newSession(sessionID(poolID, "carol"), carol, poolID+"-app2", base().Add(time.Minute))
	st.Sessions = []*userpool.Session{aliceSession, carolSession}
	for _, se := range st.Sessions {
		createSession(t, s, se)
	}
	carolSession.RevokedAt = base().Add(2 * time.Minute)
	must(t, "RevokeSession", s.RevokeSession(ctx, carolSession.ID, carolSession.RevokedAt))
	return st
}

// readState reads back what populate wrote.
func readState(t *testing.T, s userpool.Store, poolID string) *poolState {
	t.Helper()
	ctx := t.Context()
	st := &poolState{Members: map[string][]string{}}
	var err error
	st.Pool, err = s.GetPool(ctx, poolID)
	must(t, "GetPool", err)
	st.Clients, err = s.ListClients(ctx, poolID, "", 0)
	must(t, "ListClients", err)
	st.Users, err = s.ListUsers(ctx, poolID, "", 0)
	must(t, "ListUsers", err)
	st.Groups, err = s.ListGroups(ctx, poolID, "", 0)
	must(t, "ListGroups", err)
	for _, g := range st.Groups {
		members, err := s.ListUsersInGroup(ctx, poolID, g.Name, "", 0)
		must(t, "ListUsersInGroup", err)
		for _, u := range members {
			st.Members[g.Name] = append(st.Members[g.Name], u.Key)
		}
	}
	st.Messages = listMessages(t, s, userpool.MessageFilter{UserPoolID: poolID})
	for _, u := range st.Users {
		for _, purpose := range purposes {
			c, err := s.GetCode(ctx, poolID, u.Sub, purpose)
			if errors.Is(err, userpool.ErrNotFound) {
				continue
			}
			must(t, "GetCode", err)
			st.Codes = append(st.Codes, c)
		}
		se, err := s.GetSession(ctx, sessionID(poolID, u.Key))
		if errors.Is(err, userpool.ErrNotFound) {
			continue
		}
		must(t, "GetSession", err)
		st.Sessions = append(st.Sessions, se)
	}
	return st
}

// wantPoolGone fails the test if anything of what populate wrote for the pool remains.
func wantPoolGone(t *testing.T, s userpool.Store, st *poolState) {
	t.Helper()
	ctx := t.Context()
	id := st.Pool.ID
	_, err := s.GetPool(ctx, id)
	wantErr(t, "GetPool", err, userpool.ErrNotFound)
	for _, c := range st.Clients {
		_, err := s.GetClient(ctx, id, c.ID)
		wantErr(t, "GetClient", err, userpool.ErrNotFound)
		_, err = s.FindClient(ctx, c.ID)
		wantErr(t, "FindClient", err, userpool.ErrNotFound)
	}
	for _, u := range st.Users {
		wantNoUser(t, s, id, u.Key)
		_, err := s.GetUserBySub(ctx, id, u.Sub)
		wantErr(t, "GetUserBySub", err, userpool.ErrNotFound)
		for _, a := range u.Aliases {
			wantAliasHolder(t, s, id, a, "")
		}
		wantGroupsOf(t, s, id, u.Key)
	}
	for _, c := range st.Codes {
		wantNoCode(t, s, id, c.UserSub, c.Purpose)
	}
	for _, se := range st.Sessions {
		wantNoSession(t, s, se.ID)
	}
	for _, g := range st.Groups {
		_, err := s.GetGroup(ctx, id, g.Name)
		wantErr(t, "GetGroup", err, userpool.ErrNotFound)
		wantMembers(t, s, id, g.Name)
	}
	n, err := s.CountUsers(ctx, id)
	must(t, "CountUsers", err)
	if n != 0 {
		t.Fatalf("CountUsers of a deleted pool = %d", n)
	}
	empty := func(what string, n int, err error) {
		t.Helper()
		must(t, what, err)
		if n != 0 {
			t.Fatalf("%s of a deleted pool: %d rows", what, n)
		}
	}
	clients, err := s.ListClients(ctx, id, "", 0)
	empty("ListClients", len(clients), err)
	users, err := s.ListUsers(ctx, id, "", 0)
	empty("ListUsers", len(users), err)
	groups, err := s.ListGroups(ctx, id, "", 0)
	empty("ListGroups", len(groups), err)
	messages, err := s.ListMessages(ctx, userpool.MessageFilter{UserPoolID: id})
	empty("ListMessages", len(messages), err)
}

func testDeletePoolCascades(t *testing.T, s userpool.Store) {
	a := populate(t, s, "us-east-1_aaaa")
	b := populate(t, s, "us-east-1_bbbb")
	must(t, "DeletePool", s.DeletePool(t.Context(), a.Pool.ID))
	wantPoolGone(t, s, a)
	same(t, "the other pool", b, readState(t, s, b.Pool.ID))

	// A new pool with the same id starts empty and can take every id, key, alias again.
	a = populate(t, s, a.Pool.ID)
	same(t, "the pool made again", a, readState(t, s, a.Pool.ID))
}

// testReset checks that Reset wipes every pool with all that hangs off it (clients, users,
// groups, codes, sessions, attempts) and the inbox, but keeps the signing keys: they are the
// installation's identity, not state a test builds up, and tokens signed before a reset
// must stay verifiable.
func testReset(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	a := populate(t, s, "us-east-1_aaaa")
	b := populate(t, s, "us-east-1_bbbb")
	keys := []*userpool.SigningKeyRecord{newSigningKey("k1", base()), newSigningKey("k2", base().Add(time.Hour))}
	for _, k := range keys {
		must(t, "AddSigningKey", s.AddSigningKey(ctx, k))
	}
	exhaust(t, s, a.Pool.ID, "alice", "forgot", base())
	must(t, "Reset", s.Reset(ctx))
	wantPoolGone(t, s, a)
	wantPoolGone(t, s, b)
	pools, err := s.ListPools(ctx, "", 0)
	must(t, "ListPools", err)
	if len(pools) != 0 {
		t.Fatalf("Reset left %d pools", len(pools))
	}
	if got := listMessages(t, s, userpool.MessageFilter{}); len(got) != 0 {
		t.Fatalf("Reset left %d messages", len(got))
	}
	same(t, "signing keys after Reset", keys, signingKeys(t, s))
	a = populate(t, s, a.Pool.ID)
	same(t, "a pool made after Reset", a, readState(t, s, a.Pool.ID))
	// The attempts went with the pool: the counter starts afresh.
	exhaust(t, s, a.Pool.ID, "alice", "forgot", base())
}

// TestRestart checks that what a store acknowledged is there after it is closed and opened
// again. open must open the same database each time it is called within one test, and
// arrange (with t.Cleanup) to close what it opened; TestRestart closes the first store
// itself when it is an io.Closer, so Close must be safe to call twice.
func TestRestart(t *testing.T, open func(t *testing.T) userpool.Store) {
	ctx := t.Context()
	s := open(t)
	want := populate(t, s, "us-east-1_restart")
	keys := []*userpool.SigningKeyRecord{newSigningKey("k1", base()), newSigningKey("k2", base().Add(time.Hour))}
	for _, k := range keys {
		must(t, "AddSigningKey", s.AddSigningKey(ctx, k))
	}
	exhaust(t, s, want.Pool.ID, "alice", "forgot", base())
	if c, ok := s.(io.Closer); ok {
		must(t, "Close", c.Close())
	}

	s = open(t)
	same(t, "state after reopening", want, readState(t, s, want.Pool.ID))
	same(t, "signing keys after reopening", keys, signingKeys(t, s))
	// Counters hold across restarts as they do across processes.
	attempt(t, s, want.Pool.ID, "alice", "forgot", base().Add(10*time.Minute), false)

	// Versions carry on where they were.
	want.Pool.Doc.Name = ptr("after restart")
	must(t, "UpdatePool after reopening", s.UpdatePool(ctx, want.Pool))
	u := want.Users[0]
	u.Status = "RESET_REQUIRED"
	must(t, "SaveUsers after reopening", s.SaveUsers(ctx, userpool.UserWrite{User: u}))
	same(t, "state after writing again", want, readState(t, s, want.Pool.ID))
}

// testResetPool checks that ResetPool empties one pool of its users (with their aliases,
// memberships, codes and sessions), attempts and messages, keeps the pool, its clients and
// groups, and leaves every other pool as it was.
func testResetPool(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	a := populate(t, s, "us-east-1_aaaa")
	b := populate(t, s, "us-east-1_bbbb")
	exhaust(t, s, a.Pool.ID, "alice", "forgot", base())
	exhaust(t, s, a.Pool.ID, "shadow:nobody", "forgot", base())
	exhaust(t, s, b.Pool.ID, "alice", "forgot", base())

	must(t, "ResetPool", s.ResetPool(ctx, a.Pool.ID))
	want := &poolState{Pool: a.Pool, Clients: a.Clients, Groups: a.Groups, Members: map[string][]string{}}
	same(t, "the pool after ResetPool", want, readState(t, s, a.Pool.ID))
	for _, u := range a.Users {
		wantNoUser(t, s, a.Pool.ID, u.Key)
		for _, al := range u.Aliases {
			wantAliasHolder(t, s, a.Pool.ID, al, "")
		}
	}
	for _, c := range a.Codes {
		wantNoCode(t, s, a.Pool.ID, c.UserSub, c.Purpose)
	}
	for _, se := range a.Sessions {
		wantNoSession(t, s, se.ID)
	}
	same(t, "the other pool", b, readState(t, s, b.Pool.ID))
	// The attempts went, a shadow subject's too; the other pool's stayed.
	exhaust(t, s, a.Pool.ID, "alice", "forgot", base())
	exhaust(t, s, a.Pool.ID, "shadow:nobody", "forgot", base())
	attempt(t, s, b.Pool.ID, "alice", "forgot", base().Add(30*time.Minute), false)

	// The emptied pool takes the same users, keys, subs and aliases again.
	insertUsers(t, s, a.Users[0])

	wantErr(t, "ResetPool of a missing pool", s.ResetPool(ctx, "us-east-1_missing"), userpool.ErrNotFound)
}
