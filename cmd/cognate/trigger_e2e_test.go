package main

// End-to-end tests of the pools' Lambda triggers: cognate invokes a local function server
// that implements the Lambda Invoke API (POST /2015-03-31/functions/{name}/invocations) and
// checks the SDK's SigV4 signature, or a webhook receiver that checks the HMAC header; the
// pools are driven through the real Go SDK. The helpers of this file are prefixed "fn".

import (
	"crypto/rand"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/go-json-experiment/json"
	"github.com/google/go-cmp/cmp"

	"cognate/internal/hooksig"
	"cognate/internal/sigv4"
)

// Keys the function server accepts, and the webhook secret.
const (
	fnKeyID        = "AKIDTRIGGERS"
	fnSecret       = "trigger-secret-key"
	fnHookSecret   = "webhook-secret-0123456789"
	fnArnPrefix    = "arn:aws:lambda:us-east-1:123456789012:function:"
	fnShortTimeout = "300ms" // --trigger-timeout of the tests with a function that sleeps
)

// fnCall is one invocation the function server saw.
type fnCall struct {
	Function string         // the function name in the path, or the webhook's ARN header
	Event    map[string]any // the event, decoded
	Raw      []byte
	Async    bool // an Event invocation
}

// kmsCall is one call the fake KMS saw.
type kmsCall struct {
	Op    string
	KeyID string
	Blob  []byte
}

// fnAnswer is what a function answers an event with: the answer body (nil: the event as it
// came, with Response merged into its response member), a Lambda function error, or a
// sleep until the invocation is given up.
type fnAnswer struct {
	Response map[string]any
	Body     []byte
	Error    string // a function error's errorMessage
	Hang     bool
}

// fnServer is a local stand-in for Lambda: the Invoke API, SigV4 checked, and a webhook
// receiver at /hook, HMAC checked. Handle decides each answer.
type fnServer struct {
	*httptest.Server
	mu     sync.Mutex
	calls  []fnCall
	faults []string // signature failures, reported by the tests
	handle func(c fnCall) fnAnswer
	kms    []kmsCall
	keys   map[string][]byte // the data keys the fake KMS made, by their blob
}

// fnKMSKey is the KMS key of the custom sender tests, as its ARN.
const fnKMSKey = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

