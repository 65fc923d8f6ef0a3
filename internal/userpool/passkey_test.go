package userpool

import (
	"encoding/base64"
	"errors"
	"testing"
	"time"
)

func TestPasskeyOriginAllowed(t *testing.T) {
	for _, tc := range []struct {
		origin string
		want   bool
	}{
		{"https://auth.example.com", true},
		{"https://auth.example.com:8443", true},
		{"https://app.auth.example.com", true},
		{"https://AUTH.example.com", true},
		{"http://auth.example.com", false}, // http only on loopback hosts
		{"https://example.com", false},     // the relying party's parent is not it
		{"https://evilauth.example.com", false},
		{"https://auth.example.com.evil.test", false},
		{"https://auth.example.com/path", false},
		{"android:apk-key-hash:abc", false},
		{"", false},
	} {
		if got := originAllowed(tc.origin, "auth.example.com"); got != tc.want {
			t.Errorf("originAllowed(%q, auth.example.com) = %v, want %v", tc.origin, got, tc.want)
		}
	}
	for _, o := range []string{"http://localhost:3000", "http://127.0.0.1:8080"} {
		host := map[string]string{"http://localhost:3000": "localhost", "http://127.0.0.1:8080": "127.0.0.1"}[o]
		if !originAllowed(o, host) {
			t.Errorf("originAllowed(%q, %s) = false, want true (a loopback host)", o, host)
		}
	}
}

func TestPasskeyRegistrationChallenge(t *testing.T) {
	s := New(nil, Options{})
	p := &Pool{ID: "us-east-1_Abc"}
	alice, bob := &User{Sub: "sub-alice"}, &User{Sub: "sub-bob"}
	now := s.clock()
	sealed, err := s.newRegistrationChallenge(p, alice, "client-1", now)
	if err != nil {
		t.Fatal(err)
	}
	challenge := base64.RawURLEncoding.EncodeToString(sealed)
	if err := s.openRegistrationChallenge(challenge, p, alice, "client-1", now.Add(passkeyTimeout-time.Second)); err != nil {
		t.Fatalf("the challenge, just before it expires: %v", err)
	}
	for _, tc := range []struct {
		name, challenge, client string
		u                       *User
		at                      time.Time
		code                    string
	}{
		{"expired", challenge, "client-1", alice, now.Add(passkeyTimeout), "WebAuthnChallengeNotFoundException"},
		{"another user's", challenge, "client-1", bob, now, "WebAuthnChallengeNotFoundException"},
		{"another client's", challenge, "client-2", alice, now, "WebAuthnClientMismatchException"},
		{"not ours", base64.RawURLEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef")), "client-1", alice, now, "WebAuthnChallengeNotFoundException"},
		{"not base64url", "!!", "client-1", alice, now, "WebAuthnChallengeNotFoundException"},
	} {
		err := s.openRegistrationChallenge(tc.challenge, p, tc.u, tc.client, tc.at)
		var e *Error
		if !errors.As(err, &e) || e.Code != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
}
