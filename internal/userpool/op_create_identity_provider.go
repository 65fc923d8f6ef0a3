package userpool

import (
	"context"
	"errors"
	"slices"
)

// CreateIdentityProvider adds an OpenID Connect provider that users can sign in through at
// /oauth2/authorize?identity_provider=<name>.
func (s *Service) CreateIdentityProvider(ctx context.Context, in *CreateIdentityProviderRequest) (*CreateIdentityProviderResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	name := deref(in.ProviderName)
	if slices.Contains(reservedProviderNames, name) {
		return nil, invalidParameter("Provider name %s is reserved.", name)
	}
	if deref(in.ProviderType) != "OIDC" {
		return nil, invalidParameter("cognate supports only OIDC identity providers yet, not %s.", deref(in.ProviderType))
	}
	if err := checkOIDCDetails(in.ProviderDetails); err != nil {
		return nil, err
	}
	mapping := defaultAttributeMapping(in.AttributeMapping)
	if err := checkAttributeMapping(p, mapping); err != nil {
		return nil, err
	}
	now := At(s.clock())
	idp := &IdentityProviderType{UserPoolId: ptr(p.ID), ProviderName: ptr(name), ProviderType: in.ProviderType,
		ProviderDetails: providerDetailsOut(in.ProviderDetails), AttributeMapping: mapping,
		IdpIdentifiers: in.IdpIdentifiers, CreationDate: now, LastModifiedDate: now}
	if idp.IdpIdentifiers == nil {
		idp.IdpIdentifiers = []string{}
	}
	switch err := s.store.CreateIdentityProvider(ctx, idp); {
	case errors.Is(err, ErrNotFound):
		return nil, poolNotFound(p.ID)
	case errors.Is(err, ErrConflict):
		if _, gerr := s.store.GetIdentityProvider(ctx, p.ID, name); gerr == nil {
			// [I] AWS's wording is not recorded.
			return nil, newError("DuplicateProviderException", "A provider with the name %s already exists in this user pool.", name)
		}
		return nil, errIdentifierTaken
	case err != nil:
		return nil, err
	}
	return &CreateIdentityProviderResponse{IdentityProvider: idp}, nil
}
