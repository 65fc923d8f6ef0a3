package userpool

import "context"

// UpdateProvisionedLimit sets an adjustable API category's request-rate limit, which must
// be at least the category's default [D, the model's docs: "between the default limit and
// your account-level maximum limit in Service Quotas"]. [I] cognate has no Service Quotas
// account maximum, so it sets no ceiling of its own; the sentences are cognate's.
func (s *Service) UpdateProvisionedLimit(ctx context.Context, in *UpdateProvisionedLimitRequest) (*UpdateProvisionedLimitResponse, error) {
	name, c, err := limitCategory(in.LimitDefinition)
	if err != nil {
		return nil, err
	}
	if !c.adjustable {
		return nil, invalidParameter("The limit of the %s category cannot be adjusted.", name)
	}
	v := int(deref(in.RequestedLimitValue))
	if v < c.free {
		return nil, invalidParameter("RequestedLimitValue must be at least the default limit of %s, %d.", name, c.free)
	}
	if err := s.store.PutProvisionedLimit(ctx, name, v); err != nil {
		return nil, err
	}
	return &UpdateProvisionedLimitResponse{Limit: describeLimit(name, c, v)}, nil
}
