package userpool

import (
	"context"
	"slices"
	"time"
)

// UpdateUserAttributes changes the signed-in user's attributes. A changed email or phone
// number the pool auto-verifies gets a verification code. When the pool's
// UserAttributeUpdateSettings asks for verification before update, the old verified value
// stays in place until the new one is verified.
func (s *Service) UpdateUserAttributes(ctx context.Context, in *UpdateUserAttributesRequest) (*UpdateUserAttributesResponse, error) {
	var toVerify []string
	var pending map[string]string
	var client string
	p, u, err := s.updateSelf(ctx, deref(in.AccessToken), func(p *Pool, u *User, clientID string, now time.Time) error {
		toVerify, pending, client = nil, map[string]string{}, clientID
		var names []string
		for _, a := range in.UserAttributes {
			names = append(names, deref(a.Name))
		}
		if err := s.mayWrite(ctx, p, clientID, names); err != nil {
			return err
		}
		if err := checkAttributes(p, u, in.UserAttributes, attrsUpdate); err != nil {
			return err
		}
		var keepFirst []string
		if st := p.Doc.UserAttributeUpdateSettings; st != nil {
			keepFirst = st.AttributesRequireVerificationBeforeUpdate
		}
		var apply []AttributeType
		for _, a := range in.UserAttributes {
			name, value := deref(a.Name), deref(a.Value)
			old, had := u.attr(name)
			changed := !had || old != value
			if (name == "email" || name == "phone_number") && changed && slices.Contains(p.Doc.AutoVerifiedAttributes, name) {
				toVerify = append(toVerify, name)
				if slices.Contains(keepFirst, name) && had && u.verified(name) {
					pending[name] = value // keep the verified value until the new one is verified
					continue
				}
			}
			apply = append(apply, a)
		}
		applyAttributes(p, u, apply)
		for _, a := range apply {
			delete(u.Pending, deref(a.Name)) // set outright now: nothing waits any more
		}
		for name, value := range pending {
			if u.Pending == nil {
				u.Pending = map[string]string{}
			}
			u.Pending[name] = value
		}
		u.ModifiedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := &UpdateUserAttributesResponse{CodeDeliveryDetailsList: []CodeDeliveryDetailsType{}}
	now := s.clock()
	for _, attr := range toVerify {
		to, _ := u.attr(attr)
		purpose := purposeVerify(attr)
		if v, ok := pending[attr]; ok {
			// The code goes to the new value, which is not in place yet, under a purpose of
			// its own: only a code sent to the new value can put it in place.
			to, purpose = v, purposeVerifyNew(attr)
		}
		d, err := s.deliverCode(ctx, p, delivery{user: u, purpose: purpose, ttl: verifyCodeTTL, kind: verificationMessage, attr: attr, to: to,
			source: "UpdateUserAttribute", clientID: client, metadata: in.ClientMetadata}, now)
		if err != nil {
			return nil, err
		}
		out.CodeDeliveryDetailsList = append(out.CodeDeliveryDetailsList, *d)
	}
	return out, nil
}
