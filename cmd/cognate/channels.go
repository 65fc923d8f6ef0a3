package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"cognate/internal/email"
	"cognate/internal/sms"
	"cognate/internal/userpool"
)

// mailer adapts the SMTP channel to the domain's Sender port.
type mailer struct{ s *email.Sender }

func (m mailer) Send(ctx context.Context, msg *userpool.Message) error {
	err := m.s.Send(ctx, &email.Mail{
		MessageID: msg.MessageID, From: msg.From, ReplyTo: msg.ReplyTo, To: msg.Destination,
		Subject: msg.Subject, Text: msg.Body, HTML: msg.HTML, Date: msg.CreatedAt,
	})
	if errors.Is(err, email.ErrPermanent) {
		return fmt.Errorf("%w: %w", userpool.ErrUndeliverable, err)
	}
	return err
}

// texter adapts an SMS channel to the domain's Sender port.
type texter struct {
	s interface {
		Send(context.Context, *sms.Text) error
	}
}

func (t texter) Send(ctx context.Context, msg *userpool.Message) error {
	err := t.s.Send(ctx, &sms.Text{MessageID: msg.MessageID, To: msg.Destination, Body: msg.Body,
		PoolID: msg.UserPoolID, Username: msg.Username, TriggerSource: msg.TriggerSource})
	if errors.Is(err, sms.ErrPermanent) {
		return fmt.Errorf("%w: %w", userpool.ErrUndeliverable, err)
	}
	return err
}

// channels builds the email and SMS channels the configuration names; the zero Channel is
// the built-in inbox.
func channels(c *Config) (mail, text userpool.Channel, err error) {
	if c.SMTPURL != "" {
		s, err := email.New(email.Config{URL: c.SMTPURL, CAFile: c.SMTPCAFile, RequireTLS: c.SMTPRequireTLS, Timeout: c.SMTPTimeout})
		if err != nil {
			return mail, text, fmt.Errorf("--smtp-url: %w", err)
		}
		mail = userpool.Channel{Name: "smtp", Sender: mailer{s}}
	}
	var sender interface {
		Send(context.Context, *sms.Text) error
	}
	switch c.SMSProvider {
	case "", "inbox":
	case "sns":
		s, err := sms.NewSNS(sms.SNSConfig{Endpoint: c.SNSEndpoint, Region: c.SNSRegion, AccessKeyID: c.SNSAccessKeyID,
			SecretAccessKey: c.SNSSecretAccessKey, SenderID: c.SMSSenderID, Timeout: c.SMSTimeout})
		if err != nil {
			return mail, text, fmt.Errorf("--sms-provider sns: %w", err)
		}
		sender = s
	case "webhook":
		s, err := sms.NewWebhook(sms.WebhookConfig{URL: c.SMSWebhookURL, Secret: []byte(c.SMSWebhookSecret), Timeout: c.SMSTimeout})
		if err != nil {
			return mail, text, fmt.Errorf("--sms-provider webhook: %w", err)
		}
		sender = s
	default:
		return mail, text, fmt.Errorf("--sms-provider must be inbox, sns or webhook, not %q", c.SMSProvider)
	}
	if sender != nil {
		if c.SMSSandbox {
			var verified []string
			for _, n := range strings.Split(c.SMSVerifiedNumbers, ",") {
				if n = strings.TrimSpace(n); n != "" {
					verified = append(verified, n)
				}
			}
			sender = &sms.Sandbox{Next: sender, Verified: verified}
		}
		text = userpool.Channel{Name: c.SMSProvider, Sender: texter{sender}}
	}
	return mail, text, nil
}
