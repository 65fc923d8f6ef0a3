package main

// Delivery faults (issue 15 point 4), each against a real local listener on loopback: an
// SMTP server that drops the connection mid-message; SNS and the SMS webhook answering 5xx
// and never answering; a trigger's webhook answering 5xx; a Lambda function that never
// answers. Each gives the documented answer, retries as designed, leaves no half-written
// state, and delivers each message once when the peer comes back. (Refusing and hanging
// SMTP servers are delivery_e2e_test.go's TestDeliverySMTPServerDownThenBack and
// TestDeliverySMTPHangTimesOut.)

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// dlvFaulty stands in front of a peer on a loopback port: the next n requests get the
// fault ("5xx": a 503 with a body that names no error; "hang": no answer until the client
// gives up), the others go through to the peer.
type dlvFaulty struct {
	*httptest.Server
	mu      sync.Mutex
	mode    string
	left    int
	faulted int
	passed  int
}

func dlvStartFaulty(t testing.TB, target string) *dlvFaulty {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	f := &dlvFaulty{}
	stop := make(chan struct{})
	proxy := httputil.NewSingleHostReverseProxy(u)
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		mode := ""
		if f.left > 0 {
			f.left--
			f.faulted++
			mode = f.mode
		} else {
			f.passed++
		}
		f.mu.Unlock()
		switch mode {
		case "5xx":
			io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("Service Unavailable"))
		case "hang":
			// The body is read first: net/http notices the client going away (and ends the
			// request's context) only once it has.
			io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-stop:
			}
		default:
			proxy.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(f.Close)
	t.Cleanup(func() { close(stop) }) // before Close, which waits for the handlers
	return f
}

// fail makes the next n requests get the fault.
func (f *dlvFaulty) fail(mode string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.mode, f.left = mode, n
}

// counts returns how many requests got the fault and how many went through.
func (f *dlvFaulty) counts() (faulted, passed int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.faulted, f.passed
}

// TestDeliveryFaultSMTPDropMidMessage: the SMTP server cuts the connection in the middle
// of DATA: ForgotPassword has answered (queue mode), the message stays queued with the
// error and no copy of the code in it, and it is delivered once on the next attempt.
func TestDeliveryFaultSMTPDropMidMessage(t *testing.T) {
	t.Parallel()
	mx := dlvStartSMTP(t, "127.0.0.1:0", nil)
	mx.drop.Store(1)
	s := startServer(t, "--smtp-url", "smtp://"+mx.Addr)
	a := dlvSetup(t, s, nil)
	a.user(t, "jane", "email", "jane@example.com", "email_verified", "true")
	out := must(a.forgot("jane"))(t)
	if aws.ToString(out.CodeDeliveryDetails.Destination) != "j***@e***" {
		t.Errorf("CodeDeliveryDetails %+v", out.CodeDeliveryDetails)
	}
	m := a.waitMessage(t, "jane", "attempted", func(m inboxMessage) bool { return m.Attempts >= 1 })
	if m.Status == "queued" && (m.LastError == "" || dlvDigits.MatchString(m.LastError)) {
		t.Errorf("after the drop: LastError %q, want the error without the code", m.LastError)
	}
	m = a.waitMessage(t, "jane", "delivered", dlvStatus("delivered"))
	dlvWantRecord(t, m, "smtp", "delivered", 2)
	mails := mx.waitMails(t, 1)
	_, text := dlvParse(t, mails[0].Data)
	a.resetWith(t, "jane", dlvCode(t, text))
	mx.mu.Lock()
	dropped := mx.dropped
	mx.mu.Unlock()
	if _, _, mails := mx.counts(); dropped != 1 || len(mails) != 1 {
		t.Errorf("the server dropped %d and accepted %d messages, want 1 and 1", dropped, len(mails))
	}
}

