package userpool

import (
	"context"
	"errors"
	"time"
)

// ConfirmForgotPassword sets a new password with a recovery code (spec §3). The attempt is
// counted before the code is judged, and the sixth within the hour is refused even with the
// right code. A password the policy refuses does not use the code up. On success the code
// is consumed and the password changed in one step: RESET_REQUIRED becomes CONFIRMED, the
// counters reset, and (unless the pool keeps AWS's behaviour) every session ends.
func (s *Service) ConfirmForgotPassword(ctx context.Context, in *ConfirmForgotPasswordRequest) (*ConfirmForgotPasswordResponse, error) {
	typed := deref(in.Username)
	r, err := s.recoveryCall(ctx, deref(in.ClientId), in.SecretHash, typed, in.UserContextData)
	if err != nil {
		return nil, err
	}
	p, c, now, ip, decision := r.pool, r.client, r.now, r.ip, r.decision
	// Refused before the attempt is counted, and for every user alike, known or not.
	if err := s.passwords.Admit(); err != nil {
		return nil, err
	}
	hide := c.preventsEnumeration()
	u, err := s.findHiding(ctx, p, typed, hide)
	if errors.Is(err, ErrNotFound) || (err == nil && !u.Enabled && hide) {
		if !hide {
			return nil, newError("UserNotFoundException", "Username/client id combination not found.")
		}
		if errors.Is(err, ErrNotFound) {
			u = nil
		}
		return nil, s.shadowGuess(ctx, p, p.recoverySubject(u, typed), now)
	}
	if err != nil {
		return nil, err
	}
	if !u.Enabled {
		return nil, errDisabled
	}
	if err := s.countAttempt(ctx, u, kindRecoveryGuess, now, recoveryGuessLimit); err != nil {
		return nil, err
	}
	code, err := s.checkCode(ctx, u, purposeRecovery, deref(in.ConfirmationCode), now)
	if errors.Is(err, errExpiredCode) && hide {
		// A simulated ForgotPassword left no code but a shadow code: answer as the real user the
		// caller was told about would answer, with a mismatch.
		if live, cerr := s.shadowCode(ctx, p, u.Sub, now); cerr != nil {
			return nil, cerr
		} else if live {
			return nil, errCodeMismatch
		}
	}
	if err != nil {
		s.recordEvent(ctx, p, u, "PasswordChange", "Fail", decision, ip, now)
		return nil, err
	}
	password := deref(in.Password)
	first := true
	err = retryConflicts(ctx, func() error {
		if !first {
			// The user changed meanwhile: read it again and redo the change on top.
			var err error
			if u, err = s.store.GetUserBySub(ctx, p.ID, u.Sub); err != nil {
				return err
			}
		}
		first = false
		// The policy and history are checked before the code is consumed, so a refused
		// password leaves the code usable.
		if err := s.setPassword(ctx, p, u, password, now); err != nil {
			return err
		}
		if u.Status == StatusResetRequired || u.Status == StatusUnconfirmed {
			u.Status = StatusConfirmed
		}
		if !p.keepsSessionsOnReset() {
			u.TokensValidAfter = now
		}
		u.ModifiedAt = now
		// The code is used up, the password set, the counters cleared and the event
		// recorded in one write.
		err := s.store.RedeemCode(ctx, &Redemption{Code: code, Users: []UserWrite{{User: u}},
			Clear: recoveryCounters(u.Sub), Event: s.authEvent(p, u, "PasswordChange", "Pass", decision, ip, now)})
		if errors.Is(err, ErrNotFound) {
			return errExpiredCode // another request used the code first
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	// The trigger runs after the change is committed, as a "post" trigger does; its
	// failure is the caller's answer, but the new password stands (spec §6.4).
	if err := s.postConfirmation(ctx, p, c, u, "PostConfirmation_ConfirmForgotPassword", in.ClientMetadata); err != nil {
		return nil, err
	}
	return &ConfirmForgotPasswordResponse{}, nil
}

// shadowGuess answers a ConfirmForgotPassword for a name the caller may not learn about, as
// a real user with the same history would be answered: no recent request, an expired code;
// otherwise a mismatch, counted against the same limit.
func (s *Service) shadowGuess(ctx context.Context, p *Pool, subject string, now time.Time) error {
	ok, err := s.store.CountAttempt(ctx, p.ID, subject, kindRecoveryGuess, now, recoveryWindow, recoveryGuessLimit)
	if err != nil {
		return err
	}
	if !ok {
		return errAttemptLimit
	}
	live, err := s.shadowCode(ctx, p, subject, now)
	if err != nil {
		return err
	}
	if !live {
		return errExpiredCode
	}
	return errCodeMismatch
}

// shadowCode reports whether a simulated ForgotPassword left subject a shadow recovery
// code that has not expired: then a guess is a mismatch, as with a real user's code.
func (s *Service) shadowCode(ctx context.Context, p *Pool, subject string, now time.Time) (bool, error) {
	c, err := s.store.GetShadowCode(ctx, p.ID, subject, purposeRecovery)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return now.Before(c.ExpiresAt), nil
}
