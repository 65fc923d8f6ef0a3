package userpool

import (
	"bytes"
	"context"
	"time"
)

// VerifySoftwareToken confirms the secret AssociateSoftwareToken gave with a code of it
// (RFC 6238, totp.go): the token becomes the user's, and software token MFA is on for the
// user (its preference unchanged). A wrong code answers EnableSoftwareTokenMFAException
// and counts in the user's budget of wrong codes. During MFA_SETUP (by Session) it
// answers the Session that RespondToAuthChallenge MFA_SETUP signs in with.
func (s *Service) VerifySoftwareToken(ctx context.Context, in *VerifySoftwareTokenRequest) (*VerifySoftwareTokenResponse, error) {
	access, session := deref(in.AccessToken), deref(in.Session)
	if (access == "") == (session == "") {
		return nil, invalidParameter("Exactly one of AccessToken or Session must be given.")
	}
	now := s.clock()
	var (
		p   *Pool
		c   *Client
		u   *User
		err error
	)
	if access != "" {
		p, u, _, err = s.authorize(ctx, access, now)
	} else {
		p, c, u, err = s.setupUser(ctx, session, sessionMFAPrefix+challengeMFASetup, now)
	}
	if err != nil {
		return nil, err
	}
	if !p.totpAllowed() {
		return nil, errTOTPNotOn
	}
	pending := u.TOTP.Pending
	if pending == nil {
		return nil, errTOTPNotAssociated
	}
	if err := s.countAttempt(ctx, u, "totp-verify", now, 15); err != nil {
		return nil, err
	}
	ok, err := s.checkTOTP(ctx, u, pending, deref(in.UserCode), now)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errTOTPEnable
	}
	err = s.saveBySub(ctx, p, u.Sub, func(u *User) error {
		if !bytes.Equal(u.TOTP.Pending, pending) {
			return errTOTPNotAssociated // another association came between
		}
		u.TOTP = SoftwareToken{Secret: pending, Name: deref(in.FriendlyDeviceName)}
		u.MFA.TOTPEnabled = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := &VerifySoftwareTokenResponse{Status: ptr("SUCCESS")}
	if session != "" {
		if err := s.useOnce(ctx, p.ID, []byte(session), 15*time.Minute, now); err != nil {
			return nil, err
		}
		next, err := s.sealSession(p, c, u, sessionSetupDone, now)
		if err != nil {
			return nil, err
		}
		out.Session = ptr(next)
	}
	return out, nil
}
