package userpool

import "context"

// GetUser describes the user an access token belongs to.
func (s *Service) GetUser(ctx context.Context, in *GetUserRequest) (*GetUserResponse, error) {
	p, u, cl, err := s.authorize(ctx, deref(in.AccessToken), s.clock())
	if err != nil {
		return nil, err
	}
	// The user sees what the app client it signed in with may read.
	var only []string
	if c, err := s.store.GetClient(ctx, p.ID, cl.ClientID); err != nil {
		return nil, err
	} else if len(c.Doc.ReadAttributes) > 0 {
		only = append([]string{"sub"}, c.Doc.ReadAttributes...)
	}
	out := &GetUserResponse{Username: ptr(u.Username), UserAttributes: attributeTypes(u, only)}
	out.PreferredMfaSetting, out.UserMFASettingList = u.MFA.describe()
	out.MFAOptions = u.mfaOptions()
	return out, nil
}
