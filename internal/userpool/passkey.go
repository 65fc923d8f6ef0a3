package userpool

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	stdjson "encoding/json"
	"errors"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"cognate/internal/token"
)

// Passkeys (WebAuthn): a signed-in user registers one (StartWebAuthnRegistration, then
// CompleteWebAuthnRegistration with what the authenticator made), and signs in with it as
// USER_AUTH's WEB_AUTHN first factor (userauth_webauthn.go). The ceremonies are verified by
// go-webauthn; cognate chooses the relying party, the origins it accepts and the
// challenges, which are sealed so that no state is kept between the two steps.

const (
	// passkeyLimit is how many passkeys a user may register [I: AWS quota, "passkeys per
	// user"; StartWebAuthnRegistration answers LimitExceededException past it].
	passkeyLimit = 20
	// passkeyTimeout is how long a ceremony's challenge is good for, and the timeout the
	// options ask the browser for.
	passkeyTimeout = 5 * time.Minute
)

var (
	errPasskeyOff = newError("WebAuthnNotEnabledException",
		"Passkeys are not enabled for this user pool: add WEB_AUTHN to Policies.SignInPolicy.AllowedFirstAuthFactors.")
	errNoRelyingParty = newError("WebAuthnConfigurationMissingException",
		"The user pool has no relying party id for passkeys: give it a domain or a WebAuthnConfiguration RelyingPartyId.")
	errPasskeyChallenge = newError("WebAuthnChallengeNotFoundException",
		"The passkey registration challenge was not found or has expired: start the registration again.")
)

// poolWebAuthn is the pool's WebAuthnConfiguration as SetUserPoolMfaConfig sets it (nil
// when never set: the relying party comes from the pool's domains and user verification is
// "preferred", AWS's defaults).
func poolWebAuthn(p *Pool) *WebAuthnConfigurationType { return p.MFA.WebAuthn }

// passkeysEnabled reports whether the pool lets users sign in with passkeys: WEB_AUTHN among
// its AllowedFirstAuthFactors, on a feature plan above Lite (API reference, SignInPolicyType).
func passkeysEnabled(p *Pool) bool {
	sp := p.Doc.Policies.SignInPolicy
	return sp != nil && slices.Contains(sp.AllowedFirstAuthFactors, "WEB_AUTHN") && deref(p.Doc.UserPoolTier) != "LITE"
}

// relyingParty is the pool's passkey relying party id: its WebAuthnConfiguration's
// RelyingPartyId; else its custom domain; else, for a pool with a prefix domain, the host of
// cognate's public URL, where that domain's pages are served. errNoRelyingParty when there
// is none that WebAuthn accepts (an IP address, for one).
func (s *Service) relyingParty(ctx context.Context, p *Pool) (string, error) {
	rp := ""
	if wc := poolWebAuthn(p); wc != nil {
		rp = deref(wc.RelyingPartyId)
	}
	if rp == "" {
		ds, err := s.store.PoolDomains(ctx, p.ID)
		if err != nil {
			return "", err
		}
		for _, d := range ds {
			if d.Custom {
				rp = d.Name
			} else if rp == "" {
				rp = s.cloudFrontDomain()
			}
		}
	}
	if rp == "" || protocol.ValidateRPID(rp) != nil {
		return "", errNoRelyingParty
	}
	return strings.ToLower(rp), nil
}

// passkeyVerification is the pool's UserVerification: "required" or "preferred".
func passkeyVerification(p *Pool) protocol.UserVerificationRequirement {
	if wc := poolWebAuthn(p); wc != nil && deref(wc.UserVerification) == "required" {
		return protocol.VerificationRequired
	}
	return protocol.VerificationPreferred
}

// originAllowed reports whether a ceremony's origin belongs to the relying party: https on
// the relying party id or a host under it (WebAuthn §5.1.3, the RP ID a registrable suffix
// of the origin's effective domain), or http on a loopback host, as browsers allow.
func originAllowed(origin, rp string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || u.Path != "" && u.Path != "/" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	switch u.Scheme {
	case "https":
	case "http":
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return false
		}
	default:
		return false
	}
	return host == rp || strings.HasSuffix(host, "."+rp)
}

