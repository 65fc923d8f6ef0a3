package userpool

import (
	"context"
	"slices"
	"strings"
	"time"
)

// authOutcome is what every sign-in operation answers: a challenge or tokens. The four
// operations' response types share these members, by name.
type authOutcome struct {
	ChallengeName        *string                   `json:"ChallengeName,omitzero"`
	Session              *string                   `json:"Session,omitzero"`
	ChallengeParameters  map[string]string         `json:"ChallengeParameters,omitzero"`
	AuthenticationResult *AuthenticationResultType `json:"AuthenticationResult,omitzero"`
	AvailableChallenges  []string                  `json:"AvailableChallenges,omitzero"`
}

// authRequest is a sign-in request as the four operations share it.
type authRequest struct {
	admin    bool   // AdminInitiateAuth / AdminRespondToAuthChallenge
	poolID   string // admin requests name the pool
	clientID string
	flow     string // InitiateAuth: the AuthFlow; Respond: the ChallengeName
	params   map[string]string
	session  string
	metadata map[string]string // the request's ClientMetadata, for triggers
}

var (
	errIncorrect       = notAuthorized("Incorrect username or password.")
	errDisabled        = notAuthorized("User is disabled.")
	errAttemptsExceed  = notAuthorized("Password attempts exceeded")
	errInvalidSession  = notAuthorized("Invalid session for the user.")
	errSessionExpired  = notAuthorized("Invalid session for the user, session is expired.")
	errInvalidRefresh  = notAuthorized("Invalid Refresh Token")
	errRefreshRevoked  = notAuthorized("Refresh Token has been revoked")
	errUnconfirmed     = newError("UserNotConfirmedException", "User is not confirmed.")
	errResetRequired   = newError("PasswordResetRequiredException", "Password reset required for the user")
	errTempPassExpired = notAuthorized("Temporary password has expired and must be reset by an administrator.")
)

// Sign-in lockout: after this many wrong passwords in the window, every attempt is refused
// with "Password attempts exceeded" until the window has rolled on.
const (
	signInLimit  = 5
	signInWindow = 15 * time.Minute
)

// flowAllowed reports whether the client's ExplicitAuthFlows let it use flow. A client
// without any allows SRP, custom auth and refresh, as AWS documents.
func flowAllowed(c *Client, flow string) bool {
	flows := c.Doc.ExplicitAuthFlows
	if len(flows) == 0 {
		flows = []string{"ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
	}
	legacy := slices.ContainsFunc(flows, func(f string) bool { return !strings.HasPrefix(f, "ALLOW_") })
	switch flow {
	case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
		return legacy || slices.Contains(flows, "ALLOW_REFRESH_TOKEN_AUTH")
	case "USER_SRP_AUTH":
		return legacy || slices.Contains(flows, "ALLOW_USER_SRP_AUTH")
	case "CUSTOM_AUTH":
		return slices.Contains(flows, "ALLOW_CUSTOM_AUTH") || slices.Contains(flows, "CUSTOM_AUTH_FLOW_ONLY")
	case "USER_PASSWORD_AUTH":
		return slices.Contains(flows, "ALLOW_USER_PASSWORD_AUTH") || slices.Contains(flows, "USER_PASSWORD_AUTH")
	case "USER_AUTH":
		return slices.Contains(flows, "ALLOW_USER_AUTH")
	case "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH":
		return slices.Contains(flows, "ALLOW_ADMIN_USER_PASSWORD_AUTH") || slices.Contains(flows, "ADMIN_NO_SRP_AUTH")
	}
	return false
}

// authClient resolves the client of a sign-in request: for admin requests within the named
// pool, for public ones with the SecretHash check.
func (s *Service) authClient(ctx context.Context, req *authRequest, username string) (*Pool, *Client, error) {
	if !req.admin {
		hash := req.params["SECRET_HASH"]
		return s.publicClient(ctx, req.clientID, &hash, true, username)
	}
	p, c, err := s.loadClient(ctx, req.poolID, req.clientID)
	if err != nil {
		return nil, nil, err
	}
	if secret := deref(c.Doc.ClientSecret); secret != "" {
		// Admin sign-ins carry SECRET_HASH too when the client has a secret.
		hash := req.params["SECRET_HASH"]
		if _, _, err := s.publicClient(ctx, c.ID, &hash, true, username); err != nil {
			return nil, nil, err
		}
	}
	return p, c, nil
}

// initiateAuth carries out InitiateAuth and AdminInitiateAuth.
func (s *Service) initiateAuth(ctx context.Context, req *authRequest) (*authOutcome, error) {
	now := s.clock()
	switch req.flow {
	case "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH":
		if req.admin != strings.HasPrefix(req.flow, "ADMIN_") {
			return nil, invalidParameter("Initiate Auth method not supported.")
		}
		username := req.params["USERNAME"]
		p, c, err := s.authClient(ctx, req, username)
		if err != nil {
			return nil, err
		}
		if !flowAllowed(c, req.flow) {
			return nil, invalidParameter("%s flow not enabled for this client", strings.TrimPrefix(req.flow, "ADMIN_"))
		}
		if username == "" {
			return nil, invalidParameter("Missing required parameter USERNAME")
		}
		if req.params["PASSWORD"] == "" {
			return nil, invalidParameter("Missing required parameter PASSWORD")
		}
		u, err := s.checkPassword(ctx, p, c, username, req.params["PASSWORD"], req.metadata, now)
		if err != nil {
			return nil, err
		}
		return s.afterPasswordOn(ctx, p, c, u, req.params["DEVICE_KEY"], req.metadata, now) // auth_device.go
	case "USER_SRP_AUTH":
		if req.admin {
			return nil, invalidParameter("Initiate Auth method not supported.")
		}
		username := req.params["USERNAME"]
		p, c, err := s.authClient(ctx, req, username)
		if err != nil {
			return nil, err
		}
		if !flowAllowed(c, req.flow) {
			return nil, invalidParameter("USER_SRP_AUTH flow not enabled for this client")
		}
		if username == "" {
			return nil, invalidParameter("Missing required parameter USERNAME")
		}
		if req.params["SRP_A"] == "" {
			return nil, invalidParameter("Missing required parameter SRP_A")
		}
		return s.srpChallenge(ctx, p, c, username, req.params["SRP_A"], req.metadata, now)
	case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
		return s.refresh(ctx, req, now)
	case "USER_AUTH":
		return s.userAuth(ctx, req, now)
	case "CUSTOM_AUTH":
		username := req.params["USERNAME"]
		p, c, err := s.authClient(ctx, req, username)
		if err != nil {
			return nil, err
		}
		if !flowAllowed(c, req.flow) {
			return nil, invalidParameter("CUSTOM_AUTH flow not enabled for this client")
		}
		if username == "" {
			return nil, invalidParameter("Missing required parameter USERNAME")
		}
		return s.startCustomAuth(ctx, p, c, req, now)
	}
	return nil, invalidParameter("Initiate Auth method not supported.")
}
