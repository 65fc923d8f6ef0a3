package userpool

import "context"

// DescribeUserPool returns a pool's description exactly as it was set, with its user count.
func (s *Service) DescribeUserPool(ctx context.Context, in *DescribeUserPoolRequest) (*DescribeUserPoolResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	n, err := s.store.CountUsers(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	out := p.Doc
	out.EstimatedNumberOfUsers = ptr(int32(n))
	return &DescribeUserPoolResponse{UserPool: &out}, nil
}
