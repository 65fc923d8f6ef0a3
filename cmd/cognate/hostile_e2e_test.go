package main

// Hostile input at the edges (issue 15 point 8): slow clients, huge headers, bodies over
// 1 MiB, deeply nested JSON and thousands of connections each get a bounded answer in
// bounded time and memory, and the server keeps serving everyone else meanwhile. The
// helpers of this file are prefixed "ho".

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// hoAddr is the host:port a test server listens on.
func hoAddr(s *testServer) string {
	return strings.TrimPrefix(s.URL, "http://")
}

// hoStillServes checks that the server answers a plain API call at once.
func hoStillServes(t *testing.T, s *testServer, while string) {
	t.Helper()
	status, _, body := callRaw(t, s.URL, "ListUserPools", `{"MaxResults":1}`)
	if status != http.StatusOK {
		t.Fatalf("while %s, ListUserPools answered %d: %s", while, status, body)
	}
}

// hoRaw writes request bytes on a new connection and returns the status line of the
// answer (or the read error), with a deadline so that a server that never answers fails
// the test instead of hanging it.
func hoRaw(t *testing.T, s *testServer, write func(w io.Writer) error) string {
	t.Helper()
	c, err := net.Dial("tcp", hoAddr(s))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Minute))
	// The writer may be refused midway (the server answers and closes): the answer counts.
	go write(c)
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return "read: " + err.Error()
	}
	return strings.TrimSpace(line)
}

// TestHostileSlowHeadersAreCut: 200 clients that send their headers a byte at a time and
// never finish (slowloris) are cut off by the server's header read timeout (10 s), each
// connection closed by the server, while the server answers others at once.
func TestHostileSlowHeadersAreCut(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	const slow = 200
	var wg sync.WaitGroup
	closed := make(chan time.Duration, slow)
	start := time.Now()
	for range slow {
		c, err := net.Dial("tcp", hoAddr(s))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		wg.Add(2)
		go func() { // the slow writer: one byte of a header every 200 ms
			defer wg.Done()
			msg := "POST / HTTP/1.1\r\nHost: x\r\nX-Slow: " + strings.Repeat("a", 1000)
			for i := range len(msg) {
				if _, err := c.Write([]byte{msg[i]}); err != nil {
					return // the server has cut the connection
				}
				time.Sleep(200 * time.Millisecond)
			}
		}()
		go func() { // the reader waits for the server to close the connection
			defer wg.Done()
			c.SetReadDeadline(time.Now().Add(time.Minute))
			io.Copy(io.Discard, c)
			closed <- time.Since(start)
		}()
	}
	hoStillServes(t, s, fmt.Sprintf("%d clients dribble their headers", slow))
	wg.Wait()
	close(closed)
	var last time.Duration
	for d := range closed {
		last = max(last, d)
	}
	// Cut by the 10 s header timeout, well before the reader's minute: a server without
	// it would keep every one of them for 200 s (1000 bytes at 5 a second).
	if last > 30*time.Second {
		t.Errorf("the last slow client was cut off after %v, want about 10 s (the header read timeout)", last)
	}
	t.Logf("%d slowloris connections all closed by the server within %v", slow, last.Round(time.Millisecond))
}

// TestHostileHugeHeadersRefused: headers over the server's limit (1 MiB) are refused with
// 431 without being read to their end, and a header of a few kilobytes still works.
func TestHostileHugeHeadersRefused(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	got := hoRaw(t, s, func(w io.Writer) error {
		if _, err := io.WriteString(w, "POST / HTTP/1.1\r\nHost: x\r\n"); err != nil {
			return err
		}
		line := "X-Big: " + strings.Repeat("b", 64<<10) + "\r\n"
		for range 64 { // 4 MiB of headers
			if _, err := io.WriteString(w, line); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, "\r\n")
		return err
	})
	if !strings.Contains(got, "431") {
		t.Errorf("4 MiB of headers: %q, want 431 Request Header Fields Too Large", got)
	}
	hoStillServes(t, s, "after huge headers")
}

