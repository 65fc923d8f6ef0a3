package main

// Brute force (issue 15 point 6, and the holes "unlimited guesses", "per-IP-only limits"
// and "parallel guesses racing past the budget"): an attacker with 100 source addresses,
// a fresh X-Forwarded-For and UserContextData.IpAddress on every request, and one
// connection per address, all guessing at once, gets no more code evaluations per user in
// an hour than the budget; after it, even the right code is refused.
//
// The helpers of this file are prefixed "bf".

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/go-json-experiment/json"
)

// bfAddresses is how many source addresses the attacker has: 127.0.0.2 to 127.0.0.101,
// all of them loopback on Linux without any set-up.
const bfAddresses = 100

// bfAttacker sends requests from bfAddresses source addresses, each on connections of its
// own, and claims a different client address on every request in X-Forwarded-For and in
// UserContextData.IpAddress.
type bfAttacker struct {
	url     string
	clients []*http.Client
	mu      sync.Mutex
	n       int // requests sent, to make each claimed address new
}

func newBFAttacker(t testing.TB, url string) *bfAttacker {
	t.Helper()
	a := &bfAttacker{url: url}
	for i := range bfAddresses {
		local := &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(2+i))}
		tr := &http.Transport{DialContext: (&net.Dialer{LocalAddr: local, Timeout: 30 * time.Second}).DialContext,
			MaxIdleConnsPerHost: 2}
		t.Cleanup(tr.CloseIdleConnections)
		a.clients = append(a.clients, &http.Client{Transport: tr, Timeout: time.Minute})
	}
	return a
}

// claimed returns a new client address to claim: 198.51.100.0/24 and 203.0.113.0/24 are
// documentation ranges, never real clients.
func (a *bfAttacker) claimed() (forwarded, context string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.n++
	return fmt.Sprintf("198.51.100.%d", a.n%250+1), fmt.Sprintf("203.0.113.%d", a.n%250+1)
}

// send posts op with body (a JSON object to which UserContextData is added when withIP)
// from source address number from, and returns the exception named ("" for success).
func (a *bfAttacker) send(from int, op string, body map[string]any, withIP bool) (string, error) {
	forwarded, ctxIP := a.claimed()
	if withIP {
		body = cloneMap(body)
		body["UserContextData"] = map[string]any{"IpAddress": ctxIP}
	}
	b, err := json.Marshal(body)
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, a.url, bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	req.Header.Set("X-Forwarded-For", forwarded)
	req.Header.Set("X-Real-Ip", forwarded)
	res, err := a.clients[from%len(a.clients)].Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(res.Body)
	if err != nil {
		return "", err
	}
	if res.StatusCode == http.StatusOK {
		return "", nil
	}
	var e struct {
		Type string `json:"__type"`
	}
	if err := json.Unmarshal(answer, &e, json.RejectUnknownMembers(false)); err != nil || e.Type == "" {
		return "", fmt.Errorf("status %d with %q", res.StatusCode, answer)
	}
	return e.Type, nil
}

func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// bfStorm sends each of codes as a guess, in waves of one guess from every address at
// once, and tallies the exceptions ("" counts successes).
func (a *bfAttacker) bfStorm(t testing.TB, op string, guess func(code string) map[string]any, withIP bool, codes []string) map[string]int {
	t.Helper()
	var (
		mu    sync.Mutex
		tally = map[string]int{}
	)
	for wave := 0; wave < len(codes); wave += len(a.clients) {
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := wave; i < min(wave+len(a.clients), len(codes)); i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				exc, err := a.send(i, op, guess(codes[i]), withIP)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Errorf("guess %d: %v", i, err)
					return
				}
				tally[exc]++
			}()
		}
		close(start)
		wg.Wait()
	}
	return tally
}

// bfTarget is one operation that judges a code, with its per-user budget of evaluations
// in an hour. setup makes a user with an outstanding code and returns that code and the
// request body that guesses a code.
//
// A new challenge is one more row: the SMS, EMAIL and SOFTWARE_TOKEN MFA challenges of
// RespondToAuthChallenge, once cognate has them, go here with a setup that signs in to
// the challenge and a guess that answers it (the exception counted as an evaluation is
// then CodeMismatchException, as for the rows below). A guess asked for the code bfRenew
// renews what the clock's move may have expired (a token, a session) and returns nil.
type bfTarget struct {
	op     string
	budget int
	withIP bool // the operation's input has UserContextData
	setup  func(t *testing.T, p *recPool, name string) (code string, guess func(code string) map[string]any)
}

// bfRenew is the "code" that asks a row's guess to renew its credentials.
const bfRenew = "renew"

