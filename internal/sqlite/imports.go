package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"cognate/internal/userpool"
)

// User import jobs and their CSV files (migration 0007).

// CreateImportJob stores a new job at version 1 and sets j.Version.
func (s *Store) CreateImportJob(ctx context.Context, j *userpool.ImportJob) error {
	doc, err := s.docs.Encode(&j.Doc)
	if err != nil {
		return fmt.Errorf("sqlite: encode import job %s: %w", j.ID, err)
	}
	if _, err := s.exec(ctx, `INSERT INTO import_jobs (pool_id, id, doc, version) VALUES (?, ?, ?, 1)`,
		j.PoolID, j.ID, doc); err != nil {
		return insertErr("create import job "+j.ID, err)
	}
	j.Version = 1
	return nil
}

// GetImportJob returns the pool's job, or ErrNotFound.
func (s *Store) GetImportJob(ctx context.Context, poolID, jobID string) (*userpool.ImportJob, error) {
	j, err := s.scanImportJob(s.read.QueryRowContext(ctx,
		`SELECT pool_id, id, doc, version FROM import_jobs WHERE pool_id = ? AND id = ?`, poolID, jobID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("import job " + jobID)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get import job %s: %w", jobID, err)
	}
	return j, nil
}

// UpdateImportJob replaces the job if its stored version equals j.Version, and advances it.
func (s *Store) UpdateImportJob(ctx context.Context, j *userpool.ImportJob) error {
	doc, err := s.docs.Encode(&j.Doc)
	if err != nil {
		return fmt.Errorf("sqlite: encode import job %s: %w", j.ID, err)
	}
	err = s.inTx(ctx, func(ctx context.Context, tx *txn) error {
		res, err := tx.ExecContext(ctx,
			`UPDATE import_jobs SET doc = ?, version = version + 1 WHERE pool_id = ? AND id = ? AND version = ?`,
			doc, j.PoolID, j.ID, j.Version)
		if err != nil {
			return fmt.Errorf("sqlite: update import job %s: %w", j.ID, err)
		}
		return versionMiss(ctx, tx, res, "import job "+j.ID,
			`SELECT count(*) FROM import_jobs WHERE pool_id = ? AND id = ?`, j.PoolID, j.ID)
	})
	if err != nil {
		return err
	}
	j.Version++
	return nil
}

// ListImportJobs returns at most limit of the pool's jobs with ids greater than after, in id order.
func (s *Store) ListImportJobs(ctx context.Context, poolID, after string, limit int) ([]*userpool.ImportJob, error) {
	rows, err := s.read.QueryContext(ctx,
		`SELECT pool_id, id, doc, version FROM import_jobs WHERE pool_id = ? AND id > ? ORDER BY id LIMIT ?`,
		poolID, after, sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("sqlite: list import jobs: %w", err)
	}
	return collect(rows, s.scanImportJob)
}

// PutImportFile stores the job's CSV file, replacing one stored before.
func (s *Store) PutImportFile(ctx context.Context, poolID, jobID string, data []byte) error {
	if data == nil {
		data = []byte{} // an empty file is a file: NOT NULL
	}
	_, err := s.exec(ctx, `INSERT INTO import_files (pool_id, job_id, data) VALUES (?, ?, ?)
		ON CONFLICT (pool_id, job_id) DO UPDATE SET data = excluded.data`, poolID, jobID, data)
	if err != nil {
		return insertErr("put the file of import job "+jobID, err)
	}
	return nil
}

// GetImportFile returns the job's CSV file, or ErrNotFound when none was put.
func (s *Store) GetImportFile(ctx context.Context, poolID, jobID string) ([]byte, error) {
	var data []byte
	err := s.read.QueryRowContext(ctx, `SELECT data FROM import_files WHERE pool_id = ? AND job_id = ?`,
		poolID, jobID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("file of import job " + jobID)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get the file of import job %s: %w", jobID, err)
	}
	return data, nil
}

func (s *Store) scanImportJob(r scanner) (*userpool.ImportJob, error) {
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
