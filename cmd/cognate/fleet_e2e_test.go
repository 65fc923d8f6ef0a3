package main

// The fleet tests: three cognate processes, each with its own listener and its own store
// handle (a pool of connections), on one PostgreSQL schema — what a deployment of N
// instances behind a load balancer is (docs/SCALING.md). Whatever one instance writes, the
// others must honour: codes, limits, the outbox's leases. They need PostgreSQL
// (COGNATE_TEST_POSTGRES_DSN) and skip without it.

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"cognate/internal/postgres"
	"cognate/internal/postgres/pgtest"
	"cognate/internal/sms"
	"cognate/internal/userpool"
)

// fleetRounds is how many rounds of 16 concurrent confirmations TestFleetExactlyOnce runs.
// The issue asks for 500; CI runs fewer (each round is a sign-up, whose password hash is
// most of its cost); the soak tier (-tags soak) runs 500, and
// `go test ./cmd/cognate -run TestFleetExactlyOnce -fleet.rounds=500` does too.
var fleetRounds = flag.Int("fleet.rounds", soakOr(50, 500), "rounds of TestFleetExactlyOnce")

// fleet is N server processes on one PostgreSQL schema, with the schema's DSN and master key.
type fleet struct {
	servers []*testServer
	dsn     string
	key     string
}

// startFleet starts n server processes at once on a fresh schema of the shared test
// database (so that their migrations race, as a fleet's do), all with the same master key
// and the given extra flags.
func startFleet(t *testing.T, n int, extra ...string) *fleet {
	t.Helper()
	return startFleetOn(t, pgtest.Schema(t), n, extra...)
}

// startFleetOn starts n server processes at once on the database dsn names.
func startFleetOn(t *testing.T, dsn string, n int, extra ...string) *fleet {
	t.Helper()
	f := &fleet{dsn: dsn, key: testSecretKey(t), servers: make([]*testServer, n)}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.servers[i], errs[i] = launchProcess(t, f.args(extra...)...)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("server %d: %v", i, err)
		}
	}
	return f
}

// args are the serve flags of a server of the fleet.
func (f *fleet) args(extra ...string) []string {
	return append([]string{"--addr", "127.0.0.1:0", "--store", f.dsn, "--secret-key-file", f.key,
		"--pg-max-conns", "4", "--log-level", "debug"}, extra...)
}

// on returns a copy of the recovery pool p that talks to server s.
func (p *recPool) on(s *testServer) *recPool {
	q := *p
	q.s = s
	return &q
}

// TestFleetCodeAcrossInstances requests a code through A, reads it through B's inbox,
// confirms it through B and signs in through C.
func TestFleetCodeAcrossInstances(t *testing.T) {
	f := startFleet(t, 3)
	a, b, c := f.servers[0], f.servers[1], f.servers[2]
	p := newRecPool(t, a, types.PreventUserExistenceErrorTypesEnabled, nil)
	p.jane(t)
	must(p.forgot("jane"))(t)
	pb := p.on(b)
	if err := pb.confirm("jane", pb.code(t, "jane"), recNewPassword); err != nil {
		t.Fatalf("ConfirmForgotPassword through B of a code requested through A: %v", err)
	}
	if _, err := p.on(c).signIn("jane", recNewPassword); err != nil {
		t.Fatalf("signing in through C with the password set through B: %v", err)
	}
	if _, err := p.on(a).signIn("jane", recOldPassword); !isCode(err, "NotAuthorizedException") {
		t.Fatalf("the old password through A: %v, want NotAuthorizedException", err)
	}
}

