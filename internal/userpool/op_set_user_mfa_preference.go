package userpool

import (
	"context"
	"time"
)

// SetUserMFAPreference sets the signed-in user's MFA factors and preferred one
// (mfa_preference.go has the rules).
func (s *Service) SetUserMFAPreference(ctx context.Context, in *SetUserMFAPreferenceRequest) (*SetUserMFAPreferenceResponse, error) {
	pref := preferenceOf(in.SMSMfaSettings, in.SoftwareTokenMfaSettings, in.EmailMfaSettings, in.WebAuthnMfaSettings)
	_, _, err := s.updateSelf(ctx, deref(in.AccessToken), func(p *Pool, u *User, _ string, now time.Time) error {
		if err := pref.apply(u); err != nil {
			return err
		}
		u.ModifiedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &SetUserMFAPreferenceResponse{}, nil
}
