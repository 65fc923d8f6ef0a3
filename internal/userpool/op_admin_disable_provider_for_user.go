package userpool

import (
	"context"
	"errors"
	"slices"
)

// AdminDisableProviderForUser stops a user signing in one way. For ProviderName Cognito the
// user (named by ProviderAttributeValue) can no longer sign in with its password. For a
// federated identity, a link to an existing user is removed; an identity that is its own
// federated user is disabled, so it cannot sign in through the provider.
func (s *Service) AdminDisableProviderForUser(ctx context.Context, in *AdminDisableProviderForUserRequest) (*AdminDisableProviderForUserResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	who := in.User
	if who == nil || deref(who.ProviderName) == "" || deref(who.ProviderAttributeValue) == "" {
		return nil, invalidParameter("User needs a ProviderName and a ProviderAttributeValue.")
	}
	provider, value := deref(who.ProviderName), deref(who.ProviderAttributeValue)
	now := s.clock()
	if slices.Contains(reservedProviderNames, provider) {
		_, err := s.updateUser(ctx, p.ID, value, func(p *Pool, u *User) error {
			u.PasswordHash, u.SRPSalt, u.SRPVerifier = "", "", nil
			u.ModifiedAt = now
			return nil
		})
		if err != nil {
			return nil, err
		}
		return &AdminDisableProviderForUserResponse{}, nil
	}
	holder, err := s.store.GetUserByAlias(ctx, p.ID, identityAlias(provider, value))
	if errors.Is(err, ErrNotFound) {
		return nil, userNotFound()
	} else if err != nil {
		return nil, err
	}
	_, err = s.updateUser(ctx, p.ID, holder.Username, func(p *Pool, u *User) error {
		if u.Status == StatusExternalProvider && u.Username == provider+"_"+value {
			u.Enabled = false
		} else {
			u.setIdentities(slices.DeleteFunc(u.identities(), func(id identity) bool {
				return id.ProviderName == provider && id.UserID == value
			}))
		}
		u.ModifiedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &AdminDisableProviderForUserResponse{}, nil
}
