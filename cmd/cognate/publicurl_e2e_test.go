package main

// End-to-end tests of the public URL and the token issuer: every absolute URL cognate makes
// comes from --public-url (or the address it listens on), never from a request's Host or
// X-Forwarded-* headers; --token-issuer aws gives tokens AWS's own iss, following the pool's
// IssuerConfiguration, while the JWKS stays cognate's.

import (
	"bytes"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/go-json-experiment/json"
)

// puForeign are the headers an attacker sets to make cognate speak of its host.
func puForeign(req *http.Request) {
	req.Host = "attacker.example"
	req.Header.Set("X-Forwarded-Host", "attacker.example")
	req.Header.Set("X-Forwarded-Proto", "https")
	req.Header.Set("Forwarded", "host=attacker.example;proto=https")
}

// puDo sends one request with the attacker's headers and returns the status and body.
func puDo(t testing.TB, method, url, target, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if target != "" {
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+target)
	}
	puForeign(req)
	resp, err := testHTTP.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// puLinkPool makes a pool that signs up by link and a client that signs in with passwords.
func puLinkPool(t testing.TB, c *cip.Client) (pool, client string) {
	t.Helper()
	pool = createPool(t, c, &cip.CreateUserPoolInput{
		AutoVerifiedAttributes: auEmailVerified,
		VerificationMessageTemplate: &types.VerificationMessageTemplateType{
			DefaultEmailOption: types.DefaultEmailOptionTypeConfirmWithLink,
		},
	})
	client, _ = auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: auPasswordFlows})
	return pool, client
}

// TestForeignHostHeaderNowhere sends SignUp (on a link pool), InitiateAuth and the discovery
// documents with Host: attacker.example (and X-Forwarded-*): the word appears in no message,
// token or document, which all speak of the address cognate listens on.
func TestForeignHostHeaderNowhere(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool, client := puLinkPool(t, s.Client)

	status, body := puDo(t, http.MethodPost, s.URL, "SignUp",
		`{"ClientId":"`+client+`","Username":"sam","Password":"`+auPassword+`","UserAttributes":[{"Name":"email","Value":"sam@example.com"}]}`)
	if status != 200 {
		t.Fatalf("SignUp: %d %s", status, body)
	}
	var seen [][]byte
	msgs := s.messages(t, "Username=sam")
	if len(msgs) != 1 {
		t.Fatalf("%d messages after SignUp, want 1", len(msgs))
	}
	link := regexp.MustCompile(`https?://\S+/confirmUser\?\S+`).FindString(msgs[0].Body)
	if !strings.HasPrefix(link, s.URL+"/confirmUser?") {
		t.Errorf("confirmation link %q, want one on %s", link, s.URL)
	}
	seen = append(seen, []byte(msgs[0].Subject+msgs[0].Body+msgs[0].Html))

	auUser(t, s.Client, pool, "ann", auPassword)
	status, body = puDo(t, http.MethodPost, s.URL, "InitiateAuth",
		`{"ClientId":"`+client+`","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"ann","PASSWORD":"`+auPassword+`"}}`)
	if status != 200 {
		t.Fatalf("InitiateAuth: %d %s", status, body)
	}
	var auth struct {
		AuthenticationResult struct{ AccessToken, IdToken string }
	}
	if err := json.Unmarshal(body, &auth); err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{auth.AuthenticationResult.AccessToken, auth.AuthenticationResult.IdToken} {
		tok := auDecode(t, raw)
		if got := tok.str("iss"); got != s.URL+"/"+pool {
			t.Errorf("%s token iss %q, want %q", tok.str("token_use"), got, s.URL+"/"+pool)
		}
		h, _ := json.Marshal(tok.Header)
		c, _ := json.Marshal(tok.Claims)
		seen = append(seen, h, c)
	}

	status, body = puDo(t, http.MethodGet, s.URL+"/"+pool+"/.well-known/openid-configuration", "", "")
	if status != 200 {
		t.Fatalf("openid-configuration: %d %s", status, body)
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["issuer"] != s.URL+"/"+pool || doc["jwks_uri"] != s.URL+"/"+pool+"/.well-known/jwks.json" {
		t.Errorf("discovery document issuer %v, jwks_uri %v, want them on %s", doc["issuer"], doc["jwks_uri"], s.URL)
	}
	seen = append(seen, body)
	status, body = puDo(t, http.MethodGet, s.URL+"/"+pool+"/.well-known/jwks.json", "", "")
	if status != 200 {
		t.Fatalf("jwks.json: %d %s", status, body)
	}
	seen = append(seen, body)

	// Following the link with the attacker's headers still confirms: the code is the link's.
	status, body = puDo(t, http.MethodGet, link, "", "")
	if status != 200 {
		t.Errorf("following the link: %d %s", status, body)
	}
	seen = append(seen, body)
	for _, b := range seen {
		if bytes.Contains(bytes.ToLower(b), []byte("attacker")) {
			t.Errorf("the attacker's host appears in %s", b)
		}
	}
}

// TestPublicURL runs a server told --public-url: links, iss and the discovery document use
// it (without its trailing slash), not the address cognate listens on.
func TestPublicURL(t *testing.T) {
	t.Parallel()
	const public = "https://auth.example.test/cognito"
	s := startServer(t, "--public-url", public+"/")
	pool, client := puLinkPool(t, s.Client)
	must(auSignUp(s.Client, client, "sam", auPassword, "email", "sam@example.com"))(t)
	msgs := s.messages(t, "Username=sam")
	if len(msgs) != 1 || !strings.Contains(msgs[0].Body, public+"/confirmUser?client_id=") {
		t.Errorf("sign-up messages %+v, want a link on %s", msgs, public)
	}

	auUser(t, s.Client, pool, "ann", auPassword)
	res := must(s.Client.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "ann", "PASSWORD": auPassword}}))(t).AuthenticationResult
	for _, raw := range []string{aws.ToString(res.AccessToken), aws.ToString(res.IdToken)} {
		if got := auDecode(t, raw).str("iss"); got != public+"/"+pool {
			t.Errorf("iss %q, want %q", got, public+"/"+pool)
		}
	}
	doc := puDiscovery(t, s, pool)
	if doc["issuer"] != public+"/"+pool || doc["jwks_uri"] != public+"/"+pool+"/.well-known/jwks.json" {
		t.Errorf("discovery document issuer %v, jwks_uri %v", doc["issuer"], doc["jwks_uri"])
	}
	// The token still works where cognate checks it.
	must(s.Client.GetUser(bg, &cip.GetUserInput{AccessToken: res.AccessToken}))(t)
}

