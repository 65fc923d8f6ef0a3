package main

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// clientCmp compares app client descriptions apart from generated ids, secrets and dates.
var clientCmp = cmp.Options{exported, cmpopts.EquateEmpty(), ignoreFields("ClientId", "ClientSecret", "CreationDate", "LastModifiedDate")}

// defaultClient is what an app client created with only a name is described as.
func defaultClient(pool, name string) *types.UserPoolClientType {
	return &types.UserPoolClientType{
		UserPoolId:                               aws.String(pool),
		ClientName:                               aws.String(name),
		RefreshTokenValidity:                     30,
		TokenValidityUnits:                       &types.TokenValidityUnitsType{},
		AllowedOAuthFlowsUserPoolClient:          aws.Bool(false),
		PreventUserExistenceErrors:               types.PreventUserExistenceErrorTypesLegacy,
		EnableTokenRevocation:                    aws.Bool(true),
		EnablePropagateAdditionalUserContextData: aws.Bool(false),
		AuthSessionValidity:                      aws.Int32(3),
	}
}

func TestCreateUserPoolClient(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := createPool(t, s.Client, nil)

	t.Run("defaults", func(t *testing.T) {
		c := must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{
			UserPoolId: aws.String(pool), ClientName: aws.String("web")}))(t).UserPoolClient
		if !clientIDPattern.MatchString(aws.ToString(c.ClientId)) {
			t.Errorf("ClientId %q is not 26 lower-case alphanumerics", aws.ToString(c.ClientId))
		}
		if c.ClientSecret != nil {
			t.Errorf("a client created without GenerateSecret has secret %q", *c.ClientSecret)
		}
		if diff := cmp.Diff(defaultClient(pool, "web"), c, clientCmp); diff != "" {
			t.Errorf("CreateUserPoolClient with a name only (-want +got):\n%s", diff)
		}
		if c.CreationDate == nil || time.Since(*c.CreationDate) > time.Minute || !c.LastModifiedDate.Equal(*c.CreationDate) {
			t.Errorf("CreationDate %v, LastModifiedDate %v: want both about now and equal", c.CreationDate, c.LastModifiedDate)
		}
		d := must(s.Client.DescribeUserPoolClient(bg, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: c.ClientId}))(t).UserPoolClient
		if diff := cmp.Diff(c, d, exported, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("DescribeUserPoolClient differs from what CreateUserPoolClient answered (-create +describe):\n%s", diff)
		}
	})

	t.Run("with a secret", func(t *testing.T) {
		c := must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{
			UserPoolId: aws.String(pool), ClientName: aws.String("server"), GenerateSecret: true}))(t).UserPoolClient
		if !secretPattern.MatchString(aws.ToString(c.ClientSecret)) {
			t.Errorf("ClientSecret %q is not 51 lower-case alphanumerics", aws.ToString(c.ClientSecret))
		}
		d := must(s.Client.DescribeUserPoolClient(bg, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: c.ClientId}))(t).UserPoolClient
		if aws.ToString(d.ClientSecret) != aws.ToString(c.ClientSecret) {
			t.Errorf("DescribeUserPoolClient secret = %q, want the one created, %q", aws.ToString(d.ClientSecret), aws.ToString(c.ClientSecret))
		}
	})

	t.Run("fully specified", func(t *testing.T) {
		in := &cip.CreateUserPoolClientInput{
			UserPoolId:                               aws.String(pool),
			ClientName:                               aws.String("full"),
			RefreshTokenValidity:                     10,
			AccessTokenValidity:                      aws.Int32(30),
			IdTokenValidity:                          aws.Int32(2),
			TokenValidityUnits:                       &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes, IdToken: types.TimeUnitsTypeHours, RefreshToken: types.TimeUnitsTypeDays},
			ReadAttributes:                           []string{"email", "name"},
			WriteAttributes:                          []string{"name"},
			ExplicitAuthFlows:                        []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
			SupportedIdentityProviders:               []string{"COGNITO"},
			CallbackURLs:                             []string{"https://example.com/cb"},
			LogoutURLs:                               []string{"https://example.com/out"},
			DefaultRedirectURI:                       aws.String("https://example.com/cb"),
			AllowedOAuthFlows:                        []types.OAuthFlowType{types.OAuthFlowTypeCode},
			AllowedOAuthScopes:                       []string{"openid", "email"},
			AllowedOAuthFlowsUserPoolClient:          true,
			PreventUserExistenceErrors:               types.PreventUserExistenceErrorTypesEnabled,
			EnableTokenRevocation:                    aws.Bool(false),
			EnablePropagateAdditionalUserContextData: aws.Bool(true),
			AuthSessionValidity:                      aws.Int32(10),
		}
		c := must(s.Client.CreateUserPoolClient(bg, in))(t).UserPoolClient
		want := &types.UserPoolClientType{
			UserPoolId: in.UserPoolId, ClientName: in.ClientName, RefreshTokenValidity: in.RefreshTokenValidity,
			AccessTokenValidity: in.AccessTokenValidity, IdTokenValidity: in.IdTokenValidity, TokenValidityUnits: in.TokenValidityUnits,
			ReadAttributes: in.ReadAttributes, WriteAttributes: in.WriteAttributes, ExplicitAuthFlows: in.ExplicitAuthFlows,
			SupportedIdentityProviders: in.SupportedIdentityProviders, CallbackURLs: in.CallbackURLs, LogoutURLs: in.LogoutURLs,
			DefaultRedirectURI: in.DefaultRedirectURI, AllowedOAuthFlows: in.AllowedOAuthFlows, AllowedOAuthScopes: in.AllowedOAuthScopes,
			AllowedOAuthFlowsUserPoolClient: aws.Bool(true), PreventUserExistenceErrors: in.PreventUserExistenceErrors,
			EnableTokenRevocation: in.EnableTokenRevocation, EnablePropagateAdditionalUserContextData: in.EnablePropagateAdditionalUserContextData,
			AuthSessionValidity: in.AuthSessionValidity,
		}
		if diff := cmp.Diff(want, c, clientCmp); diff != "" {
			t.Errorf("CreateUserPoolClient fully specified (-as set +answered):\n%s", diff)
		}
		d := must(s.Client.DescribeUserPoolClient(bg, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: c.ClientId}))(t).UserPoolClient
		if diff := cmp.Diff(want, d, clientCmp); diff != "" {
			t.Errorf("DescribeUserPoolClient of a fully specified client (-as set +described):\n%s", diff)
		}
	})

	for _, tc := range []struct {
		name string
		in   *cip.CreateUserPoolClientInput
		msg  string
	}{
		{"access token valid 4 minutes", &cip.CreateUserPoolClientInput{AccessTokenValidity: aws.Int32(4),
			TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes}}, "Invalid range for token validity."},
		{"id token valid 25 hours", &cip.CreateUserPoolClientInput{IdTokenValidity: aws.Int32(25)}, "Invalid range for token validity."},
		{"refresh token valid 3651 days", &cip.CreateUserPoolClientInput{RefreshTokenValidity: 3651}, "Invalid range for token validity."},
		{"refresh token valid 59 minutes", &cip.CreateUserPoolClientInput{RefreshTokenValidity: 59,
			TokenValidityUnits: &types.TokenValidityUnitsType{RefreshToken: types.TimeUnitsTypeMinutes}}, "Invalid range for token validity."},
		{"auth session of 2 minutes", &cip.CreateUserPoolClientInput{AuthSessionValidity: aws.Int32(2)},
			"1 validation error detected: Value '2' at 'authSessionValidity' failed to satisfy constraint: Member must have value greater than or equal to 3"},
		{"legacy and ALLOW_ auth flows together", &cip.CreateUserPoolClientInput{ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
			types.ExplicitAuthFlowsTypeAdminNoSrpAuth, types.ExplicitAuthFlowsTypeAllowUserSrpAuth}},
			"ExplicitAuthFlows can not have both ALLOW_ prefixed and legacy values."},
		{"unknown read attribute", &cip.CreateUserPoolClientInput{ReadAttributes: []string{"custom:nope"}}, "Invalid read attributes specified while creating a client"},
		{"writing sub", &cip.CreateUserPoolClientInput{WriteAttributes: []string{"sub"}}, "Invalid write attributes specified while creating a client"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.UserPoolId, tc.in.ClientName = aws.String(pool), aws.String("refused")
			_, err := s.Client.CreateUserPoolClient(bg, tc.in)
			wantErr[*types.InvalidParameterException](t, err, tc.msg)
		})
	}

	t.Run("unknown pool", func(t *testing.T) {
		_, err := s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(missingPool), ClientName: aws.String("x")})
		wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")
	})

	list := must(s.Client.ListUserPoolClients(bg, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(pool)}))(t)
	var names []string
	for _, c := range list.UserPoolClients {
		names = append(names, aws.ToString(c.ClientName))
	}
	slices.Sort(names)
	if diff := cmp.Diff([]string{"full", "server", "web"}, names); diff != "" {
		t.Errorf("clients after the refused creations (-want +got):\n%s", diff)
	}
}

