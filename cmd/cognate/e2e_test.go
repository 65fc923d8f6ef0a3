package main

// The end-to-end tests start the real server with run() on 127.0.0.1:0, exactly as the
// binary does, and drive it with the real aws-sdk-go-v2 Cognito client (ARCHITECTURE.md,
// rule 7). This file holds what they share: starting and stopping a server, a client,
// error assertions, and the developer endpoints.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/token"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	"github.com/go-json-experiment/json"
	"github.com/google/go-cmp/cmp"

	"cognate/internal/postgres/pgtest"
)

// testServer is one cognate started by run() for a test.
type testServer struct {
	// URL is where it listens, as its first line on stdout says: http://127.0.0.1:PORT.
	URL string
	// Client is an SDK client for it, with any credentials (the server has none configured
	// unless the test gave --credentials) and retries off.
	Client *cip.Client

	stderr *syncBuffer
	stop   func(t testing.TB)
	// proc is the child process, for a server launchProcess started; nil in-process.
	proc *childProc
}

// noEnv is the environment the servers see: nothing, so that a COGNATE_* variable of the
// machine running the tests cannot change what they test.
func noEnv(string) string { return "" }

// startServer starts "cognate serve" on 127.0.0.1:0 with an in-memory store and the
// given extra flags (later flags win), and stops it gracefully when the test ends.
// With COGNATE_TEST_STORE=postgres, a server the flags give no store of its own (nor a
// seed file, which needs SQLite) gets a fresh PostgreSQL schema instead of ":memory:", so
// that the end-to-end suites run on PostgreSQL too.
func startServer(t testing.TB, flags ...string) *testServer {
	t.Helper()
	args := append([]string{"--addr", "127.0.0.1:0", "--log-level", "debug"}, testStore(t, flags)...)
	args = append(args, flags...)
	s, err := launch(t, args...)
	if err != nil {
		t.Fatalf("cognate serve %s: %v", strings.Join(args, " "), err)
	}
	return s
}

// testStoreEnv selects the store of the end-to-end tests' servers: "postgres", or the
// default, ":memory:".
const testStoreEnv = "COGNATE_TEST_STORE"

// testStore is the --store flag startServer gives a server, with the master key a
// PostgreSQL store needs when it is a fresh PostgreSQL schema.
func testStore(t testing.TB, flags []string) []string {
	t.Helper()
	if os.Getenv(testStoreEnv) != "postgres" || hasFlag(flags, "--store") || hasFlag(flags, "--seed") {
		return []string{"--store", ":memory:"}
	}
	return []string{"--store", pgtest.Schema(t), "--secret-key-file", testSecretKey(t), "--pg-max-conns", "4"}
}

// testSecretKey writes a fresh master key file for a test and returns its path.
func testSecretKey(t testing.TB) string {
	t.Helper()
	key := make([]byte, 32)
	rand.Read(key)
	path := filepath.Join(t.TempDir(), "secret.key")
	if err := os.WriteFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// hasFlag reports whether flags set the flag name (as "--name value" or "--name=value").
func hasFlag(flags []string, name string) bool {
	for _, f := range flags {
		if f == name || strings.HasPrefix(f, name+"=") {
			return true
		}
	}
	return false
}

// launch runs "cognate serve args..." in a goroutine and waits for its "listening on" line.
// It returns the error run returned when the server stopped before listening.
func launch(t testing.TB, args ...string) (*testServer, error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stderr := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"serve"}, args...), noEnv, strings.NewReader(""), pw, stderr)
		pw.Close() // so that a reader waiting for the first line sees the end
		done <- err
	}()
	out := bufio.NewReader(pr)
	line, readErr := out.ReadString('\n')
	if readErr != nil {
		cancel()
		err := <-done
		if err == nil {
			err = errors.New("run returned nil without printing a listening line")
		}
		return nil, err
	}
	go io.Copy(io.Discard, out) // serve writes nothing more to stdout, but never block it

	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok || !(strings.HasPrefix(addr, "http://") || strings.HasPrefix(addr, "https://")) {
		cancel()
		<-done
		t.Fatalf("first line on stdout = %q, want \"listening on http://HOST:PORT\"", line)
	}
	s := &testServer{URL: addr, stderr: stderr}
	var once sync.Once
	s.stop = func(t testing.TB) {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("run returned %v after its context ended, want nil (a graceful shutdown)", err)
				}
			case <-time.After(15 * time.Second):
				t.Errorf("run did not return within 15s of its context ending")
			}
		})
	}
	t.Cleanup(func() {
		s.stop(t)
		if t.Failed() {
			t.Logf("server log:\n%s", stderr.String())
		}
	})
	s.Client = newClient(s.URL, "test", "test")
	return s, nil
}

