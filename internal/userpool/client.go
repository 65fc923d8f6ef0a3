package userpool

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
)

// clientSettings are the members CreateUserPoolClient and UpdateUserPoolClient share; as
// with pools, an update resets what it is not given to the default.
type clientSettings struct {
	ClientName                               *string
	RefreshTokenValidity                     *int32
	AccessTokenValidity                      *int32
	IdTokenValidity                          *int32
	TokenValidityUnits                       *TokenValidityUnitsType
	ReadAttributes                           []string
	WriteAttributes                          []string
	ExplicitAuthFlows                        []string
	SupportedIdentityProviders               []string
	CallbackURLs                             []string
	LogoutURLs                               []string
	DefaultRedirectURI                       *string
	AllowedOAuthFlows                        []string
	AllowedOAuthScopes                       []string
	AllowedOAuthFlowsUserPoolClient          *bool
	AnalyticsConfiguration                   *AnalyticsConfigurationType
	PreventUserExistenceErrors               *string
	EnableTokenRevocation                    *bool
	EnablePropagateAdditionalUserContextData *bool
	AuthSessionValidity                      *int32
	RefreshTokenRotation                     *RefreshTokenRotationType
}

var legacyAuthFlows = []string{"ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"}

func unitDuration(unit string, def time.Duration) time.Duration {
	switch unit {
	case "seconds":
		return time.Second
	case "minutes":
		return time.Minute
	case "hours":
		return time.Hour
	case "days":
		return 24 * time.Hour
	}
	return def
}

// validity is how long a token lives given its setting and unit, with the API's default unit.
func validity(v *int32, unit *string, defUnit time.Duration, def time.Duration) time.Duration {
	if v == nil || *v == 0 {
		return def
	}
	return time.Duration(*v) * unitDuration(deref(unit), defUnit)
}

func (cs *clientSettings) check(p *Pool) error {
	var legacy, modern bool
	for _, f := range cs.ExplicitAuthFlows {
		if slices.Contains(legacyAuthFlows, f) {
			legacy = true
		} else {
			modern = true
		}
	}
	if legacy && modern {
		return invalidParameter("ExplicitAuthFlows can not have both ALLOW_ prefixed and legacy values.")
	}
	u := cs.TokenValidityUnits
	if u == nil {
		u = &TokenValidityUnitsType{}
	}
	if d := validity(cs.AccessTokenValidity, u.AccessToken, time.Hour, time.Hour); d < 5*time.Minute || d > 24*time.Hour {
		return invalidParameter("Invalid range for token validity.")
	}
	if d := validity(cs.IdTokenValidity, u.IdToken, time.Hour, time.Hour); d < 5*time.Minute || d > 24*time.Hour {
		return invalidParameter("Invalid range for token validity.")
	}
	if d := validity(cs.RefreshTokenValidity, u.RefreshToken, 24*time.Hour, 30*24*time.Hour); d < time.Hour || d > 3650*24*time.Hour {
		return invalidParameter("Invalid range for token validity.")
	}
	// An attribute the pool does not have, in AWS's words for each list (a CloudFormation
	// linter quotes the read one; the write one is its twin, seen for other write problems).
	for _, l := range []struct {
		names []string
		which string
	}{{cs.ReadAttributes, "read"}, {cs.WriteAttributes, "write"}} {
		for _, a := range l.names {
			if _, ok := schemaAttribute(p, a); !ok {
				return invalidParameter("Invalid %s attributes specified while creating a client", l.which)
			}
		}
	}
	for _, a := range cs.WriteAttributes {
		if a == "sub" || a == "email_verified" || a == "phone_number_verified" || strings.HasPrefix(a, "dev:") {
			return invalidParameter("Invalid write attributes specified while creating a client")
		}
	}
	// Observed against AWS: every app client can write the pool's required attributes, so
	// WriteAttributes given without one of them is refused the same way.
	if len(cs.WriteAttributes) > 0 {
		for _, sa := range p.Doc.SchemaAttributes {
			if name := deref(sa.Name); deref(sa.Required) && name != "sub" && !slices.Contains(cs.WriteAttributes, name) {
				return invalidParameter("Invalid write attributes specified while creating a client")
			}
		}
	}
	if deref(cs.AllowedOAuthFlowsUserPoolClient) && len(cs.AllowedOAuthFlows) == 0 {
		return newError("InvalidOAuthFlowException", "AllowedOAuthFlows are required when AllowedOAuthFlowsUserPoolClient is true.")
	}
	return nil
}

func (cs *clientSettings) apply(d *UserPoolClientType) {
	d.ClientName = cs.ClientName
	d.RefreshTokenValidity = cs.RefreshTokenValidity
	if d.RefreshTokenValidity == nil || *d.RefreshTokenValidity == 0 {
		d.RefreshTokenValidity = ptr(int32(30))
	}
	d.AccessTokenValidity = cs.AccessTokenValidity
	d.IdTokenValidity = cs.IdTokenValidity
	d.TokenValidityUnits = cs.TokenValidityUnits
	if d.TokenValidityUnits == nil {
		d.TokenValidityUnits = &TokenValidityUnitsType{}
	}
	d.ReadAttributes = cs.ReadAttributes
	d.WriteAttributes = cs.WriteAttributes
	d.ExplicitAuthFlows = cs.ExplicitAuthFlows
	d.SupportedIdentityProviders = cs.SupportedIdentityProviders
	d.CallbackURLs = cs.CallbackURLs
	d.LogoutURLs = cs.LogoutURLs
	d.DefaultRedirectURI = cs.DefaultRedirectURI
	d.AllowedOAuthFlows = cs.AllowedOAuthFlows
	d.AllowedOAuthScopes = cs.AllowedOAuthScopes
	d.AllowedOAuthFlowsUserPoolClient = cs.AllowedOAuthFlowsUserPoolClient
	if d.AllowedOAuthFlowsUserPoolClient == nil {
		d.AllowedOAuthFlowsUserPoolClient = ptr(false)
	}
	d.AnalyticsConfiguration = cs.AnalyticsConfiguration
	d.PreventUserExistenceErrors = or(cs.PreventUserExistenceErrors, "LEGACY")
	d.EnableTokenRevocation = cs.EnableTokenRevocation
	if d.EnableTokenRevocation == nil {
		d.EnableTokenRevocation = ptr(true)
	}
	d.EnablePropagateAdditionalUserContextData = cs.EnablePropagateAdditionalUserContextData
	if d.EnablePropagateAdditionalUserContextData == nil {
		d.EnablePropagateAdditionalUserContextData = ptr(false)
	}
	d.AuthSessionValidity = cs.AuthSessionValidity
	if d.AuthSessionValidity == nil {
		d.AuthSessionValidity = ptr(int32(3))
	}
	d.RefreshTokenRotation = cs.RefreshTokenRotation
}

// loadClient reads a pool's client, answering ResourceNotFoundException for either missing.
func (s *Service) loadClient(ctx context.Context, poolID, clientID string) (*Pool, *Client, error) {
	p, err := s.loadPool(ctx, poolID)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.store.GetClient(ctx, poolID, clientID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, clientNotFound(clientID)
	}
	return p, c, err
}
