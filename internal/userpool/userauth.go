package userpool

import (
	"context"
	"errors"
	"slices"
	"time"
)

// USER_AUTH is choice-based sign-in (API model, InitiateAuth AuthFlow USER_AUTH and
// RespondToAuthChallenge SELECT_CHALLENGE), as Amplify JS v6 drives it:
//
//   - PREFERRED_CHALLENGE=PASSWORD with PASSWORD signs in at once;
//   - PREFERRED_CHALLENGE=PASSWORD_SRP with SRP_A answers PASSWORD_VERIFIER, the second
//     step of USER_SRP_AUTH;
//   - no preference answers SELECT_CHALLENGE with AvailableChallenges, answered with ANSWER
//     (and PASSWORD or SRP_A);
//   - the Session of a ConfirmSignUp signs the confirmed user in once, without a password.
//
// The other first factors are registered in userauth_factors.go (EMAIL_OTP, SMS_OTP:
// userauth_otp.go) and userauth_webauthn.go (passkeys, WEB_AUTHN).

// errFactorUnsupported is the answer to a sign-in factor cognate does not carry out yet.
func errFactorUnsupported(factor string) error {
	return newError("UnsupportedOperationException", "cognate does not support the %s sign-in factor yet.", factor)
}

// The sealed sessions of USER_AUTH, by what they let through.
const (
	challengeSelect   = "SELECT_CHALLENGE"
	challengeSignedUp = "SIGN_UP" // ConfirmSignUp's: one sign-in without a password

	challengeSignUpPending = "SIGN_UP_PENDING" // SignUp's: accepted by nothing but ConfirmSignUp
)

// availableChallenges lists the first-factor challenges the pool's
// Policies.SignInPolicy.AllowedFirstAuthFactors offer that cognate carries out: the PASSWORD
// factor is answered as PASSWORD or PASSWORD_SRP; the one-time codes are
// userauth_factors.go's, passkeys userauth_webauthn.go's.
func availableChallenges(p *Pool) []string {
	var factors, offered []string
	if sp := p.Doc.Policies.SignInPolicy; sp != nil {
		factors = sp.AllowedFirstAuthFactors
	}
	if slices.Contains(factors, "PASSWORD") {
		offered = []string{"PASSWORD", "PASSWORD_SRP"}
	}
	offered = append(offered, offeredFactors(p)...)
	return append(offered, webAuthnOffered(p)...) // userauth_webauthn.go
}

// userAuth carries out InitiateAuth USER_AUTH.
func (s *Service) userAuth(ctx context.Context, req *authRequest, now time.Time) (*authOutcome, error) {
	username := req.params["USERNAME"]
	p, c, err := s.authClient(ctx, req, username)
	if err != nil {
		return nil, err
	}
	if !flowAllowed(c, "USER_AUTH") {
		return nil, invalidParameter("USER_AUTH flow not enabled for this client")
	}
	if username == "" {
		return nil, invalidParameter("Missing required parameter USERNAME")
	}
	if req.session != "" {
		return s.signInAfterSignUp(ctx, p, c, username, req.session, now)
	}
	offered := availableChallenges(p)
	switch pref := req.params["PREFERRED_CHALLENGE"]; {
	case isFirstFactorChallenge(pref) && slices.Contains(offered, pref):
		f, _ := firstFactorNamed(pref)
		return s.startFirstFactor(ctx, p, c, f, username, req, now)
	case pref == challengeWebAuthn && slices.Contains(offered, pref):
		return s.startWebAuthn(ctx, p, c, username, now) // userauth_webauthn.go
	case pref == "PASSWORD" && slices.Contains(offered, pref):
		return s.passwordFactor(ctx, p, c, username, req.params["PASSWORD"], now)
	case pref == "PASSWORD_SRP" && slices.Contains(offered, pref):
		return s.srpFactor(ctx, p, c, username, req.params["SRP_A"], now)
	}
	// No preference (or one the pool does not offer, where AWS lets the user choose): the
	// choice. For a user that does not exist, when the client hides that, the same answer;
	// no answer to it can sign in.
	if len(offered) == 0 {
		return nil, errFactorUnsupported(firstFactors(p))
	}
	u, err := s.findUser(ctx, p, username)
	sub := ""
	switch {
	case errors.Is(err, ErrNotFound):
		if !c.preventsEnumeration() {
			return nil, userNotFound()
		}
	case err != nil:
		return nil, err
	default:
		sub = u.Sub
	}
	sess, err := s.sealFor(p, c, sub, username, challengeSelect, now)
	if err != nil {
		return nil, err
	}
	return &authOutcome{ChallengeName: ptr(challengeSelect), Session: ptr(sess), ChallengeParameters: map[string]string{},
		AvailableChallenges: offered}, nil
}

// firstFactors names the pool's first factors, for the error that none can be carried out.
func firstFactors(p *Pool) string {
	if sp := p.Doc.Policies.SignInPolicy; sp != nil && len(sp.AllowedFirstAuthFactors) > 0 {
		return sp.AllowedFirstAuthFactors[0]
	}
	return "USER_AUTH"
}

