package userpooltest

// The conformance tests of the acts that write several things at once (IssueCode, the
// clearing and recording of RedeemCode), of the outbox a dispatcher works through, of risk
// configurations and auth events, and the races each promise is about.

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"cognate/internal/userpool"
)

// race runs fn(i) on n goroutines released at once and waits for them all.
func race(n int, fn func(i int)) {
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			fn(i)
		})
	}
	close(start)
	wg.Wait()
}

func newEvent(id string, at time.Time) *userpool.AuthEventType {
	return &userpool.AuthEventType{EventId: ptr(id), EventType: ptr("ForgotPassword"), CreationDate: userpool.At(at),
		EventResponse: ptr("Pass"), EventContextData: &userpool.EventContextDataType{IpAddress: ptr("127.0.0.1")}}
}

// eventIDs lists the ids of a user's auth events, newest first.
func eventIDs(t *testing.T, s userpool.Store, poolID, sub string) []string {
	t.Helper()
	recs, err := s.ListAuthEvents(t.Context(), poolID, sub, 0, 0)
	must(t, "ListAuthEvents", err)
	var ids []string
	for _, r := range recs {
		ids = append(ids, deref(r.Event.EventId))
	}
	return ids
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// countOf answers how many attempts of kind subject has in the hour before at.
func countOf(t *testing.T, s userpool.Store, poolID, subject, kind string, at time.Time) int {
	t.Helper()
	n, err := s.CountAttempts(t.Context(), poolID, subject, kind, at.Add(-time.Hour))
	must(t, "CountAttempts", err)
	return n
}

// testIssueCode checks that an issue writes its attempts, code, message and event together,
// and that a limit reached writes none of them.
func testIssueCode(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice")
	insertUsers(t, s, a)
	at := base()
	requests := userpool.Limit{Subject: a.Sub, Kind: "recovery-request", Window: time.Hour, Max: 2}
	quota := userpool.Limit{Subject: "pool", Kind: "email-daily", Window: 24 * time.Hour, Max: 3}
	issue := func(i int) (*userpool.CodeIssue, int, error) {
		is := &userpool.CodeIssue{
			PoolID: p.ID, At: at.Add(time.Duration(i) * time.Second), Limits: []userpool.Limit{requests, quota},
			Code:    newCode(a, "recovery", at.Add(time.Duration(i)*time.Second), byte(i)),
			Message: newMessage(fmt.Sprintf("issue-m%d", i), p.ID, "alice", "alice@example.com", at.Add(time.Duration(i)*time.Second)),
			Event:   &userpool.UserEvent{UserSub: a.Sub, Event: newEvent(fmt.Sprintf("issue-e%d", i), at)},
		}
		refused, err := s.IssueCode(ctx, is)
		return is, refused, err
	}

	first, refused, err := issue(1)
	must(t, "IssueCode", err)
	if refused != -1 {
		t.Fatalf("IssueCode with room answered %d, want -1", refused)
	}
	wantCode(t, s, first.Code)
	same(t, "the message issued", []*userpool.Message{first.Message}, listMessages(t, s, userpool.MessageFilter{UserPoolID: p.ID}))
	same(t, "the event issued", []string{"issue-e1"}, eventIDs(t, s, p.ID, a.Sub))
	if n := countOf(t, s, p.ID, a.Sub, "recovery-request", at.Add(time.Minute)); n != 1 {
		t.Fatalf("%d requests counted, want 1", n)
	}

	second, refused, err := issue(2)
	must(t, "IssueCode", err)
	if refused != -1 {
		t.Fatalf("the second IssueCode answered %d, want -1", refused)
	}
	wantCode(t, s, second.Code) // the newest code wins

	// The request limit (index 0) is reached: nothing is written, not even the quota's count.
	_, refused, err = issue(3)
	must(t, "IssueCode past the limit", err)
	if refused != 0 {
		t.Fatalf("IssueCode past the request limit answered %d, want 0", refused)
	}
	wantCode(t, s, second.Code)
	if got := listMessages(t, s, userpool.MessageFilter{UserPoolID: p.ID}); len(got) != 2 {
		t.Fatalf("a refused IssueCode left %d messages, want 2", len(got))
	}
	same(t, "events after a refusal", []string{"issue-e2", "issue-e1"}, eventIDs(t, s, p.ID, a.Sub))
	if n := countOf(t, s, p.ID, "pool", "email-daily", at.Add(time.Minute)); n != 2 {
		t.Fatalf("the quota counted %d after a refusal, want 2", n)
	}

	// The second limit reached answers its own index.
	b := newUser(p.ID, "bob")
	insertUsers(t, s, b)
	for i := range 2 {
		refused, err := s.IssueCode(ctx, &userpool.CodeIssue{PoolID: p.ID, At: at, Limits: []userpool.Limit{
			{Subject: b.Sub, Kind: "recovery-request", Window: time.Hour, Max: 5}, quota}, Code: newCode(b, "recovery", at, byte(i))})
		must(t, "IssueCode for bob", err)
		if want := []int{-1, 1}[i]; refused != want {
			t.Fatalf("IssueCode %d for bob answered %d, want %d", i, refused, want)
		}
	}
	if n := countOf(t, s, p.ID, b.Sub, "recovery-request", at); n != 1 {
		t.Fatalf("bob's requests: %d counted, want 1 (the refused issue counts nothing)", n)
	}

	// An issue of counts alone writes only the counts.
	refused, err = s.IssueCode(ctx, &userpool.CodeIssue{PoolID: p.ID, At: at, Limits: []userpool.Limit{
		{Subject: "shadow:nobody", Kind: "recovery-request", Window: time.Hour, Max: 5}}})
	must(t, "IssueCode of counts alone", err)
	if refused != -1 || countOf(t, s, p.ID, "shadow:nobody", "recovery-request", at) != 1 {
		t.Fatalf("IssueCode of counts alone: answered %d", refused)
	}

	// A code for a user that does not exist, or in a pool that does not, writes nothing.
	ghost := newUser(p.ID, "ghost")
	_, err = s.IssueCode(ctx, &userpool.CodeIssue{PoolID: p.ID, At: at, Limits: []userpool.Limit{{Subject: ghost.Sub, Kind: "k", Window: time.Hour, Max: 5}},
		Code: newCode(ghost, "recovery", at, 1), Message: newMessage("ghost-m", p.ID, "ghost", "g@example.com", at)})
	wantErr(t, "IssueCode for a missing user", err, userpool.ErrNotFound)
	if countOf(t, s, p.ID, ghost.Sub, "k", at) != 0 || len(listMessages(t, s, userpool.MessageFilter{Username: "ghost"})) != 0 {
		t.Fatal("IssueCode for a missing user wrote its count or its message")
	}
	_, err = s.IssueCode(ctx, &userpool.CodeIssue{PoolID: "us-east-1_none", At: at, Limits: []userpool.Limit{{Subject: "x", Kind: "k", Window: time.Hour, Max: 5}}})
	wantErr(t, "IssueCode in a missing pool", err, userpool.ErrNotFound)
}

// testIssueCodeShadow checks a Shadow issue (a request for a name the caller may not learn
// about): it counts as any issue does, and its code, message and event are kept where only
// GetShadowCode finds the code: no user's code, message list, outbox or event list shows
// them, even when the subject is a real user's sub. The newest shadow code replaces the
// last; a refused issue writes none; ResetPool and DeletePool remove them.
func testIssueCodeShadow(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice")
	insertUsers(t, s, a)
	at := base()
	real := newCode(a, "recovery", at, 9)
	putCode(t, s, real)
	nobody := &userpool.User{PoolID: p.ID, Sub: "shadow:nobody", Username: "nobody"}
	shadow := func(u *userpool.User, i int, max int) (*userpool.CodeIssue, int) {
		t.Helper()
		when := at.Add(time.Duration(i) * time.Second)
		m := newMessage(fmt.Sprintf("shadow-m%d", i), p.ID, u.Username, u.Username+"@example.com", when)
		m.Channel, m.Status, m.NextAttemptAt = "smtp", "queued", when // as a real channel's message is written
		is := &userpool.CodeIssue{PoolID: p.ID, At: when, Shadow: true,
			Limits: []userpool.Limit{{Subject: u.Sub, Kind: "recovery-request", Window: time.Hour, Max: max}},
			Code:   newCode(u, "recovery", when, byte(i)), Message: m,
			Event: &userpool.UserEvent{UserSub: u.Sub, Event: newEvent(fmt.Sprintf("shadow-e%d", i), when)}}
		refused, err := s.IssueCode(ctx, is)
		must(t, "IssueCode (Shadow)", err)
		return is, refused
	}
	invisible := func(what string) {
		t.Helper()
		if got := listMessages(t, s, userpool.MessageFilter{}); len(got) != 0 {
			t.Fatalf("%s: ListMessages shows %d messages, want none", what, len(got))
		}
		queued, err := s.CountQueuedMessages(ctx)
		must(t, "CountQueuedMessages", err)
		if len(queued) != 0 {
			t.Fatalf("%s: the outbox counts %v queued, want none", what, queued)
		}
		claimed, err := s.ClaimMessages(ctx, "dispatcher", at.Add(time.Hour), time.Minute, 16)
		must(t, "ClaimMessages", err)
		if len(claimed) != 0 {
			t.Fatalf("%s: a dispatcher claimed %d messages, want none", what, len(claimed))
		}
		for _, sub := range []string{a.Sub, nobody.Sub} {
			if ids := eventIDs(t, s, p.ID, sub); len(ids) != 0 {
				t.Fatalf("%s: the auth events of %s list %v, want none", what, sub, ids)
			}
		}
		wantCode(t, s, real) // a user's own code stands
		wantNoCode(t, s, p.ID, nobody.Sub, "recovery")
	}

	first, refused := shadow(nobody, 1, 2)
	if refused != -1 {
		t.Fatalf("a Shadow IssueCode with room answered %d, want -1", refused)
	}
	wantShadowCode(t, s, first.Code)
	invisible("after a shadow issue")
	if n := countOf(t, s, p.ID, nobody.Sub, "recovery-request", at.Add(time.Minute)); n != 1 {
		t.Fatalf("the shadow issue counted %d requests, want 1", n)
	}
	second, _ := shadow(nobody, 2, 2)
	wantShadowCode(t, s, second.Code) // the newest replaces the last
	if _, refused := shadow(nobody, 3, 2); refused != 0 {
		t.Fatalf("a Shadow IssueCode past its limit answered %d, want 0", refused)
	}
	wantShadowCode(t, s, second.Code) // a refused issue writes nothing
	// A shadow for a real user's sub (a user the caller may not learn about).
	onA, _ := shadow(a, 4, 5)
	wantShadowCode(t, s, onA.Code)
	invisible("after a shadow issue on a user's sub")

	// A Shadow IssueCode in a pool that does not exist writes nothing.
	_, err := s.IssueCode(ctx, &userpool.CodeIssue{PoolID: "us-east-1_none", At: at, Shadow: true,
		Code: &userpool.Code{PoolID: "us-east-1_none", UserSub: "shadow:x", Purpose: "recovery", MAC: []byte{1}, CreatedAt: at, ExpiresAt: at.Add(time.Hour)}})
	wantErr(t, "a Shadow IssueCode in a missing pool", err, userpool.ErrNotFound)

	must(t, "ResetPool", s.ResetPool(ctx, p.ID))
	for _, sub := range []string{a.Sub, nobody.Sub} {
		_, err := s.GetShadowCode(ctx, p.ID, sub, "recovery")
		wantErr(t, "GetShadowCode after ResetPool", err, userpool.ErrNotFound)
	}
	again, _ := shadow(nobody, 5, 2)
	wantShadowCode(t, s, again.Code)
	must(t, "DeletePool", s.DeletePool(ctx, p.ID))
	_, err = s.GetShadowCode(ctx, p.ID, nobody.Sub, "recovery")
	wantErr(t, "GetShadowCode after DeletePool", err, userpool.ErrNotFound)
}

// wantShadowCode checks that GetShadowCode finds want.
func wantShadowCode(t *testing.T, s userpool.Store, want *userpool.Code) {
	t.Helper()
	got, err := s.GetShadowCode(t.Context(), want.PoolID, want.UserSub, want.Purpose)
	must(t, "GetShadowCode", err)
	same(t, "the shadow code", want, got)
}

// testIssueCodeRace has many requests for a code race against a limit: exactly the limit
// are written, each with its message, and the stored code is one of theirs.
func testIssueCodeRace(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice")
	insertUsers(t, s, a)
	const n, limit = 16, 5
	issues := make([]*userpool.CodeIssue, n)
	refusals := make([]int, n)
	errs := make([]error, n)
	for i := range n {
		issues[i] = &userpool.CodeIssue{PoolID: p.ID, At: base(),
			Limits:  []userpool.Limit{{Subject: a.Sub, Kind: "recovery-request", Window: time.Hour, Max: limit}},
			Code:    newCode(a, "recovery", base(), byte(i)),
			Message: newMessage(fmt.Sprintf("race-m%d", i), p.ID, "alice", "alice@example.com", base())}
	}
	race(n, func(i int) { refusals[i], errs[i] = s.IssueCode(t.Context(), issues[i]) })
	written := map[string]bool{}
	var macs [][]byte
	for i := range n {
		must(t, fmt.Sprintf("IssueCode %d", i), errs[i])
		switch refusals[i] {
		case -1:
			written[issues[i].Message.MessageID] = true
			macs = append(macs, issues[i].Code.MAC)
		case 0:
		default:
			t.Fatalf("IssueCode %d answered %d", i, refusals[i])
		}
	}
	if len(written) != limit {
		t.Fatalf("%d of %d racing issues were written, want exactly %d", len(written), n, limit)
	}
	msgs := listMessages(t, s, userpool.MessageFilter{UserPoolID: p.ID})
	if len(msgs) != limit {
		t.Fatalf("%d messages after the race, want %d", len(msgs), limit)
	}
	for _, m := range msgs {
		if !written[m.MessageID] {
			t.Fatalf("message %s of a refused issue was written", m.MessageID)
		}
	}
	got, err := s.GetCode(t.Context(), p.ID, a.Sub, "recovery")
	must(t, "GetCode", err)
	found := false
	for _, mac := range macs {
		found = found || string(mac) == string(got.MAC)
	}
	if !found {
		t.Fatal("the stored code is none of the written issues'")
	}
}

// testRedeemClearsAndRecords checks the rest of a redemption: the counters it clears and
// the event it records go with it, and a failed redemption touches neither.
func testRedeemClearsAndRecords(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	f := newRedeemFixture(t, s)
	p, a := f.pool, f.alice
	exhaust(t, s, p.ID, a.Sub, "recovery-guess", base())
	exhaust(t, s, p.ID, a.Sub, "signin", base())
	exhaust(t, s, p.ID, a.Sub, "other", base())
	exhaust(t, s, p.ID, f.bob.Sub, "signin", base())
	clear := []userpool.Counter{{Subject: a.Sub, Kind: "recovery-guess"}, {Subject: a.Sub, Kind: "signin"}}
	ev := &userpool.UserEvent{UserSub: a.Sub, Event: newEvent("redeem-e1", base())}

	wrong := *f.code
	wrong.MAC = []byte("not the code")
	err := s.RedeemCode(ctx, &userpool.Redemption{Code: &wrong, Users: []userpool.UserWrite{{User: f.reset("$argon2id$x")}}, Clear: clear, Event: ev})
	wantErr(t, "RedeemCode with another MAC", err, userpool.ErrNotFound)
	attempt(t, s, p.ID, a.Sub, "signin", base(), false)
	if ids := eventIDs(t, s, p.ID, a.Sub); len(ids) != 0 {
		t.Fatalf("a failed redemption recorded events %v", ids)
	}

	u := f.reset("$argon2id$new")
	must(t, "RedeemCode", s.RedeemCode(ctx, &userpool.Redemption{Code: f.code, Users: []userpool.UserWrite{{User: u}}, Clear: clear, Event: ev}))
	wantUser(t, s, stored(u))
	attempt(t, s, p.ID, a.Sub, "recovery-guess", base(), true)
	attempt(t, s, p.ID, a.Sub, "signin", base(), true)
	attempt(t, s, p.ID, a.Sub, "other", base(), false)      // not named: kept
	attempt(t, s, p.ID, f.bob.Sub, "signin", base(), false) // another user's: kept
	same(t, "the event recorded", []string{"redeem-e1"}, eventIDs(t, s, p.ID, a.Sub))
}

// testUserNoLostUpdate has many writers each add one attribute to one user by reading it,
// changing it and saving it with the version read, again while another went first: every
// writer's change is there at the end.
func testUserNoLostUpdate(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	insertUsers(t, s, newUser(p.ID, "alice"))
	const n = 12
	errs := make([]error, n)
	race(n, func(i int) {
		for range 1000 {
			u, err := s.GetUser(ctx, p.ID, "alice")
			if err != nil {
				errs[i] = err
				return
			}
			u.Attributes = append(u.Attributes, userpool.Attribute{Name: fmt.Sprintf("custom:w%d", i), Value: "1"})
			err = s.SaveUsers(ctx, userpool.UserWrite{User: u})
			if !errors.Is(err, userpool.ErrConflict) {
				errs[i] = err
				return
			}
		}
		errs[i] = errors.New("no write in 1000 tries")
	})
	for i, err := range errs {
		must(t, fmt.Sprintf("writer %d", i), err)
	}
	u, err := s.GetUser(ctx, p.ID, "alice")
	must(t, "GetUser", err)
	have := map[string]bool{}
	for _, a := range u.Attributes {
		have[a.Name] = true
	}
	for i := range n {
		if !have[fmt.Sprintf("custom:w%d", i)] {
			t.Fatalf("writer %d's change was lost: %+v", i, u.Attributes)
		}
	}
}

// testPoolUpdateRace has many updates read from one version race: exactly one is stored.
func testPoolUpdateRace(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	c := createClient(t, s, p.ID, "app1")
	const n = 8
	poolErrs, clientErrs := make([]error, n), make([]error, n)
	race(n, func(i int) {
		q, d := *p, *c
		q.Doc.Name, d.Doc.ClientName = ptr(fmt.Sprintf("pool-%d", i)), ptr(fmt.Sprintf("client-%d", i))
		poolErrs[i] = s.UpdatePool(t.Context(), &q)
		clientErrs[i] = s.UpdateClient(t.Context(), &d)
	})
	for what, errs := range map[string][]error{"UpdatePool": poolErrs, "UpdateClient": clientErrs} {
		wins := 0
		for i, err := range errs {
			switch {
			case err == nil:
				wins++
			case errors.Is(err, userpool.ErrConflict):
			default:
				t.Fatalf("%s %d: %v", what, i, err)
			}
		}
		if wins != 1 {
			t.Fatalf("%d racing %s calls from one version succeeded, want exactly 1", wins, what)
		}
	}
}

// queued is a message for a real channel, due at at.
func queued(id, poolID string, at time.Time) *userpool.Message {
	m := newMessage(id, poolID, "alice", "alice@example.com", at)
	m.Channel, m.Status, m.NextAttemptAt = "smtp", "queued", at
	return m
}

func claim(t *testing.T, s userpool.Store, owner string, now time.Time, limit int) []string {
	t.Helper()
	ms, err := s.ClaimMessages(t.Context(), owner, now, time.Minute, limit)
	must(t, "ClaimMessages by "+owner, err)
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.MessageID)
	}
	return ids
}

