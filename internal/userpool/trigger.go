package userpool

import (
	"context"
	"fmt"
	"strings"
)

// Invoker calls a pool's Lambda triggers: the AWS Lambda Invoke API or a webhook. It sends
// event (marshaled to JSON) to the function named by arn and reads the function's answer
// into out (nil to ignore it).
type Invoker interface {
	Invoke(ctx context.Context, arn string, event, out any) error
}

// TriggerError is what an Invoker answers when the function itself failed (it threw, or
// answered an error), as opposed to failing to reach it.
type TriggerError struct{ Message string }

// Error returns the function's message.
func (e *TriggerError) Error() string { return e.Message }

// triggerEvent is the envelope every trigger event shares (spec §6.2).
type triggerEvent struct {
	Version       string            `json:"version"`
	TriggerSource string            `json:"triggerSource"`
	Region        string            `json:"region"`
	UserPoolID    string            `json:"userPoolId"`
	UserName      string            `json:"userName"`
	CallerContext map[string]string `json:"callerContext"`
	Request       map[string]any    `json:"request"`
	Response      map[string]any    `json:"response"`
}

// eventAttributes are a user's attributes as triggers see them: strings, with the status.
func eventAttributes(u *User) map[string]string {
	out := map[string]string{"cognito:user_status": u.Status}
	for _, a := range u.Attributes {
		out[a.Name] = a.Value
	}
	return out
}

// postConfirmation runs the pool's PostConfirmation trigger, if it has one and an Invoker is
// configured, after a confirmation has been committed. Its answer is ignored; its failure is
// the caller's error, worded as AWS words it (spec §6.7).
func (s *Service) postConfirmation(ctx context.Context, p *Pool, c *Client, u *User, source string, metadata map[string]string) error {
	lc := p.Doc.LambdaConfig
	if lc == nil || lc.PostConfirmation == nil {
		return nil
	}
	if s.invoker == nil {
		s.log.WarnContext(ctx, "PostConfirmation trigger configured but no trigger invoker: not called", "pool", p.ID, "source", source)
		return nil
	}
	sdk := "aws-sdk-unknown-unknown"
	if ua := CallerFrom(ctx).UserAgent; strings.HasPrefix(ua, "aws-sdk-") {
		sdk, _, _ = strings.Cut(ua, " ")
	}
	req := map[string]any{"userAttributes": eventAttributes(u)}
	if metadata != nil {
		req["clientMetadata"] = metadata
	}
	ev := triggerEvent{Version: "1", TriggerSource: source, Region: s.region, UserPoolID: p.ID, UserName: u.Username,
		CallerContext: map[string]string{"awsSdkVersion": sdk, "clientId": c.ID}, Request: req, Response: map[string]any{}}
	err := s.invoke(ctx, source, *lc.PostConfirmation, ev, nil)
	if te, ok := err.(*TriggerError); ok {
		return newError("UserLambdaValidationException", "PostConfirmation failed with error %s.", te.Message)
	}
	if err != nil {
		return newError("UnexpectedLambdaException", "PostConfirmation invocation failed due to error %s.", fmt.Sprint(err))
	}
	return nil
}
