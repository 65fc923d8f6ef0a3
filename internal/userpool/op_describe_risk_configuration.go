package userpool

import "context"

// DescribeRiskConfiguration returns the configuration in force for a pool or a client: the
// client's own, else the pool's, else an empty one naming the pool (and client).
func (s *Service) DescribeRiskConfiguration(ctx context.Context, in *DescribeRiskConfigurationRequest) (*DescribeRiskConfigurationResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	clientID := deref(in.ClientId)
	if clientID != "" {
		if _, _, err := s.loadClient(ctx, p.ID, clientID); err != nil {
			return nil, err
		}
	}
	r, err := s.riskConfiguration(ctx, p, clientID)
	if err != nil {
		return nil, err
	}
	if r == nil {
		r = &RiskConfigurationType{UserPoolId: ptr(p.ID), ClientId: in.ClientId}
	}
	return &DescribeRiskConfigurationResponse{RiskConfiguration: r}, nil
}
