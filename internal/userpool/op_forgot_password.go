package userpool

import (
	"context"
	"errors"
)

// ForgotPassword sends a recovery code to the user's verified email or phone number, chosen
// by the pool's AccountRecoverySetting. The checks run in the order of spec §1.3; with
// PreventUserExistenceErrors ENABLED, unknown, disabled and unverifiable users get the
// simulated delivery details and nothing is sent.
func (s *Service) ForgotPassword(ctx context.Context, in *ForgotPasswordRequest) (*ForgotPasswordResponse, error) {
	typed := deref(in.Username)
	p, c, err := s.publicClient(ctx, deref(in.ClientId), in.SecretHash, false, typed)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	ip := clientIP(ctx, p, c, in.UserContextData)
	decision, err := s.screen(ctx, p, c, ip)
	if err != nil {
		return nil, err
	}
	hide := c.preventsEnumeration()
	simulated := func() (*ForgotPasswordResponse, error) {
		// The shadow counts requests as a real user's would be counted, limit included.
		ok, err := s.store.CountAttempt(ctx, p.ID, p.shadowSubject(typed), kindRecoveryRequest, now, recoveryWindow, recoveryRequestLimit)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errAttemptLimit
		}
		d := simulatedDelivery(p, typed)
		if s.breakerOpen(deref(d.DeliveryMedium)) {
			return nil, errDeliveryFailed // as a real user's request fails while the channel is down
		}
		return &ForgotPasswordResponse{CodeDeliveryDetails: d}, nil
	}
	u, err := s.findUser(ctx, p, typed)
	if errors.Is(err, ErrNotFound) {
		if hide {
			return simulated()
		}
		return nil, newError("UserNotFoundException", "Username/client id combination not found.")
	}
	if err != nil {
		return nil, err
	}
	if !u.Enabled {
		if hide {
			return simulated()
		}
		return nil, errDisabled
	}
	switch u.Status {
	case StatusConfirmed, StatusResetRequired, StatusUnconfirmed, StatusExternalProvider:
	default: // FORCE_CHANGE_PASSWORD, and the states nothing can recover from
		return nil, notAuthorized("User password cannot be reset in the current state.")
	}
	attr, adminOnly := recoveryDestination(p, u)
	if adminOnly {
		return nil, notAuthorized("Contact administrator to reset password.")
	}
	if attr == "" {
		if hide {
			return simulated()
		}
		return nil, invalidParameter("Cannot reset password for the user as there is no registered/verified email or phone_number")
	}
	ok, err := s.store.CountAttempt(ctx, p.ID, u.Sub, kindRecoveryRequest, now, recoveryWindow, recoveryRequestLimit)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errAttemptLimit
	}
	d, err := s.sendRecoveryCode(ctx, p, u, attr, now)
	if err != nil {
		return nil, err
	}
	s.recordEvent(ctx, p, u, "ForgotPassword", "Pass", decision, ip, now)
	return &ForgotPasswordResponse{CodeDeliveryDetails: d}, nil
}
