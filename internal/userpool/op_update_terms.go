package userpool

import (
	"context"
	"errors"
	"slices"
)

// UpdateTerms changes a terms document: each member given replaces the stored one.
func (s *Service) UpdateTerms(ctx context.Context, in *UpdateTermsRequest) (*UpdateTermsResponse, error) {
	t, err := s.loadTerms(ctx, deref(in.UserPoolId), deref(in.TermsId))
	if err != nil {
		return nil, err
	}
	if in.Links != nil {
		if err := checkLinks(in.Links); err != nil {
			return nil, err
		}
		t.Doc.Links = in.Links
	}
	if in.TermsName != nil && *in.TermsName != t.Name {
		others, err := s.store.ListClientTerms(ctx, t.PoolID, t.ClientID)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(others, func(o *Terms) bool { return o.Name == *in.TermsName }) {
			return nil, termsExist(*in.TermsName, t.ClientID)
		}
		t.Name, t.Doc.TermsName = *in.TermsName, in.TermsName
	}
	if in.TermsSource != nil {
		t.Doc.TermsSource = in.TermsSource
	}
	if in.Enforcement != nil {
		t.Doc.Enforcement = in.Enforcement
	}
	t.Doc.LastModifiedDate = At(s.clock())
	switch err := s.store.UpdateTerms(ctx, t); {
	case errors.Is(err, ErrConflict):
		// Another request changed these terms, or took the name, since they were read.
		return nil, concurrentModification()
	case errors.Is(err, ErrNotFound):
		return nil, termsNotFound(t.ID)
	case err != nil:
		return nil, err
	}
	return &UpdateTermsResponse{Terms: &t.Doc}, nil
}
