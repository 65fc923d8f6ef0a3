package userpool

import "context"

// Sender delivers a message to a user by email or SMS. The built-in inbox is one
// (InboxSender); SMTP and SMS providers are others.
type Sender interface {
	// Send delivers m or reports why it could not.
	Send(ctx context.Context, m *Message) error
}

// InboxSender is the built-in inbox, the default channel: it keeps every message in the
// Store, readable through GET /_cognate/messages, and sends nothing anywhere.
type InboxSender struct {
	Store Store
}

// Send stores m in the inbox.
func (i InboxSender) Send(ctx context.Context, m *Message) error {
	return i.Store.AddMessage(ctx, m)
}

// send composes and delivers one message to a user, naming it with a fresh id.
func (s *Service) send(ctx context.Context, m *Message) error {
	id, err := s.newUUID()
	if err != nil {
		return err
	}
	m.MessageID = id
	return s.sender.Send(ctx, m)
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
