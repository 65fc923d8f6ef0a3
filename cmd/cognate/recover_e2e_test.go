package main

// cognate forgot-password and confirm-forgot-password, run through run() against a cognate
// started in the test. A recording proxy in front of the server shows what reached the wire:
// every flag is checked there, in the request the server received.
//
// These tests set the process environment (the commands read it as the SDK does), so they
// do not run in parallel.

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/creack/pty"
	"github.com/go-json-experiment/json"
	"github.com/google/go-cmp/cmp"
)

// wireCall is one request the recording proxy passed on.
type wireCall struct {
	Target string         // the operation, from X-Amz-Target
	Body   map[string]any // the JSON body
	Signed bool           // whether it carried an Authorization header
}

// wireRecorder is a reverse proxy to a test server that records each request.
type wireRecorder struct {
	URL   string
	mu    sync.Mutex
	calls []wireCall
}

func newWireRecorder(t *testing.T, target string) *wireRecorder {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rec := &wireRecorder{}
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		call := wireCall{Target: strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService."),
			Signed: r.Header.Get("Authorization") != ""}
		if err := json.Unmarshal(body, &call.Body); err != nil {
			t.Errorf("the proxy got a body that is not JSON: %q", body)
		}
		rec.mu.Lock()
		rec.calls = append(rec.calls, call)
		rec.mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	rec.URL = srv.URL
	return rec
}

// take returns the calls recorded since the last take.
func (r *wireRecorder) take() []wireCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	calls := r.calls
	r.calls = nil
	return calls
}

// cliEnv gives the commands an environment of the test's own: no AWS variables of the
// machine, empty shared files, one attempt per call (so that every request the proxy records
// is one the command made on purpose).
func cliEnv(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	config, creds := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	for _, f := range []string{config, creds} {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	t.Setenv("HOME", dir)
	t.Setenv("AWS_CONFIG_FILE", config)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
}

// cli runs "cognate args..." with the given standard input.
func cli(t *testing.T, stdin io.Reader, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var out, errb bytes.Buffer
	err = run(context.Background(), args, os.Getenv, stdin, &out, &errb)
	return out.String(), errb.String(), err
}

// cliOK runs a command that must succeed and returns what it printed.
func cliOK(t *testing.T, stdin io.Reader, args ...string) string {
	t.Helper()
	out, stderr, err := cli(t, stdin, args...)
	if err != nil {
		t.Fatalf("cognate %s: %v\nstderr: %s", strings.Join(args, " "), err, stderr)
	}
	return out
}

// jsonOf parses printed JSON for comparison.
func jsonOf(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("output is not one JSON value: %v\n%s", err, s)
	}
	return v
}

func wantCalls(t *testing.T, got []wireCall, want ...wireCall) {
	t.Helper()
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(wireCall{})); diff != "" {
		t.Errorf("requests on the wire (-want +got):\n%s", diff)
	}
}

