package userpool

import (
	"context"
	"encoding/base64"
	"time"

	"github.com/go-json-experiment/json"
)

// Custom sender triggers (spec §6.6): a pool whose LambdaConfig names a CustomEmailSender
// (or CustomSMSSender) function has its codes sent by that function instead of a message:
// the code, encrypted under the pool's KMSKeyID in the AWS Encryption SDK format, goes in
// the event, invoked asynchronously, as the only triggers Cognito does not wait for. The
// code is stored as any other (so that it is checked, limited and expires alike); no message
// is written to the outbox.

// senderFunction is the pool's custom sender for a medium: the trigger's name and ARN.
func senderFunction(p *Pool, medium string) (trigger, arn string) {
	lc := p.Doc.LambdaConfig
	if lc == nil {
		return "", ""
	}
	if medium == "SMS" && lc.CustomSMSSender != nil {
		return "CustomSMSSender", deref(lc.CustomSMSSender.LambdaArn)
	}
	if medium == "EMAIL" && lc.CustomEmailSender != nil {
		return "CustomEmailSender", deref(lc.CustomEmailSender.LambdaArn)
	}
	return "", ""
}

// customSend hands the code of d to the pool's custom sender, if it has one for the
// medium: the code is written with what d.is counts (one transaction, as a message would
// be), then the function is invoked. It reports whether the code went this way. A failed
// invocation is logged and not the caller's error, as Cognito does not wait for it.
func (s *Service) customSend(ctx context.Context, p *Pool, d delivery, c *Code, code string, now time.Time) (bool, error) {
	medium := "EMAIL"
	if d.attr == "phone_number" {
		medium = "SMS"
	}
	trigger, arn := senderFunction(p, medium)
	if arn == "" {
		return false, nil
	}
	keyID := deref(p.Doc.LambdaConfig.KMSKeyID)
	switch {
	case s.invoker == nil:
		return true, newError("UnexpectedLambdaException", "%s invocation failed due to error no trigger invoker is configured.", trigger)
	case keyID == "":
		return true, newError("UnexpectedLambdaException", "%s invocation failed due to error the user pool has no KMSKeyID.", trigger)
	case s.encrypter == nil:
		return true, newError("UnexpectedLambdaException", "%s invocation failed due to error no KMS endpoint is configured.", trigger)
	}
	sealed, err := s.encrypter.EncryptCode(ctx, keyID, []byte(code))
	if err != nil {
		s.log.WarnContext(ctx, "encrypting a code for a custom sender failed", "trigger", trigger, "error", err.Error())
		return true, newError("UnexpectedLambdaException", "%s invocation failed due to error KMS.", trigger)
	}
	is := d.is
	if is == nil {
		is = &issue{}
	}
	if err := s.writeIssue(ctx, p, is, c, nil, now); err != nil {
		return true, err
	}
	kind := "customEmailSenderRequestV1"
	if medium == "SMS" {
		kind = "customSMSSenderRequestV1"
	}
	source := trigger + "_" + d.source
	sdk := callerSDK(ctx)
	ev := map[string]any{"version": "1", "triggerSource": source, "region": s.region, "userPoolId": p.ID, "userName": d.user.Username,
		"callerContext": map[string]any{"awsSdkVersion": sdk, "clientId": clientIDValue(d.clientID)},
		"request": withMetadata(map[string]any{"type": kind, "code": base64.StdEncoding.EncodeToString(sealed),
			"userAttributes": eventAttributes(d.user)}, d.metadata), "response": map[string]any{}}
	payload, err := json.Marshal(ev, json.Deterministic(true))
	if err != nil {
		return true, err
	}
	start := time.Now()
	err = s.invoker.InvokeAsync(ctx, arn, payload)
	outcome := invokeOutcome(err)
	attrs := []any{"trigger", trigger, "source", source, "function", arn, "async", true,
		"duration_ms", time.Since(start).Milliseconds(), "outcome", outcome}
	if err != nil {
		s.log.WarnContext(ctx, "trigger invoked", append(attrs, "reason", invocationReason(err))...)
	} else {
		s.log.InfoContext(ctx, "trigger invoked", attrs...)
	}
	if s.observer != nil {
		s.observer.TriggerInvoked(source, outcome)
	}
	return true, nil
}
