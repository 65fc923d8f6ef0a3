package userpool

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Multi-Region replication (CreateUserPoolReplica and its siblings), as the developer guide
// describes it ("Multi-Region replication for user pools", user-pool-multi-region): a
// replica is the same pool, under the same id and with the same users, served in another
// Region. cognate serves every Region itself, from one store, so a replica needs no copy:
// a request addressed to the replica's Region (the Region of its SigV4 credential scope, or
// of a cognito-idp.<region>.amazonaws.com host) reaches the very pool, and is refused what
// AWS refuses in a secondary Region.

// maxSecondaryReplicas is the guide's limit: "Each user directory can have up to one
// secondary replica in another Region."
const maxSecondaryReplicas = 1

const (
	replicaActive   = "ACTIVE"
	replicaInactive = "INACTIVE"
	replicaDeleting = "DELETING"
)

// primaryRegion is the Region a pool was created in, which prefixes its id
// (<region>_<suffix>): its primary replica's.
func primaryRegion(poolID string) string {
	region, _, _ := strings.Cut(poolID, "_")
	return region
}

// replicaARN is the ARN of a pool in a Region: a replica's is the pool's with its Region
// ("UserPoolArn: The Amazon Resource Name (ARN) of the replica user pool", the model).
func (s *Service) replicaARN(poolID, region string) string {
	return fmt.Sprintf("arn:aws:cognito-idp:%s:%s:userpool/%s", region, s.account, poolID)
}

// checkRegionName refuses a RegionName no SigV4 credential scope could name (cognate's
// check and words: the model bounds only its length, 5 to 32, which the wire layer
// enforces). Any name so shaped is accepted, as cognate serves every Region.
func checkRegionName(region string) error {
	for _, c := range []byte(region) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return invalidParameter("Invalid RegionName: %s.", region)
		}
	}
	return nil
}

func replicaNotFound(poolID, region string) *Error {
	return newError("ResourceNotFoundException", "User pool %s has no replica in %s.", poolID, region)
}

// CreateUserPoolReplica gives a pool a secondary replica in another Region. It starts
// INACTIVE: "New secondary user pools start in the INACTIVE state" (the guide). AWS answers
// CREATING while it copies the pool; cognate has nothing to copy, so the replica is
// INACTIVE at once.
func (s *Service) CreateUserPoolReplica(ctx context.Context, in *CreateUserPoolReplicaRequest) (*CreateUserPoolReplicaResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	region := deref(in.RegionName)
	if err := checkRegionName(region); err != nil {
		return nil, err
	}
	if region == primaryRegion(p.ID) {
		// The primary is a replica already; the words are cognate's.
		return nil, invalidParameter("User pool %s is in %s already; a replica must be in another Region.", p.ID, region)
	}
	// "Multi-Region replication ... requires your user pool to be on the Essentials or
	// Plus feature plan. You can't enable MRR on user pools with the Lite feature plan."
	// (the guide). The model lists FeatureUnavailableInTierException; the words are cognate's.
	if deref(p.Doc.UserPoolTier) == "LITE" {
		return nil, newError("FeatureUnavailableInTierException", "Multi-Region replication requires the user pool to be on the Essentials or Plus feature plan.")
	}
	// "You must configure your user pool with a multi-Region customer managed key from AWS
	// KMS before you enable replication" (the guide); a multi-Region key's id begins
	// "mrk-" (the KMS developer guide). Which exception AWS answers is not documented: this
	// is InvalidParameterException, with cognate's words.
	if k := p.Doc.KeyConfiguration; k == nil || deref(k.KeyType) != "CUSTOMER_MANAGED_KEY" || !strings.Contains(deref(k.KmsKeyArn), ":key/mrk-") {
		return nil, invalidParameter("Multi-Region replication requires the user pool's KeyConfiguration to be a multi-Region customer managed key (KeyType CUSTOMER_MANAGED_KEY, a KmsKeyArn of key/mrk-...).")
	}
	if len(in.UserPoolTags) > maxPoolTags {
		return nil, invalidParameter("A user pool can have at most %d tags.", maxPoolTags)
	}
	r := &Replica{PoolID: p.ID, Region: region, Status: replicaInactive, Tags: in.UserPoolTags}
	switch err := s.store.CreateReplica(ctx, r, maxSecondaryReplicas); {
	case errors.Is(err, ErrConflict):
		// The model lists LimitExceededException; the words are cognate's.
		return nil, newError("LimitExceededException", "User pool %s already has a secondary replica; it can have at most %d.", p.ID, maxSecondaryReplicas)
	case errors.Is(err, ErrNotFound):
		return nil, poolNotFound(p.ID)
	case err != nil:
		return nil, err
	}
	return &CreateUserPoolReplicaResponse{UserPoolReplica: s.describeReplica(r)}, nil
}

