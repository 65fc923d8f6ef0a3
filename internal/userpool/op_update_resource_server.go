package userpool

import (
	"context"
	"errors"
)

// UpdateResourceServer replaces a resource server's name and scopes; scopes it is not
// given are gone (AWS: "If you don't provide a value for an attribute, it is set to the
// default value"). Clients keep a removed scope in their AllowedOAuthScopes, where it is
// ignored until it is defined again.
func (s *Service) UpdateResourceServer(ctx context.Context, in *UpdateResourceServerRequest) (*UpdateResourceServerResponse, error) {
	rs, err := s.loadResourceServer(ctx, deref(in.UserPoolId), deref(in.Identifier))
	if err != nil {
		return nil, err
	}
	if err := checkResourceServer(in.Scopes); err != nil {
		return nil, err
	}
	rs.Name, rs.Scopes = in.Name, in.Scopes
	if rs.Scopes == nil {
		rs.Scopes = []ResourceServerScopeType{}
	}
	if err := s.store.UpdateResourceServer(ctx, rs); errors.Is(err, ErrNotFound) {
		return nil, resourceServerNotFound(deref(in.Identifier))
	} else if err != nil {
		return nil, err
	}
	return &UpdateResourceServerResponse{ResourceServer: rs}, nil
}