// testOutboxClaimFinish checks the dispatcher's side of the outbox: what is due is claimed
// oldest first, a lease keeps others off until it runs out, only the lease holder records
// an outcome, and what is finished is claimed no more.
func testOutboxClaimFinish(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	at := base()
	m1, m2, m3 := queued("q1", p.ID, at), queued("q2", p.ID, at.Add(time.Second)), queued("q3", p.ID, at.Add(time.Hour))
	held := queued("q4", p.ID, at) // written leased to its writer (a fail-fast request)
	held.LeaseOwner, held.LeaseUntil = "writer", at.Add(time.Minute)
	inboxed := newMessage("i1", p.ID, "alice", "alice@example.com", at)
	inboxed.Channel, inboxed.Status = "inbox", "delivered"
	for _, m := range []*userpool.Message{m2, m1, m3, held, inboxed} {
		addMessage(t, s, m)
	}

	now := at.Add(2 * time.Second)
	same(t, "a claim with a limit", []string{"q1"}, claim(t, s, "d1", now, 1))
	same(t, "the next claim", []string{"q2"}, claim(t, s, "d2", now, 0))
	if got := claim(t, s, "d3", now, 0); len(got) != 0 {
		t.Fatalf("leased, held or future messages were claimed again: %v", got)
	}

	// Only the lease holder records the outcome.
	m1.Status, m1.Attempts, m1.DeliveredAt, m1.Body = "delivered", 1, now, ""
	wantErr(t, "FinishMessage by another owner", s.FinishMessage(ctx, m1, "d2"), userpool.ErrConflict)
	must(t, "FinishMessage", s.FinishMessage(ctx, m1, "d1"))
	wantErr(t, "FinishMessage after the lease was freed", s.FinishMessage(ctx, m1, "d1"), userpool.ErrConflict)

	// A lease that runs out frees the message for another owner; the first owner can no
	// longer record an outcome.
	later := now.Add(2 * time.Minute)
	got := claim(t, s, "d3", later, 0)
	same(t, "a claim after the leases ran out", []string{"q4", "q2"}, got)
	m2.Attempts, m2.LastError, m2.NextAttemptAt = 1, "451 try later", later.Add(time.Hour)
	wantErr(t, "FinishMessage by the owner of a lease that ran out", s.FinishMessage(ctx, m2, "d2"), userpool.ErrConflict)
	must(t, "FinishMessage retrying later", s.FinishMessage(ctx, m2, "d3"))
	held.Status, held.Attempts, held.LastError, held.Body = "failed", 1, "550 no such user", ""
	must(t, "FinishMessage failed", s.FinishMessage(ctx, held, "d3"))
	if got := claim(t, s, "d4", later.Add(time.Minute), 0); len(got) != 0 {
		t.Fatalf("finished or retried-later messages were claimed: %v", got)
	}
	same(t, "what is due, by when it became due", []string{"q3", "q2"}, claim(t, s, "d4", later.Add(2*time.Hour), 0))

	// Outcomes read back as recorded, wiped bodies included.
	byID := map[string]*userpool.Message{}
	for _, m := range listMessages(t, s, userpool.MessageFilter{UserPoolID: p.ID}) {
		byID[m.MessageID] = m
	}
	for _, want := range []*userpool.Message{m1, held} {
		got := byID[want.MessageID]
		if got == nil || got.Status != want.Status || got.Attempts != want.Attempts || got.Body != "" || got.LastError != want.LastError {
			t.Fatalf("message %s reads back as %+v, want status %s after %d attempts, body wiped", want.MessageID, got, want.Status, want.Attempts)
		}
	}
	if !byID["q1"].DeliveredAt.Equal(now) {
		t.Fatalf("q1 DeliveredAt %v, want %v", byID["q1"].DeliveredAt, now)
	}
}

