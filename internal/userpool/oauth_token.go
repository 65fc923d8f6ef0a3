package userpool

import (
	"context"
	"crypto/rsa"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"cognate/internal/token"
)

// TokenResponse is the token endpoint's answer (token endpoint, "Sample response").
type TokenResponse struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int32  `json:"expires_in"`
}

// ClientAuth is how a caller of the token and revoke endpoints named its client: the
// Authorization header's Basic credentials (client_secret_basic) when Basic is set, else
// the form's client_id and client_secret (client_secret_post, or a public client).
type ClientAuth struct {
	Basic    bool
	ID       string
	Secret   string
	HasField bool // the form carried client_secret
}

// tokenClient authenticates the client of a token request: a client with a secret must
// present it (either way), a public client only its id. The pool must have a domain.
func (s *Service) tokenClient(ctx context.Context, form url.Values, auth ClientAuth) (*Pool, *Client, error) {
	id := auth.ID
	if !auth.Basic {
		id = form.Get("client_id")
	} else if fid := form.Get("client_id"); fid != "" && fid != id {
		return nil, nil, &OAuthError{Code: "invalid_client", Description: "client_id does not match the Authorization header.", Status: 400}
	}
	if id == "" {
		return nil, nil, oauthError("invalid_request", "client_id is required.")
	}
	c, err := s.store.FindClient(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, oauthError("invalid_client", "Client %s does not exist.", id)
	}
	if err != nil {
		return nil, nil, err
	}
	secret := auth.Secret
	if !auth.Basic {
		secret = form.Get("client_secret")
	}
	switch {
	case !c.hasSecret() && secret != "":
		return nil, nil, oauthError("invalid_client", "Client %s has no secret.", id)
	case c.hasSecret() && !c.secretIs(secret): // during a rotation, either secret
		return nil, nil, oauthError("invalid_client", "Client authentication failed.")
	}
	p, err := s.loadPool(ctx, c.PoolID)
	if err != nil {
		return nil, nil, err
	}
	if d, err := s.poolDomain(ctx, p.ID); err != nil {
		return nil, nil, err
	} else if d == nil {
		return nil, nil, oauthError("invalid_request", "User pool %s has no domain.", p.ID)
	}
	if !deref(c.Doc.AllowedOAuthFlowsUserPoolClient) {
		return nil, nil, oauthError("unauthorized_client", "Client is not enabled for OAuth2.0 flows.")
	}
	return p, c, nil
}

// Token answers POST /oauth2/token for grant_type authorization_code (with PKCE),
// refresh_token and client_credentials.
func (s *Service) Token(ctx context.Context, form url.Values, auth ClientAuth) (*TokenResponse, error) {
	gt := form.Get("grant_type")
	switch gt {
	case "":
		return nil, oauthError("invalid_request", "grant_type is required.")
	case "authorization_code", "refresh_token", "client_credentials":
	default:
		return nil, oauthError("unsupported_grant_type", "grant_type must be authorization_code, refresh_token or client_credentials.")
	}
	p, c, err := s.tokenClient(ctx, form, auth)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	var res *AuthenticationResultType
	switch gt {
	case "authorization_code":
		res, err = s.redeemCode(ctx, p, c, form, now)
	case "refresh_token":
		res, err = s.refreshGrant(ctx, p, c, form, now)
	case "client_credentials":
		res, err = s.clientCredentials(ctx, p, c, form.Get("scope"), now)
	}
	if err != nil {
		return nil, err
	}
	return &TokenResponse{AccessToken: deref(res.AccessToken), IDToken: deref(res.IdToken),
		RefreshToken: deref(res.RefreshToken), TokenType: "Bearer", ExpiresIn: deref(res.ExpiresIn)}, nil
}

