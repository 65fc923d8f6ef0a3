package userpool

import (
	"context"
	"errors"
)

// CreateManagedLoginBranding creates the branding style of an app client, which may have
// one only (ManagedLoginBrandingExistsException otherwise).
func (s *Service) CreateManagedLoginBranding(ctx context.Context, in *CreateManagedLoginBrandingRequest) (*CreateManagedLoginBrandingResponse, error) {
	p, c, err := s.loadClient(ctx, deref(in.UserPoolId), deref(in.ClientId))
	if err != nil {
		return nil, err
	}
	if err := checkBrandingInput(in.UseCognitoProvidedValues, in.Settings, in.Assets); err != nil {
		return nil, err
	}
	id, err := s.newUUID()
	if err != nil {
		return nil, err
	}
	now := At(s.clock())
	b := &Branding{PoolID: p.ID, ClientID: c.ID, ID: id, Doc: ManagedLoginBrandingType{
		ManagedLoginBrandingId: ptr(id), UserPoolId: ptr(p.ID),
		UseCognitoProvidedValues: ptr(deref(in.UseCognitoProvidedValues)),
		Settings:                 in.Settings, Assets: in.Assets,
		CreationDate: now, LastModifiedDate: now,
	}}
	switch err := s.store.CreateBranding(ctx, b); {
	case errors.Is(err, ErrConflict):
		// [I] AWS's sentence is not published.
		return nil, newError("ManagedLoginBrandingExistsException", "App client %s has a managed login branding style already.", c.ID)
	case errors.Is(err, ErrNotFound):
		return nil, clientNotFound(c.ID)
	case err != nil:
		return nil, err
	}
	return &CreateManagedLoginBrandingResponse{ManagedLoginBranding: describeBranding(b)}, nil
}
