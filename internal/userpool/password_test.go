package userpool

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var cheap = HashParams{MemoryKiB: 64, Time: 1, Threads: 1}

func TestCheckPasswordReasons(t *testing.T) {
	for _, tc := range []struct {
		password, want string
	}{
		{"Ab1!", "Password not long enough"},
		{"abcdefg1!", "Password must have uppercase characters"},
		{"ABCDEFG1!", "Password must have lowercase characters"},
		{"Abcdefgh!", "Password must have numeric characters"},
		{"Abcdefgh1", "Password must have symbol characters"},
		{"Abcdefg1!", ""},
		{"Abcdef 1g", ""}, // an inner space counts as a symbol
	} {
		err := checkPassword(nil, tc.password)
		got := ""
		if err != nil {
			got = strings.TrimPrefix(err.(*Error).Message, "Password does not conform to policy: ")
		}
		if got != tc.want {
			t.Errorf("checkPassword(%q) = %q, want %q", tc.password, got, tc.want)
		}
	}
	if err := asSignUpPasswordError(checkPassword(nil, "x")); err.(*Error).Message != "Password did not conform with policy: Password not long enough" {
		t.Errorf("sign-up wording: %v", err)
	}
}

func TestTemporaryPasswordSatisfiesPolicy(t *testing.T) {
	policy := &PasswordPolicyType{MinimumLength: ptr(int32(20)), RequireUppercase: ptr(true), RequireLowercase: ptr(true), RequireNumbers: ptr(true), RequireSymbols: ptr(true)}
	for range 200 {
		p, err := temporaryPassword(rand.Reader, policy)
		if err != nil {
			t.Fatal(err)
		}
		if len(p) != 20 {
			t.Fatalf("length %d", len(p))
		}
		if err := checkPassword(policy, p); err != nil {
			t.Fatalf("%q: %v", p, err)
		}
	}
}

func TestHasherRoundTripAndDummy(t *testing.T) {
	h := NewHasher(cheap, 2)
	ctx := context.Background()
	enc, err := h.Hash(ctx, rand.Reader, "Secret-1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("not a PHC string: %s", enc)
	}
	if ok, _ := h.Verify(ctx, enc, "Secret-1"); !ok {
		t.Error("right password refused")
	}
	if ok, _ := h.Verify(ctx, enc, "Secret-2"); ok {
		t.Error("wrong password accepted")
	}
	if ok, err := h.Verify(ctx, "", "cognate-dummy-password"); ok || err != nil {
		t.Errorf("dummy verify = %v, %v; want false, nil", ok, err)
	}
	if _, err := h.Verify(ctx, "$bcrypt$x", "a"); err == nil {
		t.Error("foreign hash accepted")
	}
}

// TestHasherBoundsConcurrency proves that no more hashes run at once than the hasher allows,
// which is what keeps a burst of sign-ins from exhausting memory.
func TestHasherBoundsConcurrency(t *testing.T) {
	h := NewHasher(HashParams{MemoryKiB: 1024, Time: 1, Threads: 1}, 2)
	var running, peak atomic.Int32
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := h.acquire(context.Background()); err != nil {
				t.Error(err)
				return
			}
			n := running.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(time.Millisecond)
			running.Add(-1)
			h.release()
		}()
	}
	wg.Wait()
	if peak.Load() > 2 {
		t.Fatalf("peak concurrency %d, want at most 2", peak.Load())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h.slots <- struct{}{}
	h.slots <- struct{}{}
	if _, err := h.Hash(ctx, rand.Reader, "x"); err == nil {
		t.Error("a hash waiting for a slot ignored its context")
	}
}

func TestTimeWire(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Unix(1700000000, 0), "1700000000"},
		{time.Unix(1700000000, 123e6), "1700000000.123"},
	} {
		b, _ := At(tc.t).MarshalJSON()
		if string(b) != tc.want {
			t.Errorf("marshal %v = %s, want %s", tc.t, b, tc.want)
		}
		var back Time
		if err := back.UnmarshalJSON(b); err != nil || back.UnixMilli() != tc.t.UnixMilli() {
			t.Errorf("unmarshal %s = %v, %v", b, back, err)
		}
	}
}

