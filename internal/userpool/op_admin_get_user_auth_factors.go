package userpool

import "context"

// AdminGetUserAuthFactors describes a user's MFA settings and the first factors it can
// sign in with.
func (s *Service) AdminGetUserAuthFactors(ctx context.Context, in *AdminGetUserAuthFactorsRequest) (*AdminGetUserAuthFactorsResponse, error) {
	p, u, err := s.loadUser(ctx, deref(in.UserPoolId), deref(in.Username))
	if err != nil {
		return nil, err
	}
	out := &AdminGetUserAuthFactorsResponse{Username: ptr(u.Username)}
	out.PreferredMfaSetting, out.UserMFASettingList, out.ConfiguredUserAuthFactors = u.authFactors(p)
	return out, nil
}
