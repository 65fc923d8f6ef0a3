package main

// The test controls of the emulator mode: --fixed-code, the movable clock
// (POST/GET/DELETE /_cognate/clock) and the reset of one pool
// (POST /_cognate/reset?UserPoolId=), and their refusal outside that mode.

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/go-json-experiment/json"
)

// ctlClock is the answer of the clock endpoints.
type ctlClock struct {
	Offset        string
	OffsetSeconds float64
	Now           float64
}

// clock calls a clock endpoint and returns its answer, failing the test on another status.
func (s *testServer) clock(t testing.TB, method, query, body string) ctlClock {
	t.Helper()
	u := s.URL + "/_cognate/clock"
	if query != "" {
		u += "?" + query
	}
	status, _, b := httpDo(t, method, u, nil, []byte(body))
	if status != http.StatusOK {
		t.Fatalf("%s %s %s: status %d: %s", method, u, body, status, b)
	}
	var c ctlClock
	if err := json.Unmarshal(b, &c, json.RejectUnknownMembers(true)); err != nil {
		t.Fatalf("%s %s: %v in %s", method, u, err, b)
	}
	return c
}

func TestFixedCode(t *testing.T) {
	t.Parallel()
	s := startServer(t, "--fixed-code", "123456")
	s.waitLog(t, `level=WARN msg="test controls are on (emulator mode: no --credentials, loopback only); never use this mode for real users"`)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesEnabled, nil)
	p.jane(t)

	// The recovery, without reading the inbox.
	recWantDelivery(t, must(p.forgot("jane"))(t), nil, recEmail("j***@e***"))
	if err := p.confirm("jane", "123456", recNewPassword); err != nil {
		t.Fatalf("ConfirmForgotPassword with the fixed code: %v", err)
	}
	must(p.signIn("jane", recNewPassword))(t)
	// Still single use: the code went with the reset.
	wantErr[*types.ExpiredCodeException](t, p.confirm("jane", "123456", "Th1rd-Passw0rd!"), recMsgExpired)

	// A sign-up code is the fixed code too, and the message carries it.
	must(s.Client.SignUp(bg, &cip.SignUpInput{ClientId: aws.String(p.client), Username: aws.String("sam"),
		Password: aws.String(recOldPassword), UserAttributes: attributes("email", "sam@example.com")}))(t)
	msgs := s.messages(t, "UserPoolId="+url.QueryEscape(p.id)+"&Username=sam")
	if len(msgs) != 1 || !strings.Contains(msgs[0].Body, "123456") {
		t.Errorf("sign-up messages to sam = %+v, want one carrying 123456", msgs)
	}
	must(s.Client.ConfirmSignUp(bg, &cip.ConfirmSignUpInput{ClientId: aws.String(p.client), Username: aws.String("sam"),
		ConfirmationCode: aws.String("123456")}))(t)
	p.wantStatus(t, "sam", types.UserStatusTypeConfirmed)
}

func TestTestControlsRefusedOutsideEmulatorMode(t *testing.T) {
	t.Parallel()
	creds := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(creds, []byte("[default]\naws_access_key_id = AKIDTEST\naws_secret_access_key = secret1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		flags []string
		want  string
	}{
		{"with credentials", []string{"--credentials", creds, "--fixed-code", "123456"}, "--fixed-code is a test control of the emulator mode and is refused with --credentials"},
		{"off loopback", []string{"--addr", "0.0.0.0:0", "--insecure", "--fixed-code", "123456"}, "--fixed-code is a test control of the emulator mode and is refused off loopback (--addr 0.0.0.0:0)"},
		{"not six digits", []string{"--fixed-code", "12345"}, "--fixed-code must be six digits, as Cognito's codes are"},
		{"letters", []string{"--fixed-code", "abcdef"}, "--fixed-code must be six digits, as Cognito's codes are"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--addr", "127.0.0.1:0", "--store", ":memory:"}, tc.flags...)
			_, err := launch(t, args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("serve %s: error %v, want one saying %q", strings.Join(tc.flags, " "), err, tc.want)
			}
		})
	}

	// A signed server has no clock to move and no pool reset, and says nothing of them.
	s := signedServer(t)
	s.waitLog(t, `msg="cognate serving"`)
	if strings.Contains(s.stderr.String(), "test controls") {
		t.Errorf("a signed server announced test controls:\n%s", s.stderr.String())
	}
	pool := createPool(t, s.Client, nil)
	createUser(t, s.Client, pool, "jane")
	for _, req := range []struct{ method, path string }{
		{http.MethodGet, "/_cognate/clock"},
		{http.MethodPost, "/_cognate/clock?Advance=61m"},
		{http.MethodDelete, "/_cognate/clock"},
		{http.MethodPost, "/_cognate/reset?UserPoolId=" + pool},
	} {
		status, _, body := httpDo(t, req.method, s.URL+req.path, nil, nil)
		if status != http.StatusForbidden || !strings.Contains(string(body), "emulator mode") {
			t.Errorf("%s %s on a signed server: %d %s, want 403 naming the emulator mode", req.method, req.path, status, body)
		}
	}
	getUser(t, s.Client, pool, "jane") // the refused reset changed nothing
}