// TestDeliveryFaultSMS: SNS and the SMS webhook answering 503 and never answering, twice
// each, in queue mode: ForgotPassword answers at once; the message stays queued with the
// error (no code in it), is retried with backoff, and is delivered exactly once when the
// peer answers again; the code works. In fail-fast mode the same fault is
// CodeDeliveryFailureException, the message "failed" and never sent later, and the next
// request, once the peer is back, delivers once.
func TestDeliveryFaultSMS(t *testing.T) {
	t.Parallel()
	const secret = "webhook-secret-0123456789"
	for _, provider := range []string{"sns", "webhook"} {
		for _, fault := range []string{"5xx", "hang"} {
			t.Run(provider+"/"+fault, func(t *testing.T) {
				t.Parallel()
				var peer string
				var delivered func() []string // the texts the peer took
				if provider == "sns" {
					sns := dlvStartSNS(t)
					peer, delivered = sns.URL, func() (out []string) {
						for _, c := range sns.recorded() {
							out = append(out, c.Message)
						}
						return out
					}
				} else {
					hook := dlvStartWebhook(t, secret)
					peer, delivered = hook.URL, func() (out []string) {
						for _, h := range hook.recorded() {
							if h.SigErr == nil {
								out = append(out, h.Payload["body"])
							}
						}
						return out
					}
				}
				front := dlvStartFaulty(t, peer)
				flags := []string{"--sms-provider", provider, "--sms-timeout", "300ms"}
				if provider == "sns" {
					flags = append(flags, "--sns-endpoint", front.URL, "--sns-access-key-id", "x", "--sns-secret-access-key", "y")
				} else {
					flags = append(flags, "--sms-webhook-url", front.URL+"/sms", "--sms-webhook-secret", secret)
				}

				// Queue mode.
				s := startServer(t, flags...)
				a := dlvSetup(t, s, dlvPhoneRecovery)
				a.user(t, "jane", "phone_number", "+15555550100", "phone_number_verified", "true")
				front.fail(fault, 2)
				must(a.forgot("jane"))(t)
				m := a.waitMessage(t, "jane", "attempted", func(m inboxMessage) bool { return m.Attempts >= 1 })
				if m.Status == "queued" && (m.LastError == "" || dlvDigits.MatchString(m.LastError)) {
					t.Errorf("after a fault: LastError %q, want the error without the code", m.LastError)
				}
				m = a.waitMessage(t, "jane", "delivered", dlvStatus("delivered"))
				dlvWantRecord(t, m, provider, "delivered", 3)
				texts := delivered()
				if faulted, passed := front.counts(); faulted != 2 || passed != 1 || len(texts) != 1 {
					t.Fatalf("%d faulted and %d passed requests, %d delivered texts; want 2, 1, 1", faulted, passed, len(texts))
				}
				a.resetWith(t, "jane", dlvCode(t, texts[0]))

				// Fail-fast mode.
				ff := startServer(t, append(flags, "--delivery", "fail-fast")...)
				b := dlvSetup(t, ff, dlvPhoneRecovery)
				b.user(t, "jane", "phone_number", "+15555550100", "phone_number_verified", "true")
				front.fail(fault, 1)
				_, err := b.forgot("jane")
				wantErr[*types.CodeDeliveryFailureException](t, err, dlvFailed)
				dlvWantRecord(t, b.inbox(t, "jane")[0], provider, "failed", 1)
				out := must(b.forgot("jane"))(t) // the peer is back
				if out.CodeDeliveryDetails == nil {
					t.Fatal("no CodeDeliveryDetails once the peer is back")
				}
				msgs := b.inbox(t, "jane")
				dlvWantRecord(t, msgs[0], provider, "delivered", 1)
				ff.waitDispatcherPasses(t, 2) // a whole pass: it would have sent the failed one
				dlvWantRecord(t, b.inbox(t, "jane")[1], provider, "failed", 1)
				if texts := delivered(); len(texts) != 2 {
					t.Fatalf("%d texts delivered in all, want 2 (one per mode)", len(texts))
				} else {
					b.resetWith(t, "jane", dlvCode(t, texts[1]))
				}
			})
		}
	}
}

