package userpool

import "context"

// AdminGetUser describes a user found by username, sub or alias.
func (s *Service) AdminGetUser(ctx context.Context, in *AdminGetUserRequest) (*AdminGetUserResponse, error) {
	_, u, err := s.loadUser(ctx, deref(in.UserPoolId), deref(in.Username))
	if err != nil {
		return nil, err
	}
	out := &AdminGetUserResponse{
		Username:             ptr(u.Username),
		UserAttributes:       attributeTypes(u, nil),
		UserCreateDate:       At(u.CreatedAt),
		UserLastModifiedDate: At(u.ModifiedAt),
		Enabled:              ptr(u.Enabled),
		UserStatus:           ptr(u.Status),
	}
	out.PreferredMfaSetting, out.UserMFASettingList = u.MFA.describe()
	out.MFAOptions = u.mfaOptions()
	return out, nil
}

// describe gives the preferred MFA method and the enabled ones as GetUser answers them.
func (m MFASettings) describe() (*string, []string) {
	var preferred *string
	var list []string
	for _, f := range []struct {
		enabled, preferred bool
		name               string
	}{
		{m.SMSEnabled, m.SMSPreferred, "SMS_MFA"},
		{m.TOTPEnabled, m.TOTPPreferred, "SOFTWARE_TOKEN_MFA"},
		{m.EmailEnabled, m.EmailPreferred, "EMAIL_OTP"},
	} {
		if f.enabled {
			list = append(list, f.name)
			if f.preferred {
				preferred = ptr(f.name)
			}
		}
	}
	return preferred, list
}