// TestClockMove checks that codes, attempt limits, tokens and auth sessions expire as they
// would in time when the clock is moved, and that the clock can be read and put back.
func TestClockMove(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	if got := s.clock(t, http.MethodGet, "", ""); got.Offset != "0s" || got.OffsetSeconds != 0 {
		t.Errorf("GET /_cognate/clock at start = %+v, want no offset", got)
	}
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, nil)
	p.jane(t)

	// Use the hour's whole budget: five requests, then five wrong guesses.
	for i := range 5 {
		if _, err := p.forgot("jane"); err != nil {
			t.Fatalf("ForgotPassword %d: %v", i+1, err)
		}
	}
	_, err := p.forgot("jane")
	wantErr[*types.LimitExceededException](t, err, recMsgLimit)
	code := p.code(t, "jane")
	for _, wrong := range rsecWrongCodes(code, 5) {
		wantErr[*types.CodeMismatchException](t, p.confirm("jane", wrong, recNewPassword), recMsgMismatch)
	}
	wantErr[*types.LimitExceededException](t, p.confirm("jane", code, recNewPassword), recMsgLimit)

	tokens := must(p.signIn("jane", recOldPassword))(t)
	must(s.Client.GetUser(bg, &cip.GetUserInput{AccessToken: tokens.AccessToken}))(t)
	// An auth session waiting for a new password (3 minutes).
	createUser(t, s.Client, p.id, "newbie", "email", "newbie@example.com", "email_verified", "true")
	must(s.Client.AdminSetUserPassword(bg, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(p.id),
		Username: aws.String("newbie"), Password: aws.String(recOldPassword), Permanent: false}))(t)
	challenge := must(s.Client.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(p.client),
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": "newbie", "PASSWORD": recOldPassword}}))(t)
	if challenge.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("newbie's sign-in: challenge %q, want NEW_PASSWORD_REQUIRED", challenge.ChallengeName)
	}

	// 61 minutes later, as the query form says it.
	moved := s.clock(t, http.MethodPost, "Advance=61m", "")
	if moved.Offset != "1h1m0s" || moved.OffsetSeconds != 3660 {
		t.Errorf("POST /_cognate/clock?Advance=61m = %+v, want an offset of 1h1m0s", moved)
	}
	if got := s.clock(t, http.MethodGet, "", ""); got.OffsetSeconds != 3660 || got.Now < moved.Now {
		t.Errorf("GET /_cognate/clock after the move = %+v, want the offset of %+v", got, moved)
	}

	// The code expired, and the guesses no longer count: the answer is ExpiredCodeException,
	// not LimitExceededException.
	wantErr[*types.ExpiredCodeException](t, p.confirm("jane", code, recNewPassword), recMsgExpired)
	// The access token (one hour) has expired; so has the auth session.
	_, err = s.Client.GetUser(bg, &cip.GetUserInput{AccessToken: tokens.AccessToken})
	wantErr[*types.NotAuthorizedException](t, err, "Access Token has expired")
	_, err = s.Client.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(p.client),
		ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: challenge.Session,
		ChallengeResponses: map[string]string{"USERNAME": "newbie", "NEW_PASSWORD": recNewPassword}})
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user, session is expired.")

	// The request budget is fresh too: five more requests, and the newest code works.
	for i := range 5 {
		if _, err := p.forgot("jane"); err != nil {
			t.Fatalf("ForgotPassword %d after the move: %v", i+1, err)
		}
	}
	_, err = p.forgot("jane")
	wantErr[*types.LimitExceededException](t, err, recMsgLimit)
	if err := p.confirm("jane", p.code(t, "jane"), recNewPassword); err != nil {
		t.Fatalf("ConfirmForgotPassword with the new code after the move: %v", err)
	}
	must(p.signIn("jane", recNewPassword))(t)

	// The JSON body forms: a duration and seconds.
	if got := s.clock(t, http.MethodPost, "", `{"Advance":"30s"}`); got.OffsetSeconds != 3690 {
		t.Errorf(`POST {"Advance":"30s"}: %+v, want an offset of 3690s`, got)
	}
	if got := s.clock(t, http.MethodPost, "", `{"Advance":10}`); got.OffsetSeconds != 3700 {
		t.Errorf(`POST {"Advance":10}: %+v, want an offset of 3700s`, got)
	}
	// Backwards, nothing, or nonsense: refused, and the clock stays.
	for _, bad := range []struct{ query, body string }{
		{"Advance=-5m", ""}, {"Advance=0s", ""}, {"Advance=soon", ""}, {"", ""}, {"", `{"Advance":-1}`}, {"", `{"Back":"1m"}`},
	} {
		u := s.URL + "/_cognate/clock"
		if bad.query != "" {
			u += "?" + bad.query
		}
		status, _, body := httpDo(t, http.MethodPost, u, nil, []byte(bad.body))
		if status != http.StatusBadRequest || !strings.Contains(string(body), "forward only") {
			t.Errorf("POST %s %s: %d %s, want 400 saying how to move the clock", u, bad.body, status, body)
		}
	}
	if got := s.clock(t, http.MethodDelete, "", ""); got.Offset != "0s" {
		t.Errorf("DELETE /_cognate/clock = %+v, want no offset", got)
	}
	if got := s.clock(t, http.MethodGet, "", ""); got.OffsetSeconds != 0 {
		t.Errorf("GET /_cognate/clock after DELETE = %+v, want no offset", got)
	}
}

