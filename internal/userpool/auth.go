package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/go-json-experiment/json"

	"cognate/internal/token"
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
		u, err := s.checkPassword(ctx, p, c, username, req.params["PASSWORD"], now)
		if err != nil {
			return nil, err
		}
		return s.afterPassword(ctx, p, c, u, now)
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
		return s.srpChallenge(ctx, p, c, username, req.params["SRP_A"], now)
	case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
		return s.refresh(ctx, req, now)
	case "USER_AUTH":
		return s.userAuth(ctx, req, now)
	case "CUSTOM_AUTH":
		return nil, newError("UnsupportedOperationException", "cognate does not support the %s flow yet.", req.flow)
	}
	return nil, invalidParameter("Initiate Auth method not supported.")
}

// checkPassword finds the user and checks the password, with the lockout counted before the
// check and equal time for users that do not exist (a dummy hash is verified for them).
func (s *Service) checkPassword(ctx context.Context, p *Pool, c *Client, username, password string, now time.Time) (*User, error) {
	u, err := s.findUser(ctx, p, username)
	if errors.Is(err, ErrNotFound) {
		s.passwords.Verify(ctx, "", password)
		if c.preventsEnumeration() {
			return nil, errIncorrect
		}
		return nil, userNotFound()
	}
	if err != nil {
		return nil, err
	}
	if err := s.passwordAttempt(ctx, u, now); err != nil {
		return nil, err
	}
	ok, err := s.passwords.Verify(ctx, u.PasswordHash, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errIncorrect
	}
	return u, nil
}

// passwordAttempt counts a sign-in attempt before its password is checked (a success
// clears the count, in afterPassword), and refuses users that may not sign in at all.
func (s *Service) passwordAttempt(ctx context.Context, u *User, now time.Time) error {
	ok, err := s.store.CountAttempt(ctx, u.PoolID, u.Sub, "signin", now, signInWindow, signInLimit)
	switch {
	case err != nil:
		return err
	case !ok:
		return errAttemptsExceed
	case !u.Enabled:
		return errDisabled
	case u.Status == StatusResetRequired:
		return errResetRequired
	}
	return nil
}

// afterPassword decides what a user whose password was right gets: an error for its state,
// the NEW_PASSWORD_REQUIRED challenge, or tokens. A right password ends the lockout count;
// with tokens, in the same write as the session.
func (s *Service) afterPassword(ctx context.Context, p *Pool, c *Client, u *User, now time.Time) (*authOutcome, error) {
	challenge, err := s.passwordOutcome(ctx, p, c, u, now)
	if err != nil || challenge != nil {
		return challenge, err
	}
	res, err := s.startSession(ctx, p, c, u, now, signinCounter(u))
	if err != nil {
		return nil, err
	}
	return &authOutcome{AuthenticationResult: res, ChallengeParameters: map[string]string{}}, nil
}

// signinCounter is the user's count of wrong passwords, which a right one ends.
func signinCounter(u *User) Counter { return Counter{Subject: u.Sub, Kind: "signin"} }

