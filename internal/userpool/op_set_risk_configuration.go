package userpool

import (
	"context"
	"errors"
	"net/netip"
)

// SetRiskConfiguration sets the threat protection configuration of a pool, or of one of its
// app clients (which then overrides the pool's).
func (s *Service) SetRiskConfiguration(ctx context.Context, in *SetRiskConfigurationRequest) (*SetRiskConfigurationResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	if in.ClientId != nil {
		if _, _, err := s.loadClient(ctx, p.ID, *in.ClientId); err != nil {
			return nil, err
		}
	}
	if e := in.RiskExceptionConfiguration; e != nil {
		for _, r := range append(append([]string{}, e.BlockedIPRangeList...), e.SkippedIPRangeList...) {
			if _, err := netip.ParsePrefix(r); err != nil {
				return nil, invalidParameter("Invalid CIDR block: %s", r)
			}
		}
	}
	if in.AccountTakeoverRiskConfiguration != nil && in.AccountTakeoverRiskConfiguration.NotifyConfiguration != nil &&
		in.AccountTakeoverRiskConfiguration.NotifyConfiguration.SourceArn == nil {
		return nil, invalidParameter("SourceArn is required in NotifyConfiguration.")
	}
	r := &RiskConfigurationType{
		UserPoolId: ptr(p.ID), ClientId: in.ClientId,
		CompromisedCredentialsRiskConfiguration: in.CompromisedCredentialsRiskConfiguration,
		AccountTakeoverRiskConfiguration:        in.AccountTakeoverRiskConfiguration,
		RiskExceptionConfiguration:              in.RiskExceptionConfiguration,
		LastModifiedDate:                        At(s.clock()),
	}
	if err := s.store.PutRiskConfiguration(ctx, r); errors.Is(err, ErrNotFound) {
		return nil, poolNotFound(p.ID)
	} else if err != nil {
		return nil, err
	}
	return &SetRiskConfigurationResponse{RiskConfiguration: r}, nil
}
