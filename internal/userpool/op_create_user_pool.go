package userpool

import (
	"context"
	"errors"
)

// CreateUserPool creates a pool with the given settings and Cognito's defaults for the rest.
func (s *Service) CreateUserPool(ctx context.Context, in *CreateUserPoolRequest) (*CreateUserPoolResponse, error) {
	return s.createUserPool(ctx, in, "")
}

// createUserPool creates the pool with the given id, or a new random one when id is "".
func (s *Service) createUserPool(ctx context.Context, in *CreateUserPoolRequest, id string) (*CreateUserPoolResponse, error) {
	if len(in.AliasAttributes) > 0 && len(in.UsernameAttributes) > 0 {
		return nil, invalidParameter("Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.")
	}
	for _, a := range in.AliasAttributes {
		if a != "email" && a != "phone_number" && a != "preferred_username" {
			return nil, invalidParameter("Invalid alias attribute: %s", a)
		}
	}
	for _, a := range in.UsernameAttributes {
		if a != "email" && a != "phone_number" {
			return nil, invalidParameter("Invalid username attribute: %s", a)
		}
	}
	settings, err := convert[poolSettings](in)
	if err != nil {
		return nil, err
	}
	if err := settings.check(); err != nil {
		return nil, err
	}
	schema, err := mergeSchema(standardSchema(), in.Schema, false)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	p := &Pool{Doc: UserPoolType{
		Name:                  in.PoolName,
		SchemaAttributes:      schema,
		AliasAttributes:       in.AliasAttributes,
		UsernameAttributes:    in.UsernameAttributes,
		UsernameConfiguration: in.UsernameConfiguration,
		CreationDate:          At(now),
		LastModifiedDate:      At(now),
	}}
	settings.apply(&p.Doc)
	if err := p.settleMFA(); err != nil {
		return nil, err
	}
	for range 5 { // a clash of 9 random alphanumerics is all but impossible; retry anyway
		if p.ID, err = s.newPoolID(); id != "" {
			p.ID, err = id, nil
		} else if err != nil {
			return nil, err
		}
		p.Doc.Id = ptr(p.ID)
		p.Doc.Arn = ptr(s.poolARN(p.ID))
		if err = s.store.CreatePool(ctx, p); !errors.Is(err, ErrConflict) || id != "" {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	out := p.Doc
	out.EstimatedNumberOfUsers = ptr(int32(0))
	return &CreateUserPoolResponse{UserPool: &out}, nil
}