func TestDescribeUserPoolClientUnknown(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := createPool(t, s.Client, nil)
	_, err := s.Client.DescribeUserPoolClient(bg, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String("abcdefghijklmnopqrstuvwxyz")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool client abcdefghijklmnopqrstuvwxyz does not exist.")
	_, err = s.Client.DescribeUserPoolClient(bg, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(missingPool), ClientId: aws.String("abc")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")

	// A client is found only in its own pool.
	other := createPool(t, s.Client, nil)
	c := must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(other), ClientName: aws.String("c")}))(t).UserPoolClient
	_, err = s.Client.DescribeUserPoolClient(bg, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: c.ClientId})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool client "+aws.ToString(c.ClientId)+" does not exist.")
}

func TestUpdateUserPoolClient(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := createPool(t, s.Client, nil)
	created := must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(pool), ClientName: aws.String("app"), GenerateSecret: true,
		AccessTokenValidity: aws.Int32(2), IdTokenValidity: aws.Int32(2),
		ExplicitAuthFlows:          []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth},
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled,
	}))(t).UserPoolClient
	time.Sleep(5 * time.Millisecond)

	// Only the refresh token validity is given: the name stays, everything else returns to
	// its default; the id, the secret and the creation date stay.
	updated := must(s.Client.UpdateUserPoolClient(bg, &cip.UpdateUserPoolClientInput{
		UserPoolId: aws.String(pool), ClientId: created.ClientId, RefreshTokenValidity: 7,
	}))(t).UserPoolClient
	want := defaultClient(pool, "app")
	want.RefreshTokenValidity = 7
	if diff := cmp.Diff(want, updated, clientCmp); diff != "" {
		t.Errorf("UpdateUserPoolClient answer (-want +got):\n%s", diff)
	}
	if aws.ToString(updated.ClientId) != aws.ToString(created.ClientId) || aws.ToString(updated.ClientSecret) != aws.ToString(created.ClientSecret) {
		t.Errorf("UpdateUserPoolClient changed the id or secret")
	}
	if !updated.CreationDate.Equal(*created.CreationDate) || !updated.LastModifiedDate.After(*created.LastModifiedDate) {
		t.Errorf("dates after update: created %v modified %v; before: created %v modified %v",
			updated.CreationDate, updated.LastModifiedDate, created.CreationDate, created.LastModifiedDate)
	}
	described := must(s.Client.DescribeUserPoolClient(bg, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: created.ClientId}))(t).UserPoolClient
	if diff := cmp.Diff(updated, described, exported, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("DescribeUserPoolClient after update (-update +describe):\n%s", diff)
	}

	renamed := must(s.Client.UpdateUserPoolClient(bg, &cip.UpdateUserPoolClientInput{
		UserPoolId: aws.String(pool), ClientId: created.ClientId, ClientName: aws.String("renamed")}))(t).UserPoolClient
	if aws.ToString(renamed.ClientName) != "renamed" {
		t.Errorf("ClientName = %q, want renamed", aws.ToString(renamed.ClientName))
	}

	_, err := s.Client.UpdateUserPoolClient(bg, &cip.UpdateUserPoolClientInput{
		UserPoolId: aws.String(pool), ClientId: created.ClientId, IdTokenValidity: aws.Int32(48)})
	wantErr[*types.InvalidParameterException](t, err, "Invalid range for token validity.")
	_, err = s.Client.UpdateUserPoolClient(bg, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String("nosuchclient")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool client nosuchclient does not exist.")
	_, err = s.Client.UpdateUserPoolClient(bg, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(missingPool), ClientId: created.ClientId})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")
}

