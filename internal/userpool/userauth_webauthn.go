package userpool

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	stdjson "encoding/json"
	"errors"
	"io"
	"slices"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
)

// The WEB_AUTHN first factor of USER_AUTH: sign-in with a passkey (API reference,
// InitiateAuth and RespondToAuthChallenge; Amplify's handleWebAuthnSignInResult). Asked for
// as PREFERRED_CHALLENGE or chosen from SELECT_CHALLENGE, it answers the WEB_AUTHN challenge
// whose CREDENTIAL_REQUEST_OPTIONS are the PublicKeyCredentialRequestOptions (JSON) for
// navigator.credentials.get(); RespondToAuthChallenge WEB_AUTHN takes the assertion as
// CREDENTIAL (the credential's JSON), verified by go-webauthn against the user's passkeys,
// in the user's sign-in attempt budget.

const challengeWebAuthn = "WEB_AUTHN"

// webAuthnOffered is the WEB_AUTHN factor among AvailableChallenges, when the pool allows it.
func webAuthnOffered(p *Pool) []string {
	if passkeysEnabled(p) {
		return []string{challengeWebAuthn}
	}
	return nil
}

// startWebAuthn answers the WEB_AUTHN challenge for the user signing in as username. A name
// that is no user, when the client hides that, and a user without passkeys get a challenge
// that looks the same (a credential id stable per name) and that no passkey can answer.
func (s *Service) startWebAuthn(ctx context.Context, p *Pool, c *Client, username string, now time.Time) (*authOutcome, error) {
	u, err := s.findUser(ctx, p, username)
	var keys []*Passkey
	switch {
	case errors.Is(err, ErrNotFound):
		if !c.preventsEnumeration() {
			return nil, userNotFound()
		}
		u = nil
	case err != nil:
		return nil, err
	default:
		if keys, err = s.userPasskeys(ctx, u); err != nil {
			return nil, err
		}
	}
	rp, err := s.relyingParty(ctx, p)
	if errors.Is(err, errNoRelyingParty) {
		return nil, newError("InvalidUserPoolConfigurationException", "%s", errNoRelyingParty.Message)
	} else if err != nil {
		return nil, err
	}
	challenge := make([]byte, 32)
	if _, err := io.ReadFull(s.rand, challenge); err != nil {
		return nil, err
	}
	opts := protocol.PublicKeyCredentialRequestOptions{Challenge: challenge, Timeout: int(passkeyTimeout / time.Millisecond),
		RelyingPartyID: rp, UserVerification: passkeyVerification(p)}
	for _, k := range keys {
		opts.AllowedCredentials = append(opts.AllowedCredentials, k.descriptor())
	}
	sub := ""
	if u != nil {
		sub = u.Sub
	}
	if len(opts.AllowedCredentials) == 0 { // no passkeys, or no user: alike
		m := hmac.New(sha256.New, s.keys.session[:])
		m.Write([]byte("passkey\x00" + p.ID + "\x00" + username))
		opts.AllowedCredentials = []protocol.CredentialDescriptor{{Type: protocol.PublicKeyCredentialType, CredentialID: m.Sum(nil)[:16],
			Transport: []protocol.AuthenticatorTransport{protocol.Internal, protocol.Hybrid}}}
	}
	b, err := stdjson.Marshal(opts)
	if err != nil {
		return nil, err
	}
	sess, err := s.seal(p, c, sealedSession{User: sub, Typed: username, Challenge: challengeWebAuthn,
		Private: map[string]string{"challenge": base64.RawURLEncoding.EncodeToString(challenge)}}, now)
	if err != nil {
		return nil, err
	}
	return &authOutcome{ChallengeName: ptr(challengeWebAuthn), Session: ptr(sess),
		ChallengeParameters: map[string]string{"CREDENTIAL_REQUEST_OPTIONS": string(b)}}, nil
}

// respondWebAuthn answers RespondToAuthChallenge WEB_AUTHN: the session's challenge signed
// by one of the user's passkeys, from one of the relying party's origins. The session is
// spent on the first answer, right or wrong.
func (s *Service) respondWebAuthn(ctx context.Context, p *Pool, c *Client, req *authRequest, now time.Time) (*authOutcome, error) {
	ss, err := s.openSession(req.session, c, challengeWebAuthn, now)
	if err != nil {
		return nil, err
	}
	if req.params["CREDENTIAL"] == "" {
		return nil, invalidParameter("Missing required parameter CREDENTIAL")
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes([]byte(req.params["CREDENTIAL"]))
	if err != nil {
		return nil, invalidParameter("CREDENTIAL is not a passkey assertion: %s", webauthnDetails(err))
	}
	if err := s.useOnce(ctx, p.ID, []byte(req.session), passkeyTimeout, now); err != nil {
		return nil, err
	}
	if ss.User == "" {
		return nil, errIncorrect // the look-alike challenge of a user that does not exist
	}
	u, err := s.store.GetUserBySub(ctx, p.ID, ss.User)
	if errors.Is(err, ErrNotFound) {
		return nil, errIncorrect
	} else if err != nil {
		return nil, err
	}
	if err := s.passwordAttempt(ctx, u, now); err != nil {
		return nil, err
	}
	rp, keys, err := s.passkeysOf(ctx, p, u)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(keys, func(k *Passkey) bool { return k.ID == base64.RawURLEncoding.EncodeToString(parsed.RawID) })
	if i < 0 || !originAllowed(parsed.Response.CollectedClientData.Origin, rp) {
		return nil, errIncorrect
	}
	agent, err := passkeyAgent(rp, parsed.Response.CollectedClientData.Origin)
	if err != nil {
		return nil, err
	}
	var allowed [][]byte
	for _, k := range keys {
		allowed = append(allowed, k.credential().ID)
	}
	cred, err := agent.ValidateLogin(passkeyUser{u, keys}, webauthn.SessionData{Challenge: ss.Private["challenge"],
		RelyingPartyID: rp, UserID: []byte(u.Sub), AllowedCredentialIDs: allowed, UserVerification: passkeyVerification(p)}, parsed)
	if err != nil || cred.Authenticator.CloneWarning || !bytes.Equal(cred.ID, parsed.RawID) {
		return nil, errIncorrect // a counter that went backwards: a cloned authenticator
	}
	k := keys[i]
	k.Doc.SignCount, k.Doc.UserVerified, k.Doc.BackupState = cred.Authenticator.SignCount, cred.Flags.UserVerified, cred.Flags.BackupState
	if err := s.store.UpdatePasskey(ctx, k); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	return s.afterPassword(ctx, p, c, u, req.metadata, now)
}
