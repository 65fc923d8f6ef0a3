package userpool

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The OAuth 2.0 authorization server and the hosted sign-in, as the developer guide's
// endpoint pages describe them (authorization-endpoint, login-endpoint, token-endpoint,
// userinfo-endpoint, revocation-endpoint, logout-endpoint). internal/web carries the HTTP;
// everything decided is decided here, through the same checks the API's sign-in uses.

// OAuthError is a refusal of the authorization server in RFC 6749's terms: Code is the
// error ("invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
// "unsupported_grant_type", "invalid_scope", …), Status the HTTP status it goes out with.
type OAuthError struct {
	Code        string
	Description string
	Status      int
}

// Error returns the code and the description.
func (e *OAuthError) Error() string { return e.Code + ": " + e.Description }

func oauthError(code, format string, args ...any) *OAuthError {
	return &OAuthError{Code: code, Description: fmt.Sprintf(format, args...), Status: 400}
}

// Lifetimes of the browser sign-in: an authorization code lives five minutes (authorize
// endpoint: "valid for five minutes"), a hosted session one hour (developer guide, quotas:
// "Hosted UI session cookie: 1 hour").
const (
	authorizationCodeTTL = 5 * time.Minute
	hostedSessionTTL     = time.Hour
)

// AuthorizeRequest is what /oauth2/authorize (and /login, which takes the same) is asked.
type AuthorizeRequest struct {
	ResponseType        string
	ClientID            string
	RedirectURI         string
	State               string
	Scope               string
	IdentityProvider    string
	IdpIdentifier       string
	CodeChallenge       string
	CodeChallengeMethod string
	Nonce               string
	Prompt              string
}

var authorizeParams = []string{"response_type", "client_id", "redirect_uri", "state", "scope",
	"identity_provider", "idp_identifier", "code_challenge", "code_challenge_method", "nonce", "prompt"}

func (r *AuthorizeRequest) fields() []*string {
	return []*string{&r.ResponseType, &r.ClientID, &r.RedirectURI, &r.State, &r.Scope, &r.IdentityProvider,
		&r.IdpIdentifier, &r.CodeChallenge, &r.CodeChallengeMethod, &r.Nonce, &r.Prompt}
}

// ParseAuthorizeRequest reads an authorize request from query or form values.
func ParseAuthorizeRequest(v url.Values) AuthorizeRequest {
	var r AuthorizeRequest
	for i, f := range r.fields() {
		*f = v.Get(authorizeParams[i])
	}
	return r
}

// Values returns the request as query values, the empty ones left out, so that a page can
// carry it on to the next step.
func (r AuthorizeRequest) Values() url.Values {
	v := url.Values{}
	for i, f := range r.fields() {
		if *f != "" {
			v.Set(authorizeParams[i], *f)
		}
	}
	return v
}

// HostedClient is what the hosted pages show of an app client and its pool.
type HostedClient struct {
	PoolID, PoolName, ClientID, ClientName string
	// PasswordPolicy is the pool's, for the pages to show and check as the user types.
	PasswordPolicy PasswordPolicyType
	// UsernameAttributes are the pool's (email, phone_number): what users sign in with.
	UsernameAttributes []string
	// LocalSignIn reports whether the client offers sign-in with the pool's own users
	// (COGNITO in SupportedIdentityProviders).
	LocalSignIn bool
	// Providers are the third-party identity providers the client offers.
	Providers []string
	// SignUp reports whether users may sign themselves up.
	SignUp bool
	// Style is the classic UI customization the pages show (nil for none), and Terms the
	// terms documents the sign-up page links to (ui_customization.go, terms.go).
	Style *HostedStyle
	Terms []TermsLink

	pool   *Pool
	client *Client
}

// SecretHash is the SecretHash of a public operation for a client with a secret, which
// the hosted pages compute for the user as AWS's do; nil for a client without one.
func (h *HostedClient) SecretHash(username string) *string {
	secret := deref(h.client.Doc.ClientSecret)
	if secret == "" {
		return nil
	}
	return ptr(secretHash(secret, username, h.ClientID))
}

