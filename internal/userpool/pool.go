package userpool

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
)

// poolSettings are the members CreateUserPool and UpdateUserPool share. UpdateUserPool
// resets every one it is not given to its default, as AWS documents ("If you don't provide a
// value for an attribute, Amazon Cognito sets it to its default value").
type poolSettings struct {
	Policies                    *UserPoolPolicyType
	DeletionProtection          *string
	LambdaConfig                *LambdaConfigType
	AutoVerifiedAttributes      []string
	SmsVerificationMessage      *string
	EmailVerificationMessage    *string
	EmailVerificationSubject    *string
	VerificationMessageTemplate *VerificationMessageTemplateType
	SmsAuthenticationMessage    *string
	UserAttributeUpdateSettings *UserAttributeUpdateSettingsType
	MfaConfiguration            *string
	DeviceConfiguration         *DeviceConfigurationType
	EmailConfiguration          *EmailConfigurationType
	SmsConfiguration            *SmsConfigurationType
	UserPoolTags                map[string]string
	AdminCreateUserConfig       *AdminCreateUserConfigType
	UserPoolAddOns              *UserPoolAddOnsType
	AccountRecoverySetting      *AccountRecoverySettingType
	UserPoolTier                *string
	KeyConfiguration            *KeyConfigurationType
	IssuerConfiguration         *IssuerConfigurationType
}

// check reports settings that the model's constraints cannot express.
func (ps *poolSettings) check() error {
	if r := ps.AccountRecoverySetting; r != nil {
		prios := map[int32]bool{}
		names := map[string]bool{}
		for _, m := range r.RecoveryMechanisms {
			if prios[deref(m.Priority)] || names[deref(m.Name)] {
				return invalidParameter("Duplicate priority or name in RecoveryMechanisms.")
			}
			prios[deref(m.Priority)] = true
			names[deref(m.Name)] = true
		}
		if names["admin_only"] && len(r.RecoveryMechanisms) > 1 {
			return invalidParameter("admin_only cannot be combined with other recovery mechanisms.")
		}
	}
	if len(ps.UserPoolTags) > maxPoolTags {
		return invalidParameter("A user pool can have at most %d tags.", maxPoolTags)
	}
	if pp := ps.Policies; pp != nil && pp.PasswordPolicy != nil {
		if n := pp.PasswordPolicy.MinimumLength; n != nil && (*n < 6 || *n > 99) {
			return invalidParameter("Password policy minimum length must be between 6 and 99.")
		}
	}
	for _, a := range ps.AutoVerifiedAttributes {
		if a != "email" && a != "phone_number" {
			return invalidParameter("Invalid AutoVerifiedAttributes: %s", a)
		}
	}
	if u := ps.UserAttributeUpdateSettings; u != nil {
		for _, a := range u.AttributesRequireVerificationBeforeUpdate {
			if !slices.Contains(ps.AutoVerifiedAttributes, a) {
				// AWS's words, as CreateUserPool and UpdateUserPool answer them (quoted in
				// Amplify CLI's source and in deployment scripts that met it).
				return invalidParameter("All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes")
			}
		}
	}
	return nil
}

