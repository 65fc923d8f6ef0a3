package userpool

import (
	"context"
	"crypto/hmac"
	"errors"
	"time"
)

// REFRESH_TOKEN_AUTH: new tokens for a refresh token whose session still stands.

// refresh carries out REFRESH_TOKEN_AUTH: new access and ID tokens for a session that is
// still valid; the refresh token itself is not renewed.
func (s *Service) refresh(ctx context.Context, req *authRequest, now time.Time) (*authOutcome, error) {
	rt := req.params["REFRESH_TOKEN"]
	if rt == "" {
		return nil, invalidParameter("Missing required parameter REFRESH_TOKEN")
	}
	var (
		p   *Pool
		c   *Client
		err error
	)
	if req.admin {
		p, c, err = s.loadClient(ctx, req.poolID, req.clientID)
	} else {
		c, err = s.store.FindClient(ctx, req.clientID)
		if errors.Is(err, ErrNotFound) {
			return nil, clientNotFound(req.clientID)
		}
		if err == nil {
			p, err = s.loadPool(ctx, c.PoolID)
		}
	}
	if err != nil {
		return nil, err
	}
	if !flowAllowed(c, req.flow) {
		return nil, invalidParameter("REFRESH_TOKEN_AUTH flow not enabled for this client")
	}
	sess, u, g, err := s.refreshSession(ctx, p, c, rt, now)
	if err != nil {
		return nil, err
	}
	if c.hasSecret() {
		// The hash is over the user's username (or sub), which only the token tells.
		h := req.params["SECRET_HASH"]
		if h == "" {
			return nil, notAuthorized("Client %s is configured with secret but SECRET_HASH was not received", c.ID)
		}
		if !c.anySecret(func(secret string) bool {
			return hmac.Equal([]byte(h), []byte(secretHash(secret, u.Username, c.ID))) ||
				hmac.Equal([]byte(h), []byte(secretHash(secret, u.Sub, c.ID)))
		}) {
			return nil, notAuthorized("Unable to verify secret hash for client %s", c.ID)
		}
	}
	res, err := s.mintGrantTokens(ctx, p, c, u, sess, false, now, g, tokenEvent{source: "TokenGeneration_RefreshTokens", metadata: req.metadata})
	if err != nil {
		return nil, err
	}
	return &authOutcome{AuthenticationResult: res, ChallengeParameters: map[string]string{}}, nil
}

// refreshSession opens a refresh token and checks that its session still stands; it
// returns the grant the token carries (nil for a sign-in through the API).
func (s *Service) refreshSession(ctx context.Context, p *Pool, c *Client, rt string, now time.Time) (*Session, *User, *grant, error) {
	id, g, err := s.openRefresh(rt)
	if err != nil {
		return nil, nil, nil, errInvalidRefresh
	}
	sess, err := s.store.GetSession(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, nil, errRefreshRevoked
	}
	if err != nil {
		return nil, nil, nil, err
	}
	if sess.PoolID != p.ID || sess.ClientID != c.ID {
		return nil, nil, nil, errInvalidRefresh
	}
	if !sess.RevokedAt.IsZero() {
		return nil, nil, nil, errRefreshRevoked
	}
	if !now.Before(sess.ExpiresAt) {
		return nil, nil, nil, notAuthorized("Refresh Token has expired")
	}
	u, err := s.store.GetUserBySub(ctx, p.ID, sess.UserSub)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, nil, userNotFound()
	}
	if err != nil {
		return nil, nil, nil, err
	}
	if sess.AuthTime.Before(u.TokensValidAfter) {
		return nil, nil, nil, errRefreshRevoked
	}
	if !u.Enabled {
		return nil, nil, nil, errDisabled
	}
	return sess, u, g, nil
}
