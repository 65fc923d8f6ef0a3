package userpool

import (
	"context"
	"errors"
)

// ConfirmSignUp confirms a user with its sign-up code, verifying the attribute the code
// went to. At most 15 attempts a user an hour; the count is taken before the code is judged.
// It answers a Session that signs the user in once (userauth.go); the Session of SignUp it
// may be handed is accepted and not needed.
func (s *Service) ConfirmSignUp(ctx context.Context, in *ConfirmSignUpRequest) (*ConfirmSignUpResponse, error) {
	typed := deref(in.Username)
	p, c, err := s.publicClient(ctx, deref(in.ClientId), in.SecretHash, false, typed)
	if err != nil {
		return nil, err
	}
	return s.confirmSignUp(ctx, p, c, in)
}

// ConfirmSignUpByLink confirms a user from the link of a CONFIRM_WITH_LINK email (GET
// /confirmUser): the link carries the client, the username and the code, and no SecretHash,
// as the link of AWS's hosted domain does.
func (s *Service) ConfirmSignUpByLink(ctx context.Context, clientID, username, code string) error {
	c, err := s.store.FindClient(ctx, clientID)
	if errors.Is(err, ErrNotFound) {
		return clientNotFound(clientID)
	}
	if err != nil {
		return err
	}
	p, err := s.loadPool(ctx, c.PoolID)
	if err != nil {
		return err
	}
	_, err = s.confirmSignUp(ctx, p, c, &ConfirmSignUpRequest{ClientId: &clientID, Username: &username, ConfirmationCode: &code})
	return err
}

func (s *Service) confirmSignUp(ctx context.Context, p *Pool, c *Client, in *ConfirmSignUpRequest) (*ConfirmSignUpResponse, error) {
	typed := deref(in.Username)
	now := s.clock()
	u, err := s.findUser(ctx, p, typed)
	if errors.Is(err, ErrNotFound) {
		if c.preventsEnumeration() {
			return nil, errCodeMismatch
		}
		return nil, newError("UserNotFoundException", "Username/client id combination not found.")
	}
	if err != nil {
		return nil, err
	}
	if err := s.countAttempt(ctx, u, "confirm-signup", now, 15); err != nil {
		return nil, err
	}
	if u.Status != StatusUnconfirmed {
		return nil, notAuthorized("User cannot be confirmed. Current status is %s", u.Status)
	}
	code, err := s.checkCode(ctx, u, purposeSignUp, deref(in.ConfirmationCode), now)
	if err != nil {
		return nil, err
	}
	attr := signUpDestination(p, u)
	u.Status = StatusConfirmed
	u.ModifiedAt = now
	if attr != "" {
		u.setAttr(attr+"_verified", "true")
	}
	p.computeAliases(u)
	writes := []UserWrite{{User: u}}
	if deref(in.ForceAliasCreation) {
		moved, err := s.takeAliases(ctx, p, u, now)
		if err != nil {
			return nil, err
		}
		writes = append(writes, moved...)
	}
	// The code is used up exactly when the user is confirmed (and whoever held its aliases
	// loses them), and the attempts are cleared: one transaction.
	err = s.store.RedeemCode(ctx, &Redemption{Code: code, Users: writes, Clear: []Counter{{u.Sub, "confirm-signup"}}})
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, errExpiredCode // another request used the code first
	case errors.Is(err, ErrAliasConflict):
		return nil, s.aliasExists(ctx, p, u)
	case errors.Is(err, ErrConflict):
		return nil, newError("ConcurrentModificationException", "The user changed while it was being confirmed; try again.")
	case err != nil:
		return nil, err
	}
	// The pool's PostConfirmation function runs once the confirmation is committed; its
	// failure is the answer, and the confirmation stands (spec §6.4).
	if err := s.postConfirmation(ctx, p, c, u, "PostConfirmation_ConfirmSignUp", in.ClientMetadata); err != nil {
		return nil, err
	}
	// The Session signs the user in once with InitiateAuth USER_AUTH (Amplify's autoSignIn),
	// whether or not the request handed on SignUp's.
	sess, err := s.signUpSession(p, c, u, challengeSignedUp, now)
	if err != nil {
		return nil, err
	}
	return &ConfirmSignUpResponse{Session: sess}, nil
}
