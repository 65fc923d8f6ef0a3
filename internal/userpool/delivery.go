package userpool

import "context"

// Sender delivers a message to a user by email or SMS: SMTP and SMS providers (adapted in
// cmd/cognate). The built-in inbox needs none: its messages are delivered as they are
// written. A Sender wraps ErrUndeliverable when a message can never be delivered.
type Sender interface {
	// Send delivers m or reports why it could not.
	Send(ctx context.Context, m *Message) error
}

// Messages returns the built-in inbox's messages matching f, newest first.
func (s *Service) Messages(ctx context.Context, f MessageFilter) ([]*Message, error) {
	return s.store.ListMessages(ctx, f)
}

// ClearMessages empties the built-in inbox.
func (s *Service) ClearMessages(ctx context.Context) error {
	return s.store.ClearMessages(ctx)
}

// Reset wipes every pool, client, user, group, message, code and session; signing keys stay.
func (s *Service) Reset(ctx context.Context) error {
	return s.store.Reset(ctx)
}
