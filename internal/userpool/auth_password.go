package userpool

import (
	"context"
	"errors"
	"time"

	"github.com/go-json-experiment/json"
)

// Sign-in by password (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH): the check, the lockout
// and what a right password leads to.

// checkPassword finds the user and checks the password, with the lockout counted before the
// check and equal time for users that do not exist (a dummy hash is verified for them). A
// name that is no user may be migrated by the pool's UserMigration function
// (UserMigration_Authentication, the sign-in's ClientMetadata as its validationData): the
// user it answers is written, and signs in.
func (s *Service) checkPassword(ctx context.Context, p *Pool, c *Client, username, password string, metadata map[string]string, now time.Time) (*User, error) {
	u, err := s.findUser(ctx, p, username)
	if errors.Is(err, ErrNotFound) {
		writes, err := s.migrateUser(ctx, p, c, username, &password, metadata, nil, now)
		if err != nil {
			return nil, err
		}
		if writes != nil {
			migrated := writes[0].User
			switch err := s.store.SaveUsers(ctx, writes...); {
			case errors.Is(err, ErrAliasConflict):
				return nil, s.aliasExists(ctx, p, migrated)
			case errors.Is(err, ErrConflict):
				return nil, newError("UsernameExistsException", "User account already exists")
			case err != nil:
				return nil, err
			}
			return migrated, nil
		}
	}
	if errors.Is(err, ErrNotFound) {
		// The dummy verify takes a real user's time, and is refused when the hasher is
		// overloaded as a real user's would be: no answer tells the two apart.
		if _, err := s.passwords.Verify(ctx, "", password); err != nil {
			return nil, err
		}
		if c.preventsEnumeration() {
			return nil, errIncorrect
		}
		return nil, userNotFound()
	}
	if err != nil {
		return nil, err
	}
	if err := s.passwordAttempt(ctx, u, now); err != nil {
		return nil, err
	}
	// The pool's PreAuthentication function may refuse the sign-in; the attempt is counted
	// first, so that no answer of it widens the lockout budget.
	if err := s.preAuthentication(ctx, p, c, u, metadata); err != nil {
		return nil, err
	}
	ok, err := s.passwords.Verify(ctx, u.PasswordHash, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errIncorrect
	}
	return u, nil
}

// signInUser finds the user a sign-in names; a name that is no user is refused as a wrong
// password when the client hides that users exist.
func (s *Service) signInUser(ctx context.Context, p *Pool, c *Client, username string) (*User, error) {
	u, err := s.findUser(ctx, p, username)
	if errors.Is(err, ErrNotFound) {
		if c.preventsEnumeration() {
			return nil, errIncorrect
		}
		return nil, userNotFound()
	}
	return u, err
}

// passwordAttempt counts a sign-in attempt before its password is checked (a success
// clears the count, in afterPassword), and refuses users that may not sign in at all.
func (s *Service) passwordAttempt(ctx context.Context, u *User, now time.Time) error {
	if err := s.passwords.Admit(); err != nil {
		return err // refused before it counts: overload must not lock a right password out
	}
	ok, err := s.store.CountAttempt(ctx, u.PoolID, u.Sub, "signin", now, signInWindow, signInLimit)
	switch {
	case err != nil:
		return err
	case !ok:
		return errAttemptsExceed
	case !u.Enabled:
		return errDisabled
	case u.Status == StatusResetRequired:
		return errResetRequired
	}
	return nil
}

// afterPassword decides what a user whose password was right gets: an error for its state,
// the NEW_PASSWORD_REQUIRED challenge, an MFA challenge (mfa_challenge.go), or tokens. A
// right password ends the lockout count; with tokens, in the same write as the session.
func (s *Service) afterPassword(ctx context.Context, p *Pool, c *Client, u *User, metadata map[string]string, now time.Time) (*authOutcome, error) {
	challenge, err := s.passwordOutcome(ctx, p, c, u, now)
	if err != nil || challenge != nil {
		return challenge, err
	}
	if challenge, err := s.mfaChallenge(ctx, p, c, u, metadata, now); err != nil || challenge != nil {
		return challenge, err
	}
	return s.signedIn(ctx, p, c, u, metadata, now)
}