// HostedClient resolves the app client the hosted pages were opened for. Its pool must have
// a domain: the pages and the authorization server answer only for such pools.
func (s *Service) HostedClient(ctx context.Context, clientID string) (*HostedClient, error) {
	if clientID == "" {
		return nil, invalidParameter("The request has no client_id.")
	}
	c, err := s.store.FindClient(ctx, clientID)
	if errors.Is(err, ErrNotFound) {
		return nil, clientNotFound(clientID)
	}
	if err != nil {
		return nil, err
	}
	p, err := s.loadPool(ctx, c.PoolID)
	if err != nil {
		return nil, err
	}
	d, err := s.poolDomain(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, newError("ResourceNotFoundException", "User pool %s has no domain: create one with CreateUserPoolDomain to use its hosted pages.", p.ID)
	}
	h := &HostedClient{PoolID: p.ID, PoolName: deref(p.Doc.Name), ClientID: c.ID, ClientName: deref(c.Doc.ClientName),
		UsernameAttributes: p.Doc.UsernameAttributes, pool: p, client: c}
	if pp := p.Doc.Policies; pp != nil && pp.PasswordPolicy != nil {
		h.PasswordPolicy = *pp.PasswordPolicy
	}
	for _, name := range c.Doc.SupportedIdentityProviders {
		if slices.Contains(reservedProviderNames, name) {
			h.LocalSignIn = true
		} else {
			h.Providers = append(h.Providers, name)
		}
	}
	acu := p.Doc.AdminCreateUserConfig
	h.SignUp = h.LocalSignIn && (acu == nil || !deref(acu.AllowAdminCreateUserOnly))
	if err := s.hostedLook(ctx, h); err != nil {
		return nil, err
	}
	return h, nil
}

// Authorization is an authorize request that passed every check, ready to be granted.
type Authorization struct {
	Client  *HostedClient
	Request AuthorizeRequest
	// Scopes are the scopes to grant: the ones asked for, or all the client is allowed.
	Scopes []string
	// Provider is the third-party provider to sign in through ("" for the pool's own users).
	Provider string
}

// CheckAuthorize judges an authorize request in the order of the developer guide. A
// request whose client or redirect_uri cannot be trusted gets an *Error, to show as a page;
// any other refusal is an *OAuthError for the client's redirect_uri (see ErrorRedirect).
func (s *Service) CheckAuthorize(ctx context.Context, r AuthorizeRequest) (*Authorization, error) {
	h, err := s.HostedClient(ctx, r.ClientID)
	if err != nil {
		return nil, err
	}
	c := h.client
	if r.RedirectURI == "" || !slices.Contains(c.Doc.CallbackURLs, r.RedirectURI) {
		// AWS answers this with its error page, redirect_mismatch: never a redirect to
		// a URL the client did not register.
		return nil, invalidParameter("redirect_mismatch: %q is not one of the callback URLs of app client %s.", r.RedirectURI, c.ID)
	}
	a := &Authorization{Client: h, Request: r}
	if !deref(c.Doc.AllowedOAuthFlowsUserPoolClient) {
		return a, oauthError("unauthorized_client", "Client is not enabled for OAuth2.0 flows.")
	}
	switch r.ResponseType {
	case "":
		return a, oauthError("invalid_request", "response_type is required.")
	case "code":
		if !slices.Contains(c.Doc.AllowedOAuthFlows, "code") {
			return a, oauthError("unauthorized_client", "The client is not allowed the authorization code grant.")
		}
	case "token":
		if !slices.Contains(c.Doc.AllowedOAuthFlows, "implicit") {
			return a, oauthError("unauthorized_client", "The client is not allowed the implicit grant.")
		}
	default:
		return a, oauthError("unsupported_response_type", "response_type must be code or token.")
	}
	switch {
	case r.CodeChallenge != "" && r.CodeChallengeMethod != "S256":
		return a, oauthError("invalid_request", "code_challenge_method must be S256.")
	case r.CodeChallenge == "" && r.CodeChallengeMethod != "":
		return a, oauthError("invalid_request", "code_challenge is required with code_challenge_method.")
	}
	switch r.Prompt {
	case "", "none", "login", "select_account", "consent":
	default:
		return a, oauthError("invalid_request", "prompt must be none, login, select_account or consent.")
	}
	if a.Scopes, err = s.grantScopes(ctx, h.pool, c, r.Scope); err != nil {
		return a, err
	}
	if a.Provider, err = s.chooseProvider(ctx, h, r); err != nil {
		return a, err
	}
	return a, nil
}