// TestFleetExactlyOnce races 16 confirmations of one code, spread over the three servers,
// round after round: exactly one wins each time. Sign-up codes carry the rounds (a round
// costs one password hash); a last round does the same with a password reset.
func TestFleetExactlyOnce(t *testing.T) {
	f := startFleet(t, 3)
	s := f.servers
	pool := createPool(t, s[0].Client, &cip.CreateUserPoolInput{PoolName: aws.String("fleet"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	client := aws.ToString(must(s[0].Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(pool), ClientName: aws.String("app"),
	}))(t).UserPoolClient.ClientId)
	const burst = 16
	start := time.Now()
	for r := range *fleetRounds {
		name := fmt.Sprintf("user%d", r)
		if _, err := s[r%3].Client.SignUp(bg, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String(name),
			Password: aws.String(recOldPassword), UserAttributes: attributes("email", name+"@example.com")}); err != nil {
			t.Fatalf("round %d: SignUp: %v", r, err)
		}
		code := signUpCode(t, s[(r+1)%3], pool, name)
		errs := recParallel(burst, func(i int) error {
			_, err := s[i%3].Client.ConfirmSignUp(bg, &cip.ConfirmSignUpInput{ClientId: aws.String(client),
				Username: aws.String(name), ConfirmationCode: aws.String(code)})
			return err
		})
		tally := recTally(errs)
		if tally[""] != 1 || tally["InternalErrorException"] != 0 {
			t.Fatalf("round %d: %d concurrent ConfirmSignUp over 3 servers: %v; want exactly one success", r, burst, tally)
		}
		if got := getUser(t, s[r%3].Client, pool, name).UserStatus; got != types.UserStatusTypeConfirmed {
			t.Fatalf("round %d: UserStatus %s after the race, want CONFIRMED", r, got)
		}
	}
	t.Logf("%d rounds of %d concurrent ConfirmSignUp over 3 servers: exactly one success each, in %v",
		*fleetRounds, burst, time.Since(start).Round(time.Millisecond))

	p := newRecPool(t, s[0], types.PreventUserExistenceErrorTypesEnabled, nil)
	p.jane(t)
	must(p.forgot("jane"))(t)
	code := p.code(t, "jane")
	password := func(i int) string { return fmt.Sprintf("Race-Passw0rd!%d", i) }
	errs := recParallel(burst, func(i int) error { return p.on(s[i%3]).confirm("jane", code, password(i)) })
	tally := recTally(errs)
	if tally[""] != 1 || tally[""]+tally["ExpiredCodeException"]+tally["LimitExceededException"] != burst {
		t.Fatalf("%d concurrent ConfirmForgotPassword over 3 servers: %v; want exactly one success", burst, tally)
	}
	for i, err := range errs {
		if err == nil {
			if _, err := p.on(s[(i+1)%3]).signIn("jane", password(i)); err != nil {
				t.Errorf("the password of the confirmation that won does not sign in: %v", err)
			}
		}
	}
}

// fleetCode finds a code in a message body.
var fleetCode = regexp.MustCompile(`[0-9]{6}`)

// signUpCode reads the newest sign-up code sent to the user from a server's inbox.
func signUpCode(t testing.TB, s *testServer, pool, username string) string {
	t.Helper()
	for _, m := range s.messages(t, "UserPoolId="+pool+"&Username="+username) {
		if m.TriggerSource == "CustomMessage_SignUp" {
			if c := fleetCode.FindString(m.Body); c != "" {
				return c
			}
		}
	}
	t.Fatalf("no sign-up code to %s in the inbox", username)
	return ""
}