// testOutboxClaimRace has two dispatchers, many times over, race for one message: exactly
// one gets it each time.
func testOutboxClaimRace(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	for round := range 20 {
		at := base().Add(time.Duration(round) * time.Hour)
		addMessage(t, s, queued(fmt.Sprintf("r%d", round), p.ID, at))
		got := make([][]*userpool.Message, 2)
		errs := make([]error, 2)
		race(2, func(i int) {
			got[i], errs[i] = s.ClaimMessages(t.Context(), fmt.Sprintf("d%d", i), at, time.Minute, 16)
		})
		must(t, "ClaimMessages", errors.Join(errs...))
		if n := len(got[0]) + len(got[1]); n != 1 {
			t.Fatalf("round %d: two racing claimers got %d and %d messages, want one between them", round, len(got[0]), len(got[1]))
		}
		for i, ms := range got {
			for _, m := range ms {
				m.Status = "delivered"
				must(t, "FinishMessage", s.FinishMessage(t.Context(), m, fmt.Sprintf("d%d", i)))
			}
		}
	}
}

// testUserOutbox checks that the messages of a user's Outbox are written exactly when the
// user is: with a save that succeeds, and not with one that fails.
func testUserOutbox(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice", "email:alice@example.com")
	invite := newMessage("invite-a", p.ID, "alice", "alice@example.com", base())
	a.Outbox = []*userpool.Message{invite}
	must(t, "SaveUsers with an outbox", s.SaveUsers(ctx, userpool.UserWrite{User: a, New: true}))
	if a.Outbox != nil {
		t.Fatal("SaveUsers left the written Outbox on the user")
	}
	b := newUser(p.ID, "bob", "email:alice@example.com") // alice's alias: refused
	b.Outbox = []*userpool.Message{newMessage("invite-b", p.ID, "bob", "alice@example.com", base())}
	wantErr(t, "SaveUsers taking an alias", s.SaveUsers(ctx, userpool.UserWrite{User: b, New: true}), userpool.ErrAliasConflict)
	same(t, "messages", []*userpool.Message{invite}, listMessages(t, s, userpool.MessageFilter{UserPoolID: p.ID}))
}

