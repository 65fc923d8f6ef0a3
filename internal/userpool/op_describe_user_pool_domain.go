package userpool

import (
	"context"
	"errors"
)

// DescribeUserPoolDomain describes a domain by name. A name no pool holds gets an empty
// description, not an error, as AWS answers (clients test DomainDescription.Domain).
func (s *Service) DescribeUserPoolDomain(ctx context.Context, in *DescribeUserPoolDomainRequest) (*DescribeUserPoolDomainResponse, error) {
	d, err := s.store.GetDomain(ctx, deref(in.Domain))
	if errors.Is(err, ErrNotFound) {
		return &DescribeUserPoolDomainResponse{DomainDescription: &DomainDescriptionType{}}, nil
	}
	if err != nil {
		return nil, err
	}
	return &DescribeUserPoolDomainResponse{DomainDescription: &d.Doc}, nil
}
