package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	binenc "encoding/binary"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/document"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Passkeys through the Go SDK, with a software authenticator: a P-256 key pair made by the
// test, attestation objects ("none" format) and assertions signed over real clientDataJSON
// and authenticatorData, as a platform authenticator makes them (WebAuthn Level 2, §6.1
// authenticator data, §6.5 attestation, §7 ceremonies; COSE_Key per RFC 9053).

// b64u is unpadded base64url, WebAuthn's encoding of byte strings in JSON.
var b64u = base64.RawURLEncoding

// A few CBOR (RFC 8949) items: enough for an attestation object and a COSE key.
func cborHead(major byte, n uint64) []byte {
	switch {
	case n < 24:
		return []byte{major<<5 | byte(n)}
	case n < 1<<8:
		return []byte{major<<5 | 24, byte(n)}
	case n < 1<<16:
		return binenc.BigEndian.AppendUint16([]byte{major<<5 | 25}, uint16(n))
	default:
		return binenc.BigEndian.AppendUint32([]byte{major<<5 | 26}, uint32(n))
	}
}
func cborInt(i int) []byte {
	if i < 0 {
		return cborHead(1, uint64(-1-i))
	}
	return cborHead(0, uint64(i))
}
func cborBytes(b []byte) []byte { return append(cborHead(2, uint64(len(b))), b...) }
func cborText(s string) []byte  { return append(cborHead(3, uint64(len(s))), s...) }
func cborMap(pairs ...[]byte) []byte {
	out := cborHead(5, uint64(len(pairs)/2))
	for _, p := range pairs {
		out = append(out, p...)
	}
	return out
}

// softAuthenticator is one passkey: its credential id, its private key and its counter.
type softAuthenticator struct {
	id      []byte
	key     *ecdsa.PrivateKey
	counter uint32
	origin  string
}

func newSoftAuthenticator(t testing.TB, origin string) *softAuthenticator {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 32)
	rand.Read(id)
	return &softAuthenticator{id: id, key: key, origin: origin}
}

// Authenticator data flags: user present, user verified, backup eligible, backed up,
// attested credential data included.
const (
	flagUP, flagUV, flagBE, flagBS, flagAT = 0x01, 0x04, 0x08, 0x10, 0x40
)

// authData is rpIdHash ‖ flags ‖ signCount, and the attested credential data when asked.
func (a *softAuthenticator) authData(rpID string, flags byte, attested bool) []byte {
	h := sha256.Sum256([]byte(rpID))
	out := append(h[:], flags)
	out = binenc.BigEndian.AppendUint32(out, a.counter)
	if attested {
		out = append(out, make([]byte, 16)...) // AAGUID: none
		out = binenc.BigEndian.AppendUint16(out, uint16(len(a.id)))
		out = append(out, a.id...)
		x, y := a.key.X.FillBytes(make([]byte, 32)), a.key.Y.FillBytes(make([]byte, 32))
		// COSE_Key: kty EC2 (1: 2), alg ES256 (3: -7), crv P-256 (-1: 1), x (-2), y (-3).
		out = append(out, cborMap(cborInt(1), cborInt(2), cborInt(3), cborInt(-7), cborInt(-1), cborInt(1),
			cborInt(-2), cborBytes(x), cborInt(-3), cborBytes(y))...)
	}
	return out
}

func clientData(t testing.TB, typ, challenge, origin string) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": origin, "crossOrigin": false})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// create answers StartWebAuthnRegistration's options as navigator.credentials.create()
// would, with a "none" attestation. rpID is the relying party the authenticator hashes
// (the options' own, unless a test makes it lie).
func (a *softAuthenticator) create(t testing.TB, opts map[string]any, rpID string) map[string]any {
	t.Helper()
	challenge, _ := opts["challenge"].(string)
	cdj := clientData(t, "webauthn.create", challenge, a.origin)
	att := cborMap(cborText("fmt"), cborText("none"), cborText("attStmt"), cborMap(),
		cborText("authData"), cborBytes(a.authData(rpID, flagUP|flagUV|flagBE|flagBS|flagAT, true)))
	return map[string]any{"id": b64u.EncodeToString(a.id), "rawId": b64u.EncodeToString(a.id), "type": "public-key",
		"authenticatorAttachment": "platform", "clientExtensionResults": map[string]any{},
		"response": map[string]any{"clientDataJSON": b64u.EncodeToString(cdj), "attestationObject": b64u.EncodeToString(att),
			"transports": []string{"internal", "hybrid"}}}
}

