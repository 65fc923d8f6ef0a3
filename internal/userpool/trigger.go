package userpool

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Invoker calls a pool's Lambda triggers: the AWS Lambda Invoke API or a webhook
// (internal/trigger). It sends payload, the event's JSON, to the function arn names, once,
// and returns the function's answer. A function that ran and failed is a *TriggerError;
// any other error means the function could not be invoked (a *InvocationError says why in
// AWS's words).
type Invoker interface {
	Invoke(ctx context.Context, arn string, payload []byte) ([]byte, error)
	// InvokeAsync hands the event to the function without waiting for it to run (Lambda's
	// Event invocation), as Cognito invokes the custom sender triggers.
	InvokeAsync(ctx context.Context, arn string, payload []byte) error
}

// CodeEncrypter encrypts a code for a custom sender trigger under the pool's KMS key, in the
// AWS Encryption SDK message format (internal/esdk).
type CodeEncrypter interface {
	EncryptCode(ctx context.Context, keyID string, plaintext []byte) ([]byte, error)
}

// TriggerError is what an Invoker answers when the function itself failed (it threw, or
// answered an error), as opposed to failing to reach it.
type TriggerError struct{ Message string }

// Error returns the function's message.
func (e *TriggerError) Error() string { return e.Message }

// InvocationError is what an Invoker answers when it could not invoke the function; Reason
// is what AWS's UnexpectedLambdaException names after "invocation failed due to error"
// ("AccessDeniedException", "ResourceNotFoundException"). It carries nothing of the event.
type InvocationError struct {
	Reason string
	Err    error // the underlying error, for the log
}

// Error returns the reason and the underlying error.
func (e *InvocationError) Error() string {
	if e.Err != nil {
		return e.Reason + ": " + e.Err.Error()
	}
	return e.Reason
}

// Unwrap returns the underlying error.
func (e *InvocationError) Unwrap() error { return e.Err }

// Trigger invocation semantics (spec §6.7): "it must respond within 5 seconds. If it does
// not, Amazon Cognito retries the call. After three unsuccessful attempts, the function times
// out."
const (
	DefaultTriggerTimeout = 5 * time.Second
	triggerTries          = 3
)

// timeoutReason is AWS's wording of a function that did not answer in time (spec §6.7 [O]).
const timeoutReason = "Socket timeout while invoking Lambda function"

// The synchronous triggers cognate runs, by the name AWS's messages give them. The custom
// senders are looked up apart (senderFunction), being asynchronous; InboundFederation is
// stored in LambdaConfig and not called.
const (
	trigPreSignUp          = "PreSignUp"
	trigPostConfirmation   = "PostConfirmation"
	trigPreAuthentication  = "PreAuthentication"
	trigPostAuthentication = "PostAuthentication"
	trigPreTokenGeneration = "PreTokenGeneration"
	trigUserMigration      = "UserMigration"
	trigCustomMessage      = "CustomMessage"
	trigDefineAuth         = "DefineAuthChallenge"
	trigCreateAuth         = "CreateAuthChallenge"
	trigVerifyAuth         = "VerifyAuthChallengeResponse"
)

// function is the one place that decides which of the pool's functions a trigger runs and
// in which event version: the ARN ("" when the pool has none) and, for PreTokenGeneration,
// "V1_0", "V2_0" or "V3_0".
func function(p *Pool, trigger string) (arn, version string) {
	lc := p.Doc.LambdaConfig
	if lc == nil {
		return "", ""
	}
	if trigger == trigPreTokenGeneration {
		// PreTokenGenerationConfig wins over the older PreTokenGeneration field, which is
		// always a V1_0 function (API model).
		if c := lc.PreTokenGenerationConfig; c != nil && deref(c.LambdaArn) != "" {
			return deref(c.LambdaArn), firstSet(c.LambdaVersion, "V1_0")
		}
		return deref(lc.PreTokenGeneration), "V1_0"
	}
	var field *string
	switch trigger {
	case trigPreSignUp:
		field = lc.PreSignUp
	case trigPostConfirmation:
		field = lc.PostConfirmation
	case trigPreAuthentication:
		field = lc.PreAuthentication
	case trigPostAuthentication:
		field = lc.PostAuthentication
	case trigUserMigration:
		field = lc.UserMigration
	case trigCustomMessage:
		field = lc.CustomMessage
	case trigDefineAuth:
		field = lc.DefineAuthChallenge
	case trigCreateAuth:
		field = lc.CreateAuthChallenge
	case trigVerifyAuth:
		field = lc.VerifyAuthChallengeResponse
	}
	return deref(field), ""
}

