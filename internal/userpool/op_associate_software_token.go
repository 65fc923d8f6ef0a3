package userpool

import (
	"context"
	"errors"
	"time"
)

// AssociateSoftwareToken gives the user a fresh TOTP secret to register in an
// authenticator app, by access token or by the Session of an MFA_SETUP challenge (then
// answering a new Session for VerifySoftwareToken). The secret replaces any earlier one
// not yet verified; the user's verified token, if any, stays in use until
// VerifySoftwareToken confirms the new one.
func (s *Service) AssociateSoftwareToken(ctx context.Context, in *AssociateSoftwareTokenRequest) (*AssociateSoftwareTokenResponse, error) {
	access, session := deref(in.AccessToken), deref(in.Session)
	if (access == "") == (session == "") {
		return nil, invalidParameter("Exactly one of AccessToken or Session must be given.")
	}
	secret, err := newTOTPSecret(s.rand)
	if err != nil {
		return nil, err
	}
	associate := func(p *Pool, u *User) error {
		if !p.totpAllowed() {
			return errTOTPNotOn
		}
		sealed, err := s.sealTOTP(u, secret)
		if err != nil {
			return err
		}
		u.TOTP.Pending = sealed
		return nil
	}
	if access != "" {
		if _, _, err := s.updateSelf(ctx, access, func(p *Pool, u *User, _ string, now time.Time) error {
			u.ModifiedAt = now
			return associate(p, u)
		}); err != nil {
			return nil, err
		}
		return &AssociateSoftwareTokenResponse{SecretCode: ptr(secret)}, nil
	}
	now := s.clock()
	p, c, u, err := s.setupUser(ctx, session, sessionMFAPrefix+challengeMFASetup, now)
	if err != nil {
		return nil, err
	}
	err = s.saveBySub(ctx, p, u.Sub, func(u *User) error { return associate(p, u) })
	if errors.Is(err, ErrNotFound) {
		return nil, errInvalidSession
	} else if err != nil {
		return nil, err
	}
	next, err := s.sealSession(p, c, u, sessionMFAPrefix+challengeMFASetup, now)
	if err != nil {
		return nil, err
	}
	return &AssociateSoftwareTokenResponse{SecretCode: ptr(secret), Session: ptr(next)}, nil
}
