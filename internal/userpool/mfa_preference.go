package userpool

// MFA preferences (SetUserMFAPreference, AdminSetUserMFAPreference, and the older
// SetUserSettings and AdminSetUserSettings).

// mfaPreference is what a preference request says of each factor (nil: nothing).
type mfaPreference struct {
	sms, totp, email *EmailMfaSettingsType
	webAuthn         *WebAuthnMfaSettingsType
}

// preferenceOf reads the members the two preference requests share.
func preferenceOf(sms *SMSMfaSettingsType, totp *SoftwareTokenMfaSettingsType, email *EmailMfaSettingsType, webAuthn *WebAuthnMfaSettingsType) mfaPreference {
	pref := mfaPreference{email: email, webAuthn: webAuthn}
	if sms != nil {
		pref.sms = &EmailMfaSettingsType{Enabled: sms.Enabled, PreferredMfa: sms.PreferredMfa}
	}
	if totp != nil {
		pref.totp = &EmailMfaSettingsType{Enabled: totp.Enabled, PreferredMfa: totp.PreferredMfa}
	}
	return pref
}

// apply sets the user's MFA preferences. A factor can be on only when the user has what it
// needs: a phone number for SMS, an email address for email, a verified software token
// for TOTP. A factor off is not preferred. Marking one factor preferred takes the mark off
// the others, as AWS does when an app switches the preferred factor with one member
// (Amplify's updateMFAPreference sends only the factor it changes); two marked preferred in
// one request are refused.
func (pref mfaPreference) apply(u *User) error {
	m := u.MFA
	marked := 0
	set := func(t *EmailMfaSettingsType, enabled, preferred *bool) {
		if t == nil {
			return
		}
		*enabled = deref(t.Enabled)
		*preferred = *enabled && deref(t.PreferredMfa)
		if *preferred {
			marked++
		}
	}
	if t := pref.sms; t != nil && deref(t.Enabled) {
		if _, ok := u.attr("phone_number"); !ok {
			return invalidParameter("User does not have delivery config set to turn on SMS_MFA")
		}
	}
	if t := pref.email; t != nil && deref(t.Enabled) {
		if _, ok := u.attr("email"); !ok {
			return invalidParameter("User does not have delivery config set to turn on EMAIL_OTP")
		}
	}
	if t := pref.totp; t != nil && deref(t.Enabled) && u.TOTP.Secret == nil {
		return invalidParameter("User has not verified software token mfa")
	}
	if pref.webAuthn != nil && deref(pref.webAuthn.Enabled) {
		return invalidParameter("WebAuthn MFA is not supported by cognate.")
	}
	set(pref.sms, &m.SMSEnabled, &m.SMSPreferred)
	set(pref.totp, &m.TOTPEnabled, &m.TOTPPreferred)
	set(pref.email, &m.EmailEnabled, &m.EmailPreferred)
	if marked > 1 {
		return invalidParameter("Only one MFA method can be preferred.")
	}
	if marked == 1 {
		// The one newly marked keeps its mark; the others lose theirs.
		keep := func(t *EmailMfaSettingsType, preferred *bool) {
			if t == nil || !deref(t.PreferredMfa) {
				*preferred = false
			}
		}
		keep(pref.sms, &m.SMSPreferred)
		keep(pref.totp, &m.TOTPPreferred)
		keep(pref.email, &m.EmailPreferred)
	}
	u.MFA = m
	return nil
}

// applyMFAOptions applies the older SetUserSettings form: MFAOptions naming SMS to the
// phone_number turns SMS MFA on (and preferred, as the one factor that form knows); an
// empty list turns it off. Only SMS to phone_number can be named ("SMS text message MFA
// is the only method these options set", API reference, MFAOptionType) [I: AWS's words for
// a refusal are not known].
func applyMFAOptions(u *User, options []MFAOptionType) error {
	on := false
	for _, o := range options {
		if deref(o.DeliveryMedium) != "SMS" || deref(o.AttributeName) != "phone_number" {
			return invalidParameter("MFAOptions can only set SMS text message MFA to the phone_number attribute.")
		}
		on = true
	}
	if on {
		if _, ok := u.attr("phone_number"); !ok {
			return invalidParameter("User does not have delivery config set to turn on SMS_MFA")
		}
	}
	u.MFA.SMSEnabled, u.MFA.SMSPreferred = on, on
	return nil
}

// mfaOptions is the older MFAOptions form of a user's settings, as AdminGetUser and
// GetUser answer it: SMS to the phone number when SMS MFA is on.
func (u *User) mfaOptions() []MFAOptionType {
	if !u.MFA.SMSEnabled {
		return nil
	}
	return []MFAOptionType{{DeliveryMedium: ptr("SMS"), AttributeName: ptr("phone_number")}}
}

// authFactors is what GetUserAuthFactors answers: the MFA settings and the first factors
// the user can sign in with through USER_AUTH (a password, and userauth_factors.go's).
func (u *User) authFactors(p *Pool) (preferred *string, mfa, configured []string) {
	preferred, mfa = u.MFA.describe()
	if u.PasswordHash != "" {
		configured = append(configured, "PASSWORD")
	}
	for _, f := range extraFirstFactors() {
		if f.configured(p, u) {
			configured = append(configured, f.name)
		}
	}
	return preferred, mfa, configured
}
