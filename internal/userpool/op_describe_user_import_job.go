package userpool

import "context"

// DescribeUserImportJob returns a job with its status and counts as last written: a
// running job writes its counts as it goes.
func (s *Service) DescribeUserImportJob(ctx context.Context, in *DescribeUserImportJobRequest) (*DescribeUserImportJobResponse, error) {
	j, err := s.loadImportJob(ctx, deref(in.UserPoolId), deref(in.JobId))
	if err != nil {
		return nil, err
	}
	return &DescribeUserImportJobResponse{UserImportJob: s.importJobType(j)}, nil
}
