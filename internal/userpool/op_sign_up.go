package userpool

import (
	"context"
	"errors"
	"slices"
)

// SignUp registers a user as UNCONFIRMED and, when the pool auto-verifies an attribute the
// user gave, sends a sign-up code to it (valid 24 hours).
func (s *Service) SignUp(ctx context.Context, in *SignUpRequest) (*SignUpResponse, error) {
	typed := deref(in.Username)
	p, c, err := s.publicClient(ctx, deref(in.ClientId), in.SecretHash, false, typed)
	if err != nil {
		return nil, err
	}
	if acu := p.Doc.AdminCreateUserConfig; acu != nil && deref(acu.AllowAdminCreateUserOnly) {
		return nil, notAuthorized("SignUp is not permitted for this user pool")
	}
	now := s.clock()
	sub, err := s.newUUID()
	if err != nil {
		return nil, err
	}
	u := &User{PoolID: p.ID, Sub: sub, Username: typed, Status: StatusUnconfirmed, Enabled: true, CreatedAt: now, ModifiedAt: now}
	attrs := in.UserAttributes
	for _, a := range attrs {
		if n := deref(a.Name); n == "email_verified" || n == "phone_number_verified" ||
			(len(c.Doc.WriteAttributes) > 0 && !slices.Contains(c.Doc.WriteAttributes, n)) {
			return nil, errUnauthorizedAttribute
		}
	}
	if u.Username, attrs, err = signInName(p, typed, sub, attrs); err != nil {
		return nil, err
	}
	if err := checkAttributes(p, u, attrs, attrsCreate); err != nil {
		return nil, err
	}
	password := deref(in.Password)
	if err := checkPassword(p.Doc.Policies.PasswordPolicy, password); err != nil {
		return nil, asSignUpPasswordError(err)
	}
	u.Key = p.userKey(u.Username)
	u.Attributes = []Attribute{{Name: "sub", Value: sub}}
	applyAttributes(p, u, attrs)
	// The pool's PreSignUp function may confirm the user and verify its email or phone; the
	// user is not written until it has answered.
	confirmed, err := s.preSignUp(ctx, p, u, "PreSignUp_SignUp", c.ID, in.ValidationData, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	if confirmed {
		u.Status = StatusConfirmed
	}
	if err := s.storePassword(ctx, p, u, password, now); err != nil {
		return nil, err
	}
	p.computeAliases(u)
	// The user and its sign-up code (with the message carrying it) are one write.
	out := &SignUpResponse{UserConfirmed: ptr(confirmed), UserSub: ptr(sub)}
	create := UserWrite{User: u, New: true}
	if attr := signUpDestination(p, u); attr != "" && !confirmed {
		to, _ := u.attr(attr)
		out.CodeDeliveryDetails, err = s.deliverCode(ctx, p, delivery{user: u, purpose: purposeSignUp, ttl: signUpCodeTTL, kind: verificationMessage,
			attr: attr, to: to, source: "SignUp", clientID: c.ID, metadata: in.ClientMetadata, link: true,
			is: &issue{users: []UserWrite{create}}}, now)
	} else {
		err = s.store.SaveUsers(ctx, create)
	}
	switch {
	case errors.Is(err, ErrAliasConflict):
		return nil, s.aliasExists(ctx, p, u)
	case errors.Is(err, ErrConflict):
		return nil, newError("UsernameExistsException", "User already exists")
	case err != nil:
		return nil, err
	}
	// A Session to hand on to ConfirmSignUp (API model); it signs no one in by itself.
	if out.Session, err = s.signUpSession(p, c, u, challengeSignUpPending, now); err != nil {
		return nil, err
	}
	return out, nil
}

// signUpDestination is the attribute a sign-up code goes to: one the pool auto-verifies and
// the user has, the phone number first as Cognito prefers it; "" when there is none.
func signUpDestination(p *Pool, u *User) string {
	for _, a := range []string{"phone_number", "email"} {
		if _, ok := u.attr(a); ok && slices.Contains(p.Doc.AutoVerifiedAttributes, a) {
			return a
		}
	}
	return ""
}
