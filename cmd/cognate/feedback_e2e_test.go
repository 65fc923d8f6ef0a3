package main

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/go-json-experiment/json"
)

// TestAuthEventFeedback gives feedback on a user's auth events, as an administrator and as
// the user with the event's FeedbackToken, and reads it back as AdminListUserAuthEvents's
// EventFeedback.
func TestAuthEventFeedback(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := riskPool(t, s, types.AdvancedSecurityModeTypeAudit)
	client := riskClient(t, s, pool, &cip.CreateUserPoolClientInput{})
	must(c.ForgotPassword(bg, &cip.ForgotPasswordInput{ClientId: client.ClientId, Username: aws.String("jane")}))(t)
	_, err := c.ConfirmForgotPassword(bg, &cip.ConfirmForgotPasswordInput{ClientId: client.ClientId,
		Username: aws.String("jane"), ConfirmationCode: aws.String("000000"), Password: aws.String("N3w-Passw0rd!")})
	if !isCode(err, "CodeMismatchException") && !isCode(err, "ExpiredCodeException") {
		t.Fatalf("wrong code: %v", err)
	}
	events := func() []types.AuthEventType {
		t.Helper()
		return must(c.AdminListUserAuthEvents(bg, &cip.AdminListUserAuthEventsInput{UserPoolId: aws.String(pool), Username: aws.String("jane")}))(t).AuthEvents
	}
	evs := events()
	if len(evs) != 2 {
		t.Fatalf("%d events, want the request and the wrong code", len(evs))
	}
	newer, older := *evs[0].EventId, *evs[1].EventId
	before := time.Now().Add(-time.Second)

	must(c.AdminUpdateAuthEventFeedback(bg, &cip.AdminUpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool), Username: aws.String("jane"),
		EventId: aws.String(older), FeedbackValue: types.FeedbackValueTypeInvalid}))(t)
	tok := feedbackToken(t, s, pool, "jane", newer)
	// By an alias, as the model allows: the token is the user's, whatever name is given.
	must(c.UpdateAuthEventFeedback(bg, &cip.UpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool), Username: aws.String("jane@example.com"),
		EventId: aws.String(newer), FeedbackToken: aws.String(tok), FeedbackValue: types.FeedbackValueTypeValid}))(t)

	evs = events()
	for i, want := range []struct{ value, provider string }{{"Valid", "User"}, {"Invalid", "Admin"}} {
		fb := evs[i].EventFeedback
		if fb == nil || string(fb.FeedbackValue) != want.value || aws.ToString(fb.Provider) != want.provider || fb.FeedbackDate == nil || fb.FeedbackDate.Before(before) {
			t.Errorf("event %d's feedback = %+v, want %s by %s, dated now", i, fb, want.value, want.provider)
		}
	}
	// Feedback again replaces the first.
	must(c.AdminUpdateAuthEventFeedback(bg, &cip.AdminUpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool), Username: aws.String("jane"),
		EventId: aws.String(older), FeedbackValue: types.FeedbackValueTypeValid}))(t)
	if fb := events()[1].EventFeedback; fb == nil || fb.FeedbackValue != types.FeedbackValueTypeValid {
		t.Errorf("feedback after a second = %+v, want Valid", fb)
	}

	// The token of one event does not serve another, nor a made-up one.
	for _, bad := range []string{feedbackToken(t, s, pool, "jane", older), "bm90LWEtdG9rZW4"} {
		_, err := c.UpdateAuthEventFeedback(bg, &cip.UpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool), Username: aws.String("jane"),
			EventId: aws.String(newer), FeedbackToken: aws.String(bad), FeedbackValue: types.FeedbackValueTypeInvalid})
		wantErr[*types.NotAuthorizedException](t, err, "Invalid feedback token.")
	}
	if fb := events()[0].EventFeedback; fb == nil || fb.FeedbackValue != types.FeedbackValueTypeValid {
		t.Errorf("feedback after refused tokens = %+v, want the Valid given before", fb)
	}

	_, err = c.AdminUpdateAuthEventFeedback(bg, &cip.AdminUpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool), Username: aws.String("jane"),
		EventId: aws.String("no-such-event"), FeedbackValue: types.FeedbackValueTypeValid})
	wantErr[*types.ResourceNotFoundException](t, err, "Auth event no-such-event does not exist.")
	_, err = c.UpdateAuthEventFeedback(bg, &cip.UpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool), Username: aws.String("jane"),
		EventId: aws.String("no-such-event"), FeedbackToken: aws.String(feedbackToken(t, s, pool, "jane", "no-such-event")), FeedbackValue: types.FeedbackValueTypeValid})
	wantErr[*types.ResourceNotFoundException](t, err, "Auth event no-such-event does not exist.")
	_, err = c.AdminUpdateAuthEventFeedback(bg, &cip.AdminUpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool), Username: aws.String("nobody"),
		EventId: aws.String(newer), FeedbackValue: types.FeedbackValueTypeValid})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	_, err = c.AdminUpdateAuthEventFeedback(bg, &cip.AdminUpdateAuthEventFeedbackInput{UserPoolId: aws.String(pool), Username: aws.String("jane"),
		EventId: aws.String(newer), FeedbackValue: "Maybe"})
	wantCode(t, err, "InvalidParameterException")

	off := riskPool(t, s, types.AdvancedSecurityModeTypeOff)
	_, err = c.AdminUpdateAuthEventFeedback(bg, &cip.AdminUpdateAuthEventFeedbackInput{UserPoolId: aws.String(off), Username: aws.String("jane"),
		EventId: aws.String(newer), FeedbackValue: types.FeedbackValueTypeValid})
	wantErr[*types.UserPoolAddOnNotEnabledException](t, err, "Advanced security features are not enabled for this user pool.")
}

// feedbackToken reads an event's FeedbackToken from the developer endpoint that stands in
// for the notification email.
func feedbackToken(t *testing.T, s *testServer, pool, username, eventID string) string {
	t.Helper()
	q := url.Values{"UserPoolId": {pool}, "Username": {username}, "EventId": {eventID}}
	status, _, body := httpDo(t, http.MethodGet, s.URL+"/_cognate/feedback-token?"+q.Encode(), nil, nil)
	var out struct{ FeedbackToken string }
	if err := json.Unmarshal(body, &out); status != http.StatusOK || err != nil || out.FeedbackToken == "" {
		t.Fatalf("GET /_cognate/feedback-token: %d %s", status, body)
	}
	return out.FeedbackToken
}
