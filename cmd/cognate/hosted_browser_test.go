package main

// Browser tests of the hosted pages in headless Chromium, driven with chromedp: the whole
// account recovery a person goes through, each refusal's sentence with the form kept,
// sign-in ending at the app's callback with a code that the token endpoint exchanges
// (PKCE) for tokens that verify against the JWKS, federation through a second cognate, and
// the console. Each page is photographed; -screenshots DIR keeps the pictures (the
// README's come from `go test ./cmd/cognate -run TestHostedBrowser -screenshots ../../docs`).

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

var screenshotDir = flag.String("screenshots", "", "keep the browser tests' screenshots in this directory")

// browser starts a headless Chromium for the test, or skips (fails under
// COGNATE_TEST_REQUIRE=chromium) when there is none.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		path, err = exec.LookPath("chromium-browser")
	}
	requirePeer(t, "chromium", err == nil, "chromium not installed (apt-get install chromium)")
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1100, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// shot photographs the page into the screenshot directory (a temporary one by default).
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := *screenshotDir
	if dir == "" {
		dir = t.TempDir()
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG; less is JPEG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// do runs browser steps, failing the test on an error.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// get runs one browser action that returns a value.
func get[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// text reads an element's text.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	do(t, ctx, "waiting for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	return strings.TrimSpace(get(t, ctx, "reading "+sel, chromedp.Text(chromedp.CSS(sel))))
}

func fieldValue(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return get(t, ctx, "reading "+sel, chromedp.Value(chromedp.CSS(sel)))
}

// fill clears the fields and types into them, then presses the form's submit button.
func fill(t *testing.T, ctx context.Context, fields map[string]string, submit string) {
	t.Helper()
	for sel, v := range fields {
		do(t, ctx, "waiting for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
		get(t, ctx, "clearing "+sel, chromedp.Evaluate[bool](fmt.Sprintf(`(document.querySelector(%q).value = "", true)`, sel)))
		do(t, ctx, "typing into "+sel, chromedp.SendKeys(chromedp.CSS(sel), v))
	}
	press(t, ctx, submit)
}

// press clicks what leads to a new page and waits for that page to load.
func press(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	get(t, ctx, "pressing "+sel, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel))))
}

// wantSentence waits for the error area and checks its sentence and the kept fields.
func wantSentence(t *testing.T, ctx context.Context, sentence string, kept map[string]string) {
	t.Helper()
	if got := text(t, ctx, "#error"); got != sentence {
		t.Errorf("error area: %q, want %q", got, sentence)
	}
	for sel, want := range kept {
		if got := fieldValue(t, ctx, sel); got != want {
			t.Errorf("%s after the refusal: %q, want %q (the form is kept)", sel, got, want)
		}
	}
}

