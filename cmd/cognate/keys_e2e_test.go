package main

import (
	"encoding/base64"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/go-json-experiment/json"
)

// TestSigningKeyRotation proves that "cognate keys rotate" makes new keys that sign new
// tokens, while tokens signed before stay valid and their keys stay in the JWKS, and that
// keys survive a restart.
func TestSigningKeyRotation(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	s := startServer(t, "--store", db)
	pool := createPool(t, s.Client, nil)
	client := must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool),
		ClientName: aws.String("c"), ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}}))(t).UserPoolClient.ClientId
	createUser(t, s.Client, pool, "jane")
	must(s.Client.AdminSetUserPassword(bg, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(pool), Username: aws.String("jane"),
		Password: aws.String("Passw0rd!"), Permanent: true}))(t)
	signIn := func(s *testServer) *types.AuthenticationResultType {
		return must(s.Client.AdminInitiateAuth(bg, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(pool), ClientId: client,
			AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": "jane", "PASSWORD": "Passw0rd!"}}))(t).AuthenticationResult
	}
	kid := func(p *string) string {
		tok := aws.ToString(p)
		h, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[0])
		var v struct {
			Kid string `json:"kid"`
		}
		json.Unmarshal(h, &v)
		return v.Kid
	}
	jwks := func(s *testServer) []string {
		resp, err := testHTTP.Get(s.URL + "/" + pool + "/.well-known/jwks.json")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var v struct {
			Keys []struct {
				Kid string `json:"kid"`
			} `json:"keys"`
		}
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, k := range v.Keys {
			ids = append(ids, k.Kid)
		}
		return ids
	}
	before := signIn(s)
	if n := len(jwks(s)); n != 2 {
		t.Fatalf("%d keys before rotation, want 2", n)
	}
	s.Stop(t)

	var out strings.Builder
	if err := run(bg, []string{"keys", "rotate", "--store", db}, noEnv, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	s = startServer(t, "--store", db)
	keys := jwks(s)
	if len(keys) != 4 {
		t.Fatalf("%d keys after rotation, want 4", len(keys))
	}
	after := signIn(s)
	if kid(after.AccessToken) == kid(before.AccessToken) || kid(after.IdToken) == kid(before.IdToken) {
		t.Error("tokens after the rotation are signed with the old keys")
	}
	for _, k := range []string{kid(before.AccessToken), kid(before.IdToken), kid(after.AccessToken), kid(after.IdToken)} {
		if !strings.Contains(strings.Join(keys, " "), k) {
			t.Errorf("kid %s is not in the JWKS", k)
		}
	}
	// A token signed before the rotation still works, after a restart too.
	must(s.Client.GetUser(bg, &cip.GetUserInput{AccessToken: before.AccessToken}))(t)
	must(s.Client.GetUser(bg, &cip.GetUserInput{AccessToken: after.AccessToken}))(t)
}
