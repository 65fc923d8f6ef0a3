package userpool_test

// Delivery at the domain level: the outbox, the dispatcher and fail-fast mode, on a real
// SQLite store with a settable clock and a fake Sender that the tests script. The
// end-to-end counterparts, against real SMTP, SNS and webhook servers, are in
// cmd/cognate/delivery_e2e_test.go.

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"cognate/internal/sqlite"
	"cognate/internal/userpool"
)

// obClock is a settable clock.
type obClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *obClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *obClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// obSent is one message a Sender took (its Send returned nil).
type obSent struct {
	ID, To, Body string
}

// obSender is a scriptable fake channel. Each call to Send is numbered from 1 and given to
// script, whose answer Send returns; nil script (or a nil answer) means the message went out.
type obSender struct {
	mu     sync.Mutex
	calls  int
	sent   []obSent
	counts map[string]int // deliveries per MessageID
	script func(ctx context.Context, n int, m *userpool.Message) error
}

func (s *obSender) Send(ctx context.Context, m *userpool.Message) error {
	s.mu.Lock()
	s.calls++
	n, script := s.calls, s.script
	s.mu.Unlock()
	if script != nil {
		if err := script(ctx, n, m); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, obSent{ID: m.MessageID, To: m.Destination, Body: m.Body})
	if s.counts == nil {
		s.counts = map[string]int{}
	}
	s.counts[m.MessageID]++
	return nil
}

func (s *obSender) setScript(f func(ctx context.Context, n int, m *userpool.Message) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = f
}

func (s *obSender) delivered() []obSent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]obSent(nil), s.sent...)
}

func (s *obSender) callCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// obFixture is a service whose email channel is an obSender ("smtp"), on a real SQLite
// store, with a pool whose app client hides unknown users (PreventUserExistenceErrors
// ENABLED) and a user "jane" with a verified email and the password "Passw0rd!".
type obFixture struct {
	svc    *userpool.Service
	store  *sqlite.Store
	clock  *obClock
	sender *obSender
	pool   string
	client string
}

var obKey = []byte("0123456789abcdef0123456789abcdef")

func obp[T any](v T) *T { return &v }

var obCheap = userpool.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}

type obOptions struct {
	failFast bool
	wrap     func(*sqlite.Store) userpool.Store // wraps the fixture's SQLite store when set
}

func newOutboxFixture(t *testing.T, o obOptions) *obFixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, ":memory:", sqlite.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &obFixture{store: st, clock: &obClock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}, sender: &obSender{}}
	var store userpool.Store = st
	if o.wrap != nil {
		store = o.wrap(st)
	}
	f.svc = userpool.New(store, userpool.Options{
		Now: f.clock.now, Hasher: userpool.NewHasher(obCheap, 4), MasterKey: obKey,
		Email: userpool.Channel{Name: "smtp", Sender: f.sender}, FailFast: o.failFast,
	})
	f.pool, f.client = obPool(t, f.svc)
	obUser(t, f.svc, f.pool, "jane", "jane@example.com")
	return f
}

