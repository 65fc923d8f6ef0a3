package userpool

import (
	"context"
	"errors"
)

// UpdateUserPoolClient replaces an app client's settings; what it is not given returns to
// the default. The id, secret and creation date stay.
func (s *Service) UpdateUserPoolClient(ctx context.Context, in *UpdateUserPoolClientRequest) (*UpdateUserPoolClientResponse, error) {
	cs, err := convert[clientSettings](in)
	if err != nil {
		return nil, err
	}
	var c *Client
	err = retryConflicts(ctx, func() error {
		var p *Pool
		var err error
		if p, c, err = s.loadClient(ctx, deref(in.UserPoolId), deref(in.ClientId)); err != nil {
			return err
		}
		if err := cs.check(p); err != nil {
			return err
		}
		if err := s.checkClientScopes(ctx, p.ID, cs.AllowedOAuthScopes); err != nil {
			return err
		}
		if cs.ClientName == nil {
			cs.ClientName = c.Doc.ClientName // the name stays unless a new one is given
		}
		cs.apply(&c.Doc)
		c.Doc.LastModifiedDate = At(s.clock())
		err = s.store.UpdateClient(ctx, c)
		if errors.Is(err, ErrNotFound) {
			return clientNotFound(c.ID)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &UpdateUserPoolClientResponse{UserPoolClient: &c.Doc}, nil
}
