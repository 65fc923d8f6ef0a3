package userpool

import (
	"context"
	"errors"
)

// GetIdentityProviderByIdentifier returns the provider that holds an IdP identifier.
func (s *Service) GetIdentityProviderByIdentifier(ctx context.Context, in *GetIdentityProviderByIdentifierRequest) (*GetIdentityProviderByIdentifierResponse, error) {
	if _, err := s.loadPool(ctx, deref(in.UserPoolId)); err != nil {
		return nil, err
	}
	idp, err := s.store.GetIdentityProviderByIdentifier(ctx, deref(in.UserPoolId), deref(in.IdpIdentifier))
	if errors.Is(err, ErrNotFound) {
		return nil, identityProviderNotFound(deref(in.IdpIdentifier))
	}
	if err != nil {
		return nil, err
	}
	return &GetIdentityProviderByIdentifierResponse{IdentityProvider: idp}, nil
}