// obPool creates a pool that verifies email and an ENABLED app client.
func obPool(t *testing.T, svc *userpool.Service) (pool, client string) {
	t.Helper()
	ctx := context.Background()
	p, err := svc.CreateUserPool(ctx, &userpool.CreateUserPoolRequest{PoolName: obp("p"), AutoVerifiedAttributes: []string{"email"}})
	if err != nil {
		t.Fatal(err)
	}
	pool = *p.UserPool.Id
	c, err := svc.CreateUserPoolClient(ctx, &userpool.CreateUserPoolClientRequest{UserPoolId: &pool, ClientName: obp("c"),
		PreventUserExistenceErrors: obp("ENABLED"),
		ExplicitAuthFlows:          []string{"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	if err != nil {
		t.Fatal(err)
	}
	return pool, *c.UserPoolClient.ClientId
}

// obUser creates a confirmed user with a verified email, quietly.
func obUser(t *testing.T, svc *userpool.Service, pool, name, email string) {
	t.Helper()
	ctx := context.Background()
	if _, err := svc.AdminCreateUser(ctx, &userpool.AdminCreateUserRequest{UserPoolId: &pool, Username: obp(name),
		MessageAction: obp("SUPPRESS"), UserAttributes: []userpool.AttributeType{
			{Name: obp("email"), Value: obp(email)}, {Name: obp("email_verified"), Value: obp("true")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AdminSetUserPassword(ctx, &userpool.AdminSetUserPasswordRequest{UserPoolId: &pool, Username: obp(name),
		Password: obp("Passw0rd!"), Permanent: obp(true)}); err != nil {
		t.Fatal(err)
	}
}

func (f *obFixture) forgot(username string) error {
	_, err := f.svc.ForgotPassword(context.Background(), &userpool.ForgotPasswordRequest{ClientId: &f.client, Username: obp(username)})
	return err
}

func (f *obFixture) mustForgot(t *testing.T) {
	t.Helper()
	if err := f.forgot("jane"); err != nil {
		t.Fatalf("ForgotPassword: %v", err)
	}
}

func (f *obFixture) confirm(code, password string) error {
	_, err := f.svc.ConfirmForgotPassword(context.Background(), &userpool.ConfirmForgotPasswordRequest{ClientId: &f.client,
		Username: obp("jane"), ConfirmationCode: obp(code), Password: obp(password)})
	return err
}

// dispatch runs one dispatcher pass as owner and returns how many messages it handled.
func (f *obFixture) dispatch(t *testing.T, owner string) int {
	t.Helper()
	n, err := f.svc.Dispatch(context.Background(), owner)
	if err != nil {
		t.Fatalf("Dispatch(%s): %v", owner, err)
	}
	return n
}

// messages returns jane's messages, oldest first.
func (f *obFixture) messages(t *testing.T) []*userpool.Message {
	t.Helper()
	msgs, err := f.svc.Messages(context.Background(), userpool.MessageFilter{UserPoolID: f.pool, Username: "jane"})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
		msgs[i], msgs[j] = msgs[j], msgs[i]
	}
	return msgs
}

// only returns jane's one message.
func (f *obFixture) only(t *testing.T) *userpool.Message {
	t.Helper()
	msgs := f.messages(t)
	if len(msgs) != 1 {
		t.Fatalf("jane has %d messages, want 1", len(msgs))
	}
	return msgs[0]
}

var (
	obCodeBody  = regexp.MustCompile(`^Your password reset code is (\d{6})$`)
	obSixDigits = regexp.MustCompile(`\d{6}`)
)

// obCode is the code of a recovery message's body.
func obCode(t *testing.T, body string) string {
	t.Helper()
	m := obCodeBody.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("body %q is not a recovery message", body)
	}
	return m[1]
}

func obWantError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var e *userpool.Error
	if !errors.As(err, &e) || e.Code != code || e.Message != msg {
		t.Fatalf("error = %v, want %s: %s", err, code, msg)
	}
}

// obWantMessage checks a message's delivery record.
func obWantMessage(t *testing.T, m *userpool.Message, status string, attempts int) {
	t.Helper()
	if m.Status != status || m.Attempts != attempts {
		t.Fatalf("message %s: Status %q, Attempts %d (LastError %q), want %q, %d", m.MessageID, m.Status, m.Attempts, m.LastError, status, attempts)
	}
	if m.Channel != "smtp" {
		t.Errorf("message Channel = %q, want smtp", m.Channel)
	}
	if status != "queued" && (m.Body != "" || m.HTML != "") {
		t.Errorf("a %s message keeps its body %q: a real channel keeps no copy of a code", status, m.Body)
	}
}

const obDeliveryFailed = "Unable to deliver the verification code. Try again later."

// errConnRefused is what a channel answers while the server is down.
var errConnRefused = errors.New("email: 127.0.0.1:25: connect: dial tcp 127.0.0.1:25: connect: connection refused")

func TestOutboxMessageIsQueuedNotSentByTheRequest(t *testing.T) {
	f := newOutboxFixture(t, obOptions{})
	f.mustForgot(t)
	m := f.only(t)
	obWantMessage(t, m, "queued", 0)
	if m.Code == nil || m.Destination != "jane@example.com" || m.From != "no-reply@verificationemail.com" ||
		m.Subject != "Your verification code" || !obCodeBody.MatchString(m.Body) {
		t.Errorf("queued message = %+v", m)
	}
	if n := f.sender.callCount(); n != 0 {
		t.Fatalf("the request itself sent %d messages in queue mode", n)
	}
	if n := f.dispatch(t, "d"); n != 1 {
		t.Fatalf("Dispatch handled %d messages, want 1", n)
	}
	obWantMessage(t, f.only(t), "delivered", 1)
	sent := f.sender.delivered()
	if len(sent) != 1 || sent[0].ID != m.MessageID || sent[0].Body != m.Body || sent[0].To != "jane@example.com" {
		t.Fatalf("sent %+v, want the queued message once", sent)
	}
	if err := f.confirm(obCode(t, sent[0].Body), "N3w-Passw0rd!"); err != nil {
		t.Fatalf("the delivered code: %v", err)
	}
	f.clock.add(time.Hour)
	if n := f.dispatch(t, "d"); n != 0 {
		t.Errorf("a delivered message was dispatched again (%d)", n)
	}
}

// SMTP down for a while, then back: the message is retried with backoff and delivered
// exactly once, afterwards.
func TestOutboxRetriesWhileTheServerIsDown(t *testing.T) {
	f := newOutboxFixture(t, obOptions{})
	down := true
	var mu sync.Mutex
	f.sender.setScript(func(_ context.Context, _ int, m *userpool.Message) error {
		mu.Lock()
		defer mu.Unlock()
		if down {
			// A channel's error never carries the body, but if one did, the record must not.
			return fmt.Errorf("%w (while sending %q)", errConnRefused, m.Body)
		}
		return nil
	})
	f.mustForgot(t)
	id := f.only(t).MessageID

	backoffs := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
	for i, wait := range backoffs {
		if n := f.dispatch(t, "d"); n != 1 {
			t.Fatalf("pass %d handled %d messages, want 1", i+1, n)
		}
		m := f.only(t)
		obWantMessage(t, m, "queued", i+1)
		if !strings.Contains(m.LastError, "connection refused") {
			t.Errorf("LastError = %q, want the channel's error", m.LastError)
		}
		if obSixDigits.MatchString(m.LastError) || !strings.Contains(m.LastError, "[redacted]") {
			t.Errorf("LastError = %q carries the message body", m.LastError)
		}
		// Not due again before its backoff has passed.
		f.clock.add(wait - time.Microsecond)
		if n := f.dispatch(t, "d"); n != 0 {
			t.Fatalf("after attempt %d the message was retried before its %s backoff", i+1, wait)
		}
		f.clock.add(time.Microsecond)
	}
	mu.Lock()
	down = false
	mu.Unlock()
	if n := f.dispatch(t, "d"); n != 1 {
		t.Fatalf("the pass after the server came back handled %d messages", n)
	}
	m := f.only(t)
	obWantMessage(t, m, "delivered", len(backoffs)+1)
	if m.LastError != "" {
		t.Errorf("a delivered message keeps LastError %q", m.LastError)
	}
	f.clock.add(time.Hour)
	f.dispatch(t, "d")
	sent := f.sender.delivered()
	if len(sent) != 1 || sent[0].ID != id {
		t.Fatalf("delivered %+v, want message %s exactly once", sent, id)
	}
	if calls := f.sender.callCount(); calls != len(backoffs)+1 {
		t.Errorf("Send was called %d times, want %d", calls, len(backoffs)+1)
	}
}

// A server that hangs: the channel gives up when its own timeout runs out (as the SMTP
// sender does with --smtp-timeout) and the message is retried later.
func TestOutboxHangingSenderTimesOutAndIsRetried(t *testing.T) {
	f := newOutboxFixture(t, obOptions{})
	f.sender.setScript(func(ctx context.Context, n int, _ *userpool.Message) error {
		if n > 1 {
			return nil
		}
		ctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		<-ctx.Done() // the server never answers
		return fmt.Errorf("email: 127.0.0.1:25: EHLO: %w", ctx.Err())
	})
	f.mustForgot(t)
	start := time.Now()
	if n := f.dispatch(t, "d"); n != 1 {
		t.Fatalf("Dispatch handled %d messages", n)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("the pass took %s", d)
	}
	m := f.only(t)
	obWantMessage(t, m, "queued", 1)
	if !strings.Contains(m.LastError, "deadline exceeded") {
		t.Errorf("LastError = %q, want the timeout", m.LastError)
	}
	if len(f.sender.delivered()) != 0 {
		t.Fatal("a timed-out attempt counted as sent")
	}
	f.clock.add(time.Second)
	if n := f.dispatch(t, "d"); n != 1 {
		t.Fatalf("the retry pass handled %d messages", n)
	}
	obWantMessage(t, f.only(t), "delivered", 2)
	if sent := f.sender.delivered(); len(sent) != 1 || sent[0].ID != m.MessageID {
		t.Fatalf("sent %+v", sent)
	}
}

// A 4xx answer, then a 2xx: delivered once, on the second attempt.
func TestOutboxTransientThenSuccessDeliversOnce(t *testing.T) {
	f := newOutboxFixture(t, obOptions{})
	f.sender.setScript(func(_ context.Context, n int, _ *userpool.Message) error {
		if n == 1 {
			return errors.New("email: 127.0.0.1:25: RCPT TO: 451 4.3.0 Try again later")
		}
		return nil
	})
	f.mustForgot(t)
	f.dispatch(t, "d")
	m := f.only(t)
	obWantMessage(t, m, "queued", 1)
	if !strings.Contains(m.LastError, "451") {
		t.Errorf("LastError = %q", m.LastError)
	}
	f.clock.add(time.Second)
	f.dispatch(t, "d")
	obWantMessage(t, f.only(t), "delivered", 2)
	f.clock.add(24 * time.Hour)
	f.dispatch(t, "d")
	if sent := f.sender.delivered(); len(sent) != 1 {
		t.Fatalf("sent %d times, want once", len(sent))
	}
}

// A 5xx answer (ErrUndeliverable): given up at once, "failed", never retried.
func TestOutboxPermanentFailureIsNeverRetried(t *testing.T) {
	f := newOutboxFixture(t, obOptions{})
	f.sender.setScript(func(context.Context, int, *userpool.Message) error {
		return fmt.Errorf("%w: email: 127.0.0.1:25: RCPT TO: 550 5.1.1 No such user", userpool.ErrUndeliverable)
	})
	f.mustForgot(t)
	f.dispatch(t, "d")
	m := f.only(t)
	obWantMessage(t, m, "failed", 1)
	if !strings.Contains(m.LastError, "550") {
		t.Errorf("LastError = %q", m.LastError)
	}
	for range 5 {
		f.clock.add(time.Hour)
		if n := f.dispatch(t, "d"); n != 0 {
			t.Fatalf("a failed message was dispatched again")
		}
	}
	if calls := f.sender.callCount(); calls != 1 {
		t.Fatalf("Send called %d times, want 1", calls)
	}
}

// A channel that never comes back: the dispatcher gives up after ten attempts.
func TestOutboxGivesUpAfterTenAttempts(t *testing.T) {
	f := newOutboxFixture(t, obOptions{})
	f.sender.setScript(func(context.Context, int, *userpool.Message) error { return errConnRefused })
	// An invitation carries no code, so that it cannot expire while it is retried.
	if _, err := f.svc.AdminCreateUser(context.Background(), &userpool.AdminCreateUserRequest{UserPoolId: &f.pool,
		Username: obp("sam"), DesiredDeliveryMediums: []string{"EMAIL"}, UserAttributes: []userpool.AttributeType{
			{Name: obp("email"), Value: obp("sam@example.com")}}}); err != nil {
		t.Fatal(err)
	}
	for range 20 {
		f.dispatch(t, "d")
		f.clock.add(5 * time.Minute)
	}
	msgs, err := f.svc.Messages(context.Background(), userpool.MessageFilter{Username: "sam"})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("sam's messages: %v, %v", msgs, err)
	}
	obWantMessage(t, msgs[0], "failed", 10)
	if calls := f.sender.callCount(); calls != 10 {
		t.Fatalf("Send called %d times, want 10", calls)
	}
}

// The dispatcher dies between the send and its record (FinishMessage never happens): the
// message's lease runs out and another pass sends it again: at most one duplicate, with the
// same MessageID, so that a receiver can spot it.
func TestOutboxDispatcherKilledBetweenSendAndRecord(t *testing.T) {
	t.Run("claimed_and_sent_by_hand", func(t *testing.T) {
		f := newOutboxFixture(t, obOptions{})
		f.mustForgot(t)
		ctx := context.Background()
		claimed, err := f.store.ClaimMessages(ctx, "dead", f.clock.now(), time.Minute, 16)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("ClaimMessages: %d, %v", len(claimed), err)
		}
		if err := f.sender.Send(ctx, claimed[0]); err != nil {
			t.Fatal(err)
		}
		// ... and the process dies here.
		if n := f.dispatch(t, "d"); n != 0 {
			t.Fatal("a message was taken while another dispatcher held its lease")
		}
		f.clock.add(time.Minute - time.Microsecond)
		if n := f.dispatch(t, "d"); n != 0 {
			t.Fatal("a message was taken before its lease ran out")
		}
		f.clock.add(time.Microsecond)
		if n := f.dispatch(t, "d"); n != 1 {
			t.Fatalf("after the lease ran out Dispatch handled %d messages, want 1", n)
		}
		obWantMessage(t, f.only(t), "delivered", 1)
		f.clock.add(30 * time.Minute)
		f.dispatch(t, "d")
		sent := f.sender.delivered()
		if len(sent) != 2 || sent[0].ID != claimed[0].MessageID || sent[1].ID != claimed[0].MessageID || sent[0].Body != sent[1].Body {
			t.Fatalf("sent %+v, want the message twice (one duplicate), with one MessageID", sent)
		}
		// The dead owner's late record is refused: the outcome of the live one stands.
		claimed[0].Status = "failed"
		if err := f.store.FinishMessage(ctx, claimed[0], "dead"); !errors.Is(err, userpool.ErrConflict) {
			t.Fatalf("FinishMessage by an owner that lost its lease = %v, want ErrConflict", err)
		}
		obWantMessage(t, f.only(t), "delivered", 1)
		if err := f.confirm(obCode(t, sent[1].Body), "N3w-Passw0rd!"); err != nil {
			t.Fatalf("the code: %v", err)
		}
	})

	t.Run("context_cancelled_after_send", func(t *testing.T) {
		f := newOutboxFixture(t, obOptions{})
		f.mustForgot(t)
		ctx, kill := context.WithCancel(context.Background())
		f.sender.setScript(func(_ context.Context, n int, _ *userpool.Message) error {
			if n == 1 {
				kill() // the message is out; the process is stopped before it records that
			}
			return nil
		})
		if _, err := f.svc.Dispatch(ctx, "dying"); err == nil {
			t.Log("Dispatch with its context cancelled after the send returned no error")
		}
		m := f.only(t)
		if m.Status != "queued" {
			t.Fatalf("Status %q after a pass that could not record: want queued", m.Status)
		}
		if n := f.dispatch(t, "d"); n != 0 {
			t.Fatal("the message was retaken while its lease stood")
		}
		f.clock.add(time.Minute)
		if n := f.dispatch(t, "d"); n != 1 {
			t.Fatalf("Dispatch handled %d messages after the lease ran out", n)
		}
		obWantMessage(t, f.only(t), "delivered", 1)
		f.clock.add(time.Hour)
		f.dispatch(t, "d")
		sent := f.sender.delivered()
		if len(sent) != 2 || sent[0].ID != m.MessageID || sent[1].ID != m.MessageID {
			t.Fatalf("sent %+v, want message %s twice", sent, m.MessageID)
		}
	})
}

// Two ForgotPassword before the dispatcher runs: the first message's code was replaced, so
// it is "superseded" and never sent; the second is delivered and its code works.
func TestOutboxSupersededCodeIsNeverSent(t *testing.T) {
	f := newOutboxFixture(t, obOptions{})
	f.mustForgot(t)
	f.clock.add(time.Second)
	f.mustForgot(t)
	msgs := f.messages(t)
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want 2", len(msgs))
	}
	first, second := msgs[0], msgs[1]
	firstCode := obCode(t, first.Body)
	if n := f.dispatch(t, "d"); n != 2 {
		t.Fatalf("Dispatch handled %d messages, want 2", n)
	}
	msgs = f.messages(t)
	obWantMessage(t, msgs[0], "superseded", 0)
	obWantMessage(t, msgs[1], "delivered", 1)
	sent := f.sender.delivered()
	if len(sent) != 1 || sent[0].ID != second.MessageID {
		t.Fatalf("sent %+v, want only the second message %s", sent, second.MessageID)
	}
	if code := obCode(t, sent[0].Body); code != firstCode { // (one chance in a million that they match)
		obWantError(t, f.confirm(firstCode, "N3w-Passw0rd!"), "CodeMismatchException", "Invalid verification code provided, please try again.")
	}
	if err := f.confirm(obCode(t, sent[0].Body), "N3w-Passw0rd!"); err != nil {
		t.Fatalf("the delivered code: %v", err)
	}
	f.clock.add(time.Hour)
	f.dispatch(t, "d")
	if calls := f.sender.callCount(); calls != 1 {
		t.Fatalf("Send called %d times, want 1", calls)
	}
}

