package sms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/aws/smithy-go"
)

// DefaultTimeout bounds one Send when a config's Timeout is zero.
const DefaultTimeout = 10 * time.Second

// SMS types that SNS knows; SNSConfig.SMSType must be one of them.
const (
	// SMSTypeTransactional is for critical messages such as one-time codes: SNS optimises it
	// for reliability. It is the default.
	SMSTypeTransactional = "Transactional"
	// SMSTypePromotional is for non-critical messages: SNS optimises it for cost.
	SMSTypePromotional = "Promotional"
)

// SNSConfig says how to reach SNS.
type SNSConfig struct {
	// Endpoint is the base URL of an SNS-compatible service (http:// or https://); empty
	// means AWS's endpoint for Region.
	Endpoint string
	// Region is the AWS region to sign for and, without Endpoint, to send to. Required.
	Region string
	// AccessKeyID, SecretAccessKey and the optional SessionToken are static credentials.
	// They are required unless Credentials is set.
	AccessKeyID, SecretAccessKey, SessionToken string
	// Credentials, when set, supplies credentials instead of the static keys; cmd/cognate may
	// pass the SDK's default chain here (instance roles, SSO) without this package reading
	// the environment itself.
	Credentials aws.CredentialsProvider
	// SenderID is the optional alphanumeric sender ID (1–11 letters and digits, at least one
	// letter) shown on phones in the countries that support it.
	SenderID string
	// SMSType is SMSTypeTransactional (empty means that) or SMSTypePromotional.
	SMSType string
	// Timeout bounds one Send; zero means DefaultTimeout.
	Timeout time.Duration
}

// String describes c without its secret key or session token, so that a logged SNSConfig
// leaks nothing.
func (c SNSConfig) String() string {
	return fmt.Sprintf("sms.SNSConfig{Endpoint: %q, Region: %q, AccessKeyID: %q, SecretAccessKey: %s, SessionToken: %s, SenderID: %q, SMSType: %q, Timeout: %s}",
		c.Endpoint, c.Region, c.AccessKeyID, redacted(c.SecretAccessKey), redacted(c.SessionToken), c.SenderID, c.SMSType, c.Timeout)
}

// LogValue logs c without its secret key or session token.
func (c SNSConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("endpoint", c.Endpoint),
		slog.String("region", c.Region),
		slog.String("access_key_id", c.AccessKeyID),
		slog.String("secret_access_key", redacted(c.SecretAccessKey)),
		slog.String("session_token", redacted(c.SessionToken)),
		slog.Bool("credentials_provider", c.Credentials != nil),
		slog.String("sender_id", c.SenderID),
		slog.String("sms_type", c.SMSType),
		slog.Duration("timeout", c.Timeout),
	)
}

// redacted stands in for a secret in logs: it says whether one is set, nothing more.
func redacted(secret string) string {
	if secret == "" {
		return `""`
	}
	return "[REDACTED]"
}

// senderID is AWS's rule for alphanumeric sender IDs.
var senderID = regexp.MustCompile(`^[A-Za-z0-9]{1,11}$`)

// senderIDLetter checks the other half of the rule: an all-digit ID would pass for a number.
var senderIDLetter = regexp.MustCompile(`[A-Za-z]`)

// SNS sends Texts with the SNS Publish API. Build it with NewSNS.
type SNS struct {
	client   *sns.Client
	smsType  string
	senderID string
	timeout  time.Duration
}

// NewSNS checks cfg and returns an SNS. It does not call AWS: an unreachable endpoint is the
// dispatcher's problem, not a reason to refuse to start.
//
// The SDK's own retries are off: the outbox dispatcher retries with leases and backoff, and
// retries inside one Send would only stretch it past its lease.
func NewSNS(cfg SNSConfig) (*SNS, error) {
	if cfg.Region == "" {
		return nil, errors.New("sms: SNS: no region")
	}
	var endpoint *string
	if cfg.Endpoint != "" {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			return nil, fmt.Errorf("sms: SNS: endpoint %q: want http:// or https:// with a host and no user", cfg.Endpoint)
		}
		endpoint = aws.String(cfg.Endpoint)
	}
	creds := cfg.Credentials
	if creds == nil {
		if cfg.AccessKeyID == "" || cfg.SecretAccessKey == "" {
			return nil, errors.New("sms: SNS: need an access key ID and a secret access key, or a credentials provider")
		}
		static := aws.Credentials{
			AccessKeyID:     cfg.AccessKeyID,
			SecretAccessKey: cfg.SecretAccessKey,
			SessionToken:    cfg.SessionToken,
			Source:          "cognate SNSConfig",
		}
		creds = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return static, nil })
	}
	s := &SNS{smsType: cfg.SMSType, senderID: cfg.SenderID, timeout: cfg.Timeout}
	switch s.smsType {
	case "":
		s.smsType = SMSTypeTransactional
	case SMSTypeTransactional, SMSTypePromotional:
	default:
		return nil, fmt.Errorf("sms: SNS: SMS type %q: want %s or %s", cfg.SMSType, SMSTypeTransactional, SMSTypePromotional)
	}
	if s.senderID != "" && (!senderID.MatchString(s.senderID) || !senderIDLetter.MatchString(s.senderID)) {
		return nil, fmt.Errorf("sms: SNS: sender ID %q: want 1 to 11 letters and digits, at least one letter", cfg.SenderID)
	}
	if s.timeout < 0 {
		return nil, fmt.Errorf("sms: SNS: negative timeout %s", cfg.Timeout)
	}
	if s.timeout == 0 {
		s.timeout = DefaultTimeout
	}
	s.client = sns.New(sns.Options{
		Region:       cfg.Region,
		BaseEndpoint: endpoint,
		Credentials:  creds,
		Retryer:      aws.NopRetryer{},
	})
	return s, nil
}

