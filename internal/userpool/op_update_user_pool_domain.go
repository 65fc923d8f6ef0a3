package userpool

import (
	"context"
	"errors"
)

// UpdateUserPoolDomain changes a domain's managed login version and, for a custom
// domain, its certificate; the name itself never changes.
func (s *Service) UpdateUserPoolDomain(ctx context.Context, in *UpdateUserPoolDomainRequest) (*UpdateUserPoolDomainResponse, error) {
	d, err := s.loadPoolDomain(ctx, deref(in.UserPoolId), deref(in.Domain))
	if err != nil {
		return nil, err
	}
	if in.ManagedLoginVersion != nil {
		d.Doc.ManagedLoginVersion = in.ManagedLoginVersion
	}
	if in.CustomDomainConfig != nil {
		if !d.Custom {
			return nil, invalidParameter("CustomDomainConfig applies only to a custom domain.")
		}
		d.Doc.CustomDomainConfig = in.CustomDomainConfig
	}
	if in.Routing != nil {
		d.Doc.Routing = in.Routing
	}
	if err := s.store.UpdateDomain(ctx, d); errors.Is(err, ErrNotFound) {
		return nil, errNoDomain
	} else if err != nil {
		return nil, err
	}
	return &UpdateUserPoolDomainResponse{ManagedLoginVersion: d.Doc.ManagedLoginVersion,
		CloudFrontDomain: d.Doc.CloudFrontDistribution, Routing: d.Doc.Routing}, nil
}
