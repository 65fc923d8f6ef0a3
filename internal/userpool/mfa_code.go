package userpool

import (
	"context"
	"errors"
	"time"
)

// Sign-in codes: the one-time code of an SMS_MFA or EMAIL_OTP challenge (and of USER_AUTH's
// EMAIL_OTP and SMS_OTP first factors), sent through the outbox like every code, with the
// pool's SmsAuthenticationMessage or email MFA template, the pool's CustomMessage function
// (CustomMessage_Authentication) or custom sender (CustomSMSSender_Authentication,
// CustomEmailSender_Authentication). A code lives as long as the challenge's session, is
// used once, and a new sign-in's code replaces it.

const purposeSignIn = "signin"

// authenticationText is the subject and body of a sign-in code's message by medium: the
// pool's SmsAuthenticationMessage, or its EmailMfaConfiguration's Subject and Message, with
// AWS's default SMS text where none is set [I: the default email text is not documented;
// the SMS one is used for both].
func authenticationText(p *Pool, medium string) (subject, body string) {
	const text = "Your authentication code is {####}. "
	if medium == "SMS" {
		return "", firstSet(p.Doc.SmsAuthenticationMessage, text)
	}
	var subj, msg *string
	if e := p.MFA.Email; e != nil {
		subj, msg = e.Subject, e.Message
	}
	return firstSet(subj, "Your authentication code"), firstSet(msg, text)
}

// sessionTTL is how long a challenge's session lives: the client's AuthSessionValidity,
// 3 minutes unless set. A sign-in code lives as long.
func sessionTTL(c *Client) time.Duration {
	minutes := deref(c.Doc.AuthSessionValidity)
	if minutes == 0 {
		minutes = 3
	}
	return time.Duration(minutes) * time.Minute
}

// sendSignInCode sends the user a sign-in code by medium ("SMS" or "EMAIL") and answers the
// challenge parameters that say where it went.
func (s *Service) sendSignInCode(ctx context.Context, p *Pool, c *Client, u *User, medium string, metadata map[string]string, now time.Time) (map[string]string, error) {
	attr := "email"
	if medium == "SMS" {
		attr = "phone_number"
	}
	to, _ := u.attr(attr)
	d, err := s.deliverCode(ctx, p, delivery{user: u, purpose: purposeSignIn, ttl: sessionTTL(c), kind: authenticationMessage,
		attr: attr, to: to, source: "Authentication", clientID: c.ID, metadata: metadata}, now)
	if err != nil {
		return nil, err
	}
	return map[string]string{"CODE_DELIVERY_DELIVERY_MEDIUM": deref(d.DeliveryMedium),
		"CODE_DELIVERY_DESTINATION": deref(d.Destination), "USER_ID_FOR_SRP": u.Username}, nil
}

// redeemSignInCode checks a sign-in code and uses it up: a wrong one, an expired one, and
// one used already all answer CodeMismatchException, as AWS answers a wrong MFA code.
func (s *Service) redeemSignInCode(ctx context.Context, u *User, code string, now time.Time) error {
	c, err := s.checkCode(ctx, u, purposeSignIn, code, now)
	if errors.Is(err, errCodeMismatch) || errors.Is(err, errExpiredCode) {
		return errMFACodeMismatch
	} else if err != nil {
		return err
	}
	err = s.store.RedeemCode(ctx, &Redemption{Code: c})
	if errors.Is(err, ErrNotFound) {
		return errMFACodeMismatch
	}
	return err
}
