package userpool

import (
	"context"
	"errors"
	"slices"
)

// maxLinkedIdentities is how many federated identities one user may have (developer guide).
const maxLinkedIdentities = 5

// AdminLinkProviderForUser links a federated identity that has not signed in yet to an
// existing user: when it signs in through its provider, it signs in as that user. The
// link is an entry of the user's identities attribute, whose alias the store keeps unique.
func (s *Service) AdminLinkProviderForUser(ctx context.Context, in *AdminLinkProviderForUserRequest) (*AdminLinkProviderForUserResponse, error) {
	poolID := deref(in.UserPoolId)
	p, err := s.loadPool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	src, dst := in.SourceUser, in.DestinationUser
	if src == nil || dst == nil || deref(src.ProviderName) == "" || deref(src.ProviderAttributeValue) == "" {
		return nil, invalidParameter("SourceUser and DestinationUser need a ProviderName and a ProviderAttributeValue.")
	}
	if slices.Contains(reservedProviderNames, deref(src.ProviderName)) {
		// [O: github.com/aws-amplify/amplify-js/issues/13334]
		return nil, invalidParameter("Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser, only as a DestinationUser")
	}
	if deref(src.ProviderAttributeName) != "Cognito_Subject" {
		return nil, invalidParameter("cognate links OIDC identities by Cognito_Subject only.")
	}
	if !slices.Contains(reservedProviderNames, deref(dst.ProviderName)) {
		return nil, invalidParameter("DestinationUser must be a user of the pool (ProviderName Cognito).")
	}
	idp, err := s.store.GetIdentityProvider(ctx, p.ID, deref(src.ProviderName))
	if errors.Is(err, ErrNotFound) {
		return nil, invalidParameter("There is no identity provider %s in the user pool.", deref(src.ProviderName))
	} else if err != nil {
		return nil, err
	}
	// [O: github.com/aws/aws-sdk-net/issues/1000] for an identity that signed in already.
	errMerge := invalidParameter("Merging is not currently supported, provide a SourceUser that has not been signed up in order to link")
	now := s.clock()
	_, err = s.updateUser(ctx, p.ID, deref(dst.ProviderAttributeValue), func(p *Pool, u *User) error {
		ids := u.identities()
		if len(ids) >= maxLinkedIdentities {
			return newError("LimitExceededException", "A user can be linked to at most %d federated identities.", maxLinkedIdentities)
		}
		for _, id := range ids {
			if id.ProviderName == deref(idp.ProviderName) && id.UserID == deref(src.ProviderAttributeValue) {
				return nil // linked already
			}
		}
		u.setIdentities(append(ids, identity{UserID: deref(src.ProviderAttributeValue), ProviderName: deref(idp.ProviderName),
			ProviderType: deref(idp.ProviderType), Issuer: nil, Primary: false, DateCreated: now.UnixMilli()}))
		u.ModifiedAt = now
		return nil
	})
	var ue *Error
	if errors.As(err, &ue) && ue.Code == "AliasExistsException" {
		return nil, errMerge // the identity is another user's: its own federated user, or a link
	}
	if err != nil {
		return nil, err
	}
	return &AdminLinkProviderForUserResponse{}, nil
}
