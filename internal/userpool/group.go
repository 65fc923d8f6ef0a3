package userpool

import (
	"context"
	"errors"
)

func groupType(g *Group) GroupType {
	return GroupType{
		GroupName: ptr(g.Name), UserPoolId: ptr(g.PoolID), Description: g.Description,
		RoleArn: g.RoleArn, Precedence: g.Precedence,
		LastModifiedDate: At(g.ModifiedAt), CreationDate: At(g.CreatedAt),
	}
}

// loadGroup reads a group, answering ResourceNotFoundException when the pool or the group is missing.
func (s *Service) loadGroup(ctx context.Context, poolID, name string) (*Group, error) {
	if _, err := s.loadPool(ctx, poolID); err != nil {
		return nil, err
	}
	g, err := s.store.GetGroup(ctx, poolID, name)
	if errors.Is(err, ErrNotFound) {
		return nil, groupNotFound()
	}
	return g, err
}

// pageLimit is a page size with the operation's default for none.
func pageLimit(v *int32, def int) int {
	if v == nil || *v == 0 {
		return def
	}
	return int(*v)
}
