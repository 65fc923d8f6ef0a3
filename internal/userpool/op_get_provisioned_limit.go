package userpool

import "context"

// GetProvisionedLimit returns an API category's request-rate limit: the provisioned one
// (UpdateProvisionedLimit), else the default, and the default.
func (s *Service) GetProvisionedLimit(ctx context.Context, in *GetProvisionedLimitRequest) (*GetProvisionedLimitResponse, error) {
	name, c, err := limitCategory(in.LimitDefinition)
	if err != nil {
		return nil, err
	}
	v, err := s.provisionedLimit(ctx, name)
	if err != nil {
		return nil, err
	}
	return &GetProvisionedLimitResponse{Limit: describeLimit(name, c, v)}, nil
}
