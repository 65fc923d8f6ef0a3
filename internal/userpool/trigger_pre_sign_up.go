package userpool

import "context"

// preSignUpAnswer is what a PreSignUp function answers (DG pre-sign-up).
type preSignUpAnswer struct {
	AutoConfirmUser bool `json:"autoConfirmUser"`
	AutoVerifyEmail bool `json:"autoVerifyEmail"`
	AutoVerifyPhone bool `json:"autoVerifyPhone"`
}

// preSignUp runs the pool's PreSignUp function for a user about to be created (source
// PreSignUp_SignUp, PreSignUp_AdminCreateUser or PreSignUp_ExternalProvider) and applies its answer to u, which is not
// written yet: a function that fails leaves no user. The event's userAttributes are the
// attributes the request gave; validationData and clientMetadata are the request's,
// unchanged. It reports whether the function confirmed the user (SignUp only: for
// AdminCreateUser the user is confirmed by the temporary password's change).
//
// autoVerifyEmail / autoVerifyPhone for an attribute the user does not have are refused
// with InvalidLambdaResponseException [I: the DG says the attribute "must have a valid,
// non-null value"; AWS's text is not known].
func (s *Service) preSignUp(ctx context.Context, p *Pool, u *User, source, clientID string, validation []AttributeType, metadata map[string]string) (bool, error) {
	attrs := map[string]string{}
	for _, a := range u.Attributes {
		// Cognito's own attributes are not the request's: the sub it will give, and a
		// federated user's identities [I: the attributes of the user to be created are the
		// ones the request (or the provider's mapping) gives].
		if a.Name != "sub" && a.Name != "identities" {
			attrs[a.Name] = a.Value
		}
	}
	var vd any
	if validation != nil {
		m := map[string]string{}
		for _, a := range validation {
			m[deref(a.Name)] = deref(a.Value)
		}
		vd = m
	}
	var ans preSignUpAnswer
	ran, err := s.runTrigger(ctx, p, triggerCall{trigger: trigPreSignUp, source: source, clientID: clientID, userName: u.Username,
		request:  withMetadata(map[string]any{"userAttributes": attrs, "validationData": vd}, metadata),
		response: map[string]any{"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false}}, &ans)
	if err != nil || !ran {
		return false, err
	}
	for attr, verify := range map[string]bool{"email": ans.AutoVerifyEmail, "phone_number": ans.AutoVerifyPhone} {
		if !verify {
			continue
		}
		if _, ok := u.attr(attr); !ok {
			return false, errUnrecognizable
		}
		u.setAttr(attr+"_verified", "true")
	}
	return ans.AutoConfirmUser && source == "PreSignUp_SignUp", nil
}
