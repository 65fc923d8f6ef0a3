package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"cognate/internal/userpool"
)

// User import jobs and their CSV files.

// CreateImportJob stores a new job at version 1 and sets j.Version.
func (s *Store) CreateImportJob(ctx context.Context, j *userpool.ImportJob) error {
	doc, err := s.docs.Encode(&j.Doc)
	if err != nil {
		return fmt.Errorf("postgres: encode import job %s: %w", j.ID, err)
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO import_jobs (pool_id, id, doc, version) VALUES ($1, $2, $3, 1)`,
		j.PoolID, j.ID, doc); err != nil {
		return insertErr("create import job "+j.ID, err)
	}
	j.Version = 1
	return nil
}

// GetImportJob returns the pool's job, or ErrNotFound.
func (s *Store) GetImportJob(ctx context.Context, poolID, jobID string) (*userpool.ImportJob, error) {
	j, err := s.scanImportJob(s.db.QueryRow(ctx,
		`SELECT pool_id, id, doc, version FROM import_jobs WHERE pool_id = $1 AND id = $2`, poolID, jobID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("import job " + jobID)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get import job %s: %w", jobID, err)
	}
	return j, nil
}

// UpdateImportJob replaces the job if its stored version equals j.Version, and advances it:
// one conditional statement, so that of racing updates from one version exactly one wins.
func (s *Store) UpdateImportJob(ctx context.Context, j *userpool.ImportJob) error {
	doc, err := s.docs.Encode(&j.Doc)
	if err != nil {
		return fmt.Errorf("postgres: encode import job %s: %w", j.ID, err)
	}
	tag, err := s.db.Exec(ctx,
		`UPDATE import_jobs SET doc = $1, version = version + 1 WHERE pool_id = $2 AND id = $3 AND version = $4`,
		doc, j.PoolID, j.ID, j.Version)
	if err != nil {
		return fmt.Errorf("postgres: update import job %s: %w", j.ID, err)
	}
	if tag.RowsAffected() == 0 {
		var n int
		if err := s.db.QueryRow(ctx, `SELECT count(*) FROM import_jobs WHERE pool_id = $1 AND id = $2`, j.PoolID, j.ID).Scan(&n); err != nil {
			return fmt.Errorf("postgres: update import job %s: %w", j.ID, err)
		}
		if n == 0 {
			return notFound("import job " + j.ID)
		}
		return fmt.Errorf("postgres: import job %s changed since it was read: %w", j.ID, userpool.ErrConflict)
	}
	j.Version++
	return nil
}

// ListImportJobs returns at most limit of the pool's jobs with ids greater than after, in id order.
func (s *Store) ListImportJobs(ctx context.Context, poolID, after string, limit int) ([]*userpool.ImportJob, error) {
	rows, err := s.db.Query(ctx,
		`SELECT pool_id, id, doc, version FROM import_jobs WHERE pool_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
		poolID, after, sqlLimit(limit))
	return collect(rows, err, "list import jobs", func(r pgx.Row) (*userpool.ImportJob, error) { return s.scanImportJob(r) })
}

// PutImportFile stores the job's CSV file, replacing one stored before; ErrNotFound if the
// job does not exist (the foreign key).
func (s *Store) PutImportFile(ctx context.Context, poolID, jobID string, data []byte) error {
	if data == nil {
		data = []byte{} // an empty file is a file: NOT NULL
	}
	_, err := s.db.Exec(ctx, `INSERT INTO import_files (pool_id, job_id, data) VALUES ($1, $2, $3)
		ON CONFLICT (pool_id, job_id) DO UPDATE SET data = excluded.data`, poolID, jobID, data)
	if err != nil {
		return insertErr("put the file of import job "+jobID, err)
	}
	return nil
}

// GetImportFile returns the job's CSV file, or ErrNotFound when none was put.
func (s *Store) GetImportFile(ctx context.Context, poolID, jobID string) ([]byte, error) {
	var data []byte
	err := s.db.QueryRow(ctx, `SELECT data FROM import_files WHERE pool_id = $1 AND job_id = $2`, poolID, jobID).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("file of import job " + jobID)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get the file of import job %s: %w", jobID, err)
	}
	return data, nil
}

func (s *Store) scanImportJob(r pgx.Row) (*userpool.ImportJob, error) {
	var (
		j   userpool.ImportJob
		doc string
	)
	if err := r.Scan(&j.PoolID, &j.ID, &doc, &j.Version); err != nil {
		return nil, err
	}
	if err := s.docs.Decode(doc, &j.Doc); err != nil {
		return nil, fmt.Errorf("decode import job %s: %w", j.ID, err)
	}
	return &j, nil
}
