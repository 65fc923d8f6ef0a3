package userpool

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"github.com/go-json-experiment/json"

	"cognate/internal/token"
)

// Device authentication, the sign-in's step after the password for a remembered device
// (developer guide, "Signing in with a device"): the request names the device with
// DEVICE_KEY; cognate answers DEVICE_SRP_AUTH, the app answers with the device's SRP_A,
// cognate sends DEVICE_PASSWORD_VERIFIER (the device's salt, SRP_B and a SECRET_BLOCK),
// and the app's claim signature, made with the device's secret over its group key and
// device key, earns the tokens. The arithmetic is USER_SRP_AUTH's (internal/token).

const (
	challengeDeviceSRP      = "DEVICE_SRP_AUTH"
	challengeDeviceVerifier = "DEVICE_PASSWORD_VERIFIER"
)

// deviceBlock is what the SECRET_BLOCK of DEVICE_PASSWORD_VERIFIER carries, sealed: the
// server's ephemeral b, for one device of one user.
type deviceBlock struct {
	Pool    string `json:"p"`
	Client  string `json:"c"`
	User    string `json:"u"`
	Device  string `json:"d"`
	B       string `json:"b"`
	SRPA    string `json:"A"`
	SRPB    string `json:"B"`
	Expires int64  `json:"e"`
}

// afterPasswordOn is afterPassword for a sign-in that may name a device (DEVICE_KEY). A
// remembered device of the user goes on to DEVICE_SRP_AUTH; a tracked device that is not
// remembered signs in as before; a key that names no device of the user is refused with
// ResourceNotFoundException, which the clients answer by signing in again without it
// (amazon-cognito-identity-js, aws-amplify/amplify-android#2603). A sign-in that names no
// device gets NewDeviceMetadata with its tokens when the pool remembers devices.
func (s *Service) afterPasswordOn(ctx context.Context, p *Pool, c *Client, u *User, deviceKey string, metadata map[string]string, now time.Time) (*authOutcome, error) {
	if deviceKey == "" || !deviceTracking(p) || u.Status != StatusConfirmed {
		out, err := s.afterPassword(ctx, p, c, u, metadata, now)
		if err != nil || out.AuthenticationResult == nil {
			return out, err
		}
		out.AuthenticationResult.NewDeviceMetadata, err = s.newDeviceMetadata(p, u)
		return out, err
	}
	d, err := s.userDevice(ctx, u, deviceKey, false)
	if err != nil {
		return nil, err
	}
	if d.Doc.Remembered {
		sess, err := s.sealFor(p, c, u.Sub, d.Key, challengeDeviceSRP, now)
		if err != nil {
			return nil, err
		}
		return &authOutcome{ChallengeName: ptr(challengeDeviceSRP), Session: ptr(sess),
			ChallengeParameters: map[string]string{}}, nil
	}
	out, err := s.afterPassword(ctx, p, c, u, metadata, now)
	if err == nil && out.AuthenticationResult != nil {
		err = s.deviceSignedIn(ctx, d, now)
	}
	return out, err
}

// deviceSignedIn records that the device was used to sign in.
func (s *Service) deviceSignedIn(ctx context.Context, d *Device, now time.Time) error {
	d.Doc.LastAuthAt = now
	if err := s.store.UpdateDevice(ctx, d); err != nil && !errors.Is(err, ErrNotFound) {
		return err // a device forgotten meanwhile has nothing left to record
	}
	return nil
}

// respondDevice answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER.
func (s *Service) respondDevice(ctx context.Context, p *Pool, c *Client, req *authRequest, now time.Time) (*authOutcome, error) {
	if req.flow == challengeDeviceSRP {
		return s.deviceSRPChallenge(ctx, p, c, req, now)
	}
	return s.deviceVerifier(ctx, p, c, req, now)
}