// A code that expired before the dispatcher got to it is never sent.
func TestOutboxExpiredCodeIsNeverSent(t *testing.T) {
	f := newOutboxFixture(t, obOptions{})
	f.mustForgot(t)
	f.clock.add(time.Hour)
	if n := f.dispatch(t, "d"); n != 1 {
		t.Fatalf("Dispatch handled %d messages", n)
	}
	obWantMessage(t, f.only(t), "expired", 0)
	if calls := f.sender.callCount(); calls != 0 {
		t.Fatalf("an expired code was sent (%d calls)", calls)
	}

	// A second short of the hour, it still goes.
	f.mustForgot(t)
	f.clock.add(time.Hour - time.Second)
	f.dispatch(t, "d")
	msgs := f.messages(t)
	obWantMessage(t, msgs[len(msgs)-1], "delivered", 1)
}

// The built-in inbox needs no dispatcher: its messages are delivered as they are written.
func TestOutboxInboxChannelNeedsNoDispatch(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, ":memory:", sqlite.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := userpool.New(st, userpool.Options{Hasher: userpool.NewHasher(obCheap, 4)})
	pool, client := obPool(t, svc)
	obUser(t, svc, pool, "jane", "jane@example.com")
	if _, err := svc.ForgotPassword(ctx, &userpool.ForgotPasswordRequest{ClientId: &client, Username: obp("jane")}); err != nil {
		t.Fatal(err)
	}
	msgs, _ := svc.Messages(ctx, userpool.MessageFilter{UserPoolID: pool})
	if len(msgs) != 1 || msgs[0].Channel != "inbox" || msgs[0].Status != "delivered" || !obCodeBody.MatchString(msgs[0].Body) {
		t.Fatalf("inbox messages = %+v", msgs)
	}
	if n, err := svc.Dispatch(ctx, "d"); n != 0 || err != nil {
		t.Fatalf("Dispatch = %d, %v; want nothing to do", n, err)
	}
}

