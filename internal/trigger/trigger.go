// Package trigger invokes a user pool's Lambda triggers for the domain (userpool.Invoker):
// through the AWS Lambda Invoke API (real AWS, SAM local, LocalStack, serverless-offline:
// any endpoint that speaks it), or as a signed HTTP POST to a webhook that stands for a
// function ARN. It carries bytes: which function runs for which trigger, the event's shape,
// the timeout, the retries and the error wording are the domain's.
package trigger

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"
	"github.com/go-json-experiment/json"

	"cognate/internal/hooksig"
	"cognate/internal/userpool"
)

// LambdaConfig says how to reach the Lambda Invoke API.
type LambdaConfig struct {
	// Endpoint is the base URL of a Lambda-compatible service; empty means AWS's endpoint
	// for Region.
	Endpoint string
	// Region is the region to sign for and, without Endpoint, to call. Required.
	Region string
	// Credentials sign the requests (SigV4). Required.
	Credentials aws.CredentialsProvider
}

// Lambda invokes functions with the Lambda Invoke API (RequestResponse). Build it with
// NewLambda.
type Lambda struct{ client *lambda.Client }

// NewLambda checks cfg and returns a Lambda. It calls nothing: an unreachable endpoint is an
// invocation failure of the trigger that needs it, not a reason to refuse to start.
//
// The SDK's own retries are off: the domain tries a trigger three times, as Cognito does.
func NewLambda(cfg LambdaConfig) (*Lambda, error) {
	if cfg.Region == "" {
		return nil, errors.New("trigger: Lambda: no region")
	}
	if cfg.Credentials == nil {
		return nil, errors.New("trigger: Lambda: no credentials")
	}
	var endpoint *string
	if cfg.Endpoint != "" {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			return nil, fmt.Errorf("trigger: Lambda endpoint %q: want http:// or https:// with a host and no user", cfg.Endpoint)
		}
		endpoint = aws.String(cfg.Endpoint)
	}
	client := lambda.New(lambda.Options{Region: cfg.Region, Credentials: cfg.Credentials, BaseEndpoint: endpoint,
		Retryer: aws.NopRetryer{}, HTTPClient: ownBodies{awshttp.NewBuildableClient()}})
	return &Lambda{client: client}, nil
}

// ownBodies hands net/http a request body of its own, in memory, instead of the SDK's,
// which the SDK closes as soon as the answer's headers are back: net/http's write loop may
// still read it then and close the connection under the answer ("use of closed network
// connection", found in issue 8). With the SDK's retries off that failure would be an
// invocation failure, and the retry a second run of a function that already ran.
type ownBodies struct{ aws.HTTPClient }

func (c ownBodies) Do(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return c.HTTPClient.Do(req)
	}
	b, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, err
	}
	own := req.Clone(req.Context())
	own.Body = io.NopCloser(bytes.NewReader(b))
	own.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return c.HTTPClient.Do(own)
}

// Invoke calls the function synchronously and returns its answer. A function error (the
// X-Amz-Function-Error header) is a *userpool.TriggerError with the function's errorMessage;
// a refusal by the Lambda service is a *userpool.InvocationError named by its error code.
func (l *Lambda) Invoke(ctx context.Context, arn string, payload []byte) ([]byte, error) {
	out, err := l.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(arn), Payload: payload,
		InvocationType: lambdatypes.InvocationTypeRequestResponse})
	if err != nil {
		return nil, invocationError(err)
	}
	if out.FunctionError != nil {
		return nil, functionError(out.Payload, *out.FunctionError)
	}
	return out.Payload, nil
}

// InvokeAsync queues the event for the function (InvocationType Event) and returns once
// Lambda has accepted it.
func (l *Lambda) InvokeAsync(ctx context.Context, arn string, payload []byte) error {
	_, err := l.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(arn), Payload: payload,
		InvocationType: lambdatypes.InvocationTypeEvent})
	if err != nil {
		return invocationError(err)
	}
	return nil
}

// invocationError names a failure to invoke as Cognito does: the Lambda service's error
// code (AccessDeniedException, ResourceNotFoundException), or a timeout.
func invocationError(err error) error {
	var api smithy.APIError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return &userpool.InvocationError{Reason: "Socket timeout while invoking Lambda function", Err: err}
	case errors.As(err, &api):
		return &userpool.InvocationError{Reason: api.ErrorCode(), Err: err}
	}
	return &userpool.InvocationError{Reason: "ServiceException", Err: err}
}

// functionError reads a function's error answer, {"errorMessage": …, "errorType": …} as
// Lambda runtimes write it.
func functionError(payload []byte, kind string) error {
	var e struct {
		ErrorMessage string `json:"errorMessage"`
	}
	if json.Unmarshal(payload, &e) != nil || e.ErrorMessage == "" {
		return &userpool.TriggerError{Message: kind}
	}
	return &userpool.TriggerError{Message: e.ErrorMessage}
}

// Webhook headers.
const (
	// FunctionHeader names the function ARN the POST stands for.
	FunctionHeader = "X-Cognate-Function"
	// SignatureHeader carries the HMAC over the timestamp and body (hooksig).
	SignatureHeader = hooksig.Header
	// InvocationTypeHeader is "Event" on an asynchronous invocation (custom senders), as
	// Lambda's X-Amz-Invocation-Type says it.
	InvocationTypeHeader = "X-Cognate-Invocation-Type"
)

// MinSecretLength is the shortest webhook secret NewWebhooks accepts: 128 bits.
const MinSecretLength = 16

// Webhooks invokes functions by POSTing the event to the URL mapped to their ARN. The
// receiver answers 200 with the event (the response member filled in), as a function
// returns it; an error status with a body {"errorMessage": "…"} is a function error, as a
// Lambda runtime reports one; anything else is a failure to invoke.
type Webhooks struct {
	urls   map[string]string
	secret []byte
	client *http.Client
	now    func() time.Time
}

