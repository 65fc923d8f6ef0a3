package userpool

import "testing"

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
