package awsjson_test

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"cognate/internal/awsjson"
)

func TestSuccessPathDecodesInputAndEncodesOutput(t *testing.T) {
	f := newFixture(t)
	body := `{"UserPoolId":"us-east-1_abc","Username":"alice","Password":"correct-horse","Mode":"B","Count":60,` +
		`"Enabled":false,"Tags":["red","blue"],"Attributes":[{"Name":"email","Value":"a@example.com"}],` +
		`"Metadata":{"k":"v"},"Secrets":{"s":"hidden"},"Settings":{"Level":1,"Note":"n","Inner":{"Deep":"d"}},` +
		`"When":1700000000.5}`
	res, got := f.do(t, request{target: op("PutWidget"), body: body, header: map[string]string{"X-Test-Client": "203.0.113.7"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, body %s", res.StatusCode, got)
	}
	if ct := res.Header.Get("Content-Type"); ct != awsjson.ContentType {
		t.Errorf("Content-Type = %q, want %q", ct, awsjson.ContentType)
	}
	for _, h := range []string{"x-amzn-ErrorType", "x-amzn-ErrorMessage"} {
		if v := res.Header.Get(h); v != "" {
			t.Errorf("%s = %q on success", h, v)
		}
	}
	want := `{"WidgetId":"w-1","Username":"alice","Count":60,"Tags":["red","blue"],"CreatedAt":1700000000.5}`
	if got != want {
		t.Errorf("body = %s\nwant   %s", got, want)
	}

	count, no, level := int32(60), false, int32(1)
	wantIn := &putWidgetInput{
		UserPoolId: "us-east-1_abc", Username: "alice", Password: "correct-horse", Mode: "B",
		Count: &count, Enabled: &no, Tags: []string{"red", "blue"},
		Attributes: []attribute{{Name: "email", Value: "a@example.com"}},
		Metadata:   map[string]string{"k": "v"},
		Secrets:    map[string]string{"s": "hidden"},
		Settings:   &settings{Level: &level, Note: "n", Inner: &inner{Deep: "d"}},
		When:       1700000000.5,
	}
	if diff := cmp.Diff(wantIn, f.widgetIn); diff != "" {
		t.Errorf("operation input mismatch (-want +got):\n%s", diff)
	}
	if f.widgetCtx != "203.0.113.7" {
		t.Errorf("operation context value = %v, want the one Handler.Context put there", f.widgetCtx)
	}
}

func TestNilOutputIsEmptyObject(t *testing.T) {
	f := newFixture(t)
	res, body := f.do(t, request{target: op("Nothing"), body: `{"Whatever":[1,{"x":null}]}`})
	if res.StatusCode != http.StatusOK || body != `{}` {
		t.Errorf("got %d %s, want 200 {}", res.StatusCode, body)
	}
	if f.opCalls != 1 {
		t.Errorf("operation called %d times, want 1", f.opCalls)
	}
}

func TestOperationErrors(t *testing.T) {
	tests := []struct {
		name string
		op   string
		want wireError
	}{
		{
			name: "api_error_with_http_status_403",
			op:   "Deny",
			want: wireError{Status: 403, Type: "ForbiddenException", Message: "Request blocked by the firewall."},
		},
		{
			name: "api_error_without_http_status_is_400",
			op:   "Reject",
			want: wireError{Status: 400, Type: "NotAuthorizedException", Message: "Incorrect username or password."},
		},
		{
			name: "wrapped_api_error_keeps_its_code",
			op:   "Wrapped",
			want: wireError{Status: 400, Type: "ExpiredCodeException", Message: "Invalid code provided, please request a code again."},
		},
		{
			name: "awsjson_error_with_status_0_is_400",
			op:   "StatusZero",
			want: wireError{Status: 400, Type: "LimitExceededException", Message: "Attempt limit exceeded, please try after some time."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			res, body := f.do(t, request{target: op(tt.op), body: `{}`})
			if diff := cmp.Diff(tt.want, errorOf(t, res, body)); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
			if got := res.Header.Get("x-amzn-ErrorMessage"); got != tt.want.Message {
				t.Errorf("x-amzn-ErrorMessage = %q, want %q", got, tt.want.Message)
			}
			if f.log.Len() != 0 {
				t.Errorf("an operation's deliberate error was logged:\n%s", f.log)
			}
			checkGolden(t, tt.name, res, body)
		})
	}
}

func TestPlainErrorIsInternalAndLoggedOnce(t *testing.T) {
	f := newFixture(t)
	const secret = "hunter2-Secret-Value"
	res, body := f.do(t, request{target: op("Explode"), body: `{"Password":"` + secret + `"}`})
	want := wireError{Status: 500, Type: "InternalErrorException", Message: "Internal server error."}
	if diff := cmp.Diff(want, errorOf(t, res, body)); diff != "" {
		t.Errorf("error mismatch (-want +got):\n%s", diff)
	}
	if f.explodeSeen != secret {
		t.Errorf("operation saw password %q, want the one sent", f.explodeSeen)
	}
	if strings.Contains(body, "fire") {
		t.Errorf("the internal error's text reached the client: %s", body)
	}
	log := f.log.String()
	if lines := strings.Count(log, "\n"); lines != 1 {
		t.Fatalf("logged %d lines, want 1:\n%s", lines, log)
	}
	id := res.Header.Get("x-amzn-RequestId")
	if id == "" || !strings.Contains(log, "request_id="+id) {
		t.Errorf("log line does not carry the request id %q:\n%s", id, log)
	}
	for _, s := range []string{"level=ERROR", "database is on fire", "target=" + op("Explode")} {
		if !strings.Contains(log, s) {
			t.Errorf("log line lacks %q:\n%s", s, log)
		}
	}
	if strings.Contains(log, secret) {
		t.Errorf("log line carries the request body's secret:\n%s", log)
	}
	checkGolden(t, "plain_error_is_internal", res, body)
}

func TestNilLoggerDiscards(t *testing.T) {
	f := newFixture(t)
	f.h.Logger = nil
	res, body := f.do(t, request{target: op("Explode"), body: `{"Password":"correct-horse"}`})
	if got := errorOf(t, res, body); got.Status != 500 || got.Type != "InternalErrorException" {
		t.Errorf("got %+v, want 500 InternalErrorException", got)
	}
}

func TestAuthorize(t *testing.T) {
	tests := []struct {
		name string
		auth string // Authorization header; "" sends none
		body string
		want wireError // zero for success
	}{
		{
			name: "authorize_refuses_signed_op",
			body: `{"UserPoolId":"us-east-1_abc"}`,
			want: wireError{Status: 400, Type: "MissingAuthenticationTokenException", Message: "Missing Authentication Token"},
		},
		{
			name: "authorize_refusal_keeps_its_status",
			auth: "bad",
			body: `{"UserPoolId":"us-east-1_abc"}`,
			want: wireError{Status: 403, Type: "UnrecognizedClientException", Message: "The security token included in the request is invalid."},
		},
		{
			// The signature is checked before the body is read as JSON, as AWS does.
			name: "authorize_runs_before_validation",
			body: `{"UserPoolId":`,
			want: wireError{Status: 400, Type: "MissingAuthenticationTokenException", Message: "Missing Authentication Token"},
		},
		{
			name: "authorize_accepts",
			auth: "ok",
			body: `{"UserPoolId":"us-east-1_abc"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			rq := request{target: op("AdminPing"), body: tt.body}
			if tt.auth != "" {
				rq.header = map[string]string{"Authorization": tt.auth}
			}
			res, body := f.do(t, rq)
			if diff := cmp.Diff([]string{"AdminPing"}, f.authorized); diff != "" {
				t.Errorf("Authorize calls mismatch (-want +got):\n%s", diff)
			}
			if string(f.authBody) != tt.body {
				t.Errorf("Authorize saw body %q, want the raw body %q", f.authBody, tt.body)
			}
			if tt.want == (wireError{}) {
				if res.StatusCode != http.StatusOK || f.opCalls != 1 {
					t.Errorf("got %d %s with %d operation calls, want 200 and 1 call", res.StatusCode, body, f.opCalls)
				}
				return
			}
			if diff := cmp.Diff(tt.want, errorOf(t, res, body)); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
			if f.opCalls != 0 {
				t.Errorf("operation ran %d times after Authorize refused", f.opCalls)
			}
			checkGolden(t, tt.name, res, body)
		})
	}
}

func TestAuthorizeNotCalledForUnsignedOp(t *testing.T) {
	f := newFixture(t)
	for _, rq := range []request{
		{target: op("PutWidget"), body: widget("")},
		{target: op("PutWidget"), body: `{}`},
		{target: op("Nothing"), body: ``},
		{method: http.MethodOptions},
	} {
		f.do(t, rq)
	}
	if len(f.authorized) != 0 {
		t.Errorf("Authorize called for %v; only signed operations need it", f.authorized)
	}
}

func TestNilAuthorizeAllowsSignedOp(t *testing.T) {
	f := newFixture(t)
	f.h.Authorize = nil
	res, body := f.do(t, request{target: op("AdminPing"), body: `{"UserPoolId":"us-east-1_abc"}`})
	if res.StatusCode != http.StatusOK || body != `{}` {
		t.Errorf("got %d %s, want 200 {}", res.StatusCode, body)
	}
}

func TestCORSPreflight(t *testing.T) {
	tests := []struct {
		name        string
		requested   string
		wantHeaders string
	}{
		{
			name:        "echoes_requested_headers",
			requested:   "content-type,x-amz-target,x-amz-user-agent,cache-control",
			wantHeaders: "content-type,x-amz-target,x-amz-user-agent,cache-control",
		},
		{
			name: "default_headers_without_request",
			wantHeaders: "content-type, x-amz-target, x-amz-user-agent, cache-control, amz-sdk-invocation-id, " +
				"amz-sdk-request, authorization, x-amz-date, x-amz-security-token, x-amz-content-sha256",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			rq := request{method: http.MethodOptions, target: op("AdminPing"), header: map[string]string{
				"Origin":                        "http://localhost:3000",
				"Access-Control-Request-Method": "POST",
			}}
			if tt.requested != "" {
				rq.header["Access-Control-Request-Headers"] = tt.requested
			}
			res, body := f.do(t, rq)
			if res.StatusCode != http.StatusOK {
				t.Errorf("status = %d, want 200", res.StatusCode)
			}
			if body != "" {
				t.Errorf("preflight body = %q, want none", body)
			}
			want := map[string]string{
				"Access-Control-Allow-Origin":  "*",
				"Access-Control-Allow-Methods": "POST, OPTIONS",
				"Access-Control-Allow-Headers": tt.wantHeaders,
				"Access-Control-Max-Age":       "86400",
			}
			got := map[string]string{}
			for k := range want {
				got[k] = res.Header.Get(k)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("preflight headers mismatch (-want +got):\n%s", diff)
			}
			if res.Header.Get("x-amzn-RequestId") == "" || res.Header.Get("Date") == "" {
				t.Errorf("preflight lacks x-amzn-RequestId or Date: %v", res.Header)
			}
			if len(f.authorized) != 0 || f.opCalls != 0 {
				t.Errorf("preflight reached Authorize (%v) or an operation (%d calls)", f.authorized, f.opCalls)
			}
		})
	}
}

func TestCORSHeadersOnResponses(t *testing.T) {
	f := newFixture(t)
	for name, rq := range map[string]request{
		"success":    {target: op("PutWidget"), body: widget("")},
		"validation": {target: op("PutWidget"), body: `{}`},
		"unknown":    {target: op("Nope")},
		"internal":   {target: op("Explode"), body: `{"Password":"correct-horse"}`},
	} {
		res, _ := f.do(t, rq)
		if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("%s: Access-Control-Allow-Origin = %q, want *", name, got)
		}
		expose := res.Header.Get("Access-Control-Expose-Headers")
		for _, h := range []string{"x-amzn-RequestId", "x-amzn-ErrorType", "x-amzn-ErrorMessage", "Date"} {
			if !strings.Contains(expose, h) {
				t.Errorf("%s: Access-Control-Expose-Headers %q lacks %s", name, expose, h)
			}
		}
	}
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestRequestIDAndDateOnEveryResponse(t *testing.T) {
	f := newFixture(t)
	ids := map[string]string{}
	for _, tc := range []struct {
		name string
		rq   request
	}{
		{"success", request{target: op("PutWidget"), body: widget("")}},
		{"success_again", request{target: op("PutWidget"), body: widget("")}},
		{"client_error", request{target: op("PutWidget"), body: `[]`}},
		{"internal_error", request{target: op("Explode"), body: `{"Password":"correct-horse"}`}},
		{"too_large", request{target: op("PutWidget"), body: padded(t, awsjson.MaxBodyBytes+1)}},
		{"get", request{method: http.MethodGet}},
		{"preflight", request{method: http.MethodOptions}},
	} {
		before := time.Now().Add(-time.Second)
		res, _ := f.do(t, tc.rq)
		id := res.Header.Get("x-amzn-RequestId")
		if !uuidV4.MatchString(id) {
			t.Errorf("%s: x-amzn-RequestId = %q, want a random UUID", tc.name, id)
		}
		if other, dup := ids[id]; dup {
			t.Errorf("%s: request id %q repeats that of %s", tc.name, id, other)
		}
		ids[id] = tc.name
		date, err := http.ParseTime(res.Header.Get("Date"))
		if err != nil {
			t.Errorf("%s: Date %q: %v", tc.name, res.Header.Get("Date"), err)
		} else if date.Before(before.Truncate(time.Second)) || date.After(time.Now().Add(time.Second)) {
			t.Errorf("%s: Date %v is not now", tc.name, date)
		}
	}
}

func TestNewRequestIDHook(t *testing.T) {
	f := newFixture(t)
	f.h.NewRequestID = func() string { return "req-42" }
	res, _ := f.do(t, request{target: op("Explode"), body: `{"Password":"correct-horse"}`})
	if got := res.Header.Get("x-amzn-RequestId"); got != "req-42" {
		t.Errorf("x-amzn-RequestId = %q, want the hook's", got)
	}
	if !strings.Contains(f.log.String(), "request_id=req-42") {
		t.Errorf("log line lacks the hook's request id:\n%s", f.log)
	}
}

func TestEmptyMessageLeavesHeaderAndMemberOut(t *testing.T) {
	f := newFixture(t)
	f.h.Routes["Nothing"] = awsjson.Bind(nothingOp, func(context.Context, *empty) (*empty, error) {
		return nil, plainAPIError{code: "UserNotFoundException"}
	})
	res, body := f.do(t, request{target: op("Nothing"), body: `{}`})
	if got := errorOf(t, res, body); got != (wireError{Status: 400, Type: "UserNotFoundException"}) {
		t.Errorf("got %+v", got)
	}
	if _, ok := res.Header["X-Amzn-Errormessage"]; ok {
		t.Errorf("x-amzn-ErrorMessage sent for an empty message")
	}
	checkGolden(t, "empty_message", res, body)
}

func TestHeaderMessageIsPrintableASCII(t *testing.T) {
	f := newFixture(t)
	f.h.Routes["Nothing"] = awsjson.Bind(nothingOp, func(context.Context, *empty) (*empty, error) {
		return nil, plainAPIError{code: "CodeMismatchException", msg: "Code\r\nX-Injected: 1 — wrong"}
	})
	res, body := f.do(t, request{target: op("Nothing"), body: `{}`})
	if got, want := res.Header.Get("x-amzn-ErrorMessage"), "Code  X-Injected: 1   wrong"; got != want {
		t.Errorf("x-amzn-ErrorMessage = %q, want %q", got, want)
	}
	if got := errorOf(t, res, body).Message; got != "Code\r\nX-Injected: 1 — wrong" {
		t.Errorf("body message = %q, want it whole", got)
	}
}

func TestRouteUnsupported(t *testing.T) {
	refused := awsjson.Refuse(refusedOp, errors.New("no"))
	bound := awsjson.Bind(nothingOp, func(context.Context, *empty) (*empty, error) { return nil, nil })
	if !refused.Unsupported() || bound.Unsupported() {
		t.Errorf("Refuse().Unsupported() = %v, Bind().Unsupported() = %v; want true, false", refused.Unsupported(), bound.Unsupported())
	}
}

func TestErrorValue(t *testing.T) {
	e := &awsjson.Error{Code: "InvalidParameterException", Message: "bad"}
	var api awsjson.APIError = e
	if api.Error() != "InvalidParameterException: bad" || e.HTTPStatus() != 400 {
		t.Errorf("Error() = %q, HTTPStatus() = %d", api.Error(), e.HTTPStatus())
	}
	if s := (&awsjson.Error{Status: 500}).HTTPStatus(); s != 500 {
		t.Errorf("HTTPStatus() = %d, want 500", s)
	}
}
