package main

// The recovery flow through the real AWS CLI (spec Appendix E: the calls of the CLI's own
// examples), against a test server: what it prints, what it exits with, and that its retries
// of LimitExceededException (spec §0, "Client retries") do not count against the user.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

// recCLI runs the AWS CLI against a test server.
type recCLI struct {
	bin string
	url string
	env []string
}

// awsCLIs are the AWS CLIs of the machine to test with, by name: the aws on PATH (on these
// machines, v1 from pip) and Debian's awscli package (v2) where it is installed beside it.
func awsCLIs(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	path, err := exec.LookPath("aws")
	requirePeer(t, "awscli", err == nil, "aws CLI not installed")
	out["path"] = path
	if deb := "/usr/bin/aws"; deb != path {
		if _, err := os.Stat(deb); err == nil {
			out["debian"] = deb
		}
	}
	return out
}

// newRecCLI skips the test when the aws command is missing (failing instead when
// COGNATE_TEST_REQUIRE lists awscli) and returns a CLI that sees nothing of the machine's
// AWS configuration: a fresh HOME, empty config and credentials files, static credentials
// and a region in the environment. Retries are in botocore's "standard" mode, the AWS CLI
// v2 default, which retries LimitExceededException (spec §0); CLI v1's default "legacy" mode
// would not retry it for cognito-idp.
func newRecCLI(t *testing.T, bin, url string) *recCLI {
	t.Helper()
	dir := t.TempDir()
	config, creds := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	for _, f := range []string{config, creds} {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{
		"HOME=" + t.TempDir(),
		"AWS_ACCESS_KEY_ID=test",
		"AWS_SECRET_ACCESS_KEY=test",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=" + config,
		"AWS_SHARED_CREDENTIALS_FILE=" + creds,
		"AWS_PAGER=",
		"AWS_RETRY_MODE=standard",
		"AWS_MAX_ATTEMPTS=3",
	}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "AWS_") || strings.HasPrefix(k, "COGNATE_") || k == "HOME" {
			continue
		}
		env = append(env, kv)
	}
	return &recCLI{bin: bin, url: url, env: env}
}

// run runs "aws --endpoint-url URL --output json cognito-idp args..." and returns its
// stdout, stderr and exit code.
func (c *recCLI) run(t *testing.T, args ...string) (stdout, stderr string, exit int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.bin, append([]string{"--endpoint-url", c.url, "--output", "json", "cognito-idp"}, args...)...)
	cmd.Env = c.env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		exit = exitErr.ExitCode()
	case err != nil:
		t.Fatalf("aws %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), errOut.String(), exit
}

// forgot runs forgot-password and, when it succeeds, returns its output parsed.
func (c *recCLI) forgot(t *testing.T, p *recPool, username string, extra ...string) (out map[string]any, stderr string, exit int) {
	t.Helper()
	stdout, stderr, exit := c.run(t, append([]string{"forgot-password", "--client-id", p.client, "--username", username}, extra...)...)
	if exit != 0 {
		return nil, stderr, exit
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("forgot-password printed no JSON object: %v\n%s", err, stdout)
	}
	return out, stderr, 0
}

// confirm runs confirm-forgot-password.
func (c *recCLI) confirm(t *testing.T, p *recPool, username, code, password string) (stdout, stderr string, exit int) {
	t.Helper()
	return c.run(t, "confirm-forgot-password", "--client-id", p.client, "--username", username,
		"--confirmation-code", code, "--password", password)
}

// recCLIDelivery is forgot-password's output for jane@example.com, exactly.
var recCLIDelivery = map[string]any{"CodeDeliveryDetails": map[string]any{
	"Destination": "j***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email",
}}

// TestRecoveryCLI runs forgot-password and confirm-forgot-password with the real AWS CLI.
func TestRecoveryCLI(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	for name, bin := range awsCLIs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			recoveryCLI(t, s, newRecCLI(t, bin, s.URL))
		})
	}
}

