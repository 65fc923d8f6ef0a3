package sms

import (
	"context"
	"errors"
	"fmt"
)

// Sandbox is AWS's SMS sandbox in miniature: it passes a Text to Next only when its
// destination is one of the Verified numbers, and refuses every other one the way SNS does in
// the sandbox, so that a development setup cannot text strangers. SNS's documented rule is
// "you can send SMS messages only to verified destination phone numbers"; AWS End User
// Messaging SMS, which SNS now sends through, names the refusal
// DESTINATION_PHONE_NUMBER_NOT_VERIFIED, and the error says both.
//
// A Sandbox is safe for concurrent use as long as nobody changes Verified meanwhile.
type Sandbox struct {
	// Next delivers the Texts that pass.
	Next Sender
	// Verified lists the destinations allowed, in E.164 form, compared exactly. AWS allows
	// ten; the list is scanned, so keep it short too.
	Verified []string
}

// Send checks t, refuses it with an error wrapping ErrSandbox and ErrPermanent when t.To is
// not verified, and otherwise returns Next.Send(ctx, t).
func (s *Sandbox) Send(ctx context.Context, t *Text) error {
	if err := check(t); err != nil {
		return err
	}
	for _, v := range s.Verified {
		if v == t.To {
			if s.Next == nil {
				return errors.New("sms: sandbox: no sender to pass verified messages to")
			}
			return s.Next.Send(ctx, t)
		}
	}
	return fmt.Errorf("sms: message %q: %w: %w: %s is not a verified destination phone number (DESTINATION_PHONE_NUMBER_NOT_VERIFIED); "+
		"in the SMS sandbox you can send SMS messages only to verified destination phone numbers",
		t.MessageID, ErrPermanent, ErrSandbox, maskPhone(t.To))
}
