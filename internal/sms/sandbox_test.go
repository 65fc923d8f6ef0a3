package sms

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSandboxDeliversVerifiedNumber(t *testing.T) {
	next := &recordingSender{}
	s := &Sandbox{Next: next, Verified: []string{"+447700900123", "+15555550123"}}
	x := testText()
	if err := s.Send(context.Background(), x); err != nil {
		t.Fatalf("Send = %v", err)
	}
	if diff := cmp.Diff([]*Text{testText()}, next.calls()); diff != "" {
		t.Errorf("Next got (-want +got):\n%s", diff)
	}
}

func TestSandboxPassesNextErrorThrough(t *testing.T) {
	transient := errors.New("gateway down")
	s := &Sandbox{Next: &recordingSender{err: transient}, Verified: []string{"+15555550123"}}
	if err := s.Send(context.Background(), testText()); err != transient {
		t.Errorf("Send = %v, want Next's error unchanged", err)
	}
}

func TestSandboxRefusesUnverifiedNumber(t *testing.T) {
	next := &recordingSender{}
	s := &Sandbox{Next: next, Verified: []string{"+447700900123", "+15555550124"}}
	err := s.Send(context.Background(), testText())
	if !errors.Is(err, ErrSandbox) || !errors.Is(err, ErrPermanent) {
		t.Fatalf("Send = %v, want an error wrapping ErrSandbox and ErrPermanent", err)
	}
	if n := len(next.calls()); n != 0 {
		t.Errorf("Next called %d times, want 0", n)
	}
	msg := err.Error()
	for _, want := range []string{"+********0123", "is not a verified destination phone number", "only to verified destination phone numbers"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	assertNoLeak(t, err, "+15555550123")
}

func TestSandboxWithNoVerifiedNumbersRefusesAll(t *testing.T) {
	next := &recordingSender{}
	err := (&Sandbox{Next: next}).Send(context.Background(), testText())
	if !errors.Is(err, ErrSandbox) || !errors.Is(err, ErrPermanent) {
		t.Fatalf("Send = %v, want ErrSandbox and ErrPermanent", err)
	}
	if n := len(next.calls()); n != 0 {
		t.Errorf("Next called %d times, want 0", n)
	}
}

func TestSandboxChecksTextFirst(t *testing.T) {
	next := &recordingSender{}
	s := &Sandbox{Next: next, Verified: []string{"15555550123"}}
	x := testText()
	x.To = "15555550123" // listed, but not E.164
	err := s.Send(context.Background(), x)
	if !errors.Is(err, ErrPermanent) || errors.Is(err, ErrSandbox) {
		t.Fatalf("Send = %v, want ErrPermanent without ErrSandbox", err)
	}
	if n := len(next.calls()); n != 0 {
		t.Errorf("Next called %d times, want 0", n)
	}
}
