package userpool

import "context"

// RespondToAuthChallenge answers a challenge: PASSWORD_VERIFIER (the second step of SRP),
// NEW_PASSWORD_REQUIRED, or SELECT_CHALLENGE of USER_AUTH.
func (s *Service) RespondToAuthChallenge(ctx context.Context, in *RespondToAuthChallengeRequest) (*RespondToAuthChallengeResponse, error) {
	out, err := s.respondAuth(ctx, &authRequest{clientID: deref(in.ClientId), flow: deref(in.ChallengeName),
		params: in.ChallengeResponses, session: deref(in.Session), metadata: in.ClientMetadata})
	if err != nil {
		return nil, err
	}
	return convert[RespondToAuthChallengeResponse](out)
}