// recoveryCLI runs the recovery story through one AWS CLI.
func recoveryCLI(t *testing.T, s *testServer, cli *recCLI) {
	legacy := types.PreventUserExistenceErrorTypesLegacy

	t.Run("forgot_then_confirm", func(t *testing.T) {
		t.Parallel()
		p := newRecPool(t, s, legacy, nil)
		p.jane(t)
		out, stderr, exit := cli.forgot(t, p, "jane")
		if exit != 0 {
			t.Fatalf("forgot-password exited %d: %s", exit, stderr)
		}
		if diff := cmp.Diff(recCLIDelivery, out); diff != "" {
			t.Errorf("forgot-password output (-want +got):\n%s", diff)
		}
		stdout, stderr, exit := cli.confirm(t, p, "jane", p.code(t, "jane"), recNewPassword)
		if exit != 0 || stdout != "" || stderr != "" {
			t.Fatalf("confirm-forgot-password: exit %d, stdout %q, stderr %q; want exit 0 and no output", exit, stdout, stderr)
		}
		if _, err := p.signIn("jane", recNewPassword); err != nil {
			t.Errorf("the password set by the CLI does not sign in: %v", err)
		}
	})

	t.Run("wrong_code", func(t *testing.T) {
		t.Parallel()
		p := newRecPool(t, s, legacy, nil)
		p.jane(t)
		if _, stderr, exit := cli.forgot(t, p, "jane"); exit != 0 {
			t.Fatalf("forgot-password exited %d: %s", exit, stderr)
		}
		_, stderr, exit := cli.confirm(t, p, "jane", recOtherCode(p.code(t, "jane")), recNewPassword)
		const want = "An error occurred (CodeMismatchException) when calling the ConfirmForgotPassword operation: " +
			"Invalid verification code provided, please try again."
		if exit == 0 || !strings.Contains(stderr, want) {
			t.Errorf("confirm-forgot-password with a wrong code: exit %d, stderr %q; want a non-zero exit and %q", exit, stderr, want)
		}
	})

	t.Run("limit_not_counted_twice_by_retries", func(t *testing.T) {
		t.Parallel()
		p := newRecPool(t, s, legacy, nil)
		p.jane(t)
		// A fresh user reaches the limit after exactly five successful requests, and the
		// CLI's retries of the refusals change nothing: no request counted, no code sent.
		round := func(n int) {
			t.Helper()
			for i := range 5 {
				if out, stderr, exit := cli.forgot(t, p, "jane"); exit != 0 {
					t.Fatalf("round %d, forgot-password %d exited %d: %s", n, i+1, exit, stderr)
				} else if diff := cmp.Diff(recCLIDelivery, out); diff != "" {
					t.Errorf("round %d, forgot-password %d output (-want +got):\n%s", n, i+1, diff)
				}
			}
			_, stderr, exit := cli.forgot(t, p, "jane", "--debug")
			const want = "Attempt limit exceeded, please try after some time."
			if exit == 0 || !strings.Contains(stderr, "(LimitExceededException)") || !strings.Contains(stderr, want) {
				t.Fatalf("round %d, the sixth forgot-password: exit %d; want a non-zero exit with LimitExceededException: %s\nstderr:\n%s",
					n, exit, want, recTail(stderr, 40))
			}
			// The test means something only if the CLI did retry.
			if sent := strings.Count(stderr, "Sending http request:"); sent < 2 {
				t.Fatalf("round %d: the CLI sent the refused request %d time(s), want it retried (AWS_RETRY_MODE=standard)\nstderr:\n%s",
					n, sent, recTail(stderr, 40))
			}
			t.Logf("round %d: the CLI sent the refused request %d times", n, strings.Count(stderr, "Sending http request:"))
			_, err := p.forgot("jane")
			wantErr[*types.LimitExceededException](t, err, want)
			if got := len(p.recoveryMessages(t, "jane")); got != 5*n {
				t.Errorf("round %d: %d recovery messages, want %d", n, got, 5*n)
			}
		}
		round(1)
		// The newest code still works (the refused requests issued none), and a success
		// clears the count: exactly five requests again.
		if stdout, stderr, exit := cli.confirm(t, p, "jane", p.code(t, "jane"), recNewPassword); exit != 0 || stdout != "" {
			t.Fatalf("confirm-forgot-password after the limit: exit %d, stdout %q, stderr %q", exit, stdout, stderr)
		}
		round(2)
	})
}

// recTail is the last n lines of s.
func recTail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
