package userpool

import (
	"context"
	"strings"
	"unicode/utf8"
)

// The placeholders a CustomMessage event names (spec §6.3): Cognito puts the code, the link
// and the user name where the function's message has them.
const (
	codeParameter     = "{####}"
	linkParameter     = "{##Click Here##}"
	usernameParameter = "{username}"
)

// CustomMessage limits (spec §6.3, DG custom-message and limits).
const (
	maxCustomEmail = 20000 // UTF-8 characters of emailMessage
	maxCustomSMS   = 140   // characters of smsMessage
)

// customMessage is what a CustomMessage function answers: nil members leave the pool's
// template in place.
type customMessage struct {
	SMSMessage   *string `json:"smsMessage"`
	EmailMessage *string `json:"emailMessage"`
	EmailSubject *string `json:"emailSubject"`
}

// runCustomMessage runs the pool's CustomMessage function, if it has one, for a message of
// source (CustomMessage_<source>) to u, before its code (or temporary password) is put in.
// invite marks AdminCreateUser's welcome message, whose event names the username
// placeholder. It answers nil when no function ran or it filled nothing in.
func (s *Service) runCustomMessage(ctx context.Context, p *Pool, u *User, source, clientID string, metadata map[string]string, invite bool) (*customMessage, error) {
	var userParam any
	if invite {
		userParam = usernameParameter
	}
	req := withMetadata(map[string]any{"userAttributes": eventAttributes(u), "codeParameter": codeParameter,
		"linkParameter": linkParameter, "usernameParameter": userParam}, metadata)
	var out customMessage
	ran, err := s.runTrigger(ctx, p, triggerCall{trigger: trigCustomMessage, source: trigCustomMessage + "_" + source,
		clientID: clientID, userName: u.Username, request: req,
		response: map[string]any{"smsMessage": nil, "emailMessage": nil, "emailSubject": nil}}, &out)
	if err != nil || !ran {
		return nil, err
	}
	return &out, nil
}

// apply puts the function's message for medium in place of the template's, after checking
// it as Cognito does: within the length limit, and still holding the code placeholder (or,
// for a confirmation link, the link placeholder), without which the user could not use the
// message [I: spec §6.3 recommends InvalidLambdaResponseException; AWS's exact text for
// these refusals is not known, so the observed "Unrecognizable lambda output" is used]. It
// reports whether the function's answer changed anything (the message's ShapedBy).
//
// emailMessage is taken whatever the pool's EmailSendingAccount: AWS documents refusing it
// on COGNITO_DEFAULT pools, but accepting it is what an emulator may safely do (spec §6.3 [I]).
func (cm *customMessage) apply(medium string, subject, body *string, link bool) (bool, error) {
	if cm == nil {
		return false, nil
	}
	placeholder := codeParameter
	if link {
		placeholder = linkParameter
	}
	if medium == "SMS" {
		if cm.SMSMessage == nil {
			return false, nil
		}
		if utf8.RuneCountInString(*cm.SMSMessage) > maxCustomSMS || !strings.Contains(*cm.SMSMessage, codeParameter) {
			return false, errUnrecognizable
		}
		*body = *cm.SMSMessage
		return true, nil
	}
	if cm.EmailMessage != nil {
		if utf8.RuneCountInString(*cm.EmailMessage) > maxCustomEmail || !strings.Contains(*cm.EmailMessage, placeholder) {
			return false, errUnrecognizable
		}
		*body = *cm.EmailMessage
	}
	if cm.EmailSubject != nil {
		*subject = *cm.EmailSubject
	}
	return cm.EmailMessage != nil || cm.EmailSubject != nil, nil
}

// shapedBy is the ShapedBy of a message the CustomMessage function changed, or "".
func shapedBy(changed bool) string {
	if changed {
		return trigCustomMessage
	}
	return ""
}
