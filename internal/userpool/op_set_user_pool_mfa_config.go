package userpool

import "context"

// SetUserPoolMfaConfig sets a pool's MFA configuration (mfa_pool.go has the rules) and
// answers it as GetUserPoolMfaConfig then would.
func (s *Service) SetUserPoolMfaConfig(ctx context.Context, in *SetUserPoolMfaConfigRequest) (*SetUserPoolMfaConfigResponse, error) {
	var out *GetUserPoolMfaConfigResponse
	err := retryConflicts(ctx, func() error {
		p, err := s.loadPool(ctx, deref(in.UserPoolId))
		if err != nil {
			return err
		}
		if err := p.setMFAConfig(in); err != nil {
			return err
		}
		p.Doc.LastModifiedDate = At(s.clock())
		if err := s.updatePool(ctx, p); err != nil {
			return err
		}
		out = p.mfaConfig()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return (*SetUserPoolMfaConfigResponse)(out), nil
}
