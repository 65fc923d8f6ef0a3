package userpool

import (
	"context"
	"time"
)

// VerifyUserAttribute verifies the signed-in user's email or phone number with the code
// sent for it; at most 15 tries an hour, counted before the code is judged.
func (s *Service) VerifyUserAttribute(ctx context.Context, in *VerifyUserAttributeRequest) (*VerifyUserAttributeResponse, error) {
	attr := deref(in.AttributeName)
	if attr != "email" && attr != "phone_number" {
		return nil, invalidParameter("Invalid attribute name: %s", attr)
	}
	// The code is used up in the same transaction as the attribute is verified.
	_, _, err := s.redeemSelf(ctx, deref(in.AccessToken), func(p *Pool, u *User, clientID string, now time.Time) (*Code, error) {
		var code *Code
		if err := s.countAttempt(ctx, u, "verify-attribute", now, 15); err != nil {
			return nil, err
		}
		if v, ok := u.Pending[attr]; ok {
			// A code sent to the waiting new value puts it in place; a code sent to the
			// current value only verifies that.
			c, err := s.checkCode(ctx, u, purposeVerifyNew(attr), deref(in.Code), now)
			if err == nil {
				code = c
				u.setAttr(attr, v)
				delete(u.Pending, attr)
				u.setAttr(attr+"_verified", "true")
				u.ModifiedAt = now
				return code, nil
			}
			if c, err2 := s.checkCode(ctx, u, purposeVerify(attr), deref(in.Code), now); err2 == nil {
				code = c
			} else if err2 == errExpiredCode {
				return nil, err // no code for the current value: the new value's answer stands
			} else {
				return nil, err2
			}
		} else {
			c, err := s.checkCode(ctx, u, purposeVerify(attr), deref(in.Code), now)
			if err != nil {
				return nil, err
			}
			code = c
		}
		u.setAttr(attr+"_verified", "true")
		u.ModifiedAt = now
		return code, nil
	})
	if err != nil {
		return nil, err
	}
	return &VerifyUserAttributeResponse{}, nil
}