func (s *Service) redeemCode(ctx context.Context, p *Pool, c *Client, form url.Values, now time.Time) (*AuthenticationResultType, error) {
	code, redirect := form.Get("code"), form.Get("redirect_uri")
	if code == "" || redirect == "" {
		return nil, oauthError("invalid_request", "code and redirect_uri are required.")
	}
	if !slices.Contains(c.Doc.AllowedOAuthFlows, "code") {
		return nil, oauthError("unauthorized_client", "The client is not allowed the authorization code grant.")
	}
	// Taken (deleted) before it is judged: a code is redeemed at most once, right or wrong.
	ac, err := s.store.TakeAuthorizationCode(ctx, hashID(code))
	if errors.Is(err, ErrNotFound) {
		return nil, oauthError("invalid_grant", "The authorization code has been used already or does not exist.")
	}
	if err != nil {
		return nil, err
	}
	switch {
	case !now.Before(ac.ExpiresAt):
		return nil, oauthError("invalid_grant", "The authorization code has expired.")
	case ac.ClientID != c.ID || ac.PoolID != p.ID:
		return nil, oauthError("invalid_grant", "The authorization code was issued to another client.")
	case ac.RedirectURI != redirect:
		return nil, oauthError("invalid_grant", "redirect_uri differs from the authorization request's.")
	case ac.CodeChallenge != "" && form.Get("code_verifier") == "":
		return nil, oauthError("invalid_request", "code_verifier is required.")
	case ac.CodeChallenge != "" && !pkceMatches(ac.CodeChallenge, form.Get("code_verifier")):
		return nil, oauthError("invalid_grant", "code_verifier does not match the code_challenge.")
	}
	u, err := s.store.GetUserBySub(ctx, p.ID, ac.UserSub)
	if errors.Is(err, ErrNotFound) {
		return nil, oauthError("invalid_grant", "The user no longer exists.")
	}
	if err != nil {
		return nil, err
	}
	if !u.Enabled || ac.AuthTime.Before(u.TokensValidAfter) {
		return nil, oauthError("invalid_grant", "The user can no longer sign in.")
	}
	scopes, err := s.liveScopes(ctx, p.ID, ac.Scopes)
	if err != nil {
		return nil, err
	}
	return s.startGrantSession(ctx, p, c, u, ac.AuthTime, now, &grant{Scopes: scopes, Nonce: ac.Nonce}, true, tokenEvent{source: "TokenGeneration_HostedAuth"})
}

func (s *Service) refreshGrant(ctx context.Context, p *Pool, c *Client, form url.Values, now time.Time) (*AuthenticationResultType, error) {
	rt := form.Get("refresh_token")
	if rt == "" {
		return nil, oauthError("invalid_request", "refresh_token is required.")
	}
	if !flowAllowed(c, "REFRESH_TOKEN_AUTH") {
		return nil, oauthError("unauthorized_client", "The client is not allowed to refresh tokens.")
	}
	sess, u, g, err := s.refreshSession(ctx, p, c, rt, now)
	var ue *Error
	if errors.As(err, &ue) {
		return nil, oauthError("invalid_grant", "%s", ue.Message)
	}
	if err != nil {
		return nil, err
	}
	if g != nil {
		scopes, err := s.liveScopes(ctx, p.ID, g.Scopes)
		if err != nil {
			return nil, err
		}
		g = &grant{Scopes: scopes} // a refreshed ID token carries no nonce
	}
	return s.mintGrantTokens(ctx, p, c, u, sess, false, now, g, tokenEvent{source: "TokenGeneration_RefreshTokens"})
}

// clientCredentialsClaims are the claims of a machine-to-machine access token: the client
// is its own subject.
type clientCredentialsClaims struct {
	Sub      string `json:"sub"`
	TokenUse string `json:"token_use"`
	Scope    string `json:"scope"`
	AuthTime int64  `json:"auth_time"`
	Iss      string `json:"iss"`
	Exp      int64  `json:"exp"`
	Iat      int64  `json:"iat"`
	Version  int    `json:"version"`
	JTI      string `json:"jti"`
	ClientID string `json:"client_id"`
}

// clientCredentials grants a client with a secret an access token for custom scopes of the
// pool's resource servers (token endpoint: "the requested scope is enabled, you have
// configured a client secret, and you have allowed client_credentials grants").
func (s *Service) clientCredentials(ctx context.Context, p *Pool, c *Client, asked string, now time.Time) (*AuthenticationResultType, error) {
	if deref(c.Doc.ClientSecret) == "" {
		return nil, oauthError("invalid_client", "The client_credentials grant needs a client with a secret.")
	}
	if !slices.Contains(c.Doc.AllowedOAuthFlows, "client_credentials") {
		return nil, oauthError("unauthorized_client", "The client is not allowed the client_credentials grant.")
	}
	scopes := strings.Fields(asked)
	if len(scopes) == 0 {
		for _, sc := range c.Doc.AllowedOAuthScopes {
			if !slices.Contains(standardScopes, sc) {
				scopes = append(scopes, sc)
			}
		}
	}
	for _, sc := range scopes {
		if slices.Contains(standardScopes, sc) || !slices.Contains(c.Doc.AllowedOAuthScopes, sc) {
			return nil, oauthError("invalid_scope", "The scope %s is not allowed for this client.", sc)
		}
	}
	scopes, err := s.liveScopes(ctx, p.ID, scopes)
	if err != nil {
		return nil, err
	}
	if len(scopes) == 0 {
		return nil, oauthError("invalid_scope", "The client has no custom scope to grant.")
	}
	keys, err := s.signingKeys(ctx)
	if err != nil {
		return nil, err
	}
	units := c.Doc.TokenValidityUnits
	if units == nil {
		units = &TokenValidityUnitsType{}
	}
	ttl := validity(c.Doc.AccessTokenValidity, units.AccessToken, time.Hour, time.Hour)
	jti, err := s.newUUID()
	if err != nil {
		return nil, err
	}
	access, err := token.Sign(accessKey(keys), clientCredentialsClaims{Sub: c.ID, TokenUse: "access",
		Scope: strings.Join(scopes, " "), AuthTime: now.Unix(), Iss: s.issuer(p), Exp: now.Add(ttl).Unix(),
		Iat: now.Unix(), Version: 2, JTI: jti, ClientID: c.ID})
	if err != nil {
		return nil, err
	}
	return &AuthenticationResultType{AccessToken: ptr(access), TokenType: ptr("Bearer"), ExpiresIn: ptr(int32(ttl / time.Second))}, nil
}

