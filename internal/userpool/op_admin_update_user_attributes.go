package userpool

import "context"

// AdminUpdateUserAttributes sets a user's attributes, including email_verified and
// phone_number_verified, which only an administrator may set directly.
func (s *Service) AdminUpdateUserAttributes(ctx context.Context, in *AdminUpdateUserAttributesRequest) (*AdminUpdateUserAttributesResponse, error) {
	_, err := s.updateUser(ctx, deref(in.UserPoolId), deref(in.Username), func(p *Pool, u *User) error {
		if err := checkAttributes(p, u, in.UserAttributes, attrsUpdate); err != nil {
			return err
		}
		applyAttributes(p, u, in.UserAttributes)
		u.ModifiedAt = s.clock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &AdminUpdateUserAttributesResponse{}, nil
}
