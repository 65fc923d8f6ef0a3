package userpool

import (
	"context"
	"slices"
	"strings"
)

// tokenEvent is why tokens are being minted, for the PreTokenGeneration trigger: its
// source (TokenGeneration_Authentication, _NewPasswordChallenge, _RefreshTokens,
// _HostedAuth) and the request's ClientMetadata.
type tokenEvent struct {
	source   string
	metadata map[string]string
}

// tokenOverrides are what a PreTokenGeneration function changed: nil members change nothing.
type tokenOverrides struct {
	groups         []string // replaces cognito:groups in both tokens, when set
	groupsSet      bool
	idAdd          map[string]any
	idSuppress     []string
	accessAdd      map[string]any
	accessSuppress []string
	scopesAdd      []string
	scopesSuppress []string
}

// claimsDetails is a V1 answer's claimsOverrideDetails, and a V2/V3 answer's
// idTokenGeneration / accessTokenGeneration (DG user-pool-lambda-pre-token-generation).
type claimsDetails struct {
	ClaimsToAddOrOverride map[string]any `json:"claimsToAddOrOverride"`
	ClaimsToSuppress      []string       `json:"claimsToSuppress"`
	ScopesToAdd           []string       `json:"scopesToAdd"`
	ScopesToSuppress      []string       `json:"scopesToSuppress"`
}

type groupOverride struct {
	GroupsToOverride   *[]string `json:"groupsToOverride"`
	IAMRolesToOverride []string  `json:"iamRolesToOverride"`
	PreferredRole      *string   `json:"preferredRole"`
}

// preTokenAnswer is what the function answers, in either version's shape.
type preTokenAnswer struct {
	// V1_0
	ClaimsOverrideDetails *struct {
		claimsDetails        `json:",inline"`
		GroupOverrideDetails *groupOverride `json:"groupOverrideDetails"`
	} `json:"claimsOverrideDetails"`
	// V2_0, V3_0
	ClaimsAndScopeOverrideDetails *struct {
		IDTokenGeneration     *claimsDetails `json:"idTokenGeneration"`
		AccessTokenGeneration *claimsDetails `json:"accessTokenGeneration"`
		GroupOverrideDetails  *groupOverride `json:"groupOverrideDetails"`
	} `json:"claimsAndScopeOverrideDetails"`
}

// protectedClaims are the claims a PreTokenGeneration function cannot add, change or
// suppress (DG pre-token-generation, "claims you can't modify"); cognate ignores such
// changes [I: whether AWS refuses them or drops them is not recorded in the spec].
var protectedClaims = []string{"acr", "amr", "aud", "at_hash", "auth_time", "azp", "c_hash", "exp", "iat", "identities",
	"iss", "jti", "nbf", "nonce", "origin_jti", "sub", "token_use", "client_id", "event_id", "scope", "username",
	"cognito:username", "cognito:groups", "cognito:roles", "cognito:preferred_role"}

// preTokenGeneration runs the pool's PreTokenGeneration function before tokens are minted,
// in the event version its LambdaConfig names: V1_0 (ID-token claims, groups) or V2_0 /
// V3_0 (also access-token claims and scopes). The event holds the user's attributes, the
// groups the tokens would carry and, from V2_0, the access token's scopes.
func (s *Service) preTokenGeneration(ctx context.Context, p *Pool, c *Client, u *User, groups, scopes []string, te tokenEvent) (*tokenOverrides, error) {
	_, version := function(p, trigPreTokenGeneration)
	eventVersion := map[string]string{"V1_0": "1", "V2_0": "2", "V3_0": "3"}[version]
	if eventVersion == "" {
		return nil, newError("InvalidLambdaResponseException", "cognate does not know PreTokenGeneration version %s", version)
	}
	req := withMetadata(map[string]any{"userAttributes": eventAttributes(u), "groupConfiguration": map[string]any{
		"groupsToOverride": nonNil(groups), "iamRolesToOverride": []string{}, "preferredRole": nil}}, te.metadata)
	resp := map[string]any{"claimsOverrideDetails": nil}
	if eventVersion != "1" {
		req["scopes"] = nonNil(scopes)
		resp = map[string]any{"claimsAndScopeOverrideDetails": nil}
	}
	var ans preTokenAnswer
	ran, err := s.runTrigger(ctx, p, triggerCall{trigger: trigPreTokenGeneration, source: te.source, clientID: c.ID, userName: u.Username,
		version: eventVersion, request: req, response: resp}, &ans)
	if err != nil || !ran {
		return nil, err
	}
	o := &tokenOverrides{}
	var g *groupOverride
	if d := ans.ClaimsOverrideDetails; eventVersion == "1" && d != nil {
		o.idAdd, o.idSuppress, g = d.ClaimsToAddOrOverride, d.ClaimsToSuppress, d.GroupOverrideDetails
	}
	if d := ans.ClaimsAndScopeOverrideDetails; eventVersion != "1" && d != nil {
		if d.IDTokenGeneration != nil {
			o.idAdd, o.idSuppress = d.IDTokenGeneration.ClaimsToAddOrOverride, d.IDTokenGeneration.ClaimsToSuppress
		}
		if a := d.AccessTokenGeneration; a != nil {
			o.accessAdd, o.accessSuppress, o.scopesAdd, o.scopesSuppress = a.ClaimsToAddOrOverride, a.ClaimsToSuppress, a.ScopesToAdd, a.ScopesToSuppress
		}
		g = d.GroupOverrideDetails
	}
	if g != nil && g.GroupsToOverride != nil {
		o.groups, o.groupsSet = *g.GroupsToOverride, true
	}
	return o, nil
}

// applyClaims adds, overrides and suppresses a token's claims as the function asked,
// leaving the protected ones alone.
func applyClaims(claims map[string]any, add map[string]any, suppress []string) {
	for k, v := range add {
		if !slices.Contains(protectedClaims, k) {
			claims[k] = v
		}
	}
	for _, k := range suppress {
		if !slices.Contains(protectedClaims, k) {
			delete(claims, k)
		}
	}
}

// applyScopes changes an access token's scope claim as the function asked (V2_0, V3_0).
func (o *tokenOverrides) applyScopes(scope string) string {
	scopes := strings.Fields(scope)
	for _, sc := range o.scopesAdd {
		if !slices.Contains(scopes, sc) {
			scopes = append(scopes, sc)
		}
	}
	scopes = slices.DeleteFunc(scopes, func(sc string) bool { return slices.Contains(o.scopesSuppress, sc) })
	return strings.Join(scopes, " ")
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}
