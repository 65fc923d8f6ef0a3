package userpool

import (
	"testing"
	"time"
)

// TestTOTPCodeRFC6238 checks the code against RFC 6238 Appendix B's SHA-1 test vectors
// (the secret "12345678901234567890"), whose eight digits end in the six a code has.
func TestTOTPCodeRFC6238(t *testing.T) {
	secret := []byte("12345678901234567890")
	for _, tc := range []struct {
		unix int64
		want string
	}{
		{59, "287082"},
		{1111111109, "081804"},
		{1111111111, "050471"},
		{1234567890, "005924"},
		{2000000000, "279037"},
		{20000000000, "353130"},
	} {
		if got := totpCode(secret, totpStepAt(time.Unix(tc.unix, 0))); got != tc.want {
			t.Errorf("code at %d = %s, want %s", tc.unix, got, tc.want)
		}
	}
}

// TestTOTPWindow: a code of the step before or after now matches, two steps off does not.
func TestTOTPWindow(t *testing.T) {
	secret := []byte("12345678901234567890")
	now := time.Unix(1234567890, 0)
	at := totpStepAt(now)
	for _, tc := range []struct {
		step int64
		ok   bool
	}{{at - 2, false}, {at - 1, true}, {at, true}, {at + 1, true}, {at + 2, false}} {
		step, ok := totpMatch(secret, totpCode(secret, tc.step), now)
		if ok != tc.ok || (ok && step != tc.step) {
			t.Errorf("code of step %+d: match %v at %d, want %v", tc.step-at, ok, step, tc.ok)
		}
	}
}
