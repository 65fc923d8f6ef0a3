package userpool

import "context"

// ListIdentityProviders lists a pool's providers in name order.
func (s *Service) ListIdentityProviders(ctx context.Context, in *ListIdentityProvidersRequest) (*ListIdentityProvidersResponse, error) {
	if _, err := s.loadPool(ctx, deref(in.UserPoolId)); err != nil {
		return nil, err
	}
	after, err := pageAfter(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := pageLimit(in.MaxResults, 60)
	idps, err := s.store.ListIdentityProviders(ctx, deref(in.UserPoolId), after, limit+1)
	if err != nil {
		return nil, err
	}
	out := &ListIdentityProvidersResponse{Providers: []ProviderDescription{}}
	for i, idp := range idps {
		if i == limit {
			out.NextToken = pageToken(deref(idps[i-1].ProviderName))
			break
		}
		out.Providers = append(out.Providers, ProviderDescription{ProviderName: idp.ProviderName,
			ProviderType: idp.ProviderType, CreationDate: idp.CreationDate, LastModifiedDate: idp.LastModifiedDate})
	}
	return out, nil
}
