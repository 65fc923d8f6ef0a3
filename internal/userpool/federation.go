package userpool

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/go-json-experiment/json"

	"cognate/internal/token"
)

// Federation with OpenID Connect providers (developer guide, "OIDC user pool IdP
// authentication flow"): /oauth2/authorize sends the user to the provider's authorize
// endpoint; the provider sends it back to /oauth2/idpresponse with a code, which cognate
// redeems for the provider's ID token; the federated user is created (or found through a
// link) and signed in as any other.

// Federator is the port to third-party OpenID Connect providers (internal/oidc).
type Federator interface {
	// Endpoints returns a provider's endpoints: those of its discovery document when the
	// details name oidc_issuer, overridden by any the details give.
	Endpoints(ctx context.Context, details map[string]string) (*ProviderEndpoints, error)
	// Redeem exchanges an authorization code at the provider's token endpoint with
	// client_secret_post, verifies the ID token it answers (the provider's signature, iss,
	// aud, exp, nonce), reads its userInfo endpoint when there is one, and returns the
	// user's claims.
	Redeem(ctx context.Context, ep *ProviderEndpoints, r RedeemRequest) (map[string]any, error)
}

// ProviderEndpoints are the endpoints of an OpenID Connect provider.
type ProviderEndpoints struct {
	Issuer, Authorize, Token, UserInfo, JWKS string
}

// RedeemRequest is what Redeem needs of a sign-in.
type RedeemRequest struct {
	ClientID, ClientSecret, Code, RedirectURI, Nonce string
	// UserInfoMethod is GET or POST (attributes_request_method).
	UserInfoMethod string
}

// federationTTL bounds the trip to the provider and back (developer guide: "Amazon
// Cognito cancels authentication requests that do not complete within 5 minutes").
const federationTTL = 5 * time.Minute

// federationState is what the state sent to the provider carries, sealed: the authorize
// request to resume, the provider, the nonce, and a hash of the browser's binding (its
// CSRF cookie), so that a state cannot be replayed from another browser.
type federationState struct {
	Request  string `json:"r"`
	Provider string `json:"p"`
	Nonce    string `json:"n"`
	Binding  string `json:"b"`
	Expires  int64  `json:"e"`
}

var errFederationState = invalidParameter("The sign-in through the identity provider expired, or was not started in this browser. Start it again from the app.")

// FederationStart returns the provider's authorize URL for an authorization that names a
// third-party provider. binding is a secret of the browser's (its CSRF cookie).
func (s *Service) FederationStart(ctx context.Context, a *Authorization, binding string) (string, error) {
	if s.federator == nil {
		return "", newError("UnsupportedOperationException", "This cognate has no federation client configured.")
	}
	idp, err := s.store.GetIdentityProvider(ctx, a.Client.PoolID, a.Provider)
	if errors.Is(err, ErrNotFound) {
		return "", identityProviderNotFound(a.Provider)
	} else if err != nil {
		return "", err
	}
	ep, err := s.federator.Endpoints(ctx, idp.ProviderDetails)
	if err != nil {
		return a.ErrorRedirect(oauthError("invalid_request", "%s Error - %v", a.Provider, err)), nil
	}
	nonce, err := s.randomToken()
	if err != nil {
		return "", err
	}
	now := s.clock()
	b, err := json.Marshal(federationState{Request: a.Request.Values().Encode(), Provider: a.Provider, Nonce: nonce,
		Binding: hashID(binding), Expires: now.Add(federationTTL).Unix()})
	if err != nil {
		return "", err
	}
	sealed, err := token.Seal(s.rand, s.keys.session, b, []byte("federation"))
	if err != nil {
		return "", err
	}
	v := url.Values{"response_type": {"code"}, "client_id": {idp.ProviderDetails["client_id"]},
		"redirect_uri": {s.idpResponseURL()}, "scope": {idp.ProviderDetails["authorize_scopes"]},
		"state": {base64.RawURLEncoding.EncodeToString(sealed)}, "nonce": {nonce}}
	switch a.Request.Prompt {
	case "login", "select_account", "consent":
		v.Set("prompt", a.Request.Prompt) // passed on to the provider, whose sign-in it concerns
	}
	return addQuery(ep.Authorize, v), nil
}

// idpResponseURL is where providers send users back: /oauth2/idpresponse on cognate's
// public URL, which is what a provider must have registered.
func (s *Service) idpResponseURL() string {
	return s.publicURL + "/oauth2/idpresponse"
}

