package userpool

import (
	"context"
	"slices"
	"time"
)

// Recovery limits (ARCHITECTURE.md "Limits"): per user per rolling hour.
const (
	recoveryRequestLimit = 5 // ForgotPassword requests
	recoveryGuessLimit   = 5 // ConfirmForgotPassword attempts: the sixth is refused, right code or not
	recoveryWindow       = time.Hour
)

// Attempt kinds of the recovery counters.
const (
	kindRecoveryRequest = "recovery-request"
	kindRecoveryGuess   = "recovery-guess"
)

// recoveryDestination picks where a recovery code goes (spec §2.3): by the pool's
// AccountRecoverySetting priorities, or, without one, a verified phone number first and then
// a verified email. With a setting, a user with SMS MFA can't recover by SMS, nor one with
// email MFA by email. adminOnly reports a pool that allows no self-service recovery.
func recoveryDestination(p *Pool, u *User) (attr string, adminOnly bool) {
	setting := p.Doc.AccountRecoverySetting
	mechs := []string{"verified_phone_number", "verified_email"}
	if setting != nil && len(setting.RecoveryMechanisms) > 0 {
		opts := slices.Clone(setting.RecoveryMechanisms)
		slices.SortFunc(opts, func(a, b RecoveryOptionType) int { return int(deref(a.Priority)) - int(deref(b.Priority)) })
		mechs = mechs[:0]
		for _, o := range opts {
			mechs = append(mechs, deref(o.Name))
		}
	}
	for _, m := range mechs {
		switch m {
		case "admin_only":
			return "", true
		case "verified_email":
			if _, ok := u.attr("email"); ok && u.verified("email") && !(setting != nil && u.MFA.EmailEnabled) {
				return "email", false
			}
		case "verified_phone_number":
			if _, ok := u.attr("phone_number"); ok && u.verified("phone_number") && !(setting != nil && u.MFA.SMSEnabled) {
				return "phone_number", false
			}
		}
	}
	return "", false
}

// recoverySubject is whom recovery counters count: the user when there is one (whatever
// name was typed for it), else the name. With PreventUserExistenceErrors, names that are no
// users keep counters of their own, so that later calls answer as for a real user with the
// same history.
func (p *Pool) recoverySubject(u *User, typed string) string {
	if u != nil {
		return u.Sub
	}
	return "shadow:" + p.userKey(typed)
}

// sendRecoveryCode issues a recovery code (the newest wins) and sends it to attr, with what
// is counts and records in the same transaction. clientID and metadata are the request's
// app client ("" for an administrator's) and ClientMetadata.
func (s *Service) sendRecoveryCode(ctx context.Context, p *Pool, u *User, attr, clientID string, metadata map[string]string, now time.Time, is *issue) (*CodeDeliveryDetailsType, error) {
	to, _ := u.attr(attr)
	return s.deliverCode(ctx, p, delivery{user: u, purpose: purposeRecovery, ttl: recoveryCodeTTL, kind: recoveryMessage,
		attr: attr, to: to, source: "ForgotPassword", clientID: clientID, metadata: metadata, is: is}, now)
}

// requestLimit is the limit of recovery requests a subject may make in a window.
func requestLimit(subject string) *Limit {
	return &Limit{Subject: subject, Kind: kindRecoveryRequest, Window: recoveryWindow, Max: recoveryRequestLimit}
}

// recoveryCounters are what a successful reset clears: the recovery counters and the
// sign-in lockout.
func recoveryCounters(sub string) []Counter {
	return []Counter{{sub, kindRecoveryGuess}, {sub, kindRecoveryRequest}, {sub, "signin"}}
}

// keepsSessionsOnReset reports whether a pool keeps its users' refresh tokens alive after a
// password reset, as AWS does. cognate's default ends them (a deliberate divergence, since a
// reset usually means someone else may hold the old password); the pool tag
// "cognate:KeepSessionsOnReset" = "true" switches back to AWS's behaviour.
func (p *Pool) keepsSessionsOnReset() bool {
	return p.Doc.UserPoolTags["cognate:KeepSessionsOnReset"] == "true"
}

// recoveryCall is what both recovery operations establish first, in spec §1.3's order: the
// app client and its pool (with the SecretHash checked), the time, and the caller's address
// as threat protection judges it (refused when blocked).
type recoveryCall struct {
	pool     *Pool
	client   *Client
	now      time.Time
	ip       string
	decision string
}

func (s *Service) recoveryCall(ctx context.Context, clientID string, hash *string, typed string, ucd *UserContextDataType) (*recoveryCall, error) {
	p, c, err := s.publicClient(ctx, clientID, hash, false, typed)
	if err != nil {
		return nil, err
	}
	r := &recoveryCall{pool: p, client: c, now: s.clock(), ip: clientIP(ctx, p, c, ucd)}
	if r.decision, err = s.screen(ctx, p, c, r.ip); err != nil {
		return nil, err
	}
	return r, nil
}
