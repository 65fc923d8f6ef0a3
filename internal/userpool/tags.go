package userpool

import (
	"context"
	"errors"
	"maps"
	"strings"
)

// Tags are kept on the pool itself (UserPoolType.UserPoolTags), so that DescribeUserPool,
// CreateUserPool and UpdateUserPool see the same map TagResource and UntagResource change.

// maxPoolTags is AWS's limit: "A user pool can have as many as 50 tags" (TagResource's
// documentation in the model). The model caps one request's map at 50; this caps the sum.
const maxPoolTags = 50

// poolIDFromARN returns the id of the pool an ARN names, as AWS forms it
// (arn:aws:cognito-idp:<region>:<account>:userpool/<id>), and the ARN's Region: cognate's
// own for the pool itself, another for one of its replicas, whose ARN is the pool's with
// the replica's Region (replica.go). A malformed ARN is an InvalidParameterException; a
// well-formed one of another account, of a pool that does not exist or of a Region the
// pool has no replica in, is a ResourceNotFoundException, as for any missing pool. AWS's
// own sentences for these are not documented; these are cognate's.
func (s *Service) poolIDFromARN(arn string) (id, region string, err error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] != "cognito-idp" {
		return "", "", invalidParameter("Invalid ARN: %s.", arn)
	}
	id, ok := strings.CutPrefix(parts[5], "userpool/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return "", "", invalidParameter("Invalid ARN: %s.", arn)
	}
	if parts[4] != s.account || parts[1] != "aws" {
		return "", "", resourceNotFound(arn)
	}
	return id, parts[3], nil
}

func resourceNotFound(arn string) *Error {
	return newError("ResourceNotFoundException", "Resource %s does not exist.", arn)
}

// tagsOf returns the tags of the pool or replica arn names. A replica keeps its own: "You
// can maintain tags independently on replica user pools" (CreateUserPoolReplica's
// UserPoolTags in the model).
func (s *Service) tagsOf(ctx context.Context, arn string) (map[string]string, error) {
	id, region, err := s.poolIDFromARN(arn)
	if err != nil {
		return nil, err
	}
	if region != s.region {
		r, err := s.store.GetReplica(ctx, id, region)
		if errors.Is(err, ErrNotFound) {
			return nil, resourceNotFound(arn)
		} else if err != nil {
			return nil, err
		}
		return r.Tags, nil
	}
	p, err := s.loadPool(ctx, id)
	if err != nil {
		return nil, err
	}
	return p.Doc.UserPoolTags, nil
}

// changePoolTags applies change to the tags of the pool or replica arn names, as one
// compare-and-set of the pool or replica (another write going first is retried on top of it).
func (s *Service) changePoolTags(ctx context.Context, arn string, change func(tags map[string]string) error) error {
	id, region, err := s.poolIDFromARN(arn)
	if err != nil {
		return err
	}
	edit := func(tags map[string]string) (map[string]string, error) {
		tags = maps.Clone(tags)
		if tags == nil {
			tags = map[string]string{}
		}
		if err := change(tags); err != nil {
			return nil, err
		}
		if len(tags) == 0 {
			tags = nil
		}
		return tags, nil
	}
	if region != s.region {
		err := s.changeReplica(ctx, id, region, func(r *Replica) (err error) {
			r.Tags, err = edit(r.Tags)
			return err
		})
		if errors.Is(err, ErrNotFound) {
			return resourceNotFound(arn)
		}
		return err
	}
	return retryConflicts(ctx, func() error {
		p, err := s.loadPool(ctx, id)
		if err != nil {
			return err
		}
		if p.Doc.UserPoolTags, err = edit(p.Doc.UserPoolTags); err != nil {
			return err
		}
		return s.updatePool(ctx, p)
	})
}
