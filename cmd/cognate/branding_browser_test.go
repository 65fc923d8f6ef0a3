package main

// The hosted pages in headless Chromium with a UI customization (SetUICustomization) and
// terms documents (CreateTerms): the style sheet and the logo load under the pages'
// content security policy and style AWS's classes, a client's own customization replaces
// the pool's, and the sign-up page links the terms.

import (
	"image/color"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/chromedp/chromedp"
)

func TestHostedBrowserBranding(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	s := startServer(t)
	c := s.Client
	cb := newCallback(t)
	app := newOAuthApp(t, c, "branded-app", cb.URL, nil)
	must(c.SetUICustomization(bg, &cip.SetUICustomizationInput{UserPoolId: aws.String(app.Pool), ClientId: aws.String("ALL"),
		CSS: aws.String(".banner-customizable { background-color: rgb(1, 2, 3); }\n" +
			".submitButton-customizable { background-color: rgb(200, 10, 20); }\n" +
			".label-customizable { font-weight: 900; }"),
		ImageFile: logoPNG(t, color.RGBA{0, 0, 255, 255})}))(t)
	_, challenge := pkce()
	authorize := s.URL + "/oauth2/authorize?" + app.authorizeQuery("st", "n", challenge).Encode()

	style := func(sel, prop string) string {
		t.Helper()
		return get(t, ctx, "the "+prop+" of "+sel, chromedp.Evaluate[string](
			`getComputedStyle(document.querySelector(`+jsString(sel)+`)).getPropertyValue(`+jsString(prop)+`)`))
	}
	do(t, ctx, "opening the sign-in page", chromedp.Navigate(authorize), chromedp.WaitVisible(chromedp.CSS("img.logo-customizable")))
	if got := style("header.banner-customizable", "background-color"); got != "rgb(1, 2, 3)" {
		t.Errorf("the banner's background is %q, want the customization's rgb(1, 2, 3)", got)
	}
	if got := style("button.submitButton-customizable", "background-color"); got != "rgb(200, 10, 20)" {
		t.Errorf("the submit button's background is %q, want rgb(200, 10, 20)", got)
	}
	if got := style("label.label-customizable", "font-weight"); got != "900" {
		t.Errorf("the labels' font-weight is %q, want 900", got)
	}
	// The logo loaded (it is 8 pixels wide), from cognate's own origin.
	if w := get(t, ctx, "the logo's width", chromedp.Evaluate[int](`document.querySelector("img.logo-customizable").naturalWidth`)); w != 8 {
		t.Errorf("the logo's natural width is %d, want 8 (it did not load)", w)
	}
	shot(t, ctx, "login-customized")

	// The client's own customization replaces the pool's for its pages.
	must(c.SetUICustomization(bg, &cip.SetUICustomizationInput{UserPoolId: aws.String(app.Pool), ClientId: aws.String(app.Client),
		CSS: aws.String(".banner-customizable { background-color: rgb(40, 50, 60); }")}))(t)
	do(t, ctx, "reloading the sign-in page", chromedp.Navigate(authorize), chromedp.WaitVisible(chromedp.CSS("#username")))
	if got := style("header.banner-customizable", "background-color"); got != "rgb(40, 50, 60)" {
		t.Errorf("with the client's own customization the banner is %q, want rgb(40, 50, 60)", got)
	}
	if n := get(t, ctx, "counting logos", chromedp.Evaluate[int](`document.querySelectorAll("img.logo-customizable").length`)); n != 0 {
		t.Errorf("%d logos on a page whose client's customization has none", n)
	}
	if got := style("button.submitButton-customizable", "background-color"); got == "rgb(200, 10, 20)" {
		t.Error("the pool's button colour still applies under the client's own customization")
	}

	// Terms: the sign-up page links them once both documents exist.
	signup := s.URL + "/signup?" + url.Values{"client_id": {app.Client}, "response_type": {"code"}, "redirect_uri": {app.Callback}}.Encode()
	terms := func(name, link string) {
		must(c.CreateTerms(bg, &cip.CreateTermsInput{UserPoolId: aws.String(app.Pool), ClientId: aws.String(app.Client),
			TermsName: aws.String(name), TermsSource: types.TermsSourceTypeLink, Enforcement: types.TermsEnforcementTypeNone,
			Links: map[string]string{"cognito:default": link}}))(t)
	}
	terms("terms-of-use", "https://example.com/terms")
	do(t, ctx, "opening the sign-up page", chromedp.Navigate(signup), chromedp.WaitVisible(chromedp.CSS("#username")))
	if n := get(t, ctx, "looking for terms", chromedp.Evaluate[int](`document.querySelectorAll("#terms").length`)); n != 0 {
		t.Error("the sign-up page shows terms before both documents exist")
	}
	terms("privacy-policy", "https://example.com/privacy")
	do(t, ctx, "reopening the sign-up page", chromedp.Navigate(signup), chromedp.WaitVisible(chromedp.CSS("#terms")))
	links := get(t, ctx, "reading the terms links", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("#terms a")).map(a => a.textContent + " " + a.href)`))
	if got := strings.Join(links, ", "); got != "terms of use https://example.com/terms, privacy policy https://example.com/privacy" {
		t.Errorf("the sign-up page's terms links: %s", got)
	}
	shot(t, ctx, "signup-terms")
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