// Send publishes t to its phone number. Errors wrap ErrPermanent when SNS refuses the request
// as the caller's fault (InvalidParameter, ParameterValueInvalid, OptedOut, AuthorizationError
// and other 4xx answers); throttling, 5xx answers, timeouts and network failures are transient.
func (s *SNS) Send(ctx context.Context, t *Text) error {
	if err := check(t); err != nil {
		return err
	}
	attrs := map[string]types.MessageAttributeValue{
		"AWS.SNS.SMS.SMSType": {DataType: aws.String("String"), StringValue: aws.String(s.smsType)},
	}
	if s.senderID != "" {
		attrs["AWS.SNS.SMS.SenderID"] = types.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(s.senderID)}
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	_, err := s.client.Publish(ctx, &sns.PublishInput{
		PhoneNumber:       aws.String(t.To),
		Message:           aws.String(t.Body),
		MessageAttributes: attrs,
	})
	if err == nil {
		return nil
	}
	// The SDK's error names the operation, the HTTP status, the request ID and SNS's code and
	// message; none of them echoes the request body.
	if snsPermanent(err) {
		return fmt.Errorf("sms: SNS Publish of message %q: %w: %w", t.MessageID, ErrPermanent, err)
	}
	return fmt.Errorf("sms: SNS Publish of message %q: %w", t.MessageID, err)
}

// snsTransientCodes are error codes that may succeed later whatever their HTTP status: SNS
// answers throttling with 400, and a skewed clock is corrected from the answer's Date header
// before the next attempt.
var snsTransientCodes = map[string]bool{
	"Throttling":                true,
	"ThrottlingException":       true,
	"Throttled":                 true,
	"ThrottledException":        true,
	"RequestThrottled":          true,
	"RequestThrottledException": true,
	"RequestLimitExceeded":      true,
	"TooManyRequestsException":  true,
	"KMSThrottling":             true,
	"InternalError":             true,
	"InternalFailure":           true,
	"ServiceUnavailable":        true,
	"RequestTimeout":            true,
	"RequestTimeoutException":   true,
	"RequestExpired":            true,
	"RequestTimeTooSkewed":      true,
	"RequestInTheFuture":        true,
}

// snsPermanentCodes are the client faults that Publish documents, plus the signing and
// credential errors every AWS service shares; the same request fails the same way again.
var snsPermanentCodes = map[string]bool{
	"InvalidParameter":            true,
	"ParameterValueInvalid":       true, // types.InvalidParameterValueException
	"InvalidParameterValue":       true,
	"OptedOut":                    true,
	"AuthorizationError":          true,
	"EndpointDisabled":            true,
	"NotFound":                    true,
	"InvalidSecurity":             true,
	"ValidationException":         true,
	"ValidationError":             true,
	"KMSAccessDenied":             true,
	"KMSDisabled":                 true,
	"KMSInvalidState":             true,
	"KMSNotFound":                 true,
	"KMSOptInRequired":            true,
	"InvalidClientTokenId":        true,
	"SignatureDoesNotMatch":       true,
	"IncompleteSignature":         true,
	"MissingAuthenticationToken":  true,
	"UnrecognizedClientException": true,
	"AccessDenied":                true,
	"AccessDeniedException":       true,
	"ExpiredToken":                true,
}

// snsPermanent reports whether err, from Publish, will recur on a retry: first by SNS's error
// code, then by HTTP status (408 and 429 transient, other 4xx permanent, 5xx transient), then
// by the fault the SDK's model gives the error. Anything without an answer from SNS (timeout,
// refused connection, cancelled context) is transient.
func snsPermanent(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false
	}
	var apiErr smithy.APIError
	hasAPI := errors.As(err, &apiErr)
	if hasAPI {
		code := apiErr.ErrorCode()
		if snsTransientCodes[code] {
			return false
		}
		if snsPermanentCodes[code] {
			return true
		}
	}
	var withStatus interface{ HTTPStatusCode() int }
	if errors.As(err, &withStatus) {
		switch status := withStatus.HTTPStatusCode(); {
		case status == 408 || status == 429:
			return false
		case status >= 400 && status < 500:
			return true
		case status >= 500:
			return false
		}
	}
	return hasAPI && apiErr.ErrorFault() == smithy.FaultClient
}
