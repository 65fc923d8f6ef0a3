package userpool

import (
	"context"
	"errors"
)

// AdminResetUserPassword puts a user in RESET_REQUIRED: its password stops working (sign-in
// answers PasswordResetRequiredException) until ForgotPassword and ConfirmForgotPassword
// set a new one. A recovery code is sent when the user has an eligible verified destination.
func (s *Service) AdminResetUserPassword(ctx context.Context, in *AdminResetUserPasswordRequest) (*AdminResetUserPasswordResponse, error) {
	var attr string
	u, err := s.updateUser(ctx, deref(in.UserPoolId), deref(in.Username), func(p *Pool, u *User) error {
		if !u.Enabled {
			return errDisabled
		}
		switch u.Status {
		case StatusConfirmed, StatusResetRequired, StatusUnconfirmed, StatusExternalProvider:
		default:
			return notAuthorized("User password cannot be reset in the current state.")
		}
		attr, _ = recoveryDestination(p, u)
		u.Status = StatusResetRequired
		u.ModifiedAt = s.clock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	if attr != "" {
		p, err := s.loadPool(ctx, u.PoolID)
		if err != nil {
			return nil, err
		}
		if _, err := s.sendRecoveryCode(ctx, p, u, attr, s.clock(), nil); err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	return &AdminResetUserPasswordResponse{}, nil
}