// TestFleetSharedLimits checks that the limits are the database's, not a process's: five
// wrong guesses spread over the servers use the budget up, and the sixth is refused by
// each server; likewise the sixth ForgotPassword of the hour.
func TestFleetSharedLimits(t *testing.T) {
	f := startFleet(t, 3)
	s := f.servers
	p := newRecPool(t, s[0], types.PreventUserExistenceErrorTypesEnabled, nil)

	p.jane(t)
	must(p.forgot("jane"))(t)
	wrong := recOtherCode(p.code(t, "jane"))
	for i := range 5 {
		if err := p.on(s[i%3]).confirm("jane", wrong, recNewPassword); !isCode(err, "CodeMismatchException") {
			t.Fatalf("wrong guess %d through server %d: %v, want CodeMismatchException", i+1, i%3, err)
		}
	}
	for i := range s {
		if err := p.on(s[i]).confirm("jane", wrong, recNewPassword); !isCode(err, "LimitExceededException") {
			t.Errorf("a wrong guess past the fifth through server %d: %v, want LimitExceededException", i, err)
		}
	}

	p.user(t, "john", "email", "john@example.com", "email_verified", "true")
	for i := range 5 {
		if _, err := p.on(s[i%3]).forgot("john"); err != nil {
			t.Fatalf("ForgotPassword %d through server %d: %v", i+1, i%3, err)
		}
	}
	for i := range s {
		if _, err := p.on(s[i]).forgot("john"); !isCode(err, "LimitExceededException") {
			t.Errorf("a ForgotPassword past the fifth through server %d: %v, want LimitExceededException", i, err)
		}
	}
}

// TestFleetOutbox queues 1,000 SMS for the webhook channel and lets the three servers'
// dispatchers deliver them: each is delivered exactly once, whichever server claims it.
func TestFleetOutbox(t *testing.T) {
	const secret, total = "webhook-secret-0123456789", 1000
	var (
		mu   sync.Mutex
		hits = map[string]int{}
	)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.Header.Get(sms.MessageIDHeader)]++
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(hook.Close)
	f := startFleet(t, 3, "--sms-provider", "webhook", "--sms-webhook-url", hook.URL+"/sms", "--sms-webhook-secret", secret,
		"--log-level", "info")
	pool := createPool(t, f.servers[0].Client, &cip.CreateUserPoolInput{PoolName: aws.String("outbox")})

	// The messages are written straight into the shared store, all in one transaction, so
	// that the dispatchers find them at once rather than as requests trickle in.
	store, err := postgres.Open(t.Context(), f.dsn, postgres.Options{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := time.Now()
	u := &userpool.User{PoolID: pool, Key: "bulk", Sub: "00000000-0000-4000-8000-000000000001", Username: "bulk",
		Status: "CONFIRMED", Enabled: true, CreatedAt: now, ModifiedAt: now}
	for i := range total {
		u.Outbox = append(u.Outbox, &userpool.Message{MessageID: fmt.Sprintf("fleet-%04d", i), UserPoolID: pool,
			Username: "bulk", DeliveryMedium: "SMS", Destination: "+15555550100", Body: fmt.Sprintf("message %d", i),
			TriggerSource: "CustomMessage_AdminCreateUser", CreatedAt: now, Channel: "webhook", Status: "queued",
			NextAttemptAt: now})
	}
	if err := store.SaveUsers(t.Context(), userpool.UserWrite{User: u, New: true}); err != nil {
		t.Fatalf("queueing %d messages: %v", total, err)
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	for {
		q, err := store.CountQueuedMessages(ctx)
		if err != nil {
			t.Fatalf("waiting for the outbox to empty: %v", err)
		}
		if q["webhook"] == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	took := time.Since(start)
	mu.Lock()
	defer mu.Unlock()
	twice := 0
	for _, n := range hits {
		if n > 1 {
			twice++
		}
	}
	if len(hits) != total || twice != 0 {
		t.Fatalf("the webhook got %d distinct messages (%d more than once), want %d each once", len(hits), twice, total)
	}
	msgs, err := store.ListMessages(t.Context(), userpool.MessageFilter{UserPoolID: pool})
	if err != nil {
		t.Fatal(err)
	}
	delivered := 0
	for _, m := range msgs {
		if m.Status == "delivered" && m.Attempts == 1 {
			delivered++
		}
	}
	if delivered != total {
		t.Fatalf("%d of %d messages delivered at the first attempt", delivered, total)
	}
	t.Logf("%d messages delivered once each by 3 dispatchers in %v", total, took.Round(time.Millisecond))
}
