package userpooltest

import (
	"testing"
	"time"

	"cognate/internal/userpool"
)

func newMessage(id, poolID, username, destination string, at time.Time) *userpool.Message {
	return &userpool.Message{
		MessageID:      id,
		UserPoolID:     poolID,
		Username:       username,
		DeliveryMedium: "EMAIL",
		Destination:    destination,
		Subject:        "Your verification code",
		Body:           "Your password reset code is 123456.\nIt expires in one hour.",
		TriggerSource:  "CustomMessage_ForgotPassword",
		CreatedAt:      at,
	}
}

// addMessage writes a message on its own: an IssueCode of nothing else.
func addMessage(t *testing.T, s userpool.Store, m *userpool.Message) {
	t.Helper()
	refused, err := s.IssueCode(t.Context(), &userpool.CodeIssue{PoolID: m.UserPoolID, At: m.CreatedAt, Message: m})
	must(t, "IssueCode of message "+m.MessageID, err)
	if refused != -1 {
		t.Fatalf("IssueCode without limits answered %d, want -1", refused)
	}
}

// inbox adds five messages to two pools and returns them, newest first.
func inbox(t *testing.T, s userpool.Store) (poolA, poolB string, newestFirst []*userpool.Message) {
	t.Helper()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	at := base()
	m1 := newMessage("m1", p.ID, "alice", "alice@example.com", at)
	m2 := newMessage("m2", p.ID, "bob", "+15555550100", at.Add(time.Second))
	m2.DeliveryMedium, m2.Subject, m2.TriggerSource = "SMS", "", "CustomMessage_AdminCreateUser"
	m2.ShapedBy = "CustomMessage" // the trigger that worded it is kept and read back
	m3 := newMessage("m3", q.ID, "alice", "alice@example.com", at.Add(2*time.Second))
	m4 := newMessage("m4", p.ID, "alice", "alice@example.com", at.Add(2*time.Second)) // same instant as m3, added after it
	m5 := newMessage("m5", q.ID, "carol", "carol@example.com", at.Add(-time.Hour))    // added last, oldest
	m5.Body, m5.ShapedBy = "", "CustomEmailSender"                                    // a custom sender's hand-off
	for _, m := range []*userpool.Message{m1, m2, m3, m4, m5} {
		addMessage(t, s, m)
	}
	return p.ID, q.ID, []*userpool.Message{m4, m3, m2, m1, m5}
}

func listMessages(t *testing.T, s userpool.Store, f userpool.MessageFilter) []*userpool.Message {
	t.Helper()
	ms, err := s.ListMessages(t.Context(), f)
	must(t, "ListMessages", err)
	return ms
}

func testMessageList(t *testing.T, s userpool.Store) {
	if got := listMessages(t, s, userpool.MessageFilter{}); len(got) != 0 {
		t.Fatalf("a new store's inbox holds %d messages", len(got))
	}
	_, _, want := inbox(t, s)
	// Newest first; of two written at the same instant, the one added last first.
	got := listMessages(t, s, userpool.MessageFilter{})
	same(t, "ListMessages", want, got)
	for _, m := range got {
		wantUTC(t, "message "+m.MessageID, m.CreatedAt)
	}
}

func testMessageFilters(t *testing.T, s userpool.Store) {
	p, q, all := inbox(t, s)
	m4, m3, m2, m1, m5 := all[0], all[1], all[2], all[3], all[4]
	for _, tc := range []struct {
		name string
		f    userpool.MessageFilter
		want []*userpool.Message
	}{
		{"pool", userpool.MessageFilter{UserPoolID: p}, []*userpool.Message{m4, m2, m1}},
		{"other pool", userpool.MessageFilter{UserPoolID: q}, []*userpool.Message{m3, m5}},
		{"username across pools", userpool.MessageFilter{Username: "alice"}, []*userpool.Message{m4, m3, m1}},
		{"destination", userpool.MessageFilter{Destination: "+15555550100"}, []*userpool.Message{m2}},
		{"pool and username", userpool.MessageFilter{UserPoolID: p, Username: "alice"}, []*userpool.Message{m4, m1}},
		{"pool and destination", userpool.MessageFilter{UserPoolID: q, Destination: "alice@example.com"}, []*userpool.Message{m3}},
		{"all three", userpool.MessageFilter{UserPoolID: p, Username: "bob", Destination: "+15555550100"}, []*userpool.Message{m2}},
		{"no match", userpool.MessageFilter{UserPoolID: q, Username: "bob"}, nil},
		{"missing pool", userpool.MessageFilter{UserPoolID: "us-east-1_none"}, nil},
	} {
		same(t, "ListMessages by "+tc.name, tc.want, listMessages(t, s, tc.f))
	}
}

