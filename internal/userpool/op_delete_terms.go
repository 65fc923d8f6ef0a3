package userpool

import (
	"context"
	"errors"
)

// DeleteTerms deletes a terms document.
func (s *Service) DeleteTerms(ctx context.Context, in *DeleteTermsRequest) (*DeleteTermsResponse, error) {
	t, err := s.loadTerms(ctx, deref(in.UserPoolId), deref(in.TermsId))
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteTerms(ctx, t.PoolID, t.ID); errors.Is(err, ErrNotFound) {
		return nil, termsNotFound(t.ID)
	} else if err != nil {
		return nil, err
	}
	return &DeleteTermsResponse{}, nil
}
