package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// options are the command's flags.
type options struct {
	endpoint, region        string
	accessKey, secretKey    string
	users, setupConcurrency int
	poolID, clientID        string
	mix                     string
	concurrency             int
	duration, warmup        time.Duration
	argon2                  time.Duration
	usesPerUser             int
	serverPID               int
	json                    bool
	makeBy                  string
	perJob                  int
	rate                    string
	maxInFlight             int
}

func parseOptions(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("cognate-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.endpoint, "endpoint", "http://127.0.0.1:9229", "The endpoint URL of the server under load; several, comma-separated, are taken in turn (instances of one deployment).")
	fs.StringVar(&o.region, "region", "us-east-1", "The region admin requests are signed for.")
	fs.StringVar(&o.accessKey, "access-key-id", "load", "The access key id admin requests are signed with.")
	fs.StringVar(&o.secretKey, "secret-access-key", "load", "The secret access key admin requests are signed with.")
	fs.IntVar(&o.users, "users", 1000, "How many users to make (or, with --pool-id, how many load users the pool already has).")
	fs.IntVar(&o.setupConcurrency, "setup-concurrency", 8, "How many users are made at once.")
	fs.StringVar(&o.poolID, "pool-id", "", "Drive this existing pool (made by an earlier run) instead of making one; needs --client-id.")
	fs.StringVar(&o.clientID, "client-id", "", "The app client of --pool-id.")
	fs.StringVar(&o.mix, "mix", "forgot", "The workload: forgot, recover, auth or get, or several weighed, as forgot=3,get=1.")
	fs.IntVar(&o.concurrency, "concurrency", 64, "How many clients send requests at once.")
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "How long the measured part of the run lasts.")
	fs.DurationVar(&o.warmup, "warmup", 0, "How long the mix runs, unmeasured, before the measured part.")
	fs.DurationVar(&o.argon2, "argon2", 0, "Also measure the bare argon2id rate for this long, half before and half after the workload (0: do not).")
	fs.IntVar(&o.usesPerUser, "uses-per-user", 5, "How many ForgotPassword requests the forgot mix makes per user (Cognito allows 5 an hour).")
	fs.IntVar(&o.serverPID, "server-pid", 0, "The process id of a server on this machine whose resident memory to report.")
	fs.BoolVar(&o.json, "json", false, "Write the report as JSON.")
	fs.StringVar(&o.makeBy, "make-users", "auto", "How users are made: admin (AdminCreateUser and AdminSetUserPassword), import (user import jobs: no password, for mixes that do not sign in), or auto (import where the server has it and the mix allows, else admin).")
	fs.IntVar(&o.perJob, "import-job-size", 100000, "How many users one import job brings in.")
	fs.StringVar(&o.rate, "rate", "", "An open-loop run instead: requests arrive at these rates per second whatever the answers, as forgot=70,recover=30,auth=10 (--mix, --concurrency, --users and --pool-id do not apply; the run makes its users).")
	fs.IntVar(&o.maxInFlight, "max-in-flight", 5000, "With --rate, how many arrivals may wait for answers at once; past it an arrival is counted as the tool's failure.")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	var errs []error
	for _, e := range strings.Split(o.endpoint, ",") {
		if u, err := url.Parse(e); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("--endpoint %q is not an http(s) URL", e))
		}
	}
	if o.users < 1 {
		errs = append(errs, errors.New("--users must be at least 1"))
	}
	if o.concurrency < 1 || o.setupConcurrency < 1 {
		errs = append(errs, errors.New("--concurrency and --setup-concurrency must be at least 1"))
	}
	if o.duration <= 0 {
		errs = append(errs, errors.New("--duration must be positive"))
	}
	if (o.poolID == "") != (o.clientID == "") {
		errs = append(errs, errors.New("--pool-id and --client-id go together"))
	}
	if o.usesPerUser < 1 {
		errs = append(errs, errors.New("--uses-per-user must be at least 1"))
	}
	if _, err := parseMix(o.mix); err != nil {
		errs = append(errs, err)
	}
	if o.makeBy != "auto" && o.makeBy != "admin" && o.makeBy != "import" {
		errs = append(errs, fmt.Errorf("--make-users must be auto, admin or import, not %q", o.makeBy))
	}
	if mix, err := parseMix(o.mix); err == nil && o.makeBy == "import" && has(mix, "auth") {
		errs = append(errs, errors.New("--make-users import makes users without a password, and the auth mix signs in with one"))
	}
	if o.rate != "" {
		if _, err := parseMix(o.rate); err != nil {
			errs = append(errs, fmt.Errorf("--rate: %w", err))
		}
		if o.poolID != "" {
			errs = append(errs, errors.New("--rate makes its own pool and users; --pool-id does not apply"))
		}
	}
	if o.maxInFlight < 1 {
		errs = append(errs, errors.New("--max-in-flight must be at least 1"))
	}
	if o.perJob < 1 {
		errs = append(errs, errors.New("--import-job-size must be at least 1"))
	}
	return o, errors.Join(errs...)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, stderr)
	if err != nil {
		return err
	}
	mix, _ := parseMix(o.mix)
	w := newWire(o.endpoint, o.region, o.accessKey, o.secretKey, max(o.concurrency, o.setupConcurrency))
	if o.rate != "" {
		return runPaced(ctx, o, w, stdout, stderr)
	}
	res := &result{Endpoint: o.endpoint, Mix: o.mix, Concurrency: o.concurrency}

	t := &target{poolID: o.poolID, clientID: o.clientID, users: o.users}
	if o.poolID == "" {
		if t, err = setupPool(ctx, w, fmt.Sprintf("load-%d", time.Now().Unix())); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "pool %s, client %s\n", t.poolID, t.clientID)
		maker, err := chooseMaker(ctx, w, o, mix, t)
		if err != nil {
			return err
		}
		start := time.Now()
		if err := makeUsers(ctx, maker, t, 0, o.users, stderr); err != nil {
			return err
		}
		res.UsersMadeBy, res.SetupRate = maker.name(), float64(t.users)/time.Since(start).Seconds()
	}
	res.Users = t.users

	// The bare argon2id rate is measured half before and half after the workload, so that
	// what else the shared cores run weighs on the baseline as on the workload.
	var before float64
	if o.argon2 > 0 {
		fmt.Fprintf(stderr, "measuring bare argon2id for %s\n", o.argon2/2)
		before = argon2Rate(o.argon2 / 2)
	}
	r, err := newRunner(w, t, mix, o.concurrency, o.usesPerUser)
	if err != nil {
		return err
	}
	if o.warmup > 0 {
		fmt.Fprintf(stderr, "warming up for %s\n", o.warmup)
		r.run(time.Now().Add(o.warmup))
	}
	fmt.Fprintf(stderr, "running %s with %d clients for %s\n", o.mix, o.concurrency, o.duration)
	samples, elapsed := r.run(time.Now().Add(o.duration))
	if len(samples) == 0 {
		return errors.New("no request was made (are there enough users?)")
	}
	res.Seconds, res.Exhausted, res.Ops = elapsed.Seconds(), r.exhausted.Load(), summarize(samples, elapsed)
	if o.argon2 > 0 {
		fmt.Fprintf(stderr, "measuring bare argon2id for %s\n", o.argon2/2)
		after := argon2Rate(o.argon2 / 2)
		res.Argon2Rates, res.Argon2Rate = []float64{before, after}, (before+after)/2
	}
	if o.serverPID > 0 {
		if res.RSS, err = readRSS(o.serverPID); err != nil {
			return err
		}
	}
	if o.json {
		return res.writeJSON(stdout)
	}
	res.writeText(stdout)
	return nil
}

// chooseMaker picks how users are made (--make-users): auto takes import jobs where the
// server answers GetCSVHeader and the mix never signs in with the load password.
func chooseMaker(ctx context.Context, w *wire, o *options, mix []weight, t *target) (userMaker, error) {
	admin := adminMaker{w: w, concurrency: o.setupConcurrency}
	imp := importMaker{w: w, perJob: o.perJob, poll: 100 * time.Millisecond}
	switch o.makeBy {
	case "admin":
		return admin, nil
	case "import":
		return imp, nil
	}
	if has(mix, "auth") {
		return admin, nil
	}
	err := w.call(ctx, "GetCSVHeader", true, map[string]any{"UserPoolId": t.poolID}, nil)
	var ae *apiError
	switch {
	case err == nil:
		return imp, nil
	case errors.As(err, &ae):
		return admin, nil // the server has no import jobs
	default:
		return nil, fmt.Errorf("GetCSVHeader: %w", err)
	}
}