// passwordOutcome is what follows a right password, for the API and the hosted pages
// alike: an error for the user's state, a challenge, or nil when the user may have tokens.
// For a user who gets no tokens it ends the lockout count here; otherwise the caller ends
// it in the same write as the session.
func (s *Service) passwordOutcome(ctx context.Context, p *Pool, c *Client, u *User, now time.Time) (*authOutcome, error) {
	switch u.Status {
	case StatusUnconfirmed, StatusResetRequired, StatusForceChangePassword:
		lockout := signinCounter(u)
		if err := s.store.ClearAttempts(ctx, u.PoolID, lockout.Subject, lockout.Kind); err != nil {
			return nil, err
		}
	}
	switch u.Status {
	case StatusUnconfirmed:
		return nil, errUnconfirmed
	case StatusResetRequired:
		return nil, errResetRequired
	case StatusForceChangePassword:
		days := deref(p.Doc.Policies.PasswordPolicy.TemporaryPasswordValidityDays)
		if days > 0 && now.After(u.PasswordSetAt.Add(time.Duration(days)*24*time.Hour)) {
			return nil, errTempPassExpired
		}
		sess, err := s.sealSession(p, c, u, "NEW_PASSWORD_REQUIRED", now)
		if err != nil {
			return nil, err
		}
		attrs := map[string]string{}
		for _, a := range u.Attributes {
			if a.Name != "sub" {
				attrs[a.Name] = a.Value
			}
		}
		var required []string
		for _, sa := range p.Doc.SchemaAttributes {
			name := deref(sa.Name)
			if _, has := u.attr(name); deref(sa.Required) && name != "sub" && !has {
				required = append(required, "userAttributes."+name)
			}
		}
		ua, _ := json.Marshal(attrs, json.Deterministic(true))
		ra, _ := json.Marshal(append([]string{}, required...))
		return &authOutcome{ChallengeName: ptr("NEW_PASSWORD_REQUIRED"), Session: ptr(sess),
			ChallengeParameters: map[string]string{"USER_ID_FOR_SRP": u.Username, "requiredAttributes": string(ra), "userAttributes": string(ua)}}, nil
	}
	return nil, nil
}

// sealedSession is what a challenge's Session token carries, sealed so that only cognate
// can read or make one.
type sealedSession struct {
	Pool      string `json:"p"`
	Client    string `json:"c"`
	User      string `json:"u"`           // the sub; empty for a user that does not exist
	Typed     string `json:"t,omitempty"` // the name signed in with, where the next step needs it
	Challenge string `json:"ch"`
	Expires   int64  `json:"e"`
}

func (s *Service) sealSession(p *Pool, c *Client, u *User, challenge string, now time.Time) (string, error) {
	return s.sealFor(p, c, u.Sub, "", challenge, now)
}

// sealFor seals a session for the user with this sub, valid for the client's
// AuthSessionValidity (3 minutes unless set).
func (s *Service) sealFor(p *Pool, c *Client, sub, typed, challenge string, now time.Time) (string, error) {
	minutes := deref(c.Doc.AuthSessionValidity)
	if minutes == 0 {
		minutes = 3
	}
	b, err := json.Marshal(sealedSession{Pool: p.ID, Client: c.ID, User: sub, Typed: typed, Challenge: challenge,
		Expires: now.Add(time.Duration(minutes) * time.Minute).Unix()})
	if err != nil {
		return "", err
	}
	sealed, err := token.Seal(s.rand, s.keys.session, b, []byte("session"))
	return base64.RawURLEncoding.EncodeToString(sealed), err
}

func (s *Service) openSession(raw string, c *Client, challenge string, now time.Time) (*sealedSession, error) {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return nil, errInvalidSession
	}
	plain, err := token.Open(s.keys.session, b, []byte("session"))
	if err != nil {
		return nil, errInvalidSession
	}
	var ss sealedSession
	if json.Unmarshal(plain, &ss) != nil || ss.Client != c.ID || ss.Challenge != challenge {
		return nil, errInvalidSession
	}
	if now.Unix() >= ss.Expires {
		return nil, errSessionExpired
	}
	return &ss, nil
}

// srpBlock is what SECRET_BLOCK carries between the two steps of USER_SRP_AUTH: the
// server's ephemeral secret b, sealed, so that no server-side state is kept between them.
type srpBlock struct {
	Pool    string `json:"p"`
	Client  string `json:"c"`
	User    string `json:"u"` // the sub; empty for a user that does not exist
	B       string `json:"b"`
	SRPA    string `json:"A"`
	SRPB    string `json:"B"`
	Expires int64  `json:"e"`
}

// srpPoolName is the pool name SRP hashes: the part of the pool id after the underscore.
func srpPoolName(poolID string) string {
	_, name, _ := strings.Cut(poolID, "_")
	return name
}

