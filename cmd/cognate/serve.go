package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"cognate/internal/logexport"
	"cognate/internal/metrics"
	"cognate/internal/oidc"
	"cognate/internal/postgres"
	"cognate/internal/server"
	"cognate/internal/sigv4"
	"cognate/internal/sqlite"
	"cognate/internal/token"
	"cognate/internal/userpool"
	"cognate/internal/web"
)

const usage = `usage: cognate <command> [flags]

commands:
  serve     run the server
  migrate   bring the store's schema up to date and exit
  forgot-password [USERNAME]
            send a user a password reset code (as Reset-CGIPForgottenPassword)
  confirm-forgot-password [USERNAME]
            set the new password with that code (as Confirm-CGIPForgotPassword)
  import FILE.csv --pool ID
            import the file's users through a user import job (as Cognito runs them)
  backup --to FILE
            copy the SQLite store while it is in use
  keys rotate
            make new token signing keys (old ones stay in the JWKS)
  version   print the version

Run "cognate <command> -h" for the flags of a command.
`

// run is the whole program; main only calls it, so that tests can run it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, args[1:], getenv, stdout, stderr)
	case "keys":
		if len(args) < 2 || args[1] != "rotate" {
			fmt.Fprint(stderr, usage)
			return errors.New(`"keys" takes the subcommand "rotate"`)
		}
		return rotateKeys(ctx, args[2:], getenv, stdout, stderr)
	case "forgot-password":
		return runRecovery(ctx, forgotPasswordCommand, args[1:], stdin, stdout, stderr)
	case "confirm-forgot-password":
		return runRecovery(ctx, confirmForgotPasswordCommand, args[1:], stdin, stdout, stderr)
	case "import":
		return importCommand(ctx, args[1:], stdout, stderr)
	case "backup":
		return backup(ctx, args[1:], getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "cognate", version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// store is what the commands need of a store beyond userpool.Store: its schema, and closing it.
type store interface {
	userpool.Store
	Migrate(ctx context.Context) error
	PendingMigrations(ctx context.Context) (int, error)
	Close() error
}

// isPostgres reports whether a --store names a PostgreSQL database rather than a SQLite file.
func isPostgres(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// openStore opens the store --store names: PostgreSQL for a postgres:// or postgresql://
// URL, else a SQLite file (or :memory:).
func openStore(ctx context.Context, c *Config) (store, error) {
	if isPostgres(c.Store) {
		opts := postgres.DefaultOptions()
		opts.Migrate = c.Migrate
		opts.MaxConns = c.PGMaxConns
		opts.StatementTimeout = c.PGStatementTimeout
		return postgres.Open(ctx, c.Store, opts)
	}
	opts := sqlite.DefaultOptions()
	opts.Migrate = c.Migrate
	return sqlite.Open(ctx, c.Store, opts)
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseConfig("migrate", args, getenv, stderr)
	if err != nil {
		return err
	}
	c.Migrate = false
	store, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "migrated", c.storeName())
	return nil
}

// serve builds the graph top to bottom, serves until ctx ends, and shuts down gracefully.
// Its first line on stdout is "listening on http://HOST:PORT" (https with TLS), which tests
// read; with TLS a second line gives the certificate's SHA-256 fingerprint.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseConfig("serve", args, getenv, stderr)
	if err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	log := c.logger(stderr)

	var verifier *sigv4.Verifier
	if c.Credentials != "" {
		f, err := os.Open(c.Credentials)
		if err != nil {
			return fmt.Errorf("--credentials: %w", err)
		}
		creds, err := sigv4.LoadCredentials(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("--credentials %s: %w", c.Credentials, err)
		}
		verifier = &sigv4.Verifier{Credentials: creds, Service: "cognito-idp"}
	}

	store, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer store.Close()

	master, err := masterKey(c)
	if err != nil {
		return err
	}
	mail, text, err := channels(c)
	if err != nil {
		return err
	}
	invoker, encrypter, err := triggers(c)
	if err != nil {
		return err
	}
	tlsConf, fingerprint, err := tlsConfig(c)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	defer ln.Close() // Serve closes it too; this covers a return before Serve
	scheme := "http"
	if tlsConf != nil {
		scheme = "https"
		ln = tls.NewListener(ln, tlsConf)
	}
	publicURL := c.PublicURL
	if publicURL == "" {
		publicURL = defaultPublicURL(scheme, c.Addr, ln.Addr())
	}
	controls := c.controls()
	var svc *userpool.Service
	meters := metrics.New(metrics.Sources{
		HashQueue: func() int { return svc.HashQueue() },
		Outbox:    func(ctx context.Context) (map[string]int, error) { return svc.OutboxDepth(ctx) },
		Channels:  channelNames(mail, text),
	})
	opts := userpool.Options{Region: c.Region, Logger: log, MasterKey: master, Observer: meters,
		PublicURL: publicURL, TokenIssuer: c.TokenIssuer,
		Email: mail, SMS: text, FailFast: c.Delivery == "fail-fast", EmailDailyQuota: c.EmailDailyQuota,
		Federator: &oidc.Client{}, TriggerTimeout: c.TriggerTimeout, RequestQuotas: c.RequestQuotas}
	if c.LogExportDir != "" {
		opts.LogWriter = &logexport.Dir{Root: c.LogExportDir}
	}
	if invoker != nil {
		opts.Invoker = invoker
	}
	if encrypter != nil {
		opts.Encrypter = encrypter
	}
	if controls != nil {
		opts.Now, opts.FixedCode = controls.Clock.Now, c.FixedCode
	}
	svc = userpool.New(meteredStore{Store: store, m: meters}, opts)
	if c.Seed != "" {
		made, err := seed(ctx, c.Seed, c, store, svc, master)
		if err != nil {
			return err
		}
		log.Info("seed applied", "file", c.Seed, "made", made.String())
	}
	ready := &readiness{store: store}
	pages, err := web.New(web.Config{Service: svc, Logger: log, CSRFKey: webKey(master)})
	if err != nil {
		return err
	}
	handler := server.New(server.Config{
		Service:          svc,
		Verifier:         verifier,
		OpenDevEndpoints: server.IsLoopback(c.Addr),
		AdminToken:       c.AdminToken,
		Logger:           log,
		Controls:         controls,
		Ready:            ready.check,
		Metrics:          meters.Handler(),
		Observe:          requestLog(log, meters),
		Web:              pages,
	})

	if c.Pprof != "" {
		stopPprof, err := startPprof(c.Pprof, log)
		if err != nil {
			return err
		}
		defer stopPprof()
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          nil,
	}
	fmt.Fprintf(stdout, "listening on %s://%s\n", scheme, ln.Addr())
	if fingerprint != "" {
		fmt.Fprintf(stdout, "TLS certificate SHA-256 fingerprint %s\n", fingerprint)
	}
	log.Info("cognate serving", "addr", ln.Addr().String(), "public_url", publicURL, "token_issuer", c.TokenIssuer, "store", c.storeName(), "region", c.Region, "signatures", verifier != nil)
	c.announceControls(log, controls)

	// The dispatcher delivers what real channels queued, until the server stops.
	dispatchCtx, stopDispatch := context.WithCancel(context.Background())
	dispatched := make(chan struct{})
	go func() {
		defer close(dispatched)
		svc.RunDispatcher(dispatchCtx, time.Second)
	}()
	defer func() { stopDispatch(); <-dispatched }()
	// Import jobs run in the background too; a job still running at shutdown ends Failed.
	importCtx, stopImports := context.WithCancel(context.Background())
	imported := make(chan struct{})
	go func() {
		defer close(imported)
		svc.RunImports(importCtx)
	}()
	defer func() { stopImports(); <-imported }()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Graceful shutdown: refuse readiness, stop accepting, let the requests in flight finish;
	// then let the dispatcher finish the send it is making and hand what it has not sent to
	// the next start (RunDispatcher frees its leases).
	ready.draining.Store(true)
	if c.ShutdownDelay > 0 {
		// Still serving, but no longer ready: load balancers that check /readyz stop
		// sending here before the listener closes under connections they might open.
		log.Info("shutting down: draining, /readyz answers 503", "delay", c.ShutdownDelay.String())
		time.Sleep(c.ShutdownDelay)
	}
	log.Info("shutting down: finishing the requests in flight")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdown)
	log.Info("shutting down: finishing the delivery in progress; unsent messages stay queued for the next start")
	stopDispatch()
	<-dispatched
	log.Info("cognate stopped")
	return err
}