// apply writes the settings into a pool description, with Cognito's defaults for those absent.
func (ps *poolSettings) apply(d *UserPoolType) {
	policies := &UserPoolPolicyType{}
	if ps.Policies != nil {
		*policies = *ps.Policies
	}
	if policies.PasswordPolicy == nil {
		policies.PasswordPolicy = defaultPasswordPolicy()
	} else {
		pp := *policies.PasswordPolicy
		if pp.MinimumLength == nil {
			pp.MinimumLength = ptr(int32(8))
		}
		for _, b := range []**bool{&pp.RequireUppercase, &pp.RequireLowercase, &pp.RequireNumbers, &pp.RequireSymbols} {
			if *b == nil {
				*b = ptr(false)
			}
		}
		if pp.TemporaryPasswordValidityDays == nil {
			pp.TemporaryPasswordValidityDays = ptr(int32(7))
		}
		policies.PasswordPolicy = &pp
	}
	if policies.SignInPolicy == nil {
		policies.SignInPolicy = &SignInPolicyType{AllowedFirstAuthFactors: []string{"PASSWORD"}}
	}
	d.Policies = policies
	d.DeletionProtection = or(ps.DeletionProtection, "INACTIVE")
	d.LambdaConfig = ps.LambdaConfig
	if d.LambdaConfig == nil {
		d.LambdaConfig = &LambdaConfigType{}
	}
	d.AutoVerifiedAttributes = ps.AutoVerifiedAttributes
	d.SmsVerificationMessage = ps.SmsVerificationMessage
	d.EmailVerificationMessage = ps.EmailVerificationMessage
	d.EmailVerificationSubject = ps.EmailVerificationSubject
	d.VerificationMessageTemplate = ps.VerificationMessageTemplate
	if d.VerificationMessageTemplate == nil {
		d.VerificationMessageTemplate = &VerificationMessageTemplateType{}
	}
	if d.VerificationMessageTemplate.DefaultEmailOption == nil {
		t := *d.VerificationMessageTemplate
		t.DefaultEmailOption = ptr("CONFIRM_WITH_CODE")
		d.VerificationMessageTemplate = &t
	}
	d.SmsAuthenticationMessage = ps.SmsAuthenticationMessage
	d.UserAttributeUpdateSettings = ps.UserAttributeUpdateSettings
	if d.UserAttributeUpdateSettings == nil {
		d.UserAttributeUpdateSettings = &UserAttributeUpdateSettingsType{AttributesRequireVerificationBeforeUpdate: []string{}}
	}
	d.MfaConfiguration = or(ps.MfaConfiguration, "OFF")
	d.DeviceConfiguration = ps.DeviceConfiguration
	d.EmailConfiguration = ps.EmailConfiguration
	if d.EmailConfiguration == nil {
		d.EmailConfiguration = &EmailConfigurationType{}
	}
	if d.EmailConfiguration.EmailSendingAccount == nil {
		e := *d.EmailConfiguration
		e.EmailSendingAccount = ptr("COGNITO_DEFAULT")
		d.EmailConfiguration = &e
	}
	d.SmsConfiguration = ps.SmsConfiguration
	d.UserPoolTags = ps.UserPoolTags
	acu := AdminCreateUserConfigType{}
	if ps.AdminCreateUserConfig != nil {
		acu = *ps.AdminCreateUserConfig
	}
	if acu.AllowAdminCreateUserOnly == nil {
		acu.AllowAdminCreateUserOnly = ptr(false)
	}
	if acu.UnusedAccountValidityDays == nil {
		acu.UnusedAccountValidityDays = ptr(int32(7))
	}
	d.AdminCreateUserConfig = &acu
	d.UserPoolAddOns = ps.UserPoolAddOns
	d.AccountRecoverySetting = ps.AccountRecoverySetting
	d.UserPoolTier = or(ps.UserPoolTier, "ESSENTIALS")
	d.KeyConfiguration = ps.KeyConfiguration
	d.IssuerConfiguration = ps.IssuerConfiguration
}

func or(p *string, def string) *string {
	if p == nil {
		return &def
	}
	return p
}

// loadPool reads a pool and answers ResourceNotFoundException when it does not exist, and
// refuses what the request's operation may not do in a secondary replica's Region.
func (s *Service) loadPool(ctx context.Context, id string) (*Pool, error) {
	p, err := s.store.GetPool(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, poolNotFound(id)
	} else if err != nil {
		return nil, err
	}
	if err := s.checkReplicaRegion(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// updatePool writes a changed pool back with the version it was read at; ErrConflict
// (for retryConflicts) when another write went first.
func (s *Service) updatePool(ctx context.Context, p *Pool) error {
	err := s.store.UpdatePool(ctx, p)
	if errors.Is(err, ErrNotFound) {
		return poolNotFound(p.ID)
	}
	return err
}

// caseSensitive reports whether the pool tells usernames apart by case. A pool created
// without UsernameConfiguration is case-sensitive, as AWS's API default has it.
func (p *Pool) caseSensitive() bool {
	u := p.Doc.UsernameConfiguration
	return u == nil || u.CaseSensitive == nil || *u.CaseSensitive
}

// userKey is the key a username is stored and looked up under in this pool.
func (p *Pool) userKey(username string) string {
	if p.caseSensitive() {
		return username
	}
	return strings.ToLower(username)
}

// pageToken makes an opaque pagination token of the last key a page returned.
func pageToken(key string) *string {
	return ptr(base64.RawURLEncoding.EncodeToString([]byte("v1:" + key)))
}

// pageAfter reads a pagination token back; an empty token starts at the beginning.
func pageAfter(token *string) (string, error) {
	if token == nil || *token == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*token)
	if err != nil || !strings.HasPrefix(string(b), "v1:") {
		return "", invalidParameter("Invalid pagination token.")
	}
	return strings.TrimPrefix(string(b), "v1:"), nil
}
