package userpool

import (
	"context"
	"errors"
)

// DeleteUserPoolClient deletes an app client.
func (s *Service) DeleteUserPoolClient(ctx context.Context, in *DeleteUserPoolClientRequest) (*DeleteUserPoolClientResponse, error) {
	if _, err := s.loadPool(ctx, deref(in.UserPoolId)); err != nil {
		return nil, err
	}
	err := s.store.DeleteClient(ctx, deref(in.UserPoolId), deref(in.ClientId))
	if errors.Is(err, ErrNotFound) {
		return nil, clientNotFound(deref(in.ClientId))
	}
	if err != nil {
		return nil, err
	}
	return &DeleteUserPoolClientResponse{}, nil
}
