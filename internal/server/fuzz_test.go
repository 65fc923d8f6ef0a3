package server_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"cognate/internal/server"
	"cognate/internal/sqlite"
	"cognate/internal/userpool"
	"cognate/internal/web"
)

// The fuzz targets of this file drive the whole handler cognate serves: every operation of
// routes.go through the AWS JSON 1.1 protocol, and the hosted pages' forms. They run on a
// real in-memory SQLite store with a pool, an app client with the hosted UI and a user,
// so that inputs naming them reach past "not found" into the operations.

// fuzzCSRFKey keys the pages' CSRF tokens; the targets know it to send valid tokens, so
// that fuzzed forms reach the handlers behind the CSRF check.
var fuzzCSRFKey = []byte("fuzz-csrf-key-of-32-bytes-length")

// fuzzCSRFCookie is the browser's CSRF secret in every fuzzed form.
const fuzzCSRFCookie = "ZnV6ei1jc3JmLWNvb2tpZS1vZi10aGlydHktdHdvLWI"

type fuzzServer struct {
	h            http.Handler
	pool, client string
}

func newFuzzServer(t testing.TB) *fuzzServer {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, ":memory:", sqlite.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := userpool.New(st, userpool.Options{PublicURL: "http://127.0.0.1:9229",
		Hasher: userpool.NewHasher(userpool.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}, 4)})
	pages, err := web.New(web.Config{Service: svc, CSRFKey: fuzzCSRFKey})
	if err != nil {
		t.Fatal(err)
	}
	fs := &fuzzServer{h: server.New(server.Config{Service: svc, OpenDevEndpoints: true, Web: pages})}
	p, err := svc.CreateUserPool(ctx, &userpool.CreateUserPoolRequest{PoolName: ptr("fuzz"),
		AliasAttributes: []string{"email"}, AutoVerifiedAttributes: []string{"email"}})
	if err != nil {
		t.Fatal(err)
	}
	fs.pool = *p.UserPool.Id
	c, err := svc.CreateUserPoolClient(ctx, &userpool.CreateUserPoolClientRequest{UserPoolId: &fs.pool, ClientName: ptr("app"),
		AllowedOAuthFlowsUserPoolClient: ptr(true), AllowedOAuthFlows: []string{"code", "implicit"},
		AllowedOAuthScopes: []string{"openid", "email"}, CallbackURLs: []string{"https://app.example.com/cb"},
		LogoutURLs: []string{"https://app.example.com/out"}, SupportedIdentityProviders: []string{"COGNITO"},
		ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	if err != nil {
		t.Fatal(err)
	}
	fs.client = *c.UserPoolClient.ClientId
	if _, err := svc.AdminCreateUser(ctx, &userpool.AdminCreateUserRequest{UserPoolId: &fs.pool, Username: ptr("jane"),
		MessageAction: ptr("SUPPRESS"), UserAttributes: []userpool.AttributeType{
			{Name: ptr("email"), Value: ptr("jane@example.com")}, {Name: ptr("email_verified"), Value: ptr("true")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AdminSetUserPassword(ctx, &userpool.AdminSetUserPasswordRequest{UserPoolId: &fs.pool, Username: ptr("jane"),
		Password: ptr("Passw0rd!"), Permanent: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	return fs
}

func ptr[T any](v T) *T { return &v }

// Ids of the servers the seed corpus was recorded on, rewritten to the fixture's.
var (
	seedPoolID   = regexp.MustCompile(`us-east-1_[0-9A-Za-z]{9}`)
	seedClientID = regexp.MustCompile(`"ClientId":"[0-9a-z]{26}"`)
)

// fuzzOps are the operations cognate carries out, in name order.
var fuzzOps = func() []string { ops := server.Operations(); slices.Sort(ops); return ops }()

// FuzzHandler sends any body to any operation through the handler cognate serves. The
// operation is named by op; a name that is no operation picks one by its length, so that
// every input reaches an operation. The seed corpus under testdata/fuzz/FuzzHandler holds
// the requests of the end-to-end tests (recorded by running them with COGNATE_FUZZ_SEEDS
// set). Whatever the input, the answer is a 200 with a JSON body or a 4xx with the
// protocol's error body naming an exception: never a 500 (an internal error on an input
// is a finding), never a panic.
func FuzzHandler(f *testing.F) {
	f.Add("ForgotPassword", []byte(`{"ClientId":"x","Username":"jane"}`))
	f.Add("AdminGetUser", []byte(`{"UserPoolId":"us-east-1_AAAAAAAAA","Username":"jane"}`))
	f.Add("ListUsers", []byte(`{"UserPoolId":"us-east-1_AAAAAAAAA","Filter":"email ^= \"j\""}`))
	f.Add("InitiateAuth", []byte(`{"ClientId":"x","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"jane","PASSWORD":"Passw0rd!"}}`))
	fs := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		if !slices.Contains(fuzzOps, op) {
			op = fuzzOps[len(op)%len(fuzzOps)]
		}
		body = seedPoolID.ReplaceAll(body, []byte(fs.pool))
		body = seedClientID.ReplaceAll(body, []byte(`"ClientId":"`+fs.client+`"`))
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-amz-json-1.1")
		r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
		w := httptest.NewRecorder()
		fs.h.ServeHTTP(w, r)
		res := w.Result()
		answer, _ := io.ReadAll(res.Body)
		if !jsontext.Value(answer).IsValid() {
			t.Fatalf("%s answered %d with a body that is not JSON: %q\nrequest %q", op, res.StatusCode, answer, body)
		}
		switch {
		case res.StatusCode == http.StatusOK:
		case res.StatusCode >= 400 && res.StatusCode < 500:
			var e struct {
				Type string `json:"__type"`
			}
			if err := json.Unmarshal(answer, &e, json.RejectUnknownMembers(false)); err != nil || e.Type == "" ||
				res.Header.Get("X-Amzn-Errortype") != e.Type+":" {
				t.Fatalf("%s answered %d without a proper error (%v): %s\nrequest %q", op, res.StatusCode, err, answer, body)
			}
		default:
			t.Fatalf("%s answered %d: %s\nrequest %q", op, res.StatusCode, answer, body)
		}
	})
}

// fuzzPages are the hosted pages that take forms.
var fuzzPages = []string{"/login", "/signup", "/confirm", "/confirmUser", "/forgotPassword", "/confirmForgotPassword",
	"/logout", "/oauth2/authorize", "/oauth2/token", "/oauth2/revoke", "/oauth2/userinfo", "/oauth2/idpresponse"}

// fuzzMarker is markup a fuzzed field may carry; a page that echoes it unescaped has a hole.
const fuzzMarker = "<q1x>"

// FuzzHostedForms posts any query and any form to the hosted pages (the page picked by
// the length of path when it names none), with a valid CSRF token so that the form is
// read. Whatever the input: no panic, no 5xx, and a page that echoes input never does so
// unescaped (a field carrying <q1x> never comes back as that markup).
func FuzzHostedForms(f *testing.F) {
	fs := newFuzzServer(f)
	authz := url.Values{"client_id": {"CLIENT"}, "response_type": {"code"}, "redirect_uri": {"https://app.example.com/cb"},
		"scope": {"openid email"}, "state": {"s" + fuzzMarker}}.Encode()
	f.Add("/login", authz, "username=jane&password=Passw0rd!")
	f.Add("/signup", authz, "username=ann"+fuzzMarker+"&password=Passw0rd!&email=ann@example.com")
	f.Add("/forgotPassword", authz, "username=jane")
	f.Add("/confirmForgotPassword", authz+"&username=jane", "code=123456&password=Passw0rd!2&confirm_password=Passw0rd!2")
	f.Add("/confirm", authz+"&username=jane", "code=12345"+fuzzMarker)
	f.Add("/confirmUser", "client_id=CLIENT&user_name=jane&confirmation_code=123456", "")
	f.Add("/oauth2/token", "", "grant_type=authorization_code&client_id=CLIENT&code=x&redirect_uri=https://app.example.com/cb")
	f.Add("/logout", "client_id=CLIENT&logout_uri=https://app.example.com/out", "")
	m := hmac.New(sha256.New, fuzzCSRFKey)
	m.Write([]byte(fuzzCSRFCookie))
	token := hex.EncodeToString(m.Sum(nil))
	f.Fuzz(func(t *testing.T, path, query, form string) {
		if !slices.Contains(fuzzPages, path) {
			path = fuzzPages[len(path)%len(fuzzPages)]
		}
		query = strings.ReplaceAll(query, "CLIENT", fs.client)
		form = strings.ReplaceAll(form, "CLIENT", fs.client)
		target := path
		if query != "" {
			target += "?" + url.PathEscape(query)
			if u, err := url.Parse(path + "?" + query); err == nil {
				target = u.RequestURI()
			}
		}
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			r := httptest.NewRequest(method, "http://127.0.0.1:9229/", nil)
			r.URL.Path, r.URL.RawQuery, _ = strings.Cut(target, "?")
			if method == http.MethodPost {
				r.Body = io.NopCloser(strings.NewReader(form + "&_csrf=" + token))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			r.AddCookie(&http.Cookie{Name: "cognate-csrf", Value: fuzzCSRFCookie})
			w := httptest.NewRecorder()
			done := make(chan struct{})
			go func() { defer close(done); fs.h.ServeHTTP(w, r) }()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Fatalf("%s %s did not answer in 20s (form %q)", method, target, form)
			}
			res := w.Result()
			page, _ := io.ReadAll(res.Body)
			if res.StatusCode >= 500 {
				t.Fatalf("%s %s answered %d (form %q):\n%s", method, target, res.StatusCode, form, page)
			}
			if bytes.Contains(page, []byte(fuzzMarker)) {
				t.Fatalf("%s %s echoes markup unescaped (form %q):\n%s", method, target, form, page)
			}
		}
	})
}

// call posts one operation's JSON body to the handler and returns the status and answer.
func (fs *fuzzServer) call(op string, body any) (int, []byte) {
	b, _ := json.Marshal(body)
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(b))
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	w := httptest.NewRecorder()
	fs.h.ServeHTTP(w, r)
	answer, _ := io.ReadAll(w.Result().Body)
	return w.Code, answer
}

// codeIn finds a six-digit code in a message.
var codeIn = regexp.MustCompile(`[0-9]{6}`)

// FuzzMessageTemplate renders any email subject and message template the model lets
// UpdateUserPool take into the message of a ForgotPassword. Whatever the template: no 5xx;
// the message carries a six-digit code and no {####} left; the username placeholder is
// filled; and an HTML part, when the template makes one, carries the code too.
func FuzzMessageTemplate(f *testing.F) {
	for _, s := range [][2]string{
		{"Your code", "Your password reset code is {####}"},
		{"Hi {username}", "<p>Hello {username},</p><p>your code: <b>{####}</b></p>"},
		{"x", "{####}{####}{username}"},
		{"<b>s</b>", "<a href=\"https://e.example/{####}\">{##Verify##}</a> &amp; {####}"},
		{"", "no code here"},
		{"é", "{####"},
		{"s", "<script>{####}</script><!-- {####} -->"},
	} {
		f.Add(s[0], s[1])
	}
	fs := newFuzzServer(f)
	n := 0
	f.Fuzz(func(t *testing.T, subject, message string) {
		tmpl := map[string]any{"EmailMessage": message}
		if subject != "" {
			tmpl["EmailSubject"] = subject
		}
		status, answer := fs.call("UpdateUserPool", map[string]any{"UserPoolId": fs.pool, "AutoVerifiedAttributes": []string{"email"},
			"AliasAttributes": []string{"email"}, "VerificationMessageTemplate": tmpl})
		if status >= 500 {
			t.Fatalf("UpdateUserPool with %q, %q answered %d: %s", subject, message, status, answer)
		}
		if status != http.StatusOK {
			return // the model refused the template
		}
		n++
		user := "user" + strings.Repeat("x", n%3) + hex.EncodeToString([]byte{byte(n >> 16), byte(n >> 8), byte(n)})
		if status, answer := fs.call("AdminCreateUser", map[string]any{"UserPoolId": fs.pool, "Username": user, "MessageAction": "SUPPRESS",
			"UserAttributes": []map[string]string{{"Name": "email", "Value": user + "@example.com"}, {"Name": "email_verified", "Value": "true"}}}); status != http.StatusOK {
			t.Fatalf("AdminCreateUser %s: %d %s", user, status, answer)
		}
		status, answer = fs.call("ForgotPassword", map[string]any{"ClientId": fs.client, "Username": user})
		if status >= 500 {
			t.Fatalf("ForgotPassword with template %q, %q answered %d: %s", subject, message, status, answer)
		}
		if status != http.StatusOK {
			return
		}
		r := httptest.NewRequest(http.MethodGet, "/_cognate/messages?UserPoolId="+url.QueryEscape(fs.pool)+"&Username="+url.QueryEscape(user), nil)
		w := httptest.NewRecorder()
		fs.h.ServeHTTP(w, r)
		var inbox struct {
			Messages []struct {
				Subject, Body string
				HTML          string `json:"Html"`
			}
		}
		if err := json.Unmarshal(w.Body.Bytes(), &inbox, json.RejectUnknownMembers(false)); err != nil || len(inbox.Messages) != 1 {
			t.Fatalf("the inbox for %s (%v): %s", user, err, w.Body.String())
		}
		m := inbox.Messages[0]
		if !codeIn.MatchString(m.Body) || strings.Contains(m.Body, "{####}") {
			t.Fatalf("template %q made the body %q: no code in it, or a placeholder left", message, m.Body)
		}
		if strings.Contains(message, "{username}") && !strings.Contains(m.Body, user) {
			t.Fatalf("template %q made the body %q without the username %s", message, m.Body, user)
		}
		if m.HTML != "" && (!codeIn.MatchString(m.HTML) || strings.Contains(m.HTML, "{####}")) {
			t.Fatalf("template %q made the HTML part %q: no code in it, or a placeholder left", message, m.HTML)
		}
	})
}
