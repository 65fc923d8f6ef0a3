package userpool

import (
	"context"
	"errors"
)

// RevokeToken revokes a refresh token, and with it the access and ID tokens minted from it.
// Revoking a token that is already revoked, or that another client got, changes nothing.
func (s *Service) RevokeToken(ctx context.Context, in *RevokeTokenRequest) (*RevokeTokenResponse, error) {
	c, err := s.store.FindClient(ctx, deref(in.ClientId))
	if errors.Is(err, ErrNotFound) {
		return nil, newError("UnauthorizedException", "Invalid client id provided")
	}
	if err != nil {
		return nil, err
	}
	if c.hasSecret() && !c.secretIs(deref(in.ClientSecret)) {
		return nil, newError("UnauthorizedException", "Invalid client secret provided")
	}
	if c.Doc.EnableTokenRevocation != nil && !*c.Doc.EnableTokenRevocation {
		return nil, newError("UnsupportedOperationException", "Token revocation is not enabled for this app client.")
	}
	id, _, err := s.openRefresh(deref(in.Token))
	if err != nil {
		return nil, newError("UnsupportedTokenTypeException", "Invalid token type provided, only refresh tokens are supported.")
	}
	sess, err := s.store.GetSession(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return &RevokeTokenResponse{}, nil
	}
	if err != nil {
		return nil, err
	}
	if sess.ClientID != c.ID {
		return nil, newError("UnauthorizedException", "Invalid client id provided")
	}
	if err := s.store.RevokeSession(ctx, sess.ID, s.clock()); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	return &RevokeTokenResponse{}, nil
}
