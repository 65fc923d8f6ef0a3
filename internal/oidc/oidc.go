// Package oidc is cognate's client of third-party OpenID Connect providers: the
// userpool.Federator that reads a provider's discovery document and JWKS, redeems an
// authorization code at its token endpoint (client_secret_post, as Cognito does) and
// verifies the ID token it answers.
//
// It verifies RS256 ID tokens only (the algorithm of Cognito and of most providers); a
// provider signing otherwise is refused with an error that says so. It keeps no state but
// a short cache of discovery documents and key sets.
package oidc

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-json-experiment/json"

	"cognate/internal/token"
	"cognate/internal/userpool"
)

// Client is a userpool.Federator over HTTP.
type Client struct {
	// HTTP makes the requests; nil uses a client with a 10 s timeout.
	HTTP *http.Client
	// Now is the clock ID tokens are judged by; nil is time.Now.
	Now func() time.Time

	mu    sync.Mutex
	cache map[string]cached
}

type cached struct {
	body []byte
	at   time.Time
}

// cacheTTL is how long a discovery document or key set is reused.
const cacheTTL = time.Minute

var _ userpool.Federator = (*Client)(nil)

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: 10 * time.Second}
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// get fetches a JSON document, through the cache.
func (c *Client) get(ctx context.Context, u string) ([]byte, error) {
	c.mu.Lock()
	if e, ok := c.cache[u]; ok && c.now().Sub(e.at) < cacheTTL {
		c.mu.Unlock()
		return e.body, nil
	}
	c.mu.Unlock()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http().Do(req)
	if err != nil {
		return nil, fmt.Errorf("calling %s: %w", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s answered %d", u, resp.StatusCode)
	}
	c.mu.Lock()
	if c.cache == nil {
		c.cache = map[string]cached{}
	}
	c.cache[u] = cached{body: body, at: c.now()}
	c.mu.Unlock()
	return body, nil
}

// Endpoints reads the provider's discovery document when the details name oidc_issuer;
// endpoint URLs the details give win over discovered ones.
func (c *Client) Endpoints(ctx context.Context, d map[string]string) (*userpool.ProviderEndpoints, error) {
	ep := &userpool.ProviderEndpoints{Issuer: d["oidc_issuer"]}
	if ep.Issuer != "" {
		body, err := c.get(ctx, strings.TrimSuffix(ep.Issuer, "/")+"/.well-known/openid-configuration")
		if err != nil {
			return nil, err
		}
		var doc struct {
			Issuer                string `json:"issuer"`
			AuthorizationEndpoint string `json:"authorization_endpoint"`
			TokenEndpoint         string `json:"token_endpoint"`
			UserinfoEndpoint      string `json:"userinfo_endpoint"`
			JWKSURI               string `json:"jwks_uri"`
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			return nil, fmt.Errorf("the discovery document: %w", err)
		}
		if doc.Issuer != ep.Issuer {
			return nil, fmt.Errorf("the discovery document names issuer %q, not %q", doc.Issuer, ep.Issuer)
		}
		ep.Authorize, ep.Token, ep.UserInfo, ep.JWKS = doc.AuthorizationEndpoint, doc.TokenEndpoint, doc.UserinfoEndpoint, doc.JWKSURI
	}
	for k, p := range map[string]*string{"authorize_url": &ep.Authorize, "token_url": &ep.Token, "attributes_url": &ep.UserInfo, "jwks_uri": &ep.JWKS} {
		if v := d[k]; v != "" {
			*p = v
		}
	}
	if ep.Authorize == "" || ep.Token == "" || ep.JWKS == "" {
		return nil, errors.New("the provider's authorize, token and jwks endpoints are not all known")
	}
	return ep, nil
}

// Redeem exchanges the code and returns the verified ID token's claims, with the userInfo
// endpoint's answer added to them.
func (c *Client) Redeem(ctx context.Context, ep *userpool.ProviderEndpoints, r userpool.RedeemRequest) (map[string]any, error) {
	form := url.Values{"grant_type": {"authorization_code"}, "code": {r.Code}, "redirect_uri": {r.RedirectURI},
		"client_id": {r.ClientID}}
	if r.ClientSecret != "" {
		form.Set("client_secret", r.ClientSecret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.Token, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http().Do(req)
	if err != nil {
		return nil, fmt.Errorf("calling the token endpoint: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	var tok struct {
		IDToken     string `json:"id_token"`
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%d %s", resp.StatusCode, tok.Error)
	}
	if tok.IDToken == "" {
		return nil, errors.New("the token endpoint answered no id_token")
	}
	claims, err := c.verify(ctx, ep, tok.IDToken, r)
	if err != nil {
		return nil, err
	}
	if ep.UserInfo != "" && tok.AccessToken != "" {
		info, err := c.userInfo(ctx, ep.UserInfo, r.UserInfoMethod, tok.AccessToken)
		if err != nil {
			return nil, err
		}
		if s, _ := info["sub"].(string); s != "" && s != claims["sub"] {
			return nil, errors.New("userInfo answered another subject")
		}
		for k, v := range info {
			if _, ok := claims[k]; !ok {
				claims[k] = v
			}
		}
	}
	return claims, nil
}

// verify checks the ID token: the provider's RS256 signature, iss, aud, exp and nonce.
func (c *Client) verify(ctx context.Context, ep *userpool.ProviderEndpoints, idToken string, r userpool.RedeemRequest) (map[string]any, error) {
	keys, err := c.keys(ctx, ep.JWKS)
	if err != nil {
		return nil, err
	}
	claims := map[string]any{}
	if err := token.Verify(idToken, func(kid string) (*rsa.PublicKey, bool) {
		k, ok := keys[kid]
		return k, ok
	}, &claims); err != nil {
		return nil, fmt.Errorf("the ID token does not verify: %w", err)
	}
	if iss, _ := claims["iss"].(string); ep.Issuer != "" && iss != ep.Issuer {
		return nil, fmt.Errorf("the ID token's issuer is %q, not %q", iss, ep.Issuer)
	}
	switch aud := claims["aud"].(type) {
	case string:
		if aud != r.ClientID {
			return nil, errors.New("the ID token is for another client")
		}
	case []any:
		if !slices.Contains(aud, any(r.ClientID)) {
			return nil, errors.New("the ID token is for another client")
		}
	default:
		return nil, errors.New("the ID token has no aud")
	}
	if exp, _ := claims["exp"].(float64); token.Expired(int64(exp), c.now()) {
		return nil, errors.New("the ID token has expired")
	}
	if n, _ := claims["nonce"].(string); n != r.Nonce {
		return nil, errors.New("the ID token's nonce is not the one sent")
	}
	return claims, nil
}

// keys reads a JWKS's RSA keys by kid.
func (c *Client) keys(ctx context.Context, uri string) (map[string]*rsa.PublicKey, error) {
	body, err := c.get(ctx, uri)
	if err != nil {
		return nil, err
	}
	var set struct {
		Keys []struct {
			Kid string `json:"kid"`
			Kty string `json:"kty"`
			N   string `json:"n"`
			E   string `json:"e"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("the JWKS: %w", err)
	}
	out := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		if k.Kty != "RSA" {
			continue
		}
		n, err1 := base64.RawURLEncoding.DecodeString(k.N)
		e, err2 := base64.RawURLEncoding.DecodeString(k.E)
		if err1 != nil || err2 != nil || len(e) > 4 {
			continue
		}
		out[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	if len(out) == 0 {
		return nil, errors.New("the JWKS holds no RSA key (cognate verifies RS256 ID tokens only)")
	}
	return out, nil
}

func (c *Client) userInfo(ctx context.Context, endpoint, method, accessToken string) (map[string]any, error) {
	if method != http.MethodPost {
		method = http.MethodGet
	}
	req, err := http.NewRequestWithContext(ctx, method, endpoint, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	resp, err := c.http().Do(req)
	if err != nil {
		return nil, fmt.Errorf("calling userInfo: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("userInfo answered %d", resp.StatusCode)
	}
	info := map[string]any{}
	if err := json.Unmarshal(body, &info); err != nil {
		return nil, fmt.Errorf("userInfo: %w", err)
	}
	return info, nil
}