// NewWebhooks checks the mapping (function ARN → http:// or https:// URL) and the secret
// that signs every POST.
func NewWebhooks(urls map[string]string, secret []byte) (*Webhooks, error) {
	if len(secret) < MinSecretLength {
		return nil, fmt.Errorf("trigger: the webhook secret must be at least %d bytes", MinSecretLength)
	}
	for arn, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("trigger: webhook for %s: %q is not an http:// or https:// URL", arn, raw)
		}
	}
	return &Webhooks{urls: urls, secret: secret, client: &http.Client{}, now: time.Now}, nil
}

// Has reports whether arn is mapped to a webhook.
func (w *Webhooks) Has(arn string) bool { _, ok := w.urls[arn]; return ok }

// Invoke POSTs the event to arn's webhook and returns its answer.
func (w *Webhooks) Invoke(ctx context.Context, arn string, payload []byte) ([]byte, error) {
	target, ok := w.urls[arn]
	if !ok {
		return nil, &userpool.InvocationError{Reason: "ResourceNotFoundException"}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(payload))
	if err != nil {
		return nil, &userpool.InvocationError{Reason: "ServiceException", Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(FunctionHeader, arn)
	req.Header.Set(SignatureHeader, hooksig.Sign(w.secret, w.now().Unix(), payload))
	resp, err := w.client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, &userpool.InvocationError{Reason: "Socket timeout while invoking Lambda function", Err: err}
		}
		return nil, &userpool.InvocationError{Reason: "ServiceException", Err: redactURL(err, target)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 6<<20)) // Lambda's synchronous payload limit
	if err != nil {
		return nil, invocationError(err)
	}
	if resp.StatusCode == http.StatusOK {
		return body, nil
	}
	var e struct {
		ErrorMessage string `json:"errorMessage"`
	}
	if json.Unmarshal(body, &e) == nil && e.ErrorMessage != "" {
		return nil, &userpool.TriggerError{Message: e.ErrorMessage}
	}
	return nil, &userpool.InvocationError{Reason: "ServiceException", Err: fmt.Errorf("webhook for %s answered %s", arn, resp.Status)}
}

// InvokeAsync POSTs the event to arn's webhook and ignores what it answers beyond its status:
// any 2xx accepts the event.
func (w *Webhooks) InvokeAsync(ctx context.Context, arn string, payload []byte) error {
	target, ok := w.urls[arn]
	if !ok {
		return &userpool.InvocationError{Reason: "ResourceNotFoundException"}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(payload))
	if err != nil {
		return &userpool.InvocationError{Reason: "ServiceException", Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(FunctionHeader, arn)
	req.Header.Set(InvocationTypeHeader, "Event")
	req.Header.Set(SignatureHeader, hooksig.Sign(w.secret, w.now().Unix(), payload))
	resp, err := w.client.Do(req)
	if err != nil {
		return &userpool.InvocationError{Reason: "ServiceException", Err: redactURL(err, target)}
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return &userpool.InvocationError{Reason: "ServiceException", Err: fmt.Errorf("webhook for %s answered %s", arn, resp.Status)}
	}
	return nil
}

// redactURL keeps a webhook URL's query (which may carry a token) out of an error.
func redactURL(err error, target string) error {
	if u, perr := url.Parse(target); perr == nil && u.RawQuery != "" {
		return errors.New(strings.ReplaceAll(err.Error(), u.RawQuery, "[redacted]"))
	}
	return err
}

// ReadWebhookFile reads a mapping file: one "function-ARN URL" pair a line (separated by
// spaces or "="); blank lines and lines starting with # are skipped.
func ReadWebhookFile(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		arn, target, ok := ParseMapping(line)
		if !ok {
			return nil, fmt.Errorf("%s:%d: want \"function-ARN URL\"", path, i+1)
		}
		out[arn] = target
	}
	return out, nil
}

// ParseMapping splits "ARN=URL" or "ARN URL".
func ParseMapping(s string) (arn, target string, ok bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " \t"); i > 0 {
		return s[:i], strings.TrimSpace(s[i:]), true
	}
	// An ARN holds colons but no "=": the first "=" ends it.
	arn, target, ok = strings.Cut(s, "=")
	return arn, target, ok && arn != "" && target != ""
}

// Router sends each invocation to the webhook mapped to the function's ARN, else to the
// Lambda Invoke API; with neither, the function cannot be found.
type Router struct {
	Webhooks *Webhooks // may be nil
	Lambda   *Lambda   // may be nil
}

// InvokeAsync routes an asynchronous invocation.
func (r *Router) InvokeAsync(ctx context.Context, arn string, payload []byte) error {
	if r.Webhooks != nil && r.Webhooks.Has(arn) {
		return r.Webhooks.InvokeAsync(ctx, arn, payload)
	}
	if r.Lambda != nil {
		return r.Lambda.InvokeAsync(ctx, arn, payload)
	}
	return &userpool.InvocationError{Reason: "ResourceNotFoundException"}
}

// Invoke routes the invocation.
func (r *Router) Invoke(ctx context.Context, arn string, payload []byte) ([]byte, error) {
	if r.Webhooks != nil && r.Webhooks.Has(arn) {
		return r.Webhooks.Invoke(ctx, arn, payload)
	}
	if r.Lambda != nil {
		return r.Lambda.Invoke(ctx, arn, payload)
	}
	return nil, &userpool.InvocationError{Reason: "ResourceNotFoundException",
		Err: errors.New("no webhook is mapped to the function and no Lambda endpoint is configured")}
}
