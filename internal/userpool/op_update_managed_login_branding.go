package userpool

import (
	"context"
	"errors"
)

// UpdateManagedLoginBranding changes a branding style: Settings merge into the stored
// ones and Assets replace those of their category and color mode, as AWS "preserves
// existing style settings that you don't specify" [D]; UseCognitoProvidedValues true
// returns the style to Cognito's defaults, dropping its settings and assets.
func (s *Service) UpdateManagedLoginBranding(ctx context.Context, in *UpdateManagedLoginBrandingRequest) (*UpdateManagedLoginBrandingResponse, error) {
	// The model leaves both ids optional; without them there is no style to update. [I]
	if in.UserPoolId == nil {
		return nil, invalidParameter("UserPoolId is required.")
	}
	if in.ManagedLoginBrandingId == nil {
		return nil, invalidParameter("ManagedLoginBrandingId is required.")
	}
	if err := checkBrandingInput(in.UseCognitoProvidedValues, in.Settings, in.Assets); err != nil {
		return nil, err
	}
	b, err := s.loadBranding(ctx, *in.UserPoolId, *in.ManagedLoginBrandingId)
	if err != nil {
		return nil, err
	}
	d := &b.Doc
	switch {
	case deref(in.UseCognitoProvidedValues):
		d.UseCognitoProvidedValues, d.Settings, d.Assets = ptr(true), nil, nil
	case in.Settings != nil || in.Assets != nil:
		if in.Settings != nil {
			d.Settings = mergeSettings(d.Settings, in.Settings)
		}
		d.Assets = mergeAssets(d.Assets, in.Assets)
		d.UseCognitoProvidedValues = ptr(false)
	}
	d.LastModifiedDate = At(s.clock())
	switch err := s.store.UpdateBranding(ctx, b); {
	case errors.Is(err, ErrConflict):
		return nil, concurrentModification()
	case errors.Is(err, ErrNotFound):
		return nil, brandingNotFound(b.ID)
	case err != nil:
		return nil, err
	}
	return &UpdateManagedLoginBrandingResponse{ManagedLoginBranding: describeBranding(b)}, nil
}
