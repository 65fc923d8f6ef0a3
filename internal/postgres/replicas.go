package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"cognate/internal/userpool"
)

// The secondary replicas of pools (migration 0009).

// CreateReplica stores a new replica unless the pool has max already. The pool's row is
// locked first, so that concurrent creates into one pool count one after another.
func (s *Store) CreateReplica(ctx context.Context, r *userpool.Replica, max int) error {
	tags, err := s.docs.Encode(r.Tags)
	if err != nil {
		return fmt.Errorf("postgres: encode replica tags: %w", err)
	}
	return s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM pools WHERE id = $1 FOR UPDATE`, r.PoolID).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("pool " + r.PoolID)
		}
		if err != nil {
			return fmt.Errorf("postgres: lock pool %s: %w", r.PoolID, err)
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM replicas WHERE pool_id = $1`, r.PoolID).Scan(&n); err != nil {
			return fmt.Errorf("postgres: count replicas of %s: %w", r.PoolID, err)
		}
		if n >= max {
			return fmt.Errorf("postgres: pool %s has %d replicas: %w", r.PoolID, n, userpool.ErrConflict)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO replicas (pool_id, region, status, tags, version) VALUES ($1, $2, $3, $4, 1)`,
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
	r, err := s.scanReplica(s.db.QueryRow(ctx, replicaColumns+`WHERE pool_id = $1 AND region = $2`, poolID, region))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("replica " + region)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get replica %s: %w", region, err)
	}
	return r, nil
}

// ListReplicas returns the pool's replicas in region order.
func (s *Store) ListReplicas(ctx context.Context, poolID string) ([]*userpool.Replica, error) {
	rows, err := s.db.Query(ctx, replicaColumns+`WHERE pool_id = $1 ORDER BY region`, poolID)
	return collect(rows, err, "list replicas", s.scanReplica)
}

// UpdateReplica replaces the replica's status and tags if the stored version equals r.Version.
func (s *Store) UpdateReplica(ctx context.Context, r *userpool.Replica) error {
	tags, err := s.docs.Encode(r.Tags)
	if err != nil {
		return fmt.Errorf("postgres: encode replica tags: %w", err)
	}
	tag, err := s.db.Exec(ctx,
		`UPDATE replicas SET status = $1, tags = $2, version = version + 1 WHERE pool_id = $3 AND region = $4 AND version = $5`,
		r.Status, tags, r.PoolID, r.Region, r.Version)
	if err != nil {
		return fmt.Errorf("postgres: update replica %s: %w", r.Region, err)
	}
	if err := versionMiss(ctx, s.db, tag, "replica "+r.Region, `SELECT count(*) FROM replicas WHERE pool_id = $1 AND region = $2`, r.PoolID, r.Region); err != nil {
		return err
	}
	r.Version++
	return nil
}

// DeleteReplica removes the replica if its status is status: one conditional DELETE, then,
// when it removed nothing, a look at whether the replica exists.
func (s *Store) DeleteReplica(ctx context.Context, poolID, region, status string) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM replicas WHERE pool_id = $1 AND region = $2 AND status = $3`, poolID, region, status)
	if err != nil {
		return fmt.Errorf("postgres: delete replica %s: %w", region, err)
	}
	return versionMiss(ctx, s.db, tag, "replica "+region, `SELECT count(*) FROM replicas WHERE pool_id = $1 AND region = $2`, poolID, region)
}

func (s *Store) scanReplica(row pgx.Row) (*userpool.Replica, error) {
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