// DeleteUserPoolReplica removes a secondary replica: "You can only delete replicas that are
// in the INACTIVE status. This operation must be called from the primary Region" (the
// model; the second is enforced with the other operations of secondary Regions, in
// checkReplicaRegion). AWS answers DELETING while it takes the replica down; cognate has
// removed it by then, and answers DELETING too.
func (s *Service) DeleteUserPoolReplica(ctx context.Context, in *DeleteUserPoolReplicaRequest) (*DeleteUserPoolReplicaResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	region := deref(in.RegionName)
	if region == primaryRegion(p.ID) {
		// "Deletes a secondary replica user pool" (the model); the exception and the words
		// for naming the primary are cognate's.
		return nil, invalidParameter("The replica in %s is the primary; only a secondary replica can be deleted.", region)
	}
	switch err := s.store.DeleteReplica(ctx, p.ID, region, replicaInactive); {
	case errors.Is(err, ErrNotFound):
		return nil, replicaNotFound(p.ID, region)
	case errors.Is(err, ErrConflict):
		// The exception AWS answers for an ACTIVE replica is not documented; the words are
		// cognate's.
		return nil, invalidParameter("The replica in %s is ACTIVE; only an INACTIVE replica can be deleted.", region)
	case err != nil:
		return nil, err
	}
	gone := &Replica{PoolID: p.ID, Region: region, Status: replicaDeleting}
	return &DeleteUserPoolReplicaResponse{UserPoolReplica: s.describeReplica(gone)}, nil
}

// ListUserPoolReplicas lists the pool's replicas, "including both primary and secondary
// replicas" (the model), in Region order. They fit one page; a NextToken names the Region
// after which to go on.
func (s *Service) ListUserPoolReplicas(ctx context.Context, in *ListUserPoolReplicasRequest) (*ListUserPoolReplicasResponse, error) {
	after, err := pageAfter(in.NextToken)
	if err != nil {
		return nil, err
	}
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	replicas, err := s.store.ListReplicas(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	all := append([]*Replica{{PoolID: p.ID, Region: primaryRegion(p.ID), Status: replicaActive}}, replicas...)
	slices.SortFunc(all, func(a, b *Replica) int { return strings.Compare(a.Region, b.Region) })
	out := &ListUserPoolReplicasResponse{UserPoolReplicas: []UserPoolReplicaType{}}
	for _, r := range all {
		if r.Region > after {
			out.UserPoolReplicas = append(out.UserPoolReplicas, *s.describeReplica(r))
		}
	}
	return out, nil
}

// UpdateUserPoolReplica activates or deactivates a secondary replica; it "can be made in
// both primary and secondary regions of the user pool" (the model).
func (s *Service) UpdateUserPoolReplica(ctx context.Context, in *UpdateUserPoolReplicaRequest) (*UpdateUserPoolReplicaResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	region, status := deref(in.RegionName), deref(in.Status)
	if region == primaryRegion(p.ID) {
		// The primary serves all operations; nothing documents deactivating it. ACTIVE is
		// what it is, and is accepted; INACTIVE is refused, in cognate's words.
		if status != replicaActive {
			return nil, invalidParameter("The replica in %s is the primary; it cannot be made %s.", region, status)
		}
		primary := &Replica{PoolID: p.ID, Region: region, Status: replicaActive}
		return &UpdateUserPoolReplicaResponse{UserPoolReplica: s.describeReplica(primary)}, nil
	}
	var r *Replica
	err = s.changeReplica(ctx, p.ID, region, func(got *Replica) error {
		got.Status, r = status, got
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return nil, replicaNotFound(p.ID, region)
	} else if err != nil {
		return nil, err
	}
	return &UpdateUserPoolReplicaResponse{UserPoolReplica: s.describeReplica(r)}, nil
}

// describeReplica is a replica as the API describes it, with its role.
func (s *Service) describeReplica(r *Replica) *UserPoolReplicaType {
	role := "SECONDARY"
	if r.Region == primaryRegion(r.PoolID) {
		role = "PRIMARY"
	}
	return &UserPoolReplicaType{
		RegionName:  ptr(r.Region),
		Status:      ptr(r.Status),
		Role:        ptr(role),
		UserPoolArn: ptr(s.replicaARN(r.PoolID, r.Region)),
	}
}

// changeReplica applies change to the pool's replica in region as one compare-and-set
// (another write going first is retried on top of it); ErrNotFound if there is none.
func (s *Service) changeReplica(ctx context.Context, poolID, region string, change func(r *Replica) error) error {
	return retryConflicts(ctx, func() error {
		r, err := s.store.GetReplica(ctx, poolID, region)
		if err != nil {
			return err
		}
		if err := change(r); err != nil {
			return err
		}
		return s.store.UpdateReplica(ctx, r)
	})
}