func TestParseFilter(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    *userFilter
		wantErr string
	}{
		{``, nil, ""},
		{`email = "a@b.c"`, &userFilter{attr: "email", value: "a@b.c"}, ""},
		{`email^="a"`, &userFilter{attr: "email", prefix: true, value: "a"}, ""},
		{`name = "say \"hi\""`, &userFilter{attr: "name", value: `say "hi"`}, ""},
		{`cognito:user_status = "CONFIRMED"`, &userFilter{attr: "cognito:user_status", value: "CONFIRMED"}, ""},
		{`email = a`, nil, "Error while parsing filter."},
		{`custom:x = "1"`, nil, "Invalid search attribute: custom:x"},
	} {
		got, err := parseFilter(tc.in)
		if tc.wantErr != "" {
			if err == nil || err.(*Error).Message != tc.wantErr {
				t.Errorf("parseFilter(%q) error = %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || (got == nil) != (tc.want == nil) || (got != nil && *got != *tc.want) {
			t.Errorf("parseFilter(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}

func TestPageTokenRoundTrip(t *testing.T) {
	after, err := pageAfter(pageToken("jane"))
	if err != nil || after != "jane" {
		t.Fatalf("round trip = %q, %v", after, err)
	}
	if _, err := pageAfter(ptr("not-a-token!")); err == nil {
		t.Error("a forged token was accepted")
	}
}

// TestHasherOverloaded refuses a hash that finds every slot busy and the queue full with
// TooManyRequestsException, for a real user's hash as for the dummy, and hashes again once
// a slot is free.
func TestHasherOverloaded(t *testing.T) {
	ctx := context.Background()
	h := NewHasher(HashParams{MemoryKiB: 64, Time: 1, Threads: 1}, 1)
	h.queue = 0
	enc, err := h.Hash(ctx, rand.Reader, "Secret-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.acquire(ctx); err != nil { // the only slot, held
		t.Fatal(err)
	}
	for _, stored := range []string{enc, ""} {
		_, err := h.Verify(ctx, stored, "Secret-1")
		var e *Error
		if !errors.As(err, &e) || e.Code != "TooManyRequestsException" || e.Message != "Too many requests" {
			t.Errorf("Verify(%q) with every slot held: %v, want TooManyRequestsException", stored, err)
		}
	}
	if _, err := h.Hash(ctx, rand.Reader, "Secret-2"); !errors.Is(err, errOverloaded) {
		t.Errorf("Hash with every slot held: %v, want TooManyRequestsException", err)
	}
	h.release()
	if ok, err := h.Verify(ctx, enc, "Secret-1"); !ok || err != nil {
		t.Errorf("Verify after the slot was freed = %v, %v", ok, err)
	}
}

// TestHasherQueue queues hashes up to its bound while every slot is busy, and refuses the
// one past it.
func TestHasherQueue(t *testing.T) {
	ctx := context.Background()
	h := NewHasher(HashParams{MemoryKiB: 64, Time: 1, Threads: 1}, 1)
	h.queue = 1
	if err := h.acquire(ctx); err != nil { // the only slot, held
		t.Fatal(err)
	}
	if err := h.Admit(); err != nil {
		t.Errorf("Admit with room in the queue: %v", err)
	}
	queued := make(chan error, 1)
	go func() { _, err := h.Hash(ctx, rand.Reader, "Secret-1"); queued <- err }()
	for h.Waiting() != 1 {
		time.Sleep(time.Millisecond)
	}
	if err := h.Admit(); !errors.Is(err, errOverloaded) {
		t.Errorf("Admit with the queue full: %v, want TooManyRequestsException", err)
	}
	if _, err := h.Hash(ctx, rand.Reader, "Secret-2"); !errors.Is(err, errOverloaded) {
		t.Errorf("a hash past the queue's bound: %v, want TooManyRequestsException", err)
	}
	h.release()
	if err := <-queued; err != nil {
		t.Errorf("the queued hash: %v", err)
	}
}