func newFnServer(t testing.TB, handle func(c fnCall) fnAnswer) *fnServer {
	t.Helper()
	f := &fnServer{handle: handle}
	verifier := &sigv4.Verifier{Credentials: sigv4.Credentials{fnKeyID: fnSecret}, Service: "lambda"}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2015-03-31/functions/{name}/invocations", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := verifier.Verify(r, body); err != nil {
			f.fault("SigV4: " + err.Error())
			w.Header().Set("X-Amzn-ErrorType", "InvalidSignatureException")
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"message":"signature"}`))
			return
		}
		switch r.Header.Get("X-Amz-Invocation-Type") {
		case "Event":
			f.record(fnCall{Function: r.PathValue("name"), Raw: body, Async: true})
			w.WriteHeader(http.StatusAccepted)
			return
		case "RequestResponse":
		default:
			f.fault("invocation type " + r.Header.Get("X-Amz-Invocation-Type"))
		}
		f.answer(w, r, fnCall{Function: r.PathValue("name"), Raw: body}, true)
	})
	// A KMS of two operations, SigV4 checked: GenerateDataKey makes an AES-256 key and a blob
	// that names it; Decrypt gives the key of a blob back to the key that made it.
	kmsVerifier := &sigv4.Verifier{Credentials: sigv4.Credentials{fnKeyID: fnSecret, "AKIDSENDER": "sender-secret"}, Service: "kms"}
	f.keys = map[string][]byte{}
	kmsAPI := func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := kmsVerifier.Verify(r, body); err != nil {
			f.fault("KMS SigV4: " + err.Error())
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		var in struct {
			KeyId          string
			KeySpec        string
			CiphertextBlob []byte
		}
		if err := json.Unmarshal(body, &in); err != nil {
			f.fault("KMS request: " + err.Error())
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		f.mu.Lock()
		defer f.mu.Unlock()
		switch op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "TrentService."); op {
		case "GenerateDataKey":
			key := make([]byte, 32)
			rand.Read(key)
			blob := append([]byte("blob:"), make([]byte, 16)...)
			rand.Read(blob[5:])
			f.keys[string(blob)] = key
			f.kms = append(f.kms, kmsCall{Op: op, KeyID: in.KeyId})
			b, _ := json.Marshal(map[string]any{"CiphertextBlob": blob, "Plaintext": key, "KeyId": fnKMSKey})
			w.Write(b)
		case "Decrypt":
			f.kms = append(f.kms, kmsCall{Op: op, KeyID: in.KeyId, Blob: in.CiphertextBlob})
			key, ok := f.keys[string(in.CiphertextBlob)]
			if !ok {
				w.WriteHeader(http.StatusBadRequest)
				w.Write([]byte(`{"__type":"InvalidCiphertextException"}`))
				return
			}
			b, _ := json.Marshal(map[string]any{"Plaintext": key, "KeyId": fnKMSKey, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"})
			w.Write(b)
		default:
			f.faults = append(f.faults, "KMS operation "+op)
			w.WriteHeader(http.StatusBadRequest)
		}
	}
	mux.HandleFunc("POST /kms", kmsAPI)
	mux.HandleFunc("POST /kms/", kmsAPI) // the JavaScript SDK adds a slash to the endpoint's path
	// The events invoked so far, for the Node.js tests.
	mux.HandleFunc("GET /calls", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		var events []map[string]any
		for _, c := range f.calls {
			events = append(events, c.Event)
		}
		b, _ := json.Marshal(events)
		w.Write(b)
	})
	mux.HandleFunc("POST /hook", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := hooksig.Verify([]byte(fnHookSecret), r.Header.Get(hooksig.Header), body, time.Now(), 0); err != nil {
			f.fault("webhook: " + err.Error())
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.Header.Get("X-Cognate-Invocation-Type") == "Event" {
			f.record(fnCall{Function: r.Header.Get("X-Cognate-Function"), Raw: body, Async: true})
			w.WriteHeader(http.StatusAccepted)
			return
		}
		f.answer(w, r, fnCall{Function: r.Header.Get("X-Cognate-Function"), Raw: body}, false)
	})
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

func (f *fnServer) fault(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, s)
}

// record keeps an invocation, its event decoded.
func (f *fnServer) record(c fnCall) fnCall {
	if err := json.Unmarshal(c.Raw, &c.Event); err != nil {
		f.fault("event is not JSON: " + err.Error())
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
	return c
}

func (f *fnServer) answer(w http.ResponseWriter, r *http.Request, c fnCall, lambda bool) {
	c = f.record(c)
	f.mu.Lock()
	handle := f.handle
	f.mu.Unlock()
	a := handle(c)
	switch {
	case a.Hang:
		<-r.Context().Done() // until cognate gives up this try
		return
	case a.Error != "":
		b, _ := json.Marshal(map[string]any{"errorMessage": a.Error, "errorType": "Error"})
		if lambda {
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			w.Write(b)
			return
		}
		w.WriteHeader(http.StatusInternalServerError)
		w.Write(b)
		return
	case a.Body != nil:
		w.Write(a.Body)
		return
	}
	var ev map[string]any // a copy of its own: the recorded event stays as it came
	json.Unmarshal(c.Raw, &ev)
	resp, _ := ev["response"].(map[string]any)
	if resp == nil {
		resp = map[string]any{}
	}
	for k, v := range a.Response {
		resp[k] = v
	}
	ev["response"] = resp
	b, _ := json.Marshal(ev)
	w.Write(b)
}

// Calls returns the invocations so far, and fails the test on any signature fault.
func (f *fnServer) Calls(t testing.TB) []fnCall {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.faults {
		t.Errorf("function server: %s", s)
	}
	f.faults = nil
	return append([]fnCall(nil), f.calls...)
}

// Flags are cognate's flags that point its Lambda invocations at f, with the given ARNs
// delivered as webhooks instead.
func (f *fnServer) Flags(hooks ...string) []string {
	flags := []string{"--lambda-endpoint", f.URL, "--lambda-access-key-id", fnKeyID, "--lambda-secret-access-key", fnSecret,
		"--kms-endpoint", f.URL + "/kms"}
	for _, arn := range hooks {
		flags = append(flags, "--trigger-webhook", arn+"="+f.URL+"/hook", "--trigger-webhook-secret", fnHookSecret)
	}
	return flags
}

// fnLambda sets a pool's LambdaConfig.
func fnLambda(lc *types.LambdaConfigType) func(*cip.CreateUserPoolInput) {
	return func(in *cip.CreateUserPoolInput) { in.LambdaConfig = lc }
}

// fnRequest is an event's request member.
func fnRequest(c fnCall) map[string]any { m, _ := c.Event["request"].(map[string]any); return m }

// TestTriggerInvocation proves the transport and the failure semantics of spec §6.7 on
// PostConfirmation_ConfirmForgotPassword: the Invoke API with a SigV4 signature that the
// function server checks, a webhook with the HMAC header, a function error, a function that
// never answers (tried three times, then UnexpectedLambdaException), a function that
// answers junk; and in every case the new password stands, as the trigger is "post".
func TestTriggerInvocation(t *testing.T) {
	var mu sync.Mutex
	answer := fnAnswer{}
	fn := newFnServer(t, func(fnCall) fnAnswer { mu.Lock(); defer mu.Unlock(); return answer })
	set := func(a fnAnswer) { mu.Lock(); answer = a; mu.Unlock() }
	hooked := fnArnPrefix + "hooked"
	s := startServer(t, append(fn.Flags(hooked), "--trigger-timeout", fnShortTimeout)...)
	arn := fnArnPrefix + "post-confirm"

	cases := []struct {
		name     string
		function string
		answer   fnAnswer
		tries    int
		code     string
		msg      string
	}{
		{"invoke API", arn, fnAnswer{}, 1, "", ""},
		{"webhook", hooked, fnAnswer{}, 1, "", ""},
		{"function error", arn, fnAnswer{Error: "Email not verified"}, 1, "UserLambdaValidationException", "PostConfirmation failed with error Email not verified."},
		{"webhook function error", hooked, fnAnswer{Error: "no"}, 1, "UserLambdaValidationException", "PostConfirmation failed with error no."},
		{"timeout", arn, fnAnswer{Hang: true}, 3, "UnexpectedLambdaException", "PostConfirmation invocation failed due to error Socket timeout while invoking Lambda function."},
		{"junk", arn, fnAnswer{Body: []byte("<html>oops")}, 1, "InvalidLambdaResponseException", "Invalid lambda function output : Invalid JSON"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, fnLambda(&types.LambdaConfigType{PostConfirmation: aws.String(tc.function)}))
			p.jane(t)
			set(tc.answer)
			before := len(fn.Calls(t))
			must(p.forgot("jane"))(t)
			err := p.confirm("jane", p.code(t, "jane"), recNewPassword)
			if tc.code == "" && err != nil {
				t.Fatalf("ConfirmForgotPassword: %v", err)
			}
			if tc.code != "" {
				wantCodeMsg(t, err, tc.code, tc.msg)
			}
			calls := fn.Calls(t)[before:]
			if len(calls) != tc.tries {
				t.Fatalf("%d invocations, want %d", len(calls), tc.tries)
			}
			for _, c := range calls {
				if c.Function != tc.function || c.Event["triggerSource"] != "PostConfirmation_ConfirmForgotPassword" {
					t.Errorf("invoked %q with %v", c.Function, c.Event["triggerSource"])
				}
			}
			if _, err := p.signIn("jane", recNewPassword); err != nil {
				t.Errorf("the new password does not stand: %v", err)
			}
		})
	}
	if logs := s.stderr.String(); strings.Contains(logs, recNewPassword) || !strings.Contains(logs, "trigger invoked") {
		t.Errorf("the log names a password, or no invocation:\n%s", logs)
	}
}

// fnCode finds the code in a message a function worded.
var fnCode = regexp.MustCompile(`\b[0-9]{6}\b`)

// fnSDK is the awsSdkVersion cognate reads from the Go SDK's User-Agent.
func fnSDK(t testing.TB, c fnCall) string {
	t.Helper()
	cc, _ := c.Event["callerContext"].(map[string]any)
	v, _ := cc["awsSdkVersion"].(string)
	if !strings.HasPrefix(v, "aws-sdk-go-v2/") {
		t.Errorf("awsSdkVersion %q does not name the caller's SDK", v)
	}
	return v
}

// fnOnly returns the one invocation of a source among calls, failing the test unless there
// is exactly one.
func fnOnly(t testing.TB, calls []fnCall, source string) fnCall {
	t.Helper()
	var found []fnCall
	for _, c := range calls {
		if c.Event["triggerSource"] == source {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d invocations of %s, want 1", len(found), source)
	}
	return found[0]
}

// TestCustomMessageForgotPassword: the function rewords the recovery email (spec §6.3), the
// event is AWS's field by field with the ClientMetadata unchanged, and an answer without the
// code placeholder is refused with nothing sent.
func TestCustomMessageForgotPassword(t *testing.T) {
	var mu sync.Mutex
	answer := fnAnswer{}
	fn := newFnServer(t, func(fnCall) fnAnswer { mu.Lock(); defer mu.Unlock(); return answer })
	set := func(a fnAnswer) { mu.Lock(); answer = a; mu.Unlock() }
	s := startServer(t, fn.Flags()...)
	arn := fnArnPrefix + "custom-message"
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, fnLambda(&types.LambdaConfigType{CustomMessage: aws.String(arn)}))
	p.jane(t)
	sub := attrMap(getUser(t, s.Client, p.id, "jane").UserAttributes)["sub"]

	set(fnAnswer{Response: map[string]any{"emailSubject": "Reset your Example password",
		"emailMessage": "<p>Hello jane, your Example code is <b>{####}</b>.</p>"}})
	meta := map[string]string{"brand": "example", "nested": `{"a":1}`}
	must(p.s.Client.ForgotPassword(bg, &cip.ForgotPasswordInput{ClientId: aws.String(p.client), Username: aws.String("jane@example.com"),
		ClientMetadata: meta}))(t)
	c := fnOnly(t, fn.Calls(t), "CustomMessage_ForgotPassword")
	want := map[string]any{
		"version": "1", "triggerSource": "CustomMessage_ForgotPassword", "region": "us-east-1", "userPoolId": p.id,
		"userName":      "jane", // the user's name, not the alias typed
		"callerContext": map[string]any{"awsSdkVersion": fnSDK(t, c), "clientId": p.client},
		"request": map[string]any{
			"userAttributes": map[string]any{"sub": sub, "email": "jane@example.com", "email_verified": "true", "cognito:user_status": "CONFIRMED"},
			"codeParameter":  "{####}", "linkParameter": "{##Click Here##}", "usernameParameter": nil,
			"clientMetadata": map[string]any{"brand": "example", "nested": `{"a":1}`},
		},
		"response": map[string]any{"smsMessage": nil, "emailMessage": nil, "emailSubject": nil},
	}
	if diff := cmp.Diff(want, c.Event); diff != "" {
		t.Errorf("CustomMessage_ForgotPassword event (-spec +got):\n%s", diff)
	}
	msgs := p.recoveryMessages(t, "jane")
	m := msgs[0]
	code := fnCode.FindString(m.Body)
	if m.Subject != "Reset your Example password" || m.Html != "<p>Hello jane, your Example code is <b>"+code+"</b>.</p>" ||
		!strings.Contains(m.Body, "your Example code is "+code) {
		t.Errorf("delivered subject %q, html %q, body %q", m.Subject, m.Html, m.Body)
	}
	if m.ShapedBy != "CustomMessage" || m.TriggerSource != "CustomMessage_ForgotPassword" {
		t.Errorf("the inbox says the message was shaped by %q (%s), want CustomMessage", m.ShapedBy, m.TriggerSource)
	}
	if err := p.confirm("jane", code, recNewPassword); err != nil {
		t.Errorf("the code of the reworded message: %v", err)
	}

	// Without the placeholder the user could not use the message: refused, nothing sent.
	set(fnAnswer{Response: map[string]any{"emailMessage": "Call us for your code."}})
	before := len(p.inbox(t))
	_, err := p.forgot("jane")
	wantCodeMsg(t, err, "InvalidLambdaResponseException", "Unrecognizable lambda output")
	if n := len(p.inbox(t)); n != before {
		t.Errorf("%d messages after a refused answer, want %d", n, before)
	}
	// Too long for an email.
	set(fnAnswer{Response: map[string]any{"emailMessage": strings.Repeat("x", 20000) + "{####}"}})
	_, err = p.forgot("jane")
	wantCodeMsg(t, err, "InvalidLambdaResponseException", "Unrecognizable lambda output")
	// A response left null keeps the pool's template.
	set(fnAnswer{})
	must(p.forgot("jane"))(t)
	if msgs := p.recoveryMessages(t, "jane"); msgs[0].Subject != "Your verification code" || msgs[0].ShapedBy != "" {
		t.Errorf("template subject not kept: %q, or shaped by %q", msgs[0].Subject, msgs[0].ShapedBy)
	}
}

// TestUserMigrationForgotPassword is the story of spec §6.5: a user not yet in the pool asks
// for a reset; the function answers attributes with a verified email; the code arrives; the
// reset is confirmed; the user signs in with the new password and exists with the
// attributes. A function that fails, or answers no verified destination, creates nobody.
func TestUserMigrationForgotPassword(t *testing.T) {
	var mu sync.Mutex
	answer := fnAnswer{}
	fn := newFnServer(t, func(fnCall) fnAnswer { mu.Lock(); defer mu.Unlock(); return answer })
	set := func(a fnAnswer) { mu.Lock(); answer = a; mu.Unlock() }
	s := startServer(t, fn.Flags()...)
	arn := fnArnPrefix + "migrate"
	for _, mode := range recModes {
		t.Run(string(mode), func(t *testing.T) {
			p := newRecPool(t, s, mode, fnLambda(&types.LambdaConfigType{UserMigration: aws.String(arn)}))
			before := len(fn.Calls(t))

			// The function fails: UserLambdaValidationException, and nobody is created.
			set(fnAnswer{Error: "legacy store down"})
			_, err := p.forgot("olduser")
			wantCodeMsg(t, err, "UserLambdaValidationException", "UserMigration failed with error legacy store down.")
			// The function answers no verified destination: refused, nobody created.
			set(fnAnswer{Response: map[string]any{"userAttributes": map[string]any{"email": "old@example.com"}}})
			_, err = p.forgot("olduser")
			if p.enabled() {
				if err != nil {
					t.Errorf("hidden existence: %v, want the simulated answer", err)
				}
			} else {
				wantCodeMsg(t, err, "InvalidParameterException", recMsgNoDestination)
			}
			_, err = p.s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(p.id), Username: aws.String("olduser")})
			wantCode(t, err, "UserNotFoundException")

			set(fnAnswer{Response: map[string]any{"userAttributes": map[string]any{
				"email": "old@example.com", "email_verified": "true", "given_name": "Olga"}, "messageAction": "SUPPRESS"}})
			meta := map[string]string{"from": "legacy"}
			out, err := p.s.Client.ForgotPassword(bg, &cip.ForgotPasswordInput{ClientId: aws.String(p.client), Username: aws.String("olduser"),
				ClientMetadata: meta})
			recWantDelivery(t, out.CodeDeliveryDetails, err, recEmail("o***@e***"))
			calls := fn.Calls(t)[before:]
			c := calls[len(calls)-1]
			want := map[string]any{
				"version": "1", "triggerSource": "UserMigration_ForgotPassword", "region": "us-east-1", "userPoolId": p.id,
				"userName":      "olduser",
				"callerContext": map[string]any{"awsSdkVersion": fnSDK(t, c), "clientId": p.client},
				"request":       map[string]any{"password": nil, "validationData": nil, "clientMetadata": map[string]any{"from": "legacy"}},
				"response": map[string]any{"userAttributes": nil, "finalUserStatus": nil, "messageAction": nil,
					"desiredDeliveryMediums": nil, "forceAliasCreation": nil, "enableSMSMFA": nil},
			}
			if diff := cmp.Diff(want, c.Event); diff != "" {
				t.Errorf("UserMigration_ForgotPassword event (-spec +got):\n%s", diff)
			}
			p.wantStatus(t, "olduser", types.UserStatusTypeResetRequired)
			if err := p.confirm("olduser", p.code(t, "olduser"), recNewPassword); err != nil {
				t.Fatalf("ConfirmForgotPassword: %v", err)
			}
			if _, err := p.signIn("olduser", recNewPassword); err != nil {
				t.Fatalf("sign-in of the migrated user: %v", err)
			}
			got := attrMap(getUser(t, s.Client, p.id, "olduser").UserAttributes)
			if got["email"] != "old@example.com" || got["email_verified"] != "true" || got["given_name"] != "Olga" || got["sub"] == "" {
				t.Errorf("migrated attributes %v", got)
			}
			p.wantStatus(t, "olduser", types.UserStatusTypeConfirmed)
			// Once migrated, the user is the pool's: the function is not asked again.
			n := len(fn.Calls(t))
			must(p.forgot("olduser"))(t)
			if len(fn.Calls(t)) != n {
				t.Errorf("the function was invoked for a user in the pool")
			}
		})
	}
}

// TestUserMigrationAuthentication: a sign-in of a name not in the pool runs
// UserMigration_Authentication with the password and the ClientMetadata as validationData;
// the user answered is created and signed in, once.
func TestUserMigrationAuthentication(t *testing.T) {
	fn := newFnServer(t, func(c fnCall) fnAnswer {
		if fnRequest(c)["password"] != "Legacy-Passw0rd" {
			return fnAnswer{Error: "Bad password"}
		}
		return fnAnswer{Response: map[string]any{"userAttributes": map[string]any{"email": "mig@example.com", "email_verified": "true"},
			"finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS"}}
	})
	s := startServer(t, fn.Flags()...)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, fnLambda(&types.LambdaConfigType{UserMigration: aws.String(fnArnPrefix + "migrate")}))
	signIn := func(password string) (*cip.InitiateAuthOutput, error) {
		return s.Client.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(p.client), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "miguser", "PASSWORD": password}, ClientMetadata: map[string]string{"app": "web"}})
	}
	_, err := signIn("wrong")
	wantCodeMsg(t, err, "UserLambdaValidationException", "UserMigration failed with error Bad password.")
	_, err = s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(p.id), Username: aws.String("miguser")})
	wantCode(t, err, "UserNotFoundException")
	// The password policy is not applied to a migrated password (spec §6.5).
	out := must(signIn("Legacy-Passw0rd"))(t)
	if out.AuthenticationResult == nil || out.AuthenticationResult.AccessToken == nil {
		t.Fatalf("no tokens: %+v", out)
	}
	c := fn.Calls(t)[1]
	if diff := cmp.Diff(map[string]any{"password": "Legacy-Passw0rd", "validationData": map[string]any{"app": "web"}}, fnRequest(c)); diff != "" {
		t.Errorf("UserMigration_Authentication request (-want +got):\n%s", diff)
	}
	if c.Event["triggerSource"] != "UserMigration_Authentication" || c.Event["userName"] != "miguser" {
		t.Errorf("event %v", c.Event)
	}
	p.wantStatus(t, "miguser", types.UserStatusTypeConfirmed)
	must(signIn("Legacy-Passw0rd"))(t)
	if n := len(fn.Calls(t)); n != 2 {
		t.Errorf("%d invocations, want 2 (none once the user is migrated)", n)
	}
}

// TestPreSignUp: PreSignUp_SignUp and PreSignUp_AdminCreateUser see the attributes,
// validationData and ClientMetadata; autoConfirmUser confirms without a code and
// autoVerifyEmail verifies; a function that fails leaves no user.
func TestPreSignUp(t *testing.T) {
	var mu sync.Mutex
	answer := fnAnswer{}
	fn := newFnServer(t, func(fnCall) fnAnswer { mu.Lock(); defer mu.Unlock(); return answer })
	set := func(a fnAnswer) { mu.Lock(); answer = a; mu.Unlock() }
	s := startServer(t, fn.Flags()...)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, fnLambda(&types.LambdaConfigType{PreSignUp: aws.String(fnArnPrefix + "pre")}))
	signUp := func(name string) (*cip.SignUpOutput, error) {
		return s.Client.SignUp(bg, &cip.SignUpInput{ClientId: aws.String(p.client), Username: aws.String(name), Password: aws.String(recOldPassword),
			UserAttributes: attributes("email", name+"@example.com"), ValidationData: attributes("invite", "X1"),
			ClientMetadata: map[string]string{"k": "v"}})
	}

	set(fnAnswer{Error: "Sign-ups are closed"})
	_, err := signUp("ann")
	wantCodeMsg(t, err, "UserLambdaValidationException", "PreSignUp failed with error Sign-ups are closed.")
	_, err = s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(p.id), Username: aws.String("ann")})
	wantCode(t, err, "UserNotFoundException")

	set(fnAnswer{Response: map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true}})
	before := len(p.inbox(t))
	out := must(signUp("ann"))(t)
	if !out.UserConfirmed || out.CodeDeliveryDetails != nil {
		t.Errorf("UserConfirmed %v, CodeDeliveryDetails %+v; want confirmed and no code", out.UserConfirmed, out.CodeDeliveryDetails)
	}
	if n := len(p.inbox(t)); n != before {
		t.Errorf("a code was sent to an auto-confirmed user")
	}
	p.wantStatus(t, "ann", types.UserStatusTypeConfirmed)
	if got := attrMap(getUser(t, s.Client, p.id, "ann").UserAttributes); got["email_verified"] != "true" {
		t.Errorf("email not verified: %v", got)
	}
	c := fn.Calls(t)[1]
	want := map[string]any{
		"version": "1", "triggerSource": "PreSignUp_SignUp", "region": "us-east-1", "userPoolId": p.id, "userName": "ann",
		"callerContext": map[string]any{"awsSdkVersion": fnSDK(t, c), "clientId": p.client},
		"request": map[string]any{"userAttributes": map[string]any{"email": "ann@example.com"},
			"validationData": map[string]any{"invite": "X1"}, "clientMetadata": map[string]any{"k": "v"}},
		"response": map[string]any{"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false},
	}
	if diff := cmp.Diff(want, c.Event); diff != "" {
		t.Errorf("PreSignUp_SignUp event (-want +got):\n%s", diff)
	}

	// Without autoConfirmUser the user waits for its code, as without a function.
	set(fnAnswer{})
	if out := must(signUp("bea"))(t); out.UserConfirmed || out.CodeDeliveryDetails == nil {
		t.Errorf("UserConfirmed %v, CodeDeliveryDetails %v", out.UserConfirmed, out.CodeDeliveryDetails)
	}

	set(fnAnswer{Response: map[string]any{"autoVerifyEmail": true}})
	must(s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{UserPoolId: aws.String(p.id), Username: aws.String("cat"),
		UserAttributes: attributes("email", "cat@example.com"), MessageAction: types.MessageActionTypeSuppress}))(t)
	c = fnOnly(t, fn.Calls(t), "PreSignUp_AdminCreateUser")
	if cc := c.Event["callerContext"].(map[string]any); cc["clientId"] != nil {
		t.Errorf("AdminCreateUser callerContext %v, want no client", cc)
	}
	if got := attrMap(getUser(t, s.Client, p.id, "cat").UserAttributes); got["email_verified"] != "true" {
		t.Errorf("email not verified: %v", got)
	}
	p.wantStatus(t, "cat", types.UserStatusTypeForceChangePassword)
}

// TestSignInTriggers: PreAuthentication refuses or lets through a sign-in,
// PostAuthentication runs before tokens are issued, PostConfirmation_ConfirmSignUp after a
// confirmation, and PreTokenGeneration V1_0 and V2_0 change the tokens' claims, groups and
// scopes.
func TestSignInTriggers(t *testing.T) {
	var mu sync.Mutex
	answers := map[string]fnAnswer{}
	fn := newFnServer(t, func(c fnCall) fnAnswer {
		mu.Lock()
		defer mu.Unlock()
		return answers[c.Event["triggerSource"].(string)]
	})
	set := func(source string, a fnAnswer) { mu.Lock(); answers[source] = a; mu.Unlock() }
	s := startServer(t, fn.Flags()...)
	for _, version := range []string{"V1_0", "V2_0"} {
		t.Run(version, func(t *testing.T) {
			p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, fnLambda(&types.LambdaConfigType{
				PreAuthentication: aws.String(fnArnPrefix + "pre-auth"), PostAuthentication: aws.String(fnArnPrefix + "post-auth"),
				PostConfirmation:         aws.String(fnArnPrefix + "post-confirm"),
				PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{LambdaArn: aws.String(fnArnPrefix + "pre-token"), LambdaVersion: types.PreTokenGenerationLambdaVersionType(version)},
			}))
			p.jane(t)
			for _, g := range []string{"admins", "staff"} {
				must(s.Client.CreateGroup(bg, &cip.CreateGroupInput{UserPoolId: aws.String(p.id), GroupName: aws.String(g)}))(t)
				must(s.Client.AdminAddUserToGroup(bg, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(p.id), Username: aws.String("jane"), GroupName: aws.String(g)}))(t)
			}
			start := len(fn.Calls(t))

			set("PreAuthentication_Authentication", fnAnswer{Error: "Email not verified"})
			_, err := p.signIn("jane", recOldPassword)
			wantCodeMsg(t, err, "UserLambdaValidationException", "PreAuthentication failed with error Email not verified.")
			set("PreAuthentication_Authentication", fnAnswer{})
			set("PostAuthentication_Authentication", fnAnswer{Error: "audit down"})
			_, err = p.signIn("jane", recOldPassword)
			wantCodeMsg(t, err, "UserLambdaValidationException", "PostAuthentication failed with error audit down.")
			set("PostAuthentication_Authentication", fnAnswer{})

			if version == "V1_0" {
				set("TokenGeneration_Authentication", fnAnswer{Response: map[string]any{"claimsOverrideDetails": map[string]any{
					"claimsToAddOrOverride": map[string]any{"tenant": "acme", "sub": "forged"}, "claimsToSuppress": []string{"email"},
					"groupOverrideDetails": map[string]any{"groupsToOverride": []string{"staff"}}}}})
			} else {
				set("TokenGeneration_Authentication", fnAnswer{Response: map[string]any{"claimsAndScopeOverrideDetails": map[string]any{
					"idTokenGeneration":     map[string]any{"claimsToAddOrOverride": map[string]any{"tenant": "acme"}},
					"accessTokenGeneration": map[string]any{"claimsToAddOrOverride": map[string]any{"tenant": "acme", "token_use": "id"}, "scopesToAdd": []string{"orders/read"}},
					"groupOverrideDetails":  map[string]any{"groupsToOverride": []string{"staff"}}}}})
			}
			res := must(p.signIn("jane", recOldPassword))(t)
			id, access := auDecode(t, aws.ToString(res.IdToken)).Claims, auDecode(t, aws.ToString(res.AccessToken)).Claims
			staff := []any{"staff"}
			if id["tenant"] != "acme" || id["sub"] == "forged" || !cmp.Equal(id["cognito:groups"], staff) || !cmp.Equal(access["cognito:groups"], staff) {
				t.Errorf("ID token %v, access token groups %v", id, access["cognito:groups"])
			}
			if version == "V1_0" {
				if _, ok := id["email"]; ok || access["tenant"] != nil {
					t.Errorf("V1: email not suppressed or the access token changed: %v %v", id, access)
				}
			} else if access["tenant"] != "acme" || access["token_use"] != "access" || access["scope"] != "aws.cognito.signin.user.admin orders/read" {
				t.Errorf("V2 access token %v", access)
			}
			calls := fn.Calls(t)[start:]
			tok := fnOnly(t, calls, "TokenGeneration_Authentication")
			wantVersion := map[string]string{"V1_0": "1", "V2_0": "2"}[version]
			req := fnRequest(tok)
			if tok.Event["version"] != wantVersion || !cmp.Equal(req["groupConfiguration"], map[string]any{
				"groupsToOverride": []any{"admins", "staff"}, "iamRolesToOverride": []any{}, "preferredRole": nil}) {
				t.Errorf("PreTokenGeneration event %v", tok.Event)
			}
			if _, has := req["scopes"]; has != (version == "V2_0") {
				t.Errorf("scopes in a %s event: %v", version, req["scopes"])
			}
			pre := calls[len(calls)-3]
			if pre.Event["triggerSource"] != "PreAuthentication_Authentication" || fnRequest(pre)["userNotFound"] != false {
				t.Errorf("PreAuthentication event %v", pre.Event)
			}

			// The refresh is a TokenGeneration_RefreshTokens.
			must(s.Client.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(p.client), AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
				AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(res.RefreshToken)}}))(t)
			fnOnly(t, fn.Calls(t)[start:], "TokenGeneration_RefreshTokens")

			// PostConfirmation_ConfirmSignUp: a confirmed sign-up, whatever the function says.
			must(s.Client.SignUp(bg, &cip.SignUpInput{ClientId: aws.String(p.client), Username: aws.String("ned"), Password: aws.String(recOldPassword),
				UserAttributes: attributes("email", "ned@example.com")}))(t)
			set("PostConfirmation_ConfirmSignUp", fnAnswer{Error: "welcome mail failed"})
			code := fnCode.FindString(p.inbox(t)[0].Body)
			_, err = s.Client.ConfirmSignUp(bg, &cip.ConfirmSignUpInput{ClientId: aws.String(p.client), Username: aws.String("ned"), ConfirmationCode: aws.String(code)})
			wantCodeMsg(t, err, "UserLambdaValidationException", "PostConfirmation failed with error welcome mail failed.")
			p.wantStatus(t, "ned", types.UserStatusTypeConfirmed)
		})
	}
}

// TestCustomMessageSources: every source of a code message runs CustomMessage with AWS's
// event (the invitation names the username placeholder, an administrator's call no client),
// and the delivered message is the function's with the code (or temporary password) in.
func TestCustomMessageSources(t *testing.T) {
	fn := newFnServer(t, func(c fnCall) fnAnswer {
		src := c.Event["triggerSource"].(string)
		msg := src + " {####}"
		if src == "CustomMessage_AdminCreateUser" {
			msg = src + " {username} {####}"
		}
		return fnAnswer{Response: map[string]any{"emailSubject": "subject of " + src, "emailMessage": msg}}
	})
	s := startServer(t, fn.Flags()...)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, fnLambda(&types.LambdaConfigType{CustomMessage: aws.String(fnArnPrefix + "cm")}))
	meta := map[string]string{"k": "v"}
	var access string
	steps := []struct {
		source, user, status string
		clientID             any
		userParam            any
		meta                 bool
		do                   func(t *testing.T)
	}{
		{"CustomMessage_SignUp", "sam", "UNCONFIRMED", p.client, nil, true, func(t *testing.T) {
			must(s.Client.SignUp(bg, &cip.SignUpInput{ClientId: aws.String(p.client), Username: aws.String("sam"), Password: aws.String(recOldPassword),
				UserAttributes: attributes("email", "sam@example.com"), ClientMetadata: meta}))(t)
		}},
		{"CustomMessage_ResendCode", "sam", "UNCONFIRMED", p.client, nil, true, func(t *testing.T) {
			must(s.Client.ResendConfirmationCode(bg, &cip.ResendConfirmationCodeInput{ClientId: aws.String(p.client), Username: aws.String("sam"), ClientMetadata: meta}))(t)
		}},
		{"CustomMessage_AdminCreateUser", "ivy", "FORCE_CHANGE_PASSWORD", nil, "{username}", true, func(t *testing.T) {
			must(s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{UserPoolId: aws.String(p.id), Username: aws.String("ivy"),
				TemporaryPassword: aws.String("Temp-Passw0rd!"), UserAttributes: attributes("email", "ivy@example.com", "email_verified", "true"),
				DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}, ClientMetadata: meta}))(t)
		}},
		{"CustomMessage_UpdateUserAttribute", "jane", "CONFIRMED", p.client, nil, true, func(t *testing.T) {
			p.jane(t)
			access = aws.ToString(must(p.signIn("jane", recOldPassword))(t).AccessToken)
			must(s.Client.UpdateUserAttributes(bg, &cip.UpdateUserAttributesInput{AccessToken: aws.String(access),
				UserAttributes: attributes("email", "jane2@example.com"), ClientMetadata: meta}))(t)
		}},
		{"CustomMessage_VerifyUserAttribute", "jane", "CONFIRMED", p.client, nil, true, func(t *testing.T) {
			must(s.Client.GetUserAttributeVerificationCode(bg, &cip.GetUserAttributeVerificationCodeInput{AccessToken: aws.String(access),
				AttributeName: aws.String("email"), ClientMetadata: meta}))(t)
		}},
	}
	for _, st := range steps {
		t.Run(st.source, func(t *testing.T) {
			st.do(t)
			calls := fn.Calls(t)
			c := calls[len(calls)-1]
			if c.Event["triggerSource"] != st.source || c.Event["userName"] != st.user {
				t.Fatalf("last invocation %v for %v", c.Event["triggerSource"], c.Event["userName"])
			}
			req := fnRequest(c)
			attrs, _ := req["userAttributes"].(map[string]any)
			if attrs["cognito:user_status"] != st.status || req["codeParameter"] != "{####}" || req["linkParameter"] != "{##Click Here##}" ||
				req["usernameParameter"] != st.userParam || !cmp.Equal(req["clientMetadata"], map[string]any{"k": "v"}) {
				t.Errorf("request %v", req)
			}
			if cc := c.Event["callerContext"].(map[string]any); cc["clientId"] != st.clientID {
				t.Errorf("callerContext %v, want clientId %v", cc, st.clientID)
			}
			m := p.inbox(t)[0]
			want := regexp.MustCompile("^" + st.source + " [0-9]{6}$")
			if st.userParam != nil {
				want = regexp.MustCompile("^" + st.source + " ivy Temp-Passw0rd!$")
			}
			if m.Subject != "subject of "+st.source || !want.MatchString(m.Body) {
				t.Errorf("delivered %q / %q", m.Subject, m.Body)
			}
		})
	}
}

// TestCustomAuth: CUSTOM_AUTH driven by DefineAuthChallenge, CreateAuthChallenge and
// VerifyAuthChallengeResponse: a wrong answer gets a new challenge with the history in
// DefineAuthChallenge's event, the right one tokens; a Session answers once; three wrong
// answers fail the sign-in.
func TestCustomAuth(t *testing.T) {
	fn := newFnServer(t, func(c fnCall) fnAnswer {
		req := fnRequest(c)
		switch c.Event["triggerSource"] {
		case "DefineAuthChallenge_Authentication":
			history, _ := req["session"].([]any)
			switch {
			case len(history) > 0 && history[len(history)-1].(map[string]any)["challengeResult"] == true:
				return fnAnswer{Response: map[string]any{"issueTokens": true}}
			case len(history) >= 3:
				return fnAnswer{Response: map[string]any{"failAuthentication": true}}
			}
			return fnAnswer{Response: map[string]any{"challengeName": "CUSTOM_CHALLENGE"}}
		case "CreateAuthChallenge_Authentication":
			return fnAnswer{Response: map[string]any{"publicChallengeParameters": map[string]any{"question": "2+2"},
				"privateChallengeParameters": map[string]any{"answer": "4"}, "challengeMetadata": "Q1"}}
		case "VerifyAuthChallengeResponse_Authentication":
			private, _ := req["privateChallengeParameters"].(map[string]any)
			return fnAnswer{Response: map[string]any{"answerCorrect": req["challengeAnswer"] == private["answer"]}}
		}
		return fnAnswer{}
	})
	s := startServer(t, fn.Flags()...)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, fnLambda(&types.LambdaConfigType{
		DefineAuthChallenge: aws.String(fnArnPrefix + "define"), CreateAuthChallenge: aws.String(fnArnPrefix + "create"),
		VerifyAuthChallengeResponse: aws.String(fnArnPrefix + "verify")}))
	p.jane(t)
	app := aws.ToString(must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(p.id), ClientName: aws.String("custom"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowCustomAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}}))(t).UserPoolClient.ClientId)
	start := func() *cip.InitiateAuthOutput {
		return must(s.Client.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(app), AuthFlow: types.AuthFlowTypeCustomAuth,
			AuthParameters: map[string]string{"USERNAME": "jane@example.com"}, ClientMetadata: map[string]string{"k": "v"}}))(t)
	}
	answer := func(session *string, a string) (*cip.RespondToAuthChallengeOutput, error) {
		return s.Client.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(app), ChallengeName: types.ChallengeNameTypeCustomChallenge,
			Session: session, ChallengeResponses: map[string]string{"USERNAME": "jane", "ANSWER": a}})
	}

	first := start()
	if first.ChallengeName != types.ChallengeNameTypeCustomChallenge || !cmp.Equal(first.ChallengeParameters, map[string]string{"question": "2+2", "USERNAME": "jane"}) {
		t.Fatalf("challenge %s %v", first.ChallengeName, first.ChallengeParameters)
	}
	second := must(answer(first.Session, "5"))(t)
	if second.ChallengeName != types.ChallengeNameTypeCustomChallenge || second.AuthenticationResult != nil {
		t.Fatalf("after a wrong answer: %s", second.ChallengeName)
	}
	_, err := answer(first.Session, "4")
	wantCodeMsg(t, err, "NotAuthorizedException", "Invalid session for the user, session can only be used once.")
	done := must(answer(second.Session, "4"))(t)
	if done.AuthenticationResult == nil || done.AuthenticationResult.AccessToken == nil {
		t.Fatalf("no tokens after the right answer: %+v", done)
	}
	var defines []fnCall
	for _, c := range fn.Calls(t) {
		if c.Event["triggerSource"] == "DefineAuthChallenge_Authentication" {
			defines = append(defines, c)
		}
	}
	if len(defines) != 3 {
		t.Fatalf("%d DefineAuthChallenge invocations, want 3", len(defines))
	}
	wantHistory := []any{map[string]any{"challengeName": "CUSTOM_CHALLENGE", "challengeResult": false, "challengeMetadata": "Q1"}}
	if diff := cmp.Diff(wantHistory, fnRequest(defines[1])["session"]); diff != "" {
		t.Errorf("DefineAuthChallenge session (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"k": "v"}, fnRequest(defines[0])["clientMetadata"]); diff != "" || defines[0].Event["userName"] != "jane" {
		t.Errorf("DefineAuthChallenge event %v", defines[0].Event)
	}

	// Three wrong answers and DefineAuthChallenge fails the sign-in.
	out := start()
	sess := out.Session
	for i := 0; i < 2; i++ {
		sess = must(answer(sess, "0"))(t).Session
	}
	_, err = answer(sess, "0")
	wantCodeMsg(t, err, "NotAuthorizedException", "Incorrect username or password.")

	// A pool without DefineAuthChallenge refuses CUSTOM_AUTH.
	q := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, nil)
	qa := aws.ToString(must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(q.id), ClientName: aws.String("custom"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowCustomAuth}}))(t).UserPoolClient.ClientId)
	_, err = s.Client.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(qa), AuthFlow: types.AuthFlowTypeCustomAuth,
		AuthParameters: map[string]string{"USERNAME": "jane"}})
	wantCodeMsg(t, err, "InvalidParameterException", "Custom auth lambda trigger is not configured for the user pool.")
}

// KMSCalls returns the calls the fake KMS saw.
func (f *fnServer) KMSCalls() []kmsCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]kmsCall(nil), f.kms...)
}

// TestCustomEmailSender: a pool with a CustomEmailSender gets no message for a ForgotPassword:
// its function is invoked asynchronously with AWS's event, the code in it encrypted under a
// data key KMS made with the pool's KMSKeyID. (The Node.js test decrypts it with
// @aws-crypto/client-node.)
func TestCustomEmailSender(t *testing.T) {
	fn := newFnServer(t, func(fnCall) fnAnswer { return fnAnswer{} })
	s := startServer(t, fn.Flags()...)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, fnLambda(&types.LambdaConfigType{KMSKeyID: aws.String(fnKMSKey),
		CustomEmailSender: &types.CustomEmailLambdaVersionConfigType{LambdaVersion: types.CustomEmailSenderLambdaVersionTypeV10, LambdaArn: aws.String(fnArnPrefix + "sender")}}))
	p.jane(t)
	before := len(p.inbox(t))
	out, err := s.Client.ForgotPassword(bg, &cip.ForgotPasswordInput{ClientId: aws.String(p.client), Username: aws.String("jane"), ClientMetadata: map[string]string{"k": "v"}})
	if err != nil {
		t.Fatal(err)
	}
	recWantDelivery(t, out.CodeDeliveryDetails, nil, recEmail("j***@e***"))
	// The inbox records the hand-off, shaped by the sender, without the code.
	if msgs := p.inbox(t); len(msgs) != before+1 {
		t.Errorf("%d messages after a custom sender's code, want %d (the hand-off's record)", len(msgs), before+1)
	} else if m := msgs[0]; m.ShapedBy != "CustomEmailSender" || m.TriggerSource != "CustomEmailSender_ForgotPassword" ||
		m.Channel != "trigger" || m.Status != "delivered" || m.Attempts != 1 || m.Body != "" || m.Html != "" ||
		m.Destination != "jane@example.com" || m.DeliveryMedium != "EMAIL" {
		t.Errorf("the hand-off's record %+v", m)
	}
	c := fnOnly(t, fn.Calls(t), "CustomEmailSender_ForgotPassword")
	if !c.Async {
		t.Errorf("the custom sender was invoked synchronously")
	}
	req := fnRequest(c)
	code, _ := req["code"].(string)
	delete(req, "code")
	sub := attrMap(getUser(t, s.Client, p.id, "jane").UserAttributes)["sub"]
	want := map[string]any{
		"version": "1", "triggerSource": "CustomEmailSender_ForgotPassword", "region": "us-east-1", "userPoolId": p.id, "userName": "jane",
		"callerContext": map[string]any{"awsSdkVersion": fnSDK(t, c), "clientId": p.client},
		"request": map[string]any{"type": "customEmailSenderRequestV1", "clientMetadata": map[string]any{"k": "v"},
			"userAttributes": map[string]any{"sub": sub, "email": "jane@example.com", "email_verified": "true", "cognito:user_status": "CONFIRMED"}},
		"response": map[string]any{},
	}
	if diff := cmp.Diff(want, c.Event); diff != "" {
		t.Errorf("CustomEmailSender_ForgotPassword event (-spec +got):\n%s", diff)
	}
	raw, err := base64.StdEncoding.DecodeString(code)
	if err != nil || len(raw) < 20 || raw[0] != 0x01 || raw[1] != 0x80 || !strings.Contains(string(raw), fnKMSKey) {
		t.Errorf("code %q is not an AWS Encryption SDK message naming the pool's key (%v)", code, err)
	}
	if strings.Contains(string(raw), "aws-kms") == false || fnCode.MatchString(string(raw)) {
		t.Errorf("the message has no aws-kms data key, or carries six digits in the clear")
	}
	if kc := fn.KMSCalls(); len(kc) != 1 || kc[0].Op != "GenerateDataKey" || kc[0].KeyID != fnKMSKey {
		t.Errorf("KMS calls %+v, want one GenerateDataKey of the pool's key", kc)
	}
}