// waitDispatcherPasses waits until the server's dispatcher has finished n more passes
// (its debug line "dispatcher pass"), so that a test can see that a message was not sent
// by watching the dispatcher look again, not by sleeping. Waiting for two makes sure one
// whole pass began after the call.
func (s *testServer) waitDispatcherPasses(t testing.TB, n int) {
	t.Helper()
	count := func() int { return strings.Count(s.stderr.String(), `msg="dispatcher pass"`) }
	want := count() + n
	deadline := time.Now().Add(30 * time.Second)
	for count() < want {
		if time.Now().After(deadline) {
			t.Fatalf("the dispatcher did not finish %d passes in 30s", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Stop shuts the server down gracefully and checks that run returned nil.
func (s *testServer) Stop(t testing.TB) { s.stop(t) }

// newClient returns an SDK client for url signing with the given key, in us-east-1, with
// retries off so that an expected error comes back at once, and the SDK's own HTTP client,
// which keeps connections alive as every real client does, on traced connections. It is built from a bare
// aws.Config rather than config.LoadDefaultConfig so that nothing of the machine's
// environment or ~/.aws reaches it.
func newClient(url, keyID, secret string) *cip.Client {
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(keyID, secret, ""),
	}
	return cip.NewFromConfig(cfg, func(o *cip.Options) {
		o.BaseEndpoint = aws.String(url)
		o.RetryMaxAttempts = 1
		o.APIOptions = append(o.APIOptions, recordOperations) // coverage_e2e_test.go
		o.HTTPClient = ownBodies{awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
			tr.DialContext = tracedDial
		})}
	})
}

// ownBodies hands net/http a request body of its own, in memory, instead of the SDK's.
//
// This is the cure for the flake of issue 8: a call failing while it read a 200 answer with
// "use of closed network connection". The SDK's HTTP layer (smithy-go, v1.28.9 and before)
// wraps the request body in a closer and closes it as soon as the response headers are
// back; reading that body after its Close, its WriteTo answers io.EOF as an error. net/http
// sends a body that is not a known in-memory reader straight to the socket after flushing
// the headers, so the server can read it and answer before the transport's write loop has
// made its last read of the body, the one that checks for bytes past Content-Length. When
// the scheduler lets the answer come first, that read meets the closed body, gets io.EOF,
// and the write loop closes the connection under the reader of the answer. The traced
// connections showed it: closed by net/http.(*persistConn).writeLoop with io.EOF. Real
// clients retry such a failure (the SDK retries net.ErrClosed by default); tests run with
// retries off, and must not retry a request the server already carried out anyway.
type ownBodies struct{ aws.HTTPClient }

func (c ownBodies) Do(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return c.HTTPClient.Do(req)
	}
	b, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, err
	}
	recordFuzzSeed(req.Header.Get("X-Amz-Target"), b)
	own := req.Clone(req.Context())
	own.Body = io.NopCloser(bytes.NewReader(b))
	own.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return c.HTTPClient.Do(own)
}

// fuzzSeedsEnv names a directory into which the SDK clients of the tests write every
// request they send, as seed corpus files of internal/server's FuzzHandler: running end-to-
// end tests with it set records the corpus under internal/server/testdata/fuzz/FuzzHandler.
const fuzzSeedsEnv = "COGNATE_FUZZ_SEEDS"

// recordFuzzSeed writes one request as a FuzzHandler corpus file named by its hash, when
// fuzzSeedsEnv is set.
func recordFuzzSeed(target string, body []byte) {
	dir := os.Getenv(fuzzSeedsEnv)
	op, ok := strings.CutPrefix(target, "AWSCognitoIdentityProviderService.")
	if dir == "" || !ok {
		return
	}
	text := fmt.Sprintf("go test fuzz v1\nstring(%q)\n[]byte(%q)\n", op, body)
	sum := sha256.Sum256([]byte(text))
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, hex.EncodeToString(sum[:8])), []byte(text), 0o644)
}

