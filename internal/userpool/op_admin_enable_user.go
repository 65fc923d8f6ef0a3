package userpool

import "context"

// AdminEnableUser reactivates a user.
func (s *Service) AdminEnableUser(ctx context.Context, in *AdminEnableUserRequest) (*AdminEnableUserResponse, error) {
	_, err := s.updateUser(ctx, deref(in.UserPoolId), deref(in.Username), func(p *Pool, u *User) error {
		u.Enabled = true
		u.ModifiedAt = s.clock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &AdminEnableUserResponse{}, nil
}
