package userpool

import (
	"context"
	"encoding/json"
	"strconv"
	"time"
)

// Log export (SetLogDeliveryConfiguration): the events a pool's log configurations ask
// for, as AWS documents their shape ("Exporting logs from Amazon Cognito user pools"): user
// notification errors (a message that could not be delivered) and threat protection's user
// activity (every auth event the pool records). Each is handed to the LogWriter with the
// ARN of its destination once what it describes has been committed.

// LogWriter delivers exported log events: each event is one JSON document, to append to
// the destination its ARN names (a CloudWatch Logs group, an S3 bucket or a Firehose
// stream). Implementations must be safe for concurrent use.
type LogWriter interface {
	WriteLogEvent(ctx context.Context, destinationARN string, event []byte) error
}

// exportingStore is the Store with log export: it passes every call through and, after a
// write that recorded an auth event or finished a message's delivery as failed, exports
// the event to the pool's configured destinations. An export that fails is logged; the
// write it follows has happened.
type exportingStore struct {
	Store
	s *Service
	w LogWriter
}

func (e *exportingStore) AddAuthEvent(ctx context.Context, poolID, userSub string, ev *AuthEventType) error {
	err := e.Store.AddAuthEvent(ctx, poolID, userSub, ev)
	if err == nil {
		e.s.exportUserActivity(ctx, e.w, poolID, userSub, ev)
	}
	return err
}

func (e *exportingStore) IssueCode(ctx context.Context, issue *CodeIssue) (int, error) {
	n, err := e.Store.IssueCode(ctx, issue)
	if err == nil && n < 0 && issue.Event != nil {
		e.s.exportUserActivity(ctx, e.w, issue.PoolID, issue.Event.UserSub, issue.Event.Event)
	}
	return n, err
}

func (e *exportingStore) RedeemCode(ctx context.Context, r *Redemption) error {
	err := e.Store.RedeemCode(ctx, r)
	if err == nil && r.Event != nil {
		e.s.exportUserActivity(ctx, e.w, r.Code.PoolID, r.Event.UserSub, r.Event.Event)
	}
	return err
}

func (e *exportingStore) FinishMessage(ctx context.Context, m *Message, owner string) error {
	err := e.Store.FinishMessage(ctx, m, owner)
	if err == nil && m.Status == "failed" {
		e.s.exportNotificationError(ctx, e.w, m)
	}
	return err
}

// logDestinations returns the ARNs a pool's configuration sends source's events to.
func (s *Service) logDestinations(ctx context.Context, poolID, source string) []string {
	cfg, err := s.store.GetLogDelivery(ctx, poolID)
	if err != nil {
		return nil
	}
	var arns []string
	for _, c := range cfg.LogConfigurations {
		if deref(c.EventSource) != source {
			continue
		}
		switch {
		case c.CloudWatchLogsConfiguration != nil && c.CloudWatchLogsConfiguration.LogGroupArn != nil:
			arns = append(arns, *c.CloudWatchLogsConfiguration.LogGroupArn)
		case c.S3Configuration != nil && c.S3Configuration.BucketArn != nil:
			arns = append(arns, *c.S3Configuration.BucketArn)
		case c.FirehoseConfiguration != nil && c.FirehoseConfiguration.StreamArn != nil:
			arns = append(arns, *c.FirehoseConfiguration.StreamArn)
		}
	}
	return arns
}

// logEvent is an exported log event: the envelope the guide's examples show.
type logEvent struct {
	EventTimestamp string         `json:"eventTimestamp"`
	EventSource    string         `json:"eventSource"`
	LogLevel       string         `json:"logLevel"`
	Message        any            `json:"message"`
	LogSourceID    map[string]any `json:"logSourceId"`
}