// masterKey reads the key kept outside the store, making it at first start. A store in
// memory gets a random key that dies with it.
func masterKey(c *Config) ([]byte, error) {
	path := c.SecretKey
	if path == "" {
		if c.Store == ":memory:" {
			return nil, nil
		}
		path = filepath.Join(filepath.Dir(c.Store), "secret.key")
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return masterKey(c) // another process made it first
		}
		if err != nil {
			return nil, err
		}
		_, err = f.Write([]byte(hex.EncodeToString(key) + "\n"))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return key, err
	}
	if err != nil {
		return nil, fmt.Errorf("--secret-key-file: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) < 32 {
		return nil, fmt.Errorf("--secret-key-file %s: want at least 32 bytes written as hex", path)
	}
	return key, nil
}

// webKey is the key of the pages' CSRF tokens: derived from the master key, or random for
// a store in memory (whose master key is random too).
func webKey(master []byte) []byte {
	if len(master) == 0 {
		k := make([]byte, 32)
		rand.Read(k)
		return k
	}
	k := token.DeriveKey(master, "cognate web csrf v1")
	return k[:]
}

// rotateKeys makes new token signing keys in the store the flags name.
func rotateKeys(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseConfig("keys rotate", args, getenv, stderr)
	if err != nil {
		return err
	}
	if c.Store == ":memory:" {
		return errors.New("keys rotate: a store in memory has no keys to rotate")
	}
	if isPostgres(c.Store) && c.SecretKey == "" {
		return errors.New("keys rotate: a PostgreSQL store needs --secret-key-file, the master key its servers share")
	}
	store, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer store.Close()
	master, err := masterKey(c)
	if err != nil {
		return err
	}
	svc := userpool.New(store, userpool.Options{Region: c.Region, MasterKey: master})
	if err := svc.RotateSigningKeys(ctx); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "rotated the signing keys of", c.storeName())
	return nil
}

// defaultPublicURL is the public URL without --public-url: the host as --addr names it
// (localhost stays localhost, so that a browser keeps its cookies apart from 127.0.0.1's),
// or the bound address where --addr names none or all interfaces; the port actually bound,
// so that port 0 is resolved.
func defaultPublicURL(scheme, addr string, bound net.Addr) string {
	hostport := bound.String()
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err == nil && host != "" && (ip == nil || !ip.IsUnspecified()) {
		if _, port, err := net.SplitHostPort(hostport); err == nil {
			hostport = net.JoinHostPort(host, port)
		}
	}
	return scheme + "://" + hostport
}
