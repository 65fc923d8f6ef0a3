package userpool

import (
	"context"
	"encoding/base64"
	"errors"
	"time"

	"github.com/go-json-experiment/json"
)

// Custom sender triggers (spec §6.6): a pool whose LambdaConfig names a CustomEmailSender
// (or CustomSMSSender) function has its codes and temporary passwords sent by that function
// instead of a message: the secret, encrypted under the pool's KMSKeyID in the AWS
// Encryption SDK format, goes in the event, invoked asynchronously, as the only triggers
// Cognito does not wait for. A code is stored as any other (so that it is checked, limited
// and expires alike). The inbox keeps a record of each hand-off, without the secret, so that
// a developer sees which trigger took the message (ShapedBy) and whether it was invoked.

// handoffChannel is the Channel of the inbox's record of a hand-off to a custom sender.
const handoffChannel = "trigger"

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

// handoff is a secret on its way to a custom sender: the function, the event, and the
// inbox's record of it, written (queued, leased to this service) with whatever the
// operation writes, then finished by handOff.
type handoff struct {
	trigger, source, arn string
	payload              []byte
	record               *Message
}

// sender is who a custom sender's event is about and why: the user (u, at to by medium),
// the trigger source's operation part ("ForgotPassword", "AdminCreateUser", ...), and the
// request's app client and ClientMetadata.
type sender struct {
	user             *User
	medium, to       string
	source, clientID string
	metadata         map[string]string
}

// prepareHandoff encrypts secret for the pool's custom sender of the medium and builds its
// event and record; nil when the pool has no custom sender for the medium.
func (s *Service) prepareHandoff(ctx context.Context, p *Pool, w sender, secret string, now time.Time) (*handoff, error) {
	trigger, arn := senderFunction(p, w.medium)
	if arn == "" {
		return nil, nil
	}
	keyID := deref(p.Doc.LambdaConfig.KMSKeyID)
	switch {
	case s.invoker == nil:
		return nil, newError("UnexpectedLambdaException", "%s invocation failed due to error no trigger invoker is configured.", trigger)
	case keyID == "":
		return nil, newError("UnexpectedLambdaException", "%s invocation failed due to error the user pool has no KMSKeyID.", trigger)
	case s.encrypter == nil:
		return nil, newError("UnexpectedLambdaException", "%s invocation failed due to error no KMS endpoint is configured.", trigger)
	}
	sealed, err := s.encrypter.EncryptCode(ctx, keyID, []byte(secret))
	if err != nil {
		s.log.WarnContext(ctx, "encrypting a code for a custom sender failed", "trigger", trigger, "error", err.Error())
		return nil, newError("UnexpectedLambdaException", "%s invocation failed due to error KMS.", trigger)
	}
	kind := "customEmailSenderRequestV1"
	if w.medium == "SMS" {
		kind = "customSMSSenderRequestV1"
	}
	source := trigger + "_" + w.source
	ev := map[string]any{"version": "1", "triggerSource": source, "region": s.region, "userPoolId": p.ID, "userName": w.user.Username,
		"callerContext": map[string]any{"awsSdkVersion": callerSDK(ctx), "clientId": clientIDValue(w.clientID)},
		"request": withMetadata(map[string]any{"type": kind, "code": base64.StdEncoding.EncodeToString(sealed),
			"userAttributes": eventAttributes(w.user)}, w.metadata), "response": map[string]any{}}
	payload, err := json.Marshal(ev, json.Deterministic(true))
	if err != nil {
		return nil, err
	}
	id, err := s.newUUID()
	if err != nil {
		return nil, err
	}
	rec := &Message{MessageID: id, UserPoolID: p.ID, Username: w.user.Username, DeliveryMedium: w.medium, Destination: w.to,
		TriggerSource: source, ShapedBy: trigger, CreatedAt: now, NextAttemptAt: now, Channel: handoffChannel, Status: "queued",
		LeaseOwner: s.owner, LeaseUntil: now.Add(deliveryLease)}
	return &handoff{trigger: trigger, source: source, arn: arn, payload: payload, record: rec}, nil
}

// handOff invokes the custom sender of a hand-off whose record has been written, logs the
// invocation (never the event, which holds the encrypted secret and ClientMetadata) and
// records its outcome. A failed invocation is not the caller's error, as Cognito does not
// wait for the function.
func (s *Service) handOff(ctx context.Context, h *handoff) {
	start := time.Now()
	err := s.invoker.InvokeAsync(ctx, h.arn, h.payload)
	outcome := invokeOutcome(err)
	attrs := []any{"trigger", h.trigger, "source", h.source, "function", h.arn, "async", true,
		"duration_ms", time.Since(start).Milliseconds(), "outcome", outcome}
	m := h.record
	m.Attempts = 1
	if err != nil {
		reason := invocationReason(err)
		s.log.WarnContext(ctx, "trigger invoked", append(attrs, "reason", reason)...)
		m.Status, m.LastError = "failed", h.trigger+" invocation failed due to error "+reason+"."
	} else {
		s.log.InfoContext(ctx, "trigger invoked", attrs...)
		m.Status, m.DeliveredAt = "delivered", s.clock()
	}
	if s.observer != nil {
		s.observer.TriggerInvoked(h.source, outcome)
	}
	if err := s.finish(context.WithoutCancel(ctx), m, s.owner); err != nil {
		s.log.ErrorContext(ctx, "recording a custom sender's hand-off failed", "message", m.MessageID, "error", err.Error())
	}
}

// errHandoffInterrupted is the record of a hand-off whose writer stopped before invoking
// the custom sender: the secret was never sent, and cannot be (it was not kept).
var errHandoffInterrupted = errors.New("interrupted before the custom sender was invoked; the code was not sent")

// customSend hands the code of d to the pool's custom sender, if it has one for the
// medium: the code is written with what d.is counts and the hand-off's record (one
// transaction, as a message would be), then the function is invoked. It reports whether
// the code went this way.
func (s *Service) customSend(ctx context.Context, p *Pool, d delivery, c *Code, code string, now time.Time) (bool, error) {
	medium := "EMAIL"
	if d.attr == "phone_number" {
		medium = "SMS"
	}
	h, err := s.prepareHandoff(ctx, p, sender{user: d.user, medium: medium, to: d.to, source: d.source, clientID: d.clientID,
		metadata: d.metadata}, code, now)
	if h == nil || err != nil {
		return err != nil, err
	}
	is := d.is
	if is == nil {
		is = &issue{}
	}
	if err := s.writeIssue(ctx, p, is, c, h.record, now); err != nil {
		return true, err
	}
	s.handOff(ctx, h)
	return true, nil
}
