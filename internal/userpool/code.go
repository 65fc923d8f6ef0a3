package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"
)

// Code purposes: a code is bound to one, so that a sign-up code can never confirm a
// password reset nor the other way round (ARCHITECTURE.md "Codes").
const (
	purposeSignUp   = "signup"
	purposeRecovery = "recovery"
)

func purposeVerify(attr string) string { return "verify:" + attr }

// purposeVerifyNew is the purpose of a code sent to a new email or phone number that waits
// for verification before it replaces the verified one.
func purposeVerifyNew(attr string) string { return "verify-new:" + attr }

// Code lifetimes (developer guide, "code security resource quotas").
const (
	signUpCodeTTL   = 24 * time.Hour
	verifyCodeTTL   = 24 * time.Hour
	recoveryCodeTTL = time.Hour
)

// newCode draws a six-digit code, uniform over 000000–999999 (leading zeros kept).
// A fixed code (Options.FixedCode, a test control) replaces the draw.
func (s *Service) newCode() (string, error) {
	if s.fixedCode != "" {
		return s.fixedCode, nil
	}
	n, err := randIndex(s.rand, 1_000_000)
	return fmt.Sprintf("%06d", n), err
}

// codeMAC binds a code to its pool, user and purpose under a key kept outside the store,
// so that the store never holds a code nor anything a code could be checked against offline.
func (s *Service) codeMAC(poolID, sub, purpose, code string) []byte {
	m := hmac.New(sha256.New, s.keys.code[:])
	fmt.Fprintf(m, "%s\x00%s\x00%s\x00%s", poolID, sub, purpose, code)
	return m.Sum(nil)
}

var (
	errExpiredCode  = newError("ExpiredCodeException", "Invalid code provided, please request a code again.")
	errCodeMismatch = newError("CodeMismatchException", "Invalid verification code provided, please try again.")
)

// checkCode compares a code with the user's outstanding one for purpose, in constant time.
// None outstanding, or expired, is ExpiredCodeException; a different code is
// CodeMismatchException. It consumes nothing: RedeemCode uses the code up with what it pays for.
func (s *Service) checkCode(ctx context.Context, u *User, purpose, code string, now time.Time) (*Code, error) {
	c, err := s.store.GetCode(ctx, u.PoolID, u.Sub, purpose)
	if errors.Is(err, ErrNotFound) {
		return nil, errExpiredCode
	}
	if err != nil {
		return nil, err
	}
	if !now.Before(c.ExpiresAt) {
		return nil, errExpiredCode
	}
	if !hmac.Equal(c.MAC, s.codeMAC(u.PoolID, u.Sub, purpose, code)) {
		return nil, errCodeMismatch
	}
	return c, nil
}

var errAttemptLimit = newError("LimitExceededException", "Attempt limit exceeded, please try after some time.")

// countAttempt records an attempt against a per-user limit in a rolling hour, committed
// before the attempt is judged, and answers LimitExceededException past the limit.
func (s *Service) countAttempt(ctx context.Context, u *User, kind string, now time.Time, limit int) error {
	ok, err := s.store.CountAttempt(ctx, u.PoolID, u.Sub, kind, now, time.Hour, limit)
	if err != nil {
		return err
	}
	if !ok {
		return errAttemptLimit
	}
	return nil
}
