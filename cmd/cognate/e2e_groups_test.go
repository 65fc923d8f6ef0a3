package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

func TestGroups(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := createPool(t, s.Client, nil)

	created := must(s.Client.CreateGroup(bg, &cip.CreateGroupInput{
		UserPoolId: aws.String(pool), GroupName: aws.String("admins"),
		Description: aws.String("The administrators"), Precedence: aws.Int32(1),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/admins"),
	}))(t).Group
	want := &types.GroupType{
		UserPoolId: aws.String(pool), GroupName: aws.String("admins"), Description: aws.String("The administrators"),
		Precedence: aws.Int32(1), RoleArn: aws.String("arn:aws:iam::123456789012:role/admins"),
	}
	dates := ignoreFields("CreationDate", "LastModifiedDate")
	if diff := cmp.Diff(want, created, exported, dates); diff != "" {
		t.Errorf("CreateGroup answer (-want +got):\n%s", diff)
	}
	if created.CreationDate == nil || time.Since(*created.CreationDate) > time.Minute || !created.LastModifiedDate.Equal(*created.CreationDate) {
		t.Errorf("CreationDate %v, LastModifiedDate %v: want both now and equal", created.CreationDate, created.LastModifiedDate)
	}
	got := must(s.Client.GetGroup(bg, &cip.GetGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("admins")}))(t).Group
	if diff := cmp.Diff(created, got, exported); diff != "" {
		t.Errorf("GetGroup differs from CreateGroup (-create +get):\n%s", diff)
	}

	_, err := s.Client.CreateGroup(bg, &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("admins")})
	wantErr[*types.GroupExistsException](t, err, "A group with the name already exists.")
	_, err = s.Client.CreateGroup(bg, &cip.CreateGroupInput{UserPoolId: aws.String(missingPool), GroupName: aws.String("admins")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")
	_, err = s.Client.CreateGroup(bg, &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("bad"), RoleArn: aws.String("not-an-arn")})
	wantCode(t, err, "InvalidParameterException")

	// The same name in another pool is another group.
	other := createPool(t, s.Client, nil)
	must(s.Client.CreateGroup(bg, &cip.CreateGroupInput{UserPoolId: aws.String(other), GroupName: aws.String("admins")}))(t)

	_, err = s.Client.GetGroup(bg, &cip.GetGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("nobody")})
	wantErr[*types.ResourceNotFoundException](t, err, "Group not found.")
	_, err = s.Client.GetGroup(bg, &cip.GetGroupInput{UserPoolId: aws.String(missingPool), GroupName: aws.String("admins")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")

	t.Run("UpdateGroup", func(t *testing.T) {
		time.Sleep(5 * time.Millisecond)
		upd := must(s.Client.UpdateGroup(bg, &cip.UpdateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("admins"),
			Description: aws.String("Changed"), Precedence: aws.Int32(5)}))(t).Group
		want := *want
		want.Description, want.Precedence = aws.String("Changed"), aws.Int32(5)
		if diff := cmp.Diff(&want, upd, exported, dates); diff != "" {
			t.Errorf("UpdateGroup answer (-want +got):\n%s", diff)
		}
		if !upd.CreationDate.Equal(*created.CreationDate) || !upd.LastModifiedDate.After(*created.LastModifiedDate) {
			t.Errorf("dates after UpdateGroup: created %v, modified %v", upd.CreationDate, upd.LastModifiedDate)
		}
		got := must(s.Client.GetGroup(bg, &cip.GetGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("admins")}))(t).Group
		if diff := cmp.Diff(upd, got, exported); diff != "" {
			t.Errorf("GetGroup after UpdateGroup (-update +get):\n%s", diff)
		}
		_, err := s.Client.UpdateGroup(bg, &cip.UpdateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("nobody"), Description: aws.String("x")})
		wantErr[*types.ResourceNotFoundException](t, err, "Group not found.")
	})

	t.Run("DeleteGroup", func(t *testing.T) {
		must(s.Client.CreateGroup(bg, &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("temp")}))(t)
		createUser(t, s.Client, pool, "member")
		must(s.Client.AdminAddUserToGroup(bg, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(pool), Username: aws.String("member"), GroupName: aws.String("temp")}))(t)
		must(s.Client.DeleteGroup(bg, &cip.DeleteGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("temp")}))(t)
		_, err := s.Client.GetGroup(bg, &cip.GetGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("temp")})
		wantErr[*types.ResourceNotFoundException](t, err, "Group not found.")
		_, err = s.Client.DeleteGroup(bg, &cip.DeleteGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("temp")})
		wantErr[*types.ResourceNotFoundException](t, err, "Group not found.")
		_, err = s.Client.DeleteGroup(bg, &cip.DeleteGroupInput{UserPoolId: aws.String(missingPool), GroupName: aws.String("temp")})
		wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")
		// The member stays, without the group.
		getUser(t, s.Client, pool, "member")
		groups := must(s.Client.AdminListGroupsForUser(bg, &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(pool), Username: aws.String("member")}))(t)
		if len(groups.Groups) != 0 {
			t.Errorf("the member of a deleted group is still in %d groups", len(groups.Groups))
		}
		// The name can be used again, and the new group starts empty.
		must(s.Client.CreateGroup(bg, &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("temp")}))(t)
		users := must(s.Client.ListUsersInGroup(bg, &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("temp")}))(t)
		if len(users.Users) != 0 {
			t.Errorf("a re-created group has %d members", len(users.Users))
		}
	})
}