func TestDeleteUserPoolClient(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := createPool(t, s.Client, nil)
	c := must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("gone")}))(t).UserPoolClient
	keep := must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("kept")}))(t).UserPoolClient

	must(s.Client.DeleteUserPoolClient(bg, &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: c.ClientId}))(t)
	_, err := s.Client.DescribeUserPoolClient(bg, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: c.ClientId})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool client "+aws.ToString(c.ClientId)+" does not exist.")
	_, err = s.Client.DeleteUserPoolClient(bg, &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: c.ClientId})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool client "+aws.ToString(c.ClientId)+" does not exist.")
	_, err = s.Client.DeleteUserPoolClient(bg, &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(missingPool), ClientId: keep.ClientId})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")

	// A client cannot be deleted through another pool.
	other := createPool(t, s.Client, nil)
	_, err = s.Client.DeleteUserPoolClient(bg, &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(other), ClientId: keep.ClientId})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool client "+aws.ToString(keep.ClientId)+" does not exist.")
	must(s.Client.DescribeUserPoolClient(bg, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: keep.ClientId}))(t)
}

func TestListUserPoolClientsPaging(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := createPool(t, s.Client, nil)
	other := createPool(t, s.Client, nil)
	must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(other), ClientName: aws.String("elsewhere")}))(t)
	want := map[string]string{}
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		c := must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String(name)}))(t).UserPoolClient
		want[aws.ToString(c.ClientId)] = name
	}
	seen := map[string]string{}
	var sizes []int
	var token *string
	for page := 0; ; page++ {
		if page > 5 {
			t.Fatalf("ListUserPoolClients still has a NextToken after %d pages", page)
		}
		out := must(s.Client.ListUserPoolClients(bg, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(2), NextToken: token}))(t)
		sizes = append(sizes, len(out.UserPoolClients))
		for _, c := range out.UserPoolClients {
			if _, dup := seen[aws.ToString(c.ClientId)]; dup {
				t.Errorf("client %s listed twice", aws.ToString(c.ClientId))
			}
			if aws.ToString(c.UserPoolId) != pool {
				t.Errorf("client %s listed with pool %s, want %s", aws.ToString(c.ClientId), aws.ToString(c.UserPoolId), pool)
			}
			seen[aws.ToString(c.ClientId)] = aws.ToString(c.ClientName)
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("clients listed (-created +listed):\n%s", diff)
	}
	if diff := cmp.Diff([]int{2, 2, 1}, sizes); diff != "" {
		t.Errorf("page sizes with MaxResults 2 (-want +got):\n%s", diff)
	}

	_, err := s.Client.ListUserPoolClients(bg, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(missingPool)})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")
	_, err = s.Client.ListUserPoolClients(bg, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(pool), NextToken: aws.String("garbage")})
	wantErr[*types.InvalidParameterException](t, err, "Invalid pagination token.")
}