// triggerCall is one trigger about to run: the envelope's parts (spec §6.2) and the
// request; the response starts as what the function may fill in.
type triggerCall struct {
	trigger  string // PreSignUp, CustomMessage, ...
	source   string // the triggerSource: PreSignUp_SignUp, CustomMessage_ForgotPassword, ...
	clientID string
	userName string
	version  string // the event's version; "1" when empty
	request  map[string]any
	response map[string]any
}

// runTrigger runs the pool's function for the call, if it has one, and decodes the
// function's response member into out (nil: the answer is ignored). It reports whether a
// function ran. Failures are worded as AWS words them (spec §6.7):
// UserLambdaValidationException when the function failed, UnexpectedLambdaException when it
// could not be invoked in three tries of DefaultTriggerTimeout each,
// InvalidLambdaResponseException when its answer is not the event.
func (s *Service) runTrigger(ctx context.Context, p *Pool, tc triggerCall, out any) (bool, error) {
	arn, _ := function(p, tc.trigger)
	if arn == "" {
		return false, nil
	}
	if s.invoker == nil {
		s.log.WarnContext(ctx, "trigger configured but no trigger invoker: not called", "pool", p.ID, "trigger", tc.trigger, "source", tc.source)
		return false, nil
	}
	sdk := callerSDK(ctx)
	version := tc.version
	if version == "" {
		version = "1"
	}
	if tc.response == nil {
		tc.response = map[string]any{}
	}
	ev := map[string]any{"version": version, "triggerSource": tc.source, "region": s.region, "userPoolId": p.ID,
		"userName": tc.userName, "callerContext": map[string]any{"awsSdkVersion": sdk, "clientId": clientIDValue(tc.clientID)},
		"request": tc.request, "response": tc.response}
	payload, err := json.Marshal(ev, json.Deterministic(true))
	if err != nil {
		return false, err
	}
	answer, err := s.invoke(ctx, tc, arn, payload)
	var te *TriggerError
	switch {
	case errors.As(err, &te):
		return true, newError("UserLambdaValidationException", "%s failed with error %s.", tc.trigger, te.Message)
	case err != nil:
		return true, newError("UnexpectedLambdaException", "%s invocation failed due to error %s.", tc.trigger, invocationReason(err))
	}
	if !jsontext.Value(answer).IsValid() {
		return true, newError("InvalidLambdaResponseException", "Invalid lambda function output : Invalid JSON")
	}
	if out == nil {
		return true, nil
	}
	var whole struct {
		Response jsontext.Value `json:"response"`
	}
	if err := json.Unmarshal(answer, &whole); err != nil || len(whole.Response) == 0 {
		return true, errUnrecognizable
	}
	if string(whole.Response) == "null" {
		return true, nil // nothing filled in: the defaults stand
	}
	if err := json.Unmarshal(whole.Response, out); err != nil {
		return true, errUnrecognizable
	}
	return true, nil
}

// isTriggerFailure reports whether e is one of the answers runTrigger gives when a trigger
// failed (spec §6.7).
func isTriggerFailure(e *Error) bool {
	switch e.Code {
	case "UserLambdaValidationException", "UnexpectedLambdaException", "InvalidLambdaResponseException":
		return true
	}
	return false
}

