package userpool

import "context"

// DescribeResourceServer returns a resource server with its scopes.
func (s *Service) DescribeResourceServer(ctx context.Context, in *DescribeResourceServerRequest) (*DescribeResourceServerResponse, error) {
	rs, err := s.loadResourceServer(ctx, deref(in.UserPoolId), deref(in.Identifier))
	if err != nil {
		return nil, err
	}
	return &DescribeResourceServerResponse{ResourceServer: rs}, nil
}
