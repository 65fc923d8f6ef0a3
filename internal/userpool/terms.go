package userpool

import (
	"context"
	"errors"
	"maps"
	"net/url"
	"slices"
)

// Terms documents (CreateTerms and the operations after it): links, per language, to an
// app client's terms of use and privacy policy, which the hosted sign-up page shows once
// the client has both [D, CreateTerms: "You must provide both types of terms documents in
// at least one language before Amazon Cognito displays your terms documents"].

// termsNotFound answers terms that do not exist. [I] AWS's sentence is not published.
func termsNotFound(id string) *Error {
	return newError("ResourceNotFoundException", "Terms %s do not exist.", id)
}

// termsExist answers a second document of one name for one client. [I]
func termsExist(name, clientID string) *Error {
	return newError("TermsExistsException", "App client %s has %s terms already.", clientID, name)
}

// checkLinks judges a Links map. The model bounds it (1 to 13 entries, each key a
// cognito:<language>); [I] cognate also asks each link be an absolute http or https URL,
// since the sign-up page links to it.
func checkLinks(links map[string]string) error {
	for _, lang := range slices.Sorted(maps.Keys(links)) {
		u, err := url.Parse(links[lang])
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return invalidParameter("The link for %s is not an absolute http or https URL.", lang)
		}
	}
	return nil
}

// loadTerms reads a pool's terms for a describe, update or delete.
func (s *Service) loadTerms(ctx context.Context, poolID, id string) (*Terms, error) {
	if _, err := s.loadPool(ctx, poolID); err != nil {
		return nil, err
	}
	t, err := s.store.GetTerms(ctx, poolID, id)
	if errors.Is(err, ErrNotFound) {
		return nil, termsNotFound(id)
	}
	return t, err
}

// TermsLink is one terms document as the hosted sign-up page links to it.
type TermsLink struct {
	Name string // "terms-of-use" or "privacy-policy"
	URL  string
}

// signUpTermsLanguages are the Links keys the (English) hosted pages look for, in order:
// the page's language, then the default [D, CreateTerms Links].
var signUpTermsLanguages = []string{"cognito:english", "cognito:default"}

// hostedTerms returns the links the client's sign-up page shows: both documents, or none.
func (s *Service) hostedTerms(ctx context.Context, poolID, clientID string) ([]TermsLink, error) {
	ts, err := s.store.ListClientTerms(ctx, poolID, clientID)
	if err != nil {
		return nil, err
	}
	var out []TermsLink
	for _, name := range []string{"terms-of-use", "privacy-policy"} {
		i := slices.IndexFunc(ts, func(t *Terms) bool { return t.Name == name })
		if i < 0 {
			return nil, nil
		}
		link := ""
		for _, lang := range signUpTermsLanguages {
			if l, ok := ts[i].Doc.Links[lang]; ok {
				link = l
				break
			}
		}
		if link == "" {
			return nil, nil
		}
		out = append(out, TermsLink{Name: name, URL: link})
	}
	return out, nil
}
