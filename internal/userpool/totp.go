package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"cognate/internal/token"
)

// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): the software token MFA
// factor. A user's secret is sealed under a key kept outside the store, as SRP verifiers
// are; a code is six digits of HMAC-SHA1 over the 30-second step, accepted one step
// early or late for clock drift (RFC 6238 §5.2), and only once (§5.2: "the verifier MUST
// NOT accept the second attempt of the OTP after the successful validation").

const (
	totpStep   = 30 * time.Second
	totpDigits = 6
	// totpSecretBytes is the size of a new secret: 160 bits, RFC 4226's recommendation,
	// 32 characters of base32, the length AWS's SecretCode has.
	totpSecretBytes = 20
)

var totpEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newTOTPSecret draws a secret and answers it in base32, as AssociateSoftwareToken gives it.
func newTOTPSecret(r io.Reader) (string, error) {
	b := make([]byte, totpSecretBytes)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", err
	}
	return totpEncoding.EncodeToString(b), nil
}

// totpCode is the code of a base32 secret at a step (RFC 4226 §5.3, dynamic truncation).
func totpCode(secret []byte, step int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	m := hmac.New(sha1.New, secret)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, bin%1_000_000)
}

// totpStepAt is the step a time falls in.
func totpStepAt(t time.Time) int64 { return t.Unix() / int64(totpStep/time.Second) }

// totpMatch finds the step, within one of now's, whose code is code; ok is false when none
// is. Every candidate is compared, in constant time, so that the answer's timing does not
// tell which step matched.
func totpMatch(secret []byte, code string, now time.Time) (step int64, ok bool) {
	at := totpStepAt(now)
	for _, s := range []int64{at - 1, at, at + 1} {
		if subtle.ConstantTimeCompare([]byte(totpCode(secret, s)), []byte(code)) == 1 && !ok {
			step, ok = s, true
		}
	}
	return step, ok
}

// sealTOTP seals a base32 secret for the user; openTOTP opens it back to its raw bytes.
func (s *Service) sealTOTP(u *User, secret string) ([]byte, error) {
	return token.Seal(s.rand, s.keys.totp, []byte(secret), []byte("totp\x00"+u.PoolID+"\x00"+u.Sub))
}

func (s *Service) openTOTP(u *User, sealed []byte) ([]byte, error) {
	plain, err := token.Open(s.keys.totp, sealed, []byte("totp\x00"+u.PoolID+"\x00"+u.Sub))
	if err != nil {
		return nil, err
	}
	return totpEncoding.DecodeString(string(plain))
}

// checkTOTP checks a code against a sealed secret of the user: right, within the window,
// and not used before. A code's step is spent on success, and so are the steps before it
// in the window, so that neither it nor an older code can be replayed (the spend is an
// attempt recorded in the store, one per step, so that it holds across processes).
func (s *Service) checkTOTP(ctx context.Context, u *User, sealed []byte, code string, now time.Time) (bool, error) {
	secret, err := s.openTOTP(u, sealed)
	if err != nil {
		return false, err
	}
	step, ok := totpMatch(secret, code, now)
	if !ok {
		return false, nil
	}
	spend := func(st int64) (bool, error) {
		return s.store.CountAttempt(ctx, u.PoolID, fmt.Sprintf("totp:%s:%d", u.Sub, st), "totp", now, 4*totpStep, 1)
	}
	fresh, err := spend(step)
	if err != nil || !fresh {
		return false, err
	}
	for _, older := range []int64{step - 1, step - 2} {
		if _, err := spend(older); err != nil {
			return false, err
		}
	}
	return true, nil
}
