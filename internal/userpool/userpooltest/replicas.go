package userpooltest

import (
	"sync"
	"testing"

	"cognate/internal/userpool"
)

// replicaTests are the conformance tests of the replicas' store (store_replica.go).
var replicaTests = []struct {
	name string
	fn   func(t *testing.T, s userpool.Store)
}{
	{"Replica/RoundTrip", testReplicaRoundTrip},
	{"Replica/Limit", testReplicaLimit},
	{"Replica/LimitRace", testReplicaLimitRace},
	{"Replica/Delete", testReplicaDelete},
	{"Replica/DeletePool", testReplicaDeletePool},
}

// testReplicaRoundTrip stores replicas of two pools, reads them back one by one and as a
// list in region order, and changes one by compare-and-set.
func testReplicaRoundTrip(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	west := &userpool.Replica{PoolID: p.ID, Region: "us-west-2", Status: "INACTIVE", Tags: map[string]string{"team": "auth", "empty": ""}}
	eu := &userpool.Replica{PoolID: p.ID, Region: "eu-west-1", Status: "ACTIVE"}
	other := &userpool.Replica{PoolID: q.ID, Region: "us-west-2", Status: "ACTIVE", Tags: map[string]string{"k": "v"}}
	for _, r := range []*userpool.Replica{west, eu, other} {
		must(t, "CreateReplica "+r.PoolID+" "+r.Region, s.CreateReplica(ctx, r, 5))
	}
	got, err := s.GetReplica(ctx, p.ID, "us-west-2")
	must(t, "GetReplica", err)
	same(t, "the replica read back", west, got)
	list, err := s.ListReplicas(ctx, p.ID)
	must(t, "ListReplicas", err)
	same(t, "the pool's replicas, in region order", []*userpool.Replica{eu, west}, list)
	list, err = s.ListReplicas(ctx, "us-east-1_none")
	must(t, "ListReplicas of a missing pool", err)
	if len(list) != 0 {
		t.Errorf("ListReplicas of a missing pool = %v, want none", list)
	}
	_, err = s.GetReplica(ctx, p.ID, "ap-south-1")
	wantErr(t, "GetReplica of a region without one", err, userpool.ErrNotFound)

	if west.Version != 1 {
		t.Errorf("Version after CreateReplica = %d, want 1", west.Version)
	}
	changed := *west
	changed.Status, changed.Tags = "ACTIVE", map[string]string{"team": "identity"}
	must(t, "UpdateReplica", s.UpdateReplica(ctx, &changed))
	if changed.Version != 2 {
		t.Errorf("Version after UpdateReplica = %d, want 2", changed.Version)
	}
	got, err = s.GetReplica(ctx, p.ID, "us-west-2")
	must(t, "GetReplica", err)
	same(t, "the replica after UpdateReplica", &changed, got)
	// A write from a version read before is refused and changes nothing.
	stale := *west
	stale.Status = "INACTIVE"
	wantErr(t, "UpdateReplica from a stale version", s.UpdateReplica(ctx, &stale), userpool.ErrConflict)
	got, err = s.GetReplica(ctx, p.ID, "us-west-2")
	must(t, "GetReplica", err)
	same(t, "the replica after a stale update", &changed, got)
	got, err = s.GetReplica(ctx, q.ID, "us-west-2")
	must(t, "GetReplica of the other pool", err)
	same(t, "the other pool's replica, untouched", other, got)
	wantErr(t, "UpdateReplica of a missing replica", s.UpdateReplica(ctx, &userpool.Replica{PoolID: p.ID, Region: "ap-south-1", Status: "ACTIVE", Version: 1}), userpool.ErrNotFound)
	wantErr(t, "CreateReplica for a missing pool", s.CreateReplica(ctx, &userpool.Replica{PoolID: "us-east-1_none", Region: "eu-west-1", Status: "INACTIVE"}, 5), userpool.ErrNotFound)
}

