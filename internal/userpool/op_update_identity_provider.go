package userpool

import (
	"context"
	"errors"
)

// UpdateIdentityProvider replaces the members it is given of a provider's configuration.
func (s *Service) UpdateIdentityProvider(ctx context.Context, in *UpdateIdentityProviderRequest) (*UpdateIdentityProviderResponse, error) {
	p, idp, err := s.loadIdentityProvider(ctx, deref(in.UserPoolId), deref(in.ProviderName))
	if err != nil {
		return nil, err
	}
	if in.ProviderDetails != nil {
		details := map[string]string{}
		for k, v := range in.ProviderDetails {
			details[k] = v
		}
		if _, ok := details["client_secret"]; !ok && idp.ProviderDetails["client_secret"] != "" {
			details["client_secret"] = idp.ProviderDetails["client_secret"] // kept unless replaced
		}
		if err := checkOIDCDetails(details); err != nil {
			return nil, err
		}
		idp.ProviderDetails = providerDetailsOut(details)
	}
	if in.AttributeMapping != nil {
		m := defaultAttributeMapping(in.AttributeMapping)
		if err := checkAttributeMapping(p, m); err != nil {
			return nil, err
		}
		idp.AttributeMapping = m
	}
	if in.IdpIdentifiers != nil {
		idp.IdpIdentifiers = in.IdpIdentifiers
	}
	idp.LastModifiedDate = At(s.clock())
	switch err := s.store.UpdateIdentityProvider(ctx, idp); {
	case errors.Is(err, ErrNotFound):
		return nil, identityProviderNotFound(deref(in.ProviderName))
	case errors.Is(err, ErrConflict):
		return nil, errIdentifierTaken
	case err != nil:
		return nil, err
	}
	return &UpdateIdentityProviderResponse{IdentityProvider: idp}, nil
}
