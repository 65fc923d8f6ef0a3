package userpool

import (
	"context"
	"errors"
)

// UpdateGroup changes the members of a group it is given; the others stay.
func (s *Service) UpdateGroup(ctx context.Context, in *UpdateGroupRequest) (*UpdateGroupResponse, error) {
	g, err := s.loadGroup(ctx, deref(in.UserPoolId), deref(in.GroupName))
	if err != nil {
		return nil, err
	}
	if in.Description != nil {
		g.Description = in.Description
	}
	if in.RoleArn != nil {
		g.RoleArn = in.RoleArn
	}
	if in.Precedence != nil {
		g.Precedence = in.Precedence
	}
	g.ModifiedAt = s.clock()
	if err := s.store.UpdateGroup(ctx, g); errors.Is(err, ErrNotFound) {
		return nil, groupNotFound()
	} else if err != nil {
		return nil, err
	}
	out := groupType(g)
	return &UpdateGroupResponse{Group: &out}, nil
}