// passkeyAgent is the go-webauthn relying party for one ceremony: the pool's relying
// party id, and the origin the client reported once it has been found to belong to it.
func passkeyAgent(rp, origin string) (*webauthn.WebAuthn, error) {
	return webauthn.New(&webauthn.Config{RPID: rp, RPDisplayName: rp, RPOrigins: []string{origin}})
}

// passkeyUser is a user as go-webauthn sees it: its sub as the user handle, and its passkeys.
type passkeyUser struct {
	u    *User
	keys []*Passkey
}

func (pu passkeyUser) WebAuthnID() []byte          { return []byte(pu.u.Sub) }
func (pu passkeyUser) WebAuthnName() string        { return pu.u.Username }
func (pu passkeyUser) WebAuthnDisplayName() string { return pu.u.Username }
func (pu passkeyUser) WebAuthnCredentials() []webauthn.Credential {
	var out []webauthn.Credential
	for _, k := range pu.keys {
		out = append(out, k.credential())
	}
	return out
}

// credential is a stored passkey as go-webauthn verifies assertions with it.
func (k *Passkey) credential() webauthn.Credential {
	id, _ := base64.RawURLEncoding.DecodeString(k.ID)
	var transports []protocol.AuthenticatorTransport
	for _, t := range k.Doc.Transports {
		transports = append(transports, protocol.AuthenticatorTransport(t))
	}
	return webauthn.Credential{ID: id, PublicKey: k.Doc.PublicKey, AttestationType: k.Doc.AttestationType, Transport: transports,
		Flags: webauthn.CredentialFlags{UserPresent: k.Doc.UserPresent, UserVerified: k.Doc.UserVerified,
			BackupEligible: k.Doc.BackupEligible, BackupState: k.Doc.BackupState},
		Authenticator: webauthn.Authenticator{AAGUID: k.Doc.AAGUID, SignCount: k.Doc.SignCount,
			Attachment: protocol.AuthenticatorAttachment(k.Doc.Attachment)}}
}

// descriptor names a passkey in excludeCredentials and allowCredentials.
func (k *Passkey) descriptor() protocol.CredentialDescriptor {
	c := k.credential()
	return protocol.CredentialDescriptor{Type: protocol.PublicKeyCredentialType, CredentialID: c.ID, Transport: c.Transport}
}

// userPasskeys lists all the user's passkeys.
func (s *Service) userPasskeys(ctx context.Context, u *User) ([]*Passkey, error) {
	return s.store.ListPasskeys(ctx, u.PoolID, u.Sub, "", 0)
}

// passkeysOf is the pool's relying party and the user's passkeys, what every ceremony needs.
func (s *Service) passkeysOf(ctx context.Context, p *Pool, u *User) (string, []*Passkey, error) {
	rp, err := s.relyingParty(ctx, p)
	if err != nil {
		return "", nil, err
	}
	keys, err := s.userPasskeys(ctx, u)
	return rp, keys, err
}

// registrant is the signed-in user of a registration step: its pool (which must allow
// passkeys), the app client its token is for, the relying party and its passkeys.
type registrant struct {
	p        *Pool
	u        *User
	clientID string
	rp       string
	keys     []*Passkey
}

func (s *Service) registrant(ctx context.Context, accessToken string, now time.Time) (*registrant, error) {
	p, u, cl, err := s.authorize(ctx, accessToken, now)
	if err != nil {
		return nil, err
	}
	if !passkeysEnabled(p) {
		return nil, errPasskeyOff
	}
	r := &registrant{p: p, u: u, clientID: cl.ClientID}
	if r.rp, r.keys, err = s.passkeysOf(ctx, p, u); err != nil {
		return nil, err
	}
	if len(r.keys) >= passkeyLimit {
		return nil, newError("LimitExceededException", "The user has registered the most passkeys a user may have (%d).", passkeyLimit)
	}
	return r, nil
}

// passkeyChallenge is what a registration challenge carries, sealed: it is the challenge
// the authenticator signs, and the proof, at CompleteWebAuthnRegistration, of which
// StartWebAuthnRegistration it answers.
type passkeyChallenge struct {
	Pool    string `json:"p"`
	Client  string `json:"c"`
	User    string `json:"u"`
	Expires int64  `json:"e"`
	Nonce   []byte `json:"n"`
}

