package userpool

import "context"

// GetUserPoolMfaConfig describes a pool's MFA configuration: MfaConfiguration, the SMS,
// software token and email factors that are on, and the passkey configuration.
func (s *Service) GetUserPoolMfaConfig(ctx context.Context, in *GetUserPoolMfaConfigRequest) (*GetUserPoolMfaConfigResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	return p.mfaConfig(), nil
}
