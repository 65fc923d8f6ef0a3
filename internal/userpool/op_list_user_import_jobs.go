package userpool

import "context"

// ListUserImportJobs lists a pool's jobs in id order, MaxResults (1–60, required by the
// model) at a time.
func (s *Service) ListUserImportJobs(ctx context.Context, in *ListUserImportJobsRequest) (*ListUserImportJobsResponse, error) {
	poolID := deref(in.UserPoolId)
	if _, err := s.loadPool(ctx, poolID); err != nil {
		return nil, err
	}
	after, err := pageAfter(in.PaginationToken)
	if err != nil {
		return nil, err
	}
	limit := int(deref(in.MaxResults))
	jobs, err := s.store.ListImportJobs(ctx, poolID, after, limit+1)
	if err != nil {
		return nil, err
	}
	out := &ListUserImportJobsResponse{UserImportJobs: []UserImportJobType{}}
	for i, j := range jobs {
		if i == limit {
			out.PaginationToken = pageToken(jobs[i-1].ID)
			break
		}
		out.UserImportJobs = append(out.UserImportJobs, *s.importJobType(j))
	}
	return out, nil
}
