package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// An open-loop run (--rate): requests arrive at set rates whatever the server's answers,
// as real clients arrive, instead of each client waiting for its last answer (a closed
// loop slows down with the server and hides its queueing). Each step of the mix has its
// own rate per second:
//
//	--rate forgot=70,recover=30,auth=10
//
// forgot is one ForgotPassword; recover is a ForgotPassword, its code from the inbox and a
// ConfirmForgotPassword; auth is one sign-in. The run makes the users it needs: sign-in
// users with a password through the admin API, the others by import job where the server
// has them. At the end it waits for the outbox to empty and holds the inbox against the
// client's count: one recovery message per accepted ForgotPassword.

// pacedUsers is the layout of an open-loop run's users: sign-in users, then recovery
// users (each in one recovery at a time), then ForgotPassword users.
type pacedUsers struct {
	auth, recover, forgot int
}

// pacedLayout sizes the users for the rates over the run's whole length.
func pacedLayout(rates []weight, length time.Duration, uses int) pacedUsers {
	var u pacedUsers
	for _, r := range rates {
		switch r.mix {
		case "auth":
			u.auth = 50
		case "recover":
			// Five times the rate: enough for recoveries taking up to five seconds each,
			// and each user's attempt budget spread over many.
			u.recover = max(20, 5*r.n)
		case "forgot":
			u.forgot = int(math.Ceil(float64(r.n)*length.Seconds()/float64(uses)*1.1)) + 10
		}
	}
	return u
}

// messageCheck is what the inbox held at the end against the client's count.
type messageCheck struct {
	Accepted   int            `json:"acceptedForgotPassword"`
	Messages   int            `json:"recoveryMessages"`
	Mismatched int            `json:"usersMismatched"`
	Statuses   map[string]int `json:"statuses"`
	DrainSecs  float64        `json:"drainSeconds"`
}

// rssSeries is the server's resident memory sampled every second of a run.
type rssSeries struct {
	Samples  []float64 `json:"samplesMiB"`
	FirstMiB float64   `json:"firstMiB"`
	MaxMiB   float64   `json:"maxMiB"`
	LastMiB  float64   `json:"lastMiB"`
}

// toolError is a request the tool could not make at its time (no free user, too many in
// flight): its fault, reported as "client", never the server's.
type toolError string

func (e toolError) Error() string { return string(e) }

// paced is an open-loop run.
type paced struct {
	*runner
	users       pacedUsers
	rates       []weight
	free        chan int // recovery users not in a recovery
	maxInFlight int64
	inFlight    atomic.Int64
	peak        atomic.Int64

	mu       sync.Mutex
	samples  []sample
	accepted map[int]int // user → accepted ForgotPassword requests
}

func newPaced(w *wire, t *target, rates []weight, u pacedUsers, uses, maxInFlight int) *paced {
	p := &paced{runner: &runner{w: w, t: t}, users: u, rates: rates, free: make(chan int, u.recover),
		maxInFlight: int64(maxInFlight), accepted: map[int]int{}}
	for i := range u.recover {
		p.free <- u.auth + i
	}
	p.forgot = &dispenser{first: u.auth + u.recover, n: u.forgot, uses: uses}
	return p
}

// run sends arrivals until end or until ctx ends (an interrupt: the requests in flight
// are cut off), keeping the samples of those scheduled from measureFrom on, and waits for
// every request to be answered.
func (p *paced) run(ctx context.Context, measureFrom, end time.Time) {
	var arrivals, schedulers sync.WaitGroup
	for _, r := range p.rates {
		schedulers.Add(1)
		go func() {
			defer schedulers.Done()
			interval := time.Duration(float64(time.Second) / float64(r.n))
			timer := time.NewTimer(0)
			defer timer.Stop()
			for at := time.Now(); at.Before(end); at = at.Add(interval) {
				timer.Reset(time.Until(at))
				select {
				case <-ctx.Done():
					return
				case <-timer.C:
				}
				arrivals.Add(1)
				go func() {
					defer arrivals.Done()
					p.arrive(ctx, r.mix, !at.Before(measureFrom))
				}()
			}
		}()
	}
	schedulers.Wait()
	arrivals.Wait()
}

// arrive makes one arrival's requests.
func (p *paced) arrive(ctx context.Context, step string, keep bool) {
	rec := &recorder{}
	defer func() {
		if keep {
			p.mu.Lock()
			p.samples = append(p.samples, rec.samples...)
			p.mu.Unlock()
		}
	}()
	op := map[string]string{"forgot": opForgot, "recover": opForgot, "auth": opAuth}[step]
	if n := p.inFlight.Add(1); n > p.maxInFlight {
		p.inFlight.Add(-1)
		rec.samples = append(rec.samples, sample{op: op, err: toolError(fmt.Sprintf("over %d arrivals in flight", p.maxInFlight))})
		return
	} else {
		for old := p.peak.Load(); n > old && !p.peak.CompareAndSwap(old, n); old = p.peak.Load() {
		}
	}
	defer p.inFlight.Add(-1)
	switch step {
	case "forgot":
		i, ok := p.forgot.take()
		if !ok {
			p.exhausted.Store(true)
			rec.samples = append(rec.samples, sample{op: op, err: toolError("every ForgotPassword user used up")})
			return
		}
		if rec.time(opForgot, func() error { return p.forgotPassword(ctx, username(i)) }) == nil {
			p.accept(i)
		}
	case "recover":
		var i int
		select {
		case i = <-p.free:
		default:
			rec.samples = append(rec.samples, sample{op: op, err: toolError("no recovery user free")})
			return
		}
		defer func() { p.free <- i }()
		p.recover(ctx, rec, username(i))
		if len(rec.samples) > 0 && rec.samples[0].op == opForgot && rec.samples[0].err == nil {
			p.accept(i)
		}
	case "auth":
		name := username(int(p.spread.Add(1)-1) % p.users.auth)
		rec.time(opAuth, func() error { return p.signIn(ctx, name) })
	}
}

