package userpool

import (
	"context"
	"errors"
	"net/netip"
	"time"
)

// securityMode is the pool's threat protection mode: OFF, AUDIT or ENFORCED.
func (p *Pool) securityMode() string {
	if a := p.Doc.UserPoolAddOns; a != nil && a.AdvancedSecurityMode != nil {
		return *a.AdvancedSecurityMode
	}
	return "OFF"
}

// riskConfiguration returns the configuration in force for a client: its own, else the pool's.
func (s *Service) riskConfiguration(ctx context.Context, p *Pool, clientID string) (*RiskConfigurationType, error) {
	r, err := s.store.GetRiskConfiguration(ctx, p.ID, clientID)
	if errors.Is(err, ErrNotFound) {
		r, err = s.store.GetRiskConfiguration(ctx, p.ID, "")
	}
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return r, err
}

// clientIP is the address a request is judged by: UserContextData.IpAddress only when AWS
// would trust it (threat protection on, a client with a secret, and
// EnablePropagateAdditionalUserContextData), else the address the request came from.
func clientIP(ctx context.Context, p *Pool, c *Client, ucd *UserContextDataType) string {
	if ucd != nil && ucd.IpAddress != nil && p.securityMode() != "OFF" &&
		deref(c.Doc.ClientSecret) != "" && deref(c.Doc.EnablePropagateAdditionalUserContextData) {
		return *ucd.IpAddress
	}
	return CallerFrom(ctx).SourceIP
}

func inRanges(ip string, ranges []string) bool {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	for _, r := range ranges {
		if pfx, err := netip.ParsePrefix(r); err == nil && pfx.Contains(addr.Unmap()) {
			return true
		}
	}
	return false
}

var errBlocked = notAuthorized("Request not allowed due to security reasons.")

// screen judges a request by the risk configuration: in ENFORCED mode a request from a
// BlockedIPRangeList range is refused. It answers the risk decision to record.
func (s *Service) screen(ctx context.Context, p *Pool, c *Client, ip string) (decision string, err error) {
	mode := p.securityMode()
	if mode == "OFF" {
		return "", nil
	}
	r, err := s.riskConfiguration(ctx, p, c.ID)
	if err != nil {
		return "", err
	}
	if r != nil && r.RiskExceptionConfiguration != nil {
		if inRanges(ip, r.RiskExceptionConfiguration.BlockedIPRangeList) {
			if mode == "ENFORCED" {
				return "Block", errBlocked
			}
			return "Block", nil
		}
	}
	return "NoRisk", nil
}

// authEvent is the auth event of a user's request, kept when threat protection is on (for
// AdminListUserAuthEvents) and written with the request's other writes; nil when it is off.
func (s *Service) authEvent(p *Pool, u *User, kind, response, decision, ip string, now time.Time) *UserEvent {
	if p.securityMode() == "OFF" || u == nil {
		return nil
	}
	id, err := s.newUUID()
	if err != nil {
		return nil
	}
	return &UserEvent{UserSub: u.Sub, Event: &AuthEventType{
		EventId: ptr(id), EventType: ptr(kind), CreationDate: At(now), EventResponse: ptr(response),
		EventRisk:          &EventRiskType{RiskDecision: ptr(decision), RiskLevel: ptr("Low"), CompromisedCredentialsDetected: ptr(false)},
		ChallengeResponses: []ChallengeResponseType{},
		EventContextData:   &EventContextDataType{IpAddress: ptr(ip)},
	}}
}

// recordEvent keeps an auth event of a request that writes nothing else. A failure to
// record is logged, not answered: the event is a record of the request, not part of it.
func (s *Service) recordEvent(ctx context.Context, p *Pool, u *User, kind, response, decision, ip string, now time.Time) {
	ev := s.authEvent(p, u, kind, response, decision, ip, now)
	if ev == nil {
		return
	}
	if err := s.store.AddAuthEvent(ctx, p.ID, ev.UserSub, ev.Event); err != nil {
		s.log.WarnContext(ctx, "auth event not recorded", "pool", p.ID, "type", kind, "error", err.Error())
	}
}