// testReplicaLimit refuses a replica over the limit and a second one in a region.
func testReplicaLimit(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	must(t, "CreateReplica", s.CreateReplica(ctx, &userpool.Replica{PoolID: p.ID, Region: "eu-west-1", Status: "INACTIVE"}, 2))
	wantErr(t, "CreateReplica in a region that has one", s.CreateReplica(ctx, &userpool.Replica{PoolID: p.ID, Region: "eu-west-1", Status: "ACTIVE"}, 2), userpool.ErrConflict)
	must(t, "CreateReplica, the second", s.CreateReplica(ctx, &userpool.Replica{PoolID: p.ID, Region: "eu-west-2", Status: "INACTIVE"}, 2))
	wantErr(t, "CreateReplica over the limit", s.CreateReplica(ctx, &userpool.Replica{PoolID: p.ID, Region: "eu-west-3", Status: "INACTIVE"}, 2), userpool.ErrConflict)
	list, err := s.ListReplicas(ctx, p.ID)
	must(t, "ListReplicas", err)
	if len(list) != 2 || list[0].Status != "INACTIVE" {
		t.Errorf("replicas after refused creates = %v, want the first two as created", list)
	}
}

// testReplicaLimitRace creates replicas of one pool in many regions at once: exactly the
// limit succeed.
func testReplicaLimitRace(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	regions := []string{"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "ap-south-1", "ap-northeast-1"}
	errs := make([]error, len(regions))
	var wg sync.WaitGroup
	for i, region := range regions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.CreateReplica(ctx, &userpool.Replica{PoolID: p.ID, Region: region, Status: "INACTIVE"}, 1)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else {
			wantErr(t, "a concurrent CreateReplica over the limit", err, userpool.ErrConflict)
		}
	}
	list, err := s.ListReplicas(ctx, p.ID)
	must(t, "ListReplicas", err)
	if won != 1 || len(list) != 1 {
		t.Errorf("%d concurrent creates succeeded and %d replicas stored, want 1 and 1", won, len(list))
	}
}

// testReplicaDelete removes a replica only in the status named.
func testReplicaDelete(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	must(t, "CreateReplica", s.CreateReplica(ctx, &userpool.Replica{PoolID: p.ID, Region: "eu-west-1", Status: "ACTIVE"}, 1))
	wantErr(t, "DeleteReplica in another status", s.DeleteReplica(ctx, p.ID, "eu-west-1", "INACTIVE"), userpool.ErrConflict)
	_, err := s.GetReplica(ctx, p.ID, "eu-west-1")
	must(t, "GetReplica after a refused delete", err)
	r, err := s.GetReplica(ctx, p.ID, "eu-west-1")
	must(t, "GetReplica", err)
	r.Status = "INACTIVE"
	must(t, "UpdateReplica", s.UpdateReplica(ctx, r))
	must(t, "DeleteReplica", s.DeleteReplica(ctx, p.ID, "eu-west-1", "INACTIVE"))
	_, err = s.GetReplica(ctx, p.ID, "eu-west-1")
	wantErr(t, "GetReplica after DeleteReplica", err, userpool.ErrNotFound)
	wantErr(t, "DeleteReplica again", s.DeleteReplica(ctx, p.ID, "eu-west-1", "INACTIVE"), userpool.ErrNotFound)
	// The limit counts the replicas there are: another may be created now.
	must(t, "CreateReplica after the delete", s.CreateReplica(ctx, &userpool.Replica{PoolID: p.ID, Region: "eu-west-2", Status: "INACTIVE"}, 1))
}

// testReplicaDeletePool removes a pool's replicas with the pool, and Reset all of them.
func testReplicaDeletePool(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	must(t, "CreateReplica", s.CreateReplica(ctx, &userpool.Replica{PoolID: p.ID, Region: "eu-west-1", Status: "INACTIVE"}, 1))
	must(t, "CreateReplica", s.CreateReplica(ctx, &userpool.Replica{PoolID: q.ID, Region: "eu-west-1", Status: "INACTIVE"}, 1))
	must(t, "DeletePool", s.DeletePool(ctx, p.ID))
	_, err := s.GetReplica(ctx, p.ID, "eu-west-1")
	wantErr(t, "GetReplica of a deleted pool", err, userpool.ErrNotFound)
	// A pool of the same id made anew has none.
	createPool(t, s, p.ID)
	list, err := s.ListReplicas(ctx, p.ID)
	must(t, "ListReplicas of the new pool", err)
	if len(list) != 0 {
		t.Errorf("a pool made anew under a deleted one's id has replicas %v", list)
	}
	_, err = s.GetReplica(ctx, q.ID, "eu-west-1")
	must(t, "GetReplica of the other pool", err)
	must(t, "Reset", s.Reset(ctx))
	_, err = s.GetReplica(ctx, q.ID, "eu-west-1")
	wantErr(t, "GetReplica after Reset", err, userpool.ErrNotFound)
}
