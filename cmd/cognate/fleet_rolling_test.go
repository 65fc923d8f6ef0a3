package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// roundRobin is the load balancer of the rolling-restart test, as an SDK HTTP client. It
// checks each backend's /readyz every 20 ms, as load balancers check health, and sends each
// request to the next ready backend in turn, over a new connection. A backend that cannot
// be connected to (an instance restarting) is passed over for the next, as load balancers
// do with an upstream that refuses connections: nothing reached it, so the retry cannot do
// anything twice. A request that reached a backend is never retried.
type roundRobin struct {
	backends []string // host:port
	ready    []atomic.Bool
	next     atomic.Uint64
	http     *http.Client
}

func newRoundRobin(t *testing.T, urls []string) *roundRobin {
	rr := &roundRobin{http: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}, ready: make([]atomic.Bool, len(urls))}
	done := make(chan struct{})
	var wg sync.WaitGroup
	t.Cleanup(func() { close(done); wg.Wait() })
	check := &http.Client{Timeout: 200 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	for i, u := range urls {
		p, _ := url.Parse(u)
		rr.backends = append(rr.backends, p.Host)
		rr.ready[i].Store(true)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				resp, err := check.Get(u + "/readyz")
				if err == nil {
					resp.Body.Close()
				}
				rr.ready[i].Store(err == nil && resp.StatusCode == http.StatusOK)
				select {
				case <-done:
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		}()
	}
	return rr
}

// pick is the next ready backend (the next one, when none is ready).
func (rr *roundRobin) pick() int {
	n := uint64(len(rr.backends))
	start := rr.next.Add(1) - 1
	for k := range n {
		if i := int((start + k) % n); rr.ready[i].Load() {
			rr.next.Store(start + k + 1)
			return i
		}
	}
	return int(start % n)
}

func (rr *roundRobin) Do(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	var err error
	for range rr.backends {
		r := req.Clone(req.Context())
		i := rr.pick()
		r.URL.Host = rr.backends[i]
		r.Host = r.URL.Host
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		var resp *http.Response
		resp, err = rr.http.Do(r)
		var op *net.OpError
		if err != nil && errors.As(err, &op) && op.Op == "dial" {
			rr.ready[i].Store(false)
			continue
		}
		return resp, err
	}
	return nil, err
}

// TestFleetRollingRestart restarts each of three server processes in turn (SIGTERM, with
// --shutdown-delay, then a start on the same address) while clients keep writing and reading
// users through a round-robin balancer: no request fails, and every acknowledged write is
// there at the end.
func TestFleetRollingRestart(t *testing.T) {
	const delay = "--shutdown-delay=300ms" // 15 of the balancer's checks
	f := startFleet(t, 3, "--log-level", "info", delay)
	var urls []string
	for _, s := range f.servers {
		urls = append(urls, s.URL)
	}
	rr := newRoundRobin(t, urls)
	client := cip.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")},
		func(o *cip.Options) {
			o.BaseEndpoint = aws.String(urls[0])
			o.RetryMaxAttempts = 1
			o.HTTPClient = rr
		})
	pool := createPool(t, client, &cip.CreateUserPoolInput{PoolName: aws.String("rolling")})
	const workers = 6
	for w := range workers {
		createUser(t, client, pool, fmt.Sprintf("user%d", w))
	}

	var (
		stop     = make(chan struct{})
		wg       sync.WaitGroup
		ok       atomic.Int64
		mu       sync.Mutex
		failures []error
		last     = make([]int, workers) // the last acknowledged value of each user's name
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("user%d", w)
			for k := 1; ; k++ {
				select {
				case <-stop:
					return
				default:
				}
				_, err := client.AdminUpdateUserAttributes(bg, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(pool),
					Username: aws.String(name), UserAttributes: []types.AttributeType{{Name: aws.String("name"), Value: aws.String(fmt.Sprint(k))}}})
				if err == nil {
					last[w] = k
					_, err = client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String(name)})
				}
				if err != nil {
					mu.Lock()
					failures = append(failures, err)
					mu.Unlock()
					continue
				}
				ok.Add(2)
			}
		}()
	}
	// waitFor lets n more requests succeed: the load runs on each configuration.
	waitFor := func(n int64) {
		want := ok.Load() + n
		deadline := time.Now().Add(time.Minute)
		for ok.Load() < want && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFor(100)
	for i, s := range f.servers {
		host, _ := url.Parse(s.URL)
		s.Stop(t)
		waitFor(100) // two servers carry the load meanwhile
		restarted, err := launchProcess(t, f.args("--addr", host.Host, "--log-level", "info", delay)...)
		if err != nil {
			t.Fatalf("restarting server %d on %s: %v", i, host.Host, err)
		}
		f.servers[i] = restarted
		waitFor(100)
	}
	close(stop)
	wg.Wait()
	total := ok.Load() + int64(len(failures))
	if len(failures) > 0 {
		t.Fatalf("%d of %d requests failed during the rolling restart; the first: %v", len(failures), total, failures[0])
	}
	for w := range workers {
		u := getUser(t, f.servers[w%3].Client, pool, fmt.Sprintf("user%d", w))
		if got := attrMap(u.UserAttributes)["name"]; got != fmt.Sprint(last[w]) {
			t.Errorf("user%d's name is %q, want the last acknowledged %d", w, got, last[w])
		}
	}
	t.Logf("%d requests through 3 rolling restarts, none failed", total)
}
