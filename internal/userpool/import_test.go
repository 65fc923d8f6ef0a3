package userpool_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"cognate/internal/sqlite"
	"cognate/internal/userpool"
)

// importCSV is a file of n good users for the fixture's pool.
func importCSV(t testing.TB, svc *userpool.Service, pool string, n int) []byte {
	t.Helper()
	h, err := svc.GetCSVHeader(ctx, &userpool.GetCSVHeaderRequest{UserPoolId: &pool})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(strings.Join(h.CSVHeader, ",") + "\n")
	row := make([]string, len(h.CSVHeader))
	for i := range n {
		for c, name := range h.CSVHeader {
			switch name {
			case "cognito:username":
				row[c] = fmt.Sprintf("user%07d", i)
			case "cognito:mfa_enabled":
				row[c] = "false"
			case "email":
				row[c] = fmt.Sprintf("user%07d@example.com", i)
			case "email_verified":
				row[c] = "true"
			case "given_name":
				row[c] = "Given"
			case "family_name":
				row[c] = fmt.Sprintf("Family%d", i)
			default:
				row[c] = ""
			}
		}
		b.WriteString(strings.Join(row, ",") + "\n")
	}
	return []byte(b.String())
}

// startImport creates a job, uploads data through its PreSignedUrl's signature and starts it.
func startImport(t testing.TB, svc *userpool.Service, pool string, data []byte) string {
	t.Helper()
	j, err := svc.CreateUserImportJob(ctx, &userpool.CreateUserImportJobRequest{UserPoolId: &pool, JobName: ptr("j"),
		CloudWatchLogsRoleArn: ptr("arn:aws:iam::000000000000:role/logs")})
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(*j.UserImportJob.PreSignedUrl)
	if err != nil {
		t.Fatal(err)
	}
	id := *j.UserImportJob.JobId
	if err := svc.UploadImportFile(ctx, pool, id, u.Query().Get(userpool.UploadSignatureParam), data); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.StartUserImportJob(ctx, &userpool.StartUserImportJobRequest{UserPoolId: &pool, JobId: &id}); err != nil {
		t.Fatal(err)
	}
	return id
}

func describe(t testing.TB, svc *userpool.Service, pool, id string) *userpool.UserImportJobType {
	t.Helper()
	d, err := svc.DescribeUserImportJob(ctx, &userpool.DescribeUserImportJobRequest{UserPoolId: &pool, JobId: &id})
	if err != nil {
		t.Fatal(err)
	}
	return d.UserImportJob
}

