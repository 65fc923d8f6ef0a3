package userpool

import "context"

// DescribeIdentityProvider returns a provider's configuration.
func (s *Service) DescribeIdentityProvider(ctx context.Context, in *DescribeIdentityProviderRequest) (*DescribeIdentityProviderResponse, error) {
	_, idp, err := s.loadIdentityProvider(ctx, deref(in.UserPoolId), deref(in.ProviderName))
	if err != nil {
		return nil, err
	}
	return &DescribeIdentityProviderResponse{IdentityProvider: idp}, nil
}
