package userpool

import (
	"context"
	"errors"
)

// DeleteIdentityProvider removes a provider; its users can no longer sign in through it.
func (s *Service) DeleteIdentityProvider(ctx context.Context, in *DeleteIdentityProviderRequest) (*DeleteIdentityProviderResponse, error) {
	_, idp, err := s.loadIdentityProvider(ctx, deref(in.UserPoolId), deref(in.ProviderName))
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteIdentityProvider(ctx, deref(idp.UserPoolId), deref(idp.ProviderName)); errors.Is(err, ErrNotFound) {
		return nil, identityProviderNotFound(deref(in.ProviderName))
	} else if err != nil {
		return nil, err
	}
	return &DeleteIdentityProviderResponse{}, nil
}