// TestDeliveryFaultTriggers: a trigger's webhook answering 503 and a Lambda function that
// never answers, on the CustomMessage of a ForgotPassword. Each try is bounded
// (--trigger-timeout) and the invocation is tried three times (spec §6.7): a peer that
// fails twice and then answers gives one message shaped by it; one that fails three times
// is UnexpectedLambdaException in AWS's words, with nothing written (no message, no new
// code: the code sent before still works) and the request not counted.
func TestDeliveryFaultTriggers(t *testing.T) {
	fn := newFnServer(t, func(c fnCall) fnAnswer {
		return fnAnswer{Response: map[string]any{"emailSubject": "Shaped", "emailMessage": "Your code: {####}"}}
	})
	hookArn := fnArnPrefix + "hooked-message"
	front := dlvStartFaulty(t, fn.URL)
	flags := []string{"--lambda-endpoint", front.URL, "--lambda-access-key-id", fnKeyID, "--lambda-secret-access-key", fnSecret,
		"--trigger-webhook", hookArn + "=" + front.URL + "/hook", "--trigger-webhook-secret", fnHookSecret, "--trigger-timeout", fnShortTimeout}
	s := startServer(t, flags...)
	for _, tc := range []struct {
		name, function, fault, reason string
	}{
		{"webhook 5xx", hookArn, "5xx", "ServiceException"},
		{"lambda hang", fnArnPrefix + "message", "hang", "Socket timeout while invoking Lambda function"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, fnLambda(&types.LambdaConfigType{CustomMessage: aws.String(tc.function)}))
			p.jane(t)
			before := len(fn.Calls(t))

			// Two failed tries, then an answer: one message, shaped by the function.
			front.fail(tc.fault, 2)
			must(p.forgot("jane"))(t)
			msgs := p.recoveryMessages(t, "jane")
			if len(msgs) != 1 || msgs[0].Subject != "Shaped" || msgs[0].ShapedBy != "CustomMessage" {
				t.Fatalf("after two failed tries: %+v", msgs)
			}
			first := fnCode.FindString(msgs[0].Body)

			// Three failed tries: refused in AWS's words, nothing written.
			f0, p0 := front.counts()
			front.fail(tc.fault, 3)
			_, err := p.forgot("jane")
			wantCodeMsg(t, err, "UnexpectedLambdaException", "CustomMessage invocation failed due to error "+tc.reason+".")
			if f1, p1 := front.counts(); f1-f0 != 3 || p1 != p0 {
				t.Errorf("%d tries failed and %d went through, want 3 and 0", f1-f0, p1-p0)
			}
			if n := len(p.recoveryMessages(t, "jane")); n != 1 {
				t.Errorf("%d messages after a refused request, want 1", n)
			}
			if calls := fn.Calls(t)[before:]; len(calls) != 1 {
				t.Errorf("the function ran %d times, want once (the faults never reached it)", len(calls))
			}
			// No new code replaced the one sent before: it still works.
			if err := p.confirm("jane", first, recNewPassword); err != nil {
				t.Fatalf("the code sent before the refused request: %v", err)
			}
			// The refused request was not counted: four more fit in the hour's five.
			for range 4 {
				must(p.forgot("jane"))(t)
			}
		})
	}
	if logs := s.stderr.String(); !strings.Contains(logs, `outcome=unreachable`) || strings.Contains(logs, "Your code: ") {
		t.Errorf("the log lacks the failed tries, or names a message:\n%s", logs)
	}
}

// TestDeliveryFaultCustomSender: a custom email sender whose Invoke API answers 503. The
// request answers as Cognito does, which does not wait for the sender (spec §6.6); the
// inbox's record of the hand-off says it failed and why, without the code, and is never
// retried (the code is not kept to send again). Once the peer is back, the next request's
// code reaches the sender once.
func TestDeliveryFaultCustomSender(t *testing.T) {
	fn := newFnServer(t, func(fnCall) fnAnswer { return fnAnswer{} })
	front := dlvStartFaulty(t, fn.URL)
	s := startServer(t, "--lambda-endpoint", front.URL, "--lambda-access-key-id", fnKeyID, "--lambda-secret-access-key", fnSecret,
		"--kms-endpoint", fn.URL+"/kms")
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, fnLambda(&types.LambdaConfigType{KMSKeyID: aws.String(fnKMSKey),
		CustomEmailSender: &types.CustomEmailLambdaVersionConfigType{LambdaVersion: types.CustomEmailSenderLambdaVersionTypeV10,
			LambdaArn: aws.String(fnArnPrefix + "sender")}}))
	p.jane(t)

	front.fail("5xx", 1)
	recWantDelivery(t, must(p.forgot("jane"))(t), nil, recEmail("j***@e***"))
	msgs := p.inbox(t)
	if len(msgs) != 1 || msgs[0].Status != "failed" || msgs[0].Attempts != 1 || msgs[0].ShapedBy != "CustomEmailSender" ||
		msgs[0].LastError != "CustomEmailSender invocation failed due to error ServiceException." || msgs[0].Body != "" {
		t.Fatalf("the record of a failed hand-off: %+v", msgs)
	}
	if calls := fn.Calls(t); len(calls) != 0 {
		t.Fatalf("the sender got %d events through a failing Invoke API", len(calls))
	}

	recWantDelivery(t, must(p.forgot("jane"))(t), nil, recEmail("j***@e***"))
	s.waitDispatcherPasses(t, 2) // a whole pass: the failed hand-off is not tried again
	msgs = p.inbox(t)
	if len(msgs) != 2 || msgs[0].Status != "delivered" || msgs[1].Status != "failed" || msgs[1].Attempts != 1 {
		t.Errorf("records %+v, want the new hand-off delivered and the failed one left failed", msgs)
	}
	if calls := fn.Calls(t); len(calls) != 1 || !calls[0].Async || calls[0].Event["triggerSource"] != "CustomEmailSender_ForgotPassword" {
		t.Errorf("the sender got %d events, want the one of the second request", len(calls))
	}
}