// callerSDK is the callerContext's awsSdkVersion: the SDK the caller's User-Agent names, or
// aws-sdk-unknown-unknown (spec §6.2 [I]).
func callerSDK(ctx context.Context) string {
	if ua := CallerFrom(ctx).UserAgent; strings.HasPrefix(ua, "aws-sdk-") {
		sdk, _, _ := strings.Cut(ua, " ")
		return sdk
	}
	return "aws-sdk-unknown-unknown"
}

var errUnrecognizable = newError("InvalidLambdaResponseException", "Unrecognizable lambda output")

// clientIDValue is the callerContext's clientId: null for a request no app client made
// (an administrator's), as AWS sends it [I].
func clientIDValue(id string) any {
	if id == "" {
		return nil
	}
	return id
}

// invocationReason words an invocation failure as UnexpectedLambdaException does.
func invocationReason(err error) string {
	var ie *InvocationError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return timeoutReason
	case errors.As(err, &ie) && ie.Reason != "":
		return ie.Reason
	}
	return "InternalError"
}

// invoke calls the function through the Invoker, up to three times while it cannot be
// invoked, each try bounded by the trigger timeout; a function error or an answer ends
// it. Each try is logged (trigger, source, duration, outcome: never the payload, which
// may hold codes and ClientMetadata) and the Observer is told the final outcome.
func (s *Service) invoke(ctx context.Context, tc triggerCall, arn string, payload []byte) ([]byte, error) {
	var (
		answer []byte
		err    error
	)
	for try := 1; try <= triggerTries; try++ {
		start := time.Now()
		tctx, cancel := context.WithTimeout(ctx, s.triggerTimeout)
		answer, err = s.invoker.Invoke(tctx, arn, payload)
		if err != nil && tctx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
			err = &InvocationError{Reason: timeoutReason, Err: context.DeadlineExceeded}
		}
		cancel()
		outcome := invokeOutcome(err)
		level := s.log.InfoContext
		if err != nil {
			level = s.log.WarnContext
		}
		attrs := []any{"trigger", tc.trigger, "source", tc.source, "function", arn, "try", try,
			"duration_ms", time.Since(start).Milliseconds(), "outcome", outcome}
		if outcome == "unreachable" {
			attrs = append(attrs, "reason", invocationReason(err))
		}
		level(ctx, "trigger invoked", attrs...)
		if outcome != "unreachable" || ctx.Err() != nil {
			break
		}
	}
	if s.observer != nil {
		s.observer.TriggerInvoked(tc.source, invokeOutcome(err))
	}
	return answer, err
}

// invokeOutcome is how an invocation went, as the Observer and the log name it: "ok",
// "failed" (the function threw or answered an error) or "unreachable".
func invokeOutcome(err error) string {
	var te *TriggerError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &te):
		return "failed"
	}
	return "unreachable"
}

// eventAttributes are a user's attributes as triggers see them: strings, with the status.
func eventAttributes(u *User) map[string]string {
	out := map[string]string{"cognito:user_status": u.Status}
	for _, a := range u.Attributes {
		out[a.Name] = a.Value
	}
	return out
}

// withMetadata puts the request's ClientMetadata into an event's request, unchanged, when
// the caller sent some (AWS's documented events show it only then [I]).
func withMetadata(req map[string]any, m map[string]string) map[string]any {
	if m != nil {
		req["clientMetadata"] = m
	}
	return req
}

// postConfirmation runs the pool's PostConfirmation trigger after a confirmation has been
// committed. Its answer is ignored; its failure is the caller's error, worded as AWS words
// it (spec §6.7): what was committed stands.
func (s *Service) postConfirmation(ctx context.Context, p *Pool, c *Client, u *User, source string, metadata map[string]string) error {
	clientID := ""
	if c != nil {
		clientID = c.ID
	}
	_, err := s.runTrigger(ctx, p, triggerCall{trigger: trigPostConfirmation, source: source, clientID: clientID, userName: u.Username,
		request: withMetadata(map[string]any{"userAttributes": eventAttributes(u)}, metadata)}, nil)
	return err
}