// srpChallenge answers USER_SRP_AUTH with PASSWORD_VERIFIER. For a user that does not
// exist, when the client hides that, it answers a challenge that looks the same (a salt
// stable per name, a fresh B) and that no password can pass.
func (s *Service) srpChallenge(ctx context.Context, p *Pool, c *Client, username, srpA string, now time.Time) (*authOutcome, error) {
	u, err := s.findUser(ctx, p, username)
	var salt, userID, sub string
	var verifier []byte
	switch {
	case errors.Is(err, ErrNotFound):
		if !c.preventsEnumeration() {
			return nil, userNotFound()
		}
		m := hmac.New(sha256.New, s.keys.srp[:])
		m.Write([]byte(p.ID + "\x00" + username))
		salt = hex.EncodeToString(m.Sum(nil)[:16])
		userID = username
		verifier = []byte{2} // any verifier: the claim cannot match, there is no user
	case err != nil:
		return nil, err
	default:
		if u.SRPVerifier == nil {
			return nil, notAuthorized("User has no SRP verifier: set the password again to sign in with USER_SRP_AUTH.")
		}
		plain, err := token.Open(s.keys.srp, u.SRPVerifier, []byte(u.PoolID+"\x00"+u.Sub))
		if err != nil {
			return nil, err
		}
		salt, userID, sub, verifier = u.SRPSalt, u.Username, u.Sub, plain
	}
	b, srpB, err := token.Challenge(s.rand, verifier)
	if err != nil {
		return nil, err
	}
	blk, err := json.Marshal(srpBlock{Pool: p.ID, Client: c.ID, User: sub, B: hex.EncodeToString(b),
		SRPA: srpA, SRPB: srpB, Expires: now.Add(5 * time.Minute).Unix()})
	if err != nil {
		return nil, err
	}
	sealed, err := token.Seal(s.rand, s.keys.session, blk, []byte("srp"))
	if err != nil {
		return nil, err
	}
	return &authOutcome{ChallengeName: ptr("PASSWORD_VERIFIER"), ChallengeParameters: map[string]string{
		"SALT": salt, "SRP_B": srpB, "SECRET_BLOCK": base64.StdEncoding.EncodeToString(sealed),
		"USER_ID_FOR_SRP": userID, "USERNAME": userID,
	}}, nil
}

// respondAuth carries out RespondToAuthChallenge and AdminRespondToAuthChallenge.
func (s *Service) respondAuth(ctx context.Context, req *authRequest) (*authOutcome, error) {
	now := s.clock()
	username := req.params["USERNAME"]
	p, c, err := s.authClient(ctx, req, username)
	if err != nil {
		return nil, err
	}
	switch req.flow {
	case "PASSWORD_VERIFIER":
		return s.passwordVerifier(ctx, p, c, req.params, now)
	case "NEW_PASSWORD_REQUIRED":
		return s.newPasswordRequired(ctx, p, c, req, now)
	case challengeSelect, "PASSWORD", "PASSWORD_SRP":
		return s.selectChallenge(ctx, p, c, req, now)
	}
	return nil, invalidParameter("Unsupported challenge %s.", req.flow)
}

func (s *Service) passwordVerifier(ctx context.Context, p *Pool, c *Client, params map[string]string, now time.Time) (*authOutcome, error) {
	raw, err := base64.StdEncoding.DecodeString(params["PASSWORD_CLAIM_SECRET_BLOCK"])
	if err != nil {
		return nil, errIncorrect
	}
	plain, err := token.Open(s.keys.session, raw, []byte("srp"))
	if err != nil {
		return nil, errIncorrect
	}
	var blk srpBlock
	if json.Unmarshal(plain, &blk) != nil || blk.Pool != p.ID || blk.Client != c.ID {
		return nil, errIncorrect
	}
	if now.Unix() >= blk.Expires {
		return nil, errSessionExpired
	}
	if err := s.useOnce(ctx, p.ID, raw, 5*time.Minute, now); err != nil {
		return nil, err // an answer seen once cannot sign in again
	}
	if blk.User == "" {
		return nil, errIncorrect // the simulated challenge of a user that does not exist
	}
	u, err := s.store.GetUserBySub(ctx, p.ID, blk.User)
	if errors.Is(err, ErrNotFound) {
		return nil, errIncorrect
	} else if err != nil {
		return nil, err
	}
	if err := s.passwordAttempt(ctx, u, now); err != nil {
		return nil, err
	}
	verifier, err := token.Open(s.keys.srp, u.SRPVerifier, []byte(u.PoolID+"\x00"+u.Sub))
	if err != nil {
		return nil, err
	}
	b, err := hex.DecodeString(blk.B)
	if err != nil {
		return nil, errIncorrect
	}
	ok, err := token.VerifyClaim(srpPoolName(p.ID), u.Username, verifier, b, blk.SRPA, blk.SRPB,
		raw, params["TIMESTAMP"], params["PASSWORD_CLAIM_SIGNATURE"])
	if err != nil || !ok {
		return nil, errIncorrect
	}
	return s.afterPassword(ctx, p, c, u, now)
}

