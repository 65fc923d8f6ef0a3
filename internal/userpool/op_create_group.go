package userpool

import (
	"context"
	"errors"
)

// CreateGroup creates a group in a pool.
func (s *Service) CreateGroup(ctx context.Context, in *CreateGroupRequest) (*CreateGroupResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	now := s.clock()
	g := &Group{PoolID: p.ID, Name: deref(in.GroupName), Description: in.Description,
		RoleArn: in.RoleArn, Precedence: in.Precedence, CreatedAt: now, ModifiedAt: now}
	switch err := s.store.CreateGroup(ctx, g); {
	case errors.Is(err, ErrConflict):
		return nil, newError("GroupExistsException", "A group with the name already exists.")
	case errors.Is(err, ErrNotFound):
		return nil, poolNotFound(p.ID)
	case err != nil:
		return nil, err
	}
	out := groupType(g)
	return &CreateGroupResponse{Group: &out}, nil
}
