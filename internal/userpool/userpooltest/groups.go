package userpooltest

import (
	"fmt"
	"testing"
	"time"

	"cognate/internal/userpool"
)

func newGroup(poolID, name string) *userpool.Group {
	return &userpool.Group{
		PoolID:      poolID,
		Name:        name,
		Description: ptr("the " + name),
		RoleArn:     ptr("arn:aws:iam::000000000000:role/" + name),
		Precedence:  ptr(int32(len(name))),
		CreatedAt:   base(),
		ModifiedAt:  base().Add(time.Minute),
	}
}

func createGroup(t *testing.T, s userpool.Store, poolID, name string) *userpool.Group {
	t.Helper()
	g := newGroup(poolID, name)
	must(t, "CreateGroup "+name, s.CreateGroup(t.Context(), g))
	return g
}

// wantMembers fails the test unless the group's members are exactly keys, in key order.
func wantMembers(t *testing.T, s userpool.Store, poolID, group string, keys ...string) {
	t.Helper()
	users, err := s.ListUsersInGroup(t.Context(), poolID, group, "", 0)
	must(t, "ListUsersInGroup "+group, err)
	var got []string
	for _, u := range users {
		got = append(got, u.Key)
	}
	same(t, "members of "+group, keys, got)
}

// wantGroupsOf fails the test unless the user's groups are exactly names, in name order.
func wantGroupsOf(t *testing.T, s userpool.Store, poolID, key string, names ...string) {
	t.Helper()
	groups, err := s.ListGroupsForUser(t.Context(), poolID, key, "", 0)
	must(t, "ListGroupsForUser "+key, err)
	var got []string
	for _, g := range groups {
		got = append(got, g.Name)
	}
	same(t, "groups of "+key, names, got)
}

func testGroupCreateGet(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	g := createGroup(t, s, p.ID, "admins")
	allSet(t, g)
	got, err := s.GetGroup(ctx, p.ID, g.Name)
	must(t, "GetGroup", err)
	same(t, "GetGroup", g, got)
	wantUTC(t, "GetGroup", got.CreatedAt, got.ModifiedAt)

	// Absent optional members stay absent; present zero values stay present.
	bare := &userpool.Group{PoolID: p.ID, Name: "bare", CreatedAt: base(), ModifiedAt: base()}
	zero := &userpool.Group{PoolID: p.ID, Name: "zero", Description: ptr(""), RoleArn: ptr(""),
		Precedence: ptr(int32(0)), CreatedAt: base(), ModifiedAt: base()}
	for _, want := range []*userpool.Group{bare, zero} {
		must(t, "CreateGroup "+want.Name, s.CreateGroup(ctx, want))
		got, err := s.GetGroup(ctx, p.ID, want.Name)
		must(t, "GetGroup "+want.Name, err)
		same(t, "GetGroup "+want.Name, want, got)
	}

	_, err = s.GetGroup(ctx, p.ID, "nope")
	wantErr(t, "GetGroup of a missing group", err, userpool.ErrNotFound)
	_, err = s.GetGroup(ctx, q.ID, g.Name)
	wantErr(t, "GetGroup in the wrong pool", err, userpool.ErrNotFound)
}

func testGroupCreateErrors(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	g := createGroup(t, s, p.ID, "admins")

	dup := newGroup(p.ID, "admins")
	dup.Description = ptr("another")
	wantErr(t, "CreateGroup with a taken name", s.CreateGroup(ctx, dup), userpool.ErrConflict)
	got, err := s.GetGroup(ctx, p.ID, g.Name)
	must(t, "GetGroup", err)
	same(t, "group after a refused duplicate", g, got)

	createGroup(t, s, q.ID, "admins") // names are unique per pool
	wantErr(t, "CreateGroup in a missing pool", s.CreateGroup(ctx, newGroup("us-east-1_none", "x")), userpool.ErrNotFound)
}

func testGroupUpdate(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	g := createGroup(t, s, p.ID, "admins")

	g.Description = nil
	g.RoleArn = ptr("arn:aws:iam::000000000000:role/other")
	g.Precedence = ptr(int32(1))
	g.ModifiedAt = base().Add(time.Hour)
	must(t, "UpdateGroup", s.UpdateGroup(ctx, g))
	got, err := s.GetGroup(ctx, p.ID, g.Name)
	must(t, "GetGroup", err)
	same(t, "group after UpdateGroup", g, got)

	wantErr(t, "UpdateGroup of a missing group", s.UpdateGroup(ctx, newGroup(p.ID, "nope")), userpool.ErrNotFound)
}

func testGroupList(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	names := []string{"staff", "Admins", "admins", "zeta", "beta"}
	byName := map[string]*userpool.Group{}
	for _, n := range names {
		byName[n] = createGroup(t, s, p.ID, n)
	}
	createGroup(t, s, q.ID, "other")
	for _, limit := range []int{1, 2, 10} {
		got := pageKeys(t, limit, func(after string, limit int) ([]*userpool.Group, error) {
			return s.ListGroups(ctx, p.ID, after, limit)
		}, func(g *userpool.Group) string { return g.Name })
		same(t, fmt.Sprintf("group names paged %d at a time", limit), sorted(names...), got)
	}
	all, err := s.ListGroups(ctx, p.ID, "", 0)
	must(t, "ListGroups with limit 0", err)
	var want []*userpool.Group
	for _, n := range sorted(names...) {
		want = append(want, byName[n])
	}
	same(t, "ListGroups with limit 0", want, all)
}

