package userpool

import "context"

// AdminRespondToAuthChallenge answers a challenge of AdminInitiateAuth.
func (s *Service) AdminRespondToAuthChallenge(ctx context.Context, in *AdminRespondToAuthChallengeRequest) (*AdminRespondToAuthChallengeResponse, error) {
	out, err := s.respondAuth(ctx, &authRequest{admin: true, poolID: deref(in.UserPoolId), clientID: deref(in.ClientId),
		flow: deref(in.ChallengeName), params: in.ChallengeResponses, session: deref(in.Session), metadata: in.ClientMetadata})
	if err != nil {
		return nil, err
	}
	return convert[AdminRespondToAuthChallengeResponse](out)
}
