package userpool

import "context"

// AdminSetUserMFAPreference sets which MFA methods a user has on and which is preferred.
// Only SMS and email can be turned on here: cognate has no software-token (TOTP)
// registration yet, so a user can never have a verified token to turn on.
func (s *Service) AdminSetUserMFAPreference(ctx context.Context, in *AdminSetUserMFAPreferenceRequest) (*AdminSetUserMFAPreferenceResponse, error) {
	_, err := s.updateUser(ctx, deref(in.UserPoolId), deref(in.Username), func(p *Pool, u *User) error {
		m := u.MFA
		if t := in.SMSMfaSettings; t != nil {
			if deref(t.Enabled) {
				if _, ok := u.attr("phone_number"); !ok {
					return invalidParameter("User does not have delivery config set to turn on SMS_MFA")
				}
			}
			m.SMSEnabled, m.SMSPreferred = deref(t.Enabled), deref(t.PreferredMfa)
		}
		if t := in.EmailMfaSettings; t != nil {
			if deref(t.Enabled) {
				if _, ok := u.attr("email"); !ok {
					return invalidParameter("User does not have delivery config set to turn on EMAIL_OTP")
				}
			}
			m.EmailEnabled, m.EmailPreferred = deref(t.Enabled), deref(t.PreferredMfa)
		}
		if t := in.SoftwareTokenMfaSettings; t != nil {
			if deref(t.Enabled) {
				return invalidParameter("User has not verified software token mfa")
			}
			m.TOTPEnabled, m.TOTPPreferred = false, false
		}
		if in.WebAuthnMfaSettings != nil && deref(in.WebAuthnMfaSettings.Enabled) {
			return invalidParameter("WebAuthn MFA is not supported by cognate.")
		}
		preferred := 0
		for _, on := range []bool{m.SMSPreferred, m.EmailPreferred, m.TOTPPreferred} {
			if on {
				preferred++
			}
		}
		if preferred > 1 {
			return invalidParameter("Only one MFA method can be preferred.")
		}
		u.MFA = m
		u.ModifiedAt = s.clock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &AdminSetUserMFAPreferenceResponse{}, nil
}