// get answers CREDENTIAL_REQUEST_OPTIONS as navigator.credentials.get() would: the
// signature over authenticatorData ‖ SHA-256(clientDataJSON), and the JSON Amplify sends
// as CREDENTIAL.
func (a *softAuthenticator) get(t testing.TB, optsJSON, userHandle string) string {
	t.Helper()
	var opts struct {
		Challenge string `json:"challenge"`
		RPID      string `json:"rpId"`
	}
	if err := json.Unmarshal([]byte(optsJSON), &opts); err != nil {
		t.Fatalf("CREDENTIAL_REQUEST_OPTIONS %q: %v", optsJSON, err)
	}
	a.counter++
	ad := a.authData(opts.RPID, flagUP|flagUV|flagBE|flagBS, false)
	cdj := clientData(t, "webauthn.get", opts.Challenge, a.origin)
	h := sha256.Sum256(cdj)
	sum := sha256.Sum256(append(append([]byte{}, ad...), h[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, a.key, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"id": b64u.EncodeToString(a.id), "rawId": b64u.EncodeToString(a.id), "type": "public-key",
		"authenticatorAttachment": "platform", "clientExtensionResults": map[string]any{},
		"response": map[string]any{"clientDataJSON": b64u.EncodeToString(cdj), "authenticatorData": b64u.EncodeToString(ad),
			"signature": b64u.EncodeToString(sig), "userHandle": userHandle}})
	return string(b)
}

// pkStart is StartWebAuthnRegistration's options as a map.
func pkStart(t testing.TB, c *cip.Client, access *string) (map[string]any, error) {
	t.Helper()
	out, err := c.StartWebAuthnRegistration(bg, &cip.StartWebAuthnRegistrationInput{AccessToken: access})
	if err != nil {
		return nil, err
	}
	var opts map[string]any
	if err := out.CredentialCreationOptions.UnmarshalSmithyDocument(&opts); err != nil {
		t.Fatal(err)
	}
	return opts, nil
}

func pkComplete(c *cip.Client, access *string, cred map[string]any) error {
	_, err := c.CompleteWebAuthnRegistration(bg, &cip.CompleteWebAuthnRegistrationInput{AccessToken: access, Credential: document.NewLazyDocument(cred)})
	return err
}

// pkSignIn starts USER_AUTH with WEB_AUTHN preferred and returns the challenge.
func pkSignIn(t testing.TB, c *cip.Client, app, username string) *cip.InitiateAuthOutput {
	t.Helper()
	out := must(c.InitiateAuth(bg, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserAuth, ClientId: aws.String(app),
		AuthParameters: map[string]string{"USERNAME": username, "PREFERRED_CHALLENGE": "WEB_AUTHN"}}))(t)
	if out.ChallengeName != types.ChallengeNameTypeWebAuthn || out.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"] == "" {
		t.Fatalf("USER_AUTH WEB_AUTHN: ChallengeName %q, parameters %v", out.ChallengeName, out.ChallengeParameters)
	}
	return out
}

func pkAnswer(c *cip.Client, app, username string, session *string, credential string) (*cip.RespondToAuthChallengeOutput, error) {
	return c.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(app), ChallengeName: types.ChallengeNameTypeWebAuthn,
		Session: session, ChallengeResponses: map[string]string{"USERNAME": username, "CREDENTIAL": credential}})
}

