package userpool

import (
	"context"
	"errors"
	"time"
)

// USER_AUTH's one-time-code first factors: EMAIL_OTP and SMS_OTP. The user asks for one
// (PREFERRED_CHALLENGE, or the ANSWER to SELECT_CHALLENGE), a code goes to its verified
// email address or phone number like an MFA code (mfa_code.go), and the challenge is
// answered with EMAIL_OTP_CODE or SMS_OTP_CODE. A user with an MFA factor on cannot sign
// in this way ("If a user has MFA configured, passwordless sign-in options will not be
// available", Amplify's passwordless guide). The answer counts in the sign-in budget.

var (
	emailOTPFactor = otpFactor("EMAIL_OTP", "email", "EMAIL")
	smsOTPFactor   = otpFactor("SMS_OTP", "phone_number", "SMS")
)

// sessionOTPPrefix marks the sealed session of a one-time-code first factor.
const sessionOTPPrefix = "otp:"

// otpFactor is the factor that sends a code by medium to the verified attribute attr.
func otpFactor(name, attr, medium string) firstFactor {
	configured := func(p *Pool, u *User) bool {
		_, has := u.attr(attr)
		enabled, _ := u.mfaFactors(p)
		return has && u.verified(attr) && len(enabled) == 0 && factorOffered(p, name)
	}
	return firstFactor{
		name:       name,
		configured: configured,
		start: func(s *Service, ctx context.Context, p *Pool, c *Client, u *User, username string, req *authRequest, now time.Time) (*authOutcome, error) {
			hide := c.preventsEnumeration()
			if u != nil {
				// Counted before anything about the user is told.
				switch err := s.passwordAttempt(ctx, u, now); {
				case (err == errDisabled || err == errResetRequired) && hide:
					u = nil
				case err != nil:
					return nil, err
				case !configured(p, u) && hide:
					u = nil
				case !configured(p, u):
					return nil, invalidParameter("%s is not available for the user: it needs a verified %s and no MFA factor on.", name, attr)
				}
			}
			if u == nil {
				// A user that does not exist (or may not sign in this way), when the client
				// hides that: a challenge that looks the same and that no code can answer
				// [I: AWS's simulated destination is not documented; the name, masked].
				sess, err := s.sealFor(p, c, "", username, sessionOTPPrefix+name, now)
				if err != nil {
					return nil, err
				}
				dest := maskPhone(username)
				if medium == "EMAIL" {
					dest = maskEmail(username)
				}
				return &authOutcome{ChallengeName: ptr(name), Session: ptr(sess), ChallengeParameters: map[string]string{
					"CODE_DELIVERY_DELIVERY_MEDIUM": medium, "CODE_DELIVERY_DESTINATION": dest, "USER_ID_FOR_SRP": username}}, nil
			}
			if err := s.preAuthentication(ctx, p, c, u, req.metadata); err != nil {
				return nil, err
			}
			params, err := s.sendSignInCode(ctx, p, c, u, medium, req.metadata, now)
			if err != nil {
				return nil, err
			}
			sess, err := s.sealSession(p, c, u, sessionOTPPrefix+name, now)
			if err != nil {
				return nil, err
			}
			return &authOutcome{ChallengeName: ptr(name), Session: ptr(sess), ChallengeParameters: params}, nil
		},
		respond: func(s *Service, ctx context.Context, p *Pool, c *Client, req *authRequest, now time.Time) (*authOutcome, error) {
			ss, err := s.openSession(req.session, c, sessionOTPPrefix+name, now)
			if err != nil {
				return nil, err
			}
			param := name + "_CODE"
			code := req.params[param]
			if code == "" {
				return nil, invalidParameter("Missing required parameter %s", param)
			}
			if ss.User == "" {
				return nil, errMFACodeMismatch // the simulated challenge of a user that does not exist
			}
			u, err := s.store.GetUserBySub(ctx, p.ID, ss.User)
			if errors.Is(err, ErrNotFound) {
				return nil, errMFACodeMismatch
			} else if err != nil {
				return nil, err
			}
			if err := s.passwordAttempt(ctx, u, now); err != nil {
				return nil, err
			}
			if err := s.redeemSignInCode(ctx, u, code, now); err != nil {
				return nil, err
			}
			if err := s.useOnce(ctx, p.ID, []byte(req.session), sessionTTL(c), now); err != nil {
				return nil, err
			}
			return s.afterAuthenticated(ctx, p, c, u, req.metadata, now)
		},
	}
}