// newRegistrationChallenge seals a registration challenge for the user and client.
func (s *Service) newRegistrationChallenge(p *Pool, u *User, clientID string, now time.Time) ([]byte, error) {
	pc := passkeyChallenge{Pool: p.ID, Client: clientID, User: u.Sub, Expires: now.Add(passkeyTimeout).Unix(), Nonce: make([]byte, 16)}
	if _, err := s.rand.Read(pc.Nonce); err != nil {
		return nil, err
	}
	b, err := json.Marshal(pc)
	if err != nil {
		return nil, err
	}
	return token.Seal(s.rand, s.keys.session, b, []byte("passkey registration"))
}

// openRegistrationChallenge reads a registration challenge back (base64url, as
// clientDataJSON carries it) and checks it was made for this user, by this client, and is
// still good.
func (s *Service) openRegistrationChallenge(challenge string, p *Pool, u *User, clientID string, now time.Time) error {
	raw, err := base64.RawURLEncoding.DecodeString(challenge)
	if err != nil {
		return errPasskeyChallenge
	}
	plain, err := token.Open(s.keys.session, raw, []byte("passkey registration"))
	if err != nil {
		return errPasskeyChallenge
	}
	var pc passkeyChallenge
	if json.Unmarshal(plain, &pc) != nil || pc.Pool != p.ID || pc.User != u.Sub || now.Unix() >= pc.Expires {
		return errPasskeyChallenge
	}
	if pc.Client != clientID {
		return newError("WebAuthnClientMismatchException", "The access token is for another app client than the one that started the passkey registration.")
	}
	return nil
}

// creationOptions are the PublicKeyCredentialCreationOptions of a registration, as the JSON
// document StartWebAuthnRegistration answers (the form Amplify's registerPasskey and
// PublicKeyCredential.parseCreationOptionsFromJSON read): discoverable credentials, ES256
// or RS256, no attestation asked for, the user's passkeys excluded.
func creationOptions(rp string, p *Pool, u *User, keys []*Passkey, challenge []byte) (any, error) {
	opts := protocol.PublicKeyCredentialCreationOptions{
		RelyingParty: protocol.RelyingPartyEntity{ID: rp, CredentialEntity: protocol.CredentialEntity{Name: rp}},
		User: protocol.UserEntity{ID: protocol.URLEncodedBase64(u.Sub),
			CredentialEntity: protocol.CredentialEntity{Name: u.Username}, DisplayName: u.Username},
		Challenge: challenge,
		Parameters: []protocol.CredentialParameter{
			{Type: protocol.PublicKeyCredentialType, Algorithm: -7},   // ES256
			{Type: protocol.PublicKeyCredentialType, Algorithm: -257}, // RS256
		},
		Timeout: int(passkeyTimeout / time.Millisecond),
		AuthenticatorSelection: protocol.AuthenticatorSelection{ResidentKey: protocol.ResidentKeyRequirementRequired,
			RequireResidentKey: protocol.ResidentKeyRequired(), UserVerification: passkeyVerification(p)},
		Attestation: protocol.PreferNoAttestation,
	}
	for _, k := range keys {
		opts.CredentialExcludeList = append(opts.CredentialExcludeList, k.descriptor())
	}
	return asDocument(opts)
}

// asDocument turns one of go-webauthn's option structures into a JSON document value, by
// its own encoding/json tags and marshalers (base64url for the byte strings).
func asDocument(v any) (any, error) {
	b, err := stdjson.Marshal(v)
	if err != nil {
		return nil, err
	}
	var doc any
	return doc, json.Unmarshal(b, &doc)
}

// documentBytes is a JSON document member of a request (Credential) as bytes again, for
// go-webauthn to parse; a string member is taken to hold the JSON itself, as
// RespondToAuthChallenge's CREDENTIAL does.
func documentBytes(doc any) ([]byte, error) {
	if s, ok := doc.(string); ok {
		return []byte(s), nil
	}
	return json.Marshal(doc)
}

