package userpool

import (
	"context"
	"errors"
)

// AdminDeleteUser deletes a user with its aliases and group memberships.
func (s *Service) AdminDeleteUser(ctx context.Context, in *AdminDeleteUserRequest) (*AdminDeleteUserResponse, error) {
	_, u, err := s.loadUser(ctx, deref(in.UserPoolId), deref(in.Username))
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteUser(ctx, u.PoolID, u.Key); errors.Is(err, ErrNotFound) {
		return nil, userNotFound()
	} else if err != nil {
		return nil, err
	}
	return &AdminDeleteUserResponse{}, nil
}
