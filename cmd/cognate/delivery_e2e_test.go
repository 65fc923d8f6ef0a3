package main

// Delivery for real: cognate started with --smtp-url against a real SMTP server (emersion's
// go-smtp on a loopback port, plain and STARTTLS), with --sms-provider sns against a fake SNS
// endpoint and with --sms-provider webhook against a receiver that checks the signature, in
// queue mode (the dispatcher delivers) and in fail-fast mode (the request delivers). The
// domain-level fault tests, with a settable clock, are in internal/userpool/outbox_test.go.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/emersion/go-smtp"
	"github.com/go-json-experiment/json"
	"github.com/google/go-cmp/cmp"

	"cognate/internal/sms"
)

// ---- a real SMTP server, controllable ----

// dlvMail is one message the test SMTP server accepted.
type dlvMail struct {
	From string
	To   []string
	Data []byte
	TLS  bool
}

// dlvSMTP is a go-smtp server on a loopback port. rcpt, when set, answers each RCPT TO (n
// counts them from 1); hang makes new connections get a greeting and then silence; drop
// makes that many DATA commands end with the connection cut mid-message.
type dlvSMTP struct {
	Addr string
	hang atomic.Bool
	drop atomic.Int32

	mu      sync.Mutex
	rcpt    func(n int) error
	rcpts   int
	conns   int
	dropped int
	mails   []dlvMail
}

func (d *dlvSMTP) NewSession(c *smtp.Conn) (smtp.Session, error) { return &dlvSession{d: d, c: c}, nil }

func (d *dlvSMTP) setRcpt(f func(n int) error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.rcpt = f
}

// counts returns how many connections, RCPT TOs and messages the server has seen.
func (d *dlvSMTP) counts() (conns, rcpts int, mails []dlvMail) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.conns, d.rcpts, append([]dlvMail(nil), d.mails...)
}

