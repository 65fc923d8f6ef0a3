package userpool

import "context"

// InitiateAuth starts a sign-in: USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH or
// USER_AUTH (choice-based, userauth.go), each only when the app client allows it.
func (s *Service) InitiateAuth(ctx context.Context, in *InitiateAuthRequest) (*InitiateAuthResponse, error) {
	out, err := s.initiateAuth(ctx, &authRequest{clientID: deref(in.ClientId), flow: deref(in.AuthFlow), params: in.AuthParameters, session: deref(in.Session), metadata: in.ClientMetadata})
	if err != nil {
		return nil, err
	}
	return convert[InitiateAuthResponse](out)
}
