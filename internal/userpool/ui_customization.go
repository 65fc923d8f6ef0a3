package userpool

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Classic hosted UI customization (SetUICustomization, GetUICustomization): a style sheet
// and a logo for a pool's hosted pages, of the pool's clients at large (ClientId ALL) or
// of one client, which then no longer falls back to ALL (developer guide, "Customizing
// hosted UI (classic) branding"). cognate serves the CSS and the logo itself, under
// <public URL>/ui-customization/, and its hosted pages link them.

// allClients is the ClientId of a pool-wide customization.
const allClients = "ALL"

// customizableClasses are the CSS classes the developer guide lets a customization style,
// with the pseudo-classes it names. [D] hosted-ui-classic-branding: background, banner,
// errorMessage, idpButton(:hover), idpDescription, inputField(:focus), label, legalText,
// logo, passwordCheck-notValid, passwordCheck-valid, redirect, socialButton,
// submitButton(:hover), textDescription (redirect-customizable from the guide's current
// list, which the older copy in awsdocs lacks).
var customizableClasses = []string{
	"background-customizable", "banner-customizable", "errorMessage-customizable",
	"idpButton-customizable", "idpButton-customizable:hover", "idpDescription-customizable",
	"inputField-customizable", "inputField-customizable:focus", "label-customizable",
	"legalText-customizable", "logo-customizable", "passwordCheck-notValid-customizable",
	"passwordCheck-valid-customizable", "redirect-customizable", "socialButton-customizable",
	"submitButton-customizable", "submitButton-customizable:hover", "textDescription-customizable",
}

// forbiddenCSS are what the guide says property values may not hold: "@import, @supports,
// @page, or @media statements, or Javascript".
var forbiddenCSS = regexp.MustCompile(`(?i)@import|@supports|@page|@media|javascript:|expression\s*\(|<\s*/?\s*script`)

var cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)

// checkCSS judges a customization's style sheet: rules of customizable classes only,
// without nesting or the forbidden statements. AWS's own sentences for these refusals are
// not published; these say what is wrong. [I] Properties outside the guide's lists are
// accepted: the guide says only that they are not reflected in its UI.
func checkCSS(css string) error {
	if m := forbiddenCSS.FindString(css); m != "" {
		return invalidParameter("The CSS contains %q, which a UI customization may not use.", m)
	}
	rest := cssComment.ReplaceAllString(css, "")
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			if strings.TrimSpace(rest) != "" || strings.ContainsRune(rest, '}') {
				return invalidParameter("The CSS is not a list of rules: %q is not inside one.", strings.TrimSpace(rest))
			}
			return nil
		}
		end := strings.IndexByte(rest[open+1:], '}')
		if end < 0 {
			return invalidParameter("The CSS has a rule that does not end.")
		}
		body := rest[open+1 : open+1+end]
		if strings.ContainsRune(body, '{') {
			return invalidParameter("The CSS nests rules, which a UI customization may not do.")
		}
		for _, sel := range strings.Split(rest[:open], ",") {
			sel = strings.TrimSpace(sel)
			if !strings.HasPrefix(sel, ".") || !slices.Contains(customizableClasses, sel[1:]) {
				return invalidParameter("The CSS selector %q is not one of the classes a UI customization may style.", sel)
			}
		}
		rest = rest[open+1+end+1:]
	}
}

// logoType returns the media type of a logo: AWS takes PNG, JPG or JPEG files [D].
func logoType(image []byte) (string, error) {
	switch t := http.DetectContentType(image); t {
	case "image/png", "image/jpeg":
		return t, nil
	}
	return "", invalidParameter("The image file is not a PNG or JPEG image.")
}

// loadUIScope reads the pool a customization request names and the store's key of its
// ClientId ("" for ALL or none), answering ResourceNotFoundException for a missing pool or
// client.
func (s *Service) loadUIScope(ctx context.Context, poolID, clientID *string) (*Pool, string, error) {
	p, err := s.loadPool(ctx, deref(poolID))
	if err != nil {
		return nil, "", err
	}
	if clientID == nil || *clientID == allClients {
		return p, "", nil
	}
	if _, _, err := s.loadClient(ctx, p.ID, *clientID); err != nil {
		return nil, "", err
	}
	return p, *clientID, nil
}