// waitMails waits until the server has accepted n messages, and returns them.
func (d *dlvSMTP) waitMails(t testing.TB, n int) []dlvMail {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, _, mails := d.counts()
		if len(mails) >= n {
			return mails
		}
		if time.Now().After(deadline) {
			t.Fatalf("the SMTP server got %d messages in 10s, want %d", len(mails), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type dlvSession struct {
	d   *dlvSMTP
	c   *smtp.Conn
	cur dlvMail
}

func (s *dlvSession) Mail(from string, _ *smtp.MailOptions) error { s.cur.From = from; return nil }

func (s *dlvSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.d.mu.Lock()
	s.d.rcpts++
	n, f := s.d.rcpts, s.d.rcpt
	s.d.mu.Unlock()
	if f != nil {
		if err := f(n); err != nil {
			return err
		}
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *dlvSession) Data(r io.Reader) error {
	if s.d.drop.Add(-1) >= 0 {
		// Part of the message arrives, then the connection is gone: never a 250.
		io.ReadFull(r, make([]byte, 16))
		s.d.mu.Lock()
		s.d.dropped++
		s.d.mu.Unlock()
		s.c.Conn().Close()
		return errors.New("connection dropped mid-message")
	}
	s.d.drop.Store(0)
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = data
	_, s.cur.TLS = s.c.TLSConnectionState()
	s.d.mu.Lock()
	s.d.mails = append(s.d.mails, s.cur)
	s.d.mu.Unlock()
	return nil
}

func (s *dlvSession) Reset()        { s.cur = dlvMail{} }
func (s *dlvSession) Logout() error { return nil }

// dlvChanListener hands go-smtp the connections the accept loop lets through.
type dlvChanListener struct {
	addr  net.Addr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (l *dlvChanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *dlvChanListener) Close() error   { l.once.Do(func() { close(l.done) }); return nil }
func (l *dlvChanListener) Addr() net.Addr { return l.addr }

// dlvStartSMTP runs the server on addr ("127.0.0.1:0" for any port) until the test ends,
// offering STARTTLS with tlsConfig when it is set.
func dlvStartSMTP(t testing.TB, addr string, tlsConfig *tls.Config) *dlvSMTP {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	d := &dlvSMTP{Addr: l.Addr().String()}
	inner := &dlvChanListener{addr: l.Addr(), conns: make(chan net.Conn), done: make(chan struct{})}
	srv := smtp.NewServer(d)
	srv.Domain = "mx.test"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.TLSConfig = tlsConfig
	go srv.Serve(inner)
	var (
		hungMu sync.Mutex
		hung   []net.Conn
	)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			d.mu.Lock()
			d.conns++
			d.mu.Unlock()
			if d.hang.Load() {
				hungMu.Lock()
				hung = append(hung, c)
				hungMu.Unlock()
				c.Write([]byte("220 mx.test ESMTP\r\n"))
				go io.Copy(io.Discard, c) // read EHLO and all that follows, answer nothing
				continue
			}
			select {
			case inner.conns <- c:
			case <-inner.done:
				c.Close()
				return
			}
		}
	}()
	t.Cleanup(func() {
		l.Close()
		srv.Close()
		inner.Close()
		hungMu.Lock()
		defer hungMu.Unlock()
		for _, c := range hung {
			c.Close()
		}
	})
	return d
}

// dlvClosedAddr returns a loopback address on which nothing listens (yet).
func dlvClosedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// dlvPKI makes a CA and a certificate for 127.0.0.1 signed by it; it returns the server's
// TLS config and the path of a PEM file holding the CA, for --smtp-ca-file.
func dlvPKI(t testing.TB) (*tls.Config, string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "cognate delivery test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true, IsCA: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "mx.test"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &leafKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{leafDER, caDER}, PrivateKey: leafKey}},
		MinVersion:   tls.VersionTLS12,
	}, caFile
}

// ---- a fake SNS endpoint and a webhook receiver ----

// dlvPublish is one SNS Publish call as the fake endpoint saw it.
type dlvPublish struct {
	Action, PhoneNumber, Message, ContentType, Authorization string
}

type dlvSNS struct {
	*httptest.Server
	mu    sync.Mutex
	calls []dlvPublish
}

func dlvStartSNS(t testing.TB) *dlvSNS {
	t.Helper()
	f := &dlvSNS{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.calls = append(f.calls, dlvPublish{Action: r.PostForm.Get("Action"), PhoneNumber: r.PostForm.Get("PhoneNumber"),
			Message: r.PostForm.Get("Message"), ContentType: r.Header.Get("Content-Type"), Authorization: r.Header.Get("Authorization")})
		f.mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, `<PublishResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
  <PublishResult><MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId></PublishResult>
  <ResponseMetadata><RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId></ResponseMetadata>
</PublishResponse>`)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *dlvSNS) recorded() []dlvPublish {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]dlvPublish(nil), f.calls...)
}

// dlvHook is one webhook POST, with the result of checking its signature.
type dlvHook struct {
	Payload   map[string]string
	MessageID string // X-Cognate-Message-Id
	SigErr    error
}

type dlvWebhook struct {
	*httptest.Server
	mu   sync.Mutex
	hits []dlvHook
}

func dlvStartWebhook(t testing.TB, secret string) *dlvWebhook {
	t.Helper()
	f := &dlvWebhook{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h := dlvHook{MessageID: r.Header.Get(sms.MessageIDHeader)}
		h.SigErr = sms.VerifySignature([]byte(secret), r.Header.Get(sms.SignatureHeader), body, time.Now(), 0)
		if err := json.Unmarshal(body, &h.Payload); err != nil {
			h.SigErr = fmt.Errorf("payload %s: %w", body, err)
		}
		f.mu.Lock()
		f.hits = append(f.hits, h)
		f.mu.Unlock()
		if h.SigErr != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *dlvWebhook) recorded() []dlvHook {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]dlvHook(nil), f.hits...)
}

// ---- cognate side ----

// dlvApp is a pool with an app client that hides unknown users (PreventUserExistenceErrors
// ENABLED) and allows USER_PASSWORD_AUTH.
type dlvApp struct {
	s      *testServer
	pool   string
	client string
}

const (
	dlvPassword    = "Passw0rd!"
	dlvNewPassword = "N3w-Passw0rd!"
	dlvFailed      = "Unable to deliver the verification code. Try again later."
)

