package userpool

import (
	"context"
	"errors"
)

// DeleteManagedLoginBranding deletes a branding style; its client may then have a new one.
func (s *Service) DeleteManagedLoginBranding(ctx context.Context, in *DeleteManagedLoginBrandingRequest) (*DeleteManagedLoginBrandingResponse, error) {
	b, err := s.loadBranding(ctx, deref(in.UserPoolId), deref(in.ManagedLoginBrandingId))
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteBranding(ctx, b.PoolID, b.ID); errors.Is(err, ErrNotFound) {
		return nil, brandingNotFound(b.ID)
	} else if err != nil {
		return nil, err
	}
	return &DeleteManagedLoginBrandingResponse{}, nil
}
