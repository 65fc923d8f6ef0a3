package userpool

import (
	"context"
	"errors"
)

// DeleteUser deletes the signed-in user.
func (s *Service) DeleteUser(ctx context.Context, in *DeleteUserRequest) (*DeleteUserResponse, error) {
	_, u, _, err := s.authorize(ctx, deref(in.AccessToken), s.clock())
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteUser(ctx, u.PoolID, u.Key); errors.Is(err, ErrNotFound) {
		return nil, userNotFound()
	} else if err != nil {
		return nil, err
	}
	return &DeleteUserResponse{}, nil
}