// testRiskConfiguration checks risk configurations of a pool and of its clients: each
// stored apart, replaced whole, and gone with the pool.
func testRiskConfiguration(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	poolLevel := &userpool.RiskConfigurationType{UserPoolId: ptr(p.ID), LastModifiedDate: userpool.At(base()),
		RiskExceptionConfiguration: &userpool.RiskExceptionConfigurationType{BlockedIPRangeList: []string{"192.0.2.0/24"}}}
	clientLevel := &userpool.RiskConfigurationType{UserPoolId: ptr(p.ID), ClientId: ptr("app1"), LastModifiedDate: userpool.At(base()),
		RiskExceptionConfiguration: &userpool.RiskExceptionConfigurationType{SkippedIPRangeList: []string{"198.51.100.0/24"}}}
	_, err := s.GetRiskConfiguration(ctx, p.ID, "")
	wantErr(t, "GetRiskConfiguration before any", err, userpool.ErrNotFound)
	must(t, "PutRiskConfiguration of the pool", s.PutRiskConfiguration(ctx, poolLevel))
	must(t, "PutRiskConfiguration of a client", s.PutRiskConfiguration(ctx, clientLevel))
	get := func(clientID string) *userpool.RiskConfigurationType {
		r, err := s.GetRiskConfiguration(ctx, p.ID, clientID)
		must(t, "GetRiskConfiguration "+clientID, err)
		return r
	}
	same(t, "the pool's", poolLevel, get(""))
	same(t, "the client's", clientLevel, get("app1"))
	_, err = s.GetRiskConfiguration(ctx, p.ID, "app2")
	wantErr(t, "GetRiskConfiguration of another client", err, userpool.ErrNotFound)

	replaced := &userpool.RiskConfigurationType{UserPoolId: ptr(p.ID), LastModifiedDate: userpool.At(base().Add(time.Hour))}
	must(t, "PutRiskConfiguration again", s.PutRiskConfiguration(ctx, replaced))
	same(t, "the replaced one", replaced, get(""))

	wantErr(t, "PutRiskConfiguration in a missing pool",
		s.PutRiskConfiguration(ctx, &userpool.RiskConfigurationType{UserPoolId: ptr("us-east-1_none")}), userpool.ErrNotFound)
	must(t, "DeletePool", s.DeletePool(ctx, p.ID))
	createPool(t, s, p.ID)
	_, err = s.GetRiskConfiguration(ctx, p.ID, "app1")
	wantErr(t, "GetRiskConfiguration after the pool was deleted", err, userpool.ErrNotFound)
}

