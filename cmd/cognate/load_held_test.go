package main

// Load held (issue 15, point 7): cognate as a child process on SQLite under an open-loop
// load from cmd/cognate-load — 100 ForgotPassword/s (70 alone, 30 as the first step of a
// recovery), 30 ConfirmForgotPassword/s and 10 sign-ins/s — for 3 minutes (30 in the soak
// tier), then ten times the confirm rate.

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"golang.org/x/crypto/argon2"

	"cognate/internal/userpool"
)

// loadHeld is how long TestLoadHeld holds the load: 3 minutes in CI, 30 in the soak tier.
var loadHeld = flag.Duration("load.held", soakOr(3*time.Minute, 30*time.Minute), "how long TestLoadHeld holds the load")

// loadForce runs TestLoadHeld's held load even on a machine without the cores for it.
var loadForce = flag.Bool("load.force", false, "hold TestLoadHeld's load even when the machine lacks the hashing capacity for it")

// loadQuietWait is how long TestLoadHeld waits for the machine to fall quiet before its held load.
var loadQuietWait = flag.Duration("load.quiet-wait", 5*time.Minute, "how long TestLoadHeld waits for other work to leave the cores before its held load")

const (
	// loadQuiet is the share of the cores others may use in a 3-second window for the
	// machine to count as quiet: the idle services of a machine use a percent or two.
	loadQuiet = 0.05
	// loadShared is the share of the cores others may use during the held load for its
	// latencies to count: the load itself uses about 65%.
	loadShared = 0.10
)

// loadHashes is how many password hashes a second the held load needs: a
// ConfirmForgotPassword hashes the new password, a sign-in verifies one.
const loadHashes = 30 + 10

// bareArgon2 measures how many argon2id hashes a second (cognate's parameters) the
// machine's cores make right now, one goroutine a core, for d.
func bareArgon2(d time.Duration) float64 {
	p := userpool.DefaultHashParams
	var n atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Since(start) < d {
				argon2.IDKey([]byte("load"), make([]byte, 16), p.Time, p.MemoryKiB, p.Threads, 32)
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds()
}

// loadLog logs a line of TestLoadHeld's and, where COGNATE_TEST_REPORT names a file, adds
// it there too: a passing test's log is not printed by go test ./..., and CI prints the
// file, so that its output says whether the held load was judged and what it measured.
func loadLog(t *testing.T, format string, args ...any) {
	t.Helper()
	t.Logf(format, args...)
	if path := os.Getenv("COGNATE_TEST_REPORT"); path != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			t.Errorf("COGNATE_TEST_REPORT: %v", err)
			return
		}
		defer f.Close()
		fmt.Fprintf(f, "%s: "+format+"\n", append([]any{t.Name()}, args...)...)
	}
}

// loadReport is the part of cognate-load's JSON report the test reads.
type loadReport struct {
	Ops []struct {
		Op     string         `json:"op"`
		Count  int            `json:"count"`
		OK     int            `json:"ok"`
		Rate   float64        `json:"okPerSecond"`
		P50    float64        `json:"p50Ms"`
		P99    float64        `json:"p99Ms"`
		Max    float64        `json:"maxMs"`
		Errors map[string]int `json:"errors"`
		Sample []string       `json:"errorSamples"`
	} `json:"ops"`
	PeakInFlight int64 `json:"peakInFlight"`
	Messages     struct {
		Accepted   int            `json:"acceptedForgotPassword"`
		Messages   int            `json:"recoveryMessages"`
		Mismatched int            `json:"usersMismatched"`
		Statuses   map[string]int `json:"statuses"`
	} `json:"messages"`
	RSSSeries struct {
		Samples []float64 `json:"samplesMiB"`
		MaxMiB  float64   `json:"maxMiB"`
	} `json:"serverRSSSeries"`
	RSS struct {
		PeakMiB float64 `json:"peakMiB"`
	} `json:"serverRSS"`
}

