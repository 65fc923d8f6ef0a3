package userpool

import (
	"context"
	"errors"
	"time"
)

// A user's own MFA factors: the software token it registers (AssociateSoftwareToken,
// VerifySoftwareToken), by access token or, during the MFA_SETUP challenge, by its Session.

// SoftwareToken is a user's TOTP authenticator: the secret AssociateSoftwareToken gave
// and VerifySoftwareToken has not confirmed yet, and the confirmed one, both sealed
// (totp.go). MFASettings.TOTPEnabled says whether the confirmed one is in use.
type SoftwareToken struct {
	Pending []byte `json:"pending,omitempty"`
	Secret  []byte `json:"secret,omitempty"`
	// Name is VerifySoftwareToken's FriendlyDeviceName.
	Name string `json:"name,omitempty"`
}

// The sealed sessions of the MFA steps: a challenge's, and the one VerifySoftwareToken
// answers during MFA_SETUP, which RespondToAuthChallenge MFA_SETUP then takes.
const (
	sessionMFAPrefix   = "mfa:"
	sessionSetupDone   = "mfa:MFA_SETUP_VERIFIED"
	challengeMFASetup  = "MFA_SETUP"
	challengeSelectMFA = "SELECT_MFA_TYPE"
)

var (
	errTOTPNotOn         = newError("SoftwareTokenMFANotFoundException", "Software Token MFA is not enabled for the user pool.")
	errTOTPNotAssociated = newError("SoftwareTokenMFANotFoundException", "User has not associated a software token.")
	// AWS's words for a wrong code at VerifySoftwareToken, as Amplify's error tables and
	// tests written against AWS quote them.
	errTOTPEnable = newError("EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA")
	// AWS's words for a wrong code at an MFA challenge.
	errMFACodeMismatch = newError("CodeMismatchException", "Invalid code or auth state for the user.")
)

// sessionClient finds the pool and app client a sealed session was made for, for the
// operations that take a Session without naming a client (AssociateSoftwareToken,
// VerifySoftwareToken); openSession then checks it.
func (s *Service) sessionClient(ctx context.Context, raw string) (*Pool, *Client, error) {
	ss := s.peekSession(raw)
	if ss == nil {
		return nil, nil, errInvalidSession
	}
	p, c, err := s.loadClient(ctx, ss.Pool, ss.Client)
	if err != nil {
		return nil, nil, errInvalidSession
	}
	return p, c, nil
}

// setupUser is the user an MFA_SETUP session (of challenge) was made for, with its pool
// and client.
func (s *Service) setupUser(ctx context.Context, raw, challenge string, now time.Time) (*Pool, *Client, *User, error) {
	p, c, err := s.sessionClient(ctx, raw)
	if err != nil {
		return nil, nil, nil, err
	}
	ss, err := s.openSession(raw, c, challenge, now)
	if err != nil {
		return nil, nil, nil, err
	}
	u, err := s.store.GetUserBySub(ctx, p.ID, ss.User)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, nil, errInvalidSession
	}
	return p, c, u, err
}

// saveBySub writes a user changed by a session-bound step, retrying on conflict with
// change re-applied to a fresh read.
func (s *Service) saveBySub(ctx context.Context, p *Pool, sub string, change func(u *User) error) error {
	return retryConflicts(ctx, func() error {
		u, err := s.store.GetUserBySub(ctx, p.ID, sub)
		if errors.Is(err, ErrNotFound) {
			return userNotFound()
		} else if err != nil {
			return err
		}
		if err := change(u); err != nil {
			return err
		}
		u.ModifiedAt = s.clock()
		return s.store.SaveUsers(ctx, UserWrite{User: u})
	})
}
