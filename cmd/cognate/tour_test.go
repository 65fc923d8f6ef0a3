package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tourHeading is the README section whose shell block TestReadmeTour runs.
const tourHeading = "## A five-minute tour with the AWS CLI"

// readmeBlock returns the first ```sh block under the heading in the README.
func readmeBlock(t *testing.T, heading string) string {
	t.Helper()
	return readmeBlocks(t, heading, "sh")[0]
}

// readmeBlocks returns the ```lang blocks of the README's section under the heading, in order.
func readmeBlocks(t *testing.T, heading, lang string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var (
		inSection, inBlock bool
		block              strings.Builder
		blocks             []string
	)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case !inSection:
			inSection = strings.TrimSpace(line) == heading
		case inBlock && strings.TrimSpace(line) == "```":
			blocks, inBlock = append(blocks, block.String()), false
			block.Reset()
		case inBlock:
			block.WriteString(line + "\n")
		case strings.HasPrefix(line, "## "):
			inSection = false
		case strings.TrimSpace(line) == "```"+lang:
			inBlock = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(blocks) == 0 || inBlock {
		t.Fatalf("README.md: no complete ```%s block under %q", lang, heading)
	}
	return blocks
}

// TestReadmeTour runs the README's AWS CLI tour, as written, against a real server: the
// documentation is a test, so that it cannot drift from what cognate does.
func TestReadmeTour(t *testing.T) {
	t.Parallel()
	_, err := exec.LookPath("aws")
	requirePeer(t, "awscli", err == nil, "aws CLI not installed")
	_, err = exec.LookPath("curl")
	requirePeer(t, "curl", err == nil, "curl not installed")

	script := readmeBlock(t, tourHeading)
	if !strings.Contains(script, documentedURL) {
		t.Fatalf("the tour no longer uses %s; this test replaces it with the test server's URL", documentedURL)
	}
	s := startServer(t)
	script = strings.ReplaceAll(script, documentedURL, s.URL)

	// The environment of the machine, less anything that could point the AWS CLI elsewhere
	// or change how it signs: the block sets the credentials and region itself.
	env := append(cleanEnv(t), "PATH="+os.Getenv("PATH"))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the README tour failed: %v\nscript:\n%s\noutput:\n%s", err, script, out)
	}
	for _, want := range []string{`"tour"`, `"jane"`, `"FORCE_CHANGE_PASSWORD"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the tour's output does not mention %s:\n%s", want, out)
		}
	}
	// The last command reads the invitation from the built-in inbox.
	if !strings.Contains(string(out), `"Subject":"Your temporary password"`) {
		t.Errorf("the tour's output does not show the invitation read from the inbox:\n%s", out)
	}
}
