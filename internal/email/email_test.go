package email

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"
)

// code is the secret every test mail carries; no error may repeat it.
const code = "483920"

func testMail() *Mail {
	return &Mail{
		MessageID: "0b7f3c1e-5a4d-4c2b-9d7e-1f2a3b4c5d6e",
		From:      "Example Support <support@example.com>",
		ReplyTo:   "help@example.com",
		To:        "jane@example.org",
		Subject:   "Your verification code",
		Text:      "Your password reset code is " + code + "\n.a line that starts with a dot\n" + strings.Repeat("long line ", 20) + "\n",
		Date:      time.Date(2025, 3, 4, 5, 6, 7, 0, time.FixedZone("", 3600)),
	}
}

func newSender(t *testing.T, cfg Config) *Sender {
	t.Helper()
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	cfg.HelloName = "cognate.test"
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// one returns the single message the server accepted.
func one(t *testing.T, b *backend) received {
	t.Helper()
	msgs := b.messages()
	if len(msgs) != 1 {
		t.Fatalf("server accepted %d messages, want 1", len(msgs))
	}
	return msgs[0]
}

func parse(t *testing.T, data []byte) *mail.Message {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("received message does not parse: %v\n%s", err, data)
	}
	return msg
}

// checkTransient fails unless err is a transient error that keeps the code secret.
func checkTransient(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("Send succeeded, want an error")
	}
	if errors.Is(err, ErrPermanent) {
		t.Errorf("error %q wraps ErrPermanent, want transient", err)
	}
	checkNoSecret(t, err)
}

// checkPermanent fails unless err wraps ErrPermanent and keeps the code secret.
func checkPermanent(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, ErrPermanent) {
		t.Fatalf("error %v does not wrap ErrPermanent", err)
	}
	checkNoSecret(t, err)
}

func checkNoSecret(t *testing.T, err error) {
	t.Helper()
	if strings.Contains(err.Error(), code) {
		t.Errorf("error %q contains the message's code", err)
	}
}

