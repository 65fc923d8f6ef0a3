package userpool

import "context"

// ListUsersInGroup lists a group's members in username order.
func (s *Service) ListUsersInGroup(ctx context.Context, in *ListUsersInGroupRequest) (*ListUsersInGroupResponse, error) {
	g, err := s.loadGroup(ctx, deref(in.UserPoolId), deref(in.GroupName))
	if err != nil {
		return nil, err
	}
	after, err := pageAfter(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := pageLimit(in.Limit, 60)
	users, err := s.store.ListUsersInGroup(ctx, g.PoolID, g.Name, after, limit+1)
	if err != nil {
		return nil, err
	}
	out := &ListUsersInGroupResponse{Users: []UserType{}}
	for i, u := range users {
		if i == limit {
			out.NextToken = pageToken(users[i-1].Key)
			break
		}
		out.Users = append(out.Users, userType(u, nil))
	}
	return out, nil
}
