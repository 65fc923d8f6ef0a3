package main

// cognate's Lambda triggers against serverless-offline (npm, test/js/package.json): a
// Lambda Invoke API that is not ours, running Node.js handlers as an app writes them
// (test/js/serverless). It proves the Invoke API path works with a third-party local
// Lambda unchanged; serverless-offline does not check SigV4 signatures, so that check is
// the function server's of trigger_e2e_test.go.

import (
	"bufio"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// slsArn is the ARN prefix test/js/serverless/serverless.yml names its functions with.
const slsArn = "arn:aws:lambda:us-east-1:123456789012:function:offline-"

// startServerlessOffline runs `serverless offline start` on the service of test/js/serverless
// and returns its Lambda endpoint once it says it listens. It is stopped at the test's end.
func startServerlessOffline(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	requirePeer(t, "node", err == nil, "node not installed")
	cli, _ := filepath.Abs(filepath.Join(jsDir, "node_modules", "serverless", "bin", "serverless.js"))
	_, err = os.Stat(cli)
	requirePeer(t, "node", err == nil, "serverless not installed in test/js: run npm ci --prefix test/js")
	_, err = os.Stat(filepath.Join(jsDir, "node_modules", "serverless-offline"))
	requirePeer(t, "node", err == nil, "serverless-offline not installed in test/js: run npm ci --prefix test/js")

	ports := freePorts(t, 3) // Lambda, and the HTTP and WebSocket servers it would also open
	cmd := exec.Command(node, cli, "offline", "start", "--host", "127.0.0.1", "--lambdaPort", ports[0],
		"--httpPort", ports[1], "--websocketPort", ports[2])
	cmd.Dir = filepath.Join(jsDir, "serverless")
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !strings.HasPrefix(k, "AWS_") && !strings.HasPrefix(k, "SLS_") && !strings.HasPrefix(k, "NODE_") {
			env = append(env, kv)
		}
	}
	// No telemetry, notifications or update checks: nothing leaves the machine.
	cmd.Env = append(env, "SLS_TELEMETRY_DISABLED=1", "SLS_NOTIFICATIONS_MODE=off", "SLS_DEPRECATION_DISABLE=*")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("serverless offline: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	endpoint := "http://127.0.0.1:" + ports[0]
	ready, done := make(chan struct{}), make(chan struct{})
	var seen strings.Builder // what it said before it listened; read once done is closed
	go func() {
		defer close(done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, "listening on "+endpoint) {
				close(ready)
				for sc.Scan() { // keep draining, so that it never blocks on a full pipe
				}
				return
			}
			seen.WriteString(line + "\n")
		}
	}()
	select {
	case <-ready:
		return endpoint
	case <-done:
	case <-time.After(90 * time.Second):
		cmd.Process.Kill()
		<-done
	}
	t.Fatalf("serverless offline did not listen on %s:\n%s", endpoint, seen.String())
	return ""
}

// freePorts returns n ports nothing listens on now, on the loopback address.
func freePorts(t *testing.T, n int) []string {
	t.Helper()
	var ports []string
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, strconv.Itoa(l.Addr().(*net.TCPAddr).Port))
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// TestServerlessOffline: the UserMigration_ForgotPassword story and a CustomMessage reword,
// through serverless-offline's Invoke API: a legacy user is migrated by a Node.js handler
// with the ClientMetadata's name, the recovery email is the handler's with the code in, the
// reset and the sign-in work; a handler that throws is UserLambdaValidationException with
// its message, and creates nobody.
func TestServerlessOffline(t *testing.T) {
	endpoint := startServerlessOffline(t)
	s := startServer(t, "--lambda-endpoint", endpoint, "--lambda-access-key-id", fnKeyID, "--lambda-secret-access-key", fnSecret)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, fnLambda(&types.LambdaConfigType{
		UserMigration: aws.String(slsArn + "migrate"), CustomMessage: aws.String(slsArn + "message")}))

	_, err := p.forgot("blocked")
	wantCodeMsg(t, err, "UserLambdaValidationException", "UserMigration failed with error legacy account is blocked.")
	_, err = s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(p.id), Username: aws.String("blocked")})
	wantCode(t, err, "UserNotFoundException")

	ctx, cancel := context.WithTimeout(bg, time.Minute)
	defer cancel()
	out := must(s.Client.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: aws.String(p.client), Username: aws.String("legacy-ann"),
		ClientMetadata: map[string]string{"given_name": "Ann", "brand": "Acme"}}))(t)
	recWantDelivery(t, out.CodeDeliveryDetails, nil, recEmail("l***@e***"))
	m := p.recoveryMessages(t, "legacy-ann")[0]
	code := regexp.MustCompile(`code is ([0-9]{6})\.`).FindStringSubmatch(m.Body)
	if m.Subject != "Acme: reset your password" || code == nil || !strings.HasSuffix(m.Body, "(CustomMessage_ForgotPassword)") ||
		m.ShapedBy != "CustomMessage" {
		t.Fatalf("recovery message %+v", m)
	}
	if err := p.confirm("legacy-ann", code[1], recNewPassword); err != nil {
		t.Fatalf("ConfirmForgotPassword: %v", err)
	}
	if _, err := p.signIn("legacy-ann", recNewPassword); err != nil {
		t.Fatalf("sign-in of the migrated user: %v", err)
	}
	got := attrMap(getUser(t, s.Client, p.id, "legacy-ann").UserAttributes)
	if got["email"] != "legacy-ann@example.com" || got["email_verified"] != "true" || got["given_name"] != "Ann" {
		t.Errorf("migrated attributes %v", got)
	}
}
