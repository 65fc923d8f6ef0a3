package userpool

import "context"

// AdminUpdateAuthEventFeedback records an administrator's feedback on a user's auth event;
// its Provider is "Admin", as the model says of feedback given in the console.
func (s *Service) AdminUpdateAuthEventFeedback(ctx context.Context, in *AdminUpdateAuthEventFeedbackRequest) (*AdminUpdateAuthEventFeedbackResponse, error) {
	err := s.setEventFeedback(ctx, deref(in.UserPoolId), deref(in.Username), deref(in.EventId), deref(in.FeedbackValue), "Admin", nil)
	if err != nil {
		return nil, err
	}
	return &AdminUpdateAuthEventFeedbackResponse{}, nil
}
