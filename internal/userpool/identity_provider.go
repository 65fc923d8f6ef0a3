package userpool

import (
	"context"
	"errors"
	"net"
	"net/url"
	"slices"
	"strings"
)

// The identity providers cognate federates with: OpenID Connect providers. SAML and the
// social providers are refused honestly rather than stored for a sign-in that could not
// happen.

// reservedProviderNames name the pool itself; no provider may take them.
var reservedProviderNames = []string{"Cognito", "COGNITO"}

func identityProviderNotFound(name string) *Error {
	// [I] AWS's wording is not recorded.
	return newError("ResourceNotFoundException", "Identity provider %s does not exist.", name)
}

// checkOIDCDetails judges the ProviderDetails of an OIDC provider (the keys the API
// reference lists): client_id, authorize_scopes with openid, attributes_request_method GET
// or POST, and either oidc_issuer or the four endpoint URLs. AWS takes only https URLs on
// ports 80 and 443; cognate also takes http on loopback, where a developer's provider (or
// a second cognate) runs.
func checkOIDCDetails(d map[string]string) error {
	if d["client_id"] == "" {
		return invalidParameter("client_id is required for an OIDC provider.")
	}
	if !slices.Contains(strings.Fields(d["authorize_scopes"]), "openid") {
		return invalidParameter("authorize_scopes must contain openid.")
	}
	switch d["attributes_request_method"] {
	case "GET", "POST":
	default:
		return invalidParameter("attributes_request_method must be GET or POST.")
	}
	keys := []string{"oidc_issuer"}
	if d["oidc_issuer"] == "" {
		keys = []string{"authorize_url", "token_url", "attributes_url", "jwks_uri"}
	}
	for _, k := range append(keys, "authorize_url", "token_url", "attributes_url", "jwks_uri") {
		v, ok := d[k]
		if !ok && !slices.Contains(keys, k) {
			continue
		}
		if err := checkProviderURL(v); err != nil {
			return invalidParameter("%s: %s", k, err.Message)
		}
	}
	return nil
}

func checkProviderURL(raw string) *Error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Fragment != "" {
		return invalidParameter("%q is not an absolute URL.", raw)
	}
	if u.Scheme == "https" {
		return nil
	}
	if u.Scheme == "http" && isLoopbackHost(u.Hostname()) {
		return nil
	}
	return invalidParameter("%q must use https (http is accepted on loopback only).", raw)
}

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// providerDetailsOut is what Describe answers of the details it was given: AWS adds
// attributes_url_add_attributes.
func providerDetailsOut(d map[string]string) map[string]string {
	out := map[string]string{"attributes_url_add_attributes": "false"}
	for k, v := range d {
		out[k] = v
	}
	return out
}

// defaultAttributeMapping is what an OIDC provider maps without being told: the IdP's sub
// to the username (developer guide, "Adding OIDC identity providers").
func defaultAttributeMapping(m map[string]string) map[string]string {
	out := map[string]string{"username": "sub"}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// checkAttributeMapping refuses mappings to attributes the pool's schema lacks.
func checkAttributeMapping(p *Pool, m map[string]string) error {
	for attr := range m {
		if attr == "username" {
			continue
		}
		if _, ok := schemaAttribute(p, attr); !ok {
			return invalidParameter("Attribute %s does not exist in the schema.", attr)
		}
	}
	return nil
}

// loadIdentityProvider reads a pool's provider for Describe, Update and Delete.
func (s *Service) loadIdentityProvider(ctx context.Context, poolID, name string) (*Pool, *IdentityProviderType, error) {
	p, err := s.loadPool(ctx, poolID)
	if err != nil {
		return nil, nil, err
	}
	idp, err := s.store.GetIdentityProvider(ctx, poolID, name)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, identityProviderNotFound(name)
	}
	return p, idp, err
}

// identifierTaken is the answer when IdpIdentifiers collide. [I] AWS's wording is not recorded.
var errIdentifierTaken = invalidParameter("An IdP identifier is already used by another identity provider of the user pool.")
