package userpool

import "context"

// DescribeUserPoolClient returns an app client's description, its secret included.
func (s *Service) DescribeUserPoolClient(ctx context.Context, in *DescribeUserPoolClientRequest) (*DescribeUserPoolClientResponse, error) {
	_, c, err := s.loadClient(ctx, deref(in.UserPoolId), deref(in.ClientId))
	if err != nil {
		return nil, err
	}
	return &DescribeUserPoolClientResponse{UserPoolClient: &c.Doc}, nil
}
