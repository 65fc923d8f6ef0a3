package main

// End-to-end tests of issue 16's branding operations through the Go SDK: classic UI
// customizations (and the files they serve), managed login branding styles and terms.

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/document"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

// logoPNG is a small PNG of one colour.
func logoPNG(t testing.TB, c color.Color) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 4))
	for x := range 8 {
		for y := range 4 {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// fetch GETs a URL and returns its status, content type and body.
func fetch(t testing.TB, url string) (int, string, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

func TestUICustomization(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, nil)
	app := must(c.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("app")}))(t).UserPoolClient.ClientId
	css := ".label-customizable { font-weight: 400; }\n.submitButton-customizable:hover { background-color: #123456; }"
	logo := logoPNG(t, color.RGBA{200, 30, 30, 255})

	// A pool without a domain has nowhere to show a customization.
	_, err := c.SetUICustomization(bg, &cip.SetUICustomizationInput{UserPoolId: aws.String(pool), CSS: aws.String(css)})
	wantCodeMsg(t, err, "InvalidParameterException", "A domain must be associated with this user pool.")
	must(c.CreateUserPoolDomain(bg, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("ui-custom")}))(t)

	// Nothing set: an empty UICustomization, for the pool and for a client.
	for _, client := range []*string{nil, app} {
		got := must(c.GetUICustomization(bg, &cip.GetUICustomizationInput{UserPoolId: aws.String(pool), ClientId: client}))(t)
		if d := cmp.Diff(&types.UICustomizationType{}, got.UICustomization, exported); d != "" {
			t.Fatalf("GetUICustomization before any (-want +got):\n%s", d)
		}
	}

	all := must(c.SetUICustomization(bg, &cip.SetUICustomizationInput{UserPoolId: aws.String(pool), ClientId: aws.String("ALL"),
		CSS: aws.String(css), ImageFile: logo}))(t).UICustomization
	if aws.ToString(all.ClientId) != "ALL" || aws.ToString(all.UserPoolId) != pool || aws.ToString(all.CSS) != css ||
		all.CSSVersion == nil || all.ImageUrl == nil || all.CreationDate == nil || all.LastModifiedDate == nil {
		t.Fatalf("SetUICustomization ALL = %+v", all)
	}
	status, ctype, body := fetch(t, aws.ToString(all.ImageUrl))
	if status != 200 || ctype != "image/png" || !bytes.Equal(body, logo) {
		t.Fatalf("GET ImageUrl: %d %s, %d bytes (want the logo's %d)", status, ctype, len(body), len(logo))
	}
	// A client without its own falls back to ALL.
	got := must(c.GetUICustomization(bg, &cip.GetUICustomizationInput{UserPoolId: aws.String(pool), ClientId: app}))(t).UICustomization
	if d := cmp.Diff(all, got, exported); d != "" {
		t.Errorf("a client's customization before its own (-ALL +got):\n%s", d)
	}

	// The client's own, CSS alone, overrides ALL for it and only it.
	own := must(c.SetUICustomization(bg, &cip.SetUICustomizationInput{UserPoolId: aws.String(pool), ClientId: app,
		CSS: aws.String(".banner-customizable { background-color: black; }")}))(t).UICustomization
	if aws.ToString(own.ClientId) != aws.ToString(app) || own.ImageUrl != nil {
		t.Fatalf("the client's customization = %+v", own)
	}
	got = must(c.GetUICustomization(bg, &cip.GetUICustomizationInput{UserPoolId: aws.String(pool), ClientId: app}))(t).UICustomization
	if d := cmp.Diff(own, got, exported); d != "" {
		t.Errorf("GetUICustomization of the client (-want +got):\n%s", d)
	}
	got = must(c.GetUICustomization(bg, &cip.GetUICustomizationInput{UserPoolId: aws.String(pool)}))(t).UICustomization
	if d := cmp.Diff(all, got, exported); d != "" {
		t.Errorf("GetUICustomization of the pool (-want +got):\n%s", d)
	}

	// Setting ALL again keeps its creation date, and moves its version and its logo's URL;
	// the old URL is gone.
	again := must(c.SetUICustomization(bg, &cip.SetUICustomizationInput{UserPoolId: aws.String(pool), CSS: aws.String(css),
		ImageFile: logoPNG(t, color.RGBA{30, 30, 200, 255})}))(t).UICustomization
	if !again.CreationDate.Equal(*all.CreationDate) || aws.ToString(again.CSSVersion) == aws.ToString(all.CSSVersion) ||
		aws.ToString(again.ImageUrl) == aws.ToString(all.ImageUrl) {
		t.Errorf("the second SetUICustomization: %+v after %+v", again, all)
	}
	if status, _, _ := fetch(t, aws.ToString(all.ImageUrl)); status != http.StatusNotFound {
		t.Errorf("the replaced logo's URL answers %d, want 404", status)
	}

	// Refusals: CSS beyond the customizable classes or with a forbidden statement, an image
	// that is no PNG or JPEG, a client that does not exist.
	for _, bad := range []string{
		".label-customizable { color: red; } body { display: none; }",
		"@import url(https://example.com/x.css); .label-customizable { color: red; }",
		".label-customizable { background: url(javascript:alert(1)); }",
		".label-customizable { color: red;",
	} {
		_, err := c.SetUICustomization(bg, &cip.SetUICustomizationInput{UserPoolId: aws.String(pool), CSS: aws.String(bad)})
		wantCode(t, err, "InvalidParameterException")
	}
	_, err = c.SetUICustomization(bg, &cip.SetUICustomizationInput{UserPoolId: aws.String(pool), ImageFile: []byte("GIF89a not a png")})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.SetUICustomization(bg, &cip.SetUICustomizationInput{UserPoolId: aws.String(pool), ClientId: aws.String("nosuchclient"), CSS: aws.String(css)})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.GetUICustomization(bg, &cip.GetUICustomizationInput{UserPoolId: aws.String(pool), ClientId: aws.String("nosuchclient")})
	wantCode(t, err, "ResourceNotFoundException")

	// Setting neither CSS nor a logo removes a customization (Terraform deletes so): the
	// client falls back to ALL again.
	must(c.SetUICustomization(bg, &cip.SetUICustomizationInput{UserPoolId: aws.String(pool), ClientId: app}))(t)
	got = must(c.GetUICustomization(bg, &cip.GetUICustomizationInput{UserPoolId: aws.String(pool), ClientId: app}))(t).UICustomization
	if aws.ToString(got.ClientId) != "ALL" || aws.ToString(got.CSSVersion) != aws.ToString(again.CSSVersion) {
		t.Errorf("after the client's was removed: %+v", got)
	}
}

