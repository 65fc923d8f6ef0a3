package userpool

import "context"

// ReplicaStore keeps the secondary replicas of pools (CreateUserPoolReplica): a region in
// which the same pool, with the same users, is served as well. The pool itself is the
// primary; it has no row here.
type ReplicaStore interface {
	// CreateReplica stores a new replica of r.PoolID with Version 1 (set on r). ErrNotFound if the pool does not
	// exist; ErrConflict if the pool has a replica in r.Region or already has max replicas.
	// Of concurrent creates into one pool, at most max succeed. Deleting the pool deletes
	// its replicas.
	CreateReplica(ctx context.Context, r *Replica, max int) error
	// GetReplica returns the pool's replica in region, or ErrNotFound.
	GetReplica(ctx context.Context, poolID, region string) (*Replica, error)
	// ListReplicas returns all of the pool's replicas in region order, read at one instant.
	ListReplicas(ctx context.Context, poolID string) ([]*Replica, error)
	// UpdateReplica replaces the replica's Status and Tags if its stored version equals
	// r.Version (else ErrConflict; ErrNotFound if it is gone), and advances r.Version: a
	// compare-and-set, as UpdatePool.
	UpdateReplica(ctx context.Context, r *Replica) error
	// DeleteReplica removes the replica if its status is status: ErrConflict if it has
	// another, ErrNotFound if it does not exist. The compare and the removal are one step,
	// so a replica another caller has just activated is not removed.
	DeleteReplica(ctx context.Context, poolID, region, status string) error
}

// Replica is a pool's secondary replica: its region, its status (ACTIVE or INACTIVE, as
// UpdateUserPoolReplica sets it) and the tags given to it, which are its own.
type Replica struct {
	PoolID  string
	Region  string
	Status  string
	Tags    map[string]string
	Version int64
}