func dlvSetup(t testing.TB, s *testServer, adjust func(*cip.CreateUserPoolInput)) *dlvApp {
	t.Helper()
	in := &cip.CreateUserPoolInput{PoolName: aws.String("delivery"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}}
	if adjust != nil {
		adjust(in)
	}
	a := &dlvApp{s: s, pool: createPool(t, s.Client, in)}
	c := must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(a.pool), ClientName: aws.String("app"),
		ExplicitAuthFlows:          []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled,
	}))(t)
	a.client = aws.ToString(c.UserPoolClient.ClientId)
	return a
}

// phoneRecovery makes a pool recover by verified phone number first.
func dlvPhoneRecovery(in *cip.CreateUserPoolInput) {
	in.AccountRecoverySetting = &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
		{Name: types.RecoveryOptionNameTypeVerifiedPhoneNumber, Priority: aws.Int32(1)},
		{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(2)},
	}}
}

// user creates a CONFIRMED user with the given attributes and the password dlvPassword.
func (a *dlvApp) user(t testing.TB, name string, attrs ...string) {
	t.Helper()
	createUser(t, a.s.Client, a.pool, name, attrs...)
	must(a.s.Client.AdminSetUserPassword(bg, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(a.pool),
		Username: aws.String(name), Password: aws.String(dlvPassword), Permanent: true}))(t)
}

func (a *dlvApp) forgot(name string) (*cip.ForgotPasswordOutput, error) {
	return a.s.Client.ForgotPassword(bg, &cip.ForgotPasswordInput{ClientId: aws.String(a.client), Username: aws.String(name)})
}

