package sms

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
)

// secretCode is the one-time code in every test body; no error may ever contain it.
const secretCode = "493817"

func testText() *Text {
	return &Text{
		MessageID:     "0b5a7c1e-9d1f-4a55-8f7e-2f4d1c3b9a10",
		To:            "+15555550123",
		Body:          "Your password reset code is " + secretCode,
		PoolID:        "us-east-1_AbCdEf123",
		Username:      "alice",
		TriggerSource: "CustomMessage_ForgotPassword",
	}
}

// assertNoLeak fails when err's text holds the code (or any other secret given).
func assertNoLeak(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range append([]string{secretCode}, secrets...) {
		if s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("error %q contains the secret %q", err, s)
		}
	}
}

func TestCheckRefusesUndeliverableTexts(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Text)
	}{
		{"no plus", func(x *Text) { x.To = "15555550123" }},
		{"leading zero country code", func(x *Text) { x.To = "+05555550123" }},
		{"too short", func(x *Text) { x.To = "+123456" }},
		{"too long", func(x *Text) { x.To = "+1234567890123456" }},
		{"spaces", func(x *Text) { x.To = "+1 555 555 0123" }},
		{"trailing newline", func(x *Text) { x.To = "+15555550123\n" }},
		{"empty destination", func(x *Text) { x.To = "" }},
		{"empty body", func(x *Text) { x.Body = "" }},
		{"invalid UTF-8 body", func(x *Text) { x.Body = "code \xff " + secretCode }},
		{"body over 1600 characters", func(x *Text) { x.Body = secretCode + strings.Repeat("é", MaxBodyLength-len(secretCode)+1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := testText()
			tt.change(x)
			err := check(x)
			if !errors.Is(err, ErrPermanent) {
				t.Fatalf("check = %v, want an error wrapping ErrPermanent", err)
			}
			if errors.Is(err, ErrSandbox) {
				t.Errorf("check = %v, wraps ErrSandbox", err)
			}
			assertNoLeak(t, err)
		})
	}
	if err := check(nil); !errors.Is(err, ErrPermanent) {
		t.Errorf("check(nil) = %v, want ErrPermanent", err)
	}
}

func TestCheckAcceptsLimits(t *testing.T) {
	for _, to := range []string{"+1234567", "+123456789012345", "+447700900123"} {
		x := testText()
		x.To = to
		if err := check(x); err != nil {
			t.Errorf("check(To=%s) = %v", to, err)
		}
	}
	x := testText()
	x.Body = strings.Repeat("é", MaxBodyLength) // 1600 characters, 3200 bytes
	if err := check(x); err != nil {
		t.Errorf("check(1600 characters) = %v", err)
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"+15555550123":     "+********0123",
		"+447700900123":    "+********0123",
		"+1234567":         "+********4567",
		"+12":              "+********",
		"":                 "+********",
		"+123456789012345": "+********2345",
	} {
		if got := maskPhone(in); got != want {
			t.Errorf("maskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

// recordingSender is a Sender that keeps what it is given and answers err.
type recordingSender struct {
	mu  sync.Mutex
	got []*Text
	err error
}

func (r *recordingSender) Send(_ context.Context, t *Text) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, t)
	return r.err
}

func (r *recordingSender) calls() []*Text {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*Text(nil), r.got...)
}
