package userpool

import (
	"context"
	"time"
)

// SetUserSettings sets the signed-in user's MFA in the older MFAOptions form (SMS only).
func (s *Service) SetUserSettings(ctx context.Context, in *SetUserSettingsRequest) (*SetUserSettingsResponse, error) {
	_, _, err := s.updateSelf(ctx, deref(in.AccessToken), func(p *Pool, u *User, _ string, now time.Time) error {
		u.ModifiedAt = now
		return applyMFAOptions(u, in.MFAOptions)
	})
	if err != nil {
		return nil, err
	}
	return &SetUserSettingsResponse{}, nil
}
