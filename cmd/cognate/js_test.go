package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// jsDir is the Node.js project of the JavaScript client tests, from this package's directory.
const jsDir = "../../test/js"

// TestJSClients runs test/js/*.test.mjs under `node --test` against a real server: the
// JavaScript clients people use with Cognito — amazon-cognito-identity-js with its default
// USER_SRP_AUTH sign-in and its remembered devices (DEVICE_SRP_AUTH, with Amplify JS v6 too, and in place of a TOTP step), the AWS SDK for JavaScript v3, Amplify JS v6 (choice-based sign-in,
// autoSignIn, resetPassword, TOTP set-up and sign-in, SMS MFA, email one-time codes), and aws-jwt-verify checking the tokens against cognate's JWKS,
// CognitoJwtVerifier against a second server run with --token-issuer aws — work with only the
// endpoint changed. The packages are those of
// test/js/package-lock.json, installed with `npm ci --prefix test/js`.
func TestJSClients(t *testing.T) {
	t.Parallel()
	node, err := exec.LookPath("node")
	requirePeer(t, "node", err == nil, "node not installed")
	_, err = os.Stat(filepath.Join(jsDir, "node_modules"))
	requirePeer(t, "node", err == nil, "test/js/node_modules missing: run npm ci --prefix test/js")

	// The explicit file list, not the directory: Node 20 takes a directory but Node 22 reads
	// its arguments as globs.
	matches, err := filepath.Glob(filepath.Join(jsDir, "*.test.mjs"))
	if err != nil || len(matches) == 0 {
		t.Fatalf("no %s/*.test.mjs (err %v)", jsDir, err)
	}
	var files []string // relative to the repository root, where node runs
	for _, m := range matches {
		files = append(files, "test/js/"+filepath.Base(m))
	}

	s := startServer(t)
	awsIssuer := startServer(t, "--token-issuer", "aws") // for aws-jwt-verify's CognitoJwtVerifier
	// For triggers.test.mjs: a server whose PreTokenGeneration V2_0 function adds a claim and
	// a scope to the access token and removes the group "legacy".
	fn := newFnServer(t, func(c fnCall) fnAnswer {
		groups := []string{}
		gc, _ := fnRequest(c)["groupConfiguration"].(map[string]any)
		for _, g := range gc["groupsToOverride"].([]any) {
			if g != "legacy" {
				groups = append(groups, g.(string))
			}
		}
		return fnAnswer{Response: map[string]any{"claimsAndScopeOverrideDetails": map[string]any{
			"accessTokenGeneration": map[string]any{"claimsToAddOrOverride": map[string]any{"tenant": "acme"}, "scopesToAdd": []string{"orders/read"}},
			"groupOverrideDetails":  map[string]any{"groupsToOverride": groups}}}}
	})
	triggers := startServer(t, append(fn.Flags(), "--token-issuer", "aws")...)

	// A bound for a hung client, not a measure of speed: on a loaded machine the files take
	// minutes (six of them now, each its own node process).
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{"--test"}, files...)...)
	cmd.Dir = "../.."
	// The machine's environment less anything that could point the SDK elsewhere or change
	// what the server URL is; the script sets its own credentials and region.
	env := []string{"COGNATE_URL=" + s.URL, "COGNATE_AWS_URL=" + awsIssuer.URL,
		"COGNATE_TRIGGER_URL=" + triggers.URL, "COGNATE_TRIGGER_ARN=" + fnArnPrefix + "pre-token",
		"COGNATE_FN_URL=" + fn.URL, "COGNATE_KMS_KEY=" + fnKMSKey}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "AWS_") || strings.HasPrefix(k, "COGNATE_") || strings.HasPrefix(k, "NODE_") {
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = env
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("node --test did not finish within 6 minutes:\n%s", out)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		t.Fatalf("node --test %s exited %d:\n%s", strings.Join(files, " "), exit.ExitCode(), out)
	}
	if err != nil {
		t.Fatalf("node --test: %v\n%s", err, out)
	}
	t.Logf("node --test %s:\n%s", strings.Join(files, " "), out)
	if calls := fn.Calls(t); len(calls) == 0 {
		t.Errorf("the PreTokenGeneration function was never invoked")
	}
	// The KMS calls, on the server side, for each of triggers.test.mjs's two secrets (a
	// recovery code, an invitation's temporary password): cognate's GenerateDataKey under the
	// pool's key, then the sender's Decrypt of the data key it made.
	var ops []string
	for _, c := range fn.KMSCalls() {
		if c.KeyID != fnKMSKey {
			t.Errorf("KMS %s of key %q, want %q", c.Op, c.KeyID, fnKMSKey)
		}
		ops = append(ops, c.Op)
	}
	if !slices.Equal(ops, []string{"GenerateDataKey", "Decrypt", "GenerateDataKey", "Decrypt"}) {
		t.Errorf("KMS calls %v, want GenerateDataKey then Decrypt, twice", ops)
	}
}
