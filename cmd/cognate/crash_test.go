package main

// Crash safety (issue 15, point 3): cognate as a child process under a steady load of
// ForgotPassword, ConfirmForgotPassword, SignUp and sign-ins, hit by a fault at random
// moments — cognate itself SIGKILLed and restarted (SQLite), or its PostgreSQL crashed and
// restarted — then checked against the client's log: every acknowledged reset and sign-up
// is there, no code worked twice, every message is there once and went out, the database
// is whole.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	"github.com/go-json-experiment/json"
	_ "modernc.org/sqlite"

	"cognate/internal/postgres/pgtest"
)

// crashFaults is how many faults each crash test injects: 5 in CI, 50 in the soak tier.
var crashFaults = soakOr(5, 50)

// TestCrashSQLite SIGKILLs cognate on SQLite at random moments under load and restarts it
// on the same address: it listens again within a second, the database passes
// PRAGMA integrity_check after every kill, and the client's log holds.
func TestCrashSQLite(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cognate.db")
	args := []string{"--addr", "127.0.0.1:0", "--store", db, "--secret-key-file", testSecretKey(t), "--log-level", "info"}
	s, err := launchProcess(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	args[1] = strings.TrimPrefix(s.URL, "http://")
	var restarts, ready []time.Duration
	l := newCrashLoad(t, s.URL)
	l.run(t, func(i int) {
		s.kill(t)
		integrityCheck(t, db)
		start := time.Now()
		if s, err = launchProcess(t, args...); err != nil {
			t.Fatalf("restart %d: %v", i, err)
		}
		restarts = append(restarts, s.proc.started)
		l.waitReady(t)
		ready = append(ready, time.Since(start))
	})
	s.Stop(t)
	integrityCheck(t, db)
	// The restart is judged from exec to listening: the store opened and recovered, the
	// schema checked, the port bound. The first answer after it also waits for the cores
	// the load keeps busy, and is reported.
	slowest := slicesMax(restarts)
	t.Logf("%d SIGKILLs: exec to listening %v (max %v); exec to the first answer %v (max %v)",
		len(restarts), restarts, slowest, ready, slicesMax(ready))
	if slowest >= time.Second {
		t.Errorf("a restart after SIGKILL took %v to listen, want under 1s", slowest)
	}
}

// TestCrashPostgres crashes cognate's PostgreSQL (pg_ctl stop -m immediate: its processes
// killed, WAL recovery at the start) at random moments under load and starts it again:
// cognate stays up, answers InternalErrorException meanwhile, and the client's log holds.
func TestCrashPostgres(t *testing.T) {
	cluster := pgtest.NewCluster(t)
	s, err := launchProcess(t, "--addr", "127.0.0.1:0", "--store", cluster.DSN, "--secret-key-file", testSecretKey(t),
		"--log-level", "info", "--pg-max-conns", "8", "--pg-statement-timeout", "2s")
	if err != nil {
		t.Fatal(err)
	}
	var back []time.Duration
	l := newCrashLoad(t, s.URL)
	l.run(t, func(i int) {
		cluster.Stop(t, "immediate")
		cluster.Start(t)
		start := time.Now()
		l.waitReady(t)
		back = append(back, time.Since(start))
		if !s.alive() {
			t.Fatalf("cognate exited when PostgreSQL crashed")
		}
	})
	t.Logf("%d PostgreSQL crashes: cognate answered again %v after each start", len(back), back)
}

func slicesMax(ds []time.Duration) time.Duration {
	var m time.Duration
	for _, d := range ds {
		m = max(m, d)
	}
	return m
}

// integrityCheck runs PRAGMA integrity_check on the SQLite database at path.
func integrityCheck(t testing.TB, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res []string
	rows, err := db.Query(`PRAGMA integrity_check`)
	if err != nil {
		t.Fatalf("PRAGMA integrity_check: %v", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		res = append(res, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0] != "ok" {
		t.Fatalf("PRAGMA integrity_check: %v", res)
	}
}

// Passwords of the crash load.
const crashPassword = "Crash-Passw0rd!"

// crashLoad is the steady load of the crash tests and the client's log it keeps.
type crashLoad struct {
	url    string
	client *cip.Client
	http   *http.Client
	pool   string
	app    string

	// gen counts fault edges: odd while a fault is under way. A request that failed is
	// excused when a fault overlapped it, and only with a transport error or
	// InternalErrorException: what a client sees of a process or database gone.
	gen     atomic.Uint64
	ok      atomic.Int64
	excused atomic.Int64

	mu         sync.Mutex
	unexpected []string
	resets     []*crashResetter
	signUps    map[string]bool // username → acknowledged (false: sent, unacknowledged)
}

// crashResetter is one user whose password a worker resets over and over, and its log.
type crashResetter struct {
	name                     string
	forgotAcked, forgotTried int
	// password is the last acknowledged password; maybe are those sent since without an answer.
	password string
	maybe    []string
	used     []string // codes acknowledged as used
	resets   int
}

func newCrashLoad(t *testing.T, endpoint string) *crashLoad {
	l := &crashLoad{url: endpoint, signUps: map[string]bool{},
		http: &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}}
	// No kept-alive connections: a request after a restart must not go out on a
	// connection to the process that was killed.
	l.client = cip.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")},
		func(o *cip.Options) {
			o.BaseEndpoint = aws.String(endpoint)
			o.RetryMaxAttempts = 1
			o.HTTPClient = l.http
		})
	l.pool = createPool(t, l.client, &cip.CreateUserPoolInput{PoolName: aws.String("crash"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	l.app = aws.ToString(must(l.client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(l.pool), ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
	}))(t).UserPoolClient.ClientId)
	for i := range 4 {
		r := &crashResetter{name: fmt.Sprintf("reset%d", i), password: crashPassword}
		l.user(t, r.name)
		l.resets = append(l.resets, r)
	}
	for i := range 2 {
		l.user(t, fmt.Sprintf("signin%d", i))
	}
	return l
}

// user makes a CONFIRMED user with a verified email and the password crashPassword.
func (l *crashLoad) user(t *testing.T, name string) {
	t.Helper()
	must(l.client.AdminCreateUser(bg, &cip.AdminCreateUserInput{UserPoolId: aws.String(l.pool), Username: aws.String(name),
		MessageAction:  types.MessageActionTypeSuppress,
		UserAttributes: attributes("email", name+"@example.com", "email_verified", "true")}))(t)
	must(l.client.AdminSetUserPassword(bg, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(l.pool), Username: aws.String(name),
		Password: aws.String(crashPassword), Permanent: true}))(t)
}

// do makes one request and sorts its outcome: nil when it succeeded; an error when the
// server answered with one (the caller decides whether it is expected), errExcused when
// it failed as it may while a fault overlapped it, in which case it may or may not have
// taken effect. Anything else is logged as unexpected.
func (l *crashLoad) do(what string, fn func() error) error {
	g := l.gen.Load()
	err := fn()
	if err == nil {
		l.ok.Add(1)
		return nil
	}
	var api smithy.APIError
	isAPI := errors.As(err, &api)
	if (g%2 == 1 || l.gen.Load() != g) && (!isAPI || api.ErrorCode() == "InternalErrorException") {
		l.excused.Add(1)
		time.Sleep(20 * time.Millisecond) // a client backing off
		return errExcused
	}
	if isAPI && api.ErrorCode() != "InternalErrorException" {
		return err
	}
	l.fail("%s: %v", what, err)
	return errExcused
}

var errExcused = errors.New("failed while a fault was under way")

func (l *crashLoad) fail(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.unexpected = append(l.unexpected, fmt.Sprintf(format, args...))
}

// run keeps the load going while it injects crashFaults faults, each after a random
// stretch of load, then stops it and checks the log.
func (l *crashLoad) run(t *testing.T, fault func(i int)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, r := range l.resets {
		wg.Add(1)
		go func() { defer wg.Done(); l.resetLoop(ctx, r) }()
	}
	for w := range 2 {
		wg.Add(2)
		go func() { defer wg.Done(); l.signUpLoop(ctx, w) }()
		go func() { defer wg.Done(); l.signInLoop(ctx, fmt.Sprintf("signin%d", w)) }()
	}
	seed := rand.Uint64()
	rnd := rand.New(rand.NewPCG(seed, 0))
	t.Logf("fault moments from seed %d", seed)
	for i := range crashFaults {
		// A stretch of load: at least 20 successful requests, then 0–1.5 s more.
		for n := l.ok.Load() + 20; l.ok.Load() < n; {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(rnd.Int64N(int64(1500 * time.Millisecond))))
		l.gen.Add(1)
		fault(i)
		l.gen.Add(1)
	}
	for n := l.ok.Load() + 20; l.ok.Load() < n; {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	l.check(t)
}

// waitReady waits until the server answers a request, for up to 10 s.
func (l *crashLoad) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := l.client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(l.pool)})
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no answer 10s after the fault: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// resetLoop resets r's password again and again: ForgotPassword, the code from the inbox,
// ConfirmForgotPassword, and the same code once more, which must not work.
func (l *crashLoad) resetLoop(ctx context.Context, r *crashResetter) {
	for k := 0; ctx.Err() == nil; k++ {
		l.mu.Lock()
		r.forgotTried++
		l.mu.Unlock()
		err := l.do("ForgotPassword", func() error {
			_, err := l.client.ForgotPassword(bg, &cip.ForgotPasswordInput{ClientId: aws.String(l.app), Username: aws.String(r.name)})
			return err
		})
		if err != nil {
			if err != errExcused {
				l.fail("ForgotPassword %s: %v", r.name, err)
			}
			continue
		}
		l.mu.Lock()
		r.forgotAcked++
		l.mu.Unlock()
		var code string
		if l.do("GET /_cognate/messages", func() error {
			c, err := l.newestCode(r.name, "CustomMessage_ForgotPassword")
			code = c
			return err
		}) != nil {
			continue
		}
		password := fmt.Sprintf("%s%d", crashPassword, k)
		confirm := func(code, password string) error {
			_, err := l.client.ConfirmForgotPassword(bg, &cip.ConfirmForgotPasswordInput{ClientId: aws.String(l.app),
				Username: aws.String(r.name), ConfirmationCode: aws.String(code), Password: aws.String(password)})
			return err
		}
		l.mu.Lock()
		r.maybe = append(r.maybe, password)
		l.mu.Unlock()
		err = l.do("ConfirmForgotPassword", func() error { return confirm(code, password) })
		switch {
		case err == errExcused:
			continue
		case err != nil:
			l.fail("ConfirmForgotPassword %s with the code just sent: %v", r.name, err)
			continue
		}
		l.mu.Lock()
		r.password, r.maybe, r.used, r.resets = password, nil, append(r.used, code), r.resets+1
		l.mu.Unlock()
		switch err := l.do("ConfirmForgotPassword again", func() error { return confirm(code, password+"x") }); {
		case err == nil:
			l.fail("%s's code %s worked twice", r.name, code)
		case err == errExcused, isCode(err, "CodeMismatchException"), isCode(err, "ExpiredCodeException"):
		default:
			l.fail("ConfirmForgotPassword %s with a used code: %v", r.name, err)
		}
	}
}