func testGroupMembers(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	alice := newUser(p.ID, "alice", "email:alice@example.com")
	bob := newUser(p.ID, "bob")
	carol := newUser(p.ID, "carol")
	dave := newUser(p.ID, "dave")
	insertUsers(t, s, alice, bob, carol, dave)
	admins := createGroup(t, s, p.ID, "admins")
	staff := createGroup(t, s, p.ID, "staff")
	zeta := createGroup(t, s, p.ID, "zeta")

	add := func(poolID, key, group string) {
		t.Helper()
		must(t, fmt.Sprintf("AddUserToGroup %s %s", key, group), s.AddUserToGroup(ctx, poolID, key, group))
	}
	add(p.ID, "carol", "admins")
	add(p.ID, "alice", "admins")
	add(p.ID, "alice", "admins") // again: not an error, and one membership
	add(p.ID, "bob", "admins")

	// The same names in another pool are other users and groups.
	insertUsers(t, s, newUser(q.ID, "alice"), newUser(q.ID, "erin"))
	createGroup(t, s, q.ID, "admins")
	add(q.ID, "alice", "admins")
	add(q.ID, "erin", "admins")

	members, err := s.ListUsersInGroup(ctx, p.ID, "admins", "", 0)
	must(t, "ListUsersInGroup", err)
	same(t, "ListUsersInGroup", []*userpool.User{alice, bob, carol}, members)
	for _, limit := range []int{1, 2} {
		got := pageKeys(t, limit, func(after string, limit int) ([]*userpool.User, error) {
			return s.ListUsersInGroup(ctx, p.ID, "admins", after, limit)
		}, func(u *userpool.User) string { return u.Key })
		same(t, fmt.Sprintf("members paged %d at a time", limit), []string{"alice", "bob", "carol"}, got)
	}

	add(p.ID, "alice", "zeta")
	add(p.ID, "alice", "staff")
	groups, err := s.ListGroupsForUser(ctx, p.ID, "alice", "", 0)
	must(t, "ListGroupsForUser", err)
	same(t, "ListGroupsForUser", []*userpool.Group{admins, staff, zeta}, groups)
	for _, limit := range []int{1, 2} {
		got := pageKeys(t, limit, func(after string, limit int) ([]*userpool.Group, error) {
			return s.ListGroupsForUser(ctx, p.ID, "alice", after, limit)
		}, func(g *userpool.Group) string { return g.Name })
		same(t, fmt.Sprintf("groups paged %d at a time", limit), []string{"admins", "staff", "zeta"}, got)
	}

	must(t, "RemoveUserFromGroup", s.RemoveUserFromGroup(ctx, p.ID, "alice", "staff"))
	wantGroupsOf(t, s, p.ID, "alice", "admins", "zeta")
	must(t, "RemoveUserFromGroup again", s.RemoveUserFromGroup(ctx, p.ID, "alice", "staff"))
	must(t, "RemoveUserFromGroup of a non-member", s.RemoveUserFromGroup(ctx, p.ID, "dave", "admins"))
	wantGroupsOf(t, s, p.ID, "dave")
	wantMembers(t, s, p.ID, "staff")
	wantMembers(t, s, p.ID, "admins", "alice", "bob", "carol")
	wantMembers(t, s, q.ID, "admins", "alice", "erin")
	wantGroupsOf(t, s, q.ID, "alice", "admins")
}

func testGroupMembersMissing(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	insertUsers(t, s, newUser(p.ID, "alice"))
	createGroup(t, s, p.ID, "admins")

	wantErr(t, "AddUserToGroup of a missing user", s.AddUserToGroup(ctx, p.ID, "ghost", "admins"), userpool.ErrNotFound)
	wantErr(t, "AddUserToGroup to a missing group", s.AddUserToGroup(ctx, p.ID, "alice", "ghosts"), userpool.ErrNotFound)
	wantErr(t, "AddUserToGroup across pools", s.AddUserToGroup(ctx, q.ID, "alice", "admins"), userpool.ErrNotFound)
	wantMembers(t, s, p.ID, "admins")
	wantGroupsOf(t, s, p.ID, "alice")
	wantMembers(t, s, p.ID, "ghosts")
}

func testGroupDelete(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	alice, bob := newUser(p.ID, "alice"), newUser(p.ID, "bob")
	insertUsers(t, s, alice, bob)
	createGroup(t, s, p.ID, "admins")
	createGroup(t, s, p.ID, "staff")
	for _, m := range [][2]string{{"alice", "admins"}, {"bob", "admins"}, {"alice", "staff"}} {
		must(t, "AddUserToGroup", s.AddUserToGroup(ctx, p.ID, m[0], m[1]))
	}

	must(t, "DeleteGroup", s.DeleteGroup(ctx, p.ID, "admins"))
	_, err := s.GetGroup(ctx, p.ID, "admins")
	wantErr(t, "GetGroup of a deleted group", err, userpool.ErrNotFound)
	wantGroupsOf(t, s, p.ID, "alice", "staff")
	wantGroupsOf(t, s, p.ID, "bob")
	wantErr(t, "DeleteGroup again", s.DeleteGroup(ctx, p.ID, "admins"), userpool.ErrNotFound)

	// The members remain users, and a new group of the same name starts empty.
	wantUser(t, s, alice)
	wantUser(t, s, bob)
	createGroup(t, s, p.ID, "admins")
	wantMembers(t, s, p.ID, "admins")
}
