// Package sms is cognate's SMS channels: it hands one Text to a provider and reports whether
// the provider took it. SNS publishes through the Amazon SNS Publish API (real AWS or any
// SNS-compatible endpoint); Webhook POSTs the Text as signed JSON to an operator's URL, so that
// any SMS gateway can sit behind a few lines of glue; Sandbox wraps either and, like AWS's SMS
// sandbox, sends only to verified destination numbers.
//
// It does not queue, retry, render templates or know about user pools. The outbox dispatcher
// decides whether to call Send again, from the error's class: errors wrapping ErrPermanent will
// fail the same way every time; every other error may succeed later. The caller adapts its own
// message type to Text, so this package depends on nothing of the domain.
//
// Every Sender is safe for concurrent use. Errors name the message (by MessageID), the
// provider and its answer, never the body of the Text (it carries one-time codes and temporary
// passwords) nor any credential.
package sms

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"unicode/utf8"
)

// Text is one SMS to send.
type Text struct {
	// MessageID identifies the message; keep it stable across retries so that a receiver can
	// spot a duplicate. The webhook sends it; it also names the message in errors.
	MessageID string
	// To is the destination in E.164 form (+ and 7 to 15 digits), from a stored attribute.
	To string
	// Body is the text itself. Keeping it within 140 characters is the caller's rule (it is
	// Cognito's); Send refuses only bodies over MaxBodyLength, which no provider would take.
	Body string
	// PoolID, Username and TriggerSource are metadata that the webhook passes on, so that a
	// receiver can route or audit a message without parsing its body.
	PoolID, Username, TriggerSource string
}

// Sender is what every channel in this package is, and what Sandbox wraps.
type Sender interface {
	// Send delivers t or returns why not; the error wraps ErrPermanent when retrying cannot
	// help.
	Send(ctx context.Context, t *Text) error
}

// MaxBodyLength is the longest body, in characters, that Send accepts: ten concatenated SMS
// segments, the most that SNS and most gateways will split a message into.
const MaxBodyLength = 1600

// ErrPermanent is wrapped by every error that retrying cannot cure: a destination that is not
// E.164, a body that is empty or too long, a provider refusing the request as the client's
// fault (invalid parameter, opted-out number, authorization), a number outside the sandbox.
var ErrPermanent = errors.New("permanent SMS delivery failure")

// ErrSandbox is wrapped, together with ErrPermanent, when Sandbox refuses a destination that
// is not among its verified numbers. The domain maps it to CodeDeliveryFailureException.
var ErrSandbox = errors.New("destination phone number is not verified in the SMS sandbox")

// e164 is the shape of a phone number that every channel accepts: +, a country code that does
// not start with 0, and at most 15 digits in all.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// check refuses a Text that no provider could deliver, so that every channel fails the same
// way on it and none spends a request on it.
func check(t *Text) error {
	if t == nil {
		return fmt.Errorf("sms: %w: no message", ErrPermanent)
	}
	if !e164.MatchString(t.To) {
		// The destination may be any garbage from a stored attribute; say only what is wrong.
		return fmt.Errorf("sms: message %q: %w: destination is not an E.164 phone number (+ and 7 to 15 digits)",
			t.MessageID, ErrPermanent)
	}
	if t.Body == "" {
		return fmt.Errorf("sms: message %q: %w: empty body", t.MessageID, ErrPermanent)
	}
	if !utf8.ValidString(t.Body) {
		return fmt.Errorf("sms: message %q: %w: body is not valid UTF-8", t.MessageID, ErrPermanent)
	}
	if n := utf8.RuneCountInString(t.Body); n > MaxBodyLength {
		return fmt.Errorf("sms: message %q: %w: body has %d characters, more than %d",
			t.MessageID, ErrPermanent, n, MaxBodyLength)
	}
	return nil
}

// maskPhone hides all but the last four digits of an E.164 number the way Cognito's
// CodeDeliveryDetails does ("+********1234"), so that an error can say which number without
// logging it whole.
func maskPhone(to string) string {
	if len(to) < 5 {
		return "+********"
	}
	return "+********" + to[len(to)-4:]
}
