package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/go-json-experiment/json"

	"cognate/internal/token"
)

// USER_SRP_AUTH: the PASSWORD_VERIFIER challenge and its answer (spec Appendix F).

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
func (s *Service) srpChallenge(ctx context.Context, p *Pool, c *Client, username, srpA string, metadata map[string]string, now time.Time) (*authOutcome, error) {
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
		// The pool's PreAuthentication function may refuse the sign-in before any challenge.
		if err := s.preAuthentication(ctx, p, c, u, metadata); err != nil {
			return nil, err
		}
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

func (s *Service) passwordVerifier(ctx context.Context, p *Pool, c *Client, params, metadata map[string]string, now time.Time) (*authOutcome, error) {
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
	return s.afterPasswordOn(ctx, p, c, u, params["DEVICE_KEY"], metadata, now) // auth_device.go
}