func TestListGroupsPaging(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := createPool(t, s.Client, nil)
	var want []string
	for i := range 5 {
		name := fmt.Sprintf("group-%d", i)
		must(s.Client.CreateGroup(bg, &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String(name), Precedence: aws.Int32(int32(i))}))(t)
		want = append(want, name)
	}
	var got []string
	var sizes []int
	var token *string
	for page := 0; ; page++ {
		if page > 5 {
			t.Fatalf("ListGroups still has a NextToken after %d pages", page)
		}
		out := must(s.Client.ListGroups(bg, &cip.ListGroupsInput{UserPoolId: aws.String(pool), Limit: aws.Int32(2), NextToken: token}))(t)
		sizes = append(sizes, len(out.Groups))
		for _, g := range out.Groups {
			got = append(got, aws.ToString(g.GroupName))
			if aws.ToString(g.UserPoolId) != pool {
				t.Errorf("group %s listed with pool %s", aws.ToString(g.GroupName), aws.ToString(g.UserPoolId))
			}
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("groups listed two at a time (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{2, 2, 1}, sizes); diff != "" {
		t.Errorf("page sizes (-want +got):\n%s", diff)
	}
	all := must(s.Client.ListGroups(bg, &cip.ListGroupsInput{UserPoolId: aws.String(pool)}))(t)
	if len(all.Groups) != 5 || all.NextToken != nil {
		t.Errorf("ListGroups without a limit: %d groups, NextToken %v", len(all.Groups), aws.ToString(all.NextToken))
	}
	_, err := s.Client.ListGroups(bg, &cip.ListGroupsInput{UserPoolId: aws.String(missingPool)})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")
}

func TestGroupMembership(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := aliasPool(t, s, nil)
	for _, g := range []string{"readers", "writers", "admins"} {
		must(s.Client.CreateGroup(bg, &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String(g)}))(t)
	}
	createUser(t, s.Client, pool, "jane", "email", "jane@example.com", "email_verified", "true")
	createUser(t, s.Client, pool, "bob")
	createUser(t, s.Client, pool, "carl")
	add := func(user, group string) error {
		_, err := s.Client.AdminAddUserToGroup(bg, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(pool), Username: aws.String(user), GroupName: aws.String(group)})
		return err
	}
	remove := func(user, group string) error {
		_, err := s.Client.AdminRemoveUserFromGroup(bg, &cip.AdminRemoveUserFromGroupInput{UserPoolId: aws.String(pool), Username: aws.String(user), GroupName: aws.String(group)})
		return err
	}
	groupsOf := func(user string) []string {
		t.Helper()
		out := must(s.Client.AdminListGroupsForUser(bg, &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(pool), Username: aws.String(user)}))(t)
		var names []string
		for _, g := range out.Groups {
			names = append(names, aws.ToString(g.GroupName))
		}
		return names
	}
	membersOf := func(group string) []string {
		t.Helper()
		out := must(s.Client.ListUsersInGroup(bg, &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String(group)}))(t)
		var names []string
		for _, u := range out.Users {
			names = append(names, aws.ToString(u.Username))
		}
		return names
	}

	for _, m := range [][2]string{{"jane", "writers"}, {"jane", "readers"}, {"jane@example.com", "admins"}, {"bob", "readers"}, {"carl", "readers"}} {
		if err := add(m[0], m[1]); err != nil {
			t.Fatalf("AdminAddUserToGroup(%s, %s): %v", m[0], m[1], err)
		}
	}
	if err := add("jane", "readers"); err != nil {
		t.Errorf("adding a member again: %v, want no error", err)
	}
	if diff := cmp.Diff([]string{"admins", "readers", "writers"}, groupsOf("jane")); diff != "" {
		t.Errorf("jane's groups (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"bob", "carl", "jane"}, membersOf("readers")); diff != "" {
		t.Errorf("readers (-want +got):\n%s", diff)
	}

	out := must(s.Client.ListUsersInGroup(bg, &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("admins")}))(t)
	if len(out.Users) != 1 {
		t.Fatalf("admins has %d members, want 1", len(out.Users))
	}
	jane := getUser(t, s.Client, pool, "jane")
	u := out.Users[0]
	if aws.ToString(u.Username) != "jane" || !u.Enabled || u.UserStatus != types.UserStatusTypeForceChangePassword ||
		!cmp.Equal(jane.UserAttributes, u.Attributes, exported) {
		t.Errorf("ListUsersInGroup describes jane as %+v", u)
	}
	g := must(s.Client.AdminListGroupsForUser(bg, &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane"), Limit: aws.Int32(1)}))(t)
	if len(g.Groups) != 1 || aws.ToString(g.Groups[0].GroupName) != "admins" || g.NextToken == nil ||
		aws.ToString(g.Groups[0].UserPoolId) != pool || g.Groups[0].CreationDate == nil {
		t.Errorf("AdminListGroupsForUser Limit 1: %+v, NextToken %v", g.Groups, aws.ToString(g.NextToken))
	}

	t.Run("paging", func(t *testing.T) {
		var got []string
		var token *string
		for page := 0; ; page++ {
			if page > 4 {
				t.Fatalf("ListUsersInGroup still has a NextToken after %d pages", page)
			}
			out := must(s.Client.ListUsersInGroup(bg, &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("readers"),
				Limit: aws.Int32(2), NextToken: token}))(t)
			for _, u := range out.Users {
				got = append(got, aws.ToString(u.Username))
			}
			if token = out.NextToken; token == nil {
				break
			}
		}
		if diff := cmp.Diff([]string{"bob", "carl", "jane"}, got); diff != "" {
			t.Errorf("readers two at a time (-want +got):\n%s", diff)
		}
		got = nil
		token = nil
		for page := 0; ; page++ {
			if page > 4 {
				t.Fatalf("AdminListGroupsForUser still has a NextToken after %d pages", page)
			}
			out := must(s.Client.AdminListGroupsForUser(bg, &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane"),
				Limit: aws.Int32(2), NextToken: token}))(t)
			for _, g := range out.Groups {
				got = append(got, aws.ToString(g.GroupName))
			}
			if token = out.NextToken; token == nil {
				break
			}
		}
		if diff := cmp.Diff([]string{"admins", "readers", "writers"}, got); diff != "" {
			t.Errorf("jane's groups two at a time (-want +got):\n%s", diff)
		}
	})

	if err := remove("jane", "readers"); err != nil {
		t.Fatal(err)
	}
	if err := remove("jane", "readers"); err != nil {
		t.Errorf("removing a non-member: %v, want no error", err)
	}
	if diff := cmp.Diff([]string{"admins", "writers"}, groupsOf("jane")); diff != "" {
		t.Errorf("jane's groups after leaving readers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"bob", "carl"}, membersOf("readers")); diff != "" {
		t.Errorf("readers after jane left (-want +got):\n%s", diff)
	}

	wantErr[*types.ResourceNotFoundException](t, add("jane", "nogroup"), "Group not found.")
	wantErr[*types.UserNotFoundException](t, add("nobody", "readers"), "User does not exist.")
	wantErr[*types.ResourceNotFoundException](t, remove("jane", "nogroup"), "Group not found.")
	wantErr[*types.UserNotFoundException](t, remove("nobody", "readers"), "User does not exist.")
	_, err := s.Client.ListUsersInGroup(bg, &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("nogroup")})
	wantErr[*types.ResourceNotFoundException](t, err, "Group not found.")
	_, err = s.Client.AdminListGroupsForUser(bg, &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(pool), Username: aws.String("nobody")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	_, err = s.Client.AdminAddUserToGroup(bg, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(missingPool), Username: aws.String("jane"), GroupName: aws.String("readers")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")
	_, err = s.Client.ListUsersInGroup(bg, &cip.ListUsersInGroupInput{UserPoolId: aws.String(missingPool), GroupName: aws.String("readers")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")
}
