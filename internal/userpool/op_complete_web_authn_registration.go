package userpool

import (
	"context"
	"errors"
)

// CompleteWebAuthnRegistration verifies what the authenticator made from
// StartWebAuthnRegistration's options (its attestation, over the challenge, for the relying
// party, from one of its origins) and registers the passkey. A challenge registers one
// passkey, once.
func (s *Service) CompleteWebAuthnRegistration(ctx context.Context, in *CompleteWebAuthnRegistrationRequest) (*CompleteWebAuthnRegistrationResponse, error) {
	now := s.clock()
	r, err := s.registrant(ctx, deref(in.AccessToken), now)
	if err != nil {
		return nil, err
	}
	k, challenge, err := s.verifyRegistration(r.p, r.u, r.clientID, r.rp, r.keys, in.Credential, now)
	if err != nil {
		return nil, err
	}
	if err := s.useOnce(ctx, r.p.ID, challenge, passkeyTimeout, now); errors.Is(err, errSessionUsed) {
		return nil, errPasskeyChallenge
	} else if err != nil {
		return nil, err
	}
	switch err := s.store.CreatePasskey(ctx, k); {
	case errors.Is(err, ErrConflict):
		return nil, invalidParameter("This passkey is registered already.")
	case errors.Is(err, ErrNotFound):
		return nil, userNotFound()
	case err != nil:
		return nil, err
	}
	return &CompleteWebAuthnRegistrationResponse{}, nil
}
