package userpool

import "context"

// GetUserAttributeVerificationCode sends the signed-in user a code to verify an email or
// phone number; at most 5 an hour.
func (s *Service) GetUserAttributeVerificationCode(ctx context.Context, in *GetUserAttributeVerificationCodeRequest) (*GetUserAttributeVerificationCodeResponse, error) {
	now := s.clock()
	p, u, claims, err := s.authorize(ctx, deref(in.AccessToken), now)
	if err != nil {
		return nil, err
	}
	attr := deref(in.AttributeName)
	if attr != "email" && attr != "phone_number" {
		return nil, invalidParameter("Invalid attribute name: %s", attr)
	}
	if _, ok := u.attr(attr); !ok {
		return nil, invalidParameter("User does not have the %s attribute", attr)
	}
	if err := s.countAttempt(ctx, u, "verify-code-request", now, 5); err != nil {
		return nil, err
	}
	to, _ := u.attr(attr)
	d, err := s.deliverCode(ctx, p, delivery{user: u, purpose: purposeVerify(attr), ttl: verifyCodeTTL, kind: verificationMessage,
		attr: attr, to: to, source: "VerifyUserAttribute", clientID: claims.ClientID, metadata: in.ClientMetadata}, now)
	if err != nil {
		return nil, err
	}
	return &GetUserAttributeVerificationCodeResponse{CodeDeliveryDetails: d}, nil
}
