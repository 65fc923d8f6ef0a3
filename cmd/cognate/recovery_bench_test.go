package main

// BenchmarkRecovery measures account recovery against the bare cost it is built around:
// one argon2id hash (ARCHITECTURE.md "Passwords"). ConfirmForgotPassword hashes the new
// password once (and derives the SRP verifier), so its rate through the whole stack — SDK,
// HTTP, JSON, store — is reported as a ratio to the hash rate measured in the same run.
//
//	go test ./cmd/cognate/ -run '^$' -bench BenchmarkRecovery -benchtime 20x

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"cognate/internal/userpool"
)

// recBenchHashRate is the argon2id hash rate (hashes a second, one goroutine) that the
// "argon2id" sub-benchmark measured last; 0 until it has run.
var recBenchHashRate float64

// recBenchHashes hashes n passwords on one goroutine with the server's parameters and
// returns the rate, for when the "argon2id" sub-benchmark did not run.
func recBenchHashes(b *testing.B, n int) float64 {
	b.Helper()
	h := userpool.NewHasher(userpool.DefaultHashParams, 1)
	start := time.Now()
	for range n {
		if _, err := h.Hash(context.Background(), rand.Reader, recNewPassword); err != nil {
			b.Fatal(err)
		}
	}
	return float64(n) / time.Since(start).Seconds()
}

// recBenchRate reports b's rate as ops/s and returns it.
func recBenchRate(b *testing.B) float64 {
	rate := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "ops/s")
	return rate
}

// recBenchUsers hands out users that may still ask for a recovery code: each is used at
// most four times, under the limit of five requests an hour, and new ones are made (outside
// the timer) when the supply runs low. Across the calls of a sub-benchmark it keeps its
// users, so that none is ever asked for a sixth code.
type recBenchUsers struct {
	p     *recPool
	made  int
	slots []string // one entry per request a user may still make, users interleaved
}

// ensure makes users until n requests can be made.
func (u *recBenchUsers) ensure(b *testing.B, n int) {
	b.Helper()
	const uses = 4
	if missing := n - len(u.slots); missing > 0 {
		var batch []string
		for range (missing + uses - 1) / uses {
			name := fmt.Sprintf("bench%d", u.made)
			u.made++
			u.p.user(b, name, "email", name+"@example.com", "email_verified", "true")
			batch = append(batch, name)
		}
		for range uses {
			u.slots = append(u.slots, batch...)
		}
	}
}

// next returns a user that may make one more request.
func (u *recBenchUsers) next() string {
	name := u.slots[0]
	u.slots = u.slots[1:]
	return name
}

// BenchmarkRecovery has three sub-benchmarks, run in one invocation on one server:
// "argon2id", the bare hash (userpool.Hasher.Hash with DefaultHashParams, one goroutine);
// "ForgotPassword" through the SDK and HTTP, round-robin over verified users so that the
// request limit is never reached; and "ConfirmForgotPassword" through the SDK and HTTP, each
// with a fresh code asked for and read from the inbox outside the timer. Each reports ops/s;
// ConfirmForgotPassword also reports ratio-to-argon2id, its rate over the hash rate.
func BenchmarkRecovery(b *testing.B) {
	s := startServer(b)
	p := newRecPool(b, s, types.PreventUserExistenceErrorTypesLegacy, nil)

	b.Run("argon2id", func(b *testing.B) {
		h := userpool.NewHasher(userpool.DefaultHashParams, 1)
		ctx := context.Background()
		for b.Loop() {
			if _, err := h.Hash(ctx, rand.Reader, recNewPassword); err != nil {
				b.Fatal(err)
			}
		}
		recBenchHashRate = recBenchRate(b)
	})

	forgotUsers := &recBenchUsers{p: p}
	b.Run("ForgotPassword", func(b *testing.B) {
		forgotUsers.ensure(b, b.N)
		b.ResetTimer()
		for range b.N {
			if _, err := p.forgot(forgotUsers.next()); err != nil {
				b.Fatalf("ForgotPassword: %v", err)
			}
		}
		b.StopTimer()
		recBenchRate(b)
	})

	// One user does: a successful confirmation clears its request and guess counters.
	p.jane(b)
	round := 0
	b.Run("ConfirmForgotPassword", func(b *testing.B) {
		b.StopTimer()
		b.ResetTimer()
		for range b.N {
			// The inbox is emptied first so that reading the code stays cheap however long
			// the benchmark runs.
			if status, _, body := httpDo(b, http.MethodDelete, s.URL+"/_cognate/messages", nil, nil); status/100 != 2 {
				b.Fatalf("DELETE /_cognate/messages: %d %s", status, body)
			}
			if _, err := p.forgot("jane"); err != nil {
				b.Fatalf("ForgotPassword: %v", err)
			}
			code := p.code(b, "jane")
			round++
			password := fmt.Sprintf("Bench-Passw0rd!%d", round)
			b.StartTimer()
			err := p.confirm("jane", code, password)
			b.StopTimer()
			if err != nil {
				b.Fatalf("ConfirmForgotPassword: %v", err)
			}
		}
		rate := recBenchRate(b)
		hashRate := recBenchHashRate
		if hashRate == 0 {
			hashRate = recBenchHashes(b, 10)
		}
		b.ReportMetric(rate/hashRate, "ratio-to-argon2id")
	})
}
