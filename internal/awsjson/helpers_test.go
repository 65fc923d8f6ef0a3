package awsjson_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/google/go-cmp/cmp"

	"cognate/internal/awsjson"
)

var update = flag.Bool("update", false, "rewrite golden files")

// prefix is the fake service's target prefix.
const prefix = "WidgetService"

func n(v int64) *int64 { return &v }

// pattern compiles a model pattern the way the generated tables do: anchored, the source kept
// for messages.
func pattern(src string) (*regexp.Regexp, string) {
	return regexp.MustCompile("^(?:" + src + ")$"), src
}

func stringShape(name string, min, max int64, pat string) *awsjson.Shape {
	s := &awsjson.Shape{Name: name, Kind: awsjson.KindString, Min: n(min), Max: n(max)}
	if pat != "" {
		s.Pattern, s.PatternSrc = pattern(pat)
	}
	return s
}

// A hand-made model with one member of every kind the validator knows.
var (
	poolIDShape   = stringShape("PoolIdType", 1, 55, `[\w-]+_[0-9a-zA-Z]+`)
	usernameShape = stringShape("UsernameType", 1, 8, `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`)
	passwordShape = func() *awsjson.Shape {
		s := stringShape("PasswordType", 6, 256, `[\S]+`)
		s.Sensitive = true
		return s
	}()
	modeShape  = &awsjson.Shape{Name: "ModeType", Kind: awsjson.KindString, Enum: []string{"A", "B"}}
	countShape = &awsjson.Shape{Name: "CountType", Kind: awsjson.KindInteger, Min: n(1), Max: n(60)}
	boolShape  = &awsjson.Shape{Name: "BooleanType", Kind: awsjson.KindBoolean}
	tagShape   = stringShape("TagType", 1, 10, `[a-z]+`)
	tagsShape  = &awsjson.Shape{Name: "TagListType", Kind: awsjson.KindList, Max: n(3), Item: tagShape}
	attrValue  = func() *awsjson.Shape {
		s := stringShape("AttributeValueType", 0, 16, "")
		s.Sensitive = true
		return s
	}()
	attributeShape = &awsjson.Shape{Name: "AttributeType", Kind: awsjson.KindStructure, Members: []awsjson.Member{
		{Name: "Name", Shape: stringShape("AttributeNameType", 1, 32, `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`), Required: true},
		{Name: "Value", Shape: attrValue},
	}}
	attributesShape = &awsjson.Shape{Name: "AttributeListType", Kind: awsjson.KindList, Max: n(5), Item: attributeShape}
	keyShape        = stringShape("KeyType", 1, 16, "")
	valueShape      = stringShape("ValueType", 0, 10, "")
	metadataShape   = &awsjson.Shape{Name: "MetadataType", Kind: awsjson.KindMap, Max: n(2), Key: keyShape, Item: valueShape}
	secretsShape    = &awsjson.Shape{Name: "SecretsType", Kind: awsjson.KindMap, Sensitive: true, Key: keyShape, Item: valueShape}
	innerShape      = &awsjson.Shape{Name: "InnerType", Kind: awsjson.KindStructure, Members: []awsjson.Member{
		{Name: "Deep", Shape: stringShape("DeepType", 1, 4, ""), Required: true},
	}}
	settingsShape = &awsjson.Shape{Name: "SettingsType", Kind: awsjson.KindStructure, Members: []awsjson.Member{
		{Name: "Level", Shape: countShape},
		{Name: "Note", Shape: stringShape("NoteType", 0, 20, "")},
		{Name: "Inner", Shape: innerShape},
	}}
	timeShape = &awsjson.Shape{Name: "DateType", Kind: awsjson.KindTimestamp}

	putWidgetOp = &awsjson.Operation{Name: "PutWidget", Unsigned: true, Input: &awsjson.Shape{
		Name: "PutWidgetRequest", Kind: awsjson.KindStructure, Members: []awsjson.Member{
			{Name: "UserPoolId", Shape: poolIDShape, Required: true},
			{Name: "Username", Shape: usernameShape, Required: true},
			{Name: "Password", Shape: passwordShape, Required: true},
			{Name: "Mode", Shape: modeShape},
			{Name: "Count", Shape: countShape},
			{Name: "Enabled", Shape: boolShape},
			{Name: "Tags", Shape: tagsShape},
			{Name: "Attributes", Shape: attributesShape},
			{Name: "Metadata", Shape: metadataShape},
			{Name: "Secrets", Shape: secretsShape},
			{Name: "Settings", Shape: settingsShape},
			{Name: "When", Shape: timeShape},
		},
	}}
	// adminPingOp is signed: Handler.Authorize sees it.
	adminPingOp = &awsjson.Operation{Name: "AdminPing", Input: &awsjson.Shape{
		Name: "AdminPingRequest", Kind: awsjson.KindStructure, Members: []awsjson.Member{
			{Name: "UserPoolId", Shape: poolIDShape, Required: true},
		},
	}}
	// explodeOp fails with a plain (internal) error; its input carries a secret.
	explodeOp = &awsjson.Operation{Name: "Explode", Unsigned: true, Input: &awsjson.Shape{
		Name: "ExplodeRequest", Kind: awsjson.KindStructure, Members: []awsjson.Member{
			{Name: "Password", Shape: passwordShape, Required: true},
		},
	}}
	// The operations below take no input shape, so nothing is validated.
	nothingOp    = &awsjson.Operation{Name: "Nothing", Unsigned: true}
	denyOp       = &awsjson.Operation{Name: "Deny", Unsigned: true}
	rejectOp     = &awsjson.Operation{Name: "Reject", Unsigned: true}
	wrappedOp    = &awsjson.Operation{Name: "Wrapped", Unsigned: true}
	statusZeroOp = &awsjson.Operation{Name: "StatusZero", Unsigned: true}
	refusedOp    = &awsjson.Operation{Name: "Refused", Unsigned: true, Input: &awsjson.Shape{
		Name: "RefusedRequest", Kind: awsjson.KindStructure, Members: []awsjson.Member{
			{Name: "UserPoolId", Shape: poolIDShape, Required: true},
		},
	}}
)

