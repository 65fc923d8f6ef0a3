package userpool

// A pool's MFA configuration (SetUserPoolMfaConfig, GetUserPoolMfaConfig), and how
// CreateUserPool and UpdateUserPool keep it consistent with DescribeUserPool.
//
// MfaConfiguration, SmsAuthenticationMessage and SmsConfiguration live in the pool's
// description, where DescribeUserPool shows them; what DescribeUserPool has no member for
// (whether SMS MFA is on, the software token and email MFA settings and the passkey
// configuration) lives in Pool.MFA.

// PoolMFA is the part of a pool's MFA configuration its description has no member for.
type PoolMFA struct {
	// SMS reports whether SMS text messages are an MFA factor of the pool; their template
	// and sending configuration are the description's SmsAuthenticationMessage and
	// SmsConfiguration.
	SMS bool `json:"sms,omitempty"`
	// SoftwareToken, Email and WebAuthn are as SetUserPoolMfaConfig last set them.
	SoftwareToken *SoftwareTokenMfaConfigType `json:"softwareToken,omitzero"`
	Email         *EmailMfaConfigType         `json:"email,omitzero"`
	WebAuthn      *WebAuthnConfigurationType  `json:"webAuthn,omitzero"`
}

// The pool's MfaConfiguration values.
const (
	mfaOff      = "OFF"
	mfaOn       = "ON"
	mfaOptional = "OPTIONAL"
)

// MFA factor names as challenges and UserMFASettingList name them.
const (
	factorSMS   = "SMS_MFA"
	factorTOTP  = "SOFTWARE_TOKEN_MFA"
	factorEmail = "EMAIL_OTP"
)

// AWS's refusals of SetUserPoolMfaConfig, as observed (aws/aws-sdk-js#4186;
// go-to-k/cdkd#1923, calls to a real pool; floci-io/floci#2831).
var (
	errMFANoFactor     = invalidParameter("Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.")
	errMFAOffWithOne   = invalidParameter("Invalid MFA configuration given, can't turn off MFA and configure an MFA together.")
	errMFASMSNoCaller  = invalidParameter("Invalid SMS MFA configuration given, external id and a valid caller arn are required")
	errMFAPoolNoFactor = invalidParameter("SMS configuration and Auto verification for phone_number are required when MFA is required/optional")
)

// mode is the pool's MfaConfiguration.
func (p *Pool) mfaMode() string {
	if m := deref(p.Doc.MfaConfiguration); m != "" {
		return m
	}
	return mfaOff
}

// factorOn reports whether a factor is one of the pool's MFA factors.
func (p *Pool) factorOn(factor string) bool {
	if p.mfaMode() == mfaOff {
		return false
	}
	switch factor {
	case factorSMS:
		return p.MFA.SMS && p.Doc.SmsConfiguration != nil
	case factorTOTP:
		return p.MFA.SoftwareToken != nil && deref(p.MFA.SoftwareToken.Enabled)
	case factorEmail:
		return p.MFA.Email != nil
	}
	return false
}

// anyFactorOn reports whether the pool has an MFA factor on.
func (p *Pool) anyFactorOn() bool {
	return p.factorOn(factorSMS) || p.factorOn(factorTOTP) || p.factorOn(factorEmail)
}

// mfaConfig is the pool's MFA configuration as GetUserPoolMfaConfig answers it.
func (p *Pool) mfaConfig() *GetUserPoolMfaConfigResponse {
	out := &GetUserPoolMfaConfigResponse{MfaConfiguration: ptr(p.mfaMode()),
		SoftwareTokenMfaConfiguration: p.MFA.SoftwareToken, EmailMfaConfiguration: p.MFA.Email,
		WebAuthnConfiguration: p.MFA.WebAuthn}
	if p.MFA.SMS {
		out.SmsMfaConfiguration = &SmsMfaConfigType{SmsAuthenticationMessage: p.Doc.SmsAuthenticationMessage,
			SmsConfiguration: p.Doc.SmsConfiguration}
	}
	return out
}

