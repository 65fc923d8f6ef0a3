package userpool

import "context"

// GetUser describes the user an access token belongs to.
func (s *Service) GetUser(ctx context.Context, in *GetUserRequest) (*GetUserResponse, error) {
	_, u, _, err := s.authorize(ctx, deref(in.AccessToken), s.clock())
	if err != nil {
		return nil, err
	}
	out := &GetUserResponse{Username: ptr(u.Username), UserAttributes: attributeTypes(u, nil)}
	out.PreferredMfaSetting, out.UserMFASettingList = u.MFA.describe()
	return out, nil
}
