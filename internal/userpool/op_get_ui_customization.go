package userpool

import "context"

// GetUICustomization returns the classic hosted UI customization a client's pages show:
// its own, else the pool's (ClientId ALL); with no client, the pool's. With none set, the
// answer is an empty UICustomization ([D] "Returns an empty object"; Terraform's provider
// relies on it).
func (s *Service) GetUICustomization(ctx context.Context, in *GetUICustomizationRequest) (*GetUICustomizationResponse, error) {
	p, scope, err := s.loadUIScope(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	u, err := s.effectiveUICustomization(ctx, p.ID, scope)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return &GetUICustomizationResponse{UICustomization: &UICustomizationType{}}, nil
	}
	return &GetUICustomizationResponse{UICustomization: s.describeUICustomization(u)}, nil
}