// settleMFA keeps Pool.MFA consistent with what CreateUserPool or UpdateUserPool just set
// in the description: MFA off turns every factor off (the passkey configuration, which
// is no MFA factor, stays); a pool that requires MFA with no factor on gets SMS when it has
// an SMS configuration (CreateUserPool can turn on no other factor), and is refused with
// AWS's words otherwise (aws/aws-cdk#12075, aws/aws-cdk#32615: CreateUserPool's refusal).
// AWS's message also names phone_number auto-verification, which is not required here:
// where evidence is thin, cognate accepts what AWS might.
func (p *Pool) settleMFA() error {
	if p.mfaMode() == mfaOff {
		p.MFA = PoolMFA{WebAuthn: p.MFA.WebAuthn}
		return nil
	}
	if p.Doc.SmsConfiguration == nil {
		p.MFA.SMS = false
	}
	if !p.anyFactorOn() {
		if p.Doc.SmsConfiguration == nil {
			return errMFAPoolNoFactor
		}
		p.MFA.SMS = true
	}
	return nil
}

// setMFAConfig applies a SetUserPoolMfaConfig request to the pool, with AWS's rules:
// members left out turn their factor off (aws/aws-sdk-js#4186: MfaConfiguration alone on a
// pool with SMS MFA is refused for having no factor), except WebAuthnConfiguration, which
// is "independent of the MFA configuration options" (API reference) and stays; OFF with a
// factor configured is refused, ON or OPTIONAL without one too. MfaConfiguration left
// out keeps the pool's. Email MFA needs a pool on the Essentials tier or higher (API
// reference, EmailMfaConfiguration) that sends email with Amazon SES (aws/aws-cdk#31816;
// hashicorp/terraform-provider-aws#41049); AWS's words for those refusals are not known.
func (p *Pool) setMFAConfig(in *SetUserPoolMfaConfigRequest) error {
	mode := p.mfaMode()
	if in.MfaConfiguration != nil {
		mode = *in.MfaConfiguration
	}
	totp := in.SoftwareTokenMfaConfiguration != nil && deref(in.SoftwareTokenMfaConfiguration.Enabled)
	sms := in.SmsMfaConfiguration
	if sms != nil {
		cfg := sms.SmsConfiguration
		if cfg == nil {
			cfg = p.Doc.SmsConfiguration
		}
		if cfg == nil || deref(cfg.SnsCallerArn) == "" {
			return errMFASMSNoCaller
		}
	}
	configured := totp || sms != nil || in.EmailMfaConfiguration != nil
	switch {
	case mode == mfaOff && configured:
		return errMFAOffWithOne
	case mode != mfaOff && !configured:
		return errMFANoFactor
	}
	if e := in.EmailMfaConfiguration; e != nil {
		if tier := deref(p.Doc.UserPoolTier); tier == "LITE" {
			return newError("FeatureUnavailableInTierException", "Email MFA requires the user pool to be on the Essentials tier or higher.")
		}
		if ec := p.Doc.EmailConfiguration; ec == nil || deref(ec.EmailSendingAccount) != "DEVELOPER" {
			return invalidParameter("Email MFA requires the user pool to send email with Amazon SES (EmailSendingAccount DEVELOPER).")
		}
	}
	p.Doc.MfaConfiguration = ptr(mode)
	if sms != nil {
		p.Doc.SmsAuthenticationMessage = sms.SmsAuthenticationMessage
		if sms.SmsConfiguration != nil {
			p.Doc.SmsConfiguration = sms.SmsConfiguration
		}
	}
	webAuthn := p.MFA.WebAuthn
	if in.WebAuthnConfiguration != nil {
		webAuthn = in.WebAuthnConfiguration
	}
	p.MFA = PoolMFA{SMS: sms != nil, SoftwareToken: in.SoftwareTokenMfaConfiguration, Email: in.EmailMfaConfiguration, WebAuthn: webAuthn}
	return nil
}

// totpAllowed reports whether users of the pool may register a software token.
func (p *Pool) totpAllowed() bool { return p.factorOn(factorTOTP) }
