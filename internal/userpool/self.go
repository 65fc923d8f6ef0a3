package userpool

import (
	"context"
	"errors"
	"slices"
	"time"
)

// updateSelf changes the user an access token names, re-reading on a concurrent write.
func (s *Service) updateSelf(ctx context.Context, accessToken string, change func(p *Pool, u *User, clientID string, now time.Time) error) (*Pool, *User, error) {
	return s.redeemSelf(ctx, accessToken, func(p *Pool, u *User, clientID string, now time.Time) (*Code, error) {
		return nil, change(p, u, clientID, now)
	})
}

// redeemSelf is updateSelf for a change paid for with a code: change answers the checked
// code (or nil), which is used up in the same transaction as the user is written.
func (s *Service) redeemSelf(ctx context.Context, accessToken string, change func(p *Pool, u *User, clientID string, now time.Time) (*Code, error)) (*Pool, *User, error) {
	var (
		p    *Pool
		u    *User
		code *Code
	)
	err := retryConflicts(ctx, func() error {
		now := s.clock()
		var cl *accessClaims
		var err error
		if p, u, cl, err = s.authorize(ctx, accessToken, now); err != nil {
			return err
		}
		if code, err = change(p, u, cl.ClientID, now); err != nil {
			return err
		}
		p.computeAliases(u)
		if code != nil {
			return s.store.RedeemCode(ctx, &Redemption{Code: code, Users: []UserWrite{{User: u}}})
		}
		return s.store.SaveUsers(ctx, UserWrite{User: u})
	})
	switch {
	case errors.Is(err, ErrAliasConflict):
		return nil, nil, s.aliasExists(ctx, p, u)
	case errors.Is(err, ErrNotFound) && code != nil:
		return nil, nil, errExpiredCode // another request used the code first
	case errors.Is(err, ErrNotFound):
		return nil, nil, userNotFound()
	case err != nil:
		return nil, nil, err
	}
	return p, u, nil
}

// mayWrite refuses attributes the token's app client may not write (its WriteAttributes),
// as AWS does: "A client attempted to write unauthorized attribute".
func (s *Service) mayWrite(ctx context.Context, p *Pool, clientID string, names []string) error {
	c, err := s.store.GetClient(ctx, p.ID, clientID)
	if errors.Is(err, ErrNotFound) {
		return errInvalidAccessToken
	}
	if err != nil {
		return err
	}
	for _, n := range names {
		if n == "email_verified" || n == "phone_number_verified" ||
			(len(c.Doc.WriteAttributes) > 0 && !slices.Contains(c.Doc.WriteAttributes, n)) {
			return errUnauthorizedAttribute
		}
	}
	return nil
}

var errUnauthorizedAttribute = notAuthorized("A client attempted to write unauthorized attribute")
