package userpool

import "context"

// AdminSetUserMFAPreference sets which MFA factors a user has on and which is preferred
// (mfa_preference.go has the rules).
func (s *Service) AdminSetUserMFAPreference(ctx context.Context, in *AdminSetUserMFAPreferenceRequest) (*AdminSetUserMFAPreferenceResponse, error) {
	pref := preferenceOf(in.SMSMfaSettings, in.SoftwareTokenMfaSettings, in.EmailMfaSettings, in.WebAuthnMfaSettings)
	_, err := s.updateUser(ctx, deref(in.UserPoolId), deref(in.Username), func(p *Pool, u *User) error {
		if err := pref.apply(u); err != nil {
			return err
		}
		u.ModifiedAt = s.clock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &AdminSetUserMFAPreferenceResponse{}, nil
}
