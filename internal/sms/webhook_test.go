package sms

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var (
	testSecret = []byte("whsec_3c6f1e0b9a2d4e8f7a1b5c9d0e2f4a6b")
	// testNow is the sender's clock; receivers verify against it too.
	testNow = time.Date(2026, 8, 7, 12, 34, 56, 0, time.UTC)
)

// delivery is what the fake receiver saw of one POST.
type delivery struct {
	Method, ContentType, MessageID string
	Signature                      string
	Body                           []byte
	VerifyErr                      error
}

// receiver is a webhook endpoint that checks each POST's signature with VerifySignature,
// records it and answers with status (or with respond when set).
type receiver struct {
	*httptest.Server
	mu         sync.Mutex
	deliveries []delivery
	status     int
	respond    func(http.ResponseWriter, *http.Request)
}

func newReceiver(t *testing.T, status int, respond func(http.ResponseWriter, *http.Request)) *receiver {
	t.Helper()
	r := &receiver{status: status, respond: respond}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	d := delivery{
		Method:      r.Method,
		ContentType: r.Header.Get("Content-Type"),
		MessageID:   r.Header.Get(MessageIDHeader),
		Signature:   r.Header.Get(SignatureHeader),
		Body:        body,
	}
	d.VerifyErr = VerifySignature(testSecret, d.Signature, body, testNow, time.Minute)
	rc.mu.Lock()
	rc.deliveries = append(rc.deliveries, d)
	rc.mu.Unlock()
	if rc.respond != nil {
		rc.respond(w, r)
		return
	}
	w.WriteHeader(rc.status)
}

func (rc *receiver) recorded() []delivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]delivery(nil), rc.deliveries...)
}

func newTestWebhook(t *testing.T, url string, timeout time.Duration) *Webhook {
	t.Helper()
	w, err := NewWebhook(WebhookConfig{URL: url, Secret: testSecret, Timeout: timeout, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatalf("NewWebhook: %v", err)
	}
	return w
}

func TestWebhookDeliversSignedJSON(t *testing.T) {
	rc := newReceiver(t, http.StatusOK, nil)
	w := newTestWebhook(t, rc.URL+"/sms", time.Second)
	if err := w.Send(context.Background(), testText()); err != nil {
		t.Fatalf("Send = %v", err)
	}
	ds := rc.recorded()
	if len(ds) != 1 {
		t.Fatalf("receiver got %d POSTs, want 1", len(ds))
	}
	d := ds[0]
	if d.VerifyErr != nil {
		t.Errorf("VerifySignature(%q) = %v", d.Signature, d.VerifyErr)
	}
	if !strings.HasPrefix(d.Signature, fmt.Sprintf("t=%d,v1=", testNow.Unix())) {
		t.Errorf("%s = %q, want t=%d,v1=…", SignatureHeader, d.Signature, testNow.Unix())
	}
	if d.Method != http.MethodPost || d.ContentType != "application/json" || d.MessageID != testText().MessageID {
		t.Errorf("method %q, Content-Type %q, %s %q", d.Method, d.ContentType, MessageIDHeader, d.MessageID)
	}
	var got map[string]any
	if err := json.Unmarshal(d.Body, &got); err != nil {
		t.Fatalf("body %q: %v", d.Body, err)
	}
	want := map[string]any{
		"messageId":     "0b5a7c1e-9d1f-4a55-8f7e-2f4d1c3b9a10",
		"to":            "+15555550123",
		"body":          "Your password reset code is " + secretCode,
		"userPoolId":    "us-east-1_AbCdEf123",
		"username":      "alice",
		"triggerSource": "CustomMessage_ForgotPassword",
		"sentAt":        "2026-08-07T12:34:56Z",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
}

func TestWebhookClassifiesStatus(t *testing.T) {
	tests := []struct {
		status    int
		permanent bool
	}{
		{http.StatusOK, false},
		{http.StatusAccepted, false},
		{http.StatusNoContent, false},
		{http.StatusBadRequest, true},
		{http.StatusUnauthorized, true},
		{http.StatusNotFound, true},
		{http.StatusUnprocessableEntity, true},
		{http.StatusRequestTimeout, false},
		{http.StatusTooManyRequests, false},
		{http.StatusInternalServerError, false},
		{http.StatusBadGateway, false},
		{http.StatusServiceUnavailable, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			// The receiver echoes the request in its answer, as careless ones do; the error
			// must not repeat it.
			rc := newReceiver(t, 0, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				fmt.Fprintf(w, "rejected: code %s", secretCode)
			})
			w := newTestWebhook(t, rc.URL, time.Second)
			err := w.Send(context.Background(), testText())
			t.Log(err)
			switch {
			case tt.status < 300 && err != nil:
				t.Fatalf("Send = %v, want nil", err)
			case tt.status >= 300 && err == nil:
				t.Fatal("Send = nil, want an error")
			}
			if got := errors.Is(err, ErrPermanent); got != tt.permanent {
				t.Errorf("Send = %v; permanent = %t, want %t", err, got, tt.permanent)
			}
			if err != nil && !strings.Contains(err.Error(), fmt.Sprint(tt.status)) {
				t.Errorf("Send = %v, want it to name the status", err)
			}
			assertNoLeak(t, err)
			if ds := rc.recorded(); len(ds) != 1 || ds[0].VerifyErr != nil {
				t.Errorf("receiver got %d POSTs (%+v), want 1 correctly signed", len(ds), ds)
			}
		})
	}
}

