package userpool

import (
	"context"
	"errors"
)

// SetUICustomization sets the classic hosted UI's style sheet and logo of a pool's clients
// at large (ClientId ALL or none) or of one client. CSS and logo are set together, as AWS
// sets them ("You can't set CSS and logo customization separately"); a request with
// neither removes the customization, which is how Terraform deletes one.
func (s *Service) SetUICustomization(ctx context.Context, in *SetUICustomizationRequest) (*SetUICustomizationResponse, error) {
	p, scope, err := s.loadUIScope(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	d, err := s.poolDomain(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	if d == nil {
		// [O] the sentence AWS answered a SetUICustomization on a pool without a domain
		// with (amazon-connect/voicemail-for-amazon-connect#5).
		return nil, invalidParameter("A domain must be associated with this user pool.")
	}
	u := &UICustomization{PoolID: p.ID, ClientID: scope, CSS: in.CSS}
	if in.CSS != nil {
		if err := checkCSS(*in.CSS); err != nil {
			return nil, err
		}
	}
	if len(in.ImageFile) > 0 {
		if u.ImageType, err = logoType(in.ImageFile); err != nil {
			return nil, err
		}
		u.Image = in.ImageFile
	}
	if u.CSS == nil && len(u.Image) == 0 {
		if err := s.store.DeleteUICustomization(ctx, p.ID, scope); err != nil {
			return nil, err
		}
		out := &UICustomizationType{UserPoolId: ptr(p.ID), ClientId: ptr(allClients)}
		if scope != "" {
			out.ClientId = ptr(scope)
		}
		return &SetUICustomizationResponse{UICustomization: out}, nil
	}
	now := At(s.clock())
	u.CreatedAt, u.ModifiedAt, u.Version = now, now, uiVersion(now)
	switch old, err := s.store.GetUICustomization(ctx, p.ID, scope); {
	case err == nil:
		u.CreatedAt = old.CreatedAt
	case !errors.Is(err, ErrNotFound):
		return nil, err
	}
	if err := s.store.PutUICustomization(ctx, u); errors.Is(err, ErrNotFound) {
		// The pool or the client went away since they were read.
		if scope != "" {
			return nil, clientNotFound(scope)
		}
		return nil, poolNotFound(p.ID)
	} else if err != nil {
		return nil, err
	}
	return &SetUICustomizationResponse{UICustomization: s.describeUICustomization(u)}, nil
}
