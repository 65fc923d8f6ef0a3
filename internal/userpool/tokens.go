package userpool

import (
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-json-experiment/json"

	"cognate/internal/token"
)

// signers holds the installation's token signing keys once loaded, oldest first. The
// newest two sign: the one before last ID tokens, the last access tokens (AWS signs the two
// with different keys); older ones stay in the JWKS so that tokens they signed still verify.
type signers struct {
	mu       sync.Mutex
	keys     []*token.SigningKey
	loadedAt time.Time
}

// signingKeysTTL is how long loaded keys are trusted before the store is read again, so
// that a rotation by another instance (or by "cognate keys rotate") reaches this one.
const signingKeysTTL = time.Minute

// signingKeys loads the signing keys from the store, making the first two when there are
// none yet. Keys live in the store, sealed under a key derived from the master key, so that
// every instance on one store signs with the same keys.
func (s *Service) signingKeys(ctx context.Context) ([]*token.SigningKey, error) {
	s.signers.mu.Lock()
	defer s.signers.mu.Unlock()
	now := s.now()
	if len(s.signers.keys) >= 2 && now.Sub(s.signers.loadedAt) < signingKeysTTL {
		return s.signers.keys, nil
	}
	for {
		recs, err := s.store.SigningKeys(ctx)
		if err != nil {
			return nil, err
		}
		if len(recs) >= 2 {
			keys := make([]*token.SigningKey, 0, len(recs))
			for _, r := range recs {
				der, err := token.Open(s.keys.signing, r.Sealed, []byte(r.ID))
				if err != nil {
					return nil, errors.New("a signing key cannot be opened: is the master key the one it was made under?")
				}
				k, err := token.ParseSigningKey(r.ID, der)
				if err != nil {
					return nil, err
				}
				keys = append(keys, k)
			}
			s.signers.keys, s.signers.loadedAt = keys, now
			return keys, nil
		}
		if err := s.addSigningKey(ctx); err != nil {
			return nil, err
		}
	}
}

// addSigningKey makes a key and stores it sealed. Another instance may add keys at the same
// moment; callers read back whatever won.
func (s *Service) addSigningKey(ctx context.Context) error {
	k, err := token.NewSigningKey(s.rand)
	if err != nil {
		return err
	}
	der, err := k.MarshalPrivate()
	if err != nil {
		return err
	}
	sealed, err := token.Seal(s.rand, s.keys.signing, der, []byte(k.ID))
	if err != nil {
		return err
	}
	err = s.store.AddSigningKey(ctx, &SigningKeyRecord{ID: k.ID, Sealed: sealed, CreatedAt: s.clock()})
	if errors.Is(err, ErrConflict) {
		return nil
	}
	return err
}

// RotateSigningKeys makes two new signing keys, which sign from now on (after at most a
// minute on other instances); the old keys stay in the JWKS, so tokens they signed verify
// until they expire.
func (s *Service) RotateSigningKeys(ctx context.Context) error {
	for range 2 {
		if err := s.addSigningKey(ctx); err != nil {
			return err
		}
	}
	s.signers.mu.Lock()
	s.signers.keys = nil
	s.signers.mu.Unlock()
	return nil
}

// idKey and accessKey are the keys that sign ID and access tokens now.
func idKey(keys []*token.SigningKey) *token.SigningKey     { return keys[len(keys)-2] }
func accessKey(keys []*token.SigningKey) *token.SigningKey { return keys[len(keys)-1] }

// JWKS returns the JSON Web Key Set that verifies cognate's tokens, as served at
// /<pool id>/.well-known/jwks.json.
func (s *Service) JWKS(ctx context.Context, poolID string) ([]byte, error) {
	if _, err := s.loadPool(ctx, poolID); err != nil {
		return nil, err
	}
	keys, err := s.signingKeys(ctx)
	if err != nil {
		return nil, err
	}
	return token.JWKS(keys), nil
}

// PublicURL is where clients reach cognate (--public-url), without a trailing slash.
func (s *Service) PublicURL() string { return s.publicURL }

// issuer is the iss claim of a pool's tokens: <public URL>/<pool id>, or AWS's own form
// with --token-issuer aws (IssuerConfigurationType: ORIGINAL is cognito-idp, UPDATED
// issuer-cognito-idp, both in the pool's region, which its id starts with).
func (s *Service) issuer(p *Pool) string {
	if !s.awsIssuer {
		return s.publicURL + "/" + p.ID
	}
	host := "cognito-idp"
	if ic := p.Doc.IssuerConfiguration; ic != nil && deref(ic.Type) == "UPDATED" {
		host = "issuer-cognito-idp"
	}
	region, _, _ := strings.Cut(p.ID, "_")
	return "https://" + host + "." + region + ".amazonaws.com/" + p.ID
}