// loadTool builds cmd/cognate-load beside the cognate binary and returns its path.
func loadTool(t *testing.T) string {
	t.Helper()
	path := filepath.Join(filepath.Dir(cognateBinary(t)), "cognate-load")
	if _, err := os.Stat(path); err == nil {
		return path
	}
	if out, err := exec.Command("go", "build", "-o", path, "../cognate-load").CombinedOutput(); err != nil {
		t.Fatalf("go build cognate-load: %v\n%s", err, out)
	}
	return path
}

// runLoad runs cognate-load against s with the given flags and returns its report.
func runLoad(t *testing.T, s *testServer, flags ...string) *loadReport {
	t.Helper()
	args := append([]string{"--endpoint", s.URL, "--json", "--server-pid", strconv.Itoa(s.proc.cmd.Process.Pid)}, flags...)
	cmd := exec.Command(loadTool(t), args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("cognate-load %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	var r loadReport
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatalf("cognate-load's report: %v\n%s", err, stdout.String())
	}
	return &r
}

// loadAverage is the machine's load average, which the figures depend on.
func loadAverage() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// TestLoadHeld holds the load: no request fails, every operation's p99 is at most 250 ms,
// the inbox holds one recovery message per accepted ForgotPassword, and the server's
// resident memory stays bounded. Then ten times the confirm rate: the excess is refused
// with TooManyRequestsException (or queued), never a 5xx, a hang or a crash.
func TestLoadHeld(t *testing.T) {
	if testing.Short() {
		t.Skipf("holds a load for %v", *loadHeld)
	}
	s, err := launchProcess(t, "--addr", "127.0.0.1:0", "--store", filepath.Join(t.TempDir(), "cognate.db"),
		"--secret-key-file", testSecretKey(t), "--log-level", "warn")
	if err != nil {
		t.Fatal(err)
	}
	// The held load needs 40 hashes a second of cores that make 60 to 75 when they are
	// free; a p99 bound holds only on cores the server has. So the held part waits for the
	// machine to fall quiet (the other test binaries of `go test ./...` to finish), and is
	// not run where the cores stay shared or make too few hashes: it says so instead. The
	// overload part runs on any machine.
	pid := s.proc.cmd.Process.Pid
	f, quiet, err := waitForQuiet(3*time.Second, loadQuiet, time.Now().Add(*loadQuietWait), pid)
	if err != nil {
		t.Fatal(err)
	}
	rate := bareArgon2(2 * time.Second)
	switch {
	case !*loadForce && !quiet:
		loadLog(t, "held load not run: the machine stayed shared for %v (others used %.0f%% of its cores: %s)", *loadQuietWait, 100*f.share, f.top)
	case !*loadForce && rate < 1.25*loadHashes:
		loadLog(t, "held load not run: the cores make %.1f argon2id hashes/s now (load average %s), the load needs %d/s with 25%% headroom (-load.force runs it anyway)",
			rate, loadAverage(), loadHashes)
	default:
		loadLog(t, "bare argon2id on these cores: %.1f hashes/s; others used %.1f%% of the cores before the load", rate, 100*f.share)
		holdLoad(t, s)
	}
	overload(t, s)
}

// holdLoad is TestLoadHeld's held load and its checks.
func holdLoad(t *testing.T, s *testServer) {
	before := loadAverage()
	share, err := startCPUShare(s.proc.cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	r := runLoad(t, s, "--rate", "forgot=70,recover=30,auth=10", "--warmup", "10s", "--duration", loadHeld.String())
	f, err := share.stop()
	if err != nil {
		t.Fatal(err)
	}
	loadLog(t, "load average before %s, after %s; others used %.1f%% of the cores during the load (%s)", before, loadAverage(), 100*f.share, f.top)
	// Cores taken by others during the run void its latencies, and make a hash queue full
	// enough to refuse (the overload answer, TooManyRequestsException); a refused confirm
	// leaves its user's recovery undone, and the tool's next ForgotPassword for that user
	// may then find the hourly request budget spent (LimitExceededException). On such a
	// run these are reported, not judged; any other error still fails it.
	shared := f.share > loadShared && !*loadForce
	if shared {
		loadLog(t, "latency not judged: others took more than %.0f%% of the cores during the load", 100*loadShared)
	}
	for _, op := range r.Ops {
		loadLog(t, "%-34s %7d requests %8.1f ok/s  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms  errors %v",
			op.Op, op.Count, op.Rate, op.P50, op.P99, op.Max, op.Errors)
		failed := op.Count - op.OK
		if shared {
			failed -= op.Errors["TooManyRequestsException"] + op.Errors["LimitExceededException"]
		}
		if failed != 0 {
			t.Errorf("%s: %d of %d requests failed: %v, e.g. %v", op.Op, failed, op.Count, op.Errors, op.Sample)
		}
		if op.P99 > 250 && !shared {
			t.Errorf("%s: p99 %.1f ms, want at most 250 ms", op.Op, op.P99)
		}
	}
	m := r.Messages
	loadLog(t, "%d recovery messages for %d accepted ForgotPassword (%d users mismatched), statuses %v; at most %d arrivals in flight",
		m.Messages, m.Accepted, m.Mismatched, m.Statuses, r.PeakInFlight)
	if m.Accepted == 0 || m.Messages != m.Accepted || m.Mismatched != 0 || m.Statuses["delivered"] != m.Messages {
		t.Errorf("want exactly one delivered message per accepted ForgotPassword")
	}
	// Bounded: the last third of the run's samples peaks no higher than the first third's
	// peak by more than a quarter (and 32 MiB of slack for the heap's steps).
	rss := r.RSSSeries.Samples
	third := len(rss) / 3
	first, last := 0.0, 0.0
	for i, v := range rss {
		if i < third {
			first = max(first, v)
		}
		if i >= len(rss)-third {
			last = max(last, v)
		}
	}
	loadLog(t, "server RSS sampled %d times: first third at most %.1f MiB, last third at most %.1f MiB, peak %.1f MiB (VmHWM)",
		len(rss), first, last, r.RSS.PeakMiB)
	if third == 0 || last > first*1.25+32 {
		t.Errorf("server RSS grew from %.1f MiB to %.1f MiB over the run", first, last)
	}

}

// overload sends ten times the held load's confirm rate.
func overload(t *testing.T, s *testServer) {
	o := runLoad(t, s, "--rate", "recover=300", "--duration", "20s")
	refused := 0
	for _, op := range o.Ops {
		loadLog(t, "overload: %-34s %7d requests %8.1f ok/s  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms  errors %v",
			op.Op, op.Count, op.Rate, op.P50, op.P99, op.Max, op.Errors)
		for name, n := range op.Errors {
			switch name {
			case "TooManyRequestsException":
				refused += n
			case "LimitExceededException", "client":
				// A user's hourly budget spent, or no recovery user free for the tool to
				// send with (all in slow recoveries): not the server's failure.
			default:
				t.Errorf("overload: %s answered %s %d times, e.g. %v", op.Op, name, n, op.Sample)
			}
		}
		if op.Max > 30000 {
			t.Errorf("overload: a %s took %.1f s", op.Op, op.Max/1000)
		}
	}
	loadLog(t, "overload: %d refused with TooManyRequestsException; at most %d arrivals in flight; server RSS at most %.1f MiB",
		refused, o.PeakInFlight, o.RSSSeries.MaxMiB)
	if !s.alive() {
		t.Fatal("cognate exited under overload")
	}
	start := time.Now()
	if _, err := s.Client.ListUserPools(bg, &cip.ListUserPoolsInput{MaxResults: aws.Int32(1)}); err != nil {
		t.Errorf("after the overload: %v", err)
	}
	loadLog(t, "after the overload the server answered in %v", time.Since(start).Round(time.Millisecond))
}