func (s *Service) writeLogEvent(ctx context.Context, w LogWriter, arns []string, poolID string, ev logEvent) {
	ev.EventTimestamp = strconv.FormatInt(s.clock().UnixMilli(), 10)
	ev.LogSourceID = map[string]any{"userPoolId": poolID}
	b, err := json.Marshal(ev)
	if err != nil {
		s.log.ErrorContext(ctx, "log event not encoded", "pool", poolID, "error", err.Error())
		return
	}
	for _, arn := range arns {
		if err := w.WriteLogEvent(ctx, arn, b); err != nil {
			s.log.WarnContext(ctx, "log event not exported", "pool", poolID, "destination", arn, "error", err.Error())
		}
	}
}

// exportNotificationError exports a message that could not be delivered (userNotification).
// The message carries what the dispatcher recorded, never the message's text.
func (s *Service) exportNotificationError(ctx context.Context, w LogWriter, m *Message) {
	arns := s.logDestinations(ctx, m.UserPoolID, "userNotification")
	if len(arns) == 0 {
		return
	}
	details := "Message " + m.MessageID + " (" + m.DeliveryMedium + ", " + m.TriggerSource + ") to " + m.Username +
		" was not delivered after " + strconv.Itoa(m.Attempts) + " attempts: " + m.LastError
	s.writeLogEvent(ctx, w, arns, m.UserPoolID, logEvent{EventSource: "USER_NOTIFICATION", LogLevel: "ERROR",
		Message: map[string]any{"details": details}})
}

// exportUserActivity exports an auth event (userAuthEvents), with the message members of
// the guide's example. What cognate does not know there (the client, the request id, the
// place) goes out empty, as the guide warns fields may.
func (s *Service) exportUserActivity(ctx context.Context, w LogWriter, poolID, userSub string, ev *AuthEventType) {
	arns := s.logDestinations(ctx, poolID, "userAuthEvents")
	if len(arns) == 0 || ev == nil {
		return
	}
	name := ""
	if u, err := s.store.GetUserBySub(ctx, poolID, userSub); err == nil {
		name = u.Username
	}
	risk := EventRiskType{}
	if ev.EventRisk != nil {
		risk = *ev.EventRisk
	}
	cx := EventContextDataType{}
	if ev.EventContextData != nil {
		cx = *ev.EventContextData
	}
	fb := EventFeedbackType{}
	if ev.EventFeedback != nil {
		fb = *ev.EventFeedback
	}
	feedbackDate := ""
	if !fb.FeedbackDate.IsZero() {
		feedbackDate = fb.FeedbackDate.UTC().Format(time.UnixDate)
	}
	challenges := []map[string]string{}
	for _, c := range ev.ChallengeResponses {
		challenges = append(challenges, map[string]string{"challengeName": deref(c.ChallengeName), "challengeResponse": deref(c.ChallengeResponse)})
	}
	msg := map[string]any{
		"version": "1", "eventId": deref(ev.EventId), "eventType": deref(ev.EventType),
		"userSub": userSub, "userName": name, "userPoolId": poolID, "clientId": "",
		"creationDate":  ev.CreationDate.UTC().Format(time.UnixDate),
		"eventResponse": deref(ev.EventResponse), "riskLevel": deref(risk.RiskLevel), "riskDecision": deref(risk.RiskDecision),
		"challenges": challenges, "deviceName": deref(cx.DeviceName), "ipAddress": deref(cx.IpAddress),
		"requestId": "", "idpName": "",
		"compromisedCredentialDetected": strconv.FormatBool(deref(risk.CompromisedCredentialsDetected)),
		"city":                          deref(cx.City), "country": deref(cx.Country),
		"eventFeedbackValue": deref(fb.FeedbackValue), "eventFeedbackDate": feedbackDate, "eventFeedbackProvider": deref(fb.Provider),
		"hasContextData": strconv.FormatBool(ev.EventContextData != nil),
	}
	s.writeLogEvent(ctx, w, arns, poolID, logEvent{EventSource: "USER_ACTIVITY", LogLevel: "INFO", Message: msg})
}
