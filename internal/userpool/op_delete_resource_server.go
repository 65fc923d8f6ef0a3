package userpool

import (
	"context"
	"errors"
)

// DeleteResourceServer removes a resource server; its scopes stop appearing in tokens.
func (s *Service) DeleteResourceServer(ctx context.Context, in *DeleteResourceServerRequest) (*DeleteResourceServerResponse, error) {
	rs, err := s.loadResourceServer(ctx, deref(in.UserPoolId), deref(in.Identifier))
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteResourceServer(ctx, deref(rs.UserPoolId), deref(rs.Identifier)); errors.Is(err, ErrNotFound) {
		return nil, resourceServerNotFound(deref(in.Identifier))
	} else if err != nil {
		return nil, err
	}
	return &DeleteResourceServerResponse{}, nil
}