// resetWith confirms the reset with code and signs in with the new password.
func (a *dlvApp) resetWith(t testing.TB, name, code string) {
	t.Helper()
	must(a.s.Client.ConfirmForgotPassword(bg, &cip.ConfirmForgotPasswordInput{ClientId: aws.String(a.client),
		Username: aws.String(name), ConfirmationCode: aws.String(code), Password: aws.String(dlvNewPassword)}))(t)
	out := must(a.s.Client.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(a.client),
		AuthFlow:       types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": dlvNewPassword}}))(t)
	if out.AuthenticationResult == nil || aws.ToString(out.AuthenticationResult.AccessToken) == "" {
		t.Fatalf("sign-in with the new password gave no tokens")
	}
}

// inbox returns the user's messages, newest first.
func (a *dlvApp) inbox(t testing.TB, name string) []inboxMessage {
	t.Helper()
	return a.s.messages(t, url.Values{"UserPoolId": {a.pool}, "Username": {name}}.Encode())
}

// waitMessage waits until the user's newest message satisfies ok, and returns it.
func (a *dlvApp) waitMessage(t testing.TB, name, what string, ok func(inboxMessage) bool) inboxMessage {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		msgs := a.inbox(t, name)
		if len(msgs) > 0 && ok(msgs[0]) {
			return msgs[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s's newest message is not %s after 10s: %+v", name, what, msgs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func dlvStatus(status string) func(inboxMessage) bool {
	return func(m inboxMessage) bool { return m.Status == status }
}

// dlvWantRecord checks a message's delivery record as the inbox API shows it.
func dlvWantRecord(t testing.TB, m inboxMessage, channel, status string, attempts int) {
	t.Helper()
	if m.Channel != channel || m.Status != status || (attempts >= 0 && m.Attempts != attempts) {
		t.Errorf("message %s: Channel %q, Status %q, Attempts %d (LastError %q); want %q, %q, %d",
			m.MessageId, m.Channel, m.Status, m.Attempts, m.LastError, channel, status, attempts)
	}
	if status != "queued" && (m.Body != "" || m.Html != "") {
		t.Errorf("a %s message on %s keeps its body %q: a real channel keeps no copy of the code", status, channel, m.Body)
	}
	if status == "delivered" && m.LastError != "" {
		t.Errorf("a delivered message keeps LastError %q", m.LastError)
	}
}

var dlvRecoveryBody = regexp.MustCompile(`^Your password reset code is (\d{6})$`)

// dlvCode is the code of a recovery message's text.
func dlvCode(t testing.TB, text string) string {
	t.Helper()
	m := dlvRecoveryBody.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("text %q is not a recovery message", text)
	}
	return m[1]
}

// dlvParse parses a mail as received and decodes its (quoted-printable) text.
func dlvParse(t testing.TB, data []byte) (*mail.Message, string) {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(string(data)))
	if err != nil {
		t.Fatalf("the mail does not parse: %v\n%s", err, data)
	}
	if ct := msg.Header.Get("Content-Type"); ct != "text/plain; charset=UTF-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	var body io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return msg, strings.TrimRight(string(text), "\r\n")
}

var dlvEmailDetails = &types.CodeDeliveryDetailsType{Destination: aws.String("j***@e***"),
	DeliveryMedium: types.DeliveryMediumTypeEmail, AttributeName: aws.String("email")}

// ---- SMTP ----

// ForgotPassword → a real SMTP server → ConfirmForgotPassword, end to end through the SDK,
// in clear text, over STARTTLS with a CA given by --smtp-ca-file, and with the pool's own
// sender (EmailConfiguration with EmailSendingAccount DEVELOPER).
func TestDeliverySMTP(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		tls       bool
		developer bool
	}{
		{name: "plain"},
		{name: "starttls", tls: true},
		{name: "developer_sender", developer: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var (
				serverTLS *tls.Config
				flags     []string
			)
			if tc.tls {
				var caFile string
				serverTLS, caFile = dlvPKI(t)
				flags = append(flags, "--smtp-ca-file", caFile, "--smtp-require-tls")
			}
			mx := dlvStartSMTP(t, "127.0.0.1:0", serverTLS)
			s := startServer(t, append(flags, "--smtp-url", "smtp://"+mx.Addr)...)
			a := dlvSetup(t, s, func(in *cip.CreateUserPoolInput) {
				if tc.developer {
					in.EmailConfiguration = &types.EmailConfigurationType{
						EmailSendingAccount: types.EmailSendingAccountTypeDeveloper,
						SourceArn:           aws.String("arn:aws:ses:us-east-1:000000000000:identity/acme.test"),
						From:                aws.String("Acme <noreply@acme.test>"),
						ReplyToEmailAddress: aws.String("help@acme.test"),
					}
				}
			})
			a.user(t, "jane", "email", "jane@example.com", "email_verified", "true")

			out := must(a.forgot("jane"))(t)
			if diff := cmp.Diff(dlvEmailDetails, out.CodeDeliveryDetails, exported); diff != "" {
				t.Errorf("CodeDeliveryDetails (-want +got):\n%s", diff)
			}
			got := mx.waitMails(t, 1)[0]
			rec := a.waitMessage(t, "jane", "delivered", dlvStatus("delivered"))
			dlvWantRecord(t, rec, "smtp", "delivered", 1)

			wantFrom, wantFromName, wantReplyTo := "no-reply@verificationemail.com", "", ""
			if tc.developer {
				wantFrom, wantFromName, wantReplyTo = "noreply@acme.test", "Acme", "help@acme.test"
			}
			if got.From != wantFrom || len(got.To) != 1 || got.To[0] != "jane@example.com" {
				t.Errorf("envelope MAIL FROM %q, RCPT TO %q; want %q, [jane@example.com]", got.From, got.To, wantFrom)
			}
			if got.TLS != tc.tls {
				t.Errorf("the message came over TLS: %t, want %t", got.TLS, tc.tls)
			}
			msg, text := dlvParse(t, got.Data)
			from, err := mail.ParseAddress(msg.Header.Get("From"))
			if err != nil || from.Address != wantFrom || from.Name != wantFromName {
				t.Errorf("From: %q (%v), want %q named %q", msg.Header.Get("From"), err, wantFrom, wantFromName)
			}
			if rt := msg.Header.Get("Reply-To"); wantReplyTo == "" && rt != "" {
				t.Errorf("Reply-To: %q, want none", rt)
			} else if wantReplyTo != "" {
				if addr, err := mail.ParseAddress(rt); err != nil || addr.Address != wantReplyTo {
					t.Errorf("Reply-To: %q, want %q", rt, wantReplyTo)
				}
			}
			if to, err := mail.ParseAddress(msg.Header.Get("To")); err != nil || to.Address != "jane@example.com" {
				t.Errorf("To: %q", msg.Header.Get("To"))
			}
			if subj := msg.Header.Get("Subject"); subj != "Your verification code" {
				t.Errorf("Subject: %q", subj)
			}
			if id := msg.Header.Get("Message-ID"); id != "<"+rec.MessageId+"@cognate>" {
				t.Errorf("Message-ID: %q, want <%s@cognate>", id, rec.MessageId)
			}
			if _, err := msg.Header.Date(); err != nil {
				t.Errorf("Date: %v", err)
			}
			wantRecFrom := "no-reply@verificationemail.com"
			if tc.developer {
				wantRecFrom = "Acme <noreply@acme.test>"
			}
			if rec.From != wantRecFrom || rec.ReplyTo != wantReplyTo || rec.Destination != "jane@example.com" ||
				rec.Subject != "Your verification code" || rec.DeliveryMedium != "EMAIL" || rec.TriggerSource != "CustomMessage_ForgotPassword" {
				t.Errorf("the inbox record = %+v", rec)
			}
			code := dlvCode(t, text)
			a.resetWith(t, "jane", code)

			_, rcpts, mails := mx.counts()
			if rcpts != 1 || len(mails) != 1 {
				t.Errorf("the server saw %d RCPT TO and %d messages, want 1 and 1", rcpts, len(mails))
			}
		})
	}
}

