package userpool

import "context"

// StartWebAuthnRegistration begins the registration of a passkey for the signed-in user: it
// answers the PublicKeyCredentialCreationOptions to hand to navigator.credentials.create(),
// with a sealed challenge that CompleteWebAuthnRegistration will take back.
func (s *Service) StartWebAuthnRegistration(ctx context.Context, in *StartWebAuthnRegistrationRequest) (*StartWebAuthnRegistrationResponse, error) {
	now := s.clock()
	r, err := s.registrant(ctx, deref(in.AccessToken), now)
	if err != nil {
		return nil, err
	}
	challenge, err := s.newRegistrationChallenge(r.p, r.u, r.clientID, now)
	if err != nil {
		return nil, err
	}
	opts, err := creationOptions(r.rp, r.p, r.u, r.keys, challenge)
	if err != nil {
		return nil, err
	}
	return &StartWebAuthnRegistrationResponse{CredentialCreationOptions: opts}, nil
}