func TestRecoveryCommandFlagsReachTheWire(t *testing.T) {
	cliEnv(t)
	s := startServer(t)
	rec := newWireRecorder(t, s.URL)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, nil)
	p.jane(t)
	hash := recSecretHash(p.secret, "jane", p.secretClient)

	out := cliOK(t, nil, "forgot-password", "jane", "--client-id", p.secretClient, "--client-secret", p.secret,
		"--client-metadata", "source=cli", "--client-metadata", `{"ticket":"T-1","team":"ops"}`,
		"--analytics-endpoint-id", "endpoint-1", "--user-context-encoded-data", "fingerprint", "--user-context-ip", "203.0.113.7",
		"--region", "us-east-1", "--endpoint-url", rec.URL)
	wantCalls(t, rec.take(), wireCall{Target: "ForgotPassword", Body: map[string]any{
		"ClientId": p.secretClient, "Username": "jane", "SecretHash": hash,
		"ClientMetadata":    map[string]any{"source": "cli", "ticket": "T-1", "team": "ops"},
		"AnalyticsMetadata": map[string]any{"AnalyticsEndpointId": "endpoint-1"},
		"UserContextData":   map[string]any{"EncodedData": "fingerprint", "IpAddress": "203.0.113.7"},
	}})
	// The cmdlet's default output: the CodeDeliveryDetails.
	if diff := cmp.Diff(map[string]any{"AttributeName": "email", "DeliveryMedium": "EMAIL", "Destination": "j***@e***"}, jsonOf(t, out)); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	code := p.code(t, "jane") // the server accepted the computed SecretHash and sent a code

	// Confirm, the new password from standard input and the SecretHash given as it is.
	out = cliOK(t, strings.NewReader(recNewPassword+"\n"), "confirm-forgot-password", "--client-id", p.secretClient,
		"--secret-hash", hash, "--confirmation-code", code, "--password-stdin", "--client-metadata", "source=cli",
		"--analytics-endpoint-id", "endpoint-1", "--user-context-ip", "203.0.113.7",
		"--region", "us-east-1", "--endpoint-url", rec.URL, "jane")
	wantCalls(t, rec.take(), wireCall{Target: "ConfirmForgotPassword", Body: map[string]any{
		"ClientId": p.secretClient, "Username": "jane", "SecretHash": hash, "ConfirmationCode": code, "Password": recNewPassword,
		"ClientMetadata":    map[string]any{"source": "cli"},
		"AnalyticsMetadata": map[string]any{"AnalyticsEndpointId": "endpoint-1"},
		"UserContextData":   map[string]any{"IpAddress": "203.0.113.7"},
	}})
	if out != "" {
		t.Errorf("confirm-forgot-password printed %q, want nothing (the cmdlet's output type is None)", out)
	}
	must(p.signIn("jane", recNewPassword))(t)

	// Only what was given goes: no SecretHash, no empty structures; --password on the line.
	cliOK(t, nil, "forgot-password", "--client-id", p.client, "--region", "us-east-1", "--endpoint-url", rec.URL, "jane")
	cliOK(t, nil, "confirm-forgot-password", "--client-id", p.client, "--confirmation-code", p.code(t, "jane"),
		"--password", "Th1rd-Passw0rd!", "--region", "us-east-1", "--endpoint-url", rec.URL, "jane")
	calls := rec.take()
	wantCalls(t, calls,
		wireCall{Target: "ForgotPassword", Body: map[string]any{"ClientId": p.client, "Username": "jane"}},
		wireCall{Target: "ConfirmForgotPassword", Body: map[string]any{"ClientId": p.client, "Username": "jane",
			"ConfirmationCode": calls[1].Body["ConfirmationCode"], "Password": "Th1rd-Passw0rd!"}})
	must(p.signIn("jane", "Th1rd-Passw0rd!"))(t)
}