func TestHostedBrowserRecoveryToTokens(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	s := startServer(t)
	cb := newCallback(t)
	app := newOAuthApp(t, s.Client, "example-app", cb.URL, nil)
	addUser(t, s.Client, app.Pool, "jane", "jane@example.com", "Old-Passw0rd!")
	verifier, challenge := pkce()
	q := app.authorizeQuery("st-123", "n-456", challenge)

	// The sign-in page, then "Forgot your password?".
	do(t, ctx, "opening the authorize endpoint", chromedp.Navigate(s.URL+"/oauth2/authorize?"+q.Encode()), chromedp.WaitVisible(chromedp.CSS("#username")))
	if h1 := text(t, ctx, "h1"); h1 != "Sign in" {
		t.Fatalf("authorize led to %q, want the sign-in page", h1)
	}
	shot(t, ctx, "login")
	press(t, ctx, `a[href^="/forgotPassword"]`)
	do(t, ctx, "following the forgot link", chromedp.WaitVisible(chromedp.CSS("h1")))
	if h1 := text(t, ctx, "h1"); h1 != "Forgot your password?" {
		t.Fatalf("forgot link led to %q", h1)
	}
	shot(t, ctx, "forgot-password")
	fill(t, ctx, map[string]string{"#username": "jane"}, `button[type=submit]`)
	do(t, ctx, "the reset page", chromedp.WaitVisible(chromedp.CSS("#code")))
	if n := text(t, ctx, "#notice"); !strings.Contains(n, "We have sent a code to j***@e***") {
		t.Errorf("reset page notice %q", n)
	}
	if got := fieldValue(t, ctx, "#username"); got != "jane" {
		t.Errorf("the reset page's username is %q, want jane carried over", got)
	}
	code := s.latestCode(t, app.Pool, "jane")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}

	// Each refusal has its sentence, and the username and the code stay in the form.
	fill(t, ctx, map[string]string{"#code": wrong, "#password": "New-Passw0rd!", "#confirm": "New-Passw0rd!"}, `button[type=submit]`)
	wantSentence(t, ctx, "That code is not right. Check the code we sent you and type it again.", map[string]string{"#username": "jane", "#code": wrong})
	shot(t, ctx, "reset-wrong-code")
	fill(t, ctx, map[string]string{"#code": code, "#password": "weak", "#confirm": "weak"}, `button[type=submit]`)
	wantSentence(t, ctx, "Your password is too short. Make it longer, as the list below says.", map[string]string{"#username": "jane", "#code": code})
	fill(t, ctx, map[string]string{"#code": code, "#password": "new-passw0rd!", "#confirm": "new-passw0rd!"}, `button[type=submit]`)
	wantSentence(t, ctx, "Your password needs at least one capital letter (A–Z).", map[string]string{"#code": code})
	fill(t, ctx, map[string]string{"#code": code, "#password": "New-Passw0rd!", "#confirm": "New-Passw0rd?"}, `button[type=submit]`)
	wantSentence(t, ctx, "The two passwords are not the same. Type the same new password in both fields.", map[string]string{"#username": "jane", "#code": code})
	// The policy list is checked as the user types.
	do(t, ctx, "typing a password", chromedp.SendKeys(chromedp.CSS("#password"), "New-Passw0rd!"), chromedp.SendKeys(chromedp.CSS("#confirm"), "New-Passw0rd!"))
	if m := text(t, ctx, "#match"); m != "The passwords match." {
		t.Errorf("live match note %q", m)
	}
	met := get(t, ctx, "counting met rules", chromedp.Evaluate[int](`document.querySelectorAll("ul.policy li.met").length`))
	if met != 5 {
		t.Errorf("%d policy rules shown met, want all 5", met)
	}
	shot(t, ctx, "confirm-forgot-password")

	// The reset, then sign-in with the new password on /login.
	fill(t, ctx, map[string]string{"#code": code, "#password": "New-Passw0rd!", "#confirm": "New-Passw0rd!"}, `button[type=submit]`)
	do(t, ctx, "back at sign-in", chromedp.WaitVisible(chromedp.CSS("#notice")))
	if n := text(t, ctx, "#notice"); n != "Your password has been changed. Sign in with your new password." {
		t.Errorf("sign-in notice %q", n)
	}
	fill(t, ctx, map[string]string{"#username": "jane", "#password": "Old-Passw0rd!"}, `button[type=submit]`)
	wantSentence(t, ctx, "The username or password is not right.", map[string]string{"#username": "jane"})
	fill(t, ctx, map[string]string{"#username": "jane", "#password": "New-Passw0rd!"}, `button[type=submit]`)
	do(t, ctx, "at the app's callback", chromedp.WaitVisible(chromedp.CSS("#done")))
	var got url.Values
	select {
	case got = <-cb.got:
	case <-time.After(10 * time.Second):
		t.Fatal("the callback was never called")
	}
	if got.Get("state") != "st-123" || got.Get("code") == "" {
		t.Fatalf("callback query %v", got)
	}

	// The code, with its PKCE verifier, for tokens that verify against the JWKS.
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {app.Client}, "code": {got.Get("code")},
		"redirect_uri": {app.Callback}, "code_verifier": {verifier}}
	status, tr := postToken(t, s.URL, form, "", "")
	if status != 200 || tr.AccessToken == "" || tr.IDToken == "" || tr.RefreshToken == "" || tr.TokenType != "Bearer" || tr.ExpiresIn != 3600 {
		t.Fatalf("token endpoint: %d %+v", status, tr)
	}
	id := verifyToken(t, s.URL, app.Pool, tr.IDToken)
	access := verifyToken(t, s.URL, app.Pool, tr.AccessToken)
	if id["nonce"] != "n-456" || id["at_hash"] != atHash(tr.AccessToken) || id["cognito:username"] != "jane" || id["aud"] != app.Client ||
		id["iss"] != s.URL+"/"+app.Pool || id["email"] != "jane@example.com" {
		t.Errorf("ID token claims %v", id)
	}
	if access["scope"] != "openid email profile aws.cognito.signin.user.admin" || access["client_id"] != app.Client || access["username"] != "jane" {
		t.Errorf("access token claims %v", access)
	}
	if status, tr := postToken(t, s.URL, form, "", ""); status != 400 || tr.Error != "invalid_grant" {
		t.Errorf("the code a second time: %d %+v, want invalid_grant", status, tr)
	}
	// The access token works for the user's own operations (it has aws.cognito.signin.user.admin).
	must(s.Client.GetUser(bg, &cip.GetUserInput{AccessToken: aws.String(tr.AccessToken)}))(t)

	// The used code: an expired code's sentence, the form kept.
	do(t, ctx, "the reset page again", chromedp.Navigate(s.URL+"/confirmforgotpassword?"+url.Values{"client_id": {app.Client}, "username": {"jane"}}.Encode()),
		chromedp.WaitVisible(chromedp.CSS("#code")))
	fill(t, ctx, map[string]string{"#code": code, "#password": "Other-Passw0rd!", "#confirm": "Other-Passw0rd!"}, `button[type=submit]`)
	wantSentence(t, ctx, "That code has expired or has been used already. Ask for a new code and use the newest one.", map[string]string{"#username": "jane", "#code": code})

	// A second authorize within the hosted session needs no password.
	_, challenge2 := pkce()
	do(t, ctx, "authorize again", chromedp.Navigate(s.URL+"/oauth2/authorize?"+app.authorizeQuery("st-2", "n-2", challenge2).Encode()),
		chromedp.WaitVisible(chromedp.CSS("#done")))
	if again := <-cb.got; again.Get("state") != "st-2" || again.Get("code") == "" {
		t.Errorf("the second authorize's callback %v", again)
	}

	// A code left for more than its hour: the expired code's sentence, the form kept.
	do(t, ctx, "the forgot page again", chromedp.Navigate(s.URL+"/forgotPassword?"+url.Values{"client_id": {app.Client}}.Encode()),
		chromedp.WaitVisible(chromedp.CSS("#username")))
	fill(t, ctx, map[string]string{"#username": "jane"}, `button[type=submit]`)
	do(t, ctx, "the reset page for a new code", chromedp.WaitVisible(chromedp.CSS("#code")))
	late := s.latestCode(t, app.Pool, "jane")
	s.clock(t, http.MethodPost, "Advance=61m", "")
	fill(t, ctx, map[string]string{"#code": late, "#password": "Later-Passw0rd!", "#confirm": "Later-Passw0rd!"}, `button[type=submit]`)
	wantSentence(t, ctx, "That code has expired or has been used already. Ask for a new code and use the newest one.", map[string]string{"#username": "jane", "#code": late})
}

