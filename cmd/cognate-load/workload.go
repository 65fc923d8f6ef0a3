package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Operation names as the report shows them.
const (
	opForgot   = "ForgotPassword"
	opConfirm  = "ConfirmForgotPassword"
	opMessages = "GET /_cognate/messages"
	opAuth     = "InitiateAuth USER_PASSWORD_AUTH"
	opGet      = "AdminGetUser"
)

// mixes are the workloads a run may weigh: each names what one step does.
var mixes = []string{"forgot", "recover", "auth", "get"}

// weight is one entry of --mix.
type weight struct {
	mix string
	n   int
}

// parseMix reads "forgot" or "forgot=3,get=1".
func parseMix(s string) ([]weight, error) {
	var out []weight
	for _, part := range strings.Split(s, ",") {
		name, n, found := strings.Cut(strings.TrimSpace(part), "=")
		w := weight{mix: name, n: 1}
		if found {
			v, err := strconv.Atoi(n)
			if err != nil || v < 1 {
				return nil, fmt.Errorf("--mix %q: weight %q is not a positive integer", s, n)
			}
			w.n = v
		}
		known := false
		for _, m := range mixes {
			known = known || m == name
		}
		if !known {
			return nil, fmt.Errorf("--mix %q: %q is not one of %s", s, name, strings.Join(mixes, ", "))
		}
		out = append(out, w)
	}
	return out, nil
}

// has reports whether the mix includes m.
func has(ws []weight, m string) bool {
	for _, w := range ws {
		if w.mix == m {
			return true
		}
	}
	return false
}

// sample is one timed request.
type sample struct {
	op  string
	d   time.Duration
	err error
}

// recorder keeps one worker's samples; workers never share one, so it needs no lock.
type recorder struct{ samples []sample }

func (r *recorder) time(op string, fn func() error) error {
	start := time.Now()
	err := fn()
	r.samples = append(r.samples, sample{op: op, d: time.Since(start), err: err})
	return err
}

// dispenser hands out users for ForgotPassword so that none is asked more than uses times
// (Cognito allows five requests per user per hour; a sixth is LimitExceededException, a
// failure of the tool's making, not the server's).
type dispenser struct {
	first, n, uses int
	next           atomic.Int64
}

// take returns the next user's index, or false when every user is used up.
func (d *dispenser) take() (int, bool) {
	i := int(d.next.Add(1) - 1)
	if d.n <= 0 || i/d.n >= d.uses {
		return 0, false
	}
	return d.first + i%d.n, true
}

// runner drives one workload against a target.
type runner struct {
	w           *wire
	t           *target
	mix         []weight
	concurrency int
	forgot      *dispenser
	exhausted   atomic.Bool
	spread      atomic.Int64
}

// recoverUsers is how many users recover keeps for its own: one for each worker, so that
// a user's ForgotPassword and ConfirmForgotPassword never race another worker's.
func (r *runner) recoverUsers() int {
	if has(r.mix, "recover") {
		return r.concurrency
	}
	return 0
}

func newRunner(w *wire, t *target, mix []weight, concurrency, uses int) (*runner, error) {
	r := &runner{w: w, t: t, mix: mix, concurrency: concurrency}
	first := r.recoverUsers()
	if first > t.users || (first == t.users && has(mix, "forgot")) {
		return nil, fmt.Errorf("the mix needs more than %d users (recover keeps one per worker, %d)", t.users, first)
	}
	r.forgot = &dispenser{first: first, n: t.users - first, uses: uses}
	return r, nil
}

// run starts the workers and stops them at deadline; each finishes the step it is in, so
// that no request is cut off and counted as an error.
func (r *runner) run(deadline time.Time) ([]sample, time.Duration) {
	var (
		wg   sync.WaitGroup
		recs = make([]*recorder, r.concurrency)
	)
	start := time.Now()
	for i := range r.concurrency {
		recs[i] = &recorder{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.work(i, recs[i], deadline)
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []sample
	for _, rec := range recs {
		all = append(all, rec.samples...)
	}
	return all, elapsed
}

// work is one worker: it goes through the mix by weight until the deadline.
func (r *runner) work(id int, rec *recorder, deadline time.Time) {
	ctx := context.Background()
	var steps []string
	for _, w := range r.mix {
		for range w.n {
			steps = append(steps, w.mix)
		}
	}
	for n := id; time.Now().Before(deadline); n++ {
		switch steps[n%len(steps)] {
		case "forgot":
			i, ok := r.forgot.take()
			if !ok {
				r.exhausted.Store(true)
				return
			}
			rec.time(opForgot, func() error { return r.forgotPassword(ctx, username(i)) })
		case "recover":
			r.recover(ctx, rec, username(id))
		case "auth":
			name := username(r.anyUser())
			rec.time(opAuth, func() error { return r.signIn(ctx, name) })
		case "get":
			name := username(r.anyUser())
			rec.time(opGet, func() error {
				return r.w.call(ctx, "AdminGetUser", true, map[string]string{"UserPoolId": r.t.poolID, "Username": name}, nil)
			})
		}
	}
}

// anyUser spreads sign-ins and reads over every user.
func (r *runner) anyUser() int { return int(r.spread.Add(1)-1) % r.t.users }

func (r *runner) forgotPassword(ctx context.Context, name string) error {
	return r.w.call(ctx, "ForgotPassword", false, map[string]string{"ClientId": r.t.clientID, "Username": name}, nil)
}

func (r *runner) signIn(ctx context.Context, name string) error {
	var out struct {
		AuthenticationResult *struct{ AccessToken string }
	}
	err := r.w.call(ctx, "InitiateAuth", false, map[string]any{
		"ClientId": r.t.clientID, "AuthFlow": "USER_PASSWORD_AUTH",
		"AuthParameters": map[string]string{"USERNAME": name, "PASSWORD": password},
	}, &out)
	if err == nil && (out.AuthenticationResult == nil || out.AuthenticationResult.AccessToken == "") {
		err = errors.New("no tokens in the answer")
	}
	return err
}

// codePattern finds the six-digit code in a message body.
var codePattern = regexp.MustCompile(`\b[0-9]{6}\b`)

// recover asks for a code, reads it from the server's inbox, and sets the (same) password
// with it, which clears the user's recovery counters so that the worker can go round again.
func (r *runner) recover(ctx context.Context, rec *recorder, name string) {
	if rec.time(opForgot, func() error { return r.forgotPassword(ctx, name) }) != nil {
		return
	}
	var code string
	if rec.time(opMessages, func() error {
		var inbox struct {
			Messages []struct{ Body, TriggerSource string }
		}
		q := url.Values{"UserPoolId": {r.t.poolID}, "Username": {name}}
		if err := r.w.get(ctx, "/_cognate/messages?"+q.Encode(), &inbox); err != nil {
			return err
		}
		for _, m := range inbox.Messages { // newest first
			if m.TriggerSource == "CustomMessage_ForgotPassword" {
				code = codePattern.FindString(m.Body)
				break
			}
		}
		if code == "" {
			return errors.New("no recovery code in the inbox")
		}
		return nil
	}) != nil {
		return
	}
	rec.time(opConfirm, func() error {
		return r.w.call(ctx, "ConfirmForgotPassword", false, map[string]string{
			"ClientId": r.t.clientID, "Username": name, "ConfirmationCode": code, "Password": password,
		}, nil)
	})
}
