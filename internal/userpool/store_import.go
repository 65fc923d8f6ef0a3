package userpool

import "context"

// ImportJobStore keeps user import jobs (CreateUserImportJob and the operations after it)
// and the CSV file uploaded to each. The users a job imports are written through
// UserStore.SaveUsers; this store holds only the job's own record.
type ImportJobStore interface {
	// CreateImportJob stores a new job with Version 1 (set on j); ErrConflict if the pool
	// has a job with its id, ErrNotFound if the pool does not exist. Of concurrent creates
	// of one id, exactly one succeeds. Deleting the pool deletes its jobs and their files.
	CreateImportJob(ctx context.Context, j *ImportJob) error
	// GetImportJob returns the pool's job as last committed, or ErrNotFound.
	GetImportJob(ctx context.Context, poolID, jobID string) (*ImportJob, error)
	// UpdateImportJob replaces the job if its stored version equals j.Version (else
	// ErrConflict; ErrNotFound if it is gone), and advances j.Version. The compare and the
	// replace are one step: of concurrent updates read from one version, exactly one
	// succeeds (a stop racing the job's own progress is never lost).
	UpdateImportJob(ctx context.Context, j *ImportJob) error
	// ListImportJobs returns at most limit of the pool's jobs with ids greater than after,
	// in id order, read at one instant.
	ListImportJobs(ctx context.Context, poolID, after string, limit int) ([]*ImportJob, error)
	// PutImportFile stores the CSV file of a job, replacing any stored before; ErrNotFound
	// if the job does not exist. Of concurrent puts, the last to commit stands whole.
	PutImportFile(ctx context.Context, poolID, jobID string, data []byte) error
	// GetImportFile returns the job's CSV file as last put, or ErrNotFound when none was.
	GetImportFile(ctx context.Context, poolID, jobID string) ([]byte, error)
}

// ImportJob is a stored user import job: the description DescribeUserImportJob returns,
// less its PreSignedUrl (which is computed, and never stored).
type ImportJob struct {
	PoolID  string
	ID      string
	Doc     UserImportJobType
	Version int64
}