// TestPublicURLRefused: a --public-url that cannot start a URL, or an unknown
// --token-issuer, stops the server before it listens, each named.
func TestPublicURLRefused(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"auth.example.test", "ftp://auth.example.test", "https://", "https://u:p@auth.example.test", "https://auth.example.test/?x=1", "https://auth.example.test/#f"} {
		_, err := launch(t, "--addr", "127.0.0.1:0", "--store", ":memory:", "--public-url", bad)
		if err == nil || !strings.Contains(err.Error(), "--public-url") {
			t.Errorf("--public-url %q: err %v, want a refusal naming --public-url", bad, err)
		}
	}
	_, err := launch(t, "--addr", "127.0.0.1:0", "--store", ":memory:", "--token-issuer", "cognito")
	if err == nil || !strings.Contains(err.Error(), "--token-issuer must be url or aws") {
		t.Errorf("--token-issuer cognito: err %v", err)
	}
}

func puDiscovery(t testing.TB, s *testServer, pool string) map[string]any {
	t.Helper()
	status, _, body := httpDo(t, http.MethodGet, s.URL+"/"+pool+"/.well-known/openid-configuration", nil, nil)
	if status != 200 {
		t.Fatalf("openid-configuration: %d %s", status, body)
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestTokenIssuerAWS runs a server with --token-issuer aws: tokens carry AWS's issuer, the
// cognito-idp form for pools without IssuerConfiguration or with ORIGINAL, issuer-cognito-idp
// for UPDATED; IssuerConfiguration round-trips through Create, Update and DescribeUserPool;
// the discovery document names that issuer and cognate's own JWKS, whose keys verify the
// tokens; and the tokens work on the user's own operations.
func TestTokenIssuerAWS(t *testing.T) {
	t.Parallel()
	s := startServer(t, "--token-issuer", "aws")
	c := s.Client
	signIn := func(pool, client string) (access, id auJWT, raw string) {
		t.Helper()
		res := must(c.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "ann", "PASSWORD": auPassword}}))(t).AuthenticationResult
		return auDecode(t, aws.ToString(res.AccessToken)), auDecode(t, aws.ToString(res.IdToken)), aws.ToString(res.AccessToken)
	}
	describe := func(pool string) *types.IssuerConfigurationType {
		return must(c.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)}))(t).UserPool.IssuerConfiguration
	}
	for _, tc := range []struct {
		name   string
		config *types.IssuerConfigurationType
		host   string
	}{
		{"none", nil, "cognito-idp"},
		{"ORIGINAL", &types.IssuerConfigurationType{Type: types.IssuerTypeOriginal}, "cognito-idp"},
		{"UPDATED", &types.IssuerConfigurationType{Type: types.IssuerTypeUpdated}, "issuer-cognito-idp"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pool := createPool(t, c, &cip.CreateUserPoolInput{IssuerConfiguration: tc.config})
			if got := describe(pool); (got == nil) != (tc.config == nil) || (got != nil && got.Type != tc.config.Type) {
				t.Errorf("DescribeUserPool IssuerConfiguration %+v, want %+v", got, tc.config)
			}
			client, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: auPasswordFlows})
			auUser(t, c, pool, "ann", auPassword)
			want := "https://" + tc.host + ".us-east-1.amazonaws.com/" + pool
			access, id, raw := signIn(pool, client)
			keys := auJWKS(t, s, pool)
			for _, tok := range []auJWT{access, id} {
				if got := tok.str("iss"); got != want {
					t.Errorf("%s token iss %q, want %q", tok.str("token_use"), got, want)
				}
				tok.verify(t, keys)
			}
			doc := puDiscovery(t, s, pool)
			if doc["issuer"] != want || doc["jwks_uri"] != s.URL+"/"+pool+"/.well-known/jwks.json" {
				t.Errorf("discovery document issuer %v, jwks_uri %v; want %s and cognate's JWKS", doc["issuer"], doc["jwks_uri"], want)
			}
			must(c.GetUser(bg, &cip.GetUserInput{AccessToken: aws.String(raw)}))(t)
		})
	}

	// UpdateUserPool changes the issuer of tokens minted from then on; left out, it returns
	// to the default, as UpdateUserPool does for every setting it is not given.
	pool := createPool(t, c, nil)
	client, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: auPasswordFlows})
	auUser(t, c, pool, "ann", auPassword)
	must(c.UpdateUserPool(bg, &cip.UpdateUserPoolInput{UserPoolId: aws.String(pool),
		IssuerConfiguration: &types.IssuerConfigurationType{Type: types.IssuerTypeUpdated}}))(t)
	if got := describe(pool); got == nil || got.Type != types.IssuerTypeUpdated {
		t.Errorf("IssuerConfiguration after UpdateUserPool %+v, want UPDATED", got)
	}
	if access, _, _ := signIn(pool, client); access.str("iss") != "https://issuer-cognito-idp.us-east-1.amazonaws.com/"+pool {
		t.Errorf("iss after UpdateUserPool UPDATED: %q", access.str("iss"))
	}
	must(c.UpdateUserPool(bg, &cip.UpdateUserPoolInput{UserPoolId: aws.String(pool)}))(t)
	if got := describe(pool); got != nil {
		t.Errorf("IssuerConfiguration after an UpdateUserPool without it %+v, want none", got)
	}
	if access, _, _ := signIn(pool, client); access.str("iss") != "https://cognito-idp.us-east-1.amazonaws.com/"+pool {
		t.Errorf("iss after UpdateUserPool without IssuerConfiguration: %q", access.str("iss"))
	}
}

// TestIssuerConfigurationURLMode: in the default url mode IssuerConfiguration round-trips
// too, and iss stays <public URL>/<pool id>, the issuer of cognate's discovery document.
func TestIssuerConfigurationURLMode(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, &cip.CreateUserPoolInput{IssuerConfiguration: &types.IssuerConfigurationType{Type: types.IssuerTypeUpdated}})
	if got := must(c.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)}))(t).UserPool.IssuerConfiguration; got == nil || got.Type != types.IssuerTypeUpdated {
		t.Errorf("IssuerConfiguration %+v, want UPDATED", got)
	}
	client, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: auPasswordFlows})
	auUser(t, c, pool, "ann", auPassword)
	res := must(c.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "ann", "PASSWORD": auPassword}}))(t).AuthenticationResult
	if got := auDecode(t, aws.ToString(res.IdToken)).str("iss"); got != s.URL+"/"+pool || puDiscovery(t, s, pool)["issuer"] != got {
		t.Errorf("iss %q, discovery issuer %v, want %s", got, puDiscovery(t, s, pool)["issuer"], s.URL+"/"+pool)
	}
}
