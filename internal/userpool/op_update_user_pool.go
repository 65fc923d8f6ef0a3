package userpool

import (
	"context"
)

// UpdateUserPool replaces a pool's settings. Members left out return to their defaults, as
// AWS does; what UpdateUserPool cannot change (schema, aliases, username settings) stays.
func (s *Service) UpdateUserPool(ctx context.Context, in *UpdateUserPoolRequest) (*UpdateUserPoolResponse, error) {
	settings, err := convert[poolSettings](in)
	if err != nil {
		return nil, err
	}
	if err := settings.check(); err != nil {
		return nil, err
	}
	// Another update going first is no failure: ours is applied again on top of it.
	err = retryConflicts(ctx, func() error {
		p, err := s.loadPool(ctx, deref(in.UserPoolId))
		if err != nil {
			return err
		}
		if in.UserPoolTags == nil {
			settings.UserPoolTags = p.Doc.UserPoolTags // tags are changed by TagResource, not reset here
		}
		settings.apply(&p.Doc)
		if err := p.settleMFA(); err != nil {
			return err
		}
		if in.PoolName != nil {
			p.Doc.Name = in.PoolName
		}
		p.Doc.LastModifiedDate = At(s.clock())
		return s.updatePool(ctx, p)
	})
	if err != nil {
		return nil, err
	}
	return &UpdateUserPoolResponse{}, nil
}
