package userpool

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"
)

// ErrUndeliverable is what a Sender wraps when a message can never be delivered (a 5xx
// answer, an address refused, the SMS sandbox): the dispatcher gives up on it rather than
// retrying. Any other error is taken as transient.
var ErrUndeliverable = errors.New("permanent delivery failure")

// Channel is where messages of one medium go: the built-in inbox (Sender nil) or a real
// channel named Name ("smtp", "sns", "webhook").
type Channel struct {
	Name   string
	Sender Sender
}

func (c Channel) inbox() bool { return c.Sender == nil }

// Delivery tuning: how long a dispatcher holds a message, how often it retries, and when
// it gives up.
const (
	deliveryLease    = time.Minute
	deliveryAttempts = 10
	maxBackoff       = 5 * time.Minute
)

var errDeliveryFailed = newError("CodeDeliveryFailureException", "Unable to deliver the verification code. Try again later.")

// channel is the channel of a medium ("EMAIL" or "SMS").
func (s *Service) channel(medium string) Channel {
	if medium == "SMS" {
		return s.sms
	}
	return s.email
}

// newMessage composes a message to a user by medium; it is queued on a real channel and
// delivered at once to the built-in inbox. Email takes its sender from the pool's
// EmailConfiguration. It counts nothing: the caller counts the message against the email
// quota (quotaLimit) with whatever else it writes.
func (s *Service) newMessage(p *Pool, u *User, medium, to, subject, body, trigger string, now time.Time) (*Message, error) {
	id, err := s.newUUID()
	if err != nil {
		return nil, err
	}
	ch := s.channel(medium)
	m := &Message{MessageID: id, UserPoolID: p.ID, Username: u.Username, DeliveryMedium: medium, Destination: to,
		Subject: subject, Body: body, TriggerSource: trigger, CreatedAt: now, NextAttemptAt: now,
		Channel: "inbox", Status: "delivered", DeliveredAt: now}
	if !ch.inbox() {
		m.Channel, m.Status, m.DeliveredAt = ch.Name, "queued", time.Time{}
		if s.failFast {
			// The request makes the attempt (deliverNow): no dispatcher may take it first.
			m.LeaseOwner, m.LeaseUntil = s.owner, now.Add(deliveryLease)
		}
	}
	if medium == "EMAIL" {
		ec := p.Doc.EmailConfiguration
		if ec == nil {
			ec = &EmailConfigurationType{}
		}
		// The sender: EmailConfiguration's From, else the SES identity SourceArn names, else
		// Cognito's default address.
		m.From, m.ReplyTo = deref(ec.From), deref(ec.ReplyToEmailAddress)
		if m.From == "" {
			m.From = sesIdentity(deref(ec.SourceArn))
		}
		if m.From == "" {
			m.From = "no-reply@verificationemail.com"
		}
	}
	return m, nil
}

// sesIdentity is the address of an SES identity ARN
// (arn:aws:ses:us-east-1:123456789012:identity/jane@example.com), or "" for a domain
// identity or anything else.
func sesIdentity(arn string) string {
	_, id, ok := strings.Cut(arn, ":identity/")
	if !ok || !strings.Contains(id, "@") {
		return ""
	}
	return id
}

// kindEmailDaily is the counter of the simulated COGNITO_DEFAULT email quota.
const kindEmailDaily = "email-daily"

var errEmailQuota = newError("LimitExceededException", "Exceeded daily email limit for the operation or the account. If a higher limit is required, please configure your user pool to use your own Amazon SES configuration for sending email.")

// quotaLimit is the limit an email of the pool's counts against when cognate simulates the
// COGNITO_DEFAULT sender's daily quota (50 by default at AWS), per pool; nil when there
// is none (not configured, not email, or the pool sends through its own SES account).
func (s *Service) quotaLimit(p *Pool, medium string) *Limit {
	if s.emailDailyQuota <= 0 || medium != "EMAIL" {
		return nil
	}
	if ec := p.Doc.EmailConfiguration; ec != nil && deref(ec.EmailSendingAccount) == "DEVELOPER" {
		return nil
	}
	return &Limit{Subject: "pool", Kind: kindEmailDaily, Window: 24 * time.Hour, Max: s.emailDailyQuota}
}

