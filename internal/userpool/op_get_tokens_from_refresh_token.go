package userpool

import (
	"context"
	"errors"
)

// GetTokensFromRefreshToken mints new access and ID tokens from a refresh token.
func (s *Service) GetTokensFromRefreshToken(ctx context.Context, in *GetTokensFromRefreshTokenRequest) (*GetTokensFromRefreshTokenResponse, error) {
	now := s.clock()
	c, err := s.store.FindClient(ctx, deref(in.ClientId))
	if errors.Is(err, ErrNotFound) {
		return nil, clientNotFound(deref(in.ClientId))
	}
	if err != nil {
		return nil, err
	}
	p, err := s.loadPool(ctx, c.PoolID)
	if err != nil {
		return nil, err
	}
	if c.hasSecret() && !c.secretIs(deref(in.ClientSecret)) {
		return nil, notAuthorized("Unable to verify secret hash for client %s", c.ID)
	}
	sess, u, g, err := s.refreshSession(ctx, p, c, deref(in.RefreshToken), now)
	if err != nil {
		return nil, err
	}
	res, err := s.mintGrantTokens(ctx, p, c, u, sess, false, now, g, tokenEvent{source: "TokenGeneration_RefreshTokens", metadata: in.ClientMetadata})
	if err != nil {
		return nil, err
	}
	return &GetTokensFromRefreshTokenResponse{AuthenticationResult: res}, nil
}
