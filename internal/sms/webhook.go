package sms

import (
	"bytes"
	"cognate/internal/hooksig"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"time"
)

// Webhook headers.
const (
	// SignatureHeader carries "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>"
	// (hooksig), so that a receiver can check both origin and freshness.
	SignatureHeader = hooksig.Header
	// MessageIDHeader carries Text.MessageID, stable across retries, for deduplication.
	MessageIDHeader = "X-Cognate-Message-Id"
)

// DefaultTolerance is how far a signature's timestamp may be from the receiver's clock when
// VerifySignature is given no tolerance.
const DefaultTolerance = hooksig.DefaultTolerance

// MinSecretLength is the shortest webhook secret NewWebhook accepts: 128 bits, so that the
// HMAC cannot be brute-forced.
const MinSecretLength = 16

// ErrInvalidSignature is wrapped by every error VerifySignature returns.
var ErrInvalidSignature = hooksig.ErrInvalidSignature

// WebhookConfig says where and how to POST.
type WebhookConfig struct {
	// URL is the receiver, http:// or https://.
	URL string
	// Secret keys the HMAC in SignatureHeader; at least MinSecretLength bytes.
	Secret []byte
	// Timeout bounds one Send, from dialling to the end of the answer's headers; zero means
	// DefaultTimeout.
	Timeout time.Duration
	// CAFile names a PEM file of extra certificate authorities trusted for the receiver's
	// certificate, beside the system's.
	CAFile string
	// Now is the clock for sentAt and the signature's timestamp; nil means time.Now.
	Now func() time.Time
}

// String describes c with the secret and any URL password masked, so that a logged
// WebhookConfig leaks nothing.
func (c WebhookConfig) String() string {
	return fmt.Sprintf("sms.WebhookConfig{URL: %s, Secret: %s, Timeout: %s, CAFile: %q}",
		redactURL(c.URL), redacted(string(c.Secret)), c.Timeout, c.CAFile)
}

// LogValue logs c with the secret and any URL password masked.
func (c WebhookConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("url", redactURL(c.URL)),
		slog.String("secret", redacted(string(c.Secret))),
		slog.Duration("timeout", c.Timeout),
		slog.String("ca_file", c.CAFile),
	)
}

// redactURL masks the password of raw, or all of raw when it does not parse (the password
// could be anywhere in it then). The query is masked too: receivers often take a token there.
func redactURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "<invalid URL>"
	}
	if u.RawQuery != "" {
		u.RawQuery = "REDACTED"
	}
	return u.Redacted()
}

// Webhook POSTs each Text as signed JSON to one URL. Build it with NewWebhook.
type Webhook struct {
	url      string
	redacted string
	secret   []byte
	timeout  time.Duration
	client   *http.Client
	now      func() time.Time
}

// NewWebhook checks cfg, loads the CA file and returns a Webhook. It does not connect.
func NewWebhook(cfg WebhookConfig) (*Webhook, error) {
	if cfg.URL == "" {
		return nil, errors.New("sms: webhook: no URL")
	}
	u, err := url.Parse(cfg.URL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the whole URL, password included
		}
		return nil, fmt.Errorf("sms: webhook: invalid URL: %v", err)
	}
	w := &Webhook{url: cfg.URL, redacted: redactURL(cfg.URL), timeout: cfg.Timeout, now: cfg.Now}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("sms: webhook: URL %s: scheme must be http or https", w.redacted)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("sms: webhook: URL %s: no host", w.redacted)
	}
	if len(cfg.Secret) < MinSecretLength {
		return nil, fmt.Errorf("sms: webhook: secret has %d bytes, fewer than %d", len(cfg.Secret), MinSecretLength)
	}
	w.secret = bytes.Clone(cfg.Secret)
	if w.timeout < 0 {
		return nil, fmt.Errorf("sms: webhook: negative timeout %s", cfg.Timeout)
	}
	if w.timeout == 0 {
		w.timeout = DefaultTimeout
	}
	if w.now == nil {
		w.now = time.Now
	}

	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("sms: webhook: CA file: %w", err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("sms: webhook: CA file %s holds no PEM certificate", cfg.CAFile)
		}
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	w.client = &http.Client{
		Transport: transport,
		// A redirect would carry the body, codes included, to a URL the operator never
		// configured; the 3xx is reported instead.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return w, nil
}

// webhookPayload is the JSON body of one POST.
type webhookPayload struct {
	MessageID     string `json:"messageId"`
	To            string `json:"to"`
	Body          string `json:"body"`
	UserPoolID    string `json:"userPoolId"`
	Username      string `json:"username"`
	TriggerSource string `json:"triggerSource"`
	SentAt        string `json:"sentAt"` // RFC 3339, UTC
}

// Send POSTs t. A 2xx answer means delivered. 408, 429, 5xx, timeouts and network failures
// are transient; any other answer (4xx, or a 3xx: redirects are not followed) wraps
// ErrPermanent. The receiver's answer body is never quoted in the error, for it might echo
// the message.
func (w *Webhook) Send(ctx context.Context, t *Text) error {
	if err := check(t); err != nil {
		return err
	}
	now := w.now()
	body, err := json.Marshal(webhookPayload{
		MessageID:     t.MessageID,
		To:            t.To,
		Body:          t.Body,
		UserPoolID:    t.PoolID,
		Username:      t.Username,
		TriggerSource: t.TriggerSource,
		SentAt:        now.UTC().Format(time.RFC3339),
	})
	if err != nil {
		return fmt.Errorf("sms: webhook: message %q: encode: %w", t.MessageID, err)
	}

	ctx, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the URL, password and query included
		}
		return fmt.Errorf("sms: webhook %s: message %q: %w: %v", w.redacted, t.MessageID, ErrPermanent, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "cognate")
	req.Header.Set(SignatureHeader, signatureHeader(w.secret, now.Unix(), body))
	req.Header.Set(MessageIDHeader, t.MessageID)

	resp, err := w.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the URL, password and query included
		}
		return fmt.Errorf("sms: webhook %s: message %q: %w", w.redacted, t.MessageID, err)
	}
	// Drain a little so that the connection can be reused, then let it go.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()

	switch s := resp.StatusCode; {
	case s >= 200 && s < 300:
		return nil
	case s == http.StatusRequestTimeout || s == http.StatusTooManyRequests || s >= 500:
		return fmt.Errorf("sms: webhook %s: message %q: answered %s", w.redacted, t.MessageID, resp.Status)
	default:
		return fmt.Errorf("sms: webhook %s: message %q: %w: answered %s", w.redacted, t.MessageID, ErrPermanent, resp.Status)
	}
}

// signatureHeader builds the SignatureHeader value for body sent at unix time ts.
func signatureHeader(secret []byte, ts int64, body []byte) string {
	return hooksig.Sign(secret, ts, body)
}

// VerifySignature checks a SignatureHeader value against the raw request body, as a receiver
// should before trusting a POST (hooksig.Verify: a timestamp within tolerance of now, a v1
// HMAC-SHA256(secret, t + "." + body)). Errors wrap ErrInvalidSignature.
func VerifySignature(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	return hooksig.Verify(secret, header, body, now, tolerance)
}