// FederationFinish completes a federated sign-in at /oauth2/idpresponse: it redeems the
// provider's code, creates or updates the federated user (or finds the user its identity
// is linked to), and grants the authorization the sign-in started with. An *Error is a
// page to show; a provider's refusal goes back to the client's redirect_uri.
func (s *Service) FederationFinish(ctx context.Context, q url.Values, binding string) (*HostedResult, error) {
	raw, err := base64.RawURLEncoding.DecodeString(q.Get("state"))
	if err != nil {
		return nil, errFederationState
	}
	plain, err := token.Open(s.keys.session, raw, []byte("federation"))
	if err != nil {
		return nil, errFederationState
	}
	var st federationState
	now := s.clock()
	if json.Unmarshal(plain, &st) != nil || now.Unix() >= st.Expires || st.Binding != hashID(binding) {
		return nil, errFederationState
	}
	reqValues, err := url.ParseQuery(st.Request)
	if err != nil {
		return nil, errFederationState
	}
	a, err := s.CheckAuthorize(ctx, ParseAuthorizeRequest(reqValues))
	var oe *OAuthError
	if errors.As(err, &oe) {
		return &HostedResult{Redirect: a.ErrorRedirect(oe)}, nil
	}
	if err != nil {
		return nil, err
	}
	fail := func(format string, args ...any) (*HostedResult, error) {
		return &HostedResult{Redirect: a.ErrorRedirect(oauthError("invalid_request", format, args...))}, nil
	}
	if e := q.Get("error"); e != "" {
		return fail("%s Error - %s %s", st.Provider, e, q.Get("error_description"))
	}
	if s.federator == nil {
		return nil, newError("UnsupportedOperationException", "This cognate has no federation client configured.")
	}
	idp, err := s.store.GetIdentityProvider(ctx, a.Client.PoolID, st.Provider)
	if errors.Is(err, ErrNotFound) {
		return fail("%s Error - the identity provider no longer exists", st.Provider)
	} else if err != nil {
		return nil, err
	}
	ep, err := s.federator.Endpoints(ctx, idp.ProviderDetails)
	if err != nil {
		return fail("%s Error - %v", st.Provider, err)
	}
	claims, err := s.federator.Redeem(ctx, ep, RedeemRequest{ClientID: idp.ProviderDetails["client_id"],
		ClientSecret: idp.ProviderDetails["client_secret"], Code: q.Get("code"), RedirectURI: s.idpResponseURL(),
		Nonce: st.Nonce, UserInfoMethod: idp.ProviderDetails["attributes_request_method"]})
	if err != nil {
		return fail("%s Error - %v error getting token", st.Provider, err)
	}
	u, err := s.federatedUser(ctx, a.Client.pool, a.Client.ClientID, idp, ep.Issuer, claims, now)
	var e *Error
	if errors.As(err, &e) && isTriggerFailure(e) {
		// A PreSignUp function that refused (or could not run) for a first federated
		// sign-in goes back to the app as AWS sends it: error=invalid_request and the
		// trigger's message, with the space AWS leaves after it (amplify-js issues 4004,
		// 4319, 14063 [O]).
		return fail("%s ", e.Message)
	}
	if err != nil {
		return nil, err
	}
	return s.completeSignIn(ctx, a, u, st.Provider, now, now)
}

// claimString renders a claim as an attribute value: strings as they are, booleans and
// numbers as JSON writes them, anything else as its JSON.
func claimString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// federatedUser finds the user a provider's identity signs in as: the user the identity is
// linked to, or its own federated user "<provider>_<id>" (EXTERNAL_PROVIDER), created at the
// first sign-in, after the pool's PreSignUp function (PreSignUp_ExternalProvider) let it
// be. A federated user's mapped attributes follow the provider at each sign-in.
func (s *Service) federatedUser(ctx context.Context, p *Pool, clientID string, idp *IdentityProviderType, issuer string, claims map[string]any, now time.Time) (*User, error) {
	provider := deref(idp.ProviderName)
	mapping := defaultAttributeMapping(idp.AttributeMapping)
	userID := claimString(claims[mapping["username"]])
	if userID == "" {
		return nil, invalidParameter("The identity provider %s sent no %s claim.", provider, mapping["username"])
	}
	attrs := map[string]string{}
	for attr, claim := range mapping {
		if v, ok := claims[claim]; ok && attr != "username" {
			attrs[attr] = claimString(v)
		}
	}
	for {
		u, err := s.store.GetUserByAlias(ctx, p.ID, identityAlias(provider, userID))
		isNew := errors.Is(err, ErrNotFound)
		if err != nil && !isNew {
			return nil, err
		}
		if isNew {
			sub, err := s.newUUID()
			if err != nil {
				return nil, err
			}
			username := provider + "_" + userID
			u = &User{PoolID: p.ID, Key: p.userKey(username), Sub: sub, Username: username, Status: StatusExternalProvider,
				Enabled: true, Attributes: []Attribute{{Name: "sub", Value: sub}}, CreatedAt: now, ModifiedAt: now}
			var iss *string
			if issuer != "" {
				iss = ptr(issuer)
			}
			u.setIdentities([]identity{{UserID: userID, ProviderName: provider, ProviderType: deref(idp.ProviderType),
				Issuer: iss, Primary: true, DateCreated: now.UnixMilli()}})
		} else if !u.Enabled {
			return nil, errDisabled
		} else if u.Status != StatusExternalProvider {
			return u, nil // a linked user of the pool: its own attributes stand
		}
		for name, v := range attrs {
			u.setAttr(name, v)
		}
		if isNew {
			// The DG: PreSignUp runs "before a user is created from an external identity
			// provider"; its autoVerify answers verify, autoConfirmUser has nothing to
			// confirm (the user is EXTERNAL_PROVIDER); a refusal creates nobody. The event's
			// validationData is an empty object, as a logged event shows it
			// (amplify-js issue 8823 [O]).
			if _, err := s.preSignUp(ctx, p, u, "PreSignUp_ExternalProvider", clientID, []AttributeType{}, nil); err != nil {
				return nil, err
			}
		}
		u.ModifiedAt = now
		p.computeAliases(u)
		err = s.store.SaveUsers(ctx, UserWrite{User: u, New: isNew})
		switch {
		case errors.Is(err, ErrAliasConflict):
			return nil, s.aliasExists(ctx, p, u)
		case errors.Is(err, ErrConflict), errors.Is(err, ErrNotFound):
			continue // another sign-in of the same identity went first
		case err != nil:
			return nil, fmt.Errorf("saving federated user: %w", err)
		}
		return u, nil
	}
}
