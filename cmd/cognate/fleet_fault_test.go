package main

import (
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"cognate/internal/postgres/pgtest"
)

// pgProxy forwards TCP connections to PostgreSQL until it is cut: then it closes every
// connection and refuses new ones, as a database that went away does, until it is restored
// on the same port. It lets a test take the database away from one server without
// restarting a PostgreSQL that other tests share.
type pgProxy struct {
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
}

func startPGProxy(t *testing.T, target string) *pgProxy {
	t.Helper()
	p := &pgProxy{target: target, conns: map[net.Conn]bool{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *pgProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.forward(c)
		}
	}()
}

func (p *pgProxy) forward(c net.Conn) {
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.ln == nil {
		p.mu.Unlock()
		c.Close()
		up.Close()
		return
	}
	p.conns[c], p.conns[up] = true, true
	p.mu.Unlock()
	go func() { io.Copy(up, c); up.Close() }()
	io.Copy(c, up)
	c.Close()
}

// cut closes the listener and every connection.
func (p *pgProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// restore listens again on the same port.
func (p *pgProxy) restore(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatalf("listening again on %s: %v", p.addr, err)
	}
	p.serve(ln)
}

// TestDatabaseAway takes PostgreSQL away from a running server: requests answer
// InternalErrorException quickly (no hang, no crash) while it is away, and succeed again
// on their own within 5 s of its return, with everything acknowledged before still there.
func TestDatabaseAway(t *testing.T) {
	dsn := pgtest.Schema(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy := startPGProxy(t, u.Host)
	u.Host = proxy.addr
	s := startServer(t, "--store", u.String(), "--secret-key-file", testSecretKey(t), "--pg-max-conns", "4")
	pool := createPool(t, s.Client, &cip.CreateUserPoolInput{PoolName: aws.String("away")})
	describe := func() error {
		_, err := s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
		return err
	}
	if err := describe(); err != nil {
		t.Fatal(err)
	}

	proxy.cut()
	for i := range 5 {
		start := time.Now()
		err := describe()
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("request %d with the database away took %v", i, took)
		}
		if !isCode(err, "InternalErrorException") {
			t.Fatalf("request %d with the database away: %v, want InternalErrorException", i, err)
		}
	}

	proxy.restore(t)
	back := time.Now()
	for {
		err := describe()
		if err == nil {
			break
		}
		if !isCode(err, "InternalErrorException") {
			t.Fatalf("after the database returned: %v", err)
		}
		if time.Since(back) > 5*time.Second {
			t.Fatalf("requests still fail %v after the database returned: %v", time.Since(back), err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("requests succeed again %v after the database returned", time.Since(back).Round(time.Millisecond))
	if strings.Contains(s.stderr.String(), "panic") {
		t.Errorf("the server log shows a panic:\n%s", s.stderr.String())
	}
}
