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

// codeMessage composes the message that carries a code to attr's value to, with the
// pool's template.
func (s *Service) codeMessage(ctx context.Context, p *Pool, u *User, attr, to, code, trigger string, kind codeMessage, now time.Time) (*Message, error) {
	t := p.Doc.VerificationMessageTemplate
	if t == nil {
		t = &VerificationMessageTemplateType{}
	}
	defaultText := "Your verification code is {####}."
	if kind == recoveryMessage {
		defaultText = "Your password reset code is {####}"
	}
	medium, subject, body := "EMAIL", firstSet(t.EmailSubject, p.Doc.EmailVerificationSubject, "Your verification code"),
		firstSet(t.EmailMessage, p.Doc.EmailVerificationMessage, defaultText)
	if attr == "phone_number" {
		medium, subject, body = "SMS", "", firstSet(t.SmsMessage, p.Doc.SmsVerificationMessage, defaultText)
	}
	body = strings.NewReplacer("{####}", code, "{username}", u.Username).Replace(body)
	return s.newMessage(ctx, p, u, medium, to, subject, body, trigger, now)
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