// The SMTP server is down (connection refused) for a while, then back: the message waits
// in the queue with its error and is delivered once, afterwards.
func TestDeliverySMTPServerDownThenBack(t *testing.T) {
	t.Parallel()
	addr := dlvClosedAddr(t)
	s := startServer(t, "--smtp-url", "smtp://"+addr)
	a := dlvSetup(t, s, nil)
	a.user(t, "jane", "email", "jane@example.com", "email_verified", "true")
	must(a.forgot("jane"))(t)

	m := a.waitMessage(t, "jane", "attempted", func(m inboxMessage) bool { return m.Attempts >= 1 })
	if m.Status != "queued" || !strings.Contains(m.LastError, "connection refused") {
		t.Errorf("while the server is down: Status %q, LastError %q; want queued, connection refused", m.Status, m.LastError)
	}
	if dlvDigits.MatchString(m.LastError) {
		t.Errorf("LastError %q may carry the code", m.LastError)
	}

	mx := dlvStartSMTP(t, addr, nil)
	m = a.waitMessage(t, "jane", "delivered", dlvStatus("delivered"))
	dlvWantRecord(t, m, "smtp", "delivered", -1)
	if m.Attempts < 2 {
		t.Errorf("Attempts %d, want at least 2", m.Attempts)
	}
	mails := mx.waitMails(t, 1)
	_, text := dlvParse(t, mails[0].Data)
	a.resetWith(t, "jane", dlvCode(t, text))
	if _, rcpts, mails := mx.counts(); rcpts != 1 || len(mails) != 1 {
		t.Errorf("the server saw %d RCPT TO and %d messages, want the message once", rcpts, len(mails))
	}
}

var dlvDigits = regexp.MustCompile(`\b\d{6}\b`)

// A server that greets and then hangs: the attempt ends at --smtp-timeout and the message
// is retried later (here, once the server answers again).
func TestDeliverySMTPHangTimesOut(t *testing.T) {
	t.Parallel()
	mx := dlvStartSMTP(t, "127.0.0.1:0", nil)
	mx.hang.Store(true)
	s := startServer(t, "--smtp-url", "smtp://"+mx.Addr, "--smtp-timeout", "300ms")
	a := dlvSetup(t, s, nil)
	a.user(t, "jane", "email", "jane@example.com", "email_verified", "true")
	must(a.forgot("jane"))(t)

	m := a.waitMessage(t, "jane", "attempted", func(m inboxMessage) bool { return m.Attempts >= 1 })
	if m.Status != "queued" || !(strings.Contains(m.LastError, "timeout") || strings.Contains(m.LastError, "deadline")) {
		t.Errorf("after a hung attempt: Status %q, LastError %q; want queued and a timeout", m.Status, m.LastError)
	}
	mx.hang.Store(false)
	m = a.waitMessage(t, "jane", "delivered", dlvStatus("delivered"))
	dlvWantRecord(t, m, "smtp", "delivered", -1)
	if m.Attempts < 2 {
		t.Errorf("Attempts %d, want at least 2", m.Attempts)
	}
	mails := mx.waitMails(t, 1)
	_, text := dlvParse(t, mails[0].Data)
	a.resetWith(t, "jane", dlvCode(t, text))
	if conns, _, mails := mx.counts(); len(mails) != 1 || conns < 2 {
		t.Errorf("the server saw %d connections and %d messages, want at least 2 and 1", conns, len(mails))
	}
}