func TestWebhookDoesNotFollowRedirects(t *testing.T) {
	elsewhere := newReceiver(t, http.StatusOK, nil)
	rc := newReceiver(t, 0, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL, http.StatusTemporaryRedirect)
	})
	err := newTestWebhook(t, rc.URL, time.Second).Send(context.Background(), testText())
	if !errors.Is(err, ErrPermanent) {
		t.Errorf("Send = %v, want ErrPermanent", err)
	}
	if n := len(elsewhere.recorded()); n != 0 {
		t.Errorf("redirect target got %d POSTs, want 0", n)
	}
}

func TestWebhookTimeoutIsTransient(t *testing.T) {
	rc := newReceiver(t, 0, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
		w.WriteHeader(http.StatusOK)
	})
	w := newTestWebhook(t, rc.URL, 200*time.Millisecond)
	start := time.Now()
	err := w.Send(context.Background(), testText())
	if err == nil || errors.Is(err, ErrPermanent) {
		t.Fatalf("Send = %v, want a transient error", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Send took %s with a 200ms timeout", d)
	}
	assertNoLeak(t, err)
}

func TestWebhookNetworkFailureIsTransient(t *testing.T) {
	rc := newReceiver(t, http.StatusOK, nil)
	url := rc.URL
	rc.Close()
	err := newTestWebhook(t, url, time.Second).Send(context.Background(), testText())
	if err == nil || errors.Is(err, ErrPermanent) {
		t.Fatalf("Send = %v, want a transient error", err)
	}
}

func TestWebhookErrorsHideURLSecrets(t *testing.T) {
	rc := newReceiver(t, http.StatusBadRequest, nil)
	url := strings.Replace(rc.URL, "http://", "http://hook:hunter2pass@", 1) + "/sms?token=tok_9f8e7d6c"
	w := newTestWebhook(t, url, time.Second)
	err := w.Send(context.Background(), testText())
	if !errors.Is(err, ErrPermanent) {
		t.Fatalf("Send = %v, want ErrPermanent", err)
	}
	assertNoLeak(t, err, "hunter2pass", "tok_9f8e7d6c")

	rc.Close()
	err = w.Send(context.Background(), testText())
	if err == nil {
		t.Fatal("Send to a closed server = nil")
	}
	assertNoLeak(t, err, "hunter2pass", "tok_9f8e7d6c")

	cfg := WebhookConfig{URL: url, Secret: testSecret}
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("config", "webhook", cfg)
	for _, out := range []string{cfg.String(), fmt.Sprint(cfg), b.String()} {
		for _, s := range []string{"hunter2pass", "tok_9f8e7d6c", string(testSecret)} {
			if strings.Contains(out, s) {
				t.Errorf("%q leaks %q", out, s)
			}
		}
	}
}

func TestWebhookRefusesBadTextWithoutPosting(t *testing.T) {
	rc := newReceiver(t, http.StatusOK, nil)
	w := newTestWebhook(t, rc.URL, time.Second)
	x := testText()
	x.To = "+0123"
	if err := w.Send(context.Background(), x); !errors.Is(err, ErrPermanent) {
		t.Errorf("Send = %v, want ErrPermanent", err)
	}
	if n := len(rc.recorded()); n != 0 {
		t.Errorf("receiver got %d POSTs, want 0", n)
	}
}

func TestWebhookTrustsCAFile(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake below is expected
	srv.StartTLS()
	t.Cleanup(srv.Close)

	// Without the CA the server's certificate is unknown: a transient error (an operator
	// can fix trust without losing the message).
	plain := newTestWebhook(t, srv.URL, time.Second)
	if err := plain.Send(context.Background(), testText()); err == nil || errors.Is(err, ErrPermanent) {
		t.Errorf("Send without the CA = %v, want a transient error", err)
	}

	caFile := filepath.Join(t.TempDir(), "ca.pem")
	p := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, p, 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := NewWebhook(WebhookConfig{URL: srv.URL, Secret: testSecret, Timeout: time.Second, CAFile: caFile})
	if err != nil {
		t.Fatalf("NewWebhook: %v", err)
	}
	if err := w.Send(context.Background(), testText()); err != nil {
		t.Errorf("Send with the CA = %v", err)
	}
}