func (s *Service) newPasswordRequired(ctx context.Context, p *Pool, c *Client, req *authRequest, now time.Time) (*authOutcome, error) {
	done, err := s.setNewRequiredPassword(ctx, p, c, req, now)
	if err != nil {
		return nil, err
	}
	res, err := s.startSession(ctx, p, c, done, now)
	if err != nil {
		return nil, err
	}
	return &authOutcome{AuthenticationResult: res, ChallengeParameters: map[string]string{}}, nil
}

// setNewRequiredPassword answers NEW_PASSWORD_REQUIRED, for the API and the hosted pages:
// it checks the challenge's session, sets the new password and attributes, and returns the
// user, now CONFIRMED.
func (s *Service) setNewRequiredPassword(ctx context.Context, p *Pool, c *Client, req *authRequest, now time.Time) (*User, error) {
	ss, err := s.openSession(req.session, c, "NEW_PASSWORD_REQUIRED", now)
	if err != nil {
		return nil, err
	}
	password := req.params["NEW_PASSWORD"]
	if password == "" {
		return nil, invalidParameter("Missing required parameter NEW_PASSWORD")
	}
	var attrs []AttributeType
	for k, v := range req.params {
		if name, ok := strings.CutPrefix(k, "userAttributes."); ok {
			if name == "email_verified" || name == "phone_number_verified" {
				return nil, errUnauthorizedAttribute // only an administrator marks an address verified
			}
			attrs = append(attrs, AttributeType{Name: ptr(name), Value: ptr(v)})
		}
	}
	slices.SortFunc(attrs, func(a, b AttributeType) int { return strings.Compare(*a.Name, *b.Name) })
	var done *User
	used := false // the session is spent once, on the first write, not again on a retry
	err = retryConflicts(ctx, func() error {
		u, err := s.store.GetUserBySub(ctx, p.ID, ss.User)
		if errors.Is(err, ErrNotFound) {
			return userNotFound()
		} else if err != nil {
			return err
		}
		if u.Status != StatusForceChangePassword {
			return errInvalidSession
		}
		if err := checkAttributes(p, u, attrs, attrsUpdate); err != nil {
			return err
		}
		applyAttributes(p, u, attrs)
		for _, sa := range p.Doc.SchemaAttributes {
			if _, has := u.attr(deref(sa.Name)); deref(sa.Required) && !has {
				return invalidParameter("Attributes did not conform to the schema: %s: The attribute is required\n", deref(sa.Name))
			}
		}
		if err := s.setPassword(ctx, p, u, password, now); err != nil {
			return err
		}
		u.Status = StatusConfirmed
		u.ModifiedAt = now
		p.computeAliases(u)
		if !used {
			if err := s.useOnce(ctx, p.ID, []byte(req.session), 15*time.Minute, now); err != nil {
				return err
			}
			used = true
		}
		done = u
		return s.store.SaveUsers(ctx, UserWrite{User: u})
	})
	if errors.Is(err, ErrAliasConflict) {
		return nil, s.aliasExists(ctx, p, done)
	}
	if err != nil {
		return nil, err
	}
	return done, nil
}