// 451 first, then 250: delivered once, on the second attempt.
func TestDeliverySMTP4xxThen2xx(t *testing.T) {
	t.Parallel()
	mx := dlvStartSMTP(t, "127.0.0.1:0", nil)
	mx.setRcpt(func(n int) error {
		if n == 1 {
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
		}
		return nil
	})
	s := startServer(t, "--smtp-url", "smtp://"+mx.Addr)
	a := dlvSetup(t, s, nil)
	a.user(t, "jane", "email", "jane@example.com", "email_verified", "true")
	must(a.forgot("jane"))(t)

	m := a.waitMessage(t, "jane", "attempted", func(m inboxMessage) bool { return m.Attempts >= 1 })
	if m.Status != "queued" || m.Attempts != 1 || !strings.Contains(m.LastError, "451") {
		t.Errorf("after the 451: Status %q, Attempts %d, LastError %q", m.Status, m.Attempts, m.LastError)
	}
	m = a.waitMessage(t, "jane", "delivered", dlvStatus("delivered"))
	dlvWantRecord(t, m, "smtp", "delivered", 2)
	mails := mx.waitMails(t, 1)
	_, text := dlvParse(t, mails[0].Data)
	a.resetWith(t, "jane", dlvCode(t, text))
	if _, rcpts, mails := mx.counts(); rcpts != 2 || len(mails) != 1 {
		t.Errorf("the server saw %d RCPT TO and %d messages, want 2 and 1", rcpts, len(mails))
	}
}

// 550: given up at once, "failed", never retried.
func TestDeliverySMTP5xxGivesUp(t *testing.T) {
	t.Parallel()
	mx := dlvStartSMTP(t, "127.0.0.1:0", nil)
	mx.setRcpt(func(int) error {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	})
	s := startServer(t, "--smtp-url", "smtp://"+mx.Addr)
	a := dlvSetup(t, s, nil)
	a.user(t, "jane", "email", "jane@example.com", "email_verified", "true")
	must(a.forgot("jane"))(t)

	m := a.waitMessage(t, "jane", "failed", dlvStatus("failed"))
	dlvWantRecord(t, m, "smtp", "failed", 1)
	if !strings.Contains(m.LastError, "550") {
		t.Errorf("LastError %q, want the server's 550", m.LastError)
	}
	s.waitDispatcherPasses(t, 2) // a whole pass after the failure: it would have retried
	if _, rcpts, _ := mx.counts(); rcpts != 1 {
		t.Errorf("the server saw %d RCPT TO, want 1: a failed message was retried", rcpts)
	}
	dlvWantRecord(t, a.inbox(t, "jane")[0], "smtp", "failed", 1)
}

