package userpool

import (
	"context"
	"time"
)

// DeleteUserAttributes removes attributes from the signed-in user.
func (s *Service) DeleteUserAttributes(ctx context.Context, in *DeleteUserAttributesRequest) (*DeleteUserAttributesResponse, error) {
	_, _, err := s.updateSelf(ctx, deref(in.AccessToken), func(p *Pool, u *User, clientID string, now time.Time) error {
		if err := s.mayWrite(ctx, p, clientID, in.UserAttributeNames); err != nil {
			return err
		}
		if err := deleteAttributes(p, u, in.UserAttributeNames); err != nil {
			return err
		}
		u.ModifiedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &DeleteUserAttributesResponse{}, nil
}
