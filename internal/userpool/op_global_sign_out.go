package userpool

import (
	"context"
	"time"
)

// GlobalSignOut ends every session of the signed-in user: its refresh tokens stop working
// and its access tokens are refused by the user's own operations.
func (s *Service) GlobalSignOut(ctx context.Context, in *GlobalSignOutRequest) (*GlobalSignOutResponse, error) {
	_, _, err := s.updateSelf(ctx, deref(in.AccessToken), func(p *Pool, u *User, clientID string, now time.Time) error {
		u.TokensValidAfter = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &GlobalSignOutResponse{}, nil
}