// OpenIDConfiguration returns the pool's OpenID discovery document. Its jwks_uri is
// cognate's own in either issuer form: the keys are cognate's, wherever iss points. A pool
// with a domain has an authorization server, whose endpoints it names; they are served on
// cognate's public URL.
func (s *Service) OpenIDConfiguration(ctx context.Context, poolID string) ([]byte, error) {
	p, err := s.loadPool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	doc := map[string]any{
		"issuer":                                s.issuer(p),
		"jwks_uri":                              s.publicURL + "/" + p.ID + "/.well-known/jwks.json",
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported":              []string{"code", "token"},
		"scopes_supported":                      []string{"openid", "email", "phone", "profile"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	}
	d, err := s.poolDomain(ctx, poolID)
	if err != nil {
		return nil, err
	}
	if d != nil {
		base := s.publicURL
		doc["authorization_endpoint"] = base + "/oauth2/authorize"
		doc["token_endpoint"] = base + "/oauth2/token"
		doc["userinfo_endpoint"] = base + "/oauth2/userInfo"
		doc["revocation_endpoint"] = base + "/oauth2/revoke"
		doc["end_session_endpoint"] = base + "/logout"
		doc["grant_types_supported"] = []string{"authorization_code", "refresh_token", "client_credentials", "implicit"}
		doc["code_challenge_methods_supported"] = []string{"S256"} // the authorize endpoint's only method
		doc["claims_supported"] = []string{"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash",
			"cognito:username", "cognito:groups", "email", "email_verified", "phone_number", "phone_number_verified", "identities"}
	}
	return json.Marshal(doc, json.Deterministic(true))
}

// accessClaims are the claims of an access token (developer guide, "the access token").
type accessClaims struct {
	Sub       string   `json:"sub"`
	Groups    []string `json:"cognito:groups,omitempty"`
	Iss       string   `json:"iss"`
	ClientID  string   `json:"client_id"`
	OriginJTI string   `json:"origin_jti"`
	EventID   string   `json:"event_id"`
	TokenUse  string   `json:"token_use"`
	Scope     string   `json:"scope"`
	AuthTime  int64    `json:"auth_time"`
	Exp       int64    `json:"exp"`
	Iat       int64    `json:"iat"`
	JTI       string   `json:"jti"`
	Username  string   `json:"username"`
}

// grant is what an OAuth 2.0 sign-in adds to the tokens of a session: the scopes granted
// (the access token's scope; an ID token only with openid) and the authorize request's
// nonce. Nil for sign-ins through the API, whose access tokens carry the one scope
// aws.cognito.signin.user.admin.
type grant struct {
	Scopes []string `json:"sc"`
	Nonce  string   `json:"n,omitempty"`
}

// claimsMap is a token's claims as a map, so that a PreTokenGeneration function's
// additions can join them.
func claimsMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

// apiScope is the scope of the access tokens the API's sign-ins mint.
const apiScope = "aws.cognito.signin.user.admin"

// mintTokens makes the access and ID tokens of a session, and its refresh token when asked.
func (s *Service) mintTokens(ctx context.Context, p *Pool, c *Client, u *User, sess *Session, withRefresh bool, now time.Time, te tokenEvent) (*AuthenticationResultType, error) {
	return s.mintGrantTokens(ctx, p, c, u, sess, withRefresh, now, nil, te)
}

// mintGrantTokens is mintTokens for an OAuth 2.0 grant (g nil: the API's sign-in).
func (s *Service) mintGrantTokens(ctx context.Context, p *Pool, c *Client, u *User, sess *Session, withRefresh bool, now time.Time, g *grant, te tokenEvent) (*AuthenticationResultType, error) {
	keys, err := s.signingKeys(ctx)
	if err != nil {
		return nil, err
	}
	groups, err := s.store.ListGroupsForUser(ctx, p.ID, u.Key, "", 0)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(groups, func(a, b *Group) int { return int(deref(a.Precedence)) - int(deref(b.Precedence)) })
	var names []string
	for _, g := range groups {
		names = append(names, g.Name)
	}
	scope := apiScope
	if g != nil {
		scope = strings.Join(g.Scopes, " ")
	}
	// The pool's PreTokenGeneration function may change the groups, the claims and (from
	// V2_0) the access token's scopes; never what makes a token valid (protectedClaims).
	o, err := s.preTokenGeneration(ctx, p, c, u, names, strings.Fields(scope), te)
	if err != nil {
		return nil, err
	}
	if o == nil {
		o = &tokenOverrides{}
	}
	if o.groupsSet {
		names = o.groups
	}
	scope = o.applyScopes(scope)
	units := c.Doc.TokenValidityUnits
	if units == nil {
		units = &TokenValidityUnitsType{}
	}
	accessTTL := validity(c.Doc.AccessTokenValidity, units.AccessToken, time.Hour, time.Hour)
	idTTL := validity(c.Doc.IdTokenValidity, units.IdToken, time.Hour, time.Hour)
	eventID, err := s.newUUID()
	if err != nil {
		return nil, err
	}
	iss := s.issuer(p)

	ajti, err := s.newUUID()
	if err != nil {
		return nil, err
	}
	ac, err := claimsMap(accessClaims{
		Sub: u.Sub, Groups: names, Iss: iss, ClientID: c.ID, OriginJTI: sess.ID, EventID: eventID,
		TokenUse: "access", Scope: scope, AuthTime: sess.AuthTime.Unix(),
		Exp: now.Add(accessTTL).Unix(), Iat: now.Unix(), JTI: ajti, Username: u.Username,
	})
	if err != nil {
		return nil, err
	}
	applyClaims(ac, o.accessAdd, o.accessSuppress)
	access, err := token.Sign(accessKey(keys), ac)
	if err != nil {
		return nil, err
	}

	ijti, err := s.newUUID()
	if err != nil {
		return nil, err
	}
	id := map[string]any{
		"sub": u.Sub, "iss": iss, "aud": c.ID, "origin_jti": sess.ID, "event_id": eventID,
		"token_use": "id", "auth_time": sess.AuthTime.Unix(), "exp": now.Add(idTTL).Unix(),
		"iat": now.Unix(), "jti": ijti, "cognito:username": u.Username,
	}
	if len(names) > 0 {
		id["cognito:groups"] = names
	}
	for _, a := range u.Attributes {
		switch {
		case a.Name == identitiesAttr:
			id["identities"] = identitiesClaim(u.identities())
		case a.Name == "sub":
		case a.Name == "email_verified" || a.Name == "phone_number_verified":
			id[a.Name] = a.Value == "true" // booleans in tokens, strings elsewhere
		case strings.HasPrefix(a.Name, "dev:"):
		case !readable(c, a.Name):
		default:
			id[a.Name] = a.Value
		}
	}
	applyClaims(id, o.idAdd, o.idSuppress)
	if g != nil {
		// The hosted sign-in's claims (spec §12.1): the authorize request's nonce, and
		// at_hash, the left half of the access token's SHA-256 (OpenID Connect Core 3.3.2.11).
		sum := sha256.Sum256([]byte(access))
		id["at_hash"] = base64.RawURLEncoding.EncodeToString(sum[:16])
		if g.Nonce != "" {
			id["nonce"] = g.Nonce
		}
	}
	out := &AuthenticationResultType{
		AccessToken: ptr(access), TokenType: ptr("Bearer"),
		ExpiresIn: ptr(int32(accessTTL / time.Second)),
	}
	if g == nil || slices.Contains(g.Scopes, "openid") {
		idToken, err := token.Sign(idKey(keys), id)
		if err != nil {
			return nil, err
		}
		out.IdToken = ptr(idToken)
	}
	if withRefresh {
		rt, err := s.sealRefresh(sess.ID, g)
		if err != nil {
			return nil, err
		}
		out.RefreshToken = ptr(rt)
	}
	return out, nil
}

// sealRefresh makes the refresh token of a session: its id and, for an OAuth grant, the
// grant, so that a refresh mints tokens of the same scopes.
func (s *Service) sealRefresh(sessionID string, g *grant) (string, error) {
	payload := []byte(sessionID)
	if g != nil {
		b, err := json.Marshal(g)
		if err != nil {
			return "", err
		}
		payload = append(append(payload, 0), b...)
	}
	return token.SealRefresh(s.rand, s.keys.refresh, payload)
}

// openRefresh reads a refresh token back: the session id, and the grant if it has one.
func (s *Service) openRefresh(rt string) (string, *grant, error) {
	payload, err := token.OpenRefresh(s.keys.refresh, rt)
	if err != nil {
		return "", nil, err
	}
	id, rest, ok := strings.Cut(string(payload), "\x00")
	if !ok {
		return id, nil, nil
	}
	var g grant
	if err := json.Unmarshal([]byte(rest), &g); err != nil {
		return "", nil, err
	}
	return id, &g, nil
}

// readable reports whether the client may read an attribute (its ReadAttributes, all when unset).
func readable(c *Client, name string) bool {
	return len(c.Doc.ReadAttributes) == 0 || slices.Contains(c.Doc.ReadAttributes, name)
}

// startSession records a new sign-in and mints its tokens.
// The counters of clear are forgotten in the same write.
func (s *Service) startSession(ctx context.Context, p *Pool, c *Client, u *User, now time.Time, te tokenEvent, clear ...Counter) (*AuthenticationResultType, error) {
	return s.startGrantSession(ctx, p, c, u, now, now, nil, true, te, clear...)
}

// startGrantSession records a sign-in made at authTime and mints its tokens, for the API
// (g nil) or an OAuth 2.0 grant; withRefresh false for the implicit grant, which gets none.
func (s *Service) startGrantSession(ctx context.Context, p *Pool, c *Client, u *User, authTime, now time.Time, g *grant, withRefresh bool, te tokenEvent, clear ...Counter) (*AuthenticationResultType, error) {
	id, err := s.newUUID()
	if err != nil {
		return nil, err
	}
	units := c.Doc.TokenValidityUnits
	if units == nil {
		units = &TokenValidityUnitsType{}
	}
	refreshTTL := validity(c.Doc.RefreshTokenValidity, units.RefreshToken, 24*time.Hour, 30*24*time.Hour)
	sess := &Session{ID: id, PoolID: p.ID, ClientID: c.ID, UserSub: u.Sub, AuthTime: authTime, CreatedAt: now, ExpiresAt: now.Add(refreshTTL)}
	if err := s.store.StartSession(ctx, sess, clear...); err != nil {
		return nil, err
	}
	return s.mintGrantTokens(ctx, p, c, u, sess, withRefresh, now, g, te)
}

var (
	errInvalidAccessToken = notAuthorized("Invalid Access Token")
	errRevokedAccessToken = notAuthorized("Access Token has been revoked")
)

// authorize checks an access token as the user's own operations take it: cognate's
// signature, token_use access, not expired, its session not revoked, issued after the user's
// last global sign-out, and the user still there and enabled.
func (s *Service) authorize(ctx context.Context, accessToken string, now time.Time) (*Pool, *User, *accessClaims, error) {
	keys, err := s.signingKeys(ctx)
	if err != nil {
		return nil, nil, nil, err
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
	if err != nil || cl.TokenUse != "access" {
		return nil, nil, nil, errInvalidAccessToken
	}
	if now.Unix() >= cl.Exp {
		return nil, nil, nil, notAuthorized("Access Token has expired")
	}
	poolID := cl.Iss[strings.LastIndex(cl.Iss, "/")+1:]
	p, err := s.store.GetPool(ctx, poolID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, nil, errInvalidAccessToken
	} else if err != nil {
		return nil, nil, nil, err
	}
	if err := s.checkReplicaRegion(ctx, p); err != nil {
		return nil, nil, nil, err
	}
	sess, err := s.store.GetSession(ctx, cl.OriginJTI)
	if errors.Is(err, ErrNotFound) || (err == nil && !sess.RevokedAt.IsZero()) {
		return nil, nil, nil, errRevokedAccessToken
	} else if err != nil {
		return nil, nil, nil, err
	}
	u, err := s.store.GetUserBySub(ctx, p.ID, cl.Sub)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, nil, userNotFound()
	} else if err != nil {
		return nil, nil, nil, err
	}
	if sess.AuthTime.Before(u.TokensValidAfter) { // signed out globally after this sign-in
		return nil, nil, nil, errRevokedAccessToken
	}
	if !slices.Contains(strings.Fields(cl.Scope), apiScope) {
		// An OAuth access token granted without aws.cognito.signin.user.admin [O:
		// github.com/aws-amplify/amplify-js/issues/1906].
		return nil, nil, nil, notAuthorized("Access Token does not have required scopes")
	}
	if !u.Enabled {
		return nil, nil, nil, notAuthorized("User is disabled.")
	}
	return p, u, &cl, nil
}
