package main

// The operator's kit: /metrics read with the Prometheus text parser, /healthz and /readyz,
// JSON logs carrying request ids, the pprof listener, and a graceful shutdown that finishes
// the requests and the delivery in flight and hands unsent messages to the next start.

import (
	"bufio"
	"bytes"
	"database/sql"
	"errors"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/go-json-experiment/json"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape reads /metrics with the Prometheus text parser.
func (s *testServer) scrape(t testing.TB) map[string]*dto.MetricFamily {
	t.Helper()
	status, h, body := httpDo(t, http.MethodGet, s.URL+"/metrics", nil, nil)
	if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %d %s", status, h.Get("Content-Type"))
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("GET /metrics is not the Prometheus text format: %v", err)
	}
	return fams
}

// metricValue is the value of the family's series with exactly these labels (a counter's or
// gauge's value, a histogram's count); ok is false when there is no such series.
func metricValue(fams map[string]*dto.MetricFamily, name string, labels map[string]string) (float64, bool) {
	f, ok := fams[name]
	if !ok {
		return 0, false
	}
next:
	for _, m := range f.Metric {
		if len(m.Label) != len(labels) {
			continue
		}
		for _, l := range m.Label {
			if labels[l.GetName()] != l.GetValue() {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, nil)
	p.jane(t)
	type series struct {
		name   string
		labels map[string]string
	}
	var (
		forgotOK  = series{"cognate_requests_total", map[string]string{"operation": "ForgotPassword", "exception": ""}}
		mismatch  = series{"cognate_requests_total", map[string]string{"operation": "ConfirmForgotPassword", "exception": "CodeMismatchException"}}
		limited   = series{"cognate_requests_total", map[string]string{"operation": "ConfirmForgotPassword", "exception": "LimitExceededException"}}
		refusal   = series{"cognate_limit_refusals_total", map[string]string{"limit": "recovery-guess"}}
		delivered = series{"cognate_deliveries_total", map[string]string{"channel": "inbox", "outcome": "delivered"}}
		latency   = series{"cognate_request_duration_seconds", map[string]string{"operation": "ForgotPassword"}}
		unknownOp = series{"cognate_requests_total", map[string]string{"operation": "unknown", "exception": "UnknownOperationException"}}
		hashQueue = series{"cognate_password_hash_queue_depth", map[string]string{}}
		moved     = []series{forgotOK, mismatch, limited, refusal, delivered, latency, unknownOp}
		want      = []float64{1, 5, 1, 1, 1, 1, 1}
		valueOf   = func(fams map[string]*dto.MetricFamily, se series) float64 {
			v, _ := metricValue(fams, se.name, se.labels)
			return v
		}
		before     = s.scrape(t)
		beforeVals []float64
	)
	for _, se := range moved {
		beforeVals = append(beforeVals, valueOf(before, se))
	}

	must(p.forgot("jane"))(t)
	code := p.code(t, "jane")
	for _, wrong := range rsecWrongCodes(code, 5) {
		wantErr[*types.CodeMismatchException](t, p.confirm("jane", wrong, recNewPassword), recMsgMismatch)
	}
	wantErr[*types.LimitExceededException](t, p.confirm("jane", code, recNewPassword), recMsgLimit) // the sixth guess
	callRaw(t, s.URL, "NoSuchOperation", `{}`)

	after := s.scrape(t)
	for i, se := range moved {
		if got := valueOf(after, se) - beforeVals[i]; got != want[i] {
			t.Errorf("%s%v moved by %v, want %v", se.name, se.labels, got, want[i])
		}
	}
	if v, ok := metricValue(after, hashQueue.name, hashQueue.labels); !ok || v != 0 {
		t.Errorf("%s = %v (present %v), want 0 on an idle server", hashQueue.name, v, ok)
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		if _, ok := after[name]; !ok {
			t.Errorf("no %s in /metrics", name)
		}
	}
	if h := after[latency.name]; h == nil || h.GetType() != dto.MetricType_HISTOGRAM {
		t.Errorf("%s is not a histogram", latency.name)
	}
}

// TestMetricsOutbox checks the outbox depth and the delivery outcomes of a real channel whose
// server refuses for now.
func TestMetricsOutbox(t *testing.T) {
	t.Parallel()
	smtpd := dlvStartSMTP(t, "127.0.0.1:0", nil)
	smtpd.setRcpt(func(int) error { return errors.New("451 try later") })
	s := startServer(t, "--smtp-url", "smtp://"+smtpd.Addr, "--smtp-timeout", "5s")
	if v, ok := metricValue(s.scrape(t), "cognate_outbox_depth", map[string]string{"channel": "smtp"}); !ok || v != 0 {
		t.Errorf("outbox depth of smtp at start = %v (present %v), want 0", v, ok)
	}
	a := dlvSetup(t, s, nil)
	a.user(t, "jane", "email", "jane@example.com", "email_verified", "true")
	must(a.forgot("jane"))(t)
	deadline := time.Now().Add(10 * time.Second)
	for {
		fams := s.scrape(t)
		depth, _ := metricValue(fams, "cognate_outbox_depth", map[string]string{"channel": "smtp"})
		retries, _ := metricValue(fams, "cognate_deliveries_total", map[string]string{"channel": "smtp", "outcome": "retry"})
		if depth == 1 && retries >= 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 10s: outbox depth %v, retries %v; want 1 and at least 1", depth, retries)
		}
		time.Sleep(50 * time.Millisecond)
	}
	smtpd.setRcpt(nil)
	deadline = time.Now().Add(10 * time.Second)
	for {
		fams := s.scrape(t)
		depth, _ := metricValue(fams, "cognate_outbox_depth", map[string]string{"channel": "smtp"})
		done, _ := metricValue(fams, "cognate_deliveries_total", map[string]string{"channel": "smtp", "outcome": "delivered"})
		if depth == 0 && done == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 10s: outbox depth %v, delivered %v; want 0 and 1", depth, done)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	for path, want := range map[string]string{"/healthz": "ok\n", "/readyz": "ready\n"} {
		if status, _, body := httpDo(t, http.MethodGet, s.URL+path, nil, nil); status != http.StatusOK || string(body) != want {
			t.Errorf("GET %s: %d %q, want 200 %q", path, status, body, want)
		}
	}
	// A store whose schema was not brought up to date is alive but not ready.
	u := startServer(t, "--store", filepath.Join(t.TempDir(), "cognate.db"), "--migrate=false")
	if status, _, _ := httpDo(t, http.MethodGet, u.URL+"/healthz", nil, nil); status != http.StatusOK {
		t.Errorf("GET /healthz of an unmigrated store: %d, want 200", status)
	}
	status, _, body := httpDo(t, http.MethodGet, u.URL+"/readyz", nil, nil)
	if status != http.StatusServiceUnavailable || !strings.Contains(string(body), "schema migrations not applied") {
		t.Errorf("GET /readyz of an unmigrated store: %d %q, want 503 naming the migrations", status, body)
	}
}

func TestJSONLogsCarryRequestIDs(t *testing.T) {
	t.Parallel()
	s := startServer(t, "--log-format", "json")
	_, h, _ := callRaw(t, s.URL, "ForgotPassword", `{"ClientId":"nosuchclient","Username":"jane"}`)
	id := h.Get("x-amzn-RequestId")
	if id == "" {
		t.Fatal("no x-amzn-RequestId")
	}
	var found map[string]any
	sc := bufio.NewScanner(strings.NewReader(s.stderr.String()))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("a log line is not JSON: %q", sc.Text())
		}
		if line["msg"] == "request" && line["request_id"] == id {
			found = line
		}
	}
	if found == nil {
		t.Fatalf("no request line with request_id %s in:\n%s", id, s.stderr.String())
	}
	if found["operation"] != "ForgotPassword" || found["exception"] != "ResourceNotFoundException" || found["status"] != 400.0 {
		t.Errorf("the request line: %v", found)
	}
}