// UserInfo answers GET /oauth2/userInfo: the attributes an OAuth access token's scopes
// allow. The token must carry openid; the API's access tokens carry no OAuth scopes and
// are refused (userinfo endpoint). Refusals are *OAuthError with status 401.
func (s *Service) UserInfo(ctx context.Context, accessToken string) (map[string]string, error) {
	invalid := func(desc string) error { return &OAuthError{Code: "invalid_token", Description: desc, Status: 401} }
	if accessToken == "" {
		return nil, &OAuthError{Code: "invalid_request", Description: "Bad OAuth2 request at UserInfo Endpoint", Status: 400}
	}
	keys, err := s.signingKeys(ctx)
	if err != nil {
		return nil, err
	}
	var cl accessClaims
	err = token.Verify(accessToken, func(kid string) (*rsa.PublicKey, bool) {
		for _, k := range keys {
			if k.ID == kid {
				return &k.Private.PublicKey, true
			}
		}
		return nil, false
	}, &cl)
	revoked := "Access token is expired, disabled, or deleted, or the user has globally signed out."
	now := s.clock()
	if err != nil || cl.TokenUse != "access" || now.Unix() >= cl.Exp {
		return nil, invalid(revoked)
	}
	scopes := strings.Fields(cl.Scope)
	if !slices.Contains(scopes, "openid") {
		return nil, invalid("Access token does not contain openid scope")
	}
	poolID := cl.Iss[strings.LastIndex(cl.Iss, "/")+1:]
	sess, err := s.store.GetSession(ctx, cl.OriginJTI)
	if errors.Is(err, ErrNotFound) || (err == nil && !sess.RevokedAt.IsZero()) {
		return nil, invalid(revoked)
	} else if err != nil {
		return nil, err
	}
	u, err := s.store.GetUserBySub(ctx, poolID, cl.Sub)
	if errors.Is(err, ErrNotFound) {
		return nil, invalid(revoked)
	} else if err != nil {
		return nil, err
	}
	if !u.Enabled || sess.AuthTime.Before(u.TokensValidAfter) {
		return nil, invalid(revoked)
	}
	c, err := s.store.FindClient(ctx, cl.ClientID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	out := map[string]string{"sub": u.Sub, "username": u.Username}
	allowed := func(name string) bool {
		switch {
		case c != nil && !readable(c, name), strings.HasPrefix(name, "dev:"):
			return false
		case slices.Contains(scopes, "profile"), slices.Contains(scopes, apiScope):
			return true
		case name == "email" || name == "email_verified":
			return slices.Contains(scopes, "email")
		case name == "phone_number" || name == "phone_number_verified":
			return slices.Contains(scopes, "phone")
		}
		return false
	}
	for _, a := range u.Attributes {
		if a.Name != "sub" && allowed(a.Name) {
			out[a.Name] = a.Value // strings, as the attributes are kept and AWS answers them
		}
	}
	return out, nil
}

// Revoke answers POST /oauth2/revoke through the API's RevokeToken, with the endpoint's
// errors (revocation endpoint): invalid_request without a token or with revocation off,
// unsupported_token_type for anything but a refresh token, invalid_client (401) for bad
// credentials; a revoked or unknown token is a success.
func (s *Service) Revoke(ctx context.Context, form url.Values, auth ClientAuth) error {
	tok := form.Get("token")
	if tok == "" {
		return oauthError("invalid_request", "token is required.")
	}
	id, secret := auth.ID, auth.Secret
	if !auth.Basic {
		id, secret = form.Get("client_id"), form.Get("client_secret")
	}
	_, err := s.RevokeToken(ctx, &RevokeTokenRequest{Token: ptr(tok), ClientId: ptr(id), ClientSecret: ptr(secret)})
	var ue *Error
	if errors.As(err, &ue) {
		switch ue.Code {
		case "UnauthorizedException":
			return &OAuthError{Code: "invalid_client", Description: ue.Message, Status: 401}
		case "UnsupportedTokenTypeException":
			return oauthError("unsupported_token_type", "%s", ue.Message)
		default:
			return oauthError("invalid_request", "%s", ue.Message)
		}
	}
	return err
}