func TestPasskeys(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	const rp, origin = "auth.example.com", "https://auth.example.com"
	pool := createPool(t, c, &cip.CreateUserPoolInput{Policies: &types.UserPoolPolicyType{
		SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeWebAuthn}}}})
	flows := []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserAuth, types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
	app, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: flows})
	other, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("other"), ExplicitAuthFlows: flows})
	hiding, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("hiding"), ExplicitAuthFlows: flows,
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled})
	auUser(t, c, pool, "pia", auPassword)
	access := auSignIn(t, c, app, "pia", auPassword).AccessToken
	sub := attrMap(must(c.GetUser(bg, &cip.GetUserInput{AccessToken: access}))(t).UserAttributes)["sub"]

	// No domain and no relying party id: nowhere for passkeys to belong.
	_, err := pkStart(t, c, access)
	wantCode(t, err, "WebAuthnConfigurationMissingException")
	must(c.CreateUserPoolDomain(bg, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String(rp),
		CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String("arn:aws:acm:us-east-1:000000000000:certificate/abc")}}))(t)

	// A pool that does not offer WEB_AUTHN registers no passkeys.
	plain := createPool(t, c, nil)
	plainApp, _ := auClient(t, c, plain, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: auPasswordFlows})
	auUser(t, c, plain, "pia", auPassword)
	_, err = pkStart(t, c, auSignIn(t, c, plainApp, "pia", auPassword).AccessToken)
	wantCode(t, err, "WebAuthnNotEnabledException")

	opts := must(pkStart(t, c, access))(t)
	if rpOpt, _ := opts["rp"].(map[string]any); rpOpt["id"] != rp {
		t.Errorf("options rp = %v, want id %s", opts["rp"], rp)
	}
	if user, _ := opts["user"].(map[string]any); user["id"] != b64u.EncodeToString([]byte(sub)) || user["name"] != "pia" {
		t.Errorf("options user = %v", opts["user"])
	}
	auth := newSoftAuthenticator(t, origin)

	t.Run("refused registrations", func(t *testing.T) {
		evil := newSoftAuthenticator(t, "https://auth.example.com.evil.test")
		wantCode(t, pkComplete(c, access, evil.create(t, opts, rp)), "WebAuthnOriginNotAllowedException")
		wantCode(t, pkComplete(c, access, auth.create(t, opts, "example.org")), "WebAuthnRelyingPartyMismatchException")
		otherAccess := auSignIn(t, c, other, "pia", auPassword).AccessToken
		wantCode(t, pkComplete(c, otherAccess, auth.create(t, opts, rp)), "WebAuthnClientMismatchException")
		made := auth.create(t, opts, rp)
		made["response"].(map[string]any)["clientDataJSON"] = b64u.EncodeToString(clientData(t, "webauthn.create", b64u.EncodeToString([]byte("a challenge cognate never made")), origin))
		wantCode(t, pkComplete(c, access, made), "WebAuthnChallengeNotFoundException")
	})

	must(0, pkComplete(c, access, auth.create(t, opts, rp)))(t)
	// One challenge registers once.
	wantCode(t, pkComplete(c, access, newSoftAuthenticator(t, origin).create(t, opts, rp)), "WebAuthnChallengeNotFoundException")
	creds := must(c.ListWebAuthnCredentials(bg, &cip.ListWebAuthnCredentialsInput{AccessToken: access}))(t).Credentials
	if len(creds) != 1 || aws.ToString(creds[0].CredentialId) != b64u.EncodeToString(auth.id) || aws.ToString(creds[0].RelyingPartyId) != rp ||
		aws.ToString(creds[0].AuthenticatorAttachment) != "platform" || len(creds[0].AuthenticatorTransports) != 2 ||
		aws.ToString(creds[0].FriendlyCredentialName) == "" || creds[0].CreatedAt == nil {
		t.Fatalf("ListWebAuthnCredentials = %+v", creds)
	}
	// The next registration excludes the passkey the user has.
	opts2 := must(pkStart(t, c, access))(t)
	if ex, _ := opts2["excludeCredentials"].([]any); len(ex) != 1 || ex[0].(map[string]any)["id"] != b64u.EncodeToString(auth.id) {
		t.Errorf("excludeCredentials = %v", opts2["excludeCredentials"])
	}

	// Signing in with the passkey.
	first := pkSignIn(t, c, app, "pia")
	res := must(pkAnswer(c, app, "pia", first.Session, auth.get(t, first.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"], b64u.EncodeToString([]byte(sub)))))(t)
	auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
	if id := auDecode(t, aws.ToString(res.AuthenticationResult.IdToken)); id.str("sub") != sub {
		t.Errorf("the passkey signed in %q, want %q", id.str("sub"), sub)
	}
	_, err = pkAnswer(c, app, "pia", first.Session, auth.get(t, first.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"], ""))
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user, session can only be used once.")

	t.Run("SELECT_CHALLENGE", func(t *testing.T) {
		sel := must(c.InitiateAuth(bg, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserAuth, ClientId: aws.String(app),
			AuthParameters: map[string]string{"USERNAME": "pia"}}))(t)
		if sel.ChallengeName != types.ChallengeNameTypeSelectChallenge || !containsChallenge(sel.AvailableChallenges, types.ChallengeNameTypeWebAuthn) {
			t.Fatalf("USER_AUTH without a preference: %q, AvailableChallenges %v", sel.ChallengeName, sel.AvailableChallenges)
		}
		ch := must(c.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(app), ChallengeName: types.ChallengeNameTypeSelectChallenge,
			Session: sel.Session, ChallengeResponses: map[string]string{"USERNAME": "pia", "ANSWER": "WEB_AUTHN"}}))(t)
		if ch.ChallengeName != types.ChallengeNameTypeWebAuthn {
			t.Fatalf("ANSWER WEB_AUTHN: %q", ch.ChallengeName)
		}
		res := must(pkAnswer(c, app, "pia", ch.Session, auth.get(t, ch.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"], "")))(t)
		auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
	})
	t.Run("refused assertions", func(t *testing.T) {
		// Signed by another key with the same credential id.
		forged := &softAuthenticator{id: auth.id, key: newSoftAuthenticator(t, origin).key, counter: 100, origin: origin}
		ch := pkSignIn(t, c, app, "pia")
		_, err := pkAnswer(c, app, "pia", ch.Session, forged.get(t, ch.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"], ""))
		wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
		// From an origin outside the relying party.
		ch = pkSignIn(t, c, app, "pia")
		away := *auth
		away.origin = "https://example.org"
		_, err = pkAnswer(c, app, "pia", ch.Session, away.get(t, ch.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"], ""))
		wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
		// A counter that goes backwards: a cloned authenticator.
		ch = pkSignIn(t, c, app, "pia")
		clone := *auth
		clone.counter = 0
		_, err = pkAnswer(c, app, "pia", ch.Session, clone.get(t, ch.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"], ""))
		wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
		// A user that does not exist, on a client that hides that: a challenge alike, unanswerable.
		ch = pkSignIn(t, c, hiding, "nobody")
		_, err = pkAnswer(c, hiding, "nobody", ch.Session, auth.get(t, ch.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"], ""))
		wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
		_, err = c.InitiateAuth(bg, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserAuth, ClientId: aws.String(app),
			AuthParameters: map[string]string{"USERNAME": "nobody", "PREFERRED_CHALLENGE": "WEB_AUTHN"}})
		wantCode(t, err, "UserNotFoundException")
	})
	// The passkey still signs in after the refusals (its counter moved on with it).
	ch := pkSignIn(t, c, app, "pia")
	must(pkAnswer(c, app, "pia", ch.Session, auth.get(t, ch.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"], "")))(t)

	// Deleted, it signs in no more.
	_, err = c.DeleteWebAuthnCredential(bg, &cip.DeleteWebAuthnCredentialInput{AccessToken: auSignIn(t, c, app, "pia", auPassword).AccessToken, CredentialId: aws.String("bm9uZQ")})
	wantCode(t, err, "ResourceNotFoundException")
	must(c.DeleteWebAuthnCredential(bg, &cip.DeleteWebAuthnCredentialInput{AccessToken: access, CredentialId: aws.String(b64u.EncodeToString(auth.id))}))(t)
	if creds := must(c.ListWebAuthnCredentials(bg, &cip.ListWebAuthnCredentialsInput{AccessToken: access}))(t).Credentials; len(creds) != 0 {
		t.Errorf("ListWebAuthnCredentials after the delete = %+v", creds)
	}
	ch = pkSignIn(t, c, app, "pia")
	_, err = pkAnswer(c, app, "pia", ch.Session, auth.get(t, ch.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"], ""))
	wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
	// A user without passkeys is offered what a user that does not exist is: one credential
	// id, stable per name, that no authenticator has.
	allowed := func(ch *cip.InitiateAuthOutput) []any {
		var o map[string]any
		json.Unmarshal([]byte(ch.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"]), &o)
		l, _ := o["allowCredentials"].([]any)
		return l
	}
	a1, a2 := allowed(ch), allowed(pkSignIn(t, c, app, "pia"))
	if len(a1) != 1 || len(a2) != 1 || a1[0].(map[string]any)["id"] != a2[0].(map[string]any)["id"] ||
		a1[0].(map[string]any)["id"] == b64u.EncodeToString(auth.id) {
		t.Errorf("allowCredentials of a user without passkeys: %v, then %v", a1, a2)
	}
	if l := allowed(pkSignIn(t, c, hiding, "nobody")); len(l) != 1 {
		t.Errorf("allowCredentials of a user that does not exist: %v", l)
	}

	// Challenges expire: a registration's after five minutes, a sign-in's with its session
	// (the client's AuthSessionValidity, three minutes).
	late := newSoftAuthenticator(t, origin)
	opts = must(pkStart(t, c, access))(t)
	must(0, pkComplete(c, access, late.create(t, opts, rp)))(t)
	ch = pkSignIn(t, c, app, "pia")
	opts = must(pkStart(t, c, access))(t)
	s.clock(t, http.MethodPost, "Advance=5m1s", "")
	wantCode(t, pkComplete(c, access, newSoftAuthenticator(t, origin).create(t, opts, rp)), "WebAuthnChallengeNotFoundException")
	_, err = pkAnswer(c, app, "pia", ch.Session, late.get(t, ch.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"], ""))
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user, session is expired.")
}

func containsChallenge(list []types.ChallengeNameType, name types.ChallengeNameType) bool {
	for _, c := range list {
		if c == name {
			return true
		}
	}
	return false
}
