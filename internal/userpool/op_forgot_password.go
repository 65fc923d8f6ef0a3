package userpool

import (
	"context"
	"errors"
	"time"
)

// ForgotPassword sends a recovery code to the user's verified email or phone number, chosen
// by the pool's AccountRecoverySetting. The checks run in the order of spec §1.3; with
// PreventUserExistenceErrors ENABLED, unknown, disabled and unverifiable users get the
// simulated delivery details and nothing is sent.
func (s *Service) ForgotPassword(ctx context.Context, in *ForgotPasswordRequest) (*ForgotPasswordResponse, error) {
	typed := deref(in.Username)
	r, err := s.recoveryCall(ctx, deref(in.ClientId), in.SecretHash, typed, in.UserContextData)
	if err != nil {
		return nil, err
	}
	p, c, now, ip, decision := r.pool, r.client, r.now, r.ip, r.decision
	hide := c.preventsEnumeration()
	start := time.Now() // when the work that tells users from unknown names begins (shadowTimes)
	calledFn := false   // whether this request called the pool's UserMigration function
	// even makes a hiding client's answers take alike (shadowTimes): the side that does less
	// waits at its end until one of the other side's recent requests would have answered.
	// In a pool with a UserMigration function, a request that did not call it (a found
	// user) waits for those that called it and found nobody; elsewhere a simulated answer
	// (whose user's row was not read and decoded, whose writes have no user's keys) waits
	// for real users' requests.
	even := func(simulated bool) {
		switch {
		case !hide:
		case p.migratesUsers() && calledFn:
			if simulated {
				s.shadows.record(p.ID, time.Since(start))
			}
		case p.migratesUsers():
			s.shadows.wait(ctx, p.ID, start, s.rand)
		case simulated:
			s.answers.wait(ctx, p.ID, start, s.rand)
		default:
			s.answers.record(p.ID, time.Since(start))
		}
	}
	simulated := func(u *User) (*ForgotPasswordResponse, error) {
		// A simulated answer does the work of a real one, with the same writes (IssueCode's
		// Shadow): it counts against the request limit (for the user when there is one,
		// else for the name) and the email quota, and writes a code, the message that would
		// carry it and the auth event, where nothing reads, lists or delivers them. So it
		// takes the time a real request takes, and ConfirmForgotPassword later answers as
		// after a real request (shadowGuess). No trigger is called and nothing is sent.
		subject := p.recoverySubject(u, typed)
		attr, to := simulatedDestination(p, typed)
		shadow := &User{PoolID: p.ID, Sub: subject, Username: typed}
		if u != nil {
			shadow.Username = u.Username
		}
		is := &issue{event: s.authEvent(p, shadow, "ForgotPassword", "Pass", decision, ip, now)}
		is.limit(requestLimit(subject), errAttemptLimit)
		d, err := s.deliverCode(ctx, p, delivery{user: shadow, purpose: purposeRecovery, ttl: recoveryCodeTTL,
			kind: recoveryMessage, attr: attr, to: to, source: "ForgotPassword", clientID: c.ID, is: is, shadow: true}, now)
		if err != nil {
			return nil, err
		}
		even(true)
		if s.breakerOpen(deref(d.DeliveryMedium)) {
			return nil, errDeliveryFailed // as a real user's request fails while the channel is down
		}
		return &ForgotPasswordResponse{CodeDeliveryDetails: d}, nil
	}
	u, err := s.findHiding(ctx, p, typed, hide)
	var (
		migrated  *User
		migration []UserWrite // the migrated user's writes, written with the code
	)
	switch {
	case errors.Is(err, ErrNotFound):
		// A user not yet in the pool may be migrated by the pool's UserMigration function
		// (UserMigration_ForgotPassword); it is written with the code, so that a request
		// that fails after the function answered creates nobody.
		calledFn = p.migratesUsers()
		migration, err = s.migrateUser(ctx, p, c, typed, nil, nil, in.ClientMetadata, now)
		if err != nil {
			return nil, err
		}
		if migration != nil {
			migrated = migration[0].User
			u = migrated
		} else {
			err = ErrNotFound
		}
	}
	if errors.Is(err, ErrNotFound) {
		if hide {
			return simulated(nil)
		}
		return nil, newError("UserNotFoundException", "Username/client id combination not found.")
	}
	if err != nil {
		return nil, err
	}
	if !u.Enabled {
		if hide {
			return simulated(u)
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
		if hide {
			return simulated(u)
		}
		return nil, notAuthorized("User password cannot be reset in the current state.") // spec §2.2 [I]: AWS's text is unknown
	}
	if attr == "" {
		if migrated != nil {
			// The DG: "a user must have either a verified email address or a verified phone
			// number" for the reset to proceed; none is created, and a client that hides
			// existence answers as for a name that is no user [I].
			if hide {
				return simulated(nil)
			}
			return nil, invalidParameter("Cannot reset password for the user as there is no registered/verified email or phone_number")
		}
		if hide {
			return simulated(u)
		}
		return nil, invalidParameter("Cannot reset password for the user as there is no registered/verified email or phone_number")
	}
	// The request's count, its code, the message and the auth event are one write.
	is := &issue{event: s.authEvent(p, u, "ForgotPassword", "Pass", decision, ip, now)}
	is.limit(requestLimit(u.Sub), errAttemptLimit)
	is.users = append(is.users, migration...)
	d, err := s.sendRecoveryCode(ctx, p, u, attr, c.ID, in.ClientMetadata, now, is)
	switch {
	case migrated != nil && errors.Is(err, ErrAliasConflict):
		return nil, s.aliasExists(ctx, p, migrated)
	case migrated != nil && errors.Is(err, ErrConflict):
		return nil, newError("UsernameExistsException", "User account already exists")
	case err != nil:
		return nil, err
	}
	even(false)
	return &ForgotPasswordResponse{CodeDeliveryDetails: d}, nil
}
