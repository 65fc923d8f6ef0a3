package userpool

import (
	"context"
	"errors"
)

// CreateUserPoolClient creates an app client, with a secret when GenerateSecret is set or
// ClientSecret gives one.
func (s *Service) CreateUserPoolClient(ctx context.Context, in *CreateUserPoolClientRequest) (*CreateUserPoolClientResponse, error) {
	return s.createUserPoolClient(ctx, in, "")
}

// createUserPoolClient creates the client with the given id, or a new random one when id is "".
func (s *Service) createUserPoolClient(ctx context.Context, in *CreateUserPoolClientRequest, id string) (*CreateUserPoolClientResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	cs, err := convert[clientSettings](in)
	if err != nil {
		return nil, err
	}
	if err := cs.check(p); err != nil {
		return nil, err
	}
	if err := s.checkClientScopes(ctx, p.ID, cs.AllowedOAuthScopes); err != nil {
		return nil, err
	}
	// API model, ClientSecret: "You cannot specify both GenerateSecret as true and provide a
	// ClientSecret value." A ClientSecret alone is the client's secret.
	if in.ClientSecret != nil && deref(in.GenerateSecret) {
		return nil, invalidParameter("You cannot specify both GenerateSecret as true and provide a ClientSecret value.")
	}
	now := s.clock()
	c := &Client{PoolID: p.ID, Doc: UserPoolClientType{
		UserPoolId:       ptr(p.ID),
		CreationDate:     At(now),
		LastModifiedDate: At(now),
	}}
	cs.apply(&c.Doc)
	switch {
	case in.ClientSecret != nil:
		c.Doc.ClientSecret = ptr(*in.ClientSecret)
	case deref(in.GenerateSecret):
		secret, err := s.newClientSecret()
		if err != nil {
			return nil, err
		}
		c.Doc.ClientSecret = ptr(secret)
	}
	for range 5 {
		if c.ID, err = s.newClientID(); id != "" {
			c.ID, err = id, nil
		} else if err != nil {
			return nil, err
		}
		c.Doc.ClientId = ptr(c.ID)
		if err = s.store.CreateClient(ctx, c); !errors.Is(err, ErrConflict) || id != "" {
			break
		}
	}
	if errors.Is(err, ErrNotFound) {
		return nil, poolNotFound(p.ID)
	}
	if err != nil {
		return nil, err
	}
	return &CreateUserPoolClientResponse{UserPoolClient: &c.Doc}, nil
}
