package userpool

import (
	"context"
	"slices"
	"time"
)

// The first factors of USER_AUTH beyond the password, each in a file of its own, all
// registered here: a factor is offered in AvailableChallenges, taken as
// PREFERRED_CHALLENGE or as the ANSWER to SELECT_CHALLENGE, and its challenge answered by
// RespondToAuthChallenge, through this table alone.

// firstFactor is one such factor.
type firstFactor struct {
	// name is the factor as AllowedFirstAuthFactors, AvailableChallenges and its
	// challenge name it.
	name string
	// configured reports whether the user can sign in with the factor
	// (GetUserAuthFactors' ConfiguredUserAuthFactors).
	configured func(p *Pool, u *User) bool
	// start begins the factor for the user signing in as username (u nil: a user that
	// does not exist, when the client hides that).
	start func(s *Service, ctx context.Context, p *Pool, c *Client, u *User, username string, req *authRequest, now time.Time) (*authOutcome, error)
	// respond answers the factor's challenge.
	respond func(s *Service, ctx context.Context, p *Pool, c *Client, req *authRequest, now time.Time) (*authOutcome, error)
}

// extraFirstFactors lists the factors. Passkeys (WEB_AUTHN) go here too.
func extraFirstFactors() []firstFactor {
	return []firstFactor{emailOTPFactor, smsOTPFactor}
}

// firstFactorNamed finds a factor of the table.
func firstFactorNamed(name string) (firstFactor, bool) {
	i := slices.IndexFunc(extraFirstFactors(), func(f firstFactor) bool { return f.name == name })
	if i < 0 {
		return firstFactor{}, false
	}
	return extraFirstFactors()[i], true
}

// isFirstFactorChallenge reports whether a challenge name is one of the table's.
func isFirstFactorChallenge(name string) bool {
	_, ok := firstFactorNamed(name)
	return ok
}

// factorOffered reports whether the pool offers a factor of the table: named in its
// SignInPolicy.AllowedFirstAuthFactors, on the Essentials tier or higher (API reference,
// SignInPolicyType), and not on a pool that requires MFA ("MFA and passwordless cannot be
// used together", Amplify's passwordless guide after the developer guide's MFA
// prerequisites).
func factorOffered(p *Pool, name string) bool {
	sp := p.Doc.Policies.SignInPolicy
	return sp != nil && slices.Contains(sp.AllowedFirstAuthFactors, name) &&
		deref(p.Doc.UserPoolTier) != "LITE" && p.mfaMode() != mfaOn
}

// offeredFactors lists the table's factors the pool offers, in the table's order.
func offeredFactors(p *Pool) []string {
	var names []string
	for _, f := range extraFirstFactors() {
		if factorOffered(p, f.name) {
			names = append(names, f.name)
		}
	}
	return names
}

// startFirstFactor begins a factor of the table that the pool offers, for the user named
// (found here; nil when it does not exist and the client hides that).
func (s *Service) startFirstFactor(ctx context.Context, p *Pool, c *Client, f firstFactor, username string, req *authRequest, now time.Time) (*authOutcome, error) {
	u, err := s.signInUser(ctx, p, c, username)
	if err != nil && !(c.preventsEnumeration() && err == errIncorrect) {
		return nil, err
	}
	return f.start(s, ctx, p, c, u, username, req, now)
}

// respondFirstFactor answers the challenge of a factor of the table.
func (s *Service) respondFirstFactor(ctx context.Context, p *Pool, c *Client, req *authRequest, now time.Time) (*authOutcome, error) {
	f, ok := firstFactorNamed(req.flow)
	if !ok {
		return nil, invalidParameter("Unsupported challenge %s.", req.flow)
	}
	return f.respond(s, ctx, p, c, req, now)
}
