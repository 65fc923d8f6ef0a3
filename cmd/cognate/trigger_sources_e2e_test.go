package main

// Trigger sources beyond the golden tests' pool: UserMigration's forceAliasCreation and
// PreSignUp_ExternalProvider at a first federated sign-in.

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

// TestUserMigrationForceAliasCreation: a UserMigration answer whose verified email another
// user holds as an alias refuses the migration with AliasExistsException and creates nobody
// (forceAliasCreation false, the default: spec §6.5); with forceAliasCreation true the alias
// moves to the migrated user and the holder's email is no longer verified, as
// AdminCreateUser's ForceAliasCreation does; by sign-in and by recovery.
func TestUserMigrationForceAliasCreation(t *testing.T) {
	var mu sync.Mutex
	force := false
	fn := newFnServer(t, func(c fnCall) fnAnswer {
		mu.Lock()
		defer mu.Unlock()
		ans := map[string]any{"userAttributes": map[string]any{"email": "shared@example.com", "email_verified": "true"},
			"finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS"}
		if force {
			ans["forceAliasCreation"] = true
		}
		return fnAnswer{Response: ans}
	})
	s := startServer(t, fn.Flags()...)
	setForce := func(v bool) { mu.Lock(); force = v; mu.Unlock() }
	for _, flow := range []string{"sign-in", "recovery"} {
		t.Run(flow, func(t *testing.T) {
			p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, fnLambda(&types.LambdaConfigType{UserMigration: aws.String(fnArnPrefix + "migrate")}))
			p.user(t, "holder", "email", "shared@example.com", "email_verified", "true")
			migrate := func() error {
				if flow == "sign-in" {
					_, err := p.signIn("mover", "Legacy-Passw0rd")
					return err
				}
				_, err := p.forgot("mover")
				return err
			}

			setForce(false)
			wantCodeMsg(t, migrate(), "AliasExistsException", "An account with the email already exists.")
			_, err := s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(p.id), Username: aws.String("mover")})
			wantCode(t, err, "UserNotFoundException")
			if got := attrMap(getUser(t, s.Client, p.id, "holder").UserAttributes); got["email_verified"] != "true" {
				t.Errorf("a refused migration changed the holder: %v", got)
			}

			setForce(true)
			if err := migrate(); err != nil {
				t.Fatalf("migration with forceAliasCreation: %v", err)
			}
			if got := attrMap(getUser(t, s.Client, p.id, "mover").UserAttributes); got["email"] != "shared@example.com" || got["email_verified"] != "true" {
				t.Errorf("the migrated user %v", got)
			}
			if got := attrMap(getUser(t, s.Client, p.id, "holder").UserAttributes); got["email"] != "shared@example.com" || got["email_verified"] != "false" {
				t.Errorf("the former holder %v, want its email kept unverified", got)
			}
			// The alias now names the migrated user.
			u := must(s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(p.id), Username: aws.String("shared@example.com")}))(t)
			if aws.ToString(u.Username) != "mover" {
				t.Errorf("the alias names %s, want mover", aws.ToString(u.Username))
			}
		})
	}
}

