package userpool

import (
	"context"
	"errors"
)

// AdminResetUserPassword puts a user in RESET_REQUIRED: its password stops working (sign-in
// answers PasswordResetRequiredException) until ForgotPassword and ConfirmForgotPassword
// set a new one. A recovery code is sent when the user has an eligible verified destination.
func (s *Service) AdminResetUserPassword(ctx context.Context, in *AdminResetUserPasswordRequest) (*AdminResetUserPasswordResponse, error) {
	// The new state and the recovery code (with its message) are one write.
	err := retryConflicts(ctx, func() error {
		p, u, err := s.loadUser(ctx, deref(in.UserPoolId), deref(in.Username))
		if err != nil {
			return err
		}
		if !u.Enabled {
			return errDisabled
		}
		switch u.Status {
		case StatusConfirmed, StatusResetRequired, StatusUnconfirmed, StatusExternalProvider:
		default:
			return notAuthorized("User password cannot be reset in the current state.")
		}
		attr, _ := recoveryDestination(p, u)
		now := s.clock()
		u.Status = StatusResetRequired
		u.ModifiedAt = now
		change := UserWrite{User: u}
		if attr == "" {
			err = s.store.SaveUsers(ctx, change)
		} else {
			_, err = s.sendRecoveryCode(ctx, p, u, attr, "", in.ClientMetadata, now, &issue{users: []UserWrite{change}})
		}
		if errors.Is(err, ErrNotFound) {
			return userNotFound()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &AdminResetUserPasswordResponse{}, nil
}
