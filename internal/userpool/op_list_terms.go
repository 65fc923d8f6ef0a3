package userpool

import "context"

// ListTerms lists a pool's terms documents in id order, summarised as AWS lists them.
func (s *Service) ListTerms(ctx context.Context, in *ListTermsRequest) (*ListTermsResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	after, err := pageAfter(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := pageLimit(in.MaxResults, 60)
	ts, err := s.store.ListTerms(ctx, p.ID, after, limit+1)
	if err != nil {
		return nil, err
	}
	out := &ListTermsResponse{Terms: []TermsDescriptionType{}}
	for i, t := range ts {
		if i == limit {
			out.NextToken = pageToken(ts[i-1].ID)
			break
		}
		out.Terms = append(out.Terms, TermsDescriptionType{TermsId: t.Doc.TermsId, TermsName: t.Doc.TermsName,
			Enforcement: t.Doc.Enforcement, CreationDate: t.Doc.CreationDate, LastModifiedDate: t.Doc.LastModifiedDate})
	}
	return out, nil
}
