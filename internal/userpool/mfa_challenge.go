package userpool

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/go-json-experiment/json"

	"cognate/internal/token"
)

// The MFA challenges that follow a right password: SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA,
// SELECT_MFA_TYPE and MFA_SETUP, and their answers. mfaDue (mfa_due.go) decides which is
// owed. Each answer counts in the user's sign-in budget (the one wrong passwords count in)
// before it is judged, and a session lets one answer through.

// mfaChallenge answers the MFA step a sign-in owes, or nil when it owes none.
func (s *Service) mfaChallenge(ctx context.Context, p *Pool, c *Client, u *User, metadata map[string]string, now time.Time) (*authOutcome, error) {
	plan, err := s.mfaDue(ctx, p, u, now)
	if err != nil || plan == nil {
		return nil, err
	}
	list := func(names []string) string { b, _ := json.Marshal(names); return string(b) }
	switch {
	case len(plan.setup) > 0:
		return s.mfaStep(p, c, u, challengeMFASetup, map[string]string{"MFAS_CAN_SETUP": list(plan.setup), "USER_ID_FOR_SRP": u.Username}, now)
	case len(plan.factors) > 1:
		return s.mfaStep(p, c, u, challengeSelectMFA, map[string]string{"MFAS_CAN_CHOOSE": list(plan.factors), "USER_ID_FOR_SRP": u.Username}, now)
	}
	return s.startMFAFactor(ctx, p, c, u, plan.factors[0], metadata, now)
}

// mfaStep answers an MFA challenge with its sealed session.
func (s *Service) mfaStep(p *Pool, c *Client, u *User, challenge string, params map[string]string, now time.Time) (*authOutcome, error) {
	sess, err := s.sealSession(p, c, u, sessionMFAPrefix+challenge, now)
	if err != nil {
		return nil, err
	}
	return &authOutcome{ChallengeName: ptr(challenge), Session: ptr(sess), ChallengeParameters: params}, nil
}

// startMFAFactor asks for one factor: a code sent by SMS or email, or one of the software
// token.
func (s *Service) startMFAFactor(ctx context.Context, p *Pool, c *Client, u *User, factor string, metadata map[string]string, now time.Time) (*authOutcome, error) {
	params := map[string]string{"USER_ID_FOR_SRP": u.Username}
	switch factor {
	case factorSMS, factorEmail:
		medium := "EMAIL"
		if factor == factorSMS {
			medium = "SMS"
		}
		var err error
		if params, err = s.sendSignInCode(ctx, p, c, u, medium, metadata, now); err != nil {
			return nil, err
		}
	}
	return s.mfaStep(p, c, u, factor, params, now)
}

// mfaCodeParam is the ChallengeResponses member that carries each factor's code.
var mfaCodeParam = map[string]string{
	factorSMS:   "SMS_MFA_CODE",
	factorEmail: "EMAIL_OTP_CODE",
	factorTOTP:  "SOFTWARE_TOKEN_MFA_CODE",
}

// sessionChallenge peeks at what a sealed session was made for ("" when it is no session).
func (s *Service) sessionChallenge(raw string) string {
	if ss := s.peekSession(raw); ss != nil {
		return ss.Challenge
	}
	return ""
}

// peekSession reads a sealed session without checking it (nil when it is none):
// openSession checks it once its client is known.
func (s *Service) peekSession(raw string) *sealedSession {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return nil
	}
	plain, err := token.Open(s.keys.session, b, []byte("session"))
	if err != nil {
		return nil
	}
	var ss sealedSession
	if json.Unmarshal(plain, &ss) != nil {
		return nil
	}
	return &ss
}