func TestManagedLoginBranding(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, nil)
	newClient := func(name string) *string {
		return must(c.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String(name)}))(t).UserPoolClient.ClientId
	}
	app, other := newClient("app"), newClient("other")
	settings := map[string]any{
		"categories": map[string]any{"global": map[string]any{"colorSchemeMode": "LIGHT", "spacingDensity": "REGULAR"}},
		"components": map[string]any{"primaryButton": map[string]any{"lightMode": map[string]any{"defaults": map[string]any{"backgroundColor": "0972d3ff"}}}},
	}
	logo := logoPNG(t, color.RGBA{0, 128, 0, 255})
	created := must(c.CreateManagedLoginBranding(bg, &cip.CreateManagedLoginBrandingInput{UserPoolId: aws.String(pool), ClientId: app,
		Settings: document.NewLazyDocument(settings),
		Assets:   []types.AssetType{{Category: types.AssetCategoryTypePageHeaderLogo, ColorMode: types.ColorSchemeModeTypeLight, Extension: types.AssetExtensionTypePng, Bytes: logo}}}))(t).ManagedLoginBranding
	id := aws.ToString(created.ManagedLoginBrandingId)
	if len(id) != 36 || aws.ToString(created.UserPoolId) != pool || created.UseCognitoProvidedValues || created.CreationDate == nil {
		t.Fatalf("CreateManagedLoginBranding = %+v", created)
	}
	settingsOf := func(b *types.ManagedLoginBrandingType) map[string]any {
		t.Helper()
		var m map[string]any
		if b.Settings == nil {
			return nil
		}
		if err := b.Settings.UnmarshalSmithyDocument(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	if d := cmp.Diff(settings, settingsOf(created)); d != "" {
		t.Errorf("the created style's settings (-want +got):\n%s", d)
	}

	// One style per client.
	_, err := c.CreateManagedLoginBranding(bg, &cip.CreateManagedLoginBrandingInput{UserPoolId: aws.String(pool), ClientId: app, UseCognitoProvidedValues: true})
	wantCode(t, err, "ManagedLoginBrandingExistsException")
	// Cognito's values exclude Settings and Assets.
	_, err = c.CreateManagedLoginBranding(bg, &cip.CreateManagedLoginBrandingInput{UserPoolId: aws.String(pool), ClientId: other,
		UseCognitoProvidedValues: true, Settings: document.NewLazyDocument(settings)})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.CreateManagedLoginBranding(bg, &cip.CreateManagedLoginBrandingInput{UserPoolId: aws.String(pool), ClientId: aws.String("nosuchclient"), UseCognitoProvidedValues: true})
	wantCode(t, err, "ResourceNotFoundException")

	for _, merged := range []bool{false, true} {
		got := must(c.DescribeManagedLoginBranding(bg, &cip.DescribeManagedLoginBrandingInput{UserPoolId: aws.String(pool),
			ManagedLoginBrandingId: aws.String(id), ReturnMergedResources: merged}))(t).ManagedLoginBranding
		if d := cmp.Diff(settings, settingsOf(got)); d != "" || len(got.Assets) != 1 || !bytes.Equal(got.Assets[0].Bytes, logo) {
			t.Errorf("DescribeManagedLoginBranding (merged %v): settings diff %s, assets %+v", merged, d, got.Assets)
		}
	}
	byClient := must(c.DescribeManagedLoginBrandingByClient(bg, &cip.DescribeManagedLoginBrandingByClientInput{UserPoolId: aws.String(pool), ClientId: app}))(t).ManagedLoginBranding
	if aws.ToString(byClient.ManagedLoginBrandingId) != id {
		t.Errorf("DescribeManagedLoginBrandingByClient = %s, want %s", aws.ToString(byClient.ManagedLoginBrandingId), id)
	}
	_, err = c.DescribeManagedLoginBrandingByClient(bg, &cip.DescribeManagedLoginBrandingByClientInput{UserPoolId: aws.String(pool), ClientId: other})
	wantCode(t, err, "ResourceNotFoundException")

	// An update merges settings and replaces the asset of its category and mode.
	dark := logoPNG(t, color.RGBA{10, 10, 10, 255})
	updated := must(c.UpdateManagedLoginBranding(bg, &cip.UpdateManagedLoginBrandingInput{UserPoolId: aws.String(pool), ManagedLoginBrandingId: aws.String(id),
		Settings: document.NewLazyDocument(map[string]any{"categories": map[string]any{"global": map[string]any{"colorSchemeMode": "DARK"}}}),
		Assets: []types.AssetType{
			{Category: types.AssetCategoryTypePageHeaderLogo, ColorMode: types.ColorSchemeModeTypeLight, Extension: types.AssetExtensionTypePng, Bytes: dark},
			{Category: types.AssetCategoryTypeFaviconIco, ColorMode: types.ColorSchemeModeTypeDynamic, Extension: types.AssetExtensionTypeIco, Bytes: []byte{0, 0, 1, 0}},
		}}))(t).ManagedLoginBranding
	wantSettings := map[string]any{
		"categories": map[string]any{"global": map[string]any{"colorSchemeMode": "DARK", "spacingDensity": "REGULAR"}},
		"components": settings["components"],
	}
	if d := cmp.Diff(wantSettings, settingsOf(updated)); d != "" {
		t.Errorf("the updated settings (-want +got):\n%s", d)
	}
	if len(updated.Assets) != 2 || !bytes.Equal(updated.Assets[0].Bytes, dark) || updated.Assets[1].Category != types.AssetCategoryTypeFaviconIco {
		t.Errorf("the updated assets: %+v", updated.Assets)
	}
	// Back to Cognito's values: settings and assets go.
	reset := must(c.UpdateManagedLoginBranding(bg, &cip.UpdateManagedLoginBrandingInput{UserPoolId: aws.String(pool), ManagedLoginBrandingId: aws.String(id),
		UseCognitoProvidedValues: true}))(t).ManagedLoginBranding
	if !reset.UseCognitoProvidedValues || reset.Settings != nil || len(reset.Assets) != 0 {
		t.Errorf("UpdateManagedLoginBranding to Cognito's values = %+v", reset)
	}
	_, err = c.UpdateManagedLoginBranding(bg, &cip.UpdateManagedLoginBrandingInput{UserPoolId: aws.String(pool), ManagedLoginBrandingId: aws.String("2b7a7e8c-0b5e-4a3e-9e0f-1c2d3e4f5a6b"), UseCognitoProvidedValues: true})
	wantCode(t, err, "ResourceNotFoundException")

	must(c.DeleteManagedLoginBranding(bg, &cip.DeleteManagedLoginBrandingInput{UserPoolId: aws.String(pool), ManagedLoginBrandingId: aws.String(id)}))(t)
	_, err = c.DescribeManagedLoginBranding(bg, &cip.DescribeManagedLoginBrandingInput{UserPoolId: aws.String(pool), ManagedLoginBrandingId: aws.String(id)})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.DeleteManagedLoginBranding(bg, &cip.DeleteManagedLoginBrandingInput{UserPoolId: aws.String(pool), ManagedLoginBrandingId: aws.String(id)})
	wantCode(t, err, "ResourceNotFoundException")

	// A client's style goes with the client.
	second := must(c.CreateManagedLoginBranding(bg, &cip.CreateManagedLoginBrandingInput{UserPoolId: aws.String(pool), ClientId: other, UseCognitoProvidedValues: true}))(t).ManagedLoginBranding
	if !second.UseCognitoProvidedValues {
		t.Errorf("a style of Cognito's values: %+v", second)
	}
	must(c.DeleteUserPoolClient(bg, &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: other}))(t)
	_, err = c.DescribeManagedLoginBranding(bg, &cip.DescribeManagedLoginBrandingInput{UserPoolId: aws.String(pool), ManagedLoginBrandingId: second.ManagedLoginBrandingId})
	wantCode(t, err, "ResourceNotFoundException")
}