// Fail-fast against a server answering 550: ForgotPassword answers
// CodeDeliveryFailureException and the message is "failed", never sent later. After three
// such failures the breaker is open, and a ForgotPassword for an unknown user on an ENABLED
// client fails the same way: the answer does not tell users apart.
func TestDeliveryFailFastSMTP550AndBreaker(t *testing.T) {
	t.Parallel()
	mx := dlvStartSMTP(t, "127.0.0.1:0", nil)
	mx.setRcpt(func(int) error {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	})
	s := startServer(t, "--delivery", "fail-fast", "--smtp-url", "smtp://"+mx.Addr)
	a := dlvSetup(t, s, nil)
	a.user(t, "jane", "email", "jane@example.com", "email_verified", "true")

	// Before any failure, an unknown user gets the simulated answer.
	out := must(a.forgot("nobody@example.com"))(t)
	if out.CodeDeliveryDetails == nil {
		t.Fatal("no simulated CodeDeliveryDetails for an unknown user")
	}
	for i := range 3 {
		_, err := a.forgot("jane")
		wantErr[*types.CodeDeliveryFailureException](t, err, dlvFailed)
		msgs := a.inbox(t, "jane")
		if len(msgs) != i+1 {
			t.Fatalf("%d messages after %d requests", len(msgs), i+1)
		}
		dlvWantRecord(t, msgs[0], "smtp", "failed", 1)
		if !strings.Contains(msgs[0].LastError, "550") {
			t.Errorf("LastError %q", msgs[0].LastError)
		}
	}
	_, err := a.forgot("nobody@example.com")
	wantErr[*types.CodeDeliveryFailureException](t, err, dlvFailed)
	_, err = a.forgot("someone-else")
	wantErr[*types.CodeDeliveryFailureException](t, err, dlvFailed)

	s.waitDispatcherPasses(t, 2) // a whole pass after the failures: it would have sent them
	if _, rcpts, mails := mx.counts(); rcpts != 3 || len(mails) != 0 {
		t.Errorf("the server saw %d RCPT TO and %d messages, want 3 and 0: a failed message was sent later", rcpts, len(mails))
	}
	for _, m := range a.inbox(t, "jane") {
		dlvWantRecord(t, m, "smtp", "failed", 1)
	}
}

// ---- SMS ----

var dlvPhoneDetails = func(last4 string) *types.CodeDeliveryDetailsType {
	return &types.CodeDeliveryDetailsType{Destination: aws.String("+********" + last4),
		DeliveryMedium: types.DeliveryMediumTypeSms, AttributeName: aws.String("phone_number")}
}

// ForgotPassword by SMS through SNS: the fake endpoint records a signed, form-encoded
// Publish to the user's number carrying the code, and the code works.
func TestDeliverySNS(t *testing.T) {
	t.Parallel()
	sns := dlvStartSNS(t)
	s := startServer(t, "--sms-provider", "sns", "--sns-endpoint", sns.URL, "--sns-access-key-id", "x", "--sns-secret-access-key", "y")
	a := dlvSetup(t, s, dlvPhoneRecovery)
	a.user(t, "jane", "phone_number", "+15555550100", "phone_number_verified", "true",
		"email", "jane@example.com", "email_verified", "true")

	out := must(a.forgot("jane"))(t)
	if diff := cmp.Diff(dlvPhoneDetails("0100"), out.CodeDeliveryDetails, exported); diff != "" {
		t.Errorf("CodeDeliveryDetails (-want +got):\n%s", diff)
	}
	rec := a.waitMessage(t, "jane", "delivered", dlvStatus("delivered"))
	dlvWantRecord(t, rec, "sns", "delivered", 1)
	calls := sns.recorded()
	if len(calls) != 1 {
		t.Fatalf("SNS got %d calls, want 1: %+v", len(calls), calls)
	}
	c := calls[0]
	if c.Action != "Publish" || c.PhoneNumber != "+15555550100" || !strings.HasPrefix(c.ContentType, "application/x-www-form-urlencoded") {
		t.Errorf("SNS call = %+v, want a form-encoded Publish to +15555550100", c)
	}
	if !strings.Contains(c.Authorization, "Credential=x/") || !strings.Contains(c.Authorization, "/sns/aws4_request") {
		t.Errorf("Authorization %q, want a SigV4 signature by x for sns", c.Authorization)
	}
	a.resetWith(t, "jane", dlvCode(t, c.Message))
}

