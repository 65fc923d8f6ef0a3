package userpool

import "context"

// AdminListGroupsForUser lists the groups a user belongs to, in name order.
func (s *Service) AdminListGroupsForUser(ctx context.Context, in *AdminListGroupsForUserRequest) (*AdminListGroupsForUserResponse, error) {
	_, u, err := s.loadUser(ctx, deref(in.UserPoolId), deref(in.Username))
	if err != nil {
		return nil, err
	}
	after, err := pageAfter(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := pageLimit(in.Limit, 60)
	groups, err := s.store.ListGroupsForUser(ctx, u.PoolID, u.Key, after, limit+1)
	if err != nil {
		return nil, err
	}
	out := &AdminListGroupsForUserResponse{}
	out.Groups, out.NextToken = groupPage(groups, limit)
	return out, nil
}