// fedSignIn signs bob in to app through the provider Corp, as a browser would (the hosted
// pages' redirects and the provider's login form, its CSRF field included), and returns
// the query the app's callback got and the PKCE verifier of its code.
func fedSignIn(t *testing.T, rpURL string, app oauthApp, cb *callback, state string) (url.Values, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	verifier, challenge := pkce()
	q := app.authorizeQuery(state, "n-"+state, challenge)
	q.Set("identity_provider", "Corp")
	res, err := c.Get(rpURL + "/oauth2/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	csrf := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(page)
	if res.StatusCode != 200 || csrf == nil {
		t.Fatalf("the provider's login page: %d %s", res.StatusCode, page)
	}
	res, err = c.PostForm(res.Request.URL.String(), url.Values{"_csrf": {string(csrf[1])}, "username": {"bob"}, "password": {"Bob-Passw0rd!"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	select {
	case got := <-cb.got:
		return got, verifier
	default:
		t.Fatalf("the sign-in did not reach the app's callback: %d at %s", res.StatusCode, res.Request.URL)
	}
	return nil, ""
}

// TestPreSignUpExternalProvider: the first federated sign-in of an identity runs the pool's
// PreSignUp function with PreSignUp_ExternalProvider (the new user's name and mapped
// attributes, the app client) before the user is created; autoVerifyEmail verifies its
// email; a function that refuses sends the app AWS's error_description and creates nobody;
// the code's tokens run PreTokenGeneration as TokenGeneration_HostedAuth; a later sign-in of
// the same identity runs no PreSignUp.
func TestPreSignUpExternalProvider(t *testing.T) {
	var mu sync.Mutex
	answer := fnAnswer{Error: "Sign-ups by Corp are closed"}
	fn := newFnServer(t, func(fnCall) fnAnswer { mu.Lock(); defer mu.Unlock(); return answer })
	set := func(a fnAnswer) { mu.Lock(); answer = a; mu.Unlock() }
	rp := startServer(t, fn.Flags()...)
	idp := startServer(t, "--addr", "localhost:0") // its own host, so that its cookies are its own
	idpURL := strings.Replace(idp.URL, "127.0.0.1", "localhost", 1)
	cb := newCallback(t)
	prov := newOAuthApp(t, idp.Client, "provider", rp.URL+"/oauth2/idpresponse", &cip.CreateUserPoolClientInput{GenerateSecret: true,
		AllowedOAuthScopes: []string{"openid", "email"}})
	addUser(t, idp.Client, prov.Pool, "bob", "bob@example.com", "Bob-Passw0rd!")
	bobSub := attrMap(getUser(t, idp.Client, prov.Pool, "bob").UserAttributes)["sub"]
	app := newOAuthApp(t, rp.Client, "relying", cb.URL, &cip.CreateUserPoolClientInput{SupportedIdentityProviders: []string{"Corp"}})
	must(rp.Client.UpdateUserPool(bg, &cip.UpdateUserPoolInput{UserPoolId: aws.String(app.Pool),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		LambdaConfig: &types.LambdaConfigType{PreSignUp: aws.String(fnArnPrefix + "pre-sign-up"),
			PreTokenGeneration: aws.String(fnArnPrefix + "pre-token")}}))(t)
	must(rp.Client.CreateIdentityProvider(bg, &cip.CreateIdentityProviderInput{UserPoolId: aws.String(app.Pool), ProviderName: aws.String("Corp"),
		ProviderType: types.IdentityProviderTypeTypeOidc, AttributeMapping: map[string]string{"email": "email"},
		ProviderDetails: map[string]string{"client_id": prov.Client, "client_secret": prov.Secret, "authorize_scopes": "openid email",
			"attributes_request_method": "GET", "oidc_issuer": idpURL + "/" + prov.Pool}}))(t)
	username := "Corp_" + bobSub

	// Refused: the app is told as AWS tells it, and nobody is created.
	got, _ := fedSignIn(t, rp.URL, app, cb, "refused")
	if got.Get("error") != "invalid_request" || got.Get("error_description") != "PreSignUp failed with error Sign-ups by Corp are closed. " ||
		got.Get("state") != "refused" || got.Get("code") != "" {
		t.Errorf("callback after a refusal %v", got)
	}
	_, err := rp.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(app.Pool), Username: aws.String(username)})
	wantCode(t, err, "UserNotFoundException")
	c := fnOnly(t, fn.Calls(t), "PreSignUp_ExternalProvider")
	want := map[string]any{
		"version": "1", "triggerSource": "PreSignUp_ExternalProvider", "region": "us-east-1", "userPoolId": app.Pool, "userName": username,
		"callerContext": map[string]any{"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": app.Client},
		"request":       map[string]any{"userAttributes": map[string]any{"email": "bob@example.com"}, "validationData": map[string]any{}},
		"response":      map[string]any{"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false},
	}
	if diff := cmp.Diff(want, c.Event); diff != "" {
		t.Errorf("PreSignUp_ExternalProvider event (-documented +got):\n%s", diff)
	}

	// Let through with the email verified; the code's tokens are a TokenGeneration_HostedAuth.
	set(fnAnswer{Response: map[string]any{"autoVerifyEmail": true}})
	got, verifier := fedSignIn(t, rp.URL, app, cb, "admitted")
	if got.Get("code") == "" {
		t.Fatalf("callback %v", got)
	}
	u := getUser(t, rp.Client, app.Pool, username)
	attrs := map[string]any{"cognito:user_status": "EXTERNAL_PROVIDER"}
	for k, v := range attrMap(u.UserAttributes) {
		attrs[k] = v
	}
	if u.UserStatus != types.UserStatusTypeExternalProvider || attrs["email"] != "bob@example.com" || attrs["email_verified"] != "true" {
		t.Errorf("the federated user %s %v", u.UserStatus, attrs)
	}
	if status, tr := postToken(t, rp.URL, url.Values{"grant_type": {"authorization_code"}, "client_id": {app.Client},
		"code": {got.Get("code")}, "redirect_uri": {app.Callback}, "code_verifier": {verifier}}, "", ""); status != 200 || tr.IDToken == "" {
		t.Fatalf("token endpoint: %d %+v", status, tr)
	}
	c = fnOnly(t, fn.Calls(t), "TokenGeneration_HostedAuth")
	want = map[string]any{
		"version": "1", "triggerSource": "TokenGeneration_HostedAuth", "region": "us-east-1", "userPoolId": app.Pool, "userName": username,
		"callerContext": map[string]any{"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": app.Client},
		"request": map[string]any{"userAttributes": attrs,
			"groupConfiguration": map[string]any{"groupsToOverride": []any{}, "iamRolesToOverride": []any{}, "preferredRole": nil}},
		"response": map[string]any{"claimsOverrideDetails": nil},
	}
	if diff := cmp.Diff(want, c.Event); diff != "" {
		t.Errorf("TokenGeneration_HostedAuth event (-documented +got):\n%s", diff)
	}
	// A later sign-in of the identity creates nobody, so runs no PreSignUp.
	n := len(fn.Calls(t))
	if got, _ := fedSignIn(t, rp.URL, app, cb, "again"); got.Get("code") == "" {
		t.Fatalf("callback %v", got)
	}
	for _, c := range fn.Calls(t)[n:] {
		if c.Event["triggerSource"] == "PreSignUp_ExternalProvider" {
			t.Errorf("PreSignUp ran at a returning identity's sign-in")
		}
	}
}
