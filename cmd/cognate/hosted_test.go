package main

// What the tests of the hosted pages and the OAuth 2.0 endpoints share: a pool with a
// domain and an OAuth client, a callback that records what it was sent, PKCE, the token
// endpoint, and verifying tokens against the pool's JWKS.

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/go-json-experiment/json"

	"cognate/internal/token"
)

// callback is an app's redirect_uri: it records each query it is sent and answers a page
// the browser test can wait for.
type callback struct {
	URL  string
	got  chan url.Values
	stop func()
}

func newCallback(t testing.TB) *callback {
	t.Helper()
	cb := &callback{got: make(chan url.Values, 16)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/callback" { // the browser's favicon.ico, say
			http.NotFound(w, r)
			return
		}
		cb.got <- r.URL.Query()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><title>App</title><p id="done">Signed in to the app.</p>`))
	}))
	t.Cleanup(srv.Close)
	cb.URL = srv.URL + "/callback"
	return cb
}

// oauthApp is a pool with a domain and an OAuth 2.0 app client.
type oauthApp struct {
	Pool, Client, Secret, Callback string
}

// newOAuthApp makes a pool (email verified automatically, password policy of Cognito's
// default), its domain and a public client for the code grant with the given callback.
func newOAuthApp(t testing.TB, c *cip.Client, domain, callbackURL string, clientIn *cip.CreateUserPoolClientInput) oauthApp {
	t.Helper()
	pool := createPool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("hosted " + domain),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		AliasAttributes:        []types.AliasAttributeType{types.AliasAttributeTypeEmail}})
	must(c.CreateUserPoolDomain(bg, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String(domain)}))(t)
	in := clientIn
	if in == nil {
		in = &cip.CreateUserPoolClientInput{}
	}
	in.UserPoolId = aws.String(pool)
	if in.ClientName == nil {
		in.ClientName = aws.String("Example App")
	}
	in.AllowedOAuthFlowsUserPoolClient = true
	if in.AllowedOAuthFlows == nil {
		in.AllowedOAuthFlows = []types.OAuthFlowType{types.OAuthFlowTypeCode}
	}
	if in.AllowedOAuthScopes == nil {
		in.AllowedOAuthScopes = []string{"openid", "email", "profile", "aws.cognito.signin.user.admin"}
	}
	if in.CallbackURLs == nil {
		in.CallbackURLs = []string{callbackURL}
	}
	if in.SupportedIdentityProviders == nil {
		in.SupportedIdentityProviders = []string{"COGNITO"}
	}
	cl := must(c.CreateUserPoolClient(bg, in))(t).UserPoolClient
	return oauthApp{Pool: pool, Client: aws.ToString(cl.ClientId), Secret: aws.ToString(cl.ClientSecret), Callback: callbackURL}
}

// addUser makes a confirmed user with a verified email and a permanent password.
func addUser(t testing.TB, c *cip.Client, pool, username, email, password string) {
	t.Helper()
	createUser(t, c, pool, username, "email", email, "email_verified", "true")
	must(c.AdminSetUserPassword(bg, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(pool), Username: aws.String(username),
		Password: aws.String(password), Permanent: true}))(t)
}

// pkce returns a code_verifier and its S256 code_challenge.
func pkce() (verifier, challenge string) {
	b := make([]byte, 32)
	rand.Read(b)
	verifier = base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorizeQuery is the query of an authorize request of the app's.
func (a oauthApp) authorizeQuery(state, nonce, challenge string, extra ...string) url.Values {
	v := url.Values{"response_type": {"code"}, "client_id": {a.Client}, "redirect_uri": {a.Callback},
		"scope": {"openid email profile aws.cognito.signin.user.admin"}, "state": {state}, "nonce": {nonce}}
	if challenge != "" {
		v.Set("code_challenge", challenge)
		v.Set("code_challenge_method", "S256")
	}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v
}

// tokenResponse is the token endpoint's answer, success or error.
type tokenResponse struct {
	AccessToken      string `json:"access_token"`
	IDToken          string `json:"id_token"`
	RefreshToken     string `json:"refresh_token"`
	TokenType        string `json:"token_type"`
	ExpiresIn        int    `json:"expires_in"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// postToken posts a form to /oauth2/token, with Basic credentials when id is not empty.
func postToken(t testing.TB, base string, form url.Values, id, secret string) (int, tokenResponse) {
	t.Helper()
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	if id != "" {
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret))))
	}
	status, _, body := httpDo(t, http.MethodPost, base+"/oauth2/token", h, []byte(form.Encode()))
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		t.Fatalf("token endpoint answered %d %s: %v", status, body, err)
	}
	return status, tr
}

// verifyToken checks a token's signature against the pool's JWKS and returns its claims.
func verifyToken(t testing.TB, base, pool, tok string) map[string]any {
	t.Helper()
	status, _, body := httpDo(t, http.MethodGet, base+"/"+pool+"/.well-known/jwks.json", nil, nil)
	if status != 200 {
		t.Fatalf("JWKS: %d %s", status, body)
	}
	var set struct {
		Keys []struct {
			Kid string `json:"kid"`
			N   string `json:"n"`
			E   string `json:"e"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		t.Fatal(err)
	}
	claims := map[string]any{}
	err := token.Verify(tok, func(kid string) (*rsa.PublicKey, bool) {
		for _, k := range set.Keys {
			if k.Kid == kid {
				n, _ := base64.RawURLEncoding.DecodeString(k.N)
				e, _ := base64.RawURLEncoding.DecodeString(k.E)
				return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, true
			}
		}
		return nil, false
	}, &claims)
	if err != nil {
		t.Fatalf("the token does not verify against the pool's JWKS: %v", err)
	}
	return claims
}

// atHash is the at_hash of an access token.
func atHash(access string) string {
	sum := sha256.Sum256([]byte(access))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// latestCode reads the newest code the inbox holds for a user of a pool.
func (s *testServer) latestCode(t *testing.T, pool, username string) string {
	t.Helper()
	msgs := s.messages(t, "UserPoolId="+pool+"&Username="+url.QueryEscape(username))
	if len(msgs) == 0 {
		t.Fatalf("no message for %s", username)
	}
	return sixDigit(t, msgs[0].Body)
}

func hasScope(claims map[string]any, scope string) bool {
	s, _ := claims["scope"].(string)
	for _, f := range strings.Fields(s) {
		if f == scope {
			return true
		}
	}
	return false
}
