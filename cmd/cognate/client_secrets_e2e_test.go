package main

import (
	"fmt"
	"net/url"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestClientSecretRotation rotates an app client's secret: while it has two, SecretHash
// made with either signs a user in, refreshes, and either authenticates the client at the
// token endpoint; once the old one is deleted, only the new one does.
func TestClientSecretRotation(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	app := newOAuthApp(t, c, "rotation", "http://localhost:3000/callback", nil)
	must(c.CreateResourceServer(bg, &cip.CreateResourceServerInput{UserPoolId: aws.String(app.Pool), Identifier: aws.String("api"),
		Name: aws.String("API"), Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("read"), ScopeDescription: aws.String("read")}}}))(t)
	cl := must(c.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(app.Pool), ClientName: aws.String("confidential"),
		GenerateSecret: true, ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth,
			types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes: []string{"api/read"}}))(t).UserPoolClient
	id, first := *cl.ClientId, *cl.ClientSecret
	auUser(t, c, app.Pool, "jane", "Passw0rd!", "email", "jane@example.com")
	pool, client := aws.String(app.Pool), aws.String(id)

	signIn := func(secret string) error {
		_, err := c.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: client, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "jane", "PASSWORD": "Passw0rd!", "SECRET_HASH": auSecretHash(secret, "jane", id)}})
		return err
	}
	refresh := func(secret string) error {
		out, err := c.AdminInitiateAuth(bg, &cip.AdminInitiateAuthInput{UserPoolId: pool, ClientId: client, AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "jane", "PASSWORD": "Passw0rd!", "SECRET_HASH": auSecretHash(secret, "jane", id)}})
		if err != nil {
			return err
		}
		_, err = c.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: client, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
			AuthParameters: map[string]string{"REFRESH_TOKEN": *out.AuthenticationResult.RefreshToken, "SECRET_HASH": auSecretHash(secret, "jane", id)}})
		if err != nil {
			return err
		}
		_, err = c.GetTokensFromRefreshToken(bg, &cip.GetTokensFromRefreshTokenInput{ClientId: client, ClientSecret: aws.String(secret),
			RefreshToken: out.AuthenticationResult.RefreshToken})
		return err
	}
	tokenEndpoint := func(secret string) int {
		status, _ := postToken(t, s.URL, url.Values{"grant_type": {"client_credentials"}, "scope": {"api/read"}}, id, secret)
		return status
	}
	works := func(what, secret string) {
		t.Helper()
		if err := signIn(secret); err != nil {
			t.Errorf("%s: InitiateAuth: %v", what, err)
		}
		if err := refresh(secret); err != nil {
			t.Errorf("%s: sign-in and refresh: %v", what, err)
		}
		if status := tokenEndpoint(secret); status != 200 {
			t.Errorf("%s: token endpoint answered %d, want 200", what, status)
		}
	}
	refused := func(what, secret string) {
		t.Helper()
		wantErr[*types.NotAuthorizedException](t, signIn(secret), "Unable to verify secret hash for client "+id)
		if status := tokenEndpoint(secret); status != 400 && status != 401 {
			t.Errorf("%s: token endpoint answered %d, want a refusal", what, status)
		}
	}
	list := func() []types.ClientSecretDescriptorType {
		t.Helper()
		return must(c.ListUserPoolClientSecrets(bg, &cip.ListUserPoolClientSecretsInput{UserPoolId: pool, ClientId: client}))(t).ClientSecrets
	}
	describedSecret := func() string {
		t.Helper()
		return *must(c.DescribeUserPoolClient(bg, &cip.DescribeUserPoolClientInput{UserPoolId: pool, ClientId: client}))(t).UserPoolClient.ClientSecret
	}
	idForm := regexp.MustCompile(`^` + id + `--[0-9]+$`)

	works("the first secret", first)
	secrets := list()
	if len(secrets) != 1 || !idForm.MatchString(*secrets[0].ClientSecretId) || secrets[0].ClientSecretValue != nil {
		t.Fatalf("secrets of a new client = %s, want one named <client-id>--<epoch-create-time>, without its value", describe(secrets))
	}
	if want := fmt.Sprintf("%s--%d", id, cl.CreationDate.UnixMilli()); *secrets[0].ClientSecretId != want {
		t.Errorf("the first secret's id = %s, want %s (the client's creation time)", *secrets[0].ClientSecretId, want)
	}
	firstID := *secrets[0].ClientSecretId

	added := must(c.AddUserPoolClientSecret(bg, &cip.AddUserPoolClientSecretInput{UserPoolId: pool, ClientId: client}))(t).ClientSecretDescriptor
	if added.ClientSecretValue == nil || !regexp.MustCompile(`^[a-z0-9]{51}$`).MatchString(*added.ClientSecretValue) || !idForm.MatchString(*added.ClientSecretId) || added.ClientSecretCreateDate == nil {
		t.Fatalf("AddUserPoolClientSecret answered %s, want a generated value, an id and a date", describe([]types.ClientSecretDescriptorType{*added}))
	}
	second := *added.ClientSecretValue
	works("the first secret during the rotation", first)
	works("the second secret during the rotation", second)
	if got := list(); len(got) != 2 || *got[0].ClientSecretId != firstID || *got[1].ClientSecretId != *added.ClientSecretId || got[1].ClientSecretValue != nil {
		t.Errorf("secrets during the rotation = %s, want the first and the added, without values", describe(got))
	}
	if got := describedSecret(); got != first {
		t.Errorf("DescribeUserPoolClient's ClientSecret during the rotation = %q, want the older %q", got, first)
	}

	_, err := c.AddUserPoolClientSecret(bg, &cip.AddUserPoolClientSecretInput{UserPoolId: pool, ClientId: client})
	wantErr[*types.LimitExceededException](t, err, "Client "+id+" has 2 secrets already, the most it can have.")

	must(c.DeleteUserPoolClientSecret(bg, &cip.DeleteUserPoolClientSecretInput{UserPoolId: pool, ClientId: client, ClientSecretId: aws.String(firstID)}))(t)
	refused("the deleted first secret", first)
	works("the second secret after the rotation", second)
	if got := describedSecret(); got != second {
		t.Errorf("DescribeUserPoolClient's ClientSecret after the rotation = %q, want %q", got, second)
	}
	_, err = c.DeleteUserPoolClientSecret(bg, &cip.DeleteUserPoolClientSecretInput{UserPoolId: pool, ClientId: client, ClientSecretId: aws.String(firstID)})
	wantErr[*types.ResourceNotFoundException](t, err, "Client secret "+firstID+" does not exist.")
	_, err = c.DeleteUserPoolClientSecret(bg, &cip.DeleteUserPoolClientSecretInput{UserPoolId: pool, ClientId: client, ClientSecretId: added.ClientSecretId})
	wantErr[*types.InvalidParameterException](t, err, "You cannot delete the last remaining secret for an app client.")
	works("the last secret, kept", second)

	// A secret of one's own is taken and not answered back.
	const own = "MyOwnSecret_0123456789abcdef"
	mine := must(c.AddUserPoolClientSecret(bg, &cip.AddUserPoolClientSecretInput{UserPoolId: pool, ClientId: client, ClientSecret: aws.String(own)}))(t).ClientSecretDescriptor
	if mine.ClientSecretValue != nil {
		t.Errorf("AddUserPoolClientSecret answered the value given: %q", *mine.ClientSecretValue)
	}
	works("a secret of one's own", own)
}