func (p *paced) accept(user int) {
	p.mu.Lock()
	p.accepted[user]++
	p.mu.Unlock()
}

// checkMessages waits (up to drain) for the pool's outbox to hold nothing queued, then
// counts the recovery messages per user against the accepted requests.
func (p *paced) checkMessages(ctx context.Context, drain time.Duration) (*messageCheck, error) {
	type message struct{ Username, TriggerSource, Status string }
	var inbox struct{ Messages []message }
	start := time.Now()
	for {
		inbox.Messages = nil
		if err := p.w.get(ctx, "/_cognate/messages?"+url.Values{"UserPoolId": {p.t.poolID}}.Encode(), &inbox); err != nil {
			return nil, fmt.Errorf("reading the inbox: %w", err)
		}
		queued := 0
		for _, m := range inbox.Messages {
			if m.Status == "queued" {
				queued++
			}
		}
		if queued == 0 {
			break
		}
		if time.Since(start) > drain {
			break // reported: the statuses show what is still queued
		}
		time.Sleep(500 * time.Millisecond)
	}
	c := &messageCheck{Statuses: map[string]int{}, DrainSecs: time.Since(start).Seconds()}
	found := map[string]int{}
	for _, m := range inbox.Messages {
		if m.TriggerSource == "CustomMessage_ForgotPassword" {
			found[m.Username]++
			c.Messages++
			c.Statuses[m.Status]++
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	seen := map[string]bool{}
	for i, n := range p.accepted {
		c.Accepted += n
		name := username(i)
		seen[name] = true
		if found[name] != n {
			c.Mismatched++
		}
	}
	for name := range found {
		if !seen[name] {
			c.Mismatched++
		}
	}
	return c, nil
}

// sampleRSS reads pid's resident memory every second until stop is closed.
func sampleRSS(pid int, stop <-chan struct{}) <-chan *rssSeries {
	out := make(chan *rssSeries, 1)
	go func() {
		s := &rssSeries{}
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			if r, err := readRSS(pid); err == nil {
				s.Samples = append(s.Samples, r.CurrentMiB)
				s.MaxMiB = max(s.MaxMiB, r.CurrentMiB)
			}
			select {
			case <-stop:
				if len(s.Samples) > 0 {
					s.FirstMiB, s.LastMiB = s.Samples[0], s.Samples[len(s.Samples)-1]
				}
				out <- s
				return
			case <-tick.C:
			}
		}
	}()
	return out
}

// runPaced is the whole of an open-loop run (--rate).
func runPaced(ctx context.Context, o *options, w *wire, stdout, stderr io.Writer) error {
	rates, _ := parseMix(o.rate)
	u := pacedLayout(rates, o.warmup+o.duration, o.usesPerUser)
	t, err := setupPool(ctx, w, fmt.Sprintf("load-%d", time.Now().Unix()))
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "pool %s, client %s\n", t.poolID, t.clientID)
	res := &result{Endpoint: o.endpoint, Mix: "rate " + o.rate}
	start := time.Now()
	if u.auth > 0 {
		if err := makeUsers(ctx, adminMaker{w: w, concurrency: o.setupConcurrency}, t, 0, u.auth, stderr); err != nil {
			return err
		}
	}
	if rest := u.recover + u.forgot; rest > 0 {
		maker, err := chooseMaker(ctx, w, o, []weight{{mix: "forgot", n: 1}}, t)
		if err != nil {
			return err
		}
		if err := makeUsers(ctx, maker, t, u.auth, rest, stderr); err != nil {
			return err
		}
		res.UsersMadeBy = maker.name()
	}
	res.Users, res.SetupRate = t.users, float64(t.users)/time.Since(start).Seconds()

	p := newPaced(w, t, rates, u, o.usesPerUser, o.maxInFlight)
	var stopRSS chan struct{}
	var series <-chan *rssSeries
	if o.serverPID > 0 {
		stopRSS = make(chan struct{})
		series = sampleRSS(o.serverPID, stopRSS)
	}
	fmt.Fprintf(stderr, "open loop at %s per second for %s (after %s unmeasured)\n", o.rate, o.duration, o.warmup)
	begin := time.Now()
	measureFrom := begin.Add(o.warmup)
	p.run(ctx, measureFrom, measureFrom.Add(o.duration))
	if err := ctx.Err(); err != nil {
		return err
	}
	elapsed := time.Since(measureFrom)
	if len(p.samples) == 0 {
		return errors.New("no request was made")
	}
	res.Seconds, res.Exhausted, res.Ops = elapsed.Seconds(), p.exhausted.Load(), summarize(p.samples, elapsed)
	res.PeakInFlight = p.peak.Load()
	// The memory of the load, not of the inbox listing that checks it.
	if stopRSS != nil {
		close(stopRSS)
		res.RSSSeries = <-series
		if res.RSS, err = readRSS(o.serverPID); err != nil {
			return err
		}
	}
	if res.Messages, err = p.checkMessages(ctx, time.Minute); err != nil {
		return err
	}
	if o.json {
		return res.writeJSON(stdout)
	}
	res.writeText(stdout)
	return nil
}