func TestPprof(t *testing.T) {
	t.Parallel()
	s := startServer(t, "--pprof", "127.0.0.1:0")
	m := regexp.MustCompile(`msg="pprof serving" addr=(\S+)`).FindStringSubmatch(s.stderr.String())
	if m == nil {
		t.Fatalf("no pprof line in the log:\n%s", s.stderr.String())
	}
	if status, _, body := httpDo(t, http.MethodGet, "http://"+m[1]+"/debug/pprof/goroutine?debug=1", nil, nil); status != http.StatusOK || !strings.Contains(string(body), "goroutine profile") {
		t.Errorf("GET /debug/pprof/goroutine: %d", status)
	}
	// Not on the API's listener.
	if status, _, _ := httpDo(t, http.MethodGet, s.URL+"/debug/pprof/", nil, nil); status == http.StatusOK {
		t.Error("the API listener serves pprof")
	}
	if _, err := launch(t, "--addr", "127.0.0.1:0", "--store", ":memory:", "--pprof", "0.0.0.0:0"); err == nil || !strings.Contains(err.Error(), "must be on loopback") {
		t.Errorf("--pprof off loopback: %v", err)
	}
}

// waitLog waits until the server's log holds text.
func (s *testServer) waitLog(t testing.TB, text string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(s.stderr.String(), text) {
		if time.Now().After(deadline) {
			t.Fatalf("the log does not say %q after 10s:\n%s", text, s.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestShutdownFinishesRequestsInFlight stops a server while a fail-fast ForgotPassword waits
// for its SMTP delivery: the request still gets its answer, and run returns nil.
func TestShutdownFinishesRequestsInFlight(t *testing.T) {
	t.Parallel()
	smtpd := dlvStartSMTP(t, "127.0.0.1:0", nil)
	inSend, release := make(chan struct{}), make(chan struct{})
	smtpd.setRcpt(func(int) error { close(inSend); <-release; return nil })
	s := startServer(t, "--smtp-url", "smtp://"+smtpd.Addr, "--delivery", "fail-fast")
	a := dlvSetup(t, s, nil)
	a.user(t, "jane", "email", "jane@example.com", "email_verified", "true")

	answered := make(chan error, 1)
	go func() { _, err := a.forgot("jane"); answered <- err }()
	<-inSend
	stopped := make(chan struct{})
	go func() { s.Stop(t); close(stopped) }()
	s.waitLog(t, "shutting down: finishing the requests in flight")
	close(release)
	if err := <-answered; err != nil {
		t.Errorf("the request in flight at shutdown: %v", err)
	}
	<-stopped
	if mails := smtpd.waitMails(t, 1); len(mails) != 1 {
		t.Errorf("%d mails, want 1", len(mails))
	}
}

// TestShutdownHandsOverTheOutbox stops a server while its dispatcher is in the middle of a
// send, with more messages claimed behind it: the send's outcome is recorded, and the next
// start delivers the rest at once rather than when the stopped server's leases (a minute)
// run out.
func TestShutdownHandsOverTheOutbox(t *testing.T) {
	t.Parallel()
	store := filepath.Join(t.TempDir(), "cognate.db")
	first := dlvStartSMTP(t, "127.0.0.1:0", nil)
	inSend, release := make(chan struct{}), make(chan struct{})
	first.setRcpt(func(n int) error {
		if n == 1 {
			close(inSend)
			<-release
		}
		return errors.New("451 try later")
	})
	s := startServer(t, "--store", store, "--smtp-url", "smtp://"+first.Addr)
	a := dlvSetup(t, s, nil)
	names := []string{"ann", "ben", "cat"}
	for _, n := range names {
		a.user(t, n, "email", n+"@example.com", "email_verified", "true")
	}
	// Queued while the dispatcher sleeps between passes, so that one pass claims all three.
	for _, n := range names {
		must(a.forgot(n))(t)
	}
	<-inSend
	stopped := make(chan struct{})
	go func() { s.Stop(t); close(stopped) }()
	s.waitLog(t, "shutting down: finishing the delivery in progress")
	close(release)
	<-stopped
	if _, rcpts, _ := first.counts(); rcpts != 1 {
		t.Errorf("the stopping server tried %d sends, want only the one in progress", rcpts)
	}

	// Nothing holds a lease any more: what the stopped server claimed is free for anyone.
	db, err := sql.Open("sqlite", "file:"+store+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	var leased, queued int
	if err := db.QueryRow(`SELECT count(*) FILTER (WHERE lease_owner IS NOT NULL), count(*) FILTER (WHERE status = 'queued') FROM messages`).Scan(&leased, &queued); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if leased != 0 || queued != 3 {
		t.Errorf("after the stop: %d messages leased, %d queued; want 0 and 3", leased, queued)
	}

	second := dlvStartSMTP(t, "127.0.0.1:0", nil)
	s2 := startServer(t, "--store", store, "--smtp-url", "smtp://"+second.Addr)
	second.waitMails(t, 3)
	a.s = s2
	var attempts []int
	for _, n := range names {
		m := a.waitMessage(t, n, "delivered", dlvStatus("delivered")) // the mail is accepted before its record is written
		dlvWantRecord(t, m, "smtp", "delivered", -1)
		attempts = append(attempts, m.Attempts)
	}
	// The send that was in progress at the stop counted: its message took two attempts.
	slices.Sort(attempts)
	if !slices.Equal(attempts, []int{1, 1, 2}) {
		t.Errorf("attempts = %v, want 1, 1 and 2", attempts)
	}
}
