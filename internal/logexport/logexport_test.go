package logexport

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestPath(t *testing.T) {
	d := &Dir{Root: "/r"}
	for arn, want := range map[string]string{
		"arn:aws:logs:us-east-1:000000000000:log-group:example":           "/r/logs/log-group:example.jsonl",
		"arn:aws:logs:us-east-1:000000000000:log-group:/aws/vendedlogs/x": "/r/logs/log-group:%2Faws%2Fvendedlogs%2Fx.jsonl",
		"arn:aws:s3:::amzn-s3-demo-logging-bucket":                        "/r/s3/amzn-s3-demo-logging-bucket.jsonl",
		"arn:aws:firehose:us-west-2:123456789012:deliverystream/example":  "/r/firehose/deliverystream%2Fexample.jsonl",
		"arn:aws:s3:::..": "/r/s3/...jsonl",
	} {
		got, err := d.Path(arn)
		if err != nil || got != want {
			t.Errorf("Path(%q) = %q, %v; want %q", arn, got, err, want)
		}
	}
	for _, bad := range []string{"", "arn:aws", "nope:aws:s3:::b", "arn:aws::::x", "arn:aws:s3:::"} {
		if p, err := d.Path(bad); err == nil {
			t.Errorf("Path(%q) = %q, want an error", bad, p)
		}
	}
}

// TestWriteLogEventAppendsWholeLines writes from many goroutines at once and reads back
// every line whole.
func TestWriteLogEventAppendsWholeLines(t *testing.T) {
	d := &Dir{Root: t.TempDir()}
	arn := "arn:aws:logs:us-east-1:000000000000:log-group:g"
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			if err := d.WriteLogEvent(t.Context(), arn, []byte(`{"n":"`+strings.Repeat("x", i)+`"}`)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	b, err := os.ReadFile(filepath.Join(d.Root, "logs", "log-group:g.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 50 {
		t.Fatalf("%d lines, want 50", len(lines))
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, `{"n":"`) || !strings.HasSuffix(l, `"}`) {
			t.Fatalf("line %q is not whole", l)
		}
	}
	if err := (&Dir{}).WriteLogEvent(t.Context(), arn, []byte("{}")); err == nil {
		t.Error("a Dir without a root wrote")
	}
}