var bfTargets = []bfTarget{
	{op: "ConfirmForgotPassword", budget: 5, withIP: true, setup: func(t *testing.T, p *recPool, name string) (string, func(string) map[string]any) {
		p.user(t, name, "email", name+"@example.com", "email_verified", "true")
		must(p.forgot(name))(t)
		return p.code(t, name), func(code string) map[string]any {
			return map[string]any{"ClientId": p.client, "Username": name, "ConfirmationCode": code, "Password": recNewPassword}
		}
	}},
	{op: "ConfirmSignUp", budget: 15, withIP: true, setup: func(t *testing.T, p *recPool, name string) (string, func(string) map[string]any) {
		must(p.s.Client.SignUp(bg, &cip.SignUpInput{ClientId: aws.String(p.client), Username: aws.String(name),
			Password: aws.String(recOldPassword), UserAttributes: attributes("email", name+"@example.com")}))(t)
		return rsecCode(t, p, name, "CustomMessage_SignUp"), func(code string) map[string]any {
			return map[string]any{"ClientId": p.client, "Username": name, "ConfirmationCode": code}
		}
	}},
	{op: "VerifyUserAttribute", budget: 15, setup: func(t *testing.T, p *recPool, name string) (string, func(string) map[string]any) {
		p.user(t, name, "email", name+"@example.com")
		auth := must(p.signIn(name, recOldPassword))(t)
		must(p.s.Client.GetUserAttributeVerificationCode(bg, &cip.GetUserAttributeVerificationCodeInput{
			AccessToken: auth.AccessToken, AttributeName: aws.String("email")}))(t)
		code := rsecCode(t, p, name, "CustomMessage_VerifyUserAttribute")
		return code, func(code string) map[string]any {
			if code == bfRenew { // the access token has expired with the hour: sign in again
				auth = must(p.signIn(name, recOldPassword))(t)
				return nil
			}
			return map[string]any{"AccessToken": aws.ToString(auth.AccessToken), "AttributeName": "email", "Code": code}
		}
	}},
}

// TestBruteForceBudgetHoldsAcross100Addresses proves, for every operation that judges a
// code, that 200 wrong guesses sent in two waves of 100 at once, one from each of 100
// source addresses in every wave, each claiming a new client address, get exactly the
// budget's evaluations (CodeMismatchException) and LimitExceededException for the rest; that the right code is then refused too, from
// yet another address; and that it works again an hour later (the budget is per user and
// hour, not for ever). It is also the named test of the holes "per-IP-only limits",
// "unlimited guesses" and "parallel guesses racing past the budget".
func TestBruteForceBudgetHoldsAcross100Addresses(t *testing.T) {
	t.Parallel()
	for _, mode := range recModes {
		// One mode after the other: each storm is a hundred requests at once already.
		t.Run(string(mode), func(t *testing.T) {
			// A server of its own: the clock moves.
			s := startServer(t)
			p := newRecPool(t, s, mode, nil)
			a := newBFAttacker(t, s.URL)
			type result struct {
				target  bfTarget
				code    string
				guess   func(string) map[string]any
				tally   map[string]int
				refused string // the answer to the right code after the storm
			}
			var results []*result
			for i, target := range bfTargets {
				name := fmt.Sprintf("victim%d", i)
				code, guess := target.setup(t, p, name)
				r := &result{target: target, code: code, guess: guess}
				r.tally = a.bfStorm(t, target.op, guess, target.withIP, rsecWrongCodes(code, 2*bfAddresses))
				exc, err := a.send(7, target.op, guess(code), target.withIP)
				if err != nil {
					t.Fatal(err)
				}
				r.refused = exc
				results = append(results, r)
			}
			for _, r := range results {
				want := map[string]int{"CodeMismatchException": r.target.budget, "LimitExceededException": 2*bfAddresses - r.target.budget}
				if fmt.Sprint(r.tally) != fmt.Sprint(want) {
					t.Errorf("%s: %d wrong guesses from %d addresses at once: %v; want %v", r.target.op, 2*bfAddresses, bfAddresses, r.tally, want)
				}
				if r.refused != "LimitExceededException" {
					t.Errorf("%s: the right code after the budget was spent: %q, want LimitExceededException", r.target.op, r.refused)
				}
				t.Logf("%s: budget %d, %d guesses from %d addresses: %v; then the right code: %s",
					r.target.op, r.target.budget, 2*bfAddresses, bfAddresses, r.tally, r.refused)
			}
			// An hour later the budget is back. Recovery codes live an hour, so that one
			// has expired; the others (24 hours) still work, once.
			s.clock(t, http.MethodPost, "Advance=61m", "")
			for _, r := range results {
				r.guess(bfRenew)
				want := ""
				if r.target.op == "ConfirmForgotPassword" {
					want = "ExpiredCodeException"
				}
				if exc, err := a.send(9, r.target.op, r.guess(r.code), r.target.withIP); err != nil || exc != want {
					t.Errorf("%s: the right code an hour later: %q, %v; want %q", r.target.op, exc, err, want)
				}
			}
		})
	}
}

// TestBruteForceRequestBudgetHoldsAcross100Addresses proves that the ForgotPassword
// request budget (5 an hour) is the user's, not an address's: 100 requests at once from
// 100 source addresses, each claiming a new client address, send exactly five codes.
func TestBruteForceRequestBudgetHoldsAcross100Addresses(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	for _, mode := range recModes {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			p := newRecPool(t, s, mode, nil)
			p.jane(t)
			a := newBFAttacker(t, s.URL)
			body := map[string]any{"ClientId": p.client, "Username": "jane"}
			codes := make([]string, bfAddresses) // the storm's guesses: here, one request each
			tally := a.bfStorm(t, "ForgotPassword", func(string) map[string]any { return body }, true, codes)
			want := map[string]int{"": 5, "LimitExceededException": bfAddresses - 5}
			if fmt.Sprint(tally) != fmt.Sprint(want) {
				t.Errorf("%d ForgotPassword at once from %d addresses: %v; want %v", bfAddresses, bfAddresses, tally, want)
			}
			if n := len(p.recoveryMessages(t, "jane")); n != 5 {
				t.Errorf("%d recovery messages sent, want 5", n)
			}
		})
	}
}
