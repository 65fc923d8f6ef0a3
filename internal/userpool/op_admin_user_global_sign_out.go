package userpool

import "context"

// AdminUserGlobalSignOut ends every session of a user, as an administrator.
func (s *Service) AdminUserGlobalSignOut(ctx context.Context, in *AdminUserGlobalSignOutRequest) (*AdminUserGlobalSignOutResponse, error) {
	_, err := s.updateUser(ctx, deref(in.UserPoolId), deref(in.Username), func(p *Pool, u *User) error {
		u.TokensValidAfter = s.clock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &AdminUserGlobalSignOutResponse{}, nil
}
