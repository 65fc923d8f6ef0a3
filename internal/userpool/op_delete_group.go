package userpool

import (
	"context"
	"errors"
)

// DeleteGroup deletes a group; its members stay, without it.
func (s *Service) DeleteGroup(ctx context.Context, in *DeleteGroupRequest) (*DeleteGroupResponse, error) {
	if _, err := s.loadPool(ctx, deref(in.UserPoolId)); err != nil {
		return nil, err
	}
	if err := s.store.DeleteGroup(ctx, deref(in.UserPoolId), deref(in.GroupName)); errors.Is(err, ErrNotFound) {
		return nil, groupNotFound()
	} else if err != nil {
		return nil, err
	}
	return &DeleteGroupResponse{}, nil
}
