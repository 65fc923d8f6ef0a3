package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cognate/internal/server"
	"cognate/internal/sqlite"
	"cognate/internal/userpool"
)

// TestLoadRun drives a real cognate (SQLite on a file, the real HTTP handler) with every
// mix for a moment: it sets up its pool and users through the admin API, and every request
// it reports succeeds, with codes read from the inbox for recover.
func TestLoadRun(t *testing.T) {
	ctx := t.Context()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "cognate.db"), sqlite.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	svc := userpool.New(store, userpool.Options{Hasher: userpool.NewHasher(userpool.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}, 4)})
	srv := httptest.NewServer(server.New(server.Config{Service: svc, OpenDevEndpoints: true}))
	defer srv.Close()

	var stdout, stderr bytes.Buffer
	err = run(ctx, []string{"--endpoint", srv.URL, "--users", "12", "--concurrency", "4", "--duration", "500ms",
		"--mix", "forgot,recover,auth,get", "--uses-per-user", "2", "--json"}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "users: 12/12 made by admin API") {
		t.Fatalf("no progress line for the users made:\n%s", stderr.String())
	}
	var res result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("the JSON report: %v\n%s", err, stdout.String())
	}
	seen := map[string]bool{}
	for _, op := range res.Ops {
		seen[op.Op] = true
		if op.OK != op.Count || op.Count == 0 {
			t.Errorf("%s: %d of %d requests succeeded: %v %v", op.Op, op.OK, op.Count, op.Errors, op.Samples)
		}
		if op.P50 > op.P99 || op.P99 > op.Max {
			t.Errorf("%s: percentiles out of order: %+v", op.Op, op)
		}
	}
	for _, op := range []string{opForgot, opMessages, opConfirm, opAuth, opGet} {
		if !seen[op] {
			t.Errorf("the report has no %s: %+v", op, res.Ops)
		}
	}
}

// TestParseMix accepts weighed mixes and refuses what it does not know.
func TestParseMix(t *testing.T) {
	ws, err := parseMix("forgot=3,get")
	if err != nil || len(ws) != 2 || ws[0] != (weight{"forgot", 3}) || ws[1] != (weight{"get", 1}) {
		t.Fatalf("parseMix: %v, %v", ws, err)
	}
	for _, bad := range []string{"fly", "forgot=0", "forgot=x", ""} {
		if _, err := parseMix(bad); err == nil {
			t.Errorf("parseMix(%q) accepted it", bad)
		}
	}
}

// TestDispenser never hands a user out more often than allowed, and then runs dry.
func TestDispenser(t *testing.T) {
	d := &dispenser{first: 10, n: 3, uses: 2}
	count := map[int]int{}
	for {
		i, ok := d.take()
		if !ok {
			break
		}
		count[i]++
	}
	if len(count) != 3 || count[10] != 2 || count[11] != 2 || count[12] != 2 {
		t.Fatalf("uses per user: %v, want users 10-12 twice each", count)
	}
}

// TestLoadPaced makes an open-loop run against a real cognate: every arrival is answered
// without error, and the inbox holds one recovery message per accepted ForgotPassword.
func TestLoadPaced(t *testing.T) {
	ctx := t.Context()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "cognate.db"), sqlite.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	svc := userpool.New(store, userpool.Options{Hasher: userpool.NewHasher(userpool.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}, 4)})
	dctx, stop := context.WithCancel(ctx)
	defer stop()
	go svc.RunDispatcher(dctx, 50*time.Millisecond)
	srv := httptest.NewServer(server.New(server.Config{Service: svc, OpenDevEndpoints: true}))
	defer srv.Close()

	var stdout, stderr bytes.Buffer
	err = run(ctx, []string{"--endpoint", srv.URL, "--rate", "forgot=20,recover=10,auth=5", "--duration", "2s",
		"--warmup", "500ms", "--make-users", "admin", "--json"}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	var res result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("the JSON report: %v\n%s", err, stdout.String())
	}
	counts := map[string]int{}
	for _, op := range res.Ops {
		counts[op.Op] = op.Count
		if op.OK != op.Count {
			t.Errorf("%s: %d of %d requests succeeded: %v %v", op.Op, op.OK, op.Count, op.Errors, op.Samples)
		}
	}
	// 2 s at the rates: 40 + 20 ForgotPassword, 20 confirmations, 10 sign-ins.
	if counts[opForgot] != 60 || counts[opConfirm] != 20 || counts[opAuth] != 10 {
		t.Errorf("requests per operation: %v, want the rates times 2 s", counts)
	}
	m := res.Messages
	if m == nil || m.Accepted == 0 || m.Messages != m.Accepted || m.Mismatched != 0 {
		t.Errorf("messages: %+v, want one per accepted ForgotPassword", m)
	}
}
