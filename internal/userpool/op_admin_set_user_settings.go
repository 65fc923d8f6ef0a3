package userpool

import "context"

// AdminSetUserSettings sets a user's MFA in the older MFAOptions form (SMS only).
func (s *Service) AdminSetUserSettings(ctx context.Context, in *AdminSetUserSettingsRequest) (*AdminSetUserSettingsResponse, error) {
	_, err := s.updateUser(ctx, deref(in.UserPoolId), deref(in.Username), func(p *Pool, u *User) error {
		u.ModifiedAt = s.clock()
		return applyMFAOptions(u, in.MFAOptions)
	})
	if err != nil {
		return nil, err
	}
	return &AdminSetUserSettingsResponse{}, nil
}