// grantScopes decides the scopes of a user's grant: each asked for must be allowed for the
// client (else invalid_scope); none asked for means all the client is allowed. phone, email
// and profile come only with openid. A custom scope whose resource server no longer
// defines it is dropped, as the developer guide says of deleted scopes.
func (s *Service) grantScopes(ctx context.Context, p *Pool, c *Client, asked string) ([]string, error) {
	scopes := strings.Fields(asked)
	if len(scopes) == 0 {
		scopes = slices.Clone(c.Doc.AllowedOAuthScopes)
	}
	for _, sc := range scopes {
		if !slices.Contains(c.Doc.AllowedOAuthScopes, sc) {
			return nil, oauthError("invalid_scope", "The scope %s is not allowed for this client.", sc)
		}
	}
	if !slices.Contains(scopes, "openid") && slices.ContainsFunc(scopes, func(sc string) bool {
		return sc == "phone" || sc == "email" || sc == "profile"
	}) {
		return nil, oauthError("invalid_scope", "The phone, email and profile scopes need the openid scope.")
	}
	return s.liveScopes(ctx, p.ID, scopes)
}

// liveScopes drops the custom scopes no resource server defines any more.
func (s *Service) liveScopes(ctx context.Context, poolID string, scopes []string) ([]string, error) {
	var custom map[string]bool
	out := []string{}
	for _, sc := range scopes {
		if !slices.Contains(standardScopes, sc) {
			if custom == nil {
				var err error
				if custom, err = s.customScopes(ctx, poolID); err != nil {
					return nil, err
				}
			}
			if !custom[sc] {
				continue
			}
		}
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	return out, nil
}

// chooseProvider resolves identity_provider or idp_identifier to one the client offers.
func (s *Service) chooseProvider(ctx context.Context, h *HostedClient, r AuthorizeRequest) (string, error) {
	name := r.IdentityProvider
	if name == "" && r.IdpIdentifier != "" {
		idp, err := s.store.GetIdentityProviderByIdentifier(ctx, h.PoolID, r.IdpIdentifier)
		if errors.Is(err, ErrNotFound) {
			return "", oauthError("invalid_request", "No identity provider has the identifier %s.", r.IdpIdentifier)
		} else if err != nil {
			return "", err
		}
		name = deref(idp.ProviderName)
	}
	switch {
	case name == "":
		if !h.LocalSignIn && len(h.Providers) == 0 {
			return "", oauthError("unauthorized_client", "The client supports no identity provider.")
		}
		return "", nil
	case slices.Contains(reservedProviderNames, name):
		if !h.LocalSignIn {
			return "", oauthError("invalid_request", "The client does not support sign-in with the user pool (COGNITO).")
		}
		return "", nil
	case !slices.Contains(h.Providers, name):
		return "", oauthError("invalid_request", "The client does not support the identity provider %s.", name)
	}
	return name, nil
}

// ErrorRedirect is where a refused authorize request sends the browser: the client's
// redirect_uri with error, error_description and state (RFC 6749 §4.1.2.1).
func (a *Authorization) ErrorRedirect(e *OAuthError) string {
	v := url.Values{"error": {e.Code}}
	if e.Description != "" {
		v.Set("error_description", e.Description)
	}
	if a.Request.State != "" {
		v.Set("state", a.Request.State)
	}
	return addQuery(a.Request.RedirectURI, v)
}

func addQuery(base string, v url.Values) string {
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + v.Encode()
}

// HostedResult is where a hosted sign-in step leaves the browser: redirected (to the
// client's callback, or to an identity provider), perhaps with a new session cookie, or
// at a challenge the next page must answer.
type HostedResult struct {
	// Redirect is the URL to send the browser to; empty at a challenge.
	Redirect string
	// SessionCookie, when set, is the value of a new hosted session cookie, good until
	// SessionExpires.
	SessionCookie  string
	SessionExpires time.Time
	// Challenge names the challenge the user must answer next (NEW_PASSWORD_REQUIRED, or
	// an MFA step), with the Session that answers it and its parameters.
	Challenge           string
	ChallengeSession    string
	ChallengeParameters map[string]string
}

// ResumeSession grants an authorization from the hosted session a cookie names, when it is
// still good for the client's pool and the request does not insist on a new sign-in
// (prompt=login). It answers nil when the user must sign in; with prompt=none that is the
// login_required refusal instead.
func (s *Service) ResumeSession(ctx context.Context, a *Authorization, cookie string) (*HostedResult, error) {
	now := s.clock()
	if a.Request.Prompt != "login" && cookie != "" {
		hs, err := s.store.GetHostedSession(ctx, hashID(cookie))
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		if err == nil && hs.PoolID == a.Client.PoolID && now.Before(hs.ExpiresAt) {
			u, err := s.store.GetUserBySub(ctx, hs.PoolID, hs.UserSub)
			if err != nil && !errors.Is(err, ErrNotFound) {
				return nil, err
			}
			if err == nil && u.Enabled && !hs.AuthTime.Before(u.TokensValidAfter) {
				redirect, err := s.grantAuthorization(ctx, a, u, hs.Provider, hs.AuthTime, now)
				if err != nil {
					return nil, err
				}
				return &HostedResult{Redirect: redirect}, nil
			}
		}
	}
	if a.Request.Prompt == "none" {
		return &HostedResult{Redirect: a.ErrorRedirect(oauthError("login_required", "The user is not signed in."))}, nil
	}
	return nil, nil
}

// HostedSignIn signs a user in with a password at /login: the API's own password check
// (lockout, disabled users, states, equal time for unknown users), then the authorization.
func (s *Service) HostedSignIn(ctx context.Context, r AuthorizeRequest, username, password string) (*HostedResult, error) {
	a, err := s.CheckAuthorize(ctx, r)
	if err != nil {
		return nil, err
	}
	if !a.Client.LocalSignIn {
		return nil, invalidParameter("This app client does not offer sign-in with a username and password.")
	}
	if username == "" {
		return nil, invalidParameter("Missing required parameter USERNAME")
	}
	if password == "" {
		return nil, invalidParameter("Missing required parameter PASSWORD")
	}
	now := s.clock()
	p, c := a.Client.pool, a.Client.client
	u, err := s.checkPassword(ctx, p, c, username, password, nil, now)
	if err != nil {
		return nil, err
	}
	challenge, err := s.passwordOutcome(ctx, p, c, u, now)
	if err != nil {
		return nil, err
	}
	if challenge != nil {
		return &HostedResult{Challenge: deref(challenge.ChallengeName), ChallengeSession: deref(challenge.Session),
			ChallengeParameters: challenge.ChallengeParameters}, nil
	}
	// The hosted pages carry out no MFA step yet: a sign-in that owes one is refused
	// rather than let through without it.
	if plan, err := s.mfaDue(ctx, p, u, now); err != nil {
		return nil, err
	} else if plan != nil {
		return nil, newError("UnsupportedOperationException", "cognate's hosted sign-in pages do not carry out MFA yet: sign in through the API.")
	}
	lockout := signinCounter(u)
	if err := s.store.ClearAttempts(ctx, u.PoolID, lockout.Subject, lockout.Kind); err != nil {
		return nil, err
	}
	return s.completeSignIn(ctx, a, u, "", now, now)
}

// HostedRespond answers a challenge of the hosted sign-in. NEW_PASSWORD_REQUIRED goes
// through the API's own answer; the MFA challenges come with the API's MFA (issue #13)
// and are refused honestly until then.
func (s *Service) HostedRespond(ctx context.Context, r AuthorizeRequest, challenge, session string, answers map[string]string) (*HostedResult, error) {
	a, err := s.CheckAuthorize(ctx, r)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	p, c := a.Client.pool, a.Client.client
	switch challenge {
	case "NEW_PASSWORD_REQUIRED":
		params := map[string]string{}
		for k, v := range answers {
			params[k] = v
		}
		u, err := s.setNewRequiredPassword(ctx, p, c, &authRequest{clientID: c.ID, flow: challenge, params: params, session: session}, now)
		if err != nil {
			return nil, err
		}
		return s.completeSignIn(ctx, a, u, "", now, now)
	}
	return nil, newError("UnsupportedOperationException", "cognate's hosted pages do not answer the %s challenge yet.", challenge)
}

// completeSignIn starts a hosted session for a user who just signed in and grants the
// authorization.
func (s *Service) completeSignIn(ctx context.Context, a *Authorization, u *User, provider string, authTime, now time.Time) (*HostedResult, error) {
	cookie, err := s.randomToken()
	if err != nil {
		return nil, err
	}
	hs := &HostedSession{ID: hashID(cookie), PoolID: u.PoolID, UserSub: u.Sub, Provider: provider,
		AuthTime: authTime, CreatedAt: now, ExpiresAt: now.Add(hostedSessionTTL)}
	if err := s.store.CreateHostedSession(ctx, hs); err != nil {
		return nil, err
	}
	redirect, err := s.grantAuthorization(ctx, a, u, provider, authTime, now)
	if err != nil {
		return nil, err
	}
	return &HostedResult{Redirect: redirect, SessionCookie: cookie, SessionExpires: hs.ExpiresAt}, nil
}

// grantAuthorization grants a signed-in user the authorization: a code for the code grant,
// tokens in the fragment for the implicit grant.
func (s *Service) grantAuthorization(ctx context.Context, a *Authorization, u *User, provider string, authTime, now time.Time) (string, error) {
	r := a.Request
	if r.ResponseType == "token" {
		res, err := s.startGrantSession(ctx, a.Client.pool, a.Client.client, u, authTime, now,
			&grant{Scopes: a.Scopes, Nonce: r.Nonce}, false, tokenEvent{source: "TokenGeneration_HostedAuth"})
		if err != nil {
			return "", err
		}
		v := url.Values{"access_token": {deref(res.AccessToken)}, "token_type": {"Bearer"},
			"expires_in": {strconv.Itoa(int(deref(res.ExpiresIn)))}}
		if res.IdToken != nil {
			v.Set("id_token", *res.IdToken)
		}
		if r.State != "" {
			v.Set("state", r.State)
		}
		return r.RedirectURI + "#" + v.Encode(), nil
	}
	code, err := s.newUUID()
	if err != nil {
		return "", err
	}
	ac := &AuthorizationCode{ID: hashID(code), PoolID: u.PoolID, ClientID: a.Client.ClientID, UserSub: u.Sub,
		RedirectURI: r.RedirectURI, Scopes: a.Scopes, Nonce: r.Nonce, CodeChallenge: r.CodeChallenge,
		Provider: provider, AuthTime: authTime, CreatedAt: now, ExpiresAt: now.Add(authorizationCodeTTL)}
	if err := s.store.PutAuthorizationCode(ctx, ac); err != nil {
		return "", err
	}
	v := url.Values{"code": {code}}
	if r.State != "" {
		v.Set("state", r.State)
	}
	return addQuery(r.RedirectURI, v), nil
}

// SignOut ends the hosted session a cookie names (/logout) and says where the browser goes:
// to logout_uri, which must be one of the client's LogoutURLs, or, with redirect_uri, to the
// sign-in page again for a callback URL (logout endpoint). An *Error is a page to show.
func (s *Service) SignOut(ctx context.Context, q url.Values, cookie string) (redirect string, err error) {
	h, err := s.HostedClient(ctx, q.Get("client_id"))
	if err != nil {
		return "", err
	}
	logoutURI, redirectURI := q.Get("logout_uri"), q.Get("redirect_uri")
	switch {
	case logoutURI != "":
		if !slices.Contains(h.client.Doc.LogoutURLs, logoutURI) {
			return "", invalidParameter("logout_uri %q is not one of the sign-out URLs of app client %s.", logoutURI, h.ClientID)
		}
		redirect = logoutURI
		if st := q.Get("state"); st != "" {
			redirect = addQuery(logoutURI, url.Values{"state": {st}})
		}
	case redirectURI != "":
		if !slices.Contains(h.client.Doc.CallbackURLs, redirectURI) {
			return "", invalidParameter("redirect_mismatch: %q is not one of the callback URLs of app client %s.", redirectURI, h.ClientID)
		}
		r := ParseAuthorizeRequest(q)
		if r.Scope == "" {
			r.Scope = strings.Join(h.client.Doc.AllowedOAuthScopes, " ")
		}
		redirect = s.publicURL + "/login?" + r.Values().Encode()
	default:
		return "", invalidParameter("The request needs a logout_uri or a redirect_uri.")
	}
	if cookie != "" {
		if err := s.store.DeleteHostedSession(ctx, hashID(cookie)); err != nil {
			return "", err
		}
	}
	return redirect, nil
}

// hashID is the stored id of a secret a browser or client holds (a session cookie, an
// authorization code): its SHA-256, so that the store never holds the secret itself.
func hashID(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// randomToken returns 32 random bytes in base64url.
func (s *Service) randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(s.rand, b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// pkceMatches reports whether a PKCE code_verifier answers an S256 code_challenge.
func pkceMatches(challenge, verifier string) bool {
	sum := sha256.Sum256([]byte(verifier))
	return subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(challenge)) == 1
}
