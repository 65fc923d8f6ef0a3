package userpool

import (
	"context"
	"errors"
)

// CreateUserPoolDomain gives a pool a prefix domain, or with CustomDomainConfig a custom
// domain. The domain's pages are served on cognate's public URL; the domain chooses which
// pools have them.
func (s *Service) CreateUserPoolDomain(ctx context.Context, in *CreateUserPoolDomainRequest) (*CreateUserPoolDomainResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	name, custom := deref(in.Domain), in.CustomDomainConfig != nil
	if err := checkDomainName(name, custom); err != nil {
		return nil, err
	}
	version := in.ManagedLoginVersion
	if version == nil {
		version = ptr(int32(1))
	}
	d := &Domain{Name: name, PoolID: p.ID, Custom: custom, Doc: DomainDescriptionType{
		UserPoolId: ptr(p.ID), AWSAccountId: ptr(s.account), Domain: ptr(name), Status: ptr("ACTIVE"),
		// Version is a creation stamp, as the AWS CLI's example shows ("20190128175402").
		Version: ptr(s.clock().Format("20060102150405")), ManagedLoginVersion: version,
		CustomDomainConfig: in.CustomDomainConfig, Routing: in.Routing,
	}}
	if !custom {
		d.Doc.CustomDomainConfig = &CustomDomainConfigType{} // as AWS describes a prefix domain
	}
	out := &CreateUserPoolDomainResponse{ManagedLoginVersion: in.ManagedLoginVersion, Routing: in.Routing}
	if custom {
		d.Doc.CloudFrontDistribution = ptr(s.cloudFrontDomain())
		out.CloudFrontDomain = d.Doc.CloudFrontDistribution
	}
	switch err := s.store.CreateDomain(ctx, d); {
	case errors.Is(err, ErrNotFound):
		return nil, poolNotFound(p.ID)
	case errors.Is(err, ErrConflict):
		if taken, gerr := s.store.GetDomain(ctx, name); gerr == nil && taken != nil {
			return nil, errDomainTaken
		}
		return nil, errPoolHasDomain
	case err != nil:
		return nil, err
	}
	return out, nil
}
