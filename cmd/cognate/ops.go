package main

// The operator's kit wired together: metrics read at the edges (each API request at the
// handler; limit refusals and delivery outcomes at the store, where every operation's
// attempts and messages pass), logs that carry the request id, the readiness check and the
// pprof listener.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"slices"
	"sync/atomic"
	"time"

	"cognate/internal/awsjson"
	"cognate/internal/metrics"
	"cognate/internal/server"
	"cognate/internal/userpool"
)

// meteredStore is the store as the service sees it, counting what operators watch as it
// passes: refused attempts (a limit's refusal is the store's answer) and delivery outcomes.
type meteredStore struct {
	userpool.Store
	m *metrics.Metrics
}

func (s meteredStore) CountAttempt(ctx context.Context, poolID, subject, kind string, at time.Time, window time.Duration, limit int) (bool, error) {
	ok, err := s.Store.CountAttempt(ctx, poolID, subject, kind, at, window, limit)
	if err == nil && !ok {
		s.m.LimitRefused(kind)
	}
	return ok, err
}

func (s meteredStore) FinishMessage(ctx context.Context, m *userpool.Message, owner string) error {
	err := s.Store.FinishMessage(ctx, m, owner)
	if err == nil {
		outcome := m.Status
		if outcome == "queued" {
			outcome = "retry"
		}
		s.m.Delivery(m.Channel, outcome)
	}
	return err
}

// inbox counts messages the built-in inbox took: they are delivered as they are written.
func (s meteredStore) inbox(msgs ...*userpool.Message) {
	for _, m := range msgs {
		if m != nil && m.Channel == "inbox" {
			s.m.Delivery("inbox", "delivered")
		}
	}
}

// IssueCode counts a refusal by the limit the store names, and the inbox message it wrote.
func (s meteredStore) IssueCode(ctx context.Context, issue *userpool.CodeIssue) (int, error) {
	refused, err := s.Store.IssueCode(ctx, issue)
	switch {
	case err != nil:
	case refused >= 0:
		s.m.LimitRefused(issue.Limits[refused].Kind)
	default:
		s.inbox(issue.Message)
		for _, w := range issue.Users {
			s.inbox(w.User.Outbox...)
		}
	}
	return refused, err
}

func (s meteredStore) SaveUsers(ctx context.Context, writes ...userpool.UserWrite) error {
	err := s.Store.SaveUsers(ctx, writes...)
	if err == nil {
		for _, w := range writes {
			s.inbox(w.User.Outbox...)
		}
	}
	return err
}

func (s meteredStore) RedeemCode(ctx context.Context, r *userpool.Redemption) error {
	err := s.Store.RedeemCode(ctx, r)
	if err == nil {
		for _, w := range r.Users {
			s.inbox(w.User.Outbox...)
		}
	}
	return err
}

// requestIDs is a log handler that adds the request id of a record's context, so that every
// line a request causes, in the service as at the boundary, names it.
type requestIDs struct{ slog.Handler }

func (h requestIDs) Handle(ctx context.Context, r slog.Record) error {
	if id := awsjson.RequestID(ctx); id != "" {
		has := false
		r.Attrs(func(a slog.Attr) bool {
			has = a.Key == "request_id"
			return !has
		})
		if !has {
			r.AddAttrs(slog.String("request_id", id))
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDs) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDs{h.Handler.WithAttrs(attrs)}
}

func (h requestIDs) WithGroup(name string) slog.Handler { return requestIDs{h.Handler.WithGroup(name)} }

// requestLog writes one line per API request answered and counts it.
func requestLog(log *slog.Logger, m *metrics.Metrics) func(r *http.Request, op, exception string, status int, took time.Duration) {
	return func(r *http.Request, op, exception string, status int, took time.Duration) {
		m.Request(op, exception, took)
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		log.Log(r.Context(), level, "request", "operation", op, "status", status, "exception", exception,
			"duration_ms", float64(took.Microseconds())/1000)
	}
}

// readiness is /readyz's check beyond the store's ping: the schema is current, and the
// server is not shutting down (a load balancer stops sending before the listener closes).
type readiness struct {
	store    store
	draining atomic.Bool
}

func (rd *readiness) check(ctx context.Context) error {
	if rd.draining.Load() {
		return errors.New("shutting down")
	}
	n, err := rd.store.PendingMigrations(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%d schema migrations not applied (run cognate migrate)", n)
	}
	return nil
}

// channelNames are the delivery channels of the configuration, for the outbox gauge.
func channelNames(mail, text userpool.Channel) []string {
	var names []string
	for _, ch := range []userpool.Channel{mail, text} {
		if ch.Name != "" && !slices.Contains(names, ch.Name) {
			names = append(names, ch.Name)
		}
	}
	return names
}

// startPprof serves net/http/pprof on a listener of its own, which must be loopback: profiles
// show what the process holds, and a CPU profile costs it dearly. It answers a function that
// stops it.
func startPprof(addr string, log *slog.Logger) (func(), error) {
	if !server.IsLoopback(addr) {
		return nil, fmt.Errorf("--pprof %s: the profiling listener must be on loopback", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--pprof: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	log.Info("pprof serving", "addr", ln.Addr().String())
	return func() { srv.Close() }, nil
}
