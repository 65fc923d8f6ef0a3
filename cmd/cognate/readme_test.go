package main

// The README's sections on the recovery commands and the test controls, run as written
// against real servers, so that they cannot drift from what cognate does.

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// documentedURL is the address the README's examples use; the tests replace it.
const documentedURL = "http://127.0.0.1:9229"

// cleanEnv is the machine's environment less what could point a client elsewhere.
func cleanEnv(t *testing.T) []string {
	env := []string{"HOME=" + t.TempDir(), "AWS_PAGER="}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "AWS_") || strings.HasPrefix(k, "COGNATE_") || k == "HOME" || k == "PATH" {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// TestReadmeReset runs the tour and then the "reset a password from the command line"
// block, with a cognate built from this tree on PATH.
func TestReadmeReset(t *testing.T) {
	t.Parallel()
	_, err := exec.LookPath("aws")
	requirePeer(t, "awscli", err == nil, "aws CLI not installed")
	_, err = exec.LookPath("curl")
	requirePeer(t, "curl", err == nil, "curl not installed")
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build cognate with")
	}
	bin := t.TempDir()
	if out, err := exec.Command(goTool, "build", "-o", filepath.Join(bin, "cognate"), ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	script := readmeBlock(t, tourHeading) + readmeBlock(t, "## Reset a password from the command line")
	s := startServer(t)
	script = strings.ReplaceAll(script, documentedURL, s.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	cmd.Env = append(cleanEnv(t), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the README's reset failed: %v\noutput:\n%s", err, out)
	}
	for _, want := range []string{`"DeliveryMedium": "EMAIL"`, "|  Destination     |  j***@e***  |"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the output does not show %q:\n%s", want, out)
		}
	}
}

// TestReadmeTestControls runs the README's boto3 tests of the test controls against a server
// started as the section says.
func TestReadmeTestControls(t *testing.T) {
	t.Parallel()
	python, err := exec.LookPath("python3")
	if err == nil {
		err = exec.Command(python, "-c", "import boto3").Run()
	}
	requirePeer(t, "boto3", err == nil, "python3 with boto3 not installed")

	blocks := readmeBlocks(t, "## Test controls (emulator mode)", "python")
	if len(blocks) != 4 {
		t.Fatalf("%d python blocks under the test controls, want the setup and one per control", len(blocks))
	}
	s := startServer(t, "--fixed-code", "123456")
	program := strings.ReplaceAll(strings.Join(blocks, "\n"), documentedURL, s.URL) + `
ran = []
for name, f in list(globals().items()):
    if name.startswith("test_") and callable(f):
        f()
        ran.append(name)
print("ran", " ".join(ran))
`
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-c", program)
	cmd.Env = append(cleanEnv(t), "PATH="+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the README's boto3 tests failed: %v\n%s", err, out)
	}
	if want := "ran test_each_test_starts_with_no_users test_reset_with_the_fixed_code test_the_code_expires_after_an_hour"; !strings.Contains(string(out), want) {
		t.Errorf("output %q, want %q", out, want)
	}
}

// TestOperationsDocumentsEveryFlag checks that docs/OPERATIONS.md names every flag of
// cognate serve.
func TestOperationsDocumentsEveryFlag(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "OPERATIONS.md"))
	if err != nil {
		t.Fatal(err)
	}
	var help strings.Builder
	if _, err := parseConfig("serve", []string{"-h"}, noEnv, &help); err == nil {
		t.Fatal("serve -h did not stop")
	}
	for _, line := range strings.Split(help.String(), "\n") {
		if name, ok := strings.CutPrefix(line, "  -"); ok {
			name, _, _ = strings.Cut(name, " ")
			if !strings.Contains(string(doc), "`--"+name) {
				t.Errorf("docs/OPERATIONS.md does not document --%s", name)
			}
		}
	}
}