// Fail-fast: the request makes the one attempt; a failure answers
// CodeDeliveryFailureException and the message is "failed", never sent later. After three
// failures the channel's breaker opens, and a request for an unknown user fails the same
// way, so that the answer does not tell users apart.
func TestOutboxFailFastAndBreaker(t *testing.T) {
	f := newOutboxFixture(t, obOptions{failFast: true})
	var mu sync.Mutex
	failing := true
	f.sender.setScript(func(_ context.Context, n int, _ *userpool.Message) error {
		mu.Lock()
		defer mu.Unlock()
		if !failing {
			return nil
		}
		if n%2 == 0 { // a transient failure is final in fail-fast mode too
			return errors.New("email: 127.0.0.1:25: RCPT TO: 451 4.3.0 Try again later")
		}
		return fmt.Errorf("%w: email: RCPT TO: 550 5.1.1 No such user", userpool.ErrUndeliverable)
	})
	if err := f.forgot("ghost"); err != nil {
		t.Fatalf("an unknown user before any failure: %v, want the simulated answer", err)
	}
	for i := range 3 {
		obWantError(t, f.forgot("jane"), "CodeDeliveryFailureException", obDeliveryFailed)
		msgs := f.messages(t)
		if len(msgs) != i+1 {
			t.Fatalf("%d messages after %d requests", len(msgs), i+1)
		}
		obWantMessage(t, msgs[i], "failed", 1)
		f.clock.add(time.Second)
	}
	obWantError(t, f.forgot("ghost"), "CodeDeliveryFailureException", obDeliveryFailed)
	obWantError(t, f.forgot("ghost2"), "CodeDeliveryFailureException", obDeliveryFailed)

	// Failed messages are never sent later.
	mu.Lock()
	failing = false
	mu.Unlock()
	f.clock.add(2 * time.Hour)
	if n := f.dispatch(t, "d"); n != 0 {
		t.Fatalf("the dispatcher took %d failed messages", n)
	}
	if sent := f.sender.delivered(); len(sent) != 0 {
		t.Fatalf("failed messages were sent later: %+v", sent)
	}

	// The breaker closes after thirty seconds; a success keeps it closed.
	if err := f.forgot("ghost"); err != nil {
		t.Fatalf("an unknown user after the breaker closed: %v", err)
	}
	if err := f.forgot("jane"); err != nil {
		t.Fatalf("a delivery that works: %v", err)
	}
	msgs := f.messages(t)
	obWantMessage(t, msgs[len(msgs)-1], "delivered", 1)
	sent := f.sender.delivered()
	if len(sent) != 1 {
		t.Fatalf("sent %d", len(sent))
	}
	if err := f.confirm(obCode(t, sent[0].Body), "N3w-Passw0rd!"); err != nil {
		t.Fatalf("the code: %v", err)
	}
}

