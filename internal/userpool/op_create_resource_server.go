package userpool

import (
	"context"
	"errors"
)

// CreateResourceServer defines an OAuth 2.0 resource server and its custom scopes, which
// clients may then be allowed and ask for as "<identifier>/<scope>".
func (s *Service) CreateResourceServer(ctx context.Context, in *CreateResourceServerRequest) (*CreateResourceServerResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	if err := checkResourceServer(in.Scopes); err != nil {
		return nil, err
	}
	existing, err := s.store.ListResourceServers(ctx, p.ID, "", maxResourceServers)
	if err != nil {
		return nil, err
	}
	if len(existing) >= maxResourceServers {
		return nil, newError("LimitExceededException", "A user pool can have at most %d resource servers.", maxResourceServers)
	}
	rs := &ResourceServerType{UserPoolId: ptr(p.ID), Identifier: in.Identifier, Name: in.Name, Scopes: in.Scopes}
	if rs.Scopes == nil {
		rs.Scopes = []ResourceServerScopeType{}
	}
	switch err := s.store.CreateResourceServer(ctx, rs); {
	case errors.Is(err, ErrConflict):
		// [I] AWS's wording is not recorded.
		return nil, invalidParameter("%s already exists in user pool %s.", deref(in.Identifier), p.ID)
	case errors.Is(err, ErrNotFound):
		return nil, poolNotFound(p.ID)
	case err != nil:
		return nil, err
	}
	return &CreateResourceServerResponse{ResourceServer: rs}, nil
}