// tracedDial dials as the SDK does and returns a connection that remembers who closed it:
// a read or write on it after that fails naming the closer's stack, so that a test that
// meets "use of closed network connection" says which code closed the connection.
func tracedDial(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &tracedConn{Conn: c}, nil
}

type tracedConn struct {
	net.Conn
	once     sync.Once
	closedBy atomic.Value // string: the stack of the first Close
}

func (c *tracedConn) Close() error {
	c.once.Do(func() { c.closedBy.Store(string(debug.Stack())) })
	return c.Conn.Close()
}

func (c *tracedConn) traced(err error) error {
	if errors.Is(err, net.ErrClosed) {
		if by, ok := c.closedBy.Load().(string); ok {
			return fmt.Errorf("%w; the connection was closed by:\n%s", err, by)
		}
	}
	return err
}

func (c *tracedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	return n, c.traced(err)
}

func (c *tracedConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	return n, c.traced(err)
}

// testHTTP is the plain HTTP client of the tests, on traced connections too.
var testHTTP = &http.Client{Transport: &http.Transport{DialContext: tracedDial, MaxIdleConnsPerHost: 10, IdleConnTimeout: 90 * time.Second}}

// syncBuffer is a bytes.Buffer safe for the server's logger and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// bg is the context of test calls: the server's own timeouts bound them.
var bg = context.Background()

// wantErr checks that err is (or wraps) the SDK's typed exception E and carries exactly msg.
func wantErr[E smithy.APIError](t testing.TB, err error, msg string) {
	t.Helper()
	var e E
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want a %T", err, err, e)
	}
	if got := e.ErrorMessage(); got != msg {
		t.Errorf("%s message:\n got %q\nwant %q", e.ErrorCode(), got, msg)
	}
}

// wantCode checks that err is an API error with this code (for exceptions the SDK has no
// type for in the operation called, which it returns as a *smithy.GenericAPIError).
func wantCode(t testing.TB, err error, code string) smithy.APIError {
	t.Helper()
	var e smithy.APIError
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want an API error %s", err, err, code)
	}
	if e.ErrorCode() != code {
		t.Fatalf("error code = %q (message %q), want %q", e.ErrorCode(), e.ErrorMessage(), code)
	}
	return e
}

// wantCodeMsg checks that err is an API error with this code and exactly this message.
func wantCodeMsg(t testing.TB, err error, code, msg string) {
	t.Helper()
	if e := wantCode(t, err, code); e.ErrorMessage() != msg {
		t.Errorf("%s message:\n got %q\nwant %q", code, e.ErrorMessage(), msg)
	}
}

// isCode reports whether err is an API error with this code.
func isCode(err error, code string) bool {
	var e smithy.APIError
	return errors.As(err, &e) && e.ErrorCode() == code
}

// must takes the two results of a call and returns a function that fails the test on an
// unexpected error and otherwise returns the value: must(c.Op(ctx, in))(t).
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// exported compares only exported fields: the SDK's types carry unexported markers and
// ResultMetadata holds an unexported map, neither of which says anything about the wire.
var exported = cmp.FilterPath(func(p cmp.Path) bool {
	sf, ok := p.Last().(cmp.StructField)
	return ok && !token.IsExported(sf.Name())
}, cmp.Ignore())

// ignoreFields drops the named struct fields (by name, at any depth) from a comparison.
func ignoreFields(names ...string) cmp.Option {
	return cmp.FilterPath(func(p cmp.Path) bool {
		sf, ok := p.Last().(cmp.StructField)
		return ok && slices.Contains(names, sf.Name())
	}, cmp.Ignore())
}

var (
	poolIDPattern   = regexp.MustCompile(`^us-east-1_[0-9A-Za-z]{9}$`)
	clientIDPattern = regexp.MustCompile(`^[a-z0-9]{26}$`)
	secretPattern   = regexp.MustCompile(`^[a-z0-9]{51}$`)
	uuidV4Pattern   = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
)

// A pool id that does not exist but satisfies the model's pattern.
const missingPool = "us-east-1_Missing00"

