package userpool

import (
	"context"
	"maps"
	"strings"
)

// Tags are kept on the pool itself (UserPoolType.UserPoolTags), so that DescribeUserPool,
// CreateUserPool and UpdateUserPool see the same map TagResource and UntagResource change.

// maxPoolTags is AWS's limit: "A user pool can have as many as 50 tags" (TagResource's
// documentation in the model). The model caps one request's map at 50; this caps the sum.
const maxPoolTags = 50

// poolIDFromARN returns the id of the pool an ARN names, as AWS forms it
// (arn:aws:cognito-idp:<region>:<account>:userpool/<id>). A malformed ARN is an
// InvalidParameterException; a well-formed one of another region or account, or of a pool
// that does not exist, is a ResourceNotFoundException, as for any missing pool. AWS's own
// sentences for these are not documented; these are cognate's.
func (s *Service) poolIDFromARN(arn string) (string, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] != "cognito-idp" {
		return "", invalidParameter("Invalid ARN: %s.", arn)
	}
	id, ok := strings.CutPrefix(parts[5], "userpool/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return "", invalidParameter("Invalid ARN: %s.", arn)
	}
	if parts[3] != s.region || parts[4] != s.account || parts[1] != "aws" {
		return "", newError("ResourceNotFoundException", "Resource %s does not exist.", arn)
	}
	return id, nil
}

// changePoolTags applies change to the tags of the pool arn names, as one compare-and-set
// of the pool (another write going first is retried on top of it).
func (s *Service) changePoolTags(ctx context.Context, arn string, change func(tags map[string]string) error) error {
	id, err := s.poolIDFromARN(arn)
	if err != nil {
		return err
	}
	return retryConflicts(ctx, func() error {
		p, err := s.loadPool(ctx, id)
		if err != nil {
			return err
		}
		tags := maps.Clone(p.Doc.UserPoolTags)
		if tags == nil {
			tags = map[string]string{}
		}
		if err := change(tags); err != nil {
			return err
		}
		if len(tags) == 0 {
			tags = nil
		}
		p.Doc.UserPoolTags = tags
		return s.updatePool(ctx, p)
	})
}
