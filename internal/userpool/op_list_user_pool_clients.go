package userpool

import "context"

// ListUserPoolClients lists a pool's app clients in id order.
func (s *Service) ListUserPoolClients(ctx context.Context, in *ListUserPoolClientsRequest) (*ListUserPoolClientsResponse, error) {
	if _, err := s.loadPool(ctx, deref(in.UserPoolId)); err != nil {
		return nil, err
	}
	after, err := pageAfter(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := int(deref(in.MaxResults))
	if limit == 0 {
		limit = 60
	}
	clients, err := s.store.ListClients(ctx, deref(in.UserPoolId), after, limit+1)
	if err != nil {
		return nil, err
	}
	out := &ListUserPoolClientsResponse{UserPoolClients: []UserPoolClientDescription{}}
	for i, c := range clients {
		if i == limit {
			out.NextToken = pageToken(clients[i-1].ID)
			break
		}
		out.UserPoolClients = append(out.UserPoolClients, UserPoolClientDescription{
			ClientId: c.Doc.ClientId, UserPoolId: c.Doc.UserPoolId, ClientName: c.Doc.ClientName,
		})
	}
	return out, nil
}
