package userpool

import (
	"context"
	"errors"
	"time"
)

// updateSelf changes the user an access token names, re-reading on a concurrent write.
func (s *Service) updateSelf(ctx context.Context, accessToken string, change func(p *Pool, u *User, now time.Time) error) (*Pool, *User, error) {
	for {
		now := s.clock()
		p, u, _, err := s.authorize(ctx, accessToken, now)
		if err != nil {
			return nil, nil, err
		}
		if err := change(p, u, now); err != nil {
			return nil, nil, err
		}
		p.computeAliases(u)
		err = s.store.SaveUsers(ctx, UserWrite{User: u})
		switch {
		case errors.Is(err, ErrAliasConflict):
			return nil, nil, s.aliasExists(ctx, p, u)
		case errors.Is(err, ErrConflict):
			continue
		case errors.Is(err, ErrNotFound):
			return nil, nil, userNotFound()
		case err != nil:
			return nil, nil, err
		}
		return p, u, nil
	}
}