func testMessageClear(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p, _, _ := inbox(t, s)
	must(t, "ClearMessages", s.ClearMessages(ctx))
	if got := listMessages(t, s, userpool.MessageFilter{}); len(got) != 0 {
		t.Fatalf("ClearMessages left %d messages", len(got))
	}
	m := newMessage("m6", p, "alice", "alice@example.com", base())
	addMessage(t, s, m)
	same(t, "ListMessages after ClearMessages", []*userpool.Message{m}, listMessages(t, s, userpool.MessageFilter{}))
}

// queuedMessage is a message waiting on a real channel, due at at.
func queuedMessage(id, poolID, channel string, at time.Time) *userpool.Message {
	m := newMessage(id, poolID, "alice", "alice@example.com", at)
	m.Channel, m.Status, m.NextAttemptAt = channel, "queued", at
	return m
}

// testMessageRelease checks that ReleaseMessages frees exactly owner's leases on queued
// messages, so that another owner may claim them before the leases run out.
func testMessageRelease(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	at := base()
	for _, id := range []string{"q1", "q2", "q3"} {
		addMessage(t, s, queuedMessage(id, p.ID, "smtp", at))
	}
	mine, err := s.ClaimMessages(ctx, "one", at, time.Minute, 2)
	must(t, "ClaimMessages", err)
	theirs, err := s.ClaimMessages(ctx, "two", at, time.Minute, 2)
	must(t, "ClaimMessages", err)
	if len(mine) != 2 || len(theirs) != 1 {
		t.Fatalf("claimed %d and %d, want 2 and 1", len(mine), len(theirs))
	}
	// Before the leases run out, nobody else gets them.
	none, err := s.ClaimMessages(ctx, "three", at.Add(time.Second), time.Minute, 10)
	must(t, "ClaimMessages", err)
	if len(none) != 0 {
		t.Fatalf("a third owner claimed %d leased messages", len(none))
	}
	must(t, "ReleaseMessages", s.ReleaseMessages(ctx, "one"))
	got, err := s.ClaimMessages(ctx, "three", at.Add(time.Second), time.Minute, 10)
	must(t, "ClaimMessages", err)
	var ids []string
	for _, m := range got {
		ids = append(ids, m.MessageID)
	}
	var want []string
	for _, m := range mine {
		want = append(want, m.MessageID)
	}
	same(t, "what the release freed", want, ids)
	// "one" no longer holds them: its outcome is refused, "three"'s is taken.
	mine[0].Status = "delivered"
	wantErr(t, "FinishMessage after a release", s.FinishMessage(ctx, mine[0], "one"), userpool.ErrConflict)
	must(t, "FinishMessage", s.FinishMessage(ctx, got[0], "three"))
	// Releasing what one does not hold, or twice, is harmless.
	must(t, "ReleaseMessages", s.ReleaseMessages(ctx, "nobody"))
	must(t, "ReleaseMessages", s.ReleaseMessages(ctx, "one"))
}

// testMessageCountQueued checks the outbox depth by channel: queued messages only.
func testMessageCountQueued(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	n, err := s.CountQueuedMessages(ctx)
	must(t, "CountQueuedMessages", err)
	same(t, "an empty outbox", map[string]int{}, n)
	at := base()
	for i, ch := range []string{"smtp", "smtp", "sns", "smtp"} {
		addMessage(t, s, queuedMessage(string(rune('a'+i)), p.ID, ch, at))
	}
	addMessage(t, s, newMessage("inbox", p.ID, "bob", "bob@example.com", at)) // delivered at once
	claimed, err := s.ClaimMessages(ctx, "one", at, time.Minute, 1)
	must(t, "ClaimMessages", err)
	claimed[0].Status = "delivered"
	must(t, "FinishMessage", s.FinishMessage(ctx, claimed[0], "one"))
	n, err = s.CountQueuedMessages(ctx)
	must(t, "CountQueuedMessages", err)
	same(t, "the outbox by channel", map[string]int{"smtp": 2, "sns": 1}, n)
}
