package userpool

import "context"

// AdminDisableUser deactivates a user and, as AWS does, revokes the tokens it holds.
func (s *Service) AdminDisableUser(ctx context.Context, in *AdminDisableUserRequest) (*AdminDisableUserResponse, error) {
	_, err := s.updateUser(ctx, deref(in.UserPoolId), deref(in.Username), func(p *Pool, u *User) error {
		now := s.clock()
		u.Enabled = false
		u.TokensValidAfter = now
		u.ModifiedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &AdminDisableUserResponse{}, nil
}
