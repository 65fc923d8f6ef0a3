package userpool

import (
	"context"
	"strconv"
)

// AdminListUserAuthEvents lists a user's auth events, newest first, when the pool has threat
// protection on.
func (s *Service) AdminListUserAuthEvents(ctx context.Context, in *AdminListUserAuthEventsRequest) (*AdminListUserAuthEventsResponse, error) {
	p, u, err := s.loadUser(ctx, deref(in.UserPoolId), deref(in.Username))
	if err != nil {
		return nil, err
	}
	if p.securityMode() == "OFF" {
		return nil, errAddOnOff()
	}
	after, err := pageAfter(in.NextToken)
	if err != nil {
		return nil, err
	}
	var before int64
	if after != "" {
		if before, err = strconv.ParseInt(after, 10, 64); err != nil {
			return nil, invalidParameter("Invalid pagination token.")
		}
	}
	limit := pageLimit(in.MaxResults, 60)
	recs, err := s.store.ListAuthEvents(ctx, p.ID, u.Sub, before, limit+1)
	if err != nil {
		return nil, err
	}
	out := &AdminListUserAuthEventsResponse{AuthEvents: []AuthEventType{}}
	for i, r := range recs {
		if i == limit {
			out.NextToken = pageToken(strconv.FormatInt(recs[i-1].Seq, 10))
			break
		}
		out.AuthEvents = append(out.AuthEvents, r.Event)
	}
	return out, nil
}