// obRacingStore runs race once, right after a code and its message are committed: what a
// dispatcher pass of the same process can do between a fail-fast request's write and its
// own claim.
type obRacingStore struct {
	userpool.Store
	mu   sync.Mutex
	race func()
}

func (s *obRacingStore) IssueCode(ctx context.Context, is *userpool.CodeIssue) (int, error) {
	refused, err := s.Store.IssueCode(ctx, is)
	if err != nil || refused >= 0 || is.Message == nil {
		return refused, err
	}
	s.mu.Lock()
	race := s.race
	s.race = nil
	s.mu.Unlock()
	if race != nil {
		race()
	}
	return refused, nil
}

// In fail-fast mode the dispatcher runs too (serve starts it whatever the mode). A message
// the request has written is queued and due at once, so a dispatcher pass can claim it
// before the request does, and still be sending it when the request comes to claim it.
// The request must still answer as fail-fast promises: delivered (success), or
// CodeDeliveryFailureException with the message given up and never delivered later.
func TestOutboxFailFastMessageIsNotTakenByTheDispatcher(t *testing.T) {
	for _, tc := range []struct {
		name       string
		background error // what the background pass's send answers
	}{
		{"background_send_succeeds", nil},
		{"background_send_fails_transiently", errors.New("email: 127.0.0.1:25: RCPT TO: 451 4.3.0 Try again later")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			racing := &obRacingStore{}
			f := newOutboxFixture(t, obOptions{failFast: true, wrap: func(st *sqlite.Store) userpool.Store {
				racing.Store = st
				return racing
			}})
			sending, release := make(chan struct{}), make(chan struct{})
			var racing1 atomic.Bool // set while only the background pass can be sending
			f.sender.setScript(func(_ context.Context, n int, _ *userpool.Message) error {
				if racing1.Load() { // the background pass's send: slow
					close(sending)
					<-release
					return tc.background
				}
				return nil
			})
			done, dispatched := make(chan error, 1), make(chan struct{})
			racing.race = func() {
				racing1.Store(true)
				defer racing1.Store(false)
				go func() {
					_, err := f.svc.Dispatch(context.Background(), "background")
					done <- err
					close(dispatched)
				}()
				// Either the pass takes the message and is sending it, or it finds nothing
				// it may take and ends.
				select {
				case <-sending:
				case <-dispatched:
				}
			}
			err := f.forgot("jane")
			close(release)
			if err := <-done; err != nil {
				t.Errorf("background Dispatch: %v", err)
			}
			f.clock.add(10 * time.Minute)
			f.dispatch(t, "d")
			m := f.only(t)
			sent := f.sender.delivered()
			var e *userpool.Error
			switch {
			case err == nil:
				if m.Status != "delivered" || len(sent) != 1 {
					t.Errorf("ForgotPassword succeeded but the message is %q, sent %d times", m.Status, len(sent))
				}
			case errors.As(err, &e) && e.Code == "CodeDeliveryFailureException":
				if m.Status != "failed" || len(sent) != 0 {
					t.Errorf("ForgotPassword failed but the message went on: Status %q, Attempts %d, sent %d times", m.Status, m.Attempts, len(sent))
				}
			default:
				t.Errorf("ForgotPassword whose message a dispatcher pass was sending = %v (%T), want success or CodeDeliveryFailureException; the message then became %q and was sent %d times",
					err, err, m.Status, len(sent))
			}
		})
	}
}

