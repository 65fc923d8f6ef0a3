package userpool

import (
	"context"
	"crypto/subtle"
)

// UpdateAuthEventFeedback records a user's own feedback on an auth event, authorised by
// the event's FeedbackToken (unsigned, as the links of a notification email call it).
// The feedback's Provider is "User" (inferred: the model documents only "Admin").
func (s *Service) UpdateAuthEventFeedback(ctx context.Context, in *UpdateAuthEventFeedbackRequest) (*UpdateAuthEventFeedbackResponse, error) {
	err := s.setEventFeedback(ctx, deref(in.UserPoolId), deref(in.Username), deref(in.EventId), deref(in.FeedbackValue), "User",
		func(p *Pool, u *User) error {
			want := s.feedbackToken(p.ID, u.Sub, deref(in.EventId))
			if subtle.ConstantTimeCompare([]byte(want), []byte(deref(in.FeedbackToken))) != 1 {
				return notAuthorized("Invalid feedback token.")
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return &UpdateAuthEventFeedbackResponse{}, nil
}