// deviceSRPChallenge answers DEVICE_SRP_AUTH (USERNAME, DEVICE_KEY, SRP_A, and the Session
// of the challenge) with DEVICE_PASSWORD_VERIFIER for the device the session was made for.
func (s *Service) deviceSRPChallenge(ctx context.Context, p *Pool, c *Client, req *authRequest, now time.Time) (*authOutcome, error) {
	ss, err := s.openSession(req.session, c, challengeDeviceSRP, now)
	if err != nil {
		return nil, err
	}
	switch {
	case req.params["SRP_A"] == "":
		return nil, invalidParameter("Missing required parameter SRP_A")
	case req.params["DEVICE_KEY"] == "":
		return nil, invalidParameter("Missing required parameter DEVICE_KEY")
	case req.params["DEVICE_KEY"] != ss.Typed:
		return nil, errNoDevice
	}
	u, d, err := s.deviceOf(ctx, p, ss.User, ss.Typed)
	if err != nil {
		return nil, err
	}
	if err := s.useOnce(ctx, p.ID, []byte(req.session), 15*time.Minute, now); err != nil {
		return nil, err
	}
	verifier, err := token.Open(s.keys.srp, d.Doc.Verifier, deviceVerifierAAD(d))
	if err != nil {
		return nil, err
	}
	b, srpB, err := token.Challenge(s.rand, verifier)
	if err != nil {
		return nil, err
	}
	blk, err := json.Marshal(deviceBlock{Pool: p.ID, Client: c.ID, User: u.Sub, Device: d.Key, B: hex.EncodeToString(b),
		SRPA: req.params["SRP_A"], SRPB: srpB, Expires: now.Add(5 * time.Minute).Unix()})
	if err != nil {
		return nil, err
	}
	sealed, err := token.Seal(s.rand, s.keys.session, blk, []byte("device-srp"))
	if err != nil {
		return nil, err
	}
	sess, err := s.sealFor(p, c, u.Sub, d.Key, challengeDeviceVerifier, now)
	if err != nil {
		return nil, err
	}
	return &authOutcome{ChallengeName: ptr(challengeDeviceVerifier), Session: ptr(sess), ChallengeParameters: map[string]string{
		"SALT": d.Doc.Salt, "SRP_B": srpB, "SECRET_BLOCK": base64.StdEncoding.EncodeToString(sealed),
		"USERNAME": u.Username, "DEVICE_KEY": d.Key,
	}}, nil
}

// deviceVerifier answers DEVICE_PASSWORD_VERIFIER: the claim signature proves the
// device's secret, in the user's sign-in attempt budget, and the tokens follow.
func (s *Service) deviceVerifier(ctx context.Context, p *Pool, c *Client, req *authRequest, now time.Time) (*authOutcome, error) {
	raw, err := base64.StdEncoding.DecodeString(req.params["PASSWORD_CLAIM_SECRET_BLOCK"])
	if err != nil {
		return nil, errIncorrect
	}
	plain, err := token.Open(s.keys.session, raw, []byte("device-srp"))
	if err != nil {
		return nil, errIncorrect
	}
	var blk deviceBlock
	if json.Unmarshal(plain, &blk) != nil || blk.Pool != p.ID || blk.Client != c.ID {
		return nil, errIncorrect
	}
	if now.Unix() >= blk.Expires {
		return nil, errSessionExpired
	}
	if k := req.params["DEVICE_KEY"]; k != "" && k != blk.Device {
		return nil, errNoDevice
	}
	if err := s.useOnce(ctx, p.ID, raw, 5*time.Minute, now); err != nil {
		return nil, err
	}
	u, d, err := s.deviceOf(ctx, p, blk.User, blk.Device)
	if err != nil {
		return nil, err
	}
	if err := s.passwordAttempt(ctx, u, now); err != nil {
		return nil, err
	}
	verifier, err := token.Open(s.keys.srp, d.Doc.Verifier, deviceVerifierAAD(d))
	if err != nil {
		return nil, err
	}
	b, err := hex.DecodeString(blk.B)
	if err != nil {
		return nil, errIncorrect
	}
	ok, err := token.VerifyClaim(d.Doc.GroupKey, d.Key, verifier, b, blk.SRPA, blk.SRPB,
		raw, req.params["TIMESTAMP"], req.params["PASSWORD_CLAIM_SIGNATURE"])
	if err != nil || !ok {
		return nil, errIncorrect
	}
	out, err := s.afterDevice(ctx, p, c, u, d, req.metadata, now)
	if err == nil && out.AuthenticationResult != nil {
		err = s.deviceSignedIn(ctx, d, now)
	}
	return out, err
}

// afterDevice is afterPassword for a sign-in the device's secret completed: a remembered
// device stands in for MFA where the pool says so (deviceSkipsMFA), otherwise the sign-in
// owes its MFA step as any other does; tokens issued here are the device's
// (TokenGeneration_AuthenticateDevice, "called at the completion of user device
// authentication", developer guide, pre token generation trigger sources).
func (s *Service) afterDevice(ctx context.Context, p *Pool, c *Client, u *User, d *Device, metadata map[string]string, now time.Time) (*authOutcome, error) {
	challenge, err := s.passwordOutcome(ctx, p, c, u, now)
	if err != nil || challenge != nil {
		return challenge, err
	}
	if !deviceSkipsMFA(p, d) {
		if challenge, err := s.mfaChallenge(ctx, p, c, u, metadata, now); err != nil || challenge != nil {
			return challenge, err
		}
	}
	return s.signedInBy(ctx, p, c, u, metadata, now, "TokenGeneration_AuthenticateDevice")
}

// deviceOf loads the user with this sub and its remembered device with this key.
func (s *Service) deviceOf(ctx context.Context, p *Pool, sub, key string) (*User, *Device, error) {
	u, err := s.store.GetUserBySub(ctx, p.ID, sub)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, errInvalidSession
	} else if err != nil {
		return nil, nil, err
	}
	d, err := s.userDevice(ctx, u, key, true)
	if err != nil {
		return nil, nil, err
	}
	return u, d, nil
}
