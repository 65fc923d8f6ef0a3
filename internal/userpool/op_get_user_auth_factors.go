package userpool

import "context"

// GetUserAuthFactors describes the signed-in user's MFA settings and the first factors it
// can sign in with.
func (s *Service) GetUserAuthFactors(ctx context.Context, in *GetUserAuthFactorsRequest) (*GetUserAuthFactorsResponse, error) {
	p, u, _, err := s.authorize(ctx, deref(in.AccessToken), s.clock())
	if err != nil {
		return nil, err
	}
	out := &GetUserAuthFactorsResponse{Username: ptr(u.Username)}
	out.PreferredMfaSetting, out.UserMFASettingList, out.ConfiguredUserAuthFactors = u.authFactors(p)
	return out, nil
}