// signUpLoop signs new users up, one after another.
func (l *crashLoad) signUpLoop(ctx context.Context, w int) {
	for k := 0; ctx.Err() == nil; k++ {
		name := fmt.Sprintf("new%d-%d", w, k)
		l.mu.Lock()
		l.signUps[name] = false
		l.mu.Unlock()
		err := l.do("SignUp", func() error {
			_, err := l.client.SignUp(bg, &cip.SignUpInput{ClientId: aws.String(l.app), Username: aws.String(name),
				Password: aws.String(crashPassword), UserAttributes: attributes("email", name+"@example.com")})
			return err
		})
		switch {
		case err == nil:
			l.mu.Lock()
			l.signUps[name] = true
			l.mu.Unlock()
		case err != errExcused:
			l.fail("SignUp %s: %v", name, err)
		}
	}
}

// signInLoop signs a user in again and again.
func (l *crashLoad) signInLoop(ctx context.Context, name string) {
	for ctx.Err() == nil {
		err := l.do("InitiateAuth", func() error {
			_, err := l.client.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(l.app), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
				AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": crashPassword}})
			return err
		})
		if err != nil && err != errExcused {
			l.fail("InitiateAuth %s: %v", name, err)
		}
	}
}

// crashCode finds the code in a message.
var crashCode = regexp.MustCompile(`\b[0-9]{6}\b`)