func TestRecoveryCommandSelect(t *testing.T) {
	cliEnv(t)
	s := startServer(t, "--fixed-code", "123456")
	rec := newWireRecorder(t, s.URL)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, nil)
	p.jane(t)
	base := []string{"--client-id", p.client, "--region", "us-east-1", "--endpoint-url", rec.URL}
	forgot := func(extra ...string) []string {
		return append(append([]string{"forgot-password", "jane"}, base...), extra...)
	}
	confirm := func(extra ...string) []string {
		return append(append([]string{"confirm-forgot-password", "jane", "--confirmation-code", "123456", "--password", recNewPassword}, base...), extra...)
	}
	cdd := map[string]any{"AttributeName": "email", "DeliveryMedium": "EMAIL", "Destination": "j***@e***"}
	// Each call starts with a fresh hour (five requests per user per hour) and a code out.
	fresh := func(t *testing.T) {
		t.Helper()
		s.clock(t, http.MethodPost, "Advance=61m", "")
		must(p.forgot("jane"))(t)
	}

	for _, tc := range []struct {
		name string
		args []string
		want any // parsed JSON; nil: nothing printed
	}{
		{"default", forgot(), cdd},
		{"property", forgot("--select", "CodeDeliveryDetails"), cdd},
		{"property in another case", forgot("--select", "codedeliverydetails"), cdd},
		{"dotted path", forgot("--select", "CodeDeliveryDetails.Destination"), "j***@e***"},
		{"parameter", forgot("--select", "^Username"), "jane"},
		{"parameter in another case", forgot("--select", "^clientid"), p.client},
		{"parameter not given", forgot("--select", "^SecretHash"), nil},
		{"map parameter", forgot("--select", "^ClientMetadata", "--client-metadata", "b=2", "--client-metadata", "a=1"), map[string]any{"a": "1", "b": "2"}},
		{"switch parameter", forgot("--select", "^Force"), false},
		{"pass-thru", forgot("--pass-thru"), "jane"},
		{"confirm default", confirm(), nil},
		{"confirm parameter", confirm("--select", "^ConfirmationCode"), "123456"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fresh(t)
			out := cliOK(t, nil, tc.args...)
			if tc.want == nil {
				if out != "" {
					t.Errorf("printed %q, want nothing", out)
				}
				return
			}
			if diff := cmp.Diff(tc.want, jsonOf(t, out)); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
	if n := len(rec.take()); n != 12 {
		t.Errorf("%d calls on the wire, want one per command (12)", n)
	}

	// '*' is the whole response, with what the SDK's response carries besides its members.
	for _, args := range [][]string{forgot("--select", "*"), confirm("--select", "*")} {
		fresh(t)
		got, ok := jsonOf(t, cliOK(t, nil, args...)).(map[string]any)
		if !ok {
			t.Fatalf("%s --select '*' printed no object", args[0])
		}
		meta, _ := got["ResponseMetadata"].(map[string]any)
		if !uuidV4Pattern.MatchString(meta["RequestId"].(string)) || got["HttpStatusCode"] != 200.0 || got["ContentLength"].(float64) < 2 {
			t.Errorf("%s --select '*' = %v, want ResponseMetadata.RequestId, HttpStatusCode 200 and ContentLength", args[0], got)
		}
		delete(got, "ResponseMetadata")
		delete(got, "HttpStatusCode")
		delete(got, "ContentLength")
		want := map[string]any{}
		if args[0] == "forgot-password" {
			want["CodeDeliveryDetails"] = cdd
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s --select '*' members (-want +got):\n%s", args[0], diff)
		}
	}
	rec.take()

	// The cmdlets' refusals come before any call.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{forgot("--select", "Nope"), "Invalid value for -Select parameter."},
		{forgot("--select", ""), "Invalid value for -Select parameter."},
		{forgot("--select", "CodeDeliveryDetails.Nope"), "Invalid value for -Select parameter."},
		{forgot("--select", "ResponseMetadata"), "Invalid value for -Select parameter."}, // declared on the base type, not selectable
		{forgot("--select", "^Region"), "Invalid value for -Select parameter."},
		{forgot("--select", "^ConfirmationCode"), "Invalid value for -Select parameter."},
		{confirm("--select", "CodeDeliveryDetails"), "Invalid value for -Select parameter."},
		{forgot("--pass-thru", "--select", "^Username"), "-PassThru cannot be used when -Select is specified."},
		{forgot("--output", "yaml"), `--output must be json, text or table, not "yaml"`},
		{[]string{"forgot-password", "jane", "--region", "us-east-1", "--endpoint-url", rec.URL}, "--client-id is required"},
		{[]string{"confirm-forgot-password", "jane", "--client-id", "x", "--region", "us-east-1"}, "--confirmation-code is required\n--password (or --password-stdin) is required"},
		{[]string{"confirm-forgot-password", "--client-id", "x", "--confirmation-code", "1", "--password-stdin"}, "--password-stdin needs USERNAME"},
		{forgot("--secret-hash", "h", "--client-secret", "s"), "give --secret-hash or --client-secret, not both"},
		{[]string{"forgot-password", "jane", "bob", "--client-id", "x"}, "forgot-password takes one USERNAME, not 2: jane bob"},
	} {
		_, _, err := cli(t, nil, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("cognate %s: error %v, want %q", strings.Join(tc.args, " "), err, tc.want)
		}
	}
	wantCalls(t, rec.take())

	// Text and table.
	fresh(t)
	if out := cliOK(t, nil, forgot("--output", "text")...); out != "email\tEMAIL\tj***@e***\n" {
		t.Errorf("--output text = %q", out)
	}
	if out := cliOK(t, nil, forgot("--output", "text", "--select", "*")...); !regexp.MustCompile(
		`^[0-9]+\t200\nCODEDELIVERYDETAILS\temail\tEMAIL\tj\*\*\*@e\*\*\*\nRESPONSEMETADATA\t[-0-9a-f]{36}\n$`).MatchString(out) {
		t.Errorf("--output text --select '*' = %q", out)
	}
	wantTable := `----------------------------------
|         ForgotPassword         |
+------------------+-------------+
|  AttributeName   |  email      |
|  DeliveryMedium  |  EMAIL      |
|  Destination     |  j***@e***  |
+------------------+-------------+
`
	fresh(t)
	if out := cliOK(t, nil, forgot("--output", "table")...); out != wantTable {
		t.Errorf("--output table =\n%s\nwant\n%s", out, wantTable)
	}
	fresh(t)
	if out := cliOK(t, nil, forgot("--output", "table", "--select", "^Username")...); !strings.Contains(out, "|  jane") {
		t.Errorf("--output table of a scalar =\n%s", out)
	}
}