// issue is a request for a code as an operation puts it together: the limits it counts
// against (with the answer each gives when reached) and the auth event it leaves.
type issue struct {
	limits   []Limit
	refusals []error
	event    *UserEvent
	users    []UserWrite // written with the code, as SaveUsers writes them
	// shadow writes the code, message and event where nothing reads them: the request is
	// for a name the caller may not learn about (IssueCode's Shadow).
	shadow bool
}

// limit adds a limit and the error that answers it.
func (is *issue) limit(l *Limit, refusal error) {
	if l != nil {
		is.limits, is.refusals = append(is.limits, *l), append(is.refusals, refusal)
	}
}

// write writes the issue with its code and message (either may be nil) in one transaction
// and answers the refusal of the first limit reached.
func (s *Service) writeIssue(ctx context.Context, p *Pool, is *issue, c *Code, m *Message, now time.Time) error {
	refused, err := s.store.IssueCode(ctx, &CodeIssue{PoolID: p.ID, At: now, Limits: is.limits, Users: is.users, Code: c, Message: m, Event: is.event,
		Shadow: is.shadow})
	if errors.Is(err, ErrNotFound) {
		return userNotFound()
	}
	if err != nil {
		return err
	}
	if refused >= 0 {
		return is.refusals[refused]
	}
	return nil
}

// delivery is one code going out, as the operation that sends it names it: what (a code
// for purpose, valid ttl, in the text of kind), to whom (the user, at attr's value to), why
// (the trigger source's operation part: "ForgotPassword", "SignUp", ...) and for which
// request (the app client, the caller's ClientMetadata, passed to triggers unchanged and
// never stored).
type delivery struct {
	user     *User
	purpose  string
	ttl      time.Duration
	kind     codeMessage
	attr, to string
	// source is the operation the message answers, as trigger sources end:
	// CustomMessage_<source>, CustomEmailSender_<source>.
	source string
	// clientID is the app client of the request ("" for an administrator's).
	clientID string
	// metadata is the request's ClientMetadata.
	metadata map[string]string
	// link lets a sign-up code go out as a confirmation link naming clientID, when the
	// pool's template asks for one.
	link bool
	// is is what the code's write also counts and records (nil: nothing more).
	is *issue
	// shadow is a delivery to a name the caller may not learn about (d.is.shadow): it does
	// what a real one does but call a trigger or send anything (shadowDelivery).
	shadow bool
}

// deliverCode makes a new code for d (replacing any earlier one for the user and purpose)
// and writes it with the message that carries it, and what d.is counts and records, in one
// transaction.
func (s *Service) deliverCode(ctx context.Context, p *Pool, d delivery, now time.Time) (*CodeDeliveryDetailsType, error) {
	u := d.user
	code, err := s.newCode()
	if err != nil {
		return nil, err
	}
	c := &Code{PoolID: u.PoolID, UserSub: u.Sub, Purpose: d.purpose, MAC: s.codeMAC(u.PoolID, u.Sub, d.purpose, code),
		CreatedAt: now, ExpiresAt: now.Add(d.ttl)}
	if !d.shadow { // nothing leaves for a shadow: no custom sender, no trigger, no send
		if sent, err := s.customSend(ctx, p, d, c, code, now); sent || err != nil {
			if err != nil {
				return nil, err
			}
			return deliveryDetails(d.attr, d.to), nil
		}
	}
	m, err := s.codeMessage(ctx, p, d, code, now)
	if err != nil {
		return nil, err
	}
	m.Code = &CodeRef{UserSub: u.Sub, Purpose: d.purpose, MAC: c.MAC, ExpiresAt: c.ExpiresAt}
	is := d.is
	if is == nil {
		is = &issue{}
	}
	is.shadow = d.shadow
	is.limit(s.quotaLimit(p, m.DeliveryMedium), errEmailQuota)
	if err := s.writeIssue(ctx, p, is, c, m, now); err != nil {
		return nil, err
	}
	if d.shadow {
		return deliveryDetails(d.attr, d.to), nil
	}
	if err := s.deliverNow(ctx, m); err != nil {
		return nil, err
	}
	return deliveryDetails(d.attr, d.to), nil
}

