package sms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// publishCall is what the fake SNS saw of one request.
type publishCall struct {
	Method, ContentType string
	Action, Version     string
	PhoneNumber         string
	Message             string
	// Attributes maps each MessageAttributes entry's Name to "DataType=StringValue".
	Attributes    map[string]string
	Authorization string
	SecurityToken string
}

// fakeSNS is an SNS endpoint speaking the AWS Query protocol, as the Go SDK does: it records
// every request and answers with respond (a PublishResponse when respond is nil).
type fakeSNS struct {
	*httptest.Server
	mu      sync.Mutex
	calls   []publishCall
	respond func(w http.ResponseWriter, r *http.Request)
}

func newFakeSNS(t *testing.T, respond func(w http.ResponseWriter, r *http.Request)) *fakeSNS {
	t.Helper()
	f := &fakeSNS{respond: respond}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeSNS) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c := publishCall{
		Method:        r.Method,
		ContentType:   r.Header.Get("Content-Type"),
		Action:        r.PostForm.Get("Action"),
		Version:       r.PostForm.Get("Version"),
		PhoneNumber:   r.PostForm.Get("PhoneNumber"),
		Message:       r.PostForm.Get("Message"),
		Attributes:    map[string]string{},
		Authorization: r.Header.Get("Authorization"),
		SecurityToken: r.Header.Get("X-Amz-Security-Token"),
	}
	for n := 1; ; n++ {
		p := fmt.Sprintf("MessageAttributes.entry.%d.", n)
		name := r.PostForm.Get(p + "Name")
		if name == "" {
			break
		}
		c.Attributes[name] = r.PostForm.Get(p+"Value.DataType") + "=" + r.PostForm.Get(p+"Value.StringValue")
	}
	f.mu.Lock()
	f.calls = append(f.calls, c)
	f.mu.Unlock()
	if f.respond != nil {
		f.respond(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprint(w, `<PublishResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
  <PublishResult><MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId></PublishResult>
  <ResponseMetadata><RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId></ResponseMetadata>
</PublishResponse>`)
}

func (f *fakeSNS) recorded() []publishCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]publishCall(nil), f.calls...)
}