func TestRecoveryCommandPipeline(t *testing.T) {
	cliEnv(t)
	s := startServer(t, "--fixed-code", "123456")
	rec := newWireRecorder(t, s.URL)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, nil)
	for _, name := range []string{"alice", "bob", "carol"} {
		p.user(t, name, "email", name+"@example.com", "email_verified", "true")
	}
	base := []string{"--client-id", p.secretClient, "--client-secret", p.secret, "--region", "us-east-1", "--endpoint-url", rec.URL}

	// Usernames one a line; a blank line is skipped; an unknown user fails and the rest go on.
	stdout, stderr, err := cli(t, strings.NewReader("alice\nghost\n\n  bob  \r\ncarol"), append([]string{"forgot-password", "--select", "^Username"}, base...)...)
	if err == nil || err.Error() != "forgot-password failed for 1 of 4 usernames" {
		t.Errorf("error = %v, want the count of failures", err)
	}
	if want := "ghost: UserNotFoundException: " + recMsgUserNotFound + "\n"; stderr != want {
		t.Errorf("stderr = %q, want %q", stderr, want)
	}
	if want := "\"alice\"\n\"bob\"\n\"carol\"\n"; stdout != want {
		t.Errorf("stdout = %q, want %q", stdout, want)
	}
	var names []string
	for _, c := range rec.take() {
		names = append(names, c.Body["Username"].(string))
		if h := recSecretHash(p.secret, c.Body["Username"].(string), p.secretClient); c.Body["SecretHash"] != h {
			t.Errorf("SecretHash for %s = %v, want %s", c.Body["Username"], c.Body["SecretHash"], h)
		}
	}
	if diff := cmp.Diff([]string{"alice", "ghost", "bob", "carol"}, names); diff != "" {
		t.Errorf("usernames on the wire (-want +got):\n%s", diff)
	}

	// The same users reset their passwords in one pipeline.
	cliOK(t, strings.NewReader("alice\nbob\ncarol\n"), append([]string{"confirm-forgot-password", "--confirmation-code", "123456", "--password", recNewPassword}, base...)...)
	for _, name := range []string{"alice", "bob", "carol"} {
		must(p.signIn(name, recNewPassword))(t)
	}

	// Errors of a single user: the exception name and AWS's message, and a failure.
	_, _, err = cli(t, nil, append([]string{"confirm-forgot-password", "alice", "--confirmation-code", "123456", "--password", recNewPassword}, base...)...)
	if err == nil || err.Error() != "ExpiredCodeException: "+recMsgExpired {
		t.Errorf("a used code: error %v", err)
	}
	cliOK(t, nil, append([]string{"forgot-password", "alice"}, base...)...)
	_, _, err = cli(t, nil, append([]string{"confirm-forgot-password", "alice", "--confirmation-code", "654321", "--password", recNewPassword}, base...)...)
	if err == nil || err.Error() != "CodeMismatchException: "+recMsgMismatch {
		t.Errorf("a wrong code: error %v", err)
	}
	_, _, err = cli(t, nil, "forgot-password", "alice", "--client-id", p.secretClient, "--region", "us-east-1", "--endpoint-url", rec.URL)
	if want := "NotAuthorizedException: Client " + p.secretClient + " is configured for secret but secret was not received"; err == nil || err.Error() != want {
		t.Errorf("no SecretHash: error %v, want %q", err, want)
	}
}