func TestTerms(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, nil)
	app := must(c.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("app")}))(t).UserPoolClient.ClientId
	create := func(name string, links map[string]string) (*cip.CreateTermsOutput, error) {
		return c.CreateTerms(bg, &cip.CreateTermsInput{UserPoolId: aws.String(pool), ClientId: app, TermsName: aws.String(name),
			TermsSource: types.TermsSourceTypeLink, Enforcement: types.TermsEnforcementTypeNone, Links: links})
	}
	tos := must(create("terms-of-use", map[string]string{"cognito:default": "https://example.com/terms", "cognito:spanish": "https://example.com/es/terms"}))(t).Terms
	if len(aws.ToString(tos.TermsId)) != 36 || aws.ToString(tos.ClientId) != aws.ToString(app) || aws.ToString(tos.TermsName) != "terms-of-use" ||
		tos.TermsSource != types.TermsSourceTypeLink || tos.Enforcement != types.TermsEnforcementTypeNone || tos.CreationDate == nil || len(tos.Links) != 2 {
		t.Fatalf("CreateTerms = %+v", tos)
	}
	_, err := create("terms-of-use", map[string]string{"cognito:default": "https://example.com/other"})
	wantCode(t, err, "TermsExistsException")
	_, err = create("privacy-policy", map[string]string{"cognito:default": "javascript:alert(1)"})
	wantCode(t, err, "InvalidParameterException")
	_, err = create("cookies", map[string]string{"cognito:default": "https://example.com/c"})
	wantCode(t, err, "InvalidParameterException") // the model's pattern
	pp := must(create("privacy-policy", map[string]string{"cognito:default": "https://example.com/privacy"}))(t).Terms

	got := must(c.DescribeTerms(bg, &cip.DescribeTermsInput{UserPoolId: aws.String(pool), TermsId: tos.TermsId}))(t).Terms
	if d := cmp.Diff(tos, got, exported); d != "" {
		t.Errorf("DescribeTerms (-want +got):\n%s", d)
	}
	// ListTerms, one to a page.
	var listed []string
	var next *string
	for {
		page := must(c.ListTerms(bg, &cip.ListTermsInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(1), NextToken: next}))(t)
		for _, d := range page.Terms {
			listed = append(listed, aws.ToString(d.TermsName))
		}
		if next = page.NextToken; next == nil {
			break
		}
	}
	if len(listed) != 2 {
		t.Errorf("ListTerms listed %v, want both", listed)
	}

	// Renaming onto the other document's name is refused; new links replace the old.
	_, err = c.UpdateTerms(bg, &cip.UpdateTermsInput{UserPoolId: aws.String(pool), TermsId: pp.TermsId, TermsName: aws.String("terms-of-use")})
	wantCode(t, err, "TermsExistsException")
	up := must(c.UpdateTerms(bg, &cip.UpdateTermsInput{UserPoolId: aws.String(pool), TermsId: pp.TermsId,
		Links: map[string]string{"cognito:english": "https://example.com/en/privacy"}}))(t).Terms
	if d := cmp.Diff(map[string]string{"cognito:english": "https://example.com/en/privacy"}, up.Links); d != "" || !up.CreationDate.Equal(*pp.CreationDate) {
		t.Errorf("UpdateTerms links (-want +got):\n%s (created %v, was %v)", d, up.CreationDate, pp.CreationDate)
	}

	must(c.DeleteTerms(bg, &cip.DeleteTermsInput{UserPoolId: aws.String(pool), TermsId: pp.TermsId}))(t)
	_, err = c.DescribeTerms(bg, &cip.DescribeTermsInput{UserPoolId: aws.String(pool), TermsId: pp.TermsId})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.DeleteTerms(bg, &cip.DeleteTermsInput{UserPoolId: aws.String(pool), TermsId: pp.TermsId})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.ListTerms(bg, &cip.ListTermsInput{UserPoolId: aws.String(missingPool)})
	wantCode(t, err, "ResourceNotFoundException")
}
