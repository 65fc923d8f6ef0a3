package userpool

import (
	"context"
	"errors"
)

// AddCustomAttributes adds custom attributes to a pool's schema.
func (s *Service) AddCustomAttributes(ctx context.Context, in *AddCustomAttributesRequest) (*AddCustomAttributesResponse, error) {
	for {
		p, err := s.loadPool(ctx, deref(in.UserPoolId))
		if err != nil {
			return nil, err
		}
		schema, err := mergeSchema(p.Doc.SchemaAttributes, in.CustomAttributes, true)
		if err != nil {
			return nil, err
		}
		p.Doc.SchemaAttributes = schema
		p.Doc.LastModifiedDate = At(s.clock())
		err = s.store.UpdatePool(ctx, p)
		if errors.Is(err, ErrConflict) {
			continue
		}
		if errors.Is(err, ErrNotFound) {
			return nil, poolNotFound(p.ID)
		}
		if err != nil {
			return nil, err
		}
		return &AddCustomAttributesResponse{}, nil
	}
}