func TestRecoveryCommandConfiguration(t *testing.T) {
	cliEnv(t)
	s := startServer(t)
	rec := newWireRecorder(t, s.URL)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, nil)
	p.jane(t)
	dir := t.TempDir()
	write := func(name, text string) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	dead := "http://127.0.0.1:1" // nothing listens there
	forgot := []string{"forgot-password", "jane", "--client-id", p.client, "--select", "^Username"}
	ran := func(t *testing.T, args ...string) {
		t.Helper()
		s.clock(t, http.MethodPost, "Advance=61m", "") // a fresh hour: five requests per user
		cliOK(t, nil, append(forgot, args...)...)
		if calls := rec.take(); len(calls) != 1 || calls[0].Target != "ForgotPassword" || calls[0].Signed {
			t.Errorf("calls on the wire: %+v, want one unsigned ForgotPassword", calls)
		}
	}

	t.Run("profile-location in the config format", func(t *testing.T) {
		f := write("profiles", "[profile ops]\nregion = eu-west-1\nendpoint_url = "+rec.URL+"\n")
		ran(t, "--profile", "ops", "--profile-location", f)
	})
	t.Run("profile-location in the credentials format", func(t *testing.T) {
		f := write("creds", "[ops]\nregion = eu-west-1\nendpoint_url = "+rec.URL+"\n")
		ran(t, "--profile", "ops", "--profile-location", f)
	})
	t.Run("default profile of profile-location", func(t *testing.T) {
		f := write("default", "[default]\nregion = eu-west-1\nendpoint_url = "+rec.URL+"\n")
		ran(t, "--profile-location", f)
	})
	t.Run("flags win over the profile", func(t *testing.T) {
		f := write("deadprofile", "[default]\nregion = eu-west-1\nendpoint_url = "+dead+"\n")
		ran(t, "--profile-location", f, "--endpoint-url", rec.URL)
	})
	t.Run("no region", func(t *testing.T) {
		f := write("noregion", "[default]\nendpoint_url = "+rec.URL+"\n")
		_, _, err := cli(t, nil, append(forgot, "--profile-location", f)...)
		if err == nil || err.Error() != "No region specified or obtained from persisted/shell defaults." {
			t.Errorf("error = %v, want the cmdlet's", err)
		}
		wantCalls(t, rec.take())
	})
	t.Run("missing profile", func(t *testing.T) {
		f := write("other", "[profile ops]\nregion = eu-west-1\n")
		if _, _, err := cli(t, nil, append(forgot, "--profile", "nope", "--profile-location", f)...); err == nil || !strings.Contains(err.Error(), "nope") {
			t.Errorf("error = %v, want one naming the missing profile", err)
		}
		wantCalls(t, rec.take())
	})
	t.Run("the SDK's environment variables", func(t *testing.T) {
		t.Setenv("AWS_REGION", "eu-west-1")
		t.Setenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", rec.URL)
		ran(t)
		t.Setenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "")
		t.Setenv("AWS_ENDPOINT_URL", rec.URL)
		ran(t)
		t.Setenv("AWS_ENDPOINT_URL", dead)
		ran(t, "--endpoint-url", rec.URL)
	})
	t.Run("AWS_PROFILE and AWS_CONFIG_FILE", func(t *testing.T) {
		t.Setenv("AWS_CONFIG_FILE", write("envconfig", "[profile ops]\nregion = ap-south-1\nendpoint_url = "+rec.URL+"\n"))
		t.Setenv("AWS_PROFILE", "ops")
		ran(t)
	})
}