func TestSendPlain(t *testing.T) {
	b := &backend{}
	addr, _ := startServer(t, b, serverOpts{})
	s := newSender(t, Config{URL: "smtp://" + addr})
	m := testMail()
	if err := s.Send(t.Context(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}

	got := one(t, b)
	if got.From != "support@example.com" || !cmp.Equal(got.To, []string{"jane@example.org"}) {
		t.Errorf("envelope = %q -> %q, want support@example.com -> [jane@example.org]", got.From, got.To)
	}
	if got.TLS {
		t.Error("plain delivery used TLS")
	}
	msg := parse(t, got.Data)
	headers := map[string]string{}
	for _, k := range []string{"From", "Reply-To", "To", "Subject", "Message-Id", "Mime-Version", "Content-Type", "Content-Transfer-Encoding", "Auto-Submitted"} {
		headers[k] = msg.Header.Get(k)
	}
	want := map[string]string{
		"From":                      `"Example Support" <support@example.com>`,
		"Reply-To":                  "<help@example.com>",
		"To":                        "<jane@example.org>",
		"Subject":                   "Your verification code",
		"Message-Id":                "<0b7f3c1e-5a4d-4c2b-9d7e-1f2a3b4c5d6e@cognate>",
		"Mime-Version":              "1.0",
		"Content-Type":              "text/plain; charset=UTF-8",
		"Content-Transfer-Encoding": "quoted-printable",
		"Auto-Submitted":            "auto-generated",
	}
	if diff := cmp.Diff(want, headers); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
	date, err := msg.Header.Date()
	if err != nil || !date.Equal(m.Date) {
		t.Errorf("Date = %v, %v; want %v", date, err, m.Date)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m.Text, strings.ReplaceAll(string(body), "\r\n", "\n")); diff != "" {
		t.Errorf("decoded body (-want +got):\n%s", diff)
	}
	for _, line := range strings.Split(string(got.Data), "\r\n") {
		if len(line) > 78 {
			t.Errorf("line longer than 78 octets: %q", line)
		}
	}
}

func TestSendDefaultFromAndDate(t *testing.T) {
	b := &backend{}
	addr, _ := startServer(t, b, serverOpts{})
	s := newSender(t, Config{URL: "smtp://" + addr})
	m := &Mail{To: "jane@example.org", Subject: "Your verification code", Text: "Your code is " + code}
	before := time.Now().Truncate(time.Second)
	if err := s.Send(t.Context(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := one(t, b)
	if got.From != DefaultFrom {
		t.Errorf("envelope sender = %q, want %q", got.From, DefaultFrom)
	}
	msg := parse(t, got.Data)
	if from := msg.Header.Get("From"); from != "<"+DefaultFrom+">" {
		t.Errorf("From = %q", from)
	}
	if id := msg.Header.Get("Message-Id"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@cognate>") || len(id) < len("<@cognate>")+16 {
		t.Errorf("generated Message-ID = %q", id)
	}
	if msg.Header.Get("Reply-To") != "" {
		t.Errorf("Reply-To present without ReplyTo")
	}
	if date, err := msg.Header.Date(); err != nil || date.Before(before) || date.After(time.Now()) {
		t.Errorf("Date = %v, %v; want the time of sending", date, err)
	}
}

func TestSendStartTLS(t *testing.T) {
	serverTLS, caFile := testPKI(t)
	b := &backend{}
	addr, _ := startServer(t, b, serverOpts{startTLS: serverTLS})
	s := newSender(t, Config{URL: "smtp://" + addr, CAFile: caFile, RequireTLS: true})
	if err := s.Send(t.Context(), testMail()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if !one(t, b).TLS {
		t.Error("message did not travel over TLS although the server offered STARTTLS")
	}
}

func TestSendStartTLSUntrustedCertificate(t *testing.T) {
	serverTLS, _ := testPKI(t)
	b := &backend{}
	addr, _ := startServer(t, b, serverOpts{startTLS: serverTLS})
	s := newSender(t, Config{URL: "smtp://" + addr}) // no CAFile: the test CA is unknown
	checkTransient(t, s.Send(t.Context(), testMail()))
	if n := len(b.messages()); n != 0 {
		t.Errorf("server accepted %d messages over an unverified connection", n)
	}
}

func TestSendImplicitTLS(t *testing.T) {
	serverTLS, caFile := testPKI(t)
	b := &backend{}
	addr, _ := startServer(t, b, serverOpts{implicitTLS: serverTLS})
	s := newSender(t, Config{URL: "smtps://" + addr, CAFile: caFile})
	if err := s.Send(t.Context(), testMail()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if !one(t, b).TLS {
		t.Error("smtps delivery did not use TLS")
	}
}

func TestSendAuthPlain(t *testing.T) {
	serverTLS, caFile := testPKI(t)
	for _, tc := range []struct {
		name, scheme string
		opts         serverOpts
	}{
		{"STARTTLS", "smtp", serverOpts{startTLS: serverTLS}},
		{"smtps", "smtps", serverOpts{implicitTLS: serverTLS}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := &backend{user: "mailer", pass: "p@ss:w/rd"}
			addr, _ := startServer(t, b, tc.opts)
			s := newSender(t, Config{URL: tc.scheme + "://mailer:p%40ss%3Aw%2Frd@" + addr, CAFile: caFile})
			if err := s.Send(t.Context(), testMail()); err != nil {
				t.Fatalf("Send: %v", err)
			}
			if got := one(t, b); got.User != "mailer" || !got.TLS {
				t.Errorf("accepted as user %q over TLS %t, want mailer over TLS", got.User, got.TLS)
			}
		})
	}
}

func TestSendAuthRejected(t *testing.T) {
	serverTLS, caFile := testPKI(t)
	b := &backend{user: "mailer", pass: "right"}
	addr, _ := startServer(t, b, serverOpts{startTLS: serverTLS})
	s := newSender(t, Config{URL: "smtp://mailer:wrong@" + addr, CAFile: caFile})
	err := s.Send(t.Context(), testMail())
	checkPermanent(t, err) // 535
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error %q contains the password", err)
	}
	if n := len(b.messages()); n != 0 {
		t.Errorf("server accepted %d messages", n)
	}
}

func TestSendAuthNotOffered(t *testing.T) {
	// go-smtp offers AUTH only over TLS; this server has none, so the credentials must not
	// go out and nothing is sent.
	b := &backend{user: "mailer", pass: "secret"}
	addr, _ := startServer(t, b, serverOpts{})
	s := newSender(t, Config{URL: "smtp://mailer:secret@" + addr})
	err := s.Send(t.Context(), testMail())
	checkTransient(t, err)
	if n := len(b.messages()); n != 0 {
		t.Errorf("server accepted %d messages", n)
	}
}

func TestSendRequireTLSWithoutStartTLS(t *testing.T) {
	b := &backend{}
	addr, _ := startServer(t, b, serverOpts{})
	s := newSender(t, Config{URL: "smtp://" + addr, RequireTLS: true})
	err := s.Send(t.Context(), testMail())
	if err == nil {
		t.Fatal("Send succeeded in clear text although TLS is required")
	}
	checkNoSecret(t, err)
	if n := len(b.messages()); n != 0 {
		t.Errorf("server accepted %d messages", n)
	}
}

func TestSendMultipartAlternative(t *testing.T) {
	b := &backend{}
	addr, _ := startServer(t, b, serverOpts{})
	s := newSender(t, Config{URL: "smtp://" + addr})
	m := testMail()
	m.HTML = "<p>Your password reset code is <b>" + code + "</b></p>\n<p>" + strings.Repeat("é", 60) + "</p>"
	if err := s.Send(t.Context(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	msg := parse(t, one(t, b).Data)
	if v := msg.Header.Get("Mime-Version"); v != "1.0" {
		t.Errorf("MIME-Version = %q", v)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" || params["boundary"] == "" {
		t.Fatalf("Content-Type = %q (%v), want multipart/alternative with a boundary", msg.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	type part struct{ ContentType, CTE, Body string }
	var parts []part
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(quotedprintable.NewReader(p))
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, part{p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), strings.ReplaceAll(string(body), "\r\n", "\n")})
	}
	want := []part{
		{"text/plain; charset=UTF-8", "quoted-printable", m.Text},
		{"text/html; charset=UTF-8", "quoted-printable", m.HTML},
	}
	if diff := cmp.Diff(want, parts); diff != "" {
		t.Errorf("parts (-want +got):\n%s", diff)
	}

	// The boundary is random: a second mail gets another.
	if err := s.Send(t.Context(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	_, params2, _ := mime.ParseMediaType(parse(t, b.messages()[1].Data).Header.Get("Content-Type"))
	if params2["boundary"] == params["boundary"] {
		t.Errorf("two mails share the boundary %q", params["boundary"])
	}
}

func TestSendNonASCIISubject(t *testing.T) {
	for _, subject := range []string{
		"Votre code de vérification",
		"確認コード — " + strings.Repeat("Ihr Bestätigungscode für Größe ", 6),
		strings.TrimSpace(strings.Repeat("A long plain ASCII subject that needs folding ", 4)),
		"Ünïcödé" + strings.Repeat("x", 100),
	} {
		t.Run(subject[:10], func(t *testing.T) {
			b := &backend{}
			addr, _ := startServer(t, b, serverOpts{})
			s := newSender(t, Config{URL: "smtp://" + addr})
			m := testMail()
			m.Subject = subject
			if err := s.Send(t.Context(), m); err != nil {
				t.Fatalf("Send: %v", err)
			}
			data := one(t, b).Data
			head, _, _ := bytes.Cut(data, []byte("\r\n\r\n"))
			for _, line := range strings.Split(string(head), "\r\n") {
				if len(line) > 78 {
					t.Errorf("header line longer than 78 octets: %q", line)
				}
				for _, c := range []byte(line) {
					if c >= 0x80 {
						t.Fatalf("raw 8-bit byte in header line %q", line)
					}
				}
			}
			raw := parse(t, data).Header.Get("Subject")
			if !isASCII(subject) && !strings.HasPrefix(raw, "=?UTF-8?q?") {
				t.Errorf("Subject = %q, want RFC 2047 Q-encoding", raw)
			}
			got, err := new(mime.WordDecoder).DecodeHeader(raw)
			if err != nil || got != subject {
				t.Errorf("decoded Subject = %q, %v; want %q", got, err, subject)
			}
		})
	}
}

func TestSendRefusesHeaderInjection(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Mail)
	}{
		{"subject CRLF", func(m *Mail) { m.Subject = "Hi\r\nBcc: victim@example.net" }},
		{"subject LF", func(m *Mail) { m.Subject = "Hi\nBcc: victim@example.net" }},
		{"subject CR", func(m *Mail) { m.Subject = "Hi\rBcc: victim@example.net" }},
		{"to CRLF", func(m *Mail) { m.To = "jane@example.org\r\nBcc: victim@example.net" }},
		{"to name CRLF", func(m *Mail) { m.To = "\"Jane\r\nBcc: victim@example.net\" <jane@example.org>" }},
		{"from CRLF", func(m *Mail) { m.From = "Support <support@example.com>\r\nBcc: victim@example.net" }},
		{"reply-to LF", func(m *Mail) { m.ReplyTo = "help@example.com\nBcc: victim@example.net" }},
		{"message id CRLF", func(m *Mail) { m.MessageID = "abc\r\nBcc: victim@example.net" }},
		{"message id angle", func(m *Mail) { m.MessageID = "abc>\tBcc" }},
		{"subject NUL", func(m *Mail) { m.Subject = "Hi\x00there" }},
		{"two recipients", func(m *Mail) { m.To = "jane@example.org, victim@example.net" }},
		{"no recipient", func(m *Mail) { m.To = "" }},
		{"bad address", func(m *Mail) { m.To = "jane" }},
		{"bad from", func(m *Mail) { m.From = "Support" }},
		{"invalid UTF-8 text", func(m *Mail) { m.Text = "code \xff" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := &backend{}
			addr, conns := startServer(t, b, serverOpts{})
			s := newSender(t, Config{URL: "smtp://" + addr})
			m := testMail()
			tc.edit(m)
			checkPermanent(t, s.Send(t.Context(), m))
			if n := conns.n.Load(); n != 0 {
				t.Errorf("%d connections reached the server", n)
			}
		})
	}
	if err := new(Sender).Send(t.Context(), nil); !errors.Is(err, ErrPermanent) {
		t.Errorf("Send(nil) = %v, want ErrPermanent", err)
	}
}

func TestSendNonASCIIAddress(t *testing.T) {
	m := testMail()
	m.To = "jörg@bücher.example"

	b := &backend{}
	addr, _ := startServer(t, b, serverOpts{})
	checkPermanent(t, newSender(t, Config{URL: "smtp://" + addr}).Send(t.Context(), m))
	if n := len(b.messages()); n != 0 {
		t.Errorf("server without SMTPUTF8 accepted %d messages", n)
	}

	b = &backend{}
	addr, _ = startServer(t, b, serverOpts{smtputf8: true})
	if err := newSender(t, Config{URL: "smtp://" + addr}).Send(t.Context(), m); err != nil {
		t.Fatalf("Send with SMTPUTF8: %v", err)
	}
	if got := one(t, b).To; !cmp.Equal(got, []string{"jörg@bücher.example"}) {
		t.Errorf("recipient = %q", got)
	}
}

func TestSendRcptTemporaryFailure(t *testing.T) {
	b := &backend{rcptErr: &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 2, 1}, Message: "Mailbox busy, try later"}}
	addr, _ := startServer(t, b, serverOpts{})
	err := newSender(t, Config{URL: "smtp://" + addr}).Send(t.Context(), testMail())
	checkTransient(t, err)
	var reply *textproto.Error
	if !errors.As(err, &reply) || reply.Code != 450 {
		t.Errorf("error %v does not carry the 450 reply", err)
	}
}

func TestSendRcptPermanentFailure(t *testing.T) {
	b := &backend{rcptErr: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}}
	addr, _ := startServer(t, b, serverOpts{})
	err := newSender(t, Config{URL: "smtp://" + addr}).Send(t.Context(), testMail())
	checkPermanent(t, err)
	var reply *textproto.Error
	if !errors.As(err, &reply) || reply.Code != 550 {
		t.Errorf("error %v does not carry the 550 reply", err)
	}
}

func TestSendServerDown(t *testing.T) {
	s := newSender(t, Config{URL: "smtp://" + closedAddr(t)})
	checkTransient(t, s.Send(t.Context(), testMail()))
}

func TestSendServerHangs(t *testing.T) {
	addr := startHangingServer(t)
	s := newSender(t, Config{URL: "smtp://" + addr, Timeout: 300 * time.Millisecond})
	start := time.Now()
	err := s.Send(t.Context(), testMail())
	elapsed := time.Since(start)
	checkTransient(t, err)
	if elapsed > 2*time.Second {
		t.Errorf("Send returned after %s, want about 300ms", elapsed)
	}
	if elapsed < 250*time.Millisecond {
		t.Errorf("Send returned after %s, before the timeout: %v", elapsed, err)
	}
	if !errors.Is(err, os.ErrDeadlineExceeded) && !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v is not a timeout", err)
	}
}

