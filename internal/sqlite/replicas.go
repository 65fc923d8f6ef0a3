package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"cognate/internal/userpool"
)

// The secondary replicas of pools (migration 0014).

// CreateReplica stores a new replica unless the pool has max already: the count and the
// insert are one transaction under the store's single writer.
func (s *Store) CreateReplica(ctx context.Context, r *userpool.Replica, max int) error {
	tags, err := s.docs.Encode(r.Tags)
	if err != nil {
		return fmt.Errorf("sqlite: encode replica tags: %w", err)
	}
	return s.inTx(ctx, func(ctx context.Context, tx *txn) error {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM replicas WHERE pool_id = ?`, r.PoolID).Scan(&n)
		if err != nil {
			return fmt.Errorf("sqlite: count replicas of %s: %w", r.PoolID, err)
		}
		if n >= max {
			return fmt.Errorf("sqlite: pool %s has %d replicas: %w", r.PoolID, n, userpool.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO replicas (pool_id, region, status, tags, version) VALUES (?, ?, ?, ?, 1)`,
			r.PoolID, r.Region, r.Status, tags); err != nil {
			return insertErr("create replica "+r.Region, err)
		}
		r.Version = 1
		return nil
	})
}

const replicaColumns = `SELECT pool_id, region, status, tags, version FROM replicas `

// GetReplica returns the pool's replica in region.
func (s *Store) GetReplica(ctx context.Context, poolID, region string) (*userpool.Replica, error) {
	r, err := s.scanReplica(s.read.QueryRowContext(ctx, replicaColumns+`WHERE pool_id = ? AND region = ?`, poolID, region))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("replica " + region)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get replica %s: %w", region, err)
	}
	return r, nil
}

// ListReplicas returns the pool's replicas in region order.
func (s *Store) ListReplicas(ctx context.Context, poolID string) ([]*userpool.Replica, error) {
	rows, err := s.read.QueryContext(ctx, replicaColumns+`WHERE pool_id = ? ORDER BY region`, poolID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list replicas: %w", err)
	}
	return collect(rows, s.scanReplica)
}

// UpdateReplica replaces the replica's status and tags if the stored version equals r.Version.
func (s *Store) UpdateReplica(ctx context.Context, r *userpool.Replica) error {
	tags, err := s.docs.Encode(r.Tags)
	if err != nil {
		return fmt.Errorf("sqlite: encode replica tags: %w", err)
	}
	err = s.inTx(ctx, func(ctx context.Context, tx *txn) error {
		res, err := tx.ExecContext(ctx,
			`UPDATE replicas SET status = ?, tags = ?, version = version + 1 WHERE pool_id = ? AND region = ? AND version = ?`,
			r.Status, tags, r.PoolID, r.Region, r.Version)
		if err != nil {
			return fmt.Errorf("sqlite: update replica %s: %w", r.Region, err)
		}
		return versionMiss(ctx, tx, res, "replica "+r.Region, `SELECT count(*) FROM replicas WHERE pool_id = ? AND region = ?`, r.PoolID, r.Region)
	})
	if err != nil {
		return err
	}
	r.Version++
	return nil
}

// DeleteReplica removes the replica if its status is status.
func (s *Store) DeleteReplica(ctx context.Context, poolID, region, status string) error {
	return s.inTx(ctx, func(ctx context.Context, tx *txn) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM replicas WHERE pool_id = ? AND region = ? AND status = ?`, poolID, region, status)
		if err != nil {
			return fmt.Errorf("sqlite: delete replica %s: %w", region, err)
		}
		return versionMiss(ctx, tx, res, "replica "+region, `SELECT count(*) FROM replicas WHERE pool_id = ? AND region = ?`, poolID, region)
	})
}

func (s *Store) scanReplica(row scanner) (*userpool.Replica, error) {
	var (
		r    userpool.Replica
		tags string
	)
	if err := row.Scan(&r.PoolID, &r.Region, &r.Status, &tags, &r.Version); err != nil {
		return nil, err
	}
	if err := s.docs.Decode(tags, &r.Tags); err != nil {
		return nil, fmt.Errorf("decode tags of replica %s: %w", r.Region, err)
	}
	return &r, nil
}
