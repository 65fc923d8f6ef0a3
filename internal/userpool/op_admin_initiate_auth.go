package userpool

import "context"

// AdminInitiateAuth starts a sign-in as an administrator: ADMIN_USER_PASSWORD_AUTH (or the
// legacy ADMIN_NO_SRP_AUTH) and REFRESH_TOKEN_AUTH.
func (s *Service) AdminInitiateAuth(ctx context.Context, in *AdminInitiateAuthRequest) (*AdminInitiateAuthResponse, error) {
	out, err := s.initiateAuth(ctx, &authRequest{admin: true, poolID: deref(in.UserPoolId), clientID: deref(in.ClientId),
		flow: deref(in.AuthFlow), params: in.AuthParameters, session: deref(in.Session), metadata: in.ClientMetadata})
	if err != nil {
		return nil, err
	}
	return convert[AdminInitiateAuthResponse](out)
}