// ForgotPassword by SMS through the webhook: the receiver checks X-Cognate-Signature with
// sms.VerifySignature, and the code it got works.
func TestDeliveryWebhook(t *testing.T) {
	t.Parallel()
	const secret = "webhook-secret-0123456789"
	hook := dlvStartWebhook(t, secret)
	s := startServer(t, "--sms-provider", "webhook", "--sms-webhook-url", hook.URL+"/sms", "--sms-webhook-secret", secret)
	a := dlvSetup(t, s, dlvPhoneRecovery)
	a.user(t, "jane", "phone_number", "+15555550100", "phone_number_verified", "true")

	out := must(a.forgot("jane"))(t)
	if diff := cmp.Diff(dlvPhoneDetails("0100"), out.CodeDeliveryDetails, exported); diff != "" {
		t.Errorf("CodeDeliveryDetails (-want +got):\n%s", diff)
	}
	rec := a.waitMessage(t, "jane", "delivered", dlvStatus("delivered"))
	dlvWantRecord(t, rec, "webhook", "delivered", 1)
	hits := hook.recorded()
	if len(hits) != 1 {
		t.Fatalf("the webhook got %d POSTs, want 1", len(hits))
	}
	h := hits[0]
	if h.SigErr != nil {
		t.Fatalf("the receiver refused the POST: %v", h.SigErr)
	}
	if err := sms.VerifySignature([]byte("another-secret-0123456789"), "", nil, time.Now(), 0); err == nil {
		t.Fatal("VerifySignature accepts anything")
	}
	p := h.Payload
	if p["messageId"] != rec.MessageId || h.MessageID != rec.MessageId || p["to"] != "+15555550100" ||
		p["userPoolId"] != a.pool || p["username"] != "jane" || p["triggerSource"] != "CustomMessage_ForgotPassword" {
		t.Errorf("payload %v (X-Cognate-Message-Id %q), want message %s to +15555550100 for jane", p, h.MessageID, rec.MessageId)
	}
	a.resetWith(t, "jane", dlvCode(t, p["body"]))
}

// The SMS sandbox lets only verified numbers through: a message to another number is
// refused (CodeDeliveryFailureException in fail-fast mode; "failed" in queue mode, with the
// sandbox named in LastError), and one to a verified number is delivered.
func TestDeliverySMSSandbox(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"fail-fast", "queue"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			sns := dlvStartSNS(t)
			s := startServer(t, "--delivery", mode, "--sms-provider", "sns", "--sns-endpoint", sns.URL,
				"--sns-access-key-id", "x", "--sns-secret-access-key", "y",
				"--sms-sandbox", "--sms-verified-numbers", "+15555550100")
			a := dlvSetup(t, s, dlvPhoneRecovery)
			a.user(t, "far", "phone_number", "+15555550199", "phone_number_verified", "true")
			a.user(t, "near", "phone_number", "+15555550100", "phone_number_verified", "true")

			out, err := a.forgot("far")
			var far inboxMessage
			if mode == "fail-fast" {
				wantErr[*types.CodeDeliveryFailureException](t, err, dlvFailed)
				msgs := a.inbox(t, "far")
				if len(msgs) != 1 {
					t.Fatalf("far has %d messages", len(msgs))
				}
				far = msgs[0]
			} else {
				if err != nil {
					t.Fatalf("ForgotPassword in queue mode: %v", err)
				}
				if diff := cmp.Diff(dlvPhoneDetails("0199"), out.CodeDeliveryDetails, exported); diff != "" {
					t.Errorf("CodeDeliveryDetails (-want +got):\n%s", diff)
				}
				far = a.waitMessage(t, "far", "failed", dlvStatus("failed"))
			}
			dlvWantRecord(t, far, "sns", "failed", 1)
			if !strings.Contains(far.LastError, "sandbox") {
				t.Errorf("LastError %q, want the sandbox named", far.LastError)
			}
			if strings.Contains(far.LastError, "+15555550199") {
				t.Errorf("LastError %q holds the whole number", far.LastError)
			}

			must(a.forgot("near"))(t)
			near := a.waitMessage(t, "near", "delivered", dlvStatus("delivered"))
			dlvWantRecord(t, near, "sns", "delivered", 1)
			calls := sns.recorded()
			if len(calls) != 1 || calls[0].PhoneNumber != "+15555550100" {
				t.Fatalf("SNS calls %+v, want one, to +15555550100", calls)
			}
			a.resetWith(t, "near", dlvCode(t, calls[0].Message))
			if m := a.inbox(t, "far")[0]; m.Status != "failed" {
				t.Errorf("far's message became %q", m.Status)
			}
		})
	}
}