// eventfulUsers makes a pool with alice, who has n auth events a0…, a second apart, and
// bob, who has one, b0.
func eventfulUsers(t *testing.T, s userpool.Store, n int) (*userpool.Pool, *userpool.User, *userpool.User) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	a, b := newUser(p.ID, "alice"), newUser(p.ID, "bob")
	insertUsers(t, s, a, b)
	for i := range n {
		must(t, "AddAuthEvent", s.AddAuthEvent(ctx, p.ID, a.Sub, newEvent(fmt.Sprintf("a%d", i), base().Add(time.Duration(i)*time.Second))))
	}
	must(t, "AddAuthEvent for bob", s.AddAuthEvent(ctx, p.ID, b.Sub, newEvent("b0", base())))
	return p, a, b
}

// testAuthEvents checks a user's auth events: listed newest first, paged by Seq, kept
// apart by user, and gone with the user.
func testAuthEvents(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p, a, b := eventfulUsers(t, s, 5)
	wantErr(t, "AddAuthEvent for a missing user", s.AddAuthEvent(ctx, p.ID, "no-such-sub", newEvent("x", base())), userpool.ErrNotFound)

	same(t, "alice's events", []string{"a4", "a3", "a2", "a1", "a0"}, eventIDs(t, s, p.ID, a.Sub))
	var pages [][]string
	before := int64(0)
	for range 10 {
		recs, err := s.ListAuthEvents(ctx, p.ID, a.Sub, before, 2)
		must(t, "ListAuthEvents page", err)
		if len(recs) == 0 {
			break
		}
		var ids []string
		for _, r := range recs {
			ids = append(ids, deref(r.Event.EventId))
		}
		pages = append(pages, ids)
		before = recs[len(recs)-1].Seq
	}
	same(t, "pages", [][]string{{"a4", "a3"}, {"a2", "a1"}, {"a0"}}, pages)

	recs, err := s.ListAuthEvents(ctx, p.ID, a.Sub, 0, 1)
	must(t, "ListAuthEvents", err)
	same(t, "an event read back", newEvent("a4", base().Add(4*time.Second)), &recs[0].Event)

	must(t, "DeleteUser", s.DeleteUser(ctx, p.ID, a.Key))
	if ids := eventIDs(t, s, p.ID, a.Sub); len(ids) != 0 {
		t.Fatalf("a deleted user's events remain: %v", ids)
	}
	same(t, "bob's events", []string{"b0"}, eventIDs(t, s, p.ID, b.Sub))
}

