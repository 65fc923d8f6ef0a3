package userpool

import "context"

// ListResourceServers lists a pool's resource servers in identifier order.
func (s *Service) ListResourceServers(ctx context.Context, in *ListResourceServersRequest) (*ListResourceServersResponse, error) {
	if _, err := s.loadPool(ctx, deref(in.UserPoolId)); err != nil {
		return nil, err
	}
	after, err := pageAfter(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := pageLimit(in.MaxResults, 50)
	servers, err := s.store.ListResourceServers(ctx, deref(in.UserPoolId), after, limit+1)
	if err != nil {
		return nil, err
	}
	out := &ListResourceServersResponse{ResourceServers: []ResourceServerType{}}
	for i, rs := range servers {
		if i == limit {
			out.NextToken = pageToken(deref(servers[i-1].Identifier))
			break
		}
		out.ResourceServers = append(out.ResourceServers, *rs)
	}
	return out, nil
}
