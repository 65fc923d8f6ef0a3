package userpool

import "context"

// DescribeTerms describes a terms document by its id.
func (s *Service) DescribeTerms(ctx context.Context, in *DescribeTermsRequest) (*DescribeTermsResponse, error) {
	t, err := s.loadTerms(ctx, deref(in.UserPoolId), deref(in.TermsId))
	if err != nil {
		return nil, err
	}
	return &DescribeTermsResponse{Terms: &t.Doc}, nil
}
