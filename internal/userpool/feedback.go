package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"time"
)

// Feedback on auth events (UpdateAuthEventFeedback, AdminUpdateAuthEventFeedback), shown
// as the event's EventFeedback by AdminListUserAuthEvents.
//
// AWS puts a FeedbackToken in the notification email of a risky event, behind the
// {one-click-link-valid} and {one-click-link-invalid} links. cognate sends no such
// notifications yet; its token is a MAC of the pool, the user and the event under a key
// derived from the master key, so nothing is stored for it, and FeedbackToken hands it to
// the developer endpoint that stands in for the email.

// errAddOnOff answers the threat-protection operations of a pool whose threat protection
// is off.
func errAddOnOff() *Error {
	return newError("UserPoolAddOnNotEnabledException", "Advanced security features are not enabled for this user pool.")
}

// feedbackToken is the FeedbackToken of one event of a user.
func (s *Service) feedbackToken(poolID, userSub, eventID string) string {
	m := hmac.New(sha256.New, s.keys.feedback[:])
	for _, part := range []string{poolID, userSub, eventID} {
		m.Write([]byte(part))
		m.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// FeedbackToken returns the FeedbackToken of a user's auth event, as the notification
// email of the event would carry it.
func (s *Service) FeedbackToken(ctx context.Context, poolID, username, eventID string) (string, error) {
	p, u, err := s.loadUser(ctx, poolID, username)
	if err != nil {
		return "", err
	}
	return s.feedbackToken(p.ID, u.Sub, eventID), nil
}

// setEventFeedback records feedback from provider on one of a user's events; check, when
// set, vets the request once the user is known.
func (s *Service) setEventFeedback(ctx context.Context, poolID, username, eventID, value, provider string, check func(p *Pool, u *User) error) error {
	now := s.clock()
	p, u, err := s.loadUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	if p.securityMode() == "OFF" {
		return errAddOnOff()
	}
	if check != nil {
		if err := check(p, u); err != nil {
			return err
		}
	}
	err = s.store.SetAuthEventFeedback(ctx, p.ID, u.Sub, eventID, &EventFeedbackType{
		FeedbackValue: ptr(value), Provider: ptr(provider), FeedbackDate: At(now.Truncate(time.Millisecond))})
	if errors.Is(err, ErrNotFound) {
		// cognate's sentence; AWS's is not documented.
		return newError("ResourceNotFoundException", "Auth event %s does not exist.", eventID)
	}
	return err
}
