package userpool

import (
	"context"
)

// AddCustomAttributes adds custom attributes to a pool's schema.
func (s *Service) AddCustomAttributes(ctx context.Context, in *AddCustomAttributesRequest) (*AddCustomAttributesResponse, error) {
	err := retryConflicts(ctx, func() error {
		p, err := s.loadPool(ctx, deref(in.UserPoolId))
		if err != nil {
			return err
		}
		schema, err := mergeSchema(p.Doc.SchemaAttributes, in.CustomAttributes, true)
		if err != nil {
			return err
		}
		p.Doc.SchemaAttributes = schema
		p.Doc.LastModifiedDate = At(s.clock())
		return s.updatePool(ctx, p)
	})
	if err != nil {
		return nil, err
	}
	return &AddCustomAttributesResponse{}, nil
}