// passwordFactor is the PASSWORD factor: the password, checked as USER_PASSWORD_AUTH checks
// it, in the same lockout budget.
func (s *Service) passwordFactor(ctx context.Context, p *Pool, c *Client, username, password string, now time.Time) (*authOutcome, error) {
	if password == "" {
		return nil, invalidParameter("Missing required parameter PASSWORD")
	}
	u, err := s.checkPassword(ctx, p, c, username, password, nil, now)
	if err != nil {
		return nil, err
	}
	return s.afterPassword(ctx, p, c, u, nil, now)
}

// srpFactor is the PASSWORD_SRP factor: the first step of USER_SRP_AUTH.
func (s *Service) srpFactor(ctx context.Context, p *Pool, c *Client, username, srpA string, now time.Time) (*authOutcome, error) {
	if srpA == "" {
		return nil, invalidParameter("Missing required parameter SRP_A")
	}
	return s.srpChallenge(ctx, p, c, username, srpA, nil, now)
}

// selectChallenge carries out RespondToAuthChallenge SELECT_CHALLENGE (and PASSWORD or
// PASSWORD_SRP named as the challenge itself): the factor chosen from AvailableChallenges,
// with what it needs, for the user the session was made for.
func (s *Service) selectChallenge(ctx context.Context, p *Pool, c *Client, req *authRequest, now time.Time) (*authOutcome, error) {
	ss, err := s.openSession(req.session, c, challengeSelect, now)
	if err != nil {
		return nil, err
	}
	answer := req.params["ANSWER"]
	if req.flow != challengeSelect {
		answer = req.flow
	}
	switch {
	case answer == "":
		return nil, invalidParameter("Missing required parameter ANSWER")
	case !slices.Contains(availableChallenges(p), answer):
		return nil, invalidParameter("Invalid ANSWER %s: it is not one of the available challenges.", answer)
	}
	name := ss.Typed
	if ss.User != "" {
		u, err := s.store.GetUserBySub(ctx, p.ID, ss.User)
		if errors.Is(err, ErrNotFound) {
			return nil, errInvalidSession
		} else if err != nil {
			return nil, err
		}
		name = u.Username
	}
	if f, ok := firstFactorNamed(answer); ok || answer == challengeWebAuthn {
		// The choice of a factor that sends or asks for something is made once.
		if err := s.useOnce(ctx, p.ID, []byte(req.session), sessionTTL(c), now); err != nil {
			return nil, err
		}
		if !ok {
			return s.startWebAuthn(ctx, p, c, name, now) // userauth_webauthn.go
		}
		return s.startFirstFactor(ctx, p, c, f, name, req, now)
	}
	if answer == "PASSWORD_SRP" {
		return s.srpFactor(ctx, p, c, name, req.params["SRP_A"], now)
	}
	return s.passwordFactor(ctx, p, c, name, req.params["PASSWORD"], now)
}

// signUpSession is the Session SignUp and ConfirmSignUp answer. ConfirmSignUp's lets
// InitiateAuth USER_AUTH sign the user in once within the client's AuthSessionValidity,
// the code the user confirmed with standing as the first factor (API model,
// InitiateAuthRequest.Session). SignUp's is only handed on to ConfirmSignUp.
func (s *Service) signUpSession(p *Pool, c *Client, u *User, challenge string, now time.Time) (*string, error) {
	sess, err := s.sealFor(p, c, u.Sub, u.Username, challenge, now)
	if err != nil {
		return nil, err
	}
	return &sess, nil
}

// signInAfterSignUp signs in the user a ConfirmSignUp session was made for: once, within
// its lifetime, when USERNAME names that user, who must be confirmed and enabled. The
// attempt counts in the sign-in budget like a password.
func (s *Service) signInAfterSignUp(ctx context.Context, p *Pool, c *Client, username, raw string, now time.Time) (*authOutcome, error) {
	ss, err := s.openSession(raw, c, challengeSignedUp, now)
	if err != nil {
		return nil, err
	}
	u, err := s.signInUser(ctx, p, c, username)
	if err != nil {
		return nil, err
	}
	if u.Sub != ss.User {
		return nil, errInvalidSession
	}
	if err := s.passwordAttempt(ctx, u, now); err != nil {
		return nil, err
	}
	if u.Status != StatusConfirmed {
		return nil, errInvalidSession
	}
	if err := s.useOnce(ctx, p.ID, []byte(raw), 15*time.Minute, now); err != nil {
		return nil, err
	}
	// The confirmed code stands as the first sign-in's second factor too: "The first time
	// that a new user signs in to your app, Amazon Cognito issues OAuth 2.0 tokens, even if
	// your user pool requires MFA" (developer guide, Adding MFA to a user pool).
	return s.afterAuthenticated(ctx, p, c, u, nil, now)
}
