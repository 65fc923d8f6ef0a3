// Package awsjson is the AWS JSON 1.1 protocol: it dispatches a POST on its X-Amz-Target
// header, reads the body strictly, validates it against the operation's model shape, calls
// the operation and writes the answer or the error the way AWS services do.
//
// It knows nothing of Cognito: the target prefix, the name of the validation error and the
// internal error come in as configuration, and the shape tables are generated elsewhere
// from the service's model. It does not check signatures itself; Handler.Authorize does.
package awsjson

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
)

// MaxBodyBytes is the largest request body the handler reads; a larger one is refused.
const MaxBodyBytes = 1 << 20

// ContentType is the media type of every request and response of the protocol.
const ContentType = "application/x-amz-json-1.1"

// Error is a protocol-level or application error that goes on the wire as
// {"__type":Code,"message":Message}. Status 0 means 400.
type Error struct {
	Code    string
	Message string
	Status  int
}

// Error returns the code and message together.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// ErrorCode returns the exception name.
func (e *Error) ErrorCode() string { return e.Code }

// ErrorMessage returns the message.
func (e *Error) ErrorMessage() string { return e.Message }

// HTTPStatus returns the status the error goes out with.
func (e *Error) HTTPStatus() int {
	if e.Status == 0 {
		return http.StatusBadRequest
	}
	return e.Status
}

// APIError is an error an operation returns on purpose: it goes on the wire with its own
// exception name and message, and with HTTPStatus() when it has that method (else 400).
// Any other error is internal.
type APIError interface {
	error
	ErrorCode() string
	ErrorMessage() string
}

// Route is one operation bound to the function that carries it out; Bind makes one.
type Route struct {
	Op          *Operation
	call        func(ctx context.Context, body []byte) ([]byte, error)
	unsupported bool
}

// Unsupported reports whether the route was made by Refuse.
func (r Route) Unsupported() bool { return r.unsupported }

// Refuse makes a route for an operation of the model that the server does not carry out:
// its requests are validated like any other, then answered with err.
func Refuse(op *Operation, err error) Route {
	return Route{Op: op, unsupported: true, call: func(context.Context, []byte) ([]byte, error) { return nil, err }}
}

// Bind makes the route of op: the validated body is read into an In, f is called, and its
// *Out is written back (nil as {}). JSON names are matched exactly, as AWS does.
func Bind[In, Out any](op *Operation, f func(context.Context, *In) (*Out, error)) Route {
	return Route{Op: op, call: func(ctx context.Context, body []byte) ([]byte, error) {
		in := new(In)
		if err := json.Unmarshal(body, in); err != nil {
			// The body passed the model's validation, so the Go types disagree with the
			// model: a fault of the server, answered as internal and logged.
			return nil, fmt.Errorf("decoding a validated %s request: %w", op.Name, err)
		}
		out, err := f(ctx, in)
		if err != nil {
			return nil, err
		}
		if out == nil {
			return []byte("{}"), nil
		}
		return json.Marshal(out)
	}}
}

// Handler serves one AWS JSON 1.1 service.
type Handler struct {
	// TargetPrefix is the part of X-Amz-Target before the dot, e.g. "AWSCognitoIdentityProviderService".
	TargetPrefix string
	// Routes maps an operation's name to its route.
	Routes map[string]Route
	// ValidationErrorCode names the error for model constraint violations
	// (Cognito: "InvalidParameterException"; most AWS services: "ValidationException").
	ValidationErrorCode string
	// InternalError is what an unexpected failure is answered with; its Status should be 500.
	InternalError Error
	// Authorize is called for operations that are not Unsigned; an error refuses the request.
	// Nil allows every request.
	Authorize func(r *http.Request, body []byte, op *Operation) error
	// Admit, when set, is asked before each request of an operation is read whether it may
	// run (request-rate quotas); an error refuses the request.
	Admit func(ctx context.Context, op string) error
	// Context, when set, returns the context an operation runs in, so that the server can
	// hand request facts (the client's address) to the operations.
	Context func(ctx context.Context, r *http.Request) context.Context
	// Logger receives one line per internal error. Nil discards.
	Logger *slog.Logger
	// NewRequestID makes request ids; nil makes random UUIDs.
	NewRequestID func() string
	// Observe, when set, is told of every answered request: the operation (the route's
	// name, "" when the target names none), the exception sent ("" for success), the HTTP
	// status and how long the request took. Metrics hang here.
	Observe func(r *http.Request, op, exception string, status int, took time.Duration)
}

type requestIDKey struct{}

// RequestID returns the id of the request a context belongs to, as its x-amzn-RequestId
// header says it, or "" outside a request.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// corsAllowHeaders are the request headers browsers may send: those of
// amazon-cognito-identity-js and of the AWS SDK for JavaScript v3.
const corsAllowHeaders = "content-type, x-amz-target, x-amz-user-agent, cache-control, amz-sdk-invocation-id, " +
	"amz-sdk-request, authorization, x-amz-date, x-amz-security-token, x-amz-content-sha256"