func TestSendContextCanceled(t *testing.T) {
	addr := startHangingServer(t)
	s := newSender(t, Config{URL: "smtp://" + addr, Timeout: time.Minute})
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	err := s.Send(ctx, testMail())
	checkTransient(t, err)
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("Send returned %s after cancellation", elapsed)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v does not wrap context.Canceled", err)
	}
}

func TestSendConnectionDroppedDuringData(t *testing.T) {
	b := &backend{dropInData: true}
	addr, _ := startServer(t, b, serverOpts{})
	checkTransient(t, newSender(t, Config{URL: "smtp://" + addr}).Send(t.Context(), testMail()))
}

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		url      string
		addr     string
		implicit bool
		user     string
	}{
		{"smtp://mail.example.com", "mail.example.com:25", false, ""},
		{"smtp://u:p@mail.example.com", "mail.example.com:587", false, "u"},
		{"smtps://mail.example.com", "mail.example.com:465", true, ""},
		{"SMTPS://u:p@mail.example.com:2465/", "mail.example.com:2465", true, "u"},
		{"smtp://[::1]:2525", "[::1]:2525", false, ""},
	} {
		s, err := New(Config{URL: tc.url})
		if err != nil {
			t.Errorf("New(%q): %v", tc.url, err)
			continue
		}
		if s.addr != tc.addr || s.implicitTLS != tc.implicit || s.user != tc.user || s.timeout != DefaultTimeout || s.hello == "" {
			t.Errorf("New(%q) = addr %q implicit %t user %q timeout %s hello %q", tc.url, s.addr, s.implicitTLS, s.user, s.timeout, s.hello)
		}
	}

	badCA := t.TempDir() + "/ca.pem"
	os.WriteFile(badCA, []byte("not a certificate"), 0o600)
	for _, cfg := range []Config{
		{URL: ""},
		{URL: "http://mail.example.com"},
		{URL: "mail.example.com:25"},
		{URL: "smtp://"},
		{URL: "smtp://u:hunter2@mail.example.com:0"},
		{URL: "smtp://u:hunter2@mail.example.com:99999"},
		{URL: "smtp://u:hunter2@mail.example.com:25/path"},
		{URL: "smtp://u:hunter2@mail.example.com:25?tls=1"},
		{URL: "smtp://u:hunter2@mail.example.com:x"},
		{URL: "smtp://:hunter2@mail.example.com"},
		{URL: "smtp://mail.example.com", Timeout: -time.Second},
		{URL: "smtp://mail.example.com", HelloName: "bad name"},
		{URL: "smtp://mail.example.com", HelloName: "bad\r\nname"},
		{URL: "smtp://mail.example.com", CAFile: t.TempDir() + "/missing.pem"},
		{URL: "smtp://mail.example.com", CAFile: badCA},
	} {
		_, err := New(cfg)
		if err == nil {
			t.Errorf("New(%v) succeeded, want an error", cfg)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("New(%v) error %q contains the password", cfg, err)
		}
	}
}

func TestConfigRedactsPassword(t *testing.T) {
	cfg := Config{URL: "smtps://mailer:hunter2@mail.example.com", CAFile: "/etc/ca.pem"}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("smtp", "config", cfg)
	s, err := New(Config{URL: cfg.URL})
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), logged.String(), s.String(), fmt.Sprint(Config{URL: "smtp://u:hunter2@host:x"})} {
		if strings.Contains(out, "hunter2") {
			t.Errorf("password leaks in %q", out)
		}
	}
	if !strings.Contains(s.String(), "mailer") || !strings.Contains(logged.String(), "mail.example.com") {
		t.Errorf("redaction hid too much: %q / %q", s.String(), logged.String())
	}
}
