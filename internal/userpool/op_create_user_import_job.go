package userpool

import (
	"context"
	"errors"
)

// CreateUserImportJob makes a job in status Created, with the PreSignedUrl its CSV file is
// PUT to. The CloudWatch Logs role is kept and shown, never assumed: cognate writes no logs
// to CloudWatch.
func (s *Service) CreateUserImportJob(ctx context.Context, in *CreateUserImportJobRequest) (*CreateUserImportJobResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	if in.PasswordHashingAlgorithm != nil {
		// A job that imports password hashes needs hash columns and their verification;
		// cognate has neither yet, and says so rather than import users without them.
		return nil, invalidParameter("cognate does not import password hashes yet: leave out PasswordHashingAlgorithm.")
	}
	now := s.clock()
	for {
		suffix, err := randomString(s.rand, alnum, 10) // AWS's ids: import- and 10 alphanumerics
		if err != nil {
			return nil, err
		}
		j := &ImportJob{PoolID: p.ID, ID: "import-" + suffix, Doc: UserImportJobType{
			JobName: in.JobName, JobId: ptr("import-" + suffix), UserPoolId: ptr(p.ID),
			CreationDate: At(now), Status: ptr(jobCreated), CloudWatchLogsRoleArn: in.CloudWatchLogsRoleArn,
			ImportedUsers: ptr(int64(0)), SkippedUsers: ptr(int64(0)), FailedUsers: ptr(int64(0)),
		}}
		switch err := s.store.CreateImportJob(ctx, j); {
		case errors.Is(err, ErrConflict):
			continue // an id drawn twice: draw again
		case errors.Is(err, ErrNotFound):
			return nil, poolNotFound(p.ID)
		case err != nil:
			return nil, err
		}
		return &CreateUserImportJobResponse{UserImportJob: s.importJobType(j)}, nil
	}
}
