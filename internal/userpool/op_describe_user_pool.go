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
	domains, err := s.store.PoolDomains(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, d := range domains {
		if d.Custom {
			out.CustomDomain = ptr(d.Name)
		} else {
			out.Domain = ptr(d.Name)
		}
	}
	return &DescribeUserPoolResponse{UserPool: &out}, nil
}