// uiCustomizationPath is where cognate serves a customization's files: the version in the
// path makes every new customization a new URL, so that browsers may cache each forever.
func uiCustomizationPath(u *UICustomization, file string) string {
	scope := u.ClientID
	if scope == "" {
		scope = allClients
	}
	return "/ui-customization/" + url.PathEscape(u.PoolID) + "/" + url.PathEscape(scope) + "/" + url.PathEscape(u.Version) + "/" + file
}

// describeUICustomization is the API's view of a stored customization.
func (s *Service) describeUICustomization(u *UICustomization) *UICustomizationType {
	d := &UICustomizationType{UserPoolId: ptr(u.PoolID), ClientId: ptr(allClients), CSS: u.CSS,
		CSSVersion: ptr(u.Version), CreationDate: u.CreatedAt, LastModifiedDate: u.ModifiedAt}
	if u.ClientID != "" {
		d.ClientId = ptr(u.ClientID)
	}
	if len(u.Image) > 0 {
		d.ImageUrl = ptr(s.publicURL + uiCustomizationPath(u, "logo"+logoExtension(u.ImageType)))
	}
	return d
}

func logoExtension(mediaType string) string {
	if mediaType == "image/jpeg" {
		return ".jpg"
	}
	return ".png"
}

// effectiveUICustomization returns the customization a client's pages show: the client's
// own, else the pool's; nil when there is neither.
func (s *Service) effectiveUICustomization(ctx context.Context, poolID, clientID string) (*UICustomization, error) {
	if clientID != "" {
		u, err := s.store.GetUICustomization(ctx, poolID, clientID)
		if !errors.Is(err, ErrNotFound) {
			return u, err
		}
	}
	u, err := s.store.GetUICustomization(ctx, poolID, "")
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return u, err
}

// UIAsset is a file of a UI customization as the hosted pages fetch it.
type UIAsset struct {
	ContentType string
	Body        []byte
}

// UICustomizationFile returns a file of a stored customization: "style.css" or the logo,
// as named in its URL; ErrNotFound when the customization has changed since (its version
// is no longer the URL's) or has no such file.
func (s *Service) UICustomizationFile(ctx context.Context, poolID, scope, version, file string) (*UIAsset, error) {
	if scope == allClients {
		scope = ""
	}
	u, err := s.store.GetUICustomization(ctx, poolID, scope)
	if err != nil {
		return nil, err
	}
	if u.Version != version {
		return nil, ErrNotFound
	}
	switch {
	case file == "style.css" && u.CSS != nil:
		return &UIAsset{ContentType: "text/css; charset=utf-8", Body: []byte(*u.CSS)}, nil
	case len(u.Image) > 0 && file == "logo"+logoExtension(u.ImageType):
		return &UIAsset{ContentType: u.ImageType, Body: u.Image}, nil
	}
	return nil, ErrNotFound
}

// uiVersion names a customization set at the given instant: its time in microseconds,
// [I] AWS's CSSVersion is an opaque string that changes with each SetUICustomization.
func uiVersion(at Time) string { return strconv.FormatInt(at.UnixMicro(), 10) }

// HostedStyle is a UI customization as the hosted pages link it: paths on cognate's own
// origin, which the pages' content security policy allows.
type HostedStyle struct {
	CSSURL  string // "" without CSS
	LogoURL string // "" without a logo
}

// hostedLook fills what a client's pages show of its customization and terms.
func (s *Service) hostedLook(ctx context.Context, h *HostedClient) error {
	u, err := s.effectiveUICustomization(ctx, h.PoolID, h.ClientID)
	if err != nil {
		return err
	}
	if u != nil {
		h.Style = &HostedStyle{}
		if u.CSS != nil {
			h.Style.CSSURL = uiCustomizationPath(u, "style.css")
		}
		if len(u.Image) > 0 {
			h.Style.LogoURL = uiCustomizationPath(u, "logo"+logoExtension(u.ImageType))
		}
	}
	h.Terms, err = s.hostedTerms(ctx, h.PoolID, h.ClientID)
	return err
}
