package userpool

import (
	"context"
	"errors"
)

// CreateTerms creates a terms document of an app client: one of each TermsName per client.
func (s *Service) CreateTerms(ctx context.Context, in *CreateTermsRequest) (*CreateTermsResponse, error) {
	p, c, err := s.loadClient(ctx, deref(in.UserPoolId), deref(in.ClientId))
	if err != nil {
		return nil, err
	}
	// TermsSource LINK, the only source there is, needs links. [I]
	if len(in.Links) == 0 {
		return nil, invalidParameter("Links are required when TermsSource is LINK.")
	}
	if err := checkLinks(in.Links); err != nil {
		return nil, err
	}
	id, err := s.newUUID()
	if err != nil {
		return nil, err
	}
	now := At(s.clock())
	t := &Terms{PoolID: p.ID, ClientID: c.ID, ID: id, Name: deref(in.TermsName), Doc: TermsType{
		TermsId: ptr(id), UserPoolId: ptr(p.ID), ClientId: ptr(c.ID), TermsName: in.TermsName,
		TermsSource: in.TermsSource, Enforcement: in.Enforcement, Links: in.Links,
		CreationDate: now, LastModifiedDate: now,
	}}
	switch err := s.store.CreateTerms(ctx, t); {
	case errors.Is(err, ErrConflict):
		return nil, termsExist(t.Name, c.ID)
	case errors.Is(err, ErrNotFound):
		return nil, clientNotFound(c.ID)
	case err != nil:
		return nil, err
	}
	return &CreateTermsResponse{Terms: &t.Doc}, nil
}