func TestRecoveryCommandConfirmation(t *testing.T) {
	cliEnv(t)
	s := startServer(t)
	rec := newWireRecorder(t, s.URL)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, nil)
	p.jane(t)
	args := func(extra ...string) []string {
		return append([]string{"forgot-password", "jane", "--client-id", p.client, "--region", "us-east-1", "--endpoint-url", rec.URL, "--select", "^Username"}, extra...)
	}
	whatIf := "What if: Performing the operation \"cognate forgot-password (ForgotPassword)\" on target \"jane\".\n"
	for _, extra := range [][]string{{"--whatif"}, {"--whatif", "--force"}, {"--whatif", "--confirm"}} {
		if out := cliOK(t, nil, args(extra...)...); out != whatIf {
			t.Errorf("%v printed %q, want %q", extra, out, whatIf)
		}
	}
	wantCalls(t, rec.take())
	// Medium impact: no prompt by default, nor with --force.
	cliOK(t, nil, args()...)
	cliOK(t, nil, args("--confirm", "--force")...)
	if n := len(rec.take()); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}

	// --confirm with no terminal to ask on: refused, nothing sent.
	if tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0); err == nil {
		tty.Close()
		t.Log("this process has a controlling terminal; the no-terminal case is not tried")
	} else {
		_, _, err := cli(t, strings.NewReader("y\n"), args("--confirm")...)
		if err == nil || !strings.Contains(err.Error(), "--confirm asks on a terminal and there is none") {
			t.Errorf("--confirm without a terminal: error %v", err)
		}
		wantCalls(t, rec.take())
	}

	// On a terminal: the prompt, and the answer decides.
	for _, tc := range []struct {
		answer string
		calls  int
	}{{"y\n", 1}, {"\n", 1}, {"n\n", 0}, {"l\n", 0}} {
		ptmx, tty, err := pty.Open()
		if err != nil {
			t.Skipf("no pseudo-terminal: %v", err)
		}
		if _, err := ptmx.Write([]byte(tc.answer)); err != nil {
			t.Fatal(err)
		}
		go io.Copy(io.Discard, ptmx) // the terminal's echo
		stdout, stderr, err := cli(t, tty, args("--confirm")...)
		ptmx.Close()
		tty.Close()
		if err != nil {
			t.Errorf("answer %q: %v", tc.answer, err)
		}
		if !strings.Contains(stderr, "Are you sure you want to perform this action?\nPerforming the operation \"cognate forgot-password (ForgotPassword)\" on target \"jane\".\n[Y] Yes  [A] Yes to All  [N] No  [L] No to All") {
			t.Errorf("answer %q: prompt %q", tc.answer, stderr)
		}
		if n := len(rec.take()); n != tc.calls || (tc.calls == 1) != (stdout == "\"jane\"\n") {
			t.Errorf("answer %q: %d calls, output %q; want %d", tc.answer, n, stdout, tc.calls)
		}
	}
}

// TestRecoveryCommandsSigned runs both commands against a server that verifies signatures:
// the operations are public, so the unsigned requests pass.
func TestRecoveryCommandsSigned(t *testing.T) {
	cliEnv(t)
	s := signedServer(t)
	rec := newWireRecorder(t, s.URL)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesEnabled, nil)
	p.jane(t)
	base := []string{"--client-id", p.secretClient, "--client-secret", p.secret, "--region", "us-east-1", "--endpoint-url", rec.URL}
	out := cliOK(t, nil, append([]string{"forgot-password", "jane"}, base...)...)
	if diff := cmp.Diff(map[string]any{"AttributeName": "email", "DeliveryMedium": "EMAIL", "Destination": "j***@e***"}, jsonOf(t, out)); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	cliOK(t, nil, append([]string{"confirm-forgot-password", "jane", "--confirmation-code", p.code(t, "jane"), "--password", recNewPassword}, base...)...)
	for _, c := range rec.take() {
		if c.Signed {
			t.Errorf("%s was signed; the commands send it unsigned, as the cmdlets do", c.Target)
		}
	}
	must(p.signIn("jane", recNewPassword))(t)
	_, _, err := cli(t, nil, append([]string{"confirm-forgot-password", "jane", "--confirmation-code", "000000", "--password", recNewPassword}, base...)...)
	if err == nil || !strings.HasPrefix(err.Error(), "ExpiredCodeException: ") {
		t.Errorf("a used code against the signed server: %v", err)
	}
}
