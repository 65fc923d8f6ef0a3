// Package email is cognate's SMTP channel: it turns one Mail into a MIME message and hands it
// to an SMTP server, over smtp:// (STARTTLS when offered, or required) or smtps:// (implicit
// TLS), with AUTH PLAIN when the URL carries credentials.
//
// It does not queue, retry, render templates or know about user pools. The outbox dispatcher
// decides whether to call Send again, from the error's class: errors wrapping ErrPermanent will
// fail the same way every time; every other error may succeed later. The caller adapts its own
// message type to Mail, so this package depends on nothing of the domain.
//
// Each Send opens one connection and keeps nothing afterwards, so a Sender is safe for
// concurrent use. Errors name the server, the stage and the server's reply, never the message
// body (it carries one-time codes and temporary passwords) nor the SMTP password.
package email

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/smtp"
	"net/textproto"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// ErrPermanent is wrapped by every error that retrying cannot cure: a 5xx reply from the
// server, an address that does not parse, a header carrying a line break.
var ErrPermanent = errors.New("permanent delivery failure")

// DefaultFrom is the sender used when Mail.From is empty; it is the address Cognito's own
// default email sender uses.
const DefaultFrom = "no-reply@verificationemail.com"

// DefaultTimeout bounds one Send, from dialling to QUIT, when Config.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// Config says how to reach the SMTP server.
type Config struct {
	// URL is smtp://[user:pass@]host[:port] (STARTTLS when the server offers it) or
	// smtps://[user:pass@]host[:port] (TLS from the first byte). Without a port, smtps uses
	// 465 and smtp uses 587 (submission) when the URL has a user, 25 otherwise.
	URL string
	// CAFile names a PEM file of extra certificate authorities trusted for the server's
	// certificate, beside the system's.
	CAFile string
	// Timeout bounds dialling and the whole conversation of one Send, so that a server that
	// stops answering cannot hold the dispatcher; zero means DefaultTimeout.
	Timeout time.Duration
	// RequireTLS makes an smtp:// Send fail when the server does not offer STARTTLS, instead
	// of sending the message in clear text.
	RequireTLS bool
	// HelloName is the name given in EHLO; empty means this machine's host name.
	HelloName string
}

// String describes c with the URL's password masked, so that a logged Config leaks nothing.
func (c Config) String() string {
	return fmt.Sprintf("email.Config{URL: %s, CAFile: %q, Timeout: %s, RequireTLS: %t, HelloName: %q}",
		redactURL(c.URL), c.CAFile, c.Timeout, c.RequireTLS, c.HelloName)
}

// LogValue logs c with the URL's password masked.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("url", redactURL(c.URL)),
		slog.String("ca_file", c.CAFile),
		slog.Duration("timeout", c.Timeout),
		slog.Bool("require_tls", c.RequireTLS),
		slog.String("hello_name", c.HelloName),
	)
}

// redactURL masks the password of raw, or all of raw when it does not parse (the password
// could be anywhere in it then).
func redactURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "<invalid URL>"
	}
	return u.Redacted()
}

// Sender delivers Mail through one SMTP server. Build it with New.
type Sender struct {
	addr        string // host:port, as dialled
	host        string // as in the certificate and in net/smtp's PLAIN host check
	implicitTLS bool
	requireTLS  bool
	user, pass  string
	hasUser     bool
	tls         *tls.Config
	timeout     time.Duration
	hello       string
	redacted    string
}

// New checks cfg (scheme, host, port, timeout, EHLO name), loads the CA file and returns a
// Sender. It does not connect: a server that is down is the dispatcher's problem, not a
// reason to refuse to start.
func New(cfg Config) (*Sender, error) {
	if cfg.URL == "" {
		return nil, errors.New("email: no SMTP URL")
	}
	u, err := url.Parse(cfg.URL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the whole URL, password included
		}
		return nil, fmt.Errorf("email: invalid SMTP URL: %v", err)
	}
	s := &Sender{requireTLS: cfg.RequireTLS, redacted: u.Redacted()}
	switch u.Scheme {
	case "smtp":
	case "smtps":
		s.implicitTLS = true
	default:
		return nil, fmt.Errorf("email: SMTP URL %s: scheme must be smtp or smtps", s.redacted)
	}
	if u.Opaque != "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("email: SMTP URL %s: only scheme, user, password, host and port are allowed", s.redacted)
	}
	s.host = u.Hostname()
	if s.host == "" {
		return nil, fmt.Errorf("email: SMTP URL %s: no host", s.redacted)
	}
	if u.User != nil {
		s.hasUser = true
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
		if s.user == "" {
			return nil, fmt.Errorf("email: SMTP URL %s: empty user name", s.redacted)
		}
	}
	port := u.Port()
	switch {
	case port != "":
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("email: SMTP URL %s: invalid port", s.redacted)
		}
	case s.implicitTLS:
		port = "465"
	case s.hasUser:
		port = "587"
	default:
		port = "25"
	}
	s.addr = net.JoinHostPort(s.host, port)

	s.timeout = cfg.Timeout
	if s.timeout == 0 {
		s.timeout = DefaultTimeout
	}
	if s.timeout < 0 {
		return nil, fmt.Errorf("email: negative timeout %s", cfg.Timeout)
	}

	s.hello = cfg.HelloName
	if s.hello == "" {
		if h, err := os.Hostname(); err == nil && validHelloName(h) {
			s.hello = h
		} else {
			s.hello = "localhost"
		}
	}
	if !validHelloName(s.hello) {
		return nil, fmt.Errorf("email: invalid EHLO name %q", s.hello)
	}

	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("email: CA file: %w", err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("email: CA file %s holds no PEM certificate", cfg.CAFile)
		}
	}
	s.tls = &tls.Config{ServerName: s.host, RootCAs: pool, MinVersion: tls.VersionTLS12}
	return s, nil
}