// obDispatchAll runs one dispatcher loop as owner until no message of the pool is queued.
func obDispatchAll(ctx context.Context, svc *userpool.Service, store userpool.Store, pool, owner string) error {
	for {
		n, err := svc.Dispatch(ctx, owner)
		if err != nil {
			return fmt.Errorf("%s: Dispatch: %w", owner, err)
		}
		if n > 0 {
			continue
		}
		msgs, err := store.ListMessages(ctx, userpool.MessageFilter{UserPoolID: pool})
		if err != nil {
			return fmt.Errorf("%s: %w", owner, err)
		}
		queued := 0
		for _, m := range msgs {
			if m.Status == "queued" {
				queued++
			}
		}
		if queued == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %d messages still queued: %w", owner, queued, ctx.Err())
		case <-time.After(time.Millisecond):
		}
	}
}

// Two dispatchers on one store never deliver a row twice: one SQLite file opened twice (two
// connection pools, as two processes would have), a service on each with the same master
// key, 1,000 queued invitations, and both services dispatching at once, two loops each.
func TestDispatchTwoProcessesDeliverEachMessageOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cognate.db")
	opts := sqlite.DefaultOptions()
	opts.Synchronous = "OFF" // durability is not under test; the locking is the same
	open := func() *sqlite.Store {
		st, err := sqlite.Open(ctx, path, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	clock := &obClock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	stores := []*sqlite.Store{open(), open()}
	// Each send takes a little while, as a real one does, so that the passes overlap.
	slowish := func(context.Context, int, *userpool.Message) error { time.Sleep(100 * time.Microsecond); return nil }
	senders := []*obSender{{script: slowish}, {script: slowish}}
	var svcs []*userpool.Service
	for i, st := range stores {
		svcs = append(svcs, userpool.New(st, userpool.Options{Now: clock.now, Hasher: userpool.NewHasher(obCheap, 8),
			MasterKey: obKey, Email: userpool.Channel{Name: "smtp", Sender: senders[i]}}))
	}
	pool, _ := obPool(t, svcs[0])

	const total = 1000
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, total)
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < total; i += 8 {
				name := fmt.Sprintf("user%04d", i)
				if _, err := svcs[w%2].AdminCreateUser(ctx, &userpool.AdminCreateUserRequest{UserPoolId: &pool, Username: obp(name),
					TemporaryPassword: obp("Temp-Passw0rd!"), DesiredDeliveryMediums: []string{"EMAIL"},
					UserAttributes: []userpool.AttributeType{{Name: obp("email"), Value: obp(name + "@example.com")}}}); err != nil {
					errs <- fmt.Errorf("AdminCreateUser %s: %w", name, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	queued, err := stores[1].ListMessages(ctx, userpool.MessageFilter{UserPoolID: pool})
	if err != nil || len(queued) != total {
		t.Fatalf("%d messages queued (%v), want %d", len(queued), err, total)
	}
	t.Logf("queued %d invitations in %s", total, time.Since(start))

	start = time.Now()
	dctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	derrs := make(chan error, 4)
	for i, svc := range svcs {
		for j := range 2 {
			owner := fmt.Sprintf("process%d-loop%d", i, j)
			wg.Go(func() { derrs <- obDispatchAll(dctx, svc, stores[i], pool, owner) })
		}
	}
	wg.Wait()
	close(derrs)
	for err := range derrs {
		if err != nil {
			t.Error(err)
		}
	}
	t.Logf("dispatched in %s", time.Since(start))

	counts := map[string]int{}
	for _, s := range senders {
		for id, n := range s.counts {
			counts[id] += n
		}
	}
	msgs, err := stores[0].ListMessages(ctx, userpool.MessageFilter{UserPoolID: pool})
	if err != nil {
		t.Fatal(err)
	}
	twice := 0
	for _, m := range msgs {
		if m.Status != "delivered" || m.Attempts != 1 {
			t.Errorf("message %s: Status %q, Attempts %d", m.MessageID, m.Status, m.Attempts)
		}
		switch n := counts[m.MessageID]; {
		case n == 0:
			t.Errorf("message %s was never sent", m.MessageID)
		case n > 1:
			twice++
			if twice <= 5 {
				t.Errorf("message %s was sent %d times", m.MessageID, n)
			}
		}
	}
	if twice > 0 {
		t.Errorf("%d messages were sent more than once", twice)
	}
	if len(counts) != total {
		t.Errorf("%d distinct messages sent, want %d", len(counts), total)
	}
	t.Logf("process 0 sent %d, process 1 sent %d", len(senders[0].counts), len(senders[1].counts))
	if len(senders[0].counts) == 0 || len(senders[1].counts) == 0 {
		t.Errorf("one process sent nothing (%d, %d): the dispatchers did not run side by side", len(senders[0].counts), len(senders[1].counts))
	}
}

// A dispatcher pass leases a batch of up to sixteen messages for one minute and sends them
// one after another. When sends are slow (a tarpitting server, each send within the SMTP
// timeout of 10 s), the later messages of the batch are still being sent after their lease
// has run out, when another dispatcher may have taken and sent them: a duplicate with no
// crash at all. A dispatcher must not send a message whose lease it no longer holds.
func TestDispatchSlowBatchDoesNotOutliveItsLease(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, ":memory:", sqlite.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	clock := &obClock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	slow, other := &obSender{}, &obSender{}
	svcA := userpool.New(st, userpool.Options{Now: clock.now, Hasher: userpool.NewHasher(obCheap, 4), MasterKey: obKey,
		Email: userpool.Channel{Name: "smtp", Sender: slow}})
	svcB := userpool.New(st, userpool.Options{Now: clock.now, Hasher: userpool.NewHasher(obCheap, 4), MasterKey: obKey,
		Email: userpool.Channel{Name: "smtp", Sender: other}})
	pool, _ := obPool(t, svcA)
	const batch = 16
	for i := range batch {
		name := fmt.Sprintf("user%02d", i)
		if _, err := svcA.AdminCreateUser(ctx, &userpool.AdminCreateUserRequest{UserPoolId: &pool, Username: obp(name),
			TemporaryPassword: obp("Temp-Passw0rd!"), DesiredDeliveryMediums: []string{"EMAIL"},
			UserAttributes: []userpool.AttributeType{{Name: obp("email"), Value: obp(name + "@example.com")}}}); err != nil {
			t.Fatal(err)
		}
	}
	slow.setScript(func(_ context.Context, n int, _ *userpool.Message) error {
		clock.add(9 * time.Second) // each send takes 9 s, within the default 10 s timeout
		if n == 7 {
			// 63 s after A's claim: the other process's dispatcher makes its pass.
			if _, err := svcB.Dispatch(ctx, "B"); err != nil {
				t.Errorf("B: %v", err)
			}
		}
		return nil
	})
	if _, err := svcA.Dispatch(ctx, "A"); err != nil {
		t.Fatalf("A: %v", err)
	}
	dup := 0
	for id := range slow.counts {
		if other.counts[id] > 0 {
			dup++
		}
	}
	if dup > 0 {
		t.Errorf("%d of %d messages were sent by both dispatchers, without any crash: A went on sending messages whose one-minute lease had run out (A sent %d, B sent %d)",
			dup, batch, len(slow.counts), len(other.counts))
	}
}
