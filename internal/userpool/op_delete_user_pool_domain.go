package userpool

import (
	"context"
	"errors"
)

// DeleteUserPoolDomain removes a pool's domain; its pages and authorization server stop
// answering for the pool.
func (s *Service) DeleteUserPoolDomain(ctx context.Context, in *DeleteUserPoolDomainRequest) (*DeleteUserPoolDomainResponse, error) {
	d, err := s.loadPoolDomain(ctx, deref(in.UserPoolId), deref(in.Domain))
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteDomain(ctx, d.PoolID, d.Name); errors.Is(err, ErrNotFound) {
		return nil, errNoDomain
	} else if err != nil {
		return nil, err
	}
	return &DeleteUserPoolDomainResponse{}, nil
}
