package userpool

import (
	"context"
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

// Challenges: the sealed Session a challenge carries, RespondToAuthChallenge's dispatch,
// NEW_PASSWORD_REQUIRED, and the once-only use of challenge answers.

// sealedSession is what a challenge's Session token carries, sealed so that only cognate
// can read or make one.
type sealedSession struct {
	Pool      string `json:"p"`
	Client    string `json:"c"`
	User      string `json:"u"`           // the sub; empty for a user that does not exist
	Typed     string `json:"t,omitempty"` // the name signed in with, where the next step needs it
	Challenge string `json:"ch"`
	Expires   int64  `json:"e"`
	// CUSTOM_CHALLENGE: the challenges answered so far, and the current one's private
	// parameters and metadata (trigger_custom_auth.go).
	Custom  []challengeResult `json:"cu,omitempty"`
	Private map[string]string `json:"pv,omitempty"`
	Meta    *string           `json:"md,omitempty"`
}

func (s *Service) sealSession(p *Pool, c *Client, u *User, challenge string, now time.Time) (string, error) {
	return s.sealFor(p, c, u.Sub, "", challenge, now)
}

// sealFor seals a session for the user with this sub, valid for the client's
// AuthSessionValidity (3 minutes unless set).
func (s *Service) sealFor(p *Pool, c *Client, sub, typed, challenge string, now time.Time) (string, error) {
	return s.seal(p, c, sealedSession{User: sub, Typed: typed, Challenge: challenge}, now)
}

// seal seals ss for the pool and client, valid for the client's AuthSessionValidity.
func (s *Service) seal(p *Pool, c *Client, ss sealedSession, now time.Time) (string, error) {
	minutes := deref(c.Doc.AuthSessionValidity)
	if minutes == 0 {
		minutes = 3
	}
	ss.Pool, ss.Client, ss.Expires = p.ID, c.ID, now.Add(time.Duration(minutes)*time.Minute).Unix()
	b, err := json.Marshal(ss)
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
		return s.passwordVerifier(ctx, p, c, req.params, req.metadata, now)
	case "NEW_PASSWORD_REQUIRED":
		return s.newPasswordRequired(ctx, p, c, req, now)
	case customChallenge:
		return s.respondCustom(ctx, p, c, req, now)
	case challengeSelect, "PASSWORD", "PASSWORD_SRP":
		return s.selectChallenge(ctx, p, c, req, now)
	case challengeDeviceSRP, challengeDeviceVerifier:
		return s.respondDevice(ctx, p, c, req, now) // auth_device.go
	case challengeWebAuthn:
		return s.respondWebAuthn(ctx, p, c, req, now) // userauth_webauthn.go
	}
	if isMFAChallenge(req.flow) { // MFA and one-time-code factors (mfa_challenge.go)
		return s.respondMFA(ctx, p, c, req, now)
	}
	return nil, invalidParameter("Unsupported challenge %s.", req.flow)
}

func (s *Service) newPasswordRequired(ctx context.Context, p *Pool, c *Client, req *authRequest, now time.Time) (*authOutcome, error) {
	done, err := s.setNewRequiredPassword(ctx, p, c, req, now)
	if err != nil {
		return nil, err
	}
	res, err := s.startSession(ctx, p, c, done, now, tokenEvent{source: "TokenGeneration_NewPasswordChallenge", metadata: req.metadata})
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

// onceSubject names a token's once-only use among the attempts.
func onceSubject(token []byte) string {
	sum := sha256.Sum256(token)
	return "once:" + hex.EncodeToString(sum[:16])
}

var errSessionUsed = notAuthorized("Invalid session for the user, session can only be used once.")

// useOnce lets a challenge answer (an SRP secret block, a challenge Session) through once:
// it records the token's hash as a one-off attempt for as long as the token lives, and
// answers errSessionUsed for the second use.
func (s *Service) useOnce(ctx context.Context, poolID string, token []byte, ttl time.Duration, now time.Time) error {
	ok, err := s.store.CountAttempt(ctx, poolID, onceSubject(token), "challenge", now, ttl, 1)
	if err != nil {
		return err
	}
	if !ok {
		return errSessionUsed
	}
	return nil
}