// deliverNow, in fail-fast mode, makes the one attempt at a queued message that decides the
// request's answer: delivered, or CodeDeliveryFailureException and the message given up
// (never reported failed and sent later). In queue mode it does nothing: the dispatcher
// delivers.
func (s *Service) deliverNow(ctx context.Context, msgs ...*Message) error {
	if !s.failFast {
		return nil
	}
	for _, m := range msgs {
		if m.Status != "queued" {
			continue
		}
		// The message was written leased to this service (newMessage), so it is ours to try.
		if err := s.attempt(ctx, m, s.owner, s.clock(), true); err != nil {
			return err
		}
		if m.Status != "delivered" {
			return errDeliveryFailed
		}
	}
	return nil
}

// breakerOpen reports whether the channel of a medium has been failing, in which case a
// simulated answer (for a user the caller may not learn about) fails as a real one would.
func (s *Service) breakerOpen(medium string) bool {
	return s.failFast && s.breaker.open(s.channel(medium).Name, s.clock())
}

// Dispatch makes one pass over the queued messages that are due: it leases them, checks
// that their codes still stand, sends them, and records each outcome. It answers how many
// messages it handled.
func (s *Service) Dispatch(ctx context.Context, owner string) (int, error) {
	return s.dispatch(ctx, ctx, owner)
}

// dispatch is Dispatch that starts no new send once stop has ended; the messages it claimed
// and did not send keep their leases until the caller releases them.
func (s *Service) dispatch(ctx, stop context.Context, owner string) (int, error) {
	claimed := s.clock()
	msgs, err := s.store.ClaimMessages(ctx, owner, claimed, deliveryLease, 16)
	if err != nil {
		return 0, err
	}
	for i, m := range msgs {
		now := s.clock()
		// A send must end while the lease still holds, or another dispatcher may send the
		// same message: none starts in the lease's second half (a send takes at most the
		// channel's timeout, well under half a lease). The rest wait for the lease to pass.
		if now.After(claimed.Add(deliveryLease/2)) || stop.Err() != nil {
			return i, nil
		}
		if err := s.attempt(ctx, m, owner, now, false); err != nil {
			return 0, err
		}
	}
	return len(msgs), nil
}

// stopGrace is how long a stopping dispatcher lets a send in progress go on before it cuts
// it: long enough for a channel to answer, short enough for a service manager's patience.
const stopGrace = 10 * time.Second