// testAuthEventFeedback checks that feedback lands on the one event it names, replaces
// earlier feedback, and needs the event to be the user's.
func testAuthEventFeedback(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p, a, b := eventfulUsers(t, s, 3)
	invalid := &userpool.EventFeedbackType{FeedbackValue: ptr("Invalid"), Provider: ptr("User"), FeedbackDate: userpool.At(base().Add(time.Minute))}
	valid := &userpool.EventFeedbackType{FeedbackValue: ptr("Valid"), Provider: ptr("Admin"), FeedbackDate: userpool.At(base().Add(2 * time.Minute))}
	feedback := func(sub string) map[string]*userpool.EventFeedbackType {
		recs, err := s.ListAuthEvents(ctx, p.ID, sub, 0, 0)
		must(t, "ListAuthEvents", err)
		out := map[string]*userpool.EventFeedbackType{}
		for _, r := range recs {
			out[deref(r.Event.EventId)] = r.Event.EventFeedback
		}
		return out
	}

	must(t, "SetAuthEventFeedback", s.SetAuthEventFeedback(ctx, p.ID, a.Sub, "a1", invalid))
	same(t, "alice's feedback", map[string]*userpool.EventFeedbackType{"a0": nil, "a1": invalid, "a2": nil}, feedback(a.Sub))
	must(t, "SetAuthEventFeedback again", s.SetAuthEventFeedback(ctx, p.ID, a.Sub, "a1", valid))
	same(t, "alice's feedback replaced", map[string]*userpool.EventFeedbackType{"a0": nil, "a1": valid, "a2": nil}, feedback(a.Sub))
	recs, err := s.ListAuthEvents(ctx, p.ID, a.Sub, 0, 0)
	must(t, "ListAuthEvents", err)
	withFeedback := newEvent("a1", base().Add(time.Second))
	withFeedback.EventFeedback = valid
	same(t, "the event with feedback read back", withFeedback, &recs[1].Event)

	wantErr(t, "SetAuthEventFeedback on another user's event", s.SetAuthEventFeedback(ctx, p.ID, a.Sub, "b0", valid), userpool.ErrNotFound)
	wantErr(t, "SetAuthEventFeedback on a missing event", s.SetAuthEventFeedback(ctx, p.ID, a.Sub, "zz", valid), userpool.ErrNotFound)
	same(t, "bob's feedback", map[string]*userpool.EventFeedbackType{"b0": nil}, feedback(b.Sub))
}

