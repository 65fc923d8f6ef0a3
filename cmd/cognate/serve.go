package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"cognate/internal/server"
	"cognate/internal/sigv4"
	"cognate/internal/sqlite"
	"cognate/internal/userpool"
)

const usage = `usage: cognate <command> [flags]

commands:
  serve     run the server
  migrate   bring the store's schema up to date and exit
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

func openStore(ctx context.Context, c *Config) (*sqlite.Store, error) {
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
	fmt.Fprintln(stdout, "migrated", c.Store)
	return nil
}

// serve builds the graph top to bottom, serves until ctx ends, and shuts down gracefully.
// Its first line on stdout is "listening on http://HOST:PORT", which tests read.
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

	svc := userpool.New(store, userpool.InboxSender{Store: store}, userpool.Options{Region: c.Region, Logger: log})
	handler := server.New(server.Config{
		Service:          svc,
		Verifier:         verifier,
		OpenDevEndpoints: server.IsLoopback(c.Addr),
		AdminToken:       c.AdminToken,
		Logger:           log,
	})

	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          nil,
	}
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	log.Info("cognate serving", "addr", ln.Addr().String(), "store", c.Store, "region", c.Region, "signatures", verifier != nil)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdown)
	log.Info("cognate stopped")
	return err
}