// afterAuthenticated is afterPassword for sign-ins that owe no MFA step: those a custom
// challenge or a confirmed sign-up authenticated.
func (s *Service) afterAuthenticated(ctx context.Context, p *Pool, c *Client, u *User, metadata map[string]string, now time.Time) (*authOutcome, error) {
	challenge, err := s.passwordOutcome(ctx, p, c, u, now)
	if err != nil || challenge != nil {
		return challenge, err
	}
	return s.signedIn(ctx, p, c, u, metadata, now)
}

// signedIn issues the tokens of an authenticated user, once its PostAuthentication
// function agrees, and ends its lockout count.
func (s *Service) signedIn(ctx context.Context, p *Pool, c *Client, u *User, metadata map[string]string, now time.Time) (*authOutcome, error) {
	return s.signedInBy(ctx, p, c, u, metadata, now, "TokenGeneration_Authentication")
}

// signedInBy is signedIn with the PreTokenGeneration source that names how the user was
// authenticated.
func (s *Service) signedInBy(ctx context.Context, p *Pool, c *Client, u *User, metadata map[string]string, now time.Time, source string) (*authOutcome, error) {
	// The pool's PostAuthentication function runs once the user is authenticated and
	// before tokens are issued: its failure is the sign-in's answer.
	if err := s.postAuthentication(ctx, p, c, u, metadata); err != nil {
		return nil, err
	}
	res, err := s.startSession(ctx, p, c, u, now, tokenEvent{source: source, metadata: metadata}, signinCounter(u))
	if err != nil {
		return nil, err
	}
	return &authOutcome{AuthenticationResult: res, ChallengeParameters: map[string]string{}}, nil
}

// signinCounter is the user's count of wrong passwords, which a right one ends.
func signinCounter(u *User) Counter { return Counter{Subject: u.Sub, Kind: "signin"} }

// passwordOutcome is what follows a right password, for the API and the hosted pages
// alike: an error for the user's state, a challenge, or nil when the user may have tokens.
// For a user who gets no tokens it ends the lockout count here; otherwise the caller ends
// it in the same write as the session.
func (s *Service) passwordOutcome(ctx context.Context, p *Pool, c *Client, u *User, now time.Time) (*authOutcome, error) {
	switch u.Status {
	case StatusUnconfirmed, StatusResetRequired, StatusForceChangePassword:
		lockout := signinCounter(u)
		if err := s.store.ClearAttempts(ctx, u.PoolID, lockout.Subject, lockout.Kind); err != nil {
			return nil, err
		}
	}
	switch u.Status {
	case StatusUnconfirmed:
		return nil, errUnconfirmed
	case StatusResetRequired:
		return nil, errResetRequired
	case StatusForceChangePassword:
		days := deref(p.Doc.Policies.PasswordPolicy.TemporaryPasswordValidityDays)
		if days > 0 && now.After(u.PasswordSetAt.Add(time.Duration(days)*24*time.Hour)) {
			return nil, errTempPassExpired
		}
		sess, err := s.sealSession(p, c, u, "NEW_PASSWORD_REQUIRED", now)
		if err != nil {
			return nil, err
		}
		attrs := map[string]string{}
		for _, a := range u.Attributes {
			if a.Name != "sub" {
				attrs[a.Name] = a.Value
			}
		}
		var required []string
		for _, sa := range p.Doc.SchemaAttributes {
			name := deref(sa.Name)
			if _, has := u.attr(name); deref(sa.Required) && name != "sub" && !has {
				required = append(required, "userAttributes."+name)
			}
		}
		ua, _ := json.Marshal(attrs, json.Deterministic(true))
		ra, _ := json.Marshal(append([]string{}, required...))
		return &authOutcome{ChallengeName: ptr("NEW_PASSWORD_REQUIRED"), Session: ptr(sess),
			ChallengeParameters: map[string]string{"USER_ID_FOR_SRP": u.Username, "requiredAttributes": string(ra), "userAttributes": string(ua)}}, nil
	}
	return nil, nil
}
