package userpool

import "context"

// DescribeManagedLoginBranding describes a branding style by its id.
func (s *Service) DescribeManagedLoginBranding(ctx context.Context, in *DescribeManagedLoginBrandingRequest) (*DescribeManagedLoginBrandingResponse, error) {
	b, err := s.loadBranding(ctx, deref(in.UserPoolId), deref(in.ManagedLoginBrandingId))
	if err != nil {
		return nil, err
	}
	return &DescribeManagedLoginBrandingResponse{ManagedLoginBranding: describeBranding(b)}, nil
}
