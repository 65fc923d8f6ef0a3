package userpool

import "context"

// ListGroups lists a pool's groups in name order.
func (s *Service) ListGroups(ctx context.Context, in *ListGroupsRequest) (*ListGroupsResponse, error) {
	if _, err := s.loadPool(ctx, deref(in.UserPoolId)); err != nil {
		return nil, err
	}
	after, err := pageAfter(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := pageLimit(in.Limit, 60)
	groups, err := s.store.ListGroups(ctx, deref(in.UserPoolId), after, limit+1)
	if err != nil {
		return nil, err
	}
	out := &ListGroupsResponse{Groups: []GroupType{}}
	out.Groups, out.NextToken = groupPage(groups, limit)
	return out, nil
}

// groupPage cuts a page of groups read one past the limit, with a token when there are more.
func groupPage(groups []*Group, limit int) ([]GroupType, *string) {
	out := []GroupType{}
	for i, g := range groups {
		if i == limit {
			return out, pageToken(groups[i-1].Name)
		}
		out = append(out, groupType(g))
	}
	return out, nil
}
