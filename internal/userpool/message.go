package userpool

import (
	"context"
	"strings"
	"time"
)

// maskEmail hides an address as Cognito does in CodeDeliveryDetails: j***@e***.com.
func maskEmail(addr string) string {
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" || domain == "" {
		return "***"
	}
	out := local[:1] + "***@" + domain[:1] + "***"
	if i := strings.LastIndex(domain, "."); i > 0 {
		out += domain[i:]
	}
	return out
}

// maskPhone hides a number as Cognito does: +********1234, whatever its length.
func maskPhone(number string) string {
	if len(number) < 4 {
		return "+********"
	}
	return "+********" + number[len(number)-4:]
}

// deliveryDetails describes where a code went (or, simulated, would have gone).
func deliveryDetails(attr, value string) *CodeDeliveryDetailsType {
	if attr == "phone_number" {
		return &CodeDeliveryDetailsType{Destination: ptr(maskPhone(value)), DeliveryMedium: ptr("SMS"), AttributeName: ptr("phone_number")}
	}
	return &CodeDeliveryDetailsType{Destination: ptr(maskEmail(value)), DeliveryMedium: ptr("EMAIL"), AttributeName: ptr("email")}
}

// codeMessage is which text a code goes out in.
type codeMessage int

const (
	verificationMessage codeMessage = iota // sign-up and attribute verification
	recoveryMessage                        // forgot password
)

// sendCode sends a code to the user's attribute (email or phone_number) with the pool's
// template, and answers the masked delivery details.
func (s *Service) sendCode(ctx context.Context, p *Pool, u *User, attr, code, trigger string, kind codeMessage, now time.Time) (*CodeDeliveryDetailsType, error) {
	to, _ := u.attr(attr)
	t := p.Doc.VerificationMessageTemplate
	if t == nil {
		t = &VerificationMessageTemplateType{}
	}
	defaultText := "Your verification code is {####}."
	if kind == recoveryMessage {
		defaultText = "Your password reset code is {####}"
	}
	msg := &Message{UserPoolID: p.ID, Username: u.Username, Destination: to, TriggerSource: trigger, CreatedAt: now}
	if attr == "phone_number" {
		msg.DeliveryMedium = "SMS"
		msg.Body = firstSet(t.SmsMessage, p.Doc.SmsVerificationMessage, defaultText)
	} else {
		msg.DeliveryMedium = "EMAIL"
		msg.Subject = firstSet(t.EmailSubject, p.Doc.EmailVerificationSubject, "Your verification code")
		msg.Body = firstSet(t.EmailMessage, p.Doc.EmailVerificationMessage, defaultText)
	}
	msg.Body = strings.NewReplacer("{####}", code, "{username}", u.Username).Replace(msg.Body)
	if err := s.send(ctx, msg); err != nil {
		return nil, err
	}
	return deliveryDetails(attr, to), nil
}

func firstSet(values ...any) string {
	for _, v := range values {
		switch x := v.(type) {
		case *string:
			if x != nil && *x != "" {
				return *x
			}
		case string:
			return x
		}
	}
	return ""
}