// createPool creates a pool with the given input (PoolName defaults to the test's name)
// and returns its id.
func createPool(t testing.TB, c *cip.Client, in *cip.CreateUserPoolInput) string {
	t.Helper()
	if in == nil {
		in = &cip.CreateUserPoolInput{}
	}
	if in.PoolName == nil {
		in.PoolName = aws.String("pool")
	}
	out := must(c.CreateUserPool(bg, in))(t)
	return aws.ToString(out.UserPool.Id)
}

// createUser creates a user quietly (MessageAction SUPPRESS) with the given attributes,
// as Name, Value pairs.
func createUser(t testing.TB, c *cip.Client, pool, username string, attrs ...string) *types.UserType {
	t.Helper()
	out := must(c.AdminCreateUser(bg, &cip.AdminCreateUserInput{
		UserPoolId:     aws.String(pool),
		Username:       aws.String(username),
		UserAttributes: attributes(attrs...),
		MessageAction:  types.MessageActionTypeSuppress,
	}))(t)
	return out.User
}

// attributes makes attribute types of Name, Value pairs.
func attributes(pairs ...string) []types.AttributeType {
	if len(pairs)%2 != 0 {
		panic("attributes: odd number of arguments")
	}
	var out []types.AttributeType
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, types.AttributeType{Name: aws.String(pairs[i]), Value: aws.String(pairs[i+1])})
	}
	return out
}

// attrMap turns attribute types into a map, to compare without caring for order.
func attrMap(attrs []types.AttributeType) map[string]string {
	m := map[string]string{}
	for _, a := range attrs {
		m[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	return m
}

// getUser is AdminGetUser that must succeed.
func getUser(t testing.TB, c *cip.Client, pool, username string) *cip.AdminGetUserOutput {
	t.Helper()
	return must(c.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String(username)}))(t)
}

// inboxMessage is one message of GET /_cognate/messages.
type inboxMessage struct {
	MessageId      string
	UserPoolId     string
	Username       string
	DeliveryMedium string
	Destination    string
	Subject        string
	Body           string
	Html           string
	From           string
	ReplyTo        string
	TriggerSource  string
	ShapedBy       string
	CreatedAt      float64
	Channel        string
	Status         string
	Attempts       int
	LastError      string
}

// messages reads the built-in inbox with the given query (e.g. "UserPoolId=…").
func (s *testServer) messages(t testing.TB, query string) []inboxMessage {
	t.Helper()
	u := s.URL + "/_cognate/messages"
	if query != "" {
		u += "?" + query
	}
	status, _, body := httpDo(t, http.MethodGet, u, nil, nil)
	if status != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", u, status, body)
	}
	var out struct{ Messages []inboxMessage }
	if err := json.Unmarshal(body, &out, json.RejectUnknownMembers(true)); err != nil {
		t.Fatalf("GET %s: %v in %s", u, err, body)
	}
	if out.Messages == nil {
		t.Fatalf("GET %s: no Messages list in %s", u, body)
	}
	return out.Messages
}

// httpDo sends one plain HTTP request and returns the status, headers and body.
func httpDo(t testing.TB, method, url string, header http.Header, body []byte) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := testHTTP.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, url, err)
	}
	return resp.StatusCode, resp.Header, b
}

// callRaw posts an AWS JSON 1.1 request for op with no signature, as a browser would.
func callRaw(t testing.TB, url, op, body string) (int, http.Header, []byte) {
	t.Helper()
	h := http.Header{}
	h.Set("Content-Type", "application/x-amz-json-1.1")
	h.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	return httpDo(t, http.MethodPost, url, h, []byte(body))
}

// wireError reads the {"__type","message"} body of an error answer.
func wireError(t testing.TB, body []byte) (code, message string) {
	t.Helper()
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %s: %v", body, err)
	}
	return e.Type, e.Message
}

// requirePeer skips a test that needs an outside tool that is not available, unless the
// environment variable COGNATE_TEST_REQUIRE (comma-separated names) lists it, as CI does:
// then its absence fails the test, so that CI cannot pass by skipping.
func requirePeer(t testing.TB, name string, available bool, why string) {
	t.Helper()
	if available {
		return
	}
	for _, req := range strings.Split(os.Getenv("COGNATE_TEST_REQUIRE"), ",") {
		if strings.TrimSpace(req) == name {
			t.Fatalf("%s is required (COGNATE_TEST_REQUIRE=%s) but not available: %s", name, os.Getenv("COGNATE_TEST_REQUIRE"), why)
		}
	}
	t.Skip(why)
}
