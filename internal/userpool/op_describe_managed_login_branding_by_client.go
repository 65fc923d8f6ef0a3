package userpool

import (
	"context"
	"errors"
)

// DescribeManagedLoginBrandingByClient describes the branding style of an app client.
func (s *Service) DescribeManagedLoginBrandingByClient(ctx context.Context, in *DescribeManagedLoginBrandingByClientRequest) (*DescribeManagedLoginBrandingByClientResponse, error) {
	p, c, err := s.loadClient(ctx, deref(in.UserPoolId), deref(in.ClientId))
	if err != nil {
		return nil, err
	}
	b, err := s.store.GetBrandingByClient(ctx, p.ID, c.ID)
	if errors.Is(err, ErrNotFound) {
		return nil, brandingNotFound("of app client " + c.ID)
	}
	if err != nil {
		return nil, err
	}
	return &DescribeManagedLoginBrandingByClientResponse{ManagedLoginBranding: describeBranding(b)}, nil
}