// inbox reads the pool's messages, newest first, optionally of one user.
func (l *crashLoad) inbox(username string) ([]inboxMessage, error) {
	q := url.Values{"UserPoolId": {l.pool}}
	if username != "" {
		q.Set("Username", username)
	}
	resp, err := l.http.Get(l.url + "/_cognate/messages?" + q.Encode())
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &smithy.GenericAPIError{Code: "InternalErrorException", Message: resp.Status}
	}
	var out struct{ Messages []inboxMessage }
	if err := json.UnmarshalRead(resp.Body, &out); err != nil {
		return nil, err
	}
	return out.Messages, nil
}

// newestCode is the code of the newest message of the trigger to the user.
func (l *crashLoad) newestCode(username, trigger string) (string, error) {
	msgs, err := l.inbox(username)
	if err != nil {
		return "", err
	}
	for _, m := range msgs {
		if m.TriggerSource == trigger {
			if c := crashCode.FindString(m.Body); c != "" {
				return c, nil
			}
		}
	}
	return "", fmt.Errorf("no %s message to %s", trigger, username)
}

// check holds the server's state against the client's log.
func (l *crashLoad) check(t *testing.T) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, u := range l.unexpected {
		t.Errorf("unexpected: %s", u)
	}

	// Every message goes out: wait until the outbox holds none queued.
	var msgs []inboxMessage
	deadline := time.Now().Add(30 * time.Second)
	for {
		var err error
		if msgs, err = l.inbox(""); err != nil {
			t.Fatal(err)
		}
		queued := 0
		for _, m := range msgs {
			if m.Status == "queued" {
				queued++
			}
		}
		if queued == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages still queued 30s after the load", queued)
		}
		time.Sleep(20 * time.Millisecond)
	}
	ids := map[string]bool{}
	perUser := map[string]map[string]int{} // username → trigger → messages
	for _, m := range msgs {
		if ids[m.MessageId] {
			t.Errorf("message %s listed twice", m.MessageId)
		}
		ids[m.MessageId] = true
		if m.Status != "delivered" && m.Status != "superseded" {
			t.Errorf("message %s to %s (%s) is %s, want delivered (or superseded by a newer code)", m.MessageId, m.Username, m.TriggerSource, m.Status)
		}
		if perUser[m.Username] == nil {
			perUser[m.Username] = map[string]int{}
		}
		perUser[m.Username][m.TriggerSource]++
	}

	resets, forgots := 0, 0
	for _, r := range l.resets {
		resets += r.resets
		forgots += r.forgotAcked
		// One message per ForgotPassword that took effect: every acknowledged one, and
		// perhaps those that were cut off.
		if n := perUser[r.name]["CustomMessage_ForgotPassword"]; n < r.forgotAcked || n > r.forgotTried {
			t.Errorf("%s: %d recovery messages for %d acknowledged and %d sent ForgotPassword requests", r.name, n, r.forgotAcked, r.forgotTried)
		}
		// The last acknowledged password, or one sent after it without an answer, signs in.
		signedIn := false
		for _, p := range append([]string{r.password}, r.maybe...) {
			if _, err := l.client.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(l.app), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
				AuthParameters: map[string]string{"USERNAME": r.name, "PASSWORD": p}}); err == nil {
				signedIn = true
				break
			}
		}
		if !signedIn {
			t.Errorf("%s: neither the last acknowledged password nor a later one signs in", r.name)
		}
		// No used code works again, after every fault.
		for _, c := range r.used {
			_, err := l.client.ConfirmForgotPassword(bg, &cip.ConfirmForgotPasswordInput{ClientId: aws.String(l.app),
				Username: aws.String(r.name), ConfirmationCode: aws.String(c), Password: aws.String(crashPassword + "!")})
			if err == nil {
				t.Errorf("%s: the used code %s worked again at the end", r.name, c)
				break
			}
		}
	}

	acked, cut := 0, 0
	var missing []string
	for name, ok := range l.signUps {
		n := perUser[name]["CustomMessage_SignUp"]
		_, err := l.client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(l.pool), Username: aws.String(name)})
		switch {
		case ok:
			acked++
			if err != nil {
				missing = append(missing, name)
			}
			if n != 1 {
				t.Errorf("%s: %d sign-up messages for an acknowledged SignUp, want 1", name, n)
			}
		case err == nil:
			cut++ // cut off, but it took effect: it must have its message
			if n != 1 {
				t.Errorf("%s: %d sign-up messages for a SignUp that took effect, want 1", name, n)
			}
		case n != 0:
			t.Errorf("%s: %d sign-up messages for a SignUp that did not take effect", name, n)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("acknowledged sign-ups lost: %v", missing)
	}
	t.Logf("%d requests answered, %d failed during faults; %d resets (of %d acknowledged ForgotPassword) and %d sign-ups acknowledged, %d more took effect unanswered; %d messages, each once",
		l.ok.Load(), l.excused.Load(), resets, forgots, acked, cut, len(msgs))
	if resets == 0 || acked == 0 {
		t.Errorf("the load made no progress")
	}
}