// ServeHTTP answers one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := h.requestID()
	r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
	hdr := w.Header()
	hdr.Set("x-amzn-RequestId", id)
	hdr.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	hdr.Set("Access-Control-Allow-Origin", "*")
	hdr.Set("Access-Control-Expose-Headers", "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date")
	if r.Method == http.MethodOptions {
		hdr.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
		allow := corsAllowHeaders
		if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
			allow = req
		}
		hdr.Set("Access-Control-Allow-Headers", allow)
		hdr.Set("Access-Control-Max-Age", "86400")
		w.WriteHeader(http.StatusOK)
		return
	}
	out, err := h.serve(r)
	hdr.Set("Content-Type", ContentType)
	status, exception := http.StatusOK, ""
	if err != nil {
		status, exception = h.writeError(w, r, id, err)
	} else {
		w.WriteHeader(http.StatusOK)
		w.Write(out)
	}
	if h.Observe != nil {
		op := ""
		if prefix, name, ok := strings.Cut(r.Header.Get("X-Amz-Target"), "."); ok && prefix == h.TargetPrefix {
			if _, known := h.Routes[name]; known {
				op = name
			}
		}
		h.Observe(r, op, exception, status, time.Since(start))
	}
}

func (h *Handler) serve(r *http.Request) ([]byte, error) {
	if r.Method != http.MethodPost {
		return nil, &Error{Code: "UnknownOperationException", Message: "Operations are called with POST."}
	}
	target := r.Header.Get("X-Amz-Target")
	if target == "" {
		return nil, &Error{Code: "UnknownOperationException", Message: "The X-Amz-Target header is missing."}
	}
	prefix, name, ok := strings.Cut(target, ".")
	route, known := h.Routes[name]
	if !ok || prefix != h.TargetPrefix || !known {
		return nil, &Error{Code: "UnknownOperationException", Message: "Unknown operation " + target + "."}
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != ContentType {
		// AWS's JSON services do not find an operation for a request of another media type.
		return nil, &Error{Code: "UnknownOperationException", Message: "Content-Type must be " + ContentType + "."}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return nil, serialization("The request body could not be read.")
	}
	if len(body) > MaxBodyBytes {
		return nil, &Error{Code: "RequestEntityTooLargeException", Message: fmt.Sprintf("The request body is larger than %d bytes.", MaxBodyBytes), Status: http.StatusRequestEntityTooLarge}
	}
	if !route.Op.Unsigned && h.Authorize != nil {
		if err := h.Authorize(r, body, route.Op); err != nil {
			return nil, err
		}
	}
	if h.Admit != nil {
		if err := h.Admit(r.Context(), name); err != nil {
			return nil, err
		}
	}
	if len(body) == 0 {
		body = []byte("{}") // an operation without members may be sent without a body
	}
	tree, err := parse(body)
	if err != nil {
		return nil, err
	}
	if err := h.validate(route.Op, tree); err != nil {
		return nil, err
	}
	ctx := r.Context()
	if h.Context != nil {
		ctx = h.Context(ctx, r)
	}
	return route.call(ctx, body)
}

func (h *Handler) validate(op *Operation, tree map[string]any) error {
	if op.Input == nil {
		return nil
	}
	v := validator{}
	if err := v.structure(op.Input, tree, "", false); err != nil {
		return err
	}
	if len(v.clauses) == 0 {
		return nil
	}
	word := "error"
	if len(v.clauses) > 1 {
		word = "errors"
	}
	return &Error{Code: h.ValidationErrorCode, Message: fmt.Sprintf("%d validation %s detected: %s", len(v.clauses), word, strings.Join(v.clauses, "; "))}
}

// writeError answers err and returns the status and exception name it sent.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, id string, err error) (int, string) {
	code, msg, status := h.InternalError.Code, h.InternalError.Message, h.InternalError.HTTPStatus()
	var api APIError
	if errors.As(err, &api) {
		code, msg, status = api.ErrorCode(), api.ErrorMessage(), http.StatusBadRequest
		if s, ok := api.(interface{ HTTPStatus() int }); ok {
			status = s.HTTPStatus()
		}
	} else if h.Logger != nil {
		// Logged once, here, with what identifies the request; never the body, which may
		// hold passwords and codes.
		h.Logger.ErrorContext(r.Context(), "internal error", "request_id", id,
			"target", r.Header.Get("X-Amz-Target"), "error", err.Error())
	}
	hdr := w.Header()
	hdr.Set("x-amzn-ErrorType", code+":")
	if msg != "" {
		hdr.Set("x-amzn-ErrorMessage", headerSafe(msg))
	}
	body, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message,omitempty"`
	}{code, msg})
	w.WriteHeader(status)
	w.Write(body)
	return status, code
}

// headerSafe keeps a message to the printable ASCII a header may carry.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return ' '
		}
		return r
	}, s)
}

func (h *Handler) requestID() string {
	if h.NewRequestID != nil {
		return h.NewRequestID()
	}
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func serialization(format string, args ...any) *Error {
	return &Error{Code: "SerializationException", Message: fmt.Sprintf(format, args...)}
}
