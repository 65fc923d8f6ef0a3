package userpool

import (
	"context"
	htmlpkg "html"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// maskEmail hides an address as Cognito does in CodeDeliveryDetails: the first character
// of the local part, "***@", the first character of the domain and "***", with nothing
// after (jane@example.com is j***@e***), as raw AWS responses and AWS-verified tests show it
// (spec §1.2). First characters are runes, so that a non-ASCII one stays whole.
func maskEmail(addr string) string {
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" || domain == "" {
		return "***"
	}
	first := func(s string) string { _, n := utf8.DecodeRuneInString(s); return s[:n] }
	return first(local) + "***@" + first(domain) + "***"
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
	verificationMessage   codeMessage = iota // sign-up and attribute verification
	recoveryMessage                          // forgot password
	authenticationMessage                    // a sign-in code: SMS_MFA, EMAIL_OTP, SMS_OTP (mfa_code.go)
)

// codeMessage composes the message that carries the code of d, with the pool's template.
func (s *Service) codeMessage(ctx context.Context, p *Pool, d delivery, code string, now time.Time) (*Message, error) {
	u, attr, to, trigger := d.user, d.attr, d.to, "CustomMessage_"+d.source
	t := p.Doc.VerificationMessageTemplate
	if t == nil {
		t = &VerificationMessageTemplateType{}
	}
	defaultText := "Your verification code is {####}."
	if d.kind == recoveryMessage {
		defaultText = "Your password reset code is {####}"
	}
	medium, subject, body := "EMAIL", firstSet(t.EmailSubject, p.Doc.EmailVerificationSubject, "Your verification code"),
		firstSet(t.EmailMessage, p.Doc.EmailVerificationMessage, defaultText)
	if attr == "phone_number" {
		medium, subject, body = "SMS", "", firstSet(t.SmsMessage, p.Doc.SmsVerificationMessage, defaultText)
	}
	if d.kind == authenticationMessage {
		subject, body = authenticationText(p, medium)
	}
	byLink := d.link && medium == "EMAIL" && deref(t.DefaultEmailOption) == "CONFIRM_WITH_LINK"
	if byLink {
		subject, body = firstSet(t.EmailSubjectByLink, "Your verification link"),
			firstSet(t.EmailMessageByLink, "Please click the link below to verify your email address. {##Verify Email##}")
	}
	// The pool's CustomMessage function may reword the message; the code goes in after it.
	var cm *customMessage
	if !d.shadow { // a shadow's message calls no function: nothing may learn of the name
		var err error
		if cm, err = s.runCustomMessage(ctx, p, u, d.source, d.clientID, d.metadata, false); err != nil {
			return nil, err
		}
	}
	shaped, err := cm.apply(medium, &subject, &body, byLink)
	if err != nil {
		return nil, err
	}
	var html string
	if clientID := d.clientID; byLink {
		// Sign-up by link: the {##text##} of EmailMessageByLink becomes a link to cognate's
		// confirmUser page, which confirms with the code it carries.
		link := s.publicURL + "/confirmUser?" + url.Values{
			"client_id": {clientID}, "user_name": {u.Username}, "confirmation_code": {code}}.Encode()
		tmpl := body
		text := linkPattern.ReplaceAllString(tmpl, "$1: "+link)
		html = linkPattern.ReplaceAllStringFunc(tmpl, func(m string) string {
			return `<a href="` + htmlpkg.EscapeString(link) + `">` + htmlpkg.EscapeString(linkPattern.FindStringSubmatch(m)[1]) + `</a>`
		})
		msg, err := s.newMessage(p, u, medium, to, subject, text, trigger, now)
		if err != nil {
			return nil, err
		}
		msg.HTML, msg.ShapedBy = html, shapedBy(shaped)
		return msg, nil
	}
	body = strings.NewReplacer(codeParameter, code, usernameParameter, u.Username).Replace(body)
	m, err := s.newMessage(p, u, medium, to, subject, body, trigger, now)
	if err != nil {
		return nil, err
	}
	m.ShapedBy = shapedBy(shaped)
	if medium == "EMAIL" && htmlTag.MatchString(body) {
		// Cognito templates may hold HTML: the mail then carries it, with a text part made
		// by dropping the tags.
		m.HTML, m.Body = body, strings.TrimSpace(htmlpkg.UnescapeString(htmlTag.ReplaceAllString(body, "")))
	}
	return m, nil
}

// htmlTag finds the tags of an HTML template.
var htmlTag = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)

// linkPattern is the {##text##} placeholder of EmailMessageByLink.
var linkPattern = regexp.MustCompile(`\{##(.*?)##\}`)

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