// TestClientSecretRefusals: a public client has no secrets to rotate; missing pools and
// clients are the usual ResourceNotFoundException; the model's constraints hold.
func TestClientSecretRefusals(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("secrets")})
	public := *must(c.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("public")}))(t).UserPoolClient.ClientId
	_, err := c.AddUserPoolClientSecret(bg, &cip.AddUserPoolClientSecretInput{UserPoolId: aws.String(pool), ClientId: aws.String(public)})
	wantErr[*types.InvalidParameterException](t, err, "Client "+public+" has no secret: secrets are added to confidential clients only.")
	if got := must(c.ListUserPoolClientSecrets(bg, &cip.ListUserPoolClientSecretsInput{UserPoolId: aws.String(pool), ClientId: aws.String(public)}))(t).ClientSecrets; len(got) != 0 {
		t.Errorf("a public client lists secrets %s", describe(got))
	}
	_, err = c.DeleteUserPoolClientSecret(bg, &cip.DeleteUserPoolClientSecretInput{UserPoolId: aws.String(pool), ClientId: aws.String(public), ClientSecretId: aws.String(public + "--1")})
	wantErr[*types.InvalidParameterException](t, err, "Client "+public+" has no secret: secrets are added to confidential clients only.")

	_, err = c.ListUserPoolClientSecrets(bg, &cip.ListUserPoolClientSecretsInput{UserPoolId: aws.String(pool), ClientId: aws.String("nosuchclient")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool client nosuchclient does not exist.")
	_, err = c.AddUserPoolClientSecret(bg, &cip.AddUserPoolClientSecretInput{UserPoolId: aws.String(missingPool), ClientId: aws.String(public)})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")
	_, err = c.AddUserPoolClientSecret(bg, &cip.AddUserPoolClientSecretInput{UserPoolId: aws.String(pool), ClientId: aws.String(public), ClientSecret: aws.String("too-short")})
	wantCode(t, err, "InvalidParameterException")
}

// describe prints secret descriptors for a failure message.
func describe(ds []types.ClientSecretDescriptorType) string {
	out := "["
	for _, d := range ds {
		out += fmt.Sprintf("{id %s value %v date %v}", aws.ToString(d.ClientSecretId), d.ClientSecretValue != nil, d.ClientSecretCreateDate)
	}
	return out + "]"
}