// validHelloName reports whether name can follow EHLO: non-empty, printable ASCII, no spaces.
func validHelloName(name string) bool {
	if name == "" || len(name) > 255 {
		return false
	}
	for i := 0; i < len(name); i++ {
		if name[i] <= ' ' || name[i] >= 0x7f {
			return false
		}
	}
	return true
}

// String names the server with the password masked.
func (s *Sender) String() string { return s.redacted }

// Send composes m and delivers it in one SMTP conversation bounded by the configured
// timeout (and by ctx). Problems with m itself are reported before any connection is made.
// The returned error wraps ErrPermanent when retrying cannot help; any other error is
// transient. A message the server accepted counts as sent even if QUIT then fails.
func (s *Sender) Send(ctx context.Context, m *Mail) error {
	msg, env, err := compose(m, time.Now)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	return s.deliver(ctx, msg, env)
}

// deliver runs the SMTP conversation.
func (s *Sender) deliver(ctx context.Context, msg []byte, env envelope) error {
	conn, err := s.dial(ctx)
	if err != nil {
		return s.fail(ctx, "connect", err)
	}
	defer conn.Close()
	// One deadline for the whole conversation, so that a server that stops answering at any
	// point times out; and cancelling ctx interrupts whatever read or write is under way.
	if d, ok := ctx.Deadline(); ok {
		if err := conn.SetDeadline(d); err != nil {
			return s.fail(ctx, "connect", err)
		}
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return s.fail(ctx, "greeting", err)
	}
	defer c.Close()
	if err := c.Hello(s.hello); err != nil {
		return s.fail(ctx, "EHLO", err)
	}
	if !s.implicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.tls); err != nil {
				return s.fail(ctx, "STARTTLS", err)
			}
		} else if s.requireTLS {
			// Transient, as in Postfix: the server may offer TLS again after a restart.
			return fmt.Errorf("email: %s: server does not offer STARTTLS and TLS is required", s.addr)
		}
	}
	if env.utf8 {
		if ok, _ := c.Extension("SMTPUTF8"); !ok {
			return fmt.Errorf("email: %s: address is not ASCII and the server does not offer SMTPUTF8: %w", s.addr, ErrPermanent)
		}
	}
	if s.hasUser {
		ok, mechs := c.Extension("AUTH")
		if !ok || !hasWord(mechs, "PLAIN") {
			return fmt.Errorf("email: %s: server does not offer AUTH PLAIN on this connection", s.addr)
		}
		if err := c.Auth(smtp.PlainAuth("", s.user, s.pass, s.host)); err != nil {
			return s.fail(ctx, "AUTH", err)
		}
	}
	if err := c.Mail(env.from); err != nil {
		return s.fail(ctx, "MAIL FROM", err)
	}
	if err := c.Rcpt(env.to); err != nil {
		return s.fail(ctx, "RCPT TO", err)
	}
	w, err := c.Data()
	if err != nil {
		return s.fail(ctx, "DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return s.fail(ctx, "DATA", err)
	}
	if err := w.Close(); err != nil {
		return s.fail(ctx, "end of DATA", err)
	}
	_ = c.Quit() // the server has taken the message; a failed goodbye changes nothing
	return nil
}

// dial connects to the server, completing the TLS handshake for smtps.
func (s *Sender) dial(ctx context.Context) (net.Conn, error) {
	d := &net.Dialer{Timeout: s.timeout}
	if s.implicitTLS {
		td := &tls.Dialer{NetDialer: d, Config: s.tls}
		return td.DialContext(ctx, "tcp", s.addr)
	}
	return d.DialContext(ctx, "tcp", s.addr)
}

// fail classifies err from the given stage: a 5xx reply is permanent, anything else
// (4xx, network errors, timeouts, TLS failures) transient. The errors wrapped are the
// server's reply or the network error, none of which holds the message.
func (s *Sender) fail(ctx context.Context, stage string, err error) error {
	var reply *textproto.Error
	if errors.As(err, &reply) && reply.Code >= 500 {
		return fmt.Errorf("email: %s: %s: %w: %w", s.addr, stage, ErrPermanent, err)
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("email: %s: %s: %w: %w", s.addr, stage, cerr, err)
	}
	return fmt.Errorf("email: %s: %s: %w", s.addr, stage, err)
}

// hasWord reports whether the space-separated list has word, ignoring case.
func hasWord(list, word string) bool {
	for _, w := range strings.Fields(list) {
		if strings.EqualFold(w, word) {
			return true
		}
	}
	return false
}
