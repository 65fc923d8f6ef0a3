package userpool

import "context"

// ListUserPools lists pools in id order, MaxResults at a time.
func (s *Service) ListUserPools(ctx context.Context, in *ListUserPoolsRequest) (*ListUserPoolsResponse, error) {
	after, err := pageAfter(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := int(deref(in.MaxResults))
	pools, err := s.store.ListPools(ctx, after, limit+1)
	if err != nil {
		return nil, err
	}
	out := &ListUserPoolsResponse{UserPools: []UserPoolDescriptionType{}}
	for i, p := range pools {
		if i == limit {
			out.NextToken = pageToken(pools[i-1].ID)
			break
		}
		// ReplicaRegions: "A list of Amazon Web Services Regions where replicas of this user
		// pool exist" (the model). Whether AWS counts the primary's own Region among them is
		// not documented; cognate names the secondary replicas' Regions, and leaves the member
		// out for a pool without one, as before replicas.
		replicas, err := s.store.ListReplicas(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		var regions []string
		for _, r := range replicas {
			regions = append(regions, r.Region)
		}
		out.UserPools = append(out.UserPools, UserPoolDescriptionType{
			Id: p.Doc.Id, Name: p.Doc.Name, LambdaConfig: p.Doc.LambdaConfig,
			LastModifiedDate: p.Doc.LastModifiedDate, CreationDate: p.Doc.CreationDate,
			ReplicaRegions: regions,
		})
	}
	return out, nil
}
