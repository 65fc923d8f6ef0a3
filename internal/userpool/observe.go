package userpool

import "context"

// Observer is told of the events operators count that only the domain sees. Counts of
// requests, limit refusals and deliveries are read at the edges (the handler, the store);
// trigger invocations happen here. Options.Observer; nil observes nothing.
type Observer interface {
	// TriggerInvoked is called once per invocation of a pool's Lambda trigger, with its
	// trigger source (PostConfirmation_ConfirmForgotPassword, …) and its outcome: "ok",
	// "failed" (the function threw or answered an error) or "unreachable".
	TriggerInvoked(source, outcome string)
}

// HashQueue returns how many password hashes wait for one of the bounded hashing slots.
func (s *Service) HashQueue() int { return s.passwords.Waiting() }

// OutboxDepth returns how many messages wait for delivery, by channel.
func (s *Service) OutboxDepth(ctx context.Context) (map[string]int, error) {
	return s.store.CountQueuedMessages(ctx)
}
