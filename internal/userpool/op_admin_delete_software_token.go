package userpool

import "context"

// AdminDeleteSoftwareToken removes a user's software token, verified or waiting to be:
// TOTP MFA is off for the user and its codes no longer sign in; the user may register a
// new token with AssociateSoftwareToken, and on a pool that requires MFA its next sign-in
// answers MFA_SETUP (unless it has another factor). The model lists
// UserNotConfirmedException among its errors without saying when AWS sends it; cognate
// removes the token of a user in any state. A user without a token is no error
// [I: AWS's answer for that case is not documented].
func (s *Service) AdminDeleteSoftwareToken(ctx context.Context, in *AdminDeleteSoftwareTokenRequest) (*AdminDeleteSoftwareTokenResponse, error) {
	_, err := s.updateUser(ctx, deref(in.UserPoolId), deref(in.Username), func(p *Pool, u *User) error {
		u.TOTP = SoftwareToken{}
		u.MFA.TOTPEnabled, u.MFA.TOTPPreferred = false, false
		u.ModifiedAt = s.clock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &AdminDeleteSoftwareTokenResponse{}, nil
}
