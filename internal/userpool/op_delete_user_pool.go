package userpool

import (
	"context"
	"errors"
)

// DeleteUserPool deletes a pool and everything in it, unless deletion protection is on.
func (s *Service) DeleteUserPool(ctx context.Context, in *DeleteUserPoolRequest) (*DeleteUserPoolResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	if deref(p.Doc.DeletionProtection) == "ACTIVE" {
		return nil, invalidParameter("The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.")
	}
	if err := s.store.DeletePool(ctx, p.ID); errors.Is(err, ErrNotFound) {
		return nil, poolNotFound(p.ID)
	} else if err != nil {
		return nil, err
	}
	return &DeleteUserPoolResponse{}, nil
}
