package userpool

import "context"

// ListWebAuthnCredentials lists the signed-in user's passkeys, in credential id order,
// MaxResults at a time (AWS's default and most: 20).
func (s *Service) ListWebAuthnCredentials(ctx context.Context, in *ListWebAuthnCredentialsRequest) (*ListWebAuthnCredentialsResponse, error) {
	_, u, _, err := s.authorize(ctx, deref(in.AccessToken), s.clock())
	if err != nil {
		return nil, err
	}
	after, err := pageAfter(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := pageLimit(in.MaxResults, passkeyLimit)
	keys, err := s.store.ListPasskeys(ctx, u.PoolID, u.Sub, after, limit+1)
	if err != nil {
		return nil, err
	}
	out := &ListWebAuthnCredentialsResponse{Credentials: []WebAuthnCredentialDescription{}}
	for i, k := range keys {
		if i == limit {
			out.NextToken = pageToken(keys[i-1].ID)
			break
		}
		out.Credentials = append(out.Credentials, describePasskey(k))
	}
	return out, nil
}