// respondMFA carries out RespondToAuthChallenge for the MFA challenges. An EMAIL_OTP
// answer whose session is USER_AUTH's first factor goes there (userauth_otp.go).
func (s *Service) respondMFA(ctx context.Context, p *Pool, c *Client, req *authRequest, now time.Time) (*authOutcome, error) {
	if req.flow != challengeMFASetup && req.flow != challengeSelectMFA && mfaCodeParam[req.flow] == "" ||
		!strings.HasPrefix(s.sessionChallenge(req.session), sessionMFAPrefix) {
		return s.respondFirstFactor(ctx, p, c, req, now)
	}
	want := sessionMFAPrefix + req.flow
	if req.flow == challengeMFASetup {
		want = sessionSetupDone
	}
	ss, err := s.openSession(req.session, c, want, now)
	if err != nil {
		return nil, err
	}
	u, err := s.store.GetUserBySub(ctx, p.ID, ss.User)
	if errors.Is(err, ErrNotFound) {
		return nil, errInvalidSession
	} else if err != nil {
		return nil, err
	}
	// A spent session is refused before its answer is judged, so that a code offered with
	// it is not spent in vain; the session is spent once the answer is right.
	if n, err := s.store.CountAttempts(ctx, p.ID, onceSubject([]byte(req.session)), "challenge", now.Add(-sessionTTL(c))); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, errSessionUsed
	}
	switch req.flow {
	case challengeSelectMFA:
		answer := req.params["ANSWER"]
		if answer == "" {
			return nil, invalidParameter("Missing required parameter ANSWER")
		}
		ok, err := u.mfaChoice(ctx, s, p, answer, now)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, invalidParameter("Invalid ANSWER %s: it is not one of MFAS_CAN_CHOOSE.", answer)
		}
		if err := s.useOnce(ctx, p.ID, []byte(req.session), sessionTTL(c), now); err != nil {
			return nil, err
		}
		return s.startMFAFactor(ctx, p, c, u, answer, req.metadata, now)
	case challengeMFASetup:
		// VerifySoftwareToken has checked a code of the new token; the session lets the
		// user in once.
		if err := s.passwordAttempt(ctx, u, now); err != nil {
			return nil, err
		}
	default:
		code := req.params[mfaCodeParam[req.flow]]
		if code == "" {
			return nil, invalidParameter("Missing required parameter %s", mfaCodeParam[req.flow])
		}
		if err := s.passwordAttempt(ctx, u, now); err != nil {
			return nil, err
		}
		if err := s.checkMFACode(ctx, p, u, req.flow, code, now); err != nil {
			return nil, err
		}
	}
	if err := s.useOnce(ctx, p.ID, []byte(req.session), sessionTTL(c), now); err != nil {
		return nil, err
	}
	out, err := s.signedIn(ctx, p, c, u, req.metadata, now)
	// A pool that tracks devices gives the sign-in a new device's keys with its tokens, after
	// the MFA step as after a password alone (auth_device.go), so that a device can be
	// remembered where MFA is on. [I] A sign-in that named a device not remembered gets new
	// keys too: the MFA session does not carry the key it named.
	if err == nil && out.AuthenticationResult != nil && deviceTracking(p) && u.Status == StatusConfirmed {
		out.AuthenticationResult.NewDeviceMetadata, err = s.newDeviceMetadata(p, u)
	}
	return out, err
}

// checkMFACode checks the code of an MFA factor: a sign-in code sent by SMS or email, or
// one of the user's software token.
func (s *Service) checkMFACode(ctx context.Context, p *Pool, u *User, factor, code string, now time.Time) error {
	if factor != factorTOTP {
		return s.redeemSignInCode(ctx, u, code, now)
	}
	if u.TOTP.Secret == nil || !p.factorOn(factorTOTP) {
		return newError("SoftwareTokenMFANotFoundException", "Software token TOTP multi-factor authentication (MFA) is not enabled for the user.")
	}
	ok, err := s.checkTOTP(ctx, u, u.TOTP.Secret, code, now)
	if err != nil {
		return err
	}
	if !ok {
		return errMFACodeMismatch
	}
	return nil
}

// isMFAChallenge reports whether RespondToAuthChallenge's ChallengeName is an MFA step's
// (or a one-time-code first factor's, which respondMFA hands on).
func isMFAChallenge(name string) bool {
	return slices.Contains([]string{factorSMS, factorEmail, factorTOTP, challengeSelectMFA, challengeMFASetup}, name) ||
		isFirstFactorChallenge(name)
}