// waitJob waits until the job leaves Pending and InProgress.
func waitJob(t testing.TB, svc *userpool.Service, pool, id string) *userpool.UserImportJobType {
	t.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		j := describe(t, svc, pool, id)
		switch *j.Status {
		case "Succeeded", "Failed", "Stopped":
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s still %s", id, *j.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestImportStopPending: a job stopped before it began ends Stopped and imports nobody,
// even when the runner gets to it afterwards.
func TestImportStopPending(t *testing.T) {
	f := newFixture(t, false)
	id := startImport(t, f.svc, f.pool, importCSV(t, f.svc, f.pool, 5))
	out, err := f.svc.StopUserImportJob(ctx, &userpool.StopUserImportJobRequest{UserPoolId: &f.pool, JobId: &id})
	if err != nil {
		t.Fatal(err)
	}
	if *out.UserImportJob.Status != "Stopped" || out.UserImportJob.CompletionDate.IsZero() {
		t.Fatalf("StopUserImportJob of a pending job answered %s at %v", *out.UserImportJob.Status, out.UserImportJob.CompletionDate)
	}
	runCtx, cancel := contextWithCancel()
	done := make(chan struct{})
	go func() { defer close(done); f.svc.RunImports(runCtx) }()
	// A second job after it runs: once it has ended, the runner has passed the first.
	next := startImport(t, f.svc, f.pool, importCSV(t, f.svc, f.pool, 0))
	waitJob(t, f.svc, f.pool, next)
	cancel()
	<-done
	if j := describe(t, f.svc, f.pool, id); *j.Status != "Stopped" || *j.ImportedUsers != 0 {
		t.Fatalf("the stopped job is %s with %d imported", *j.Status, *j.ImportedUsers)
	}
	if _, err := f.svc.AdminGetUser(ctx, &userpool.AdminGetUserRequest{UserPoolId: &f.pool, Username: ptr("user0000000")}); err == nil {
		t.Fatal("a stopped job imported a user")
	}
}

// TestImportInterruptedByShutdown: a job queued when the runner stops ends Failed, saying why.
func TestImportInterruptedByShutdown(t *testing.T) {
	f := newFixture(t, false)
	id := startImport(t, f.svc, f.pool, importCSV(t, f.svc, f.pool, 3))
	runCtx, cancel := contextWithCancel()
	cancel()
	f.svc.RunImports(runCtx) // returns at once, ending what is queued
	j := describe(t, f.svc, f.pool, id)
	if *j.Status != "Failed" || !strings.Contains(*j.CompletionMessage, "interrupted") {
		t.Fatalf("a job queued at shutdown is %s: %q", *j.Status, *j.CompletionMessage)
	}
}

// cpuTime is the CPU time the process has used, user and system: under a loaded machine a
// steadier measure of cost than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkImport measures the import's rate into SQLite on a file (synchronous=FULL, as
// cognate serves), in users per second, against a baseline in the same run: the same users
// written by bare SaveUsers calls of the same batch size, which is the store's own bound.
// It reports users/s (wall clock) and CPU µs per user (steadier on a shared machine).
func BenchmarkImport(b *testing.B) {
	const n = 100000
	open := func(b *testing.B) (*sqlite.Store, *userpool.Service, string) {
		st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlite.DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		svc := userpool.New(st, userpool.Options{})
		p, err := svc.CreateUserPool(ctx, &userpool.CreateUserPoolRequest{PoolName: ptr("p"), AliasAttributes: []string{"email"}, AutoVerifiedAttributes: []string{"email"}})
		if err != nil {
			b.Fatal(err)
		}
		return st, svc, *p.UserPool.Id
	}
	b.Run("job", func(b *testing.B) {
		var perSec, cpuPer float64
		for b.Loop() {
			b.StopTimer()
			_, svc, pool := open(b)
			data := importCSV(b, svc, pool, n)
			runCtx, cancel := contextWithCancel()
			done := make(chan struct{})
			go func() { defer close(done); svc.RunImports(runCtx) }()
			b.StartTimer()
			began, cpu0 := time.Now(), cpuTime()
			id := startImport(b, svc, pool, data)
			j := waitJob(b, svc, pool, id)
			perSec = n / time.Since(began).Seconds()
			cpuPer = float64((cpuTime() - cpu0).Microseconds()) / n
			b.StopTimer()
			cancel()
			<-done
			if *j.ImportedUsers != n {
				b.Fatalf("imported %d of %d: %s", *j.ImportedUsers, n, *j.CompletionMessage)
			}
			b.StartTimer()
		}
		b.ReportMetric(perSec, "users/s")
		b.ReportMetric(cpuPer, "cpu-µs/user")
	})
	const size = 1000 // the job's batch
	b.Run("baseline-SaveUsers", func(b *testing.B) {
		var perSec, cpuPer float64
		for b.Loop() {
			b.StopTimer()
			st, _, pool := open(b)
			users := make([]*userpool.User, n)
			at := time.Now().UTC().Truncate(time.Microsecond)
			for i := range users {
				name := fmt.Sprintf("user%07d", i)
				sub := randomUUID()
				users[i] = &userpool.User{PoolID: pool, Key: name, Sub: sub,
					Aliases: []string{"email:" + name + "@example.com"}, Username: name, Status: userpool.StatusResetRequired, Enabled: true,
					Attributes: []userpool.Attribute{{Name: "sub", Value: sub},
						{Name: "given_name", Value: "Given"}, {Name: "family_name", Value: fmt.Sprintf("Family%d", i)},
						{Name: "email", Value: name + "@example.com"}, {Name: "email_verified", Value: "true"}},
					CreatedAt: at, ModifiedAt: at}
			}
			b.StartTimer()
			began, cpu0 := time.Now(), cpuTime()
			for i := 0; i < n; i += size {
				writes := make([]userpool.UserWrite, 0, size)
				for _, u := range users[i:min(i+size, n)] {
					writes = append(writes, userpool.UserWrite{User: u, New: true})
				}
				if err := st.SaveUsers(ctx, writes...); err != nil {
					b.Fatal(err)
				}
			}
			perSec = n / time.Since(began).Seconds()
			cpuPer = float64((cpuTime() - cpu0).Microseconds()) / n
		}
		b.ReportMetric(perSec, "users/s")
		b.ReportMetric(cpuPer, "cpu-µs/user")
	})
}

func contextWithCancel() (context.Context, context.CancelFunc) { return context.WithCancel(ctx) }

// randomUUID is a version 4 UUID, as the job draws for each user's sub: random keys are
// what the sub index really gets.
func randomUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
