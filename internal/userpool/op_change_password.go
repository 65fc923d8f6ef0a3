package userpool

import (
	"context"
	"time"
)

// ChangePassword sets a new password for the signed-in user who knows the current one,
// under the pool's policy and history; at most 5 tries an hour.
func (s *Service) ChangePassword(ctx context.Context, in *ChangePasswordRequest) (*ChangePasswordResponse, error) {
	_, _, err := s.updateSelf(ctx, deref(in.AccessToken), func(p *Pool, u *User, clientID string, now time.Time) error {
		if err := s.passwords.Admit(); err != nil {
			return err
		}
		if err := s.countAttempt(ctx, u, "change-password", now, 5); err != nil {
			return err
		}
		ok, err := s.passwords.Verify(ctx, u.PasswordHash, deref(in.PreviousPassword))
		if err != nil {
			return err
		}
		if !ok {
			return errIncorrect
		}
		u.ModifiedAt = now
		return s.setPassword(ctx, p, u, deref(in.ProposedPassword), now)
	})
	if err != nil {
		return nil, err
	}
	return &ChangePasswordResponse{}, nil
}