// TestHostedBrowserPages photographs the other pages and checks the sign-up, the
// confirmation, the link that confirms only when its button is pressed, and the console.
func TestHostedBrowserPages(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	s := startServer(t)
	cb := newCallback(t)
	app := newOAuthApp(t, s.Client, "pages-app", cb.URL, nil)
	q := app.authorizeQuery("st", "n", "")

	do(t, ctx, "sign-up", chromedp.Navigate(s.URL+"/signup?"+q.Encode()), chromedp.WaitVisible(chromedp.CSS("#email")))
	shot(t, ctx, "signup")
	fill(t, ctx, map[string]string{"#username": "sam", "#email": "sam@example.com", "#password": "Passw0rd!x", "#confirm": "Passw0rd!x"}, `button[type=submit]`)
	do(t, ctx, "confirm page", chromedp.WaitVisible(chromedp.CSS("#code")))
	shot(t, ctx, "confirm")
	fill(t, ctx, map[string]string{"#code": "999999"}, `button[value=confirm]`)
	if e := text(t, ctx, "#error"); e != "That code is not right. Check the code we sent you and type it again." && s.latestCode(t, app.Pool, "sam") != "999999" {
		t.Errorf("wrong confirmation code: %q", e)
	}
	fill(t, ctx, map[string]string{"#code": s.latestCode(t, app.Pool, "sam")}, `button[value=confirm]`)
	do(t, ctx, "confirmed", chromedp.WaitVisible(chromedp.CSS("#notice")))
	if n := text(t, ctx, "#notice"); n != "Your account is confirmed. You can sign in now." {
		t.Errorf("after confirming: %q", n)
	}
	if st := getUser(t, s.Client, app.Pool, "sam").UserStatus; st != types.UserStatusTypeConfirmed {
		t.Errorf("sam is %s after the confirm page", st)
	}

	// An authorize request with a redirect_uri the client never registered gets a page,
	// never a redirect there.
	bad := app.authorizeQuery("st", "n", "")
	bad.Set("redirect_uri", "https://evil.example/cb")
	do(t, ctx, "a foreign redirect_uri", chromedp.Navigate(s.URL+"/oauth2/authorize?"+bad.Encode()), chromedp.WaitVisible(chromedp.CSS("#error")))
	if e := text(t, ctx, "#error"); !strings.Contains(e, "not set up for this app") {
		t.Errorf("redirect mismatch page: %q", e)
	}
	shot(t, ctx, "error")

	// The console: pools, the pool with its users and their latest code, a user, and a button.
	addUser(t, s.Client, app.Pool, "jane", "jane@example.com", "Passw0rd!x")
	must(s.Client.CreateGroup(bg, &cip.CreateGroupInput{UserPoolId: aws.String(app.Pool), GroupName: aws.String("admins")}))(t)
	must(s.Client.AdminAddUserToGroup(bg, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(app.Pool), Username: aws.String("jane"), GroupName: aws.String("admins")}))(t)
	must(s.Client.ForgotPassword(bg, &cip.ForgotPasswordInput{ClientId: aws.String(app.Client), Username: aws.String("jane")}))(t)
	janeCode := s.latestCode(t, app.Pool, "jane")
	do(t, ctx, "console", chromedp.Navigate(s.URL+"/_cognate/"), chromedp.WaitVisible(chromedp.CSS("table")))
	shot(t, ctx, "console-pools")
	press(t, ctx, `a[href="/_cognate/pools/`+app.Pool+`"]`)
	do(t, ctx, "console pool", chromedp.WaitVisible(chromedp.CSS(`a[href$="/users/jane"]`)))
	html := get(t, ctx, "reading the pool page", chromedp.OuterHTML(chromedp.CSS("main")))
	for _, want := range []string{janeCode, "admins", "CONFIRMED", app.Client} {
		if !strings.Contains(html, want) {
			t.Errorf("the console's pool page lacks %q", want)
		}
	}
	shot(t, ctx, "console")
	press(t, ctx, `a[href$="/users/jane"]`)
	do(t, ctx, "console user", chromedp.WaitVisible(chromedp.CSS(`button.danger`)))
	shot(t, ctx, "console-user")
	press(t, ctx, `button.danger`)
	do(t, ctx, "disable", chromedp.WaitVisible(chromedp.CSS("#notice")))
	if u := getUser(t, s.Client, app.Pool, "jane"); u.Enabled {
		t.Error("the console's Disable button left jane enabled")
	}
	do(t, ctx, "inbox", chromedp.Navigate(s.URL+"/_cognate/inbox"), chromedp.WaitVisible(chromedp.CSS("table")))
	shot(t, ctx, "console-inbox")
}