type attribute struct {
	Name  string `json:"Name"`
	Value string `json:"Value,omitzero"`
}

type inner struct {
	Deep string `json:"Deep"`
}

type settings struct {
	Level *int32 `json:"Level,omitzero"`
	Note  string `json:"Note,omitzero"`
	Inner *inner `json:"Inner,omitzero"`
}

type putWidgetInput struct {
	UserPoolId string            `json:"UserPoolId"`
	Username   string            `json:"Username"`
	Password   string            `json:"Password"`
	Mode       string            `json:"Mode,omitzero"`
	Count      *int32            `json:"Count,omitzero"`
	Enabled    *bool             `json:"Enabled,omitzero"`
	Tags       []string          `json:"Tags,omitzero"`
	Attributes []attribute       `json:"Attributes,omitzero"`
	Metadata   map[string]string `json:"Metadata,omitzero"`
	Secrets    map[string]string `json:"Secrets,omitzero"`
	Settings   *settings         `json:"Settings,omitzero"`
	When       float64           `json:"When,omitzero"` // epoch seconds
}

type putWidgetOutput struct {
	WidgetId  string   `json:"WidgetId"`
	Username  string   `json:"Username"`
	Count     *int32   `json:"Count,omitzero"`
	Tags      []string `json:"Tags,omitzero"`
	CreatedAt float64  `json:"CreatedAt,omitzero"`
}

type passwordInput struct {
	Password string `json:"Password"`
}

type poolInput struct {
	UserPoolId string `json:"UserPoolId"`
}

type empty struct{}

// apiError is an operation's deliberate error with a status of its own.
type apiError struct {
	code, msg string
	status    int
}

func (e *apiError) Error() string        { return e.code + ": " + e.msg }
func (e *apiError) ErrorCode() string    { return e.code }
func (e *apiError) ErrorMessage() string { return e.msg }
func (e *apiError) HTTPStatus() int      { return e.status }

// plainAPIError has no HTTPStatus method: it goes out as 400.
type plainAPIError struct{ code, msg string }

func (e plainAPIError) Error() string        { return e.code + ": " + e.msg }
func (e plainAPIError) ErrorCode() string    { return e.code }
func (e plainAPIError) ErrorMessage() string { return e.msg }

type ctxKey struct{}

