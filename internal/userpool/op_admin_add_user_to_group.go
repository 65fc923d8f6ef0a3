package userpool

import (
	"context"
	"errors"
)

// AdminAddUserToGroup makes a user a member of a group; adding a member again does nothing.
func (s *Service) AdminAddUserToGroup(ctx context.Context, in *AdminAddUserToGroupRequest) (*AdminAddUserToGroupResponse, error) {
	_, u, err := s.loadUser(ctx, deref(in.UserPoolId), deref(in.Username))
	if err != nil {
		return nil, err
	}
	if _, err := s.loadGroup(ctx, u.PoolID, deref(in.GroupName)); err != nil {
		return nil, err
	}
	if err := s.store.AddUserToGroup(ctx, u.PoolID, u.Key, deref(in.GroupName)); errors.Is(err, ErrNotFound) {
		return nil, groupNotFound()
	} else if err != nil {
		return nil, err
	}
	return &AdminAddUserToGroupResponse{}, nil
}