// verifyRegistration checks a CompleteWebAuthnRegistration credential for the user: its
// challenge one of ours for this user and client, its origin the relying party's, its
// authenticator data for the relying party id, and the attestation (go-webauthn).
func (s *Service) verifyRegistration(p *Pool, u *User, clientID, rp string, keys []*Passkey, credential any, now time.Time) (*Passkey, []byte, error) {
	raw, err := documentBytes(credential)
	if err != nil {
		return nil, nil, invalidParameter("Credential is not a registration response.")
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(raw)
	if err != nil {
		return nil, nil, invalidParameter("Credential is not a registration response: %s", webauthnDetails(err))
	}
	cd := parsed.Response.CollectedClientData
	if err := s.openRegistrationChallenge(cd.Challenge, p, u, clientID, now); err != nil {
		return nil, nil, err
	}
	if !originAllowed(cd.Origin, rp) {
		return nil, nil, newError("WebAuthnOriginNotAllowedException", "The passkey's origin %s does not belong to the relying party %s.", cd.Origin, rp)
	}
	rpHash := sha256.Sum256([]byte(rp))
	if !bytes.Equal(parsed.Response.AttestationObject.AuthData.RPIDHash, rpHash[:]) {
		return nil, nil, newError("WebAuthnRelyingPartyMismatchException", "The passkey was made for another relying party than %s.", rp)
	}
	agent, err := passkeyAgent(rp, cd.Origin)
	if err != nil {
		return nil, nil, err
	}
	session := webauthn.SessionData{Challenge: cd.Challenge, RelyingPartyID: rp, UserID: []byte(u.Sub),
		UserVerification: passkeyVerification(p), CredParams: []protocol.CredentialParameter{
			{Type: protocol.PublicKeyCredentialType, Algorithm: -7}, {Type: protocol.PublicKeyCredentialType, Algorithm: -257}}}
	cred, err := agent.CreateCredential(passkeyUser{u, keys}, session, parsed)
	if err != nil {
		return nil, nil, newError("WebAuthnCredentialNotSupportedException", "The passkey cannot be registered: %s", webauthnDetails(err))
	}
	var transports []string
	for _, t := range cred.Transport {
		transports = append(transports, string(t))
	}
	id := base64.RawURLEncoding.EncodeToString(cred.ID)
	return &Passkey{PoolID: p.ID, ID: id, UserSub: u.Sub, Doc: PasskeyDoc{
		PublicKey: cred.PublicKey, AttestationType: cred.AttestationType, AAGUID: cred.Authenticator.AAGUID,
		SignCount: cred.Authenticator.SignCount, UserPresent: cred.Flags.UserPresent, UserVerified: cred.Flags.UserVerified,
		BackupEligible: cred.Flags.BackupEligible, BackupState: cred.Flags.BackupState, Transports: transports,
		Attachment: string(cred.Authenticator.Attachment), RelyingPartyID: rp,
		Name: passkeyName(cred.Authenticator.Attachment, now), CreatedAt: now,
	}}, []byte(cd.Challenge), nil
}

// passkeyName is the FriendlyCredentialName cognate makes up for a passkey (AWS: "an
// automatically-generated friendly name").
func passkeyName(attachment protocol.AuthenticatorAttachment, now time.Time) string {
	kind := "Passkey"
	switch attachment {
	case protocol.Platform:
		kind = "Platform passkey"
	case protocol.CrossPlatform:
		kind = "Security key"
	}
	return kind + " registered " + now.Format("2006-01-02 15:04 UTC")
}

// webauthnDetails is what go-webauthn says of a failed ceremony, for the caller.
func webauthnDetails(err error) string {
	var pe *protocol.Error
	if errors.As(err, &pe) && pe.Details != "" {
		return pe.Details
	}
	return err.Error()
}

// describePasskey is a passkey as ListWebAuthnCredentials describes it.
func describePasskey(k *Passkey) WebAuthnCredentialDescription {
	d := WebAuthnCredentialDescription{CredentialId: ptr(k.ID), FriendlyCredentialName: ptr(k.Doc.Name),
		RelyingPartyId: ptr(k.Doc.RelyingPartyID), AuthenticatorTransports: append([]string{}, k.Doc.Transports...), CreatedAt: At(k.Doc.CreatedAt)}
	if k.Doc.Attachment != "" {
		d.AuthenticatorAttachment = ptr(k.Doc.Attachment)
	}
	return d
}
