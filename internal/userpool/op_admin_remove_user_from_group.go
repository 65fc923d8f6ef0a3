package userpool

import "context"

// AdminRemoveUserFromGroup ends a user's membership of a group.
func (s *Service) AdminRemoveUserFromGroup(ctx context.Context, in *AdminRemoveUserFromGroupRequest) (*AdminRemoveUserFromGroupResponse, error) {
	_, u, err := s.loadUser(ctx, deref(in.UserPoolId), deref(in.Username))
	if err != nil {
		return nil, err
	}
	if _, err := s.loadGroup(ctx, u.PoolID, deref(in.GroupName)); err != nil {
		return nil, err
	}
	if err := s.store.RemoveUserFromGroup(ctx, u.PoolID, u.Key, deref(in.GroupName)); err != nil {
		return nil, err
	}
	return &AdminRemoveUserFromGroupResponse{}, nil
}