// snsError answers an SNS XML error.
func snsError(status int, typ, code, message string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<ErrorResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
  <Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error>
  <RequestId>9b5cbd0a-4e4d-5bd4-a2b8-4e3e0b1d0a11</RequestId>
</ErrorResponse>`, typ, code, message)
	}
}

func testSNSConfig(endpoint string) SNSConfig {
	return SNSConfig{
		Endpoint:        endpoint,
		Region:          "us-east-1",
		AccessKeyID:     "AKIDEXAMPLE",
		SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
		Timeout:         2 * time.Second,
	}
}

func newTestSNS(t *testing.T, cfg SNSConfig) *SNS {
	t.Helper()
	s, err := NewSNS(cfg)
	if err != nil {
		t.Fatalf("NewSNS: %v", err)
	}
	return s
}

func TestSNSPublishesText(t *testing.T) {
	f := newFakeSNS(t, nil)
	cfg := testSNSConfig(f.URL)
	cfg.SenderID = "Cognate"
	cfg.SessionToken = "FQoGZXIvYXdzEXAMPLETOKEN"
	s := newTestSNS(t, cfg)

	if err := s.Send(context.Background(), testText()); err != nil {
		t.Fatalf("Send = %v", err)
	}
	calls := f.recorded()
	if len(calls) != 1 {
		t.Fatalf("SNS got %d requests, want 1", len(calls))
	}
	got := calls[0]
	if !strings.HasPrefix(got.Authorization, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") ||
		!strings.Contains(got.Authorization, "/us-east-1/sns/aws4_request") {
		t.Errorf("Authorization = %q, want a SigV4 signature by AKIDEXAMPLE for us-east-1/sns", got.Authorization)
	}
	got.Authorization = ""
	want := publishCall{
		Method:      http.MethodPost,
		ContentType: "application/x-www-form-urlencoded",
		Action:      "Publish",
		Version:     "2010-03-31",
		PhoneNumber: "+15555550123",
		Message:     "Your password reset code is " + secretCode,
		Attributes: map[string]string{
			"AWS.SNS.SMS.SMSType":  "String=Transactional",
			"AWS.SNS.SMS.SenderID": "String=Cognate",
		},
		SecurityToken: "FQoGZXIvYXdzEXAMPLETOKEN",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Publish request (-want +got):\n%s", diff)
	}
}

func TestSNSWithoutSenderIDSendsOnlyTheSMSType(t *testing.T) {
	f := newFakeSNS(t, nil)
	cfg := testSNSConfig(f.URL)
	cfg.SMSType = SMSTypePromotional
	s := newTestSNS(t, cfg)
	if err := s.Send(context.Background(), testText()); err != nil {
		t.Fatalf("Send = %v", err)
	}
	calls := f.recorded()
	if len(calls) != 1 {
		t.Fatalf("SNS got %d requests, want 1", len(calls))
	}
	want := map[string]string{"AWS.SNS.SMS.SMSType": "String=Promotional"}
	if diff := cmp.Diff(want, calls[0].Attributes); diff != "" {
		t.Errorf("message attributes (-want +got):\n%s", diff)
	}
	if calls[0].SecurityToken != "" {
		t.Errorf("X-Amz-Security-Token = %q without a session token", calls[0].SecurityToken)
	}
}

func TestSNSClassifiesErrors(t *testing.T) {
	tests := []struct {
		name      string
		respond   func(http.ResponseWriter, *http.Request)
		permanent bool
		mention   string // the error must carry SNS's code
	}{
		{"InvalidParameter", snsError(400, "Sender", "InvalidParameter", "Invalid parameter: PhoneNumber Reason: +15555550123 is not valid to publish to"), true, "InvalidParameter"},
		{"ParameterValueInvalid", snsError(400, "Sender", "ParameterValueInvalid", "Invalid parameter value"), true, "ParameterValueInvalid"},
		{"InvalidParameterValue", snsError(400, "Sender", "InvalidParameterValue", "An invalid or out-of-range value was supplied for the input parameter."), true, "InvalidParameterValue"},
		{"OptedOut", snsError(400, "Sender", "OptedOut", "Phone number is opted out"), true, "OptedOut"},
		{"AuthorizationError", snsError(403, "Sender", "AuthorizationError", "User is not authorized to perform: SNS:Publish"), true, "AuthorizationError"},
		{"SignatureDoesNotMatch", snsError(403, "Sender", "SignatureDoesNotMatch", "The request signature we calculated does not match"), true, "SignatureDoesNotMatch"},
		{"unknown 4xx client fault", snsError(400, "Sender", "SomethingNew", "new rule"), true, "SomethingNew"},
		{"Throttling", snsError(400, "Sender", "Throttling", "Rate exceeded"), false, "Throttling"},
		{"Throttled 429", snsError(429, "Sender", "Throttled", "Rate exceeded"), false, "Throttled"},
		{"InternalError 500", snsError(500, "Receiver", "InternalError", "Internal error"), false, "InternalError"},
		{"500 without XML", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "oops", http.StatusInternalServerError)
		}, false, "500"},
		{"503 empty", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
		}, false, "503"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSNS(t, tt.respond)
			s := newTestSNS(t, testSNSConfig(f.URL))
			err := s.Send(context.Background(), testText())
			if err == nil {
				t.Fatal("Send = nil, want an error")
			}
			t.Log(err)
			if got := errors.Is(err, ErrPermanent); got != tt.permanent {
				t.Errorf("Send = %v; permanent = %t, want %t", err, got, tt.permanent)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("Send = %v, want it to mention %q", err, tt.mention)
			}
			if !strings.Contains(err.Error(), testText().MessageID) {
				t.Errorf("Send = %v, want it to name the message", err)
			}
			assertNoLeak(t, err, "wJalrXUtnFEMI")
			if n := len(f.recorded()); n != 1 {
				t.Errorf("SNS got %d requests, want 1 (retries belong to the dispatcher)", n)
			}
		})
	}
}

func TestSNSNetworkFailureIsTransient(t *testing.T) {
	f := newFakeSNS(t, nil)
	endpoint := f.URL
	f.Close()
	s := newTestSNS(t, testSNSConfig(endpoint))
	err := s.Send(context.Background(), testText())
	if err == nil || errors.Is(err, ErrPermanent) {
		t.Fatalf("Send = %v, want a transient error", err)
	}
	assertNoLeak(t, err)
}

func TestSNSTimeoutIsTransient(t *testing.T) {
	f := newFakeSNS(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	cfg := testSNSConfig(f.URL)
	cfg.Timeout = 200 * time.Millisecond
	s := newTestSNS(t, cfg)
	start := time.Now()
	err := s.Send(context.Background(), testText())
	if err == nil || errors.Is(err, ErrPermanent) {
		t.Fatalf("Send = %v, want a transient error", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Send took %s with a 200ms timeout", d)
	}
}

func TestSNSRefusesBadTextWithoutPublishing(t *testing.T) {
	f := newFakeSNS(t, nil)
	s := newTestSNS(t, testSNSConfig(f.URL))
	for _, change := range []func(*Text){
		func(x *Text) { x.To = "5555550123" },
		func(x *Text) { x.Body = "" },
		func(x *Text) { x.Body = strings.Repeat("1", MaxBodyLength+1) },
	} {
		x := testText()
		change(x)
		if err := s.Send(context.Background(), x); !errors.Is(err, ErrPermanent) {
			t.Errorf("Send = %v, want ErrPermanent", err)
		}
	}
	if n := len(f.recorded()); n != 0 {
		t.Errorf("SNS got %d requests, want 0", n)
	}
}

func TestNewSNSRefusesBadConfig(t *testing.T) {
	tests := []struct {
		name   string
		change func(*SNSConfig)
	}{
		{"no region", func(c *SNSConfig) { c.Region = "" }},
		{"endpoint without scheme", func(c *SNSConfig) { c.Endpoint = "localhost:4566" }},
		{"endpoint with ftp scheme", func(c *SNSConfig) { c.Endpoint = "ftp://localhost:4566" }},
		{"endpoint with user", func(c *SNSConfig) { c.Endpoint = "http://u:p@localhost:4566" }},
		{"no access key", func(c *SNSConfig) { c.AccessKeyID = "" }},
		{"no secret key", func(c *SNSConfig) { c.SecretAccessKey = "" }},
		{"unknown SMS type", func(c *SNSConfig) { c.SMSType = "transactional" }},
		{"sender ID too long", func(c *SNSConfig) { c.SenderID = "CognateCognate" }},
		{"sender ID with space", func(c *SNSConfig) { c.SenderID = "Cog nate" }},
		{"sender ID all digits", func(c *SNSConfig) { c.SenderID = "12345" }},
		{"negative timeout", func(c *SNSConfig) { c.Timeout = -time.Second }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testSNSConfig("http://127.0.0.1:4566")
			tt.change(&cfg)
			s, err := NewSNS(cfg)
			if err == nil {
				t.Fatalf("NewSNS = %v, nil; want an error", s)
			}
			assertNoLeak(t, err, cfg.SecretAccessKey)
		})
	}
}

func TestNewSNSDefaults(t *testing.T) {
	cfg := testSNSConfig("")
	cfg.Timeout = 0
	s := newTestSNS(t, cfg)
	if s.smsType != SMSTypeTransactional || s.timeout != DefaultTimeout {
		t.Errorf("SMS type %q, timeout %s; want %q, %s", s.smsType, s.timeout, SMSTypeTransactional, DefaultTimeout)
	}
}

func TestSNSConfigRedactsSecrets(t *testing.T) {
	cfg := testSNSConfig("http://127.0.0.1:4566")
	cfg.SessionToken = "FQoGZXIvYXdzEXAMPLETOKEN"
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("config", "sns", cfg)
	for _, out := range []string{cfg.String(), fmt.Sprint(cfg), fmt.Sprintf("%v", cfg), b.String()} {
		if strings.Contains(out, cfg.SecretAccessKey) || strings.Contains(out, cfg.SessionToken) {
			t.Errorf("%q leaks a secret", out)
		}
		if !strings.Contains(out, "AKIDEXAMPLE") {
			t.Errorf("%q does not name the access key ID", out)
		}
	}
}