// RunDispatcher dispatches until ctx ends: at once while there is work, else every interval.
// It holds leases under the service's own random name, which no other process shares: a
// name made of something two instances can have alike (a listen address) would let one
// record outcomes for the other's leases.
//
// When ctx ends it starts no new send, lets the one in progress finish (for up to
// stopGrace) so that its outcome is recorded, and frees the leases of what it claimed and
// did not send: the next start, or another instance, delivers those at once.
func (s *Service) RunDispatcher(ctx context.Context, interval time.Duration) {
	owner := s.owner
	work, cut := context.WithCancel(context.WithoutCancel(ctx))
	defer cut()
	stopping := context.AfterFunc(ctx, func() { time.AfterFunc(stopGrace, cut) })
	defer stopping()
	defer func() {
		release, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := s.store.ReleaseMessages(release, owner); err != nil {
			s.log.ErrorContext(release, "releasing the outbox leases at stop failed; they run out in a minute", "error", err.Error())
		}
	}()
	for {
		n, err := s.dispatch(work, ctx, owner)
		if err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "dispatcher pass failed", "error", err.Error())
		}
		// A line per pass at debug level: what an operator (or a test waiting for a message
		// not to be sent) can watch for to know the dispatcher has looked again.
		s.log.DebugContext(ctx, "dispatcher pass", "attempted", n)
		if ctx.Err() != nil {
			return
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

// attempt delivers one leased message and records the outcome. A message whose code was
// replaced or has expired is not sent. final gives up after this attempt whatever happens.
func (s *Service) attempt(ctx context.Context, m *Message, owner string, now time.Time, final bool) error {
	if m.Channel == handoffChannel {
		// A hand-off to a custom sender whose writer stopped before invoking it (its lease
		// ran out): the secret is not kept, so it is given up, never sent twice.
		m.Status, m.LastError = "failed", errHandoffInterrupted.Error()
		return s.finish(ctx, m, owner)
	}
	if c := m.Code; c != nil {
		stored, err := s.store.GetCode(ctx, m.UserPoolID, c.UserSub, c.Purpose)
		switch {
		case errors.Is(err, ErrNotFound) || (err == nil && !bytesEqual(stored.MAC, c.MAC)):
			m.Status = "superseded"
		case err != nil:
			return err
		case !now.Before(c.ExpiresAt):
			m.Status = "expired"
		}
		if m.Status != "queued" {
			m.Body, m.HTML = "", ""
			return s.finish(ctx, m, owner)
		}
	}
	ch := s.channel(m.DeliveryMedium)
	m.Attempts++
	err := errors.New("no channel " + m.Channel)
	if ch.Name == m.Channel && ch.Sender != nil {
		err = ch.Sender.Send(ctx, m)
	}
	switch {
	case err == nil:
		m.Status, m.DeliveredAt, m.LastError = "delivered", now, ""
		m.Body, m.HTML = "", "" // a real channel keeps no copy of what it sent (the code)
		s.breaker.record(ch.Name, now, true)
	case errors.Is(err, ErrUndeliverable) || final || m.Attempts >= deliveryAttempts:
		m.Status, m.LastError = "failed", redact(err, m)
		m.Body, m.HTML = "", ""
		s.breaker.record(ch.Name, now, false)
		s.log.WarnContext(ctx, "message not delivered", "message", m.MessageID, "channel", m.Channel, "attempts", m.Attempts, "error", m.LastError)
	default:
		m.LastError = redact(err, m)
		m.NextAttemptAt = now.Add(backoff(m.Attempts))
		s.breaker.record(ch.Name, now, false)
		s.log.InfoContext(ctx, "message delivery will be retried", "message", m.MessageID, "channel", m.Channel, "attempts", m.Attempts, "error", m.LastError)
	}
	return s.finish(ctx, m, owner)
}

func (s *Service) finish(ctx context.Context, m *Message, owner string) error {
	err := s.store.FinishMessage(ctx, m, owner)
	if errors.Is(err, ErrConflict) {
		// The lease ran out and another dispatcher took the message: its outcome stands.
		s.log.WarnContext(ctx, "message lease lost", "message", m.MessageID)
		return nil
	}
	return err
}

// redact words a delivery error for the record without anything of the message's body.
func redact(err error, m *Message) string {
	text := err.Error()
	for _, secret := range []string{m.Body, m.HTML} {
		if secret != "" {
			text = strings.ReplaceAll(text, secret, "[redacted]")
		}
	}
	return text
}

func backoff(attempts int) time.Duration {
	d := time.Second << min(attempts-1, 16)
	return min(d, maxBackoff)
}

func bytesEqual(a, b []byte) bool { return string(a) == string(b) }

// breaker tracks, per channel, consecutive delivery failures: after three, it is open for
// thirty seconds.
type breaker struct {
	mu       sync.Mutex
	failures map[string]int
	until    map[string]time.Time
}

func (b *breaker) record(channel string, now time.Time, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.failures == nil {
		b.failures, b.until = map[string]int{}, map[string]time.Time{}
	}
	if ok {
		b.failures[channel] = 0
		return
	}
	b.failures[channel]++
	if b.failures[channel] >= 3 {
		b.until[channel] = now.Add(30 * time.Second)
	}
}

func (b *breaker) open(channel string, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return now.Before(b.until[channel])
}