func TestNewWebhookRefusesBadConfig(t *testing.T) {
	noPEM := filepath.Join(t.TempDir(), "empty.pem")
	if err := os.WriteFile(noPEM, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  WebhookConfig
	}{
		{"no URL", WebhookConfig{Secret: testSecret}},
		{"unparsable URL", WebhookConfig{URL: "http://[::1", Secret: testSecret}},
		{"ftp URL", WebhookConfig{URL: "ftp://127.0.0.1/sms", Secret: testSecret}},
		{"no host", WebhookConfig{URL: "http:///sms", Secret: testSecret}},
		{"no secret", WebhookConfig{URL: "http://127.0.0.1/sms"}},
		{"short secret", WebhookConfig{URL: "http://127.0.0.1/sms", Secret: []byte("short")}},
		{"negative timeout", WebhookConfig{URL: "http://127.0.0.1/sms", Secret: testSecret, Timeout: -time.Second}},
		{"missing CA file", WebhookConfig{URL: "https://127.0.0.1/sms", Secret: testSecret, CAFile: filepath.Join(t.TempDir(), "nope.pem")}},
		{"CA file without PEM", WebhookConfig{URL: "https://127.0.0.1/sms", Secret: testSecret, CAFile: noPEM}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if w, err := NewWebhook(tt.cfg); err == nil {
				t.Errorf("NewWebhook = %v, nil; want an error", w)
			}
		})
	}
}

func TestVerifySignature(t *testing.T) {
	body := []byte(`{"messageId":"m-1","body":"Your code is 493817"}`)
	header := signatureHeader(testSecret, testNow.Unix(), body)
	otherSecret := []byte("whsec_0000000000000000000000000000000")
	rotated := signatureHeader(otherSecret, testNow.Unix(), body) + "," + strings.SplitN(header, ",", 2)[1]

	tests := []struct {
		name   string
		secret []byte
		header string
		body   []byte
		now    time.Time
		ok     bool
	}{
		{"valid", testSecret, header, body, testNow, true},
		{"valid within tolerance", testSecret, header, body, testNow.Add(4 * time.Minute), true},
		{"valid with spaces", testSecret, strings.ReplaceAll(header, ",", ", "), body, testNow, true},
		{"one of two signatures matches", testSecret, rotated, body, testNow, true},
		{"unknown keys ignored", testSecret, header + ",v0=abc,x=1", body, testNow, true},
		{"wrong secret", otherSecret, header, body, testNow, false},
		{"tampered body", testSecret, header, []byte(`{"messageId":"m-1","body":"Your code is 000000"}`), testNow, false},
		{"old timestamp", testSecret, header, body, testNow.Add(6 * time.Minute), false},
		{"future timestamp", testSecret, header, body, testNow.Add(-6 * time.Minute), false},
		{"timestamp changed", testSecret, strings.Replace(header, fmt.Sprint(testNow.Unix()), fmt.Sprint(testNow.Unix()+1), 1), body, testNow, false},
		{"empty header", testSecret, "", body, testNow, false},
		{"no timestamp", testSecret, strings.SplitN(header, ",", 2)[1], body, testNow, false},
		{"no signature", testSecret, fmt.Sprintf("t=%d", testNow.Unix()), body, testNow, false},
		{"malformed timestamp", testSecret, "t=soon," + strings.SplitN(header, ",", 2)[1], body, testNow, false},
		{"two timestamps", testSecret, fmt.Sprintf("t=%d,", testNow.Unix()) + header, body, testNow, false},
		{"signature not hex", testSecret, fmt.Sprintf("t=%d,v1=zz", testNow.Unix()), body, testNow, false},
		{"truncated signature", testSecret, header[:len(header)-2], body, testNow, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := VerifySignature(tt.secret, tt.header, tt.body, tt.now, 5*time.Minute)
			if tt.ok && err != nil {
				t.Errorf("VerifySignature = %v, want nil", err)
			}
			if !tt.ok && !errors.Is(err, ErrInvalidSignature) {
				t.Errorf("VerifySignature = %v, want ErrInvalidSignature", err)
			}
		})
	}
}

func TestVerifySignatureDefaultTolerance(t *testing.T) {
	body := []byte("{}")
	header := signatureHeader(testSecret, testNow.Unix(), body)
	if err := VerifySignature(testSecret, header, body, testNow.Add(DefaultTolerance-time.Second), 0); err != nil {
		t.Errorf("within the default tolerance: %v", err)
	}
	if err := VerifySignature(testSecret, header, body, testNow.Add(DefaultTolerance+time.Second), 0); !errors.Is(err, ErrInvalidSignature) {
		t.Errorf("past the default tolerance: %v, want ErrInvalidSignature", err)
	}
}