// TestHostedBrowserConfirmLink proves that opening a sign-up email's link uses no code up:
// the page shows a button, and only pressing it confirms.
func TestHostedBrowserConfirmLink(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	s := startServer(t)
	pool := createPool(t, s.Client, &cip.CreateUserPoolInput{PoolName: aws.String("link"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		VerificationMessageTemplate: &types.VerificationMessageTemplateType{DefaultEmailOption: types.DefaultEmailOptionTypeConfirmWithLink,
			EmailMessageByLink: aws.String("{##Confirm##}")}})
	client := must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("web")}))(t).UserPoolClient.ClientId
	must(s.Client.SignUp(bg, &cip.SignUpInput{ClientId: client, Username: aws.String("sam"), Password: aws.String("Passw0rd!"),
		UserAttributes: attributes("email", "sam@example.com")}))(t)
	link := strings.TrimPrefix(s.messages(t, "Username=sam")[0].Body, "Confirm: ")
	do(t, ctx, "opening the link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("button")))
	shot(t, ctx, "confirm-link")
	if st := getUser(t, s.Client, pool, "sam").UserStatus; st != types.UserStatusTypeUnconfirmed {
		t.Fatalf("opening the link made sam %s", st)
	}
	press(t, ctx, "button")
	do(t, ctx, "pressing the button", chromedp.WaitVisible(chromedp.CSS("#notice")))
	if n := text(t, ctx, "#notice"); n != "Your registration has been confirmed!" {
		t.Errorf("after the button: %q", n)
	}
	if st := getUser(t, s.Client, pool, "sam").UserStatus; st != types.UserStatusTypeConfirmed {
		t.Errorf("sam is %s after the button", st)
	}
}