// testStartSessionClears checks that a session starts with the counters it clears, and
// that a session refused clears nothing.
func testStartSessionClears(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice")
	insertUsers(t, s, a)
	exhaust(t, s, p.ID, a.Sub, "signin", base())
	exhaust(t, s, p.ID, a.Sub, "other", base())
	lockout := userpool.Counter{Subject: a.Sub, Kind: "signin"}
	se := newSession("s1", a, "app1", base())
	must(t, "StartSession", s.StartSession(ctx, se, lockout))
	wantSession(t, s, se)
	attempt(t, s, p.ID, a.Sub, "signin", base(), true)
	attempt(t, s, p.ID, a.Sub, "other", base(), false)

	for i := range limit - 1 { // with the one just counted, the lockout is full again
		attempt(t, s, p.ID, a.Sub, "signin", base().Add(time.Duration(i)*time.Second), true)
	}
	wantErr(t, "StartSession with a taken id", s.StartSession(ctx, newSession("s1", a, "app1", base()), lockout), userpool.ErrConflict)
	attempt(t, s, p.ID, a.Sub, "signin", base(), false)
}

// testIssueCodeWithUsers checks an issue that writes users too: a new user and its code
// land together, and a user write that fails (a stale version, a taken alias) writes
// neither the code, nor the message, nor the counts.
func testIssueCodeWithUsers(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	at := base()
	limits := []userpool.Limit{{Subject: "pool", Kind: "email-daily", Window: 24 * time.Hour, Max: 10}}
	a := newUser(p.ID, "alice", "email:alice@example.com")
	c := newCode(a, "signup", at, 1)
	m := newMessage("signup-a", p.ID, "alice", "alice@example.com", at)
	refused, err := s.IssueCode(ctx, &userpool.CodeIssue{PoolID: p.ID, At: at, Limits: limits,
		Users: []userpool.UserWrite{{User: a, New: true}}, Code: c, Message: m})
	must(t, "IssueCode with a new user", err)
	if refused != -1 || a.Version != 1 {
		t.Fatalf("IssueCode with a new user: answered %d, version %d", refused, a.Version)
	}
	wantUser(t, s, a)
	wantCode(t, s, c)

	stale := *a
	stale.Version = 0
	stale.Status = "RESET_REQUIRED"
	_, err = s.IssueCode(ctx, &userpool.CodeIssue{PoolID: p.ID, At: at, Limits: limits,
		Users: []userpool.UserWrite{{User: &stale}}, Code: newCode(a, "recovery", at, 2), Message: newMessage("stale-m", p.ID, "alice", "alice@example.com", at)})
	wantErr(t, "IssueCode with a stale user", err, userpool.ErrConflict)
	b := newUser(p.ID, "bob", "email:alice@example.com")
	_, err = s.IssueCode(ctx, &userpool.CodeIssue{PoolID: p.ID, At: at, Limits: limits,
		Users: []userpool.UserWrite{{User: b, New: true}}, Code: newCode(b, "signup", at, 3), Message: newMessage("taken-m", p.ID, "bob", "alice@example.com", at)})
	wantErr(t, "IssueCode taking an alias", err, userpool.ErrAliasConflict)
	wantUser(t, s, a)
	wantNoCode(t, s, p.ID, a.Sub, "recovery")
	wantNoUser(t, s, p.ID, "bob")
	same(t, "messages", []*userpool.Message{m}, listMessages(t, s, userpool.MessageFilter{UserPoolID: p.ID}))
	if n := countOf(t, s, p.ID, "pool", "email-daily", at); n != 1 {
		t.Fatalf("failed issues counted: %d counts, want 1", n)
	}
}
