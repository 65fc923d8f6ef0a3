package userpool_test

import (
	"context"
	"testing"
	"time"

	"cognate/internal/userpool"
)

// TestInterruptedHandoffIsGivenUp: the record of a hand-off to a custom sender whose writer
// stopped before invoking the function (its lease ran out, still queued) is given up by the
// dispatcher, never sent through a channel: the secret was not kept, and a message without
// it must not go out.
func TestInterruptedHandoffIsGivenUp(t *testing.T) {
	f := newOutboxFixture(t, obOptions{})
	now := f.clock.now()
	rec := &userpool.Message{MessageID: "handoff-1", UserPoolID: f.pool, Username: "jane", DeliveryMedium: "EMAIL",
		Destination: "jane@example.com", TriggerSource: "CustomEmailSender_ForgotPassword", ShapedBy: "CustomEmailSender",
		CreatedAt: now, NextAttemptAt: now, Channel: "trigger", Status: "queued", LeaseOwner: "a process that died",
		LeaseUntil: now.Add(time.Minute)}
	if _, err := f.store.IssueCode(context.Background(), &userpool.CodeIssue{PoolID: f.pool, At: now, Message: rec}); err != nil {
		t.Fatal(err)
	}
	if n := f.dispatch(t, "d1"); n != 0 {
		t.Fatalf("a dispatcher took a leased hand-off: %d", n)
	}
	f.clock.add(2 * time.Minute)
	if n := f.dispatch(t, "d1"); n != 1 {
		t.Fatalf("the dispatcher handled %d messages, want the hand-off", n)
	}
	m := f.only(t)
	if m.Status != "failed" || m.ShapedBy != "CustomEmailSender" || m.LastError == "" || m.Body != "" {
		t.Errorf("the interrupted hand-off: %+v", m)
	}
	if n := f.sender.callCount(); n != 0 {
		t.Errorf("the channel was asked to send %d times, want none", n)
	}
}
