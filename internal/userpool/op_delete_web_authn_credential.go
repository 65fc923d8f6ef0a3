package userpool

import (
	"context"
	"errors"
)

// DeleteWebAuthnCredential removes one of the signed-in user's passkeys: it signs in no more.
func (s *Service) DeleteWebAuthnCredential(ctx context.Context, in *DeleteWebAuthnCredentialRequest) (*DeleteWebAuthnCredentialResponse, error) {
	_, u, _, err := s.authorize(ctx, deref(in.AccessToken), s.clock())
	if err != nil {
		return nil, err
	}
	errNoPasskey := newError("ResourceNotFoundException", "Passkey credential not found.")
	k, err := s.store.GetPasskey(ctx, u.PoolID, deref(in.CredentialId))
	if errors.Is(err, ErrNotFound) || (err == nil && k.UserSub != u.Sub) {
		return nil, errNoPasskey
	} else if err != nil {
		return nil, err
	}
	if err := s.store.DeletePasskey(ctx, u.PoolID, k.ID); errors.Is(err, ErrNotFound) {
		return nil, errNoPasskey
	} else if err != nil {
		return nil, err
	}
	return &DeleteWebAuthnCredentialResponse{}, nil
}
