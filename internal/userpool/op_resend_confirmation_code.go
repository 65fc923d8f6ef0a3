package userpool

import (
	"context"
	"errors"
)

// ResendConfirmationCode sends an UNCONFIRMED user a new sign-up code (the old one dies),
// at most 5 times an hour.
func (s *Service) ResendConfirmationCode(ctx context.Context, in *ResendConfirmationCodeRequest) (*ResendConfirmationCodeResponse, error) {
	typed := deref(in.Username)
	p, c, err := s.publicClient(ctx, deref(in.ClientId), in.SecretHash, false, typed)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	u, err := s.findUser(ctx, p, typed)
	if errors.Is(err, ErrNotFound) || (err == nil && !u.Enabled) {
		if c.preventsEnumeration() {
			d := simulatedDelivery(p, typed)
			if s.breakerOpen(deref(d.DeliveryMedium)) {
				return nil, errDeliveryFailed
			}
			return &ResendConfirmationCodeResponse{CodeDeliveryDetails: d}, nil
		}
		if err == nil {
			return nil, errDisabled
		}
		return nil, newError("UserNotFoundException", "Username/client id combination not found.")
	}
	if err != nil {
		return nil, err
	}
	if u.Status != StatusUnconfirmed {
		return nil, invalidParameter("User is already confirmed.")
	}
	attr := signUpDestination(p, u)
	if attr == "" {
		// NotAuthorizedException, as a raw AWS answer shows it:
		// {"__type":"NotAuthorizedException","message":"Cannot resend codes. Auto verification not turned on."}
		return nil, notAuthorized("Cannot resend codes. Auto verification not turned on.")
	}
	if err := s.countAttempt(ctx, u, "resend-signup", now, 5); err != nil {
		return nil, err
	}
	to, _ := u.attr(attr)
	d, err := s.deliverCode(ctx, p, delivery{user: u, purpose: purposeSignUp, ttl: signUpCodeTTL, kind: verificationMessage, attr: attr, to: to,
		source: "ResendCode", clientID: c.ID, metadata: in.ClientMetadata, link: true}, now)
	if err != nil {
		return nil, err
	}
	return &ResendConfirmationCodeResponse{CodeDeliveryDetails: d}, nil
}

// simulatedDelivery is the CodeDeliveryDetails answered, with nothing sent, for a user that
// does not exist or cannot receive a code when the client hides that (spec §1.3): shaped by
// what was typed, never by the user.
func simulatedDelivery(p *Pool, typed string) *CodeDeliveryDetailsType {
	return deliveryDetails(simulatedDestination(p, typed))
}

// simulatedDestination is the attribute and address simulatedDelivery names.
func simulatedDestination(p *Pool, typed string) (attr, to string) {
	switch {
	case emailPattern.MatchString(typed):
		return "email", typed
	case phonePattern.MatchString(typed):
		return "phone_number", typed
	}
	for _, a := range p.Doc.AutoVerifiedAttributes {
		if a == "email" {
			return "email", typed + "@" + typed + ".com"
		}
	}
	if len(p.Doc.AutoVerifiedAttributes) > 0 {
		return "phone_number", "+10000000000"
	}
	return "email", typed + "@" + typed + ".com"
}
