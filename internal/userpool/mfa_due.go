package userpool

import (
	"context"
	"slices"
	"time"
)

// mfaPlan is the MFA step a sign-in owes: one of factors (the challenge of the one, or
// SELECT_MFA_TYPE among several), or, when setup is set, MFA_SETUP offering those factors
// to set up.
type mfaPlan struct {
	factors []string
	setup   []string
}

// mfaDue decides whether a sign-in whose first factor has passed owes an MFA step, and
// which. It is the one place that decision is made, so that what may waive the step
// (a remembered device, for one) is added here and holds for every flow.
//
//   - A pool with MFA OFF asks for none.
//   - A user with factors on that the pool has on answers its preferred one, the only
//     one, or chooses among them (SELECT_MFA_TYPE).
//   - OPTIONAL asks nothing of a user without such a factor.
//   - ON asks a user without one for the factors its attributes allow (SMS to its
//     phone_number, email to its email) [I: AWS sends SMS MFA to a phone number without a
//     preference set on pools that require MFA; email is taken to work alike], and
//     otherwise to set up a software token (MFA_SETUP); with neither possible it refuses
//     with MFAMethodNotFoundException.
func (s *Service) mfaDue(ctx context.Context, p *Pool, u *User, now time.Time) (*mfaPlan, error) {
	mode := p.mfaMode()
	if mode == mfaOff {
		return nil, nil
	}
	enabled, preferred := u.mfaFactors(p)
	switch {
	case preferred != "":
		return &mfaPlan{factors: []string{preferred}}, nil
	case len(enabled) > 0:
		return &mfaPlan{factors: enabled}, nil
	case mode != mfaOn:
		return nil, nil
	}
	var implicit []string
	if _, ok := u.attr("phone_number"); ok && p.factorOn(factorSMS) {
		implicit = append(implicit, factorSMS)
	}
	if _, ok := u.attr("email"); ok && p.factorOn(factorEmail) {
		implicit = append(implicit, factorEmail)
	}
	if len(implicit) > 0 {
		return &mfaPlan{factors: implicit}, nil
	}
	if p.factorOn(factorTOTP) {
		return &mfaPlan{setup: []string{factorTOTP}}, nil
	}
	return nil, newError("MFAMethodNotFoundException", "No MFA method is available for the user: it has no phone number or email address for the pool's MFA factors.")
}

// mfaFactors lists the user's MFA factors that are on, that the pool has on and that the
// user has the means for, and the preferred one among them ("" for none).
func (u *User) mfaFactors(p *Pool) (enabled []string, preferred string) {
	_, phone := u.attr("phone_number")
	_, email := u.attr("email")
	for _, f := range []struct {
		name           string
		on, pref, have bool
	}{
		{factorTOTP, u.MFA.TOTPEnabled, u.MFA.TOTPPreferred, u.TOTP.Secret != nil},
		{factorSMS, u.MFA.SMSEnabled, u.MFA.SMSPreferred, phone},
		{factorEmail, u.MFA.EmailEnabled, u.MFA.EmailPreferred, email},
	} {
		if f.on && f.have && p.factorOn(f.name) {
			enabled = append(enabled, f.name)
			if f.pref {
				preferred = f.name
			}
		}
	}
	return enabled, preferred
}

// mfaChoice reports whether factor is one a user may answer an MFA step with now.
func (u *User) mfaChoice(ctx context.Context, s *Service, p *Pool, factor string, now time.Time) (bool, error) {
	plan, err := s.mfaDue(ctx, p, u, now)
	if err != nil || plan == nil {
		return false, err
	}
	return slices.Contains(plan.factors, factor), nil
}