// TestResetPool checks POST /_cognate/reset?UserPoolId=: the pool's users, attempts and
// messages go; the pool, its clients and groups stay; other pools are untouched.
func TestResetPool(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	a := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, nil)
	b := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, nil)
	for _, p := range []*recPool{a, b} {
		p.jane(t)
		must(s.Client.CreateGroup(bg, &cip.CreateGroupInput{UserPoolId: aws.String(p.id), GroupName: aws.String("admins")}))(t)
		must(s.Client.AdminAddUserToGroup(bg, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(p.id), Username: aws.String("jane"), GroupName: aws.String("admins")}))(t)
		for range 5 {
			must(p.forgot("jane"))(t)
		}
	}

	status, _, body := httpDo(t, http.MethodPost, s.URL+"/_cognate/reset?UserPoolId="+url.QueryEscape(a.id), nil, nil)
	if status != http.StatusOK {
		t.Fatalf("POST /_cognate/reset?UserPoolId=: %d %s", status, body)
	}
	_, err := s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(a.id), Username: aws.String("jane")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	a.wantNothingSent(t)
	must(s.Client.DescribeUserPoolClient(bg, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(a.id), ClientId: aws.String(a.client)}))(t)
	must(s.Client.GetGroup(bg, &cip.GetGroupInput{UserPoolId: aws.String(a.id), GroupName: aws.String("admins")}))(t)
	members := must(s.Client.ListUsersInGroup(bg, &cip.ListUsersInGroupInput{UserPoolId: aws.String(a.id), GroupName: aws.String("admins")}))(t)
	if len(members.Users) != 0 {
		t.Errorf("the reset pool's group still has members: %+v", members.Users)
	}
	// The same user made again starts with a fresh budget.
	a.jane(t)
	must(a.forgot("jane"))(t)

	// The other pool kept everything, its spent budget too.
	getUser(t, s.Client, b.id, "jane")
	if n := len(b.recoveryMessages(t, "jane")); n != 5 {
		t.Errorf("the other pool's inbox holds %d recovery messages, want 5", n)
	}
	_, err = b.forgot("jane")
	wantErr[*types.LimitExceededException](t, err, recMsgLimit)

	status, _, body = httpDo(t, http.MethodPost, s.URL+"/_cognate/reset?UserPoolId="+missingPool, nil, nil)
	if code, msg := wireError(t, body); status != http.StatusNotFound || code != "ResourceNotFoundException" || msg != "User pool "+missingPool+" does not exist." {
		t.Errorf("reset of a missing pool: %d %s", status, body)
	}
}