// TestHostileBodiesOverOneMiBRefused: an API body over 1 MiB is refused with 413
// RequestEntityTooLargeException, whether its length is declared or it streams (chunked,
// 64 MiB that the server must not read to the end); a hosted page's form over 64 KiB is
// refused too.
func TestHostileBodiesOverOneMiBRefused(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	status, _, body := callRaw(t, s.URL, "ListUserPools", `{"MaxResults":1,"X":"`+strings.Repeat("x", 1<<20)+`"}`)
	if code, _ := wireError(t, body); status != http.StatusRequestEntityTooLarge || code != "RequestEntityTooLargeException" {
		t.Errorf("a 1 MiB body: %d %s, want 413 RequestEntityTooLargeException", status, body)
	}
	start := time.Now()
	got := hoRaw(t, s, func(w io.Writer) error {
		head := "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n" +
			"X-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\nTransfer-Encoding: chunked\r\n\r\n"
		if _, err := io.WriteString(w, head); err != nil {
			return err
		}
		chunk := fmt.Sprintf("%x\r\n%s\r\n", 1<<20, strings.Repeat("[", 1<<20))
		for range 64 {
			if _, err := io.WriteString(w, chunk); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, "0\r\n\r\n")
		return err
	})
	if !strings.Contains(got, "413") {
		t.Errorf("a streamed 64 MiB body: %q, want 413", got)
	}
	t.Logf("a streamed 64 MiB body refused in %v", time.Since(start).Round(time.Millisecond))

	form := "username=" + strings.Repeat("u", 100<<10)
	status, _, _ = httpDo(t, http.MethodPost, s.URL+"/forgotPassword?client_id=x", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, []byte(form))
	if status != http.StatusBadRequest && status != http.StatusForbidden && status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 100 KiB form: status %d, want it refused with a 4xx", status)
	}
	hoStillServes(t, s, "after big bodies")
}

// TestHostileDeeplyNestedJSONRefused: JSON nested a hundred thousand deep, inside a member
// and as the whole body, is refused as a SerializationException within the 1 MiB limit,
// without exhausting the stack.
func TestHostileDeeplyNestedJSONRefused(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	const depth = 100_000
	for name, body := range map[string]string{
		"arrays in a member":  `{"MaxResults":1,"X":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `}`,
		"objects in a member": `{"MaxResults":1,"X":` + strings.Repeat(`{"a":`, depth/10) + `1` + strings.Repeat("}", depth/10) + `}`,
		"unclosed arrays":     `{"X":` + strings.Repeat("[", depth*5),
	} {
		status, _, answer := callRaw(t, s.URL, "ListUserPools", body)
		if code, _ := wireError(t, answer); status != http.StatusBadRequest || code != "SerializationException" {
			t.Errorf("%s (%d bytes): %d %s, want 400 SerializationException", name, len(body), status, answer)
		}
	}
	hoStillServes(t, s, "after deep JSON")
}

// TestHostileThousandsOfConnections: 3,000 connections held open at once (some idle, some
// with half a request) cost the server bounded memory, under 64 KiB each, and it answers
// others at once while they are open; when they go, it still serves.
func TestHostileThousandsOfConnections(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	hoStillServes(t, s, "before")
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	const conns = 3000
	open := make([]net.Conn, 0, conns)
	t.Cleanup(func() {
		for _, c := range open {
			c.Close()
		}
	})
	for i := range conns {
		c, err := net.Dial("tcp", hoAddr(s))
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		open = append(open, c)
		if i%2 == 0 {
			io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\n") // half a request
		}
	}
	hoStillServes(t, s, fmt.Sprintf("%d connections are open", conns))
	var during runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&during)
	// The test's own side of each connection lives in this process too, so the growth is
	// an upper bound of what the server spends.
	grown := int64(during.HeapInuse+during.StackInuse) - int64(before.HeapInuse+before.StackInuse)
	per := grown / conns
	t.Logf("%d open connections: heap and stacks grew by %d KiB, %d bytes a connection (both ends)", conns, grown>>10, per)
	if per > 64<<10 {
		t.Errorf("%d open connections cost %d bytes each, more than 64 KiB", conns, per)
	}
	for _, c := range open {
		c.Close()
	}
	open = open[:0]
	hoStillServes(t, s, "after the connections closed")
}
