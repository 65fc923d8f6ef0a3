package userpool

import (
	"context"
	"errors"
	"maps"
)

// Managed login branding styles (CreateManagedLoginBranding and the operations after it):
// a Settings document and image Assets per app client, at most one style per client.
// cognate stores and describes them faithfully; its own hosted pages are the classic
// ones and draw on UI customizations (ui_customization.go), not on these styles.

// brandingNotFound answers a style that does not exist. [I] AWS's sentence is not
// published; this one names what is missing as its other ResourceNotFound answers do.
func brandingNotFound(what string) *Error {
	return newError("ResourceNotFoundException", "Managed login branding %s does not exist.", what)
}

// checkBrandingInput judges the parts a create or an update sets: AWS requires Settings
// and Assets to be omitted when UseCognitoProvidedValues is true [D, API reference], and a
// Settings document is a JSON object (the style's categories and components). [I] An
// asset is named by its Category and ColorMode (an update replaces the asset of a pair
// and adds one of a new pair, as Terraform's provider observes), so a request may not
// name one pair twice.
func checkBrandingInput(useDefaults *bool, settings any, assets []AssetType) error {
	if deref(useDefaults) && (settings != nil || assets != nil) {
		return invalidParameter("Settings and Assets must be omitted when UseCognitoProvidedValues is true.")
	}
	if settings != nil {
		if _, ok := settings.(map[string]any); !ok {
			return invalidParameter("Settings must be a JSON object.")
		}
	}
	seen := map[[2]string]bool{}
	for _, a := range assets {
		k := [2]string{deref(a.Category), deref(a.ColorMode)}
		if seen[k] {
			return invalidParameter("Assets name the category %s in color mode %s more than once.", k[0], k[1])
		}
		seen[k] = true
	}
	return nil
}

// mergeSettings lays an update's Settings over the stored ones: AWS "preserves existing
// style settings that you don't specify" [D]. Objects merge member by member, anything
// else replaces.
func mergeSettings(old, update any) any {
	o, ok1 := old.(map[string]any)
	u, ok2 := update.(map[string]any)
	if !ok1 || !ok2 {
		return update
	}
	out := maps.Clone(o)
	for k, v := range u {
		out[k] = mergeSettings(o[k], v)
	}
	return out
}

// mergeAssets lays an update's assets over the stored ones, by Category and ColorMode.
func mergeAssets(old, update []AssetType) []AssetType {
	out := append([]AssetType{}, old...)
next:
	for _, a := range update {
		for i, b := range out {
			if deref(a.Category) == deref(b.Category) && deref(a.ColorMode) == deref(b.ColorMode) {
				out[i] = a
				continue next
			}
		}
		out = append(out, a)
	}
	return out
}

// loadBranding reads a pool's style for a describe, update or delete.
func (s *Service) loadBranding(ctx context.Context, poolID, id string) (*Branding, error) {
	if _, err := s.loadPool(ctx, poolID); err != nil {
		return nil, err
	}
	b, err := s.store.GetBranding(ctx, poolID, id)
	if errors.Is(err, ErrNotFound) {
		return nil, brandingNotFound(id)
	}
	return b, err
}

// describeBranding is the API's view of a style. [I] ReturnMergedResources asks for the
// values left at Amazon Cognito's defaults too; cognate keeps no copy of AWS's default
// style, so the merged view is the stored one (README says so).
func describeBranding(b *Branding) *ManagedLoginBrandingType {
	d := b.Doc
	if d.Assets == nil {
		d.Assets = []AssetType{}
	}
	return &d
}

// concurrentModification answers an update that lost a race with another.
func concurrentModification() *Error {
	return newError("ConcurrentModificationException", "The resource was changed by another request; try again.")
}