// TestHostedBrowserFederation signs in through a second cognate as the OpenID Connect
// provider: the user lands in the first pool as a federated user, EXTERNAL_PROVIDER, whose
// ID token has the identities claim.
func TestHostedBrowserFederation(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	rp := startServer(t) // the pool the app signs in to
	// The provider, reached as localhost so that its cookies are its own; its public URL
	// (the issuer of its tokens) is localhost too.
	idp := startServer(t, "--addr", "localhost:0")
	idpURL := strings.Replace(idp.URL, "127.0.0.1", "localhost", 1)
	cb := newCallback(t)

	// The provider: a pool with a domain, a confidential client whose callback is the
	// relying pool's /oauth2/idpresponse, and the user bob.
	prov := newOAuthApp(t, idp.Client, "provider", rp.URL+"/oauth2/idpresponse", &cip.CreateUserPoolClientInput{GenerateSecret: true,
		AllowedOAuthScopes: []string{"openid", "email"}})
	addUser(t, idp.Client, prov.Pool, "bob", "bob@example.com", "Bob-Passw0rd!")
	bobSub := attrMap(getUser(t, idp.Client, prov.Pool, "bob").UserAttributes)["sub"]

	app := newOAuthApp(t, rp.Client, "relying", cb.URL, &cip.CreateUserPoolClientInput{SupportedIdentityProviders: []string{"COGNITO", "Corp"}})
	must(rp.Client.CreateIdentityProvider(bg, &cip.CreateIdentityProviderInput{UserPoolId: aws.String(app.Pool), ProviderName: aws.String("Corp"),
		ProviderType: types.IdentityProviderTypeTypeOidc, AttributeMapping: map[string]string{"email": "email", "email_verified": "email_verified"},
		ProviderDetails: map[string]string{"client_id": prov.Client, "client_secret": prov.Secret, "authorize_scopes": "openid email",
			"attributes_request_method": "GET", "oidc_issuer": idpURL + "/" + prov.Pool}}))(t)

	verifier, challenge := pkce()
	q := app.authorizeQuery("fed-state", "fed-nonce", challenge)
	// The login page offers the provider.
	do(t, ctx, "relying login", chromedp.Navigate(rp.URL+"/login?"+q.Encode()), chromedp.WaitVisible(chromedp.CSS(`a[href*="identity_provider=Corp"]`)))
	q.Set("identity_provider", "Corp")
	do(t, ctx, "authorize through Corp", chromedp.Navigate(rp.URL+"/oauth2/authorize?"+q.Encode()), chromedp.WaitVisible(chromedp.CSS("#username")))
	loc := get(t, ctx, "where", chromedp.Location())
	if !strings.HasPrefix(loc, idpURL+"/login?") {
		t.Fatalf("identity_provider=Corp led to %s, want the provider's sign-in page", loc)
	}
	fill(t, ctx, map[string]string{"#username": "bob", "#password": "Bob-Passw0rd!"}, `button[type=submit]`)
	do(t, ctx, "back at the app", chromedp.WaitVisible(chromedp.CSS("#done")))
	got := <-cb.got
	if got.Get("state") != "fed-state" || got.Get("code") == "" {
		t.Fatalf("callback %v", got)
	}
	status, tr := postToken(t, rp.URL, url.Values{"grant_type": {"authorization_code"}, "client_id": {app.Client},
		"code": {got.Get("code")}, "redirect_uri": {app.Callback}, "code_verifier": {verifier}}, "", "")
	if status != 200 {
		t.Fatalf("token endpoint: %d %+v", status, tr)
	}
	id := verifyToken(t, rp.URL, app.Pool, tr.IDToken)
	username := "Corp_" + bobSub
	if id["cognito:username"] != username || id["email"] != "bob@example.com" || id["nonce"] != "fed-nonce" {
		t.Errorf("federated ID token %v", id)
	}
	ids, _ := id["identities"].([]any)
	if len(ids) != 1 {
		t.Fatalf("identities claim %v", id["identities"])
	}
	first, _ := ids[0].(map[string]any)
	if first["providerName"] != "Corp" || first["providerType"] != "OIDC" || first["userId"] != bobSub || first["primary"] != "true" ||
		first["issuer"] != idpURL+"/"+prov.Pool {
		t.Errorf("identities[0] = %v", first)
	}
	u := getUser(t, rp.Client, app.Pool, username)
	if u.UserStatus != types.UserStatusTypeExternalProvider || attrMap(u.UserAttributes)["email"] != "bob@example.com" {
		t.Errorf("the federated user: %s %v", u.UserStatus, attrMap(u.UserAttributes))
	}
}
