package userpool

import "context"

// GetGroup describes a group.
func (s *Service) GetGroup(ctx context.Context, in *GetGroupRequest) (*GetGroupResponse, error) {
	g, err := s.loadGroup(ctx, deref(in.UserPoolId), deref(in.GroupName))
	if err != nil {
		return nil, err
	}
	out := groupType(g)
	return &GetGroupResponse{Group: &out}, nil
}
