package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// slowConn stretches the two windows of the race: every Write returns 150ms after its bytes
// went out (the write loop descheduled after sending the body), and the answer is read 256
// bytes at a time, 20ms apart (a body still arriving when the write loop wakes up).
type slowConn struct{ net.Conn }

func (c slowConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	time.Sleep(150 * time.Millisecond)
	return n, err
}

func (c slowConn) Read(p []byte) (int, error) {
	if len(p) > 256 {
		p = p[:256]
	}
	n, err := c.Conn.Read(p)
	time.Sleep(20 * time.Millisecond)
	return n, err
}

// TestSDKClosedBodyRace reproduces the flake of issue 8 on purpose and shows its cure (see
// ownBodies). With writes that return late and an answer that comes in slowly (CreateUserPool
// answers a few kilobytes), the server answers while the write loop still holds the SDK's
// request body; the SDK closes that body once the answer's headers are in,
// the write loop's last read of it fails with io.EOF, and the connection is closed under the
// reader of a 200 answer: "use of closed network connection". The same client with ownBodies
// never fails. Should the SDK's own client stop failing here, smithy-go no longer closes the
// body early, and ownBodies can go.
func TestSDKClosedBodyRace(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	client := func(own bool) *cip.Client {
		cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
		return cip.NewFromConfig(cfg, func(o *cip.Options) {
			o.BaseEndpoint = aws.String(s.URL)
			o.RetryMaxAttempts = 1
			hc := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
				tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
					c, err := tracedDial(ctx, network, addr)
					return slowConn{c}, err
				}
			})
			o.HTTPClient = hc
			if own {
				o.HTTPClient = ownBodies{hc}
			}
		})
	}
	in := &cip.CreateUserPoolInput{PoolName: aws.String("race")}

	failed := 0
	sdk := client(false)
	for range 3 {
		if _, err := sdk.CreateUserPool(bg, in); err != nil {
			if !errors.Is(err, net.ErrClosed) {
				t.Fatalf("the SDK's own client failed otherwise than by the race: %v", err)
			}
			failed++
		}
	}
	t.Logf("the SDK's own client met the race in %d of 3 calls", failed)
	if failed == 0 {
		t.Errorf("the SDK's own client did not meet the race in 3 calls: has smithy-go stopped closing request bodies early? Then ownBodies can go")
	}
	own := client(true)
	for range 3 {
		must(own.CreateUserPool(bg, in))(t)
	}
}