// fixture is a handler over the test model with what its operations and hooks saw.
type fixture struct {
	h   *awsjson.Handler
	log *bytes.Buffer

	mu          sync.Mutex
	widgetIn    *putWidgetInput
	widgetCtx   any
	authorized  []string // operations Authorize was called for
	authBody    []byte   // the body Authorize saw last
	opCalls     int      // calls of any operation function
	explodeSeen string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{log: new(bytes.Buffer)}
	routes := map[string]awsjson.Route{}
	add := func(r awsjson.Route) { routes[r.Op.Name] = r }
	add(awsjson.Bind(putWidgetOp, func(ctx context.Context, in *putWidgetInput) (*putWidgetOutput, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.opCalls++
		f.widgetIn = in
		f.widgetCtx = ctx.Value(ctxKey{})
		return &putWidgetOutput{WidgetId: "w-1", Username: in.Username, Count: in.Count, Tags: in.Tags, CreatedAt: in.When}, nil
	}))
	add(awsjson.Bind(adminPingOp, func(ctx context.Context, in *poolInput) (*empty, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.opCalls++
		return &empty{}, nil
	}))
	add(awsjson.Bind(explodeOp, func(ctx context.Context, in *passwordInput) (*empty, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.opCalls++
		f.explodeSeen = in.Password
		return nil, errors.New("database is on fire")
	}))
	add(awsjson.Bind(nothingOp, func(ctx context.Context, in *empty) (*empty, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.opCalls++
		return nil, nil
	}))
	add(awsjson.Bind(denyOp, func(ctx context.Context, in *empty) (*empty, error) {
		return nil, &apiError{code: "ForbiddenException", msg: "Request blocked by the firewall.", status: http.StatusForbidden}
	}))
	add(awsjson.Bind(rejectOp, func(ctx context.Context, in *empty) (*empty, error) {
		return nil, plainAPIError{code: "NotAuthorizedException", msg: "Incorrect username or password."}
	}))
	add(awsjson.Bind(wrappedOp, func(ctx context.Context, in *empty) (*empty, error) {
		return nil, fmt.Errorf("confirm: %w", &apiError{code: "ExpiredCodeException", msg: "Invalid code provided, please request a code again.", status: http.StatusBadRequest})
	}))
	add(awsjson.Bind(statusZeroOp, func(ctx context.Context, in *empty) (*empty, error) {
		return nil, &awsjson.Error{Code: "LimitExceededException", Message: "Attempt limit exceeded, please try after some time."}
	}))
	add(awsjson.Refuse(refusedOp, &awsjson.Error{Code: "UnsupportedOperationException", Message: "Refused is not supported."}))

	f.h = &awsjson.Handler{
		TargetPrefix:        prefix,
		Routes:              routes,
		ValidationErrorCode: "InvalidParameterException",
		InternalError:       awsjson.Error{Code: "InternalErrorException", Message: "Internal server error.", Status: http.StatusInternalServerError},
		Authorize: func(r *http.Request, body []byte, op *awsjson.Operation) error {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.authorized = append(f.authorized, op.Name)
			f.authBody = append([]byte(nil), body...)
			switch r.Header.Get("Authorization") {
			case "":
				return &awsjson.Error{Code: "MissingAuthenticationTokenException", Message: "Missing Authentication Token"}
			case "bad":
				return &apiError{code: "UnrecognizedClientException", msg: "The security token included in the request is invalid.", status: http.StatusForbidden}
			}
			return nil
		},
		Context: func(ctx context.Context, r *http.Request) context.Context {
			return context.WithValue(ctx, ctxKey{}, r.Header.Get("X-Test-Client"))
		},
		Logger: slog.New(slog.NewTextHandler(f.log, nil)),
	}
	return f
}

// request describes one HTTP request to the handler. The zero value is a POST of an empty
// body with the protocol's Content-Type and no target.
type request struct {
	method      string
	target      string // X-Amz-Target; "" sends none
	contentType string // "" sends ContentType; "-" sends none
	body        string
	header      map[string]string
}

// op returns the X-Amz-Target of one of the fake service's operations.
func op(name string) string { return prefix + "." + name }

func (f *fixture) do(t *testing.T, rq request) (*http.Response, string) {
	t.Helper()
	method := rq.method
	if method == "" {
		method = http.MethodPost
	}
	r := httptest.NewRequest(method, "/", strings.NewReader(rq.body))
	if rq.target != "" {
		r.Header.Set("X-Amz-Target", rq.target)
	}
	switch rq.contentType {
	case "":
		r.Header.Set("Content-Type", awsjson.ContentType)
	case "-":
	default:
		r.Header.Set("Content-Type", rq.contentType)
	}
	for k, v := range rq.header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	res := w.Result()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// wireError is the error as a client reads it: the body's __type and message.
type wireError struct {
	Status  int
	Type    string
	Message string
}

// errorOf reads the error of a response and checks that its headers agree with its body.
func errorOf(t *testing.T, res *http.Response, body string) wireError {
	t.Helper()
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("error body %q is not JSON: %v", body, err)
	}
	if got, want := res.Header.Get("x-amzn-ErrorType"), e.Type+":"; got != want {
		t.Errorf("x-amzn-ErrorType = %q, want %q", got, want)
	}
	if ct := res.Header.Get("Content-Type"); ct != awsjson.ContentType {
		t.Errorf("Content-Type = %q, want %q", ct, awsjson.ContentType)
	}
	return wireError{Status: res.StatusCode, Type: e.Type, Message: e.Message}
}

// checkGolden compares the stable part of an error response (status line, Content-Type,
// x-amzn-ErrorType, x-amzn-ErrorMessage and body; not the request id or date) with
// testdata/<name>.golden, or rewrites the file under -update.
func checkGolden(t *testing.T, name string, res *http.Response, body string) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %s\n", res.Status)
	for _, h := range []string{"Content-Type", "x-amzn-ErrorType", "x-amzn-ErrorMessage"} {
		if vs := res.Header.Values(h); len(vs) > 0 {
			fmt.Fprintf(&b, "%s: %s\n", h, strings.Join(vs, ", "))
		}
	}
	fmt.Fprintf(&b, "\n%s\n", body)
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), b.String()); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// padded returns a valid PutWidget body of exactly size bytes, grown with an unknown member.
func padded(t *testing.T, size int) string {
	t.Helper()
	head := `{"UserPoolId":"us-east-1_abc","Username":"alice","Password":"correct-horse","Pad":"`
	tail := `"}`
	s := head + strings.Repeat("a", size-len(head)-len(tail)) + tail
	if len(s) != size {
		t.Fatalf("padded body is %d bytes, want %d", len(s), size)
	}
	return s
}
