package userpool_test

import (
	"context"
	"errors"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/go-json-experiment/json"

	"cognate/internal/sqlite"
	"cognate/internal/userpool"
)

// clock is a settable clock for the service (rule 4: expiry tests move it).
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// invocation is one trigger call the recording invoker saw.
type invocation struct {
	arn   string
	event map[string]any
}

// recorder is an Invoker that records its calls and answers fail when set.
type recorder struct {
	mu    sync.Mutex
	calls []invocation
	fail  error
}

// InvokeAsync records the event.
func (r *recorder) InvokeAsync(ctx context.Context, arn string, payload []byte) error {
	_, err := r.Invoke(ctx, arn, payload)
	return err
}

// Invoke records the event and answers it back unchanged, as a function that fills in
// nothing does.
func (r *recorder) Invoke(ctx context.Context, arn string, payload []byte) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ev map[string]any
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	r.calls = append(r.calls, invocation{arn, ev})
	return payload, r.fail
}

type fixture struct {
	svc    *userpool.Service
	store  *sqlite.Store
	clock  *clock
	calls  *recorder
	pool   string
	client string
}

var ctx = context.Background()

// newFixture is a service on a real in-memory SQLite store with a settable clock, cheap
// password hashing and a recording trigger invoker, and a pool whose verified-email user
// "jane" has the password "Passw0rd!".
func newFixture(t testing.TB, lambda bool) *fixture {
	t.Helper()
	st, err := sqlite.Open(ctx, ":memory:", sqlite.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{store: st, clock: &clock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}, calls: &recorder{}}
	f.svc = userpool.New(st, userpool.Options{
		Now: f.clock.now, Hasher: userpool.NewHasher(userpool.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}, 4),
		Invoker: f.calls,
	})
	in := &userpool.CreateUserPoolRequest{PoolName: ptr("p"), AliasAttributes: []string{"email"}, AutoVerifiedAttributes: []string{"email"}}
	if lambda {
		in.LambdaConfig = &userpool.LambdaConfigType{PostConfirmation: ptr("arn:aws:lambda:us-east-1:000000000000:function:post")}
	}
	p, err := f.svc.CreateUserPool(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	f.pool = *p.UserPool.Id
	c, err := f.svc.CreateUserPoolClient(ctx, &userpool.CreateUserPoolClientRequest{UserPoolId: &f.pool, ClientName: ptr("c"),
		ExplicitAuthFlows: []string{"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	if err != nil {
		t.Fatal(err)
	}
	f.client = *c.UserPoolClient.ClientId
	if _, err := f.svc.AdminCreateUser(ctx, &userpool.AdminCreateUserRequest{UserPoolId: &f.pool, Username: ptr("jane"),
		MessageAction: ptr("SUPPRESS"), UserAttributes: []userpool.AttributeType{
			{Name: ptr("email"), Value: ptr("jane@example.com")}, {Name: ptr("email_verified"), Value: ptr("true")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AdminSetUserPassword(ctx, &userpool.AdminSetUserPasswordRequest{UserPoolId: &f.pool, Username: ptr("jane"),
		Password: ptr("Passw0rd!"), Permanent: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	return f
}

func ptr[T any](v T) *T { return &v }

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// lastCode reads the newest code the built-in inbox holds for jane.
func (f *fixture) lastCode(t *testing.T) string {
	t.Helper()
	msgs, err := f.svc.Messages(ctx, userpool.MessageFilter{UserPoolID: f.pool, Username: "jane"})
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no message: %v", err)
	}
	return sixDigits.FindString(msgs[0].Body)
}

func (f *fixture) forgot(t *testing.T) string {
	t.Helper()
	if _, err := f.svc.ForgotPassword(ctx, &userpool.ForgotPasswordRequest{ClientId: &f.client, Username: ptr("jane")}); err != nil {
		t.Fatal(err)
	}
	return f.lastCode(t)
}

func (f *fixture) confirm(code, password string) error {
	_, err := f.svc.ConfirmForgotPassword(ctx, &userpool.ConfirmForgotPasswordRequest{ClientId: &f.client,
		Username: ptr("jane"), ConfirmationCode: ptr(code), Password: ptr(password)})
	return err
}

func wantCode(t *testing.T, err error, code, msg string) {
	t.Helper()
	var e *userpool.Error
	if !errors.As(err, &e) || e.Code != code || e.Message != msg {
		t.Fatalf("error = %v, want %s: %s", err, code, msg)
	}
}

func TestRecoveryCodeExpiresAfterOneHour(t *testing.T) {
	f := newFixture(t, false)
	code := f.forgot(t)
	f.clock.add(time.Hour)
	wantCode(t, f.confirm(code, "N3w-Passw0rd!"), "ExpiredCodeException", "Invalid code provided, please request a code again.")

	code = f.forgot(t)
	f.clock.add(time.Hour - time.Second)
	if err := f.confirm(code, "N3w-Passw0rd!"); err != nil {
		t.Fatalf("a code 59m59s old was refused: %v", err)
	}
}

func TestRecoveryRequestLimitRollsWithTheHour(t *testing.T) {
	f := newFixture(t, false)
	for range 5 {
		f.forgot(t)
		f.clock.add(time.Minute)
	}
	_, err := f.svc.ForgotPassword(ctx, &userpool.ForgotPasswordRequest{ClientId: &f.client, Username: ptr("jane")})
	wantCode(t, err, "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	f.clock.add(56 * time.Minute) // the first request is now an hour old
	f.forgot(t)
}

func TestRecoveryGuessLimitRollsWithTheHour(t *testing.T) {
	f := newFixture(t, false)
	code := f.forgot(t)
	for range 5 {
		wantCode(t, f.confirm("000000", "N3w-Passw0rd!"), "CodeMismatchException", "Invalid verification code provided, please try again.")
	}
	wantCode(t, f.confirm(code, "N3w-Passw0rd!"), "LimitExceededException", "Attempt limit exceeded, please try after some time.")
	f.clock.add(time.Hour)
	code = f.forgot(t)
	if err := f.confirm(code, "N3w-Passw0rd!"); err != nil {
		t.Fatalf("after the window rolled: %v", err)
	}
}

func TestSignUpCodeExpiresAfter24Hours(t *testing.T) {
	f := newFixture(t, false)
	if _, err := f.svc.SignUp(ctx, &userpool.SignUpRequest{ClientId: &f.client, Username: ptr("sam"), Password: ptr("Passw0rd!"),
		UserAttributes: []userpool.AttributeType{{Name: ptr("email"), Value: ptr("sam@example.com")}}}); err != nil {
		t.Fatal(err)
	}
	msgs, _ := f.svc.Messages(ctx, userpool.MessageFilter{Username: "sam"})
	code := sixDigits.FindString(msgs[0].Body)
	f.clock.add(24 * time.Hour)
	_, err := f.svc.ConfirmSignUp(ctx, &userpool.ConfirmSignUpRequest{ClientId: &f.client, Username: ptr("sam"), ConfirmationCode: ptr(code)})
	wantCode(t, err, "ExpiredCodeException", "Invalid code provided, please request a code again.")
}

func TestPostConfirmationTriggerAfterReset(t *testing.T) {
	f := newFixture(t, true)
	code := f.forgot(t)
	if err := f.confirm(code, "N3w-Passw0rd!"); err != nil {
		t.Fatal(err)
	}
	if len(f.calls.calls) != 1 {
		t.Fatalf("%d trigger calls, want 1", len(f.calls.calls))
	}
	ev := f.calls.calls[0].event
	if ev["triggerSource"] != "PostConfirmation_ConfirmForgotPassword" || ev["userName"] != "jane" || ev["userPoolId"] != f.pool {
		t.Errorf("event envelope = %v", ev)
	}
	attrs := ev["request"].(map[string]any)["userAttributes"].(map[string]any)
	if attrs["email_verified"] != "true" || attrs["cognito:user_status"] != "CONFIRMED" {
		t.Errorf("userAttributes = %v", attrs)
	}

	// A failing function is the caller's answer, but the password has changed: the trigger is "post".
	f.calls.fail = &userpool.TriggerError{Message: "boom"}
	code = f.forgot(t)
	wantCode(t, f.confirm(code, "An0ther-Passw0rd!"), "UserLambdaValidationException", "PostConfirmation failed with error boom.")
	if _, err := f.svc.AdminInitiateAuth(ctx, &userpool.AdminInitiateAuthRequest{UserPoolId: &f.pool, ClientId: &f.client,
		AuthFlow: ptr("ADMIN_USER_PASSWORD_AUTH"), AuthParameters: map[string]string{"USERNAME": "jane", "PASSWORD": "An0ther-Passw0rd!"}}); err != nil {
		t.Fatalf("sign-in with the new password: %v", err)
	}
}