// refresh carries out REFRESH_TOKEN_AUTH: new access and ID tokens for a session that is
// still valid; the refresh token itself is not renewed.
func (s *Service) refresh(ctx context.Context, req *authRequest, now time.Time) (*authOutcome, error) {
	rt := req.params["REFRESH_TOKEN"]
	if rt == "" {
		return nil, invalidParameter("Missing required parameter REFRESH_TOKEN")
	}
	var (
		p   *Pool
		c   *Client
		err error
	)
	if req.admin {
		p, c, err = s.loadClient(ctx, req.poolID, req.clientID)
	} else {
		c, err = s.store.FindClient(ctx, req.clientID)
		if errors.Is(err, ErrNotFound) {
			return nil, clientNotFound(req.clientID)
		}
		if err == nil {
			p, err = s.loadPool(ctx, c.PoolID)
		}
	}
	if err != nil {
		return nil, err
	}
	if !flowAllowed(c, req.flow) {
		return nil, invalidParameter("REFRESH_TOKEN_AUTH flow not enabled for this client")
	}
	sess, u, g, err := s.refreshSession(ctx, p, c, rt, now)
	if err != nil {
		return nil, err
	}
	if secret := deref(c.Doc.ClientSecret); secret != "" {
		// The hash is over the user's username (or sub), which only the token tells.
		h := req.params["SECRET_HASH"]
		if h == "" {
			return nil, notAuthorized("Client %s is configured with secret but SECRET_HASH was not received", c.ID)
		}
		if !hmac.Equal([]byte(h), []byte(secretHash(secret, u.Username, c.ID))) &&
			!hmac.Equal([]byte(h), []byte(secretHash(secret, u.Sub, c.ID))) {
			return nil, notAuthorized("Unable to verify secret hash for client %s", c.ID)
		}
	}
	res, err := s.mintGrantTokens(ctx, p, c, u, sess, false, now, g)
	if err != nil {
		return nil, err
	}
	return &authOutcome{AuthenticationResult: res, ChallengeParameters: map[string]string{}}, nil
}

// refreshSession opens a refresh token and checks that its session still stands; it
// returns the grant the token carries (nil for a sign-in through the API).
func (s *Service) refreshSession(ctx context.Context, p *Pool, c *Client, rt string, now time.Time) (*Session, *User, *grant, error) {
	id, g, err := s.openRefresh(rt)
	if err != nil {
		return nil, nil, nil, errInvalidRefresh
	}
	sess, err := s.store.GetSession(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, nil, errRefreshRevoked
	}
	if err != nil {
		return nil, nil, nil, err
	}
	if sess.PoolID != p.ID || sess.ClientID != c.ID {
		return nil, nil, nil, errInvalidRefresh
	}
	if !sess.RevokedAt.IsZero() {
		return nil, nil, nil, errRefreshRevoked
	}
	if !now.Before(sess.ExpiresAt) {
		return nil, nil, nil, notAuthorized("Refresh Token has expired")
	}
	u, err := s.store.GetUserBySub(ctx, p.ID, sess.UserSub)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, nil, userNotFound()
	}
	if err != nil {
		return nil, nil, nil, err
	}
	if sess.AuthTime.Before(u.TokensValidAfter) {
		return nil, nil, nil, errRefreshRevoked
	}
	if !u.Enabled {
		return nil, nil, nil, errDisabled
	}
	return sess, u, g, nil
}

var errSessionUsed = notAuthorized("Invalid session for the user, session can only be used once.")

// useOnce lets a challenge answer (an SRP secret block, a challenge Session) through once:
// it records the token's hash as a one-off attempt for as long as the token lives, and
// answers errSessionUsed for the second use.
func (s *Service) useOnce(ctx context.Context, poolID string, token []byte, ttl time.Duration, now time.Time) error {
	sum := sha256.Sum256(token)
	ok, err := s.store.CountAttempt(ctx, poolID, "once:"+hex.EncodeToString(sum[:16]), "challenge", now, ttl, 1)
	if err != nil {
		return err
	}
	if !ok {
		return errSessionUsed
	}
	return nil
}
