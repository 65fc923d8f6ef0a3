package userpool

import "context"

// AdminConfirmSignUp confirms an UNCONFIRMED user without a code.
func (s *Service) AdminConfirmSignUp(ctx context.Context, in *AdminConfirmSignUpRequest) (*AdminConfirmSignUpResponse, error) {
	var pool *Pool
	u, err := s.updateUser(ctx, deref(in.UserPoolId), deref(in.Username), func(p *Pool, u *User) error {
		pool = p
		if u.Status != StatusUnconfirmed {
			return notAuthorized("User cannot be confirmed. Current status is %s", u.Status)
		}
		u.Status = StatusConfirmed
		u.ModifiedAt = s.clock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	// AdminConfirmSignUp runs PostConfirmation with the ConfirmSignUp source, as AWS documents.
	if err := s.postConfirmation(ctx, pool, nil, u, "PostConfirmation_ConfirmSignUp", in.ClientMetadata); err != nil {
		return nil, err
	}
	return &AdminConfirmSignUpResponse{}, nil
}
