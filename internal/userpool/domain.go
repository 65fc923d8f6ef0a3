package userpool

import (
	"context"
	"errors"
	"regexp"
	"strings"
)

// prefixDomainPattern is what a prefix domain must match. The model gives this pattern
// to every Domain member, yet AWS takes fully-qualified custom domains (auth.example.com)
// in the same member; AWS answers a prefix that breaks it with the sentence below [O:
// github.com/mineiros-io/terraform-aws-cognito-user-pool/issues/69], so the check is the
// operation's and the wire accepts dotted names.
var prefixDomainPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`)

var (
	// [O: github.com/aws-samples/aws-cdk-examples/issues/402]
	errDomainTaken = invalidParameter("Domain already associated with another user pool.")
	// [I] AWS's wording is not recorded; a pool has one prefix and one custom domain.
	errPoolHasDomain = invalidParameter("User pool already has a domain configured.")
	// [O: terraform-provider-aws threads quote this answer for a domain that is not there]
	errNoDomain = invalidParameter("No such domain or user pool exists.")
)

// checkDomainName judges a domain name: a prefix by AWS's pattern, a custom domain as a
// host name of lower-case labels.
func checkDomainName(name string, custom bool) error {
	if !custom {
		if !prefixDomainPattern.MatchString(name) {
			return invalidParameter("The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$")
		}
		return nil
	}
	for _, label := range strings.Split(name, ".") {
		if !prefixDomainPattern.MatchString(label) {
			return invalidParameter("The domain name %s is not a valid host name.", name)
		}
	}
	return nil
}

// poolDomain returns the prefix domain of a pool (else its custom domain), or nil when it
// has none: the hosted pages and the authorization server answer only for such a pool.
func (s *Service) poolDomain(ctx context.Context, poolID string) (*Domain, error) {
	ds, err := s.store.PoolDomains(ctx, poolID)
	if err != nil || len(ds) == 0 {
		return nil, err
	}
	return ds[0], nil
}

// loadPoolDomain reads the pool's domain of that name for an update or a delete.
func (s *Service) loadPoolDomain(ctx context.Context, poolID, name string) (*Domain, error) {
	if _, err := s.loadPool(ctx, poolID); err != nil {
		return nil, err
	}
	d, err := s.store.GetDomain(ctx, name)
	if errors.Is(err, ErrNotFound) || (err == nil && d.PoolID != poolID) {
		return nil, errNoDomain
	}
	return d, err
}

// cloudFrontDomain is what a custom domain's alias record must point to: AWS answers its
// CloudFront distribution; cognate serves the pages itself, at its public URL's host.
func (s *Service) cloudFrontDomain() string {
	host := s.publicURL
	host = host[strings.Index(host, "://")+3:]
	if i := strings.IndexAny(host, ":/"); i >= 0 {
		host = host[:i]
	}
	return host
}
