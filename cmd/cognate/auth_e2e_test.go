package main

// End-to-end tests of sign-up and sign-in through the real SDK: SignUp and its codes,
// USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, NEW_PASSWORD_REQUIRED, USER_SRP_AUTH (with
// the independent client of srp_client_test.go), the tokens and their keys, refresh,
// revocation and sign-out, and the operations a user carries out with its access token.
// Helpers here start with "au" so as not to collide with the other end-to-end files.

import (
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/go-json-experiment/json"
	"github.com/google/go-cmp/cmp"
)

// auPassword satisfies the default policy (8 characters, upper, lower, number, symbol).
const auPassword = "Passw0rd!"

// Exact messages the tests expect, from spec Appendix C.
const (
	auMsgIncorrect = "Incorrect username or password."
	auMsgMismatch  = "Invalid verification code provided, please try again."
	auMsgExpired   = "Invalid code provided, please request a code again."
	auMsgLimit     = "Attempt limit exceeded, please try after some time."
)

var (
	auEmailVerified = []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}
	// auPasswordFlows lets a client use USER_PASSWORD_AUTH and refresh.
	auPasswordFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
	auSixDigits     = regexp.MustCompile(`\b[0-9]{6}\b`)
)

// auClient creates an app client in pool (named "app" unless in says otherwise) and returns
// its id and secret.
func auClient(t testing.TB, c *cip.Client, pool string, in *cip.CreateUserPoolClientInput) (id, secret string) {
	t.Helper()
	if in == nil {
		in = &cip.CreateUserPoolClientInput{}
	}
	in.UserPoolId = aws.String(pool)
	if in.ClientName == nil {
		in.ClientName = aws.String("app")
	}
	out := must(c.CreateUserPoolClient(bg, in))(t).UserPoolClient
	return aws.ToString(out.ClientId), aws.ToString(out.ClientSecret)
}

// auSecretHash is the SecretHash a client with a secret sends: Base64(HMAC-SHA256(secret,
// username + client id)).
func auSecretHash(secret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// auUser creates a CONFIRMED user with a permanent password and the given attributes.
func auUser(t testing.TB, c *cip.Client, pool, username, password string, attrs ...string) {
	t.Helper()
	createUser(t, c, pool, username, attrs...)
	must(c.AdminSetUserPassword(bg, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(pool), Username: aws.String(username),
		Password: aws.String(password), Permanent: true}))(t)
}

// auSignUp signs a user up on a client without a secret.
func auSignUp(c *cip.Client, clientID, username, password string, attrs ...string) (*cip.SignUpOutput, error) {
	return c.SignUp(bg, &cip.SignUpInput{ClientId: aws.String(clientID), Username: aws.String(username),
		Password: aws.String(password), UserAttributes: attributes(attrs...)})
}

// auConfirm is ConfirmSignUp on a client without a secret.
func auConfirm(c *cip.Client, clientID, username, code string) error {
	_, err := c.ConfirmSignUp(bg, &cip.ConfirmSignUpInput{ClientId: aws.String(clientID), Username: aws.String(username),
		ConfirmationCode: aws.String(code)})
	return err
}

// auResend is ResendConfirmationCode on a client without a secret.
func auResend(c *cip.Client, clientID, username string) (*cip.ResendConfirmationCodeOutput, error) {
	return c.ResendConfirmationCode(bg, &cip.ResendConfirmationCodeInput{ClientId: aws.String(clientID), Username: aws.String(username)})
}

// auPasswordAuth is InitiateAuth USER_PASSWORD_AUTH, with extra auth parameters as key,
// value pairs (SECRET_HASH).
func auPasswordAuth(c *cip.Client, clientID, username, password string, extra ...string) (*cip.InitiateAuthOutput, error) {
	params := map[string]string{"USERNAME": username, "PASSWORD": password}
	for i := 0; i+1 < len(extra); i += 2 {
		params[extra[i]] = extra[i+1]
	}
	return c.InitiateAuth(bg, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		ClientId: aws.String(clientID), AuthParameters: params})
}

// auSignIn signs in with USER_PASSWORD_AUTH, which must give the three tokens at once.
func auSignIn(t testing.TB, c *cip.Client, clientID, username, password string, extra ...string) *types.AuthenticationResultType {
	t.Helper()
	out := must(auPasswordAuth(c, clientID, username, password, extra...))(t)
	auWantTokens(t, out.ChallengeName, out.AuthenticationResult, true)
	return out.AuthenticationResult
}

// auWantTokens checks that a sign-in answered tokens rather than a challenge: access and ID
// tokens, a refresh token exactly when withRefresh, 3600 seconds, Bearer.
func auWantTokens(t testing.TB, challenge types.ChallengeNameType, res *types.AuthenticationResultType, withRefresh bool) {
	t.Helper()
	if challenge != "" {
		t.Fatalf("ChallengeName = %q, want tokens", challenge)
	}
	if res == nil {
		t.Fatal("no AuthenticationResult")
	}
	if aws.ToString(res.AccessToken) == "" || aws.ToString(res.IdToken) == "" {
		t.Errorf("AccessToken %q, IdToken %q: want both", aws.ToString(res.AccessToken), aws.ToString(res.IdToken))
	}
	if got := aws.ToString(res.RefreshToken) != ""; got != withRefresh {
		t.Errorf("RefreshToken present = %v, want %v", got, withRefresh)
	}
	if res.ExpiresIn != 3600 {
		t.Errorf("ExpiresIn = %d, want 3600", res.ExpiresIn)
	}
	if got := aws.ToString(res.TokenType); got != "Bearer" {
		t.Errorf("TokenType = %q, want Bearer", got)
	}
}

// auInbox lists the inbox messages of one user, newest first.
func auInbox(t testing.TB, s *testServer, pool, username string) []inboxMessage {
	t.Helper()
	return s.messages(t, "UserPoolId="+url.QueryEscape(pool)+"&Username="+url.QueryEscape(username))
}

// auCode checks that the user's inbox holds n messages and returns the code of the newest.
func auCode(t testing.TB, s *testServer, pool, username string, n int) (string, inboxMessage) {
	t.Helper()
	msgs := auInbox(t, s, pool, username)
	if len(msgs) != n {
		t.Fatalf("inbox of %s holds %d messages, want %d: %+v", username, len(msgs), n, msgs)
	}
	code := auSixDigits.FindString(msgs[0].Body)
	if code == "" {
		t.Fatalf("no six-digit code in %q", msgs[0].Body)
	}
	return code, msgs[0]
}

// auOther is a code that is not code: its last digit moved on by one.
func auOther(code string) string {
	last := (code[len(code)-1]-'0'+1)%10 + '0'
	return code[:len(code)-1] + string(rune(last))
}

// auWantCodeRefused checks that a code was refused as a code: CodeMismatchException or
// ExpiredCodeException, with AWS's message for each.
func auWantCodeRefused(t testing.TB, err error) {
	t.Helper()
	switch {
	case isCode(err, "CodeMismatchException"):
		wantErr[*types.CodeMismatchException](t, err, auMsgMismatch)
	case isCode(err, "ExpiredCodeException"):
		wantErr[*types.ExpiredCodeException](t, err, auMsgExpired)
	default:
		t.Fatalf("error = %v, want CodeMismatchException or ExpiredCodeException", err)
	}
}

// auWantWriteRefused checks that a write of an attribute the client may not write was
// refused: AWS answers NotAuthorizedException "A client attempted to write unauthorized
// attribute" where it has been observed (SignUp, aws-sdk-js#3603); cognate's
// InvalidParameterException is accepted where AWS's answer is not known.
func auWantWriteRefused(t testing.TB, err error) {
	t.Helper()
	if !isCode(err, "NotAuthorizedException") && !isCode(err, "InvalidParameterException") {
		t.Errorf("error = %v, want the write refused (NotAuthorizedException or InvalidParameterException)", err)
	}
}

// auJWT is a decoded JSON Web Token.
type auJWT struct {
	Header map[string]any
	Claims map[string]any
	input  string // header.payload, what the signature covers
	sig    []byte
}

// auDecode decodes a JWT's three base64url parts without checking anything.
func auDecode(t testing.TB, raw string) auJWT {
	t.Helper()
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts, want 3: %.40s…", len(parts), raw)
	}
	var tok auJWT
	for i, dst := range []*map[string]any{&tok.Header, &tok.Claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatalf("token part %d: %v", i, err)
		}
		if err := json.Unmarshal(b, dst); err != nil {
			t.Fatalf("token part %d: %v in %s", i, err, b)
		}
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatalf("token signature: %v", err)
	}
	tok.input, tok.sig = parts[0]+"."+parts[1], sig
	return tok
}

func (j auJWT) str(name string) string {
	s, _ := j.Claims[name].(string)
	return s
}

func (j auJWT) num(t testing.TB, name string) int64 {
	t.Helper()
	f, ok := j.Claims[name].(float64)
	if !ok {
		t.Fatalf("claim %s = %#v, want a number", name, j.Claims[name])
	}
	return int64(f)
}

// auJWKS fetches a pool's JSON Web Key Set and rebuilds its RSA public keys, by kid.
func auJWKS(t testing.TB, s *testServer, pool string) map[string]*rsa.PublicKey {
	t.Helper()
	status, _, body := httpDo(t, http.MethodGet, s.URL+"/"+pool+"/.well-known/jwks.json", nil, nil)
	if status != http.StatusOK {
		t.Fatalf("GET jwks.json: %d %s", status, body)
	}
	var set struct {
		Keys []struct {
			Kty string `json:"kty"`
			Alg string `json:"alg"`
			Use string `json:"use"`
			Kid string `json:"kid"`
			N   string `json:"n"`
			E   string `json:"e"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		t.Fatalf("jwks.json: %v in %s", err, body)
	}
	keys := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		if k.Kty != "RSA" || k.Alg != "RS256" || k.Use != "sig" || k.Kid == "" {
			t.Errorf("JWK kty %q alg %q use %q kid %q, want RSA, RS256, sig and a kid", k.Kty, k.Alg, k.Use, k.Kid)
		}
		n, err1 := base64.RawURLEncoding.DecodeString(k.N)
		e, err2 := base64.RawURLEncoding.DecodeString(k.E)
		if err1 != nil || err2 != nil {
			t.Fatalf("JWK %s: n or e is not base64url: %v %v", k.Kid, err1, err2)
		}
		keys[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	return keys
}

// verify checks the token's RS256 signature with the key its header names.
func (j auJWT) verify(t testing.TB, keys map[string]*rsa.PublicKey) {
	t.Helper()
	if j.Header["alg"] != "RS256" {
		t.Errorf("alg = %v, want RS256", j.Header["alg"])
	}
	kid, _ := j.Header["kid"].(string)
	pub, ok := keys[kid]
	if !ok {
		t.Fatalf("kid %q is not in the JWKS", kid)
	}
	sum := sha256.Sum256([]byte(j.input))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], j.sig); err != nil {
		t.Errorf("signature of the %s token does not verify with key %s: %v", j.str("token_use"), kid, err)
	}
}

// ---------------------------------------------------------------------------------------
// SignUp, ConfirmSignUp, ResendConfirmationCode

func TestSignUp(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, &cip.CreateUserPoolInput{AutoVerifiedAttributes: auEmailVerified})
	app, _ := auClient(t, c, pool, nil)

	out := must(auSignUp(c, app, "jane", auPassword, "email", "jane@example.com", "given_name", "Jane"))(t)
	if out.UserConfirmed {
		t.Error("UserConfirmed = true, want false")
	}
	sub := aws.ToString(out.UserSub)
	if !uuidV4Pattern.MatchString(sub) {
		t.Errorf("UserSub = %q, want a UUID", sub)
	}
	wantDelivery := &types.CodeDeliveryDetailsType{Destination: aws.String("j***@e***"),
		DeliveryMedium: types.DeliveryMediumTypeEmail, AttributeName: aws.String("email")}
	if diff := cmp.Diff(wantDelivery, out.CodeDeliveryDetails, exported); diff != "" {
		t.Errorf("CodeDeliveryDetails (-want +got):\n%s", diff)
	}
	u := getUser(t, c, pool, "jane")
	if u.UserStatus != types.UserStatusTypeUnconfirmed || !u.Enabled {
		t.Errorf("status %s, enabled %v; want UNCONFIRMED, enabled", u.UserStatus, u.Enabled)
	}
	attrs := attrMap(u.UserAttributes)
	if attrs["sub"] != sub || attrs["email"] != "jane@example.com" || attrs["given_name"] != "Jane" || attrs["email_verified"] == "true" {
		t.Errorf("attributes after SignUp = %v", attrs)
	}

	code, m := auCode(t, s, pool, "jane", 1)
	if m.Subject != "Your verification code" {
		t.Errorf("subject = %q, want %q", m.Subject, "Your verification code")
	}
	if want := "Your verification code is " + code + "."; m.Body != want {
		t.Errorf("body = %q, want %q", m.Body, want)
	}
	if m.DeliveryMedium != "EMAIL" || m.Destination != "jane@example.com" || m.TriggerSource != "CustomMessage_SignUp" {
		t.Errorf("message medium %q, destination %q, trigger %q; want EMAIL, jane@example.com, CustomMessage_SignUp",
			m.DeliveryMedium, m.Destination, m.TriggerSource)
	}

	_, err := auSignUp(c, app, "jane", auPassword, "email", "other@example.com")
	wantErr[*types.UsernameExistsException](t, err, "User already exists")
	_, err = auSignUp(c, app, "weak", "Password!", "email", "weak@example.com")
	wantErr[*types.InvalidPasswordException](t, err, "Password did not conform with policy: Password must have numeric characters")
	if _, err := c.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("weak")}); err == nil {
		t.Error("a refused sign-up left a user behind")
	}
	_, err = auSignUp(c, "nosuchclient0000000000000a", "x", auPassword)
	wantErr[*types.ResourceNotFoundException](t, err, "User pool client nosuchclient0000000000000a does not exist.")

	t.Run("email_verified written by the client", func(t *testing.T) {
		// A client may not write email_verified (aws-sdk-js#3603: SignUp carrying
		// email_verified is answered "A client attempted to write unauthorized attribute").
		_, err := auSignUp(c, app, "vera", auPassword, "email", "vera@example.com", "email_verified", "true")
		wantErr[*types.NotAuthorizedException](t, err, "A client attempted to write unauthorized attribute")
	})

	t.Run("no auto-verified attribute", func(t *testing.T) {
		plain := createPool(t, c, nil)
		papp, _ := auClient(t, c, plain, nil)
		out := must(auSignUp(c, papp, "ned", auPassword, "email", "ned@example.com"))(t)
		if out.CodeDeliveryDetails != nil || out.UserConfirmed {
			t.Errorf("CodeDeliveryDetails %+v, UserConfirmed %v; want none, false", out.CodeDeliveryDetails, out.UserConfirmed)
		}
		if msgs := auInbox(t, s, plain, "ned"); len(msgs) != 0 {
			t.Errorf("a pool that verifies nothing sent %+v", msgs)
		}
		_, err := auResend(c, papp, "ned")
		wantErr[*types.NotAuthorizedException](t, err, "Cannot resend codes. Auto verification not turned on.")
	})

	t.Run("phone number preferred", func(t *testing.T) {
		// With both auto-verified, the sign-up code goes by SMS.
		both := createPool(t, c, &cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{
			types.VerifiedAttributeTypeEmail, types.VerifiedAttributeTypePhoneNumber}})
		bapp, _ := auClient(t, c, both, nil)
		out := must(auSignUp(c, bapp, "pip", auPassword, "email", "pip@example.com", "phone_number", "+15555550100"))(t)
		want := &types.CodeDeliveryDetailsType{Destination: aws.String("+********0100"),
			DeliveryMedium: types.DeliveryMediumTypeSms, AttributeName: aws.String("phone_number")}
		if diff := cmp.Diff(want, out.CodeDeliveryDetails, exported); diff != "" {
			t.Errorf("CodeDeliveryDetails (-want +got):\n%s", diff)
		}
		code, m := auCode(t, s, both, "pip", 1)
		if m.DeliveryMedium != "SMS" || m.Destination != "+15555550100" {
			t.Errorf("message by %q to %q, want SMS to +15555550100", m.DeliveryMedium, m.Destination)
		}
		if err := auConfirm(c, bapp, "pip", code); err != nil {
			t.Fatal(err)
		}
		attrs := attrMap(getUser(t, c, both, "pip").UserAttributes)
		if attrs["phone_number_verified"] != "true" || attrs["email_verified"] == "true" {
			t.Errorf("after confirming by SMS: phone_number_verified %q, email_verified %q; want true and not true",
				attrs["phone_number_verified"], attrs["email_verified"])
		}
	})

	t.Run("message template", func(t *testing.T) {
		tp := createPool(t, c, &cip.CreateUserPoolInput{AutoVerifiedAttributes: auEmailVerified,
			VerificationMessageTemplate: &types.VerificationMessageTemplateType{
				DefaultEmailOption: types.DefaultEmailOptionTypeConfirmWithCode,
				EmailSubject:       aws.String("Welcome to Example"),
				EmailMessage:       aws.String("Hello! Your Example code is {####}. It expires in a day."),
			}})
		tapp, _ := auClient(t, c, tp, nil)
		must(auSignUp(c, tapp, "tim", auPassword, "email", "tim@example.com"))(t)
		code, m := auCode(t, s, tp, "tim", 1)
		if m.Subject != "Welcome to Example" {
			t.Errorf("subject = %q, want the template's", m.Subject)
		}
		if want := "Hello! Your Example code is " + code + ". It expires in a day."; m.Body != want {
			t.Errorf("body = %q, want %q", m.Body, want)
		}
		if err := auConfirm(c, tapp, "tim", code); err != nil {
			t.Errorf("the code of the templated message does not confirm: %v", err)
		}
	})

	t.Run("client with a secret", func(t *testing.T) {
		id, secret := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("server"), GenerateSecret: true})
		signUp := func(user string, hash *string) error {
			_, err := c.SignUp(bg, &cip.SignUpInput{ClientId: aws.String(id), Username: aws.String(user), Password: aws.String(auPassword),
				SecretHash: hash, UserAttributes: attributes("email", user+"@example.com")})
			return err
		}
		wantErr[*types.NotAuthorizedException](t, signUp("sam", nil), "Client "+id+" is configured for secret but secret was not received")
		wantErr[*types.NotAuthorizedException](t, signUp("sam", aws.String(auSecretHash(secret, "someone", id))),
			"Unable to verify secret hash for client "+id)
		wantErr[*types.NotAuthorizedException](t, signUp("sam", aws.String(auSecretHash("not-the-secret", "sam", id))),
			"Unable to verify secret hash for client "+id)
		if err := signUp("sam", aws.String(auSecretHash(secret, "sam", id))); err != nil {
			t.Fatalf("SignUp with the right SecretHash: %v", err)
		}
		code, _ := auCode(t, s, pool, "sam", 1)
		_, err := c.ConfirmSignUp(bg, &cip.ConfirmSignUpInput{ClientId: aws.String(id), Username: aws.String("sam"), ConfirmationCode: aws.String(code)})
		wantErr[*types.NotAuthorizedException](t, err, "Client "+id+" is configured for secret but secret was not received")
		must(c.ConfirmSignUp(bg, &cip.ConfirmSignUpInput{ClientId: aws.String(id), Username: aws.String("sam"), ConfirmationCode: aws.String(code),
			SecretHash: aws.String(auSecretHash(secret, "sam", id))}))(t)
	})

	t.Run("admin-only pool", func(t *testing.T) {
		ap := createPool(t, c, &cip.CreateUserPoolInput{AdminCreateUserConfig: &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true}})
		aapp, _ := auClient(t, c, ap, nil)
		_, err := auSignUp(c, aapp, "ann", auPassword)
		wantErr[*types.NotAuthorizedException](t, err, "SignUp is not permitted for this user pool")
	})
}

func TestConfirmSignUp(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, &cip.CreateUserPoolInput{AutoVerifiedAttributes: auEmailVerified})
	app, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: auPasswordFlows})
	hiding, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("hiding"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled})

	must(auSignUp(c, app, "jane", auPassword, "email", "jane@example.com"))(t)
	code, _ := auCode(t, s, pool, "jane", 1)
	wantErr[*types.CodeMismatchException](t, auConfirm(c, app, "jane", auOther(code)), auMsgMismatch)
	_, err := auPasswordAuth(c, app, "jane", auPassword)
	wantErr[*types.UserNotConfirmedException](t, err, "User is not confirmed.")
	if err := auConfirm(c, app, "jane", code); err != nil {
		t.Fatalf("ConfirmSignUp with the right code: %v", err)
	}
	u := getUser(t, c, pool, "jane")
	if u.UserStatus != types.UserStatusTypeConfirmed {
		t.Errorf("status = %s, want CONFIRMED", u.UserStatus)
	}
	if got := attrMap(u.UserAttributes)["email_verified"]; got != "true" {
		t.Errorf("email_verified = %q, want \"true\"", got)
	}
	wantErr[*types.NotAuthorizedException](t, auConfirm(c, app, "jane", code), "User cannot be confirmed. Current status is CONFIRMED")
	_, err = auResend(c, app, "jane")
	wantErr[*types.InvalidParameterException](t, err, "User is already confirmed.")
	auSignIn(t, c, app, "jane", auPassword)

	t.Run("resent code replaces the old one", func(t *testing.T) {
		must(auSignUp(c, app, "ken", auPassword, "email", "ken@example.com"))(t)
		old, _ := auCode(t, s, pool, "ken", 1)
		var fresh string
		for n := 2; ; n++ { // one chance in a million that the new code equals the old
			out := must(auResend(c, app, "ken"))(t)
			want := &types.CodeDeliveryDetailsType{Destination: aws.String("k***@e***"),
				DeliveryMedium: types.DeliveryMediumTypeEmail, AttributeName: aws.String("email")}
			if diff := cmp.Diff(want, out.CodeDeliveryDetails, exported); diff != "" {
				t.Errorf("ResendConfirmationCode CodeDeliveryDetails (-want +got):\n%s", diff)
			}
			var m inboxMessage
			fresh, m = auCode(t, s, pool, "ken", n)
			if m.TriggerSource != "CustomMessage_ResendCode" || m.Subject != "Your verification code" {
				t.Errorf("resent message trigger %q, subject %q", m.TriggerSource, m.Subject)
			}
			if fresh != old {
				break
			}
		}
		// The newest code wins: the old one no longer matches what is stored.
		wantErr[*types.CodeMismatchException](t, auConfirm(c, app, "ken", old), auMsgMismatch)
		if err := auConfirm(c, app, "ken", fresh); err != nil {
			t.Fatalf("ConfirmSignUp with the resent code: %v", err)
		}
	})

	t.Run("unknown user", func(t *testing.T) {
		wantErr[*types.UserNotFoundException](t, auConfirm(c, app, "nobody", "123456"), "Username/client id combination not found.")
		_, err := auResend(c, app, "nobody")
		wantErr[*types.UserNotFoundException](t, err, "Username/client id combination not found.")
		// A client that hides existence answers as for a wrong code, and pretends to send one.
		wantErr[*types.CodeMismatchException](t, auConfirm(c, hiding, "nobody", "123456"), auMsgMismatch)
		out, err := auResend(c, hiding, "nobody")
		if err != nil || out.CodeDeliveryDetails == nil {
			t.Errorf("ResendConfirmationCode of an unknown user on a hiding client = %+v, %v; want simulated delivery details", out, err)
		}
		if msgs := auInbox(t, s, pool, "nobody"); len(msgs) != 0 {
			t.Errorf("a message was sent for an unknown user: %+v", msgs)
		}
	})

	// Expiry (24 hours) needs the server's clock, which an end-to-end test cannot move; the
	// userpool package tests it with a settable clock.

	t.Run("16th attempt in the hour", func(t *testing.T) {
		must(auSignUp(c, app, "lim", auPassword, "email", "lim@example.com"))(t)
		code, _ := auCode(t, s, pool, "lim", 1)
		for i := range 15 {
			if err := auConfirm(c, app, "lim", auOther(code)); !isCode(err, "CodeMismatchException") {
				t.Fatalf("wrong code %d: %v, want CodeMismatchException", i+1, err)
			}
		}
		wantErr[*types.LimitExceededException](t, auConfirm(c, app, "lim", code), auMsgLimit)
		if got := getUser(t, c, pool, "lim").UserStatus; got != types.UserStatusTypeUnconfirmed {
			t.Errorf("status after the refused 16th attempt = %s, want UNCONFIRMED", got)
		}
	})

	t.Run("6th resend in the hour", func(t *testing.T) {
		must(auSignUp(c, app, "res", auPassword, "email", "res@example.com"))(t)
		for i := range 5 {
			if _, err := auResend(c, app, "res"); err != nil {
				t.Fatalf("resend %d: %v", i+1, err)
			}
		}
		_, err := auResend(c, app, "res")
		wantErr[*types.LimitExceededException](t, err, auMsgLimit)
		if n := len(auInbox(t, s, pool, "res")); n != 6 {
			t.Errorf("inbox holds %d messages, want 6 (sign-up and 5 resends)", n)
		}
	})
}

// TestConfirmCodePurpose checks that a code is bound to its purpose: a sign-up code does not
// verify an attribute, a recovery code does not confirm a sign-up, and the other way round.
func TestConfirmCodePurpose(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, &cip.CreateUserPoolInput{AutoVerifiedAttributes: auEmailVerified})
	app, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: auPasswordFlows})

	t.Run("sign-up code does not verify an attribute", func(t *testing.T) {
		// AdminConfirmSignUp leaves the sign-up code outstanding, so the user can sign in
		// while it still exists.
		must(auSignUp(c, app, "pat", auPassword, "email", "pat@example.com"))(t)
		signUpCode, _ := auCode(t, s, pool, "pat", 1)
		must(c.AdminConfirmSignUp(bg, &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(pool), Username: aws.String("pat")}))(t)
		access := aws.String(aws.ToString(auSignIn(t, c, app, "pat", auPassword).AccessToken))
		verify := func(code string) error {
			_, err := c.VerifyUserAttribute(bg, &cip.VerifyUserAttributeInput{AccessToken: access, AttributeName: aws.String("email"), Code: aws.String(code)})
			return err
		}
		auWantCodeRefused(t, verify(signUpCode))
		var attrCode string
		for n := 2; attrCode == "" || attrCode == signUpCode; n++ {
			must(c.GetUserAttributeVerificationCode(bg, &cip.GetUserAttributeVerificationCodeInput{AccessToken: access, AttributeName: aws.String("email")}))(t)
			attrCode, _ = auCode(t, s, pool, "pat", n)
		}
		auWantCodeRefused(t, verify(signUpCode))
		if err := verify(attrCode); err != nil {
			t.Fatalf("VerifyUserAttribute with its own code: %v", err)
		}
		if got := attrMap(getUser(t, c, pool, "pat").UserAttributes)["email_verified"]; got != "true" {
			t.Errorf("email_verified = %q, want \"true\"", got)
		}
	})

	t.Run("attribute code does not confirm a sign-up", func(t *testing.T) {
		// Only a signed-in user can ask for an attribute code, and only a CONFIRMED user can
		// sign in, so no UNCONFIRMED user ever holds one: ConfirmSignUp refuses a confirmed
		// user on its status before it reads any code. What can be checked from outside is
		// that the attempt neither confirms anything nor uses the attribute code up.
		auUser(t, c, pool, "val", auPassword, "email", "val@example.com")
		access := aws.String(aws.ToString(auSignIn(t, c, app, "val", auPassword).AccessToken))
		must(c.GetUserAttributeVerificationCode(bg, &cip.GetUserAttributeVerificationCodeInput{AccessToken: access, AttributeName: aws.String("email")}))(t)
		attrCode, _ := auCode(t, s, pool, "val", 1)
		wantErr[*types.NotAuthorizedException](t, auConfirm(c, app, "val", attrCode), "User cannot be confirmed. Current status is CONFIRMED")
		must(c.VerifyUserAttribute(bg, &cip.VerifyUserAttributeInput{AccessToken: access, AttributeName: aws.String("email"), Code: aws.String(attrCode)}))(t)
	})

	t.Run("sign-up and recovery codes", func(t *testing.T) {
		// An UNCONFIRMED user whose email an administrator marked verified can ask for a
		// recovery code while its sign-up code is still outstanding.
		must(auSignUp(c, app, "rex", auPassword, "email", "rex@example.com"))(t)
		signUpCode, _ := auCode(t, s, pool, "rex", 1)
		must(c.AdminUpdateUserAttributes(bg, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(pool), Username: aws.String("rex"),
			UserAttributes: attributes("email_verified", "true")}))(t)
		var recoveryCode string
		for n := 2; recoveryCode == "" || recoveryCode == signUpCode; n++ {
			must(c.ForgotPassword(bg, &cip.ForgotPasswordInput{ClientId: aws.String(app), Username: aws.String("rex")}))(t)
			var m inboxMessage
			recoveryCode, m = auCode(t, s, pool, "rex", n)
			if m.TriggerSource != "CustomMessage_ForgotPassword" {
				t.Errorf("recovery message trigger = %q", m.TriggerSource)
			}
		}
		auWantCodeRefused(t, auConfirm(c, app, "rex", recoveryCode))
		_, err := c.ConfirmForgotPassword(bg, &cip.ConfirmForgotPasswordInput{ClientId: aws.String(app), Username: aws.String("rex"),
			ConfirmationCode: aws.String(signUpCode), Password: aws.String("N3w-Passw0rd!")})
		auWantCodeRefused(t, err)
		if err := auConfirm(c, app, "rex", signUpCode); err != nil {
			t.Fatalf("ConfirmSignUp with the sign-up code: %v", err)
		}
		must(c.ConfirmForgotPassword(bg, &cip.ConfirmForgotPasswordInput{ClientId: aws.String(app), Username: aws.String("rex"),
			ConfirmationCode: aws.String(recoveryCode), Password: aws.String("N3w-Passw0rd!")}))(t)
		auSignIn(t, c, app, "rex", "N3w-Passw0rd!")
	})
}

// ---------------------------------------------------------------------------------------
// Password sign-in

func TestUserPasswordAuth(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, &cip.CreateUserPoolInput{AutoVerifiedAttributes: auEmailVerified,
		AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail}})
	app, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: auPasswordFlows})
	hiding, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("hiding"), ExplicitAuthFlows: auPasswordFlows,
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled})
	srpOnly, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("srp-only")})
	auUser(t, c, pool, "alice", auPassword, "email", "alice@example.com", "email_verified", "true")
	auUser(t, c, pool, "una", auPassword, "email", "una@example.com") // email not verified: no alias

	signIn := func(client, user, password string) error {
		_, err := auPasswordAuth(c, client, user, password)
		return err
	}
	res := auSignIn(t, c, app, "alice", auPassword)
	if id := auDecode(t, aws.ToString(res.IdToken)); id.str("cognito:username") != "alice" {
		t.Errorf("cognito:username = %q, want alice", id.str("cognito:username"))
	}
	wantErr[*types.InvalidParameterException](t, signIn(srpOnly, "alice", auPassword), "USER_PASSWORD_AUTH flow not enabled for this client")
	wantErr[*types.NotAuthorizedException](t, signIn(app, "alice", "Wr0ng-Password!"), auMsgIncorrect)
	wantErr[*types.UserNotFoundException](t, signIn(app, "nobody", auPassword), "User does not exist.")
	wantErr[*types.NotAuthorizedException](t, signIn(hiding, "nobody", auPassword), auMsgIncorrect)
	wantErr[*types.NotAuthorizedException](t, signIn(hiding, "alice", "Wr0ng-Password!"), auMsgIncorrect)
	_, err := c.InitiateAuth(bg, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, ClientId: aws.String(app),
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": auPassword}})
	wantErr[*types.InvalidParameterException](t, err, "Initiate Auth method not supported.")

	t.Run("by verified email alias", func(t *testing.T) {
		res := auSignIn(t, c, app, "Alice@Example.com", auPassword)
		id := auDecode(t, aws.ToString(res.IdToken))
		if id.str("cognito:username") != "alice" || id.str("email") != "alice@example.com" {
			t.Errorf("signed in by alias as cognito:username %q, email %q", id.str("cognito:username"), id.str("email"))
		}
		// An email that is not verified is no alias.
		wantErr[*types.UserNotFoundException](t, signIn(app, "una@example.com", auPassword), "User does not exist.")
		auSignIn(t, c, app, "una", auPassword)
	})

	t.Run("unconfirmed", func(t *testing.T) {
		must(auSignUp(c, app, "newbie", auPassword, "email", "newbie@example.com"))(t)
		wantErr[*types.UserNotConfirmedException](t, signIn(app, "newbie", auPassword), "User is not confirmed.")
		wantErr[*types.NotAuthorizedException](t, signIn(app, "newbie", "Wr0ng-Password!"), auMsgIncorrect)
	})

	t.Run("disabled", func(t *testing.T) {
		auUser(t, c, pool, "dora", auPassword)
		must(c.AdminDisableUser(bg, &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("dora")}))(t)
		wantErr[*types.NotAuthorizedException](t, signIn(app, "dora", auPassword), "User is disabled.")
		must(c.AdminEnableUser(bg, &cip.AdminEnableUserInput{UserPoolId: aws.String(pool), Username: aws.String("dora")}))(t)
		auSignIn(t, c, app, "dora", auPassword)
	})

	t.Run("lockout after 5 wrong passwords", func(t *testing.T) {
		auUser(t, c, pool, "locky", auPassword)
		for i := range 5 {
			if err := signIn(app, "locky", "Wr0ng-Password!"); !isCode(err, "NotAuthorizedException") {
				t.Fatalf("wrong password %d: %v", i+1, err)
			} else {
				wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
			}
		}
		wantErr[*types.NotAuthorizedException](t, signIn(app, "locky", auPassword), "Password attempts exceeded")
		// Another user is not locked out.
		auSignIn(t, c, app, "alice", auPassword)
	})

	t.Run("client with a secret", func(t *testing.T) {
		id, secret := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("server"), GenerateSecret: true,
			ExplicitAuthFlows: auPasswordFlows})
		wantErr[*types.NotAuthorizedException](t, signIn(id, "alice", auPassword),
			"Client "+id+" is configured with secret but SECRET_HASH was not received")
		_, err := auPasswordAuth(c, id, "alice", auPassword, "SECRET_HASH", auSecretHash(secret, "bob", id))
		wantErr[*types.NotAuthorizedException](t, err, "Unable to verify secret hash for client "+id)
		auSignIn(t, c, id, "alice", auPassword, "SECRET_HASH", auSecretHash(secret, "alice", id))
	})
}

func TestAdminUserPasswordAuth(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, nil)
	adminApp, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	legacyApp, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("legacy"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAdminNoSrpAuth}})
	publicApp, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("public"), ExplicitAuthFlows: auPasswordFlows})
	auUser(t, c, pool, "adam", auPassword)

	adminAuth := func(client string, flow types.AuthFlowType, password string) (*cip.AdminInitiateAuthOutput, error) {
		return c.AdminInitiateAuth(bg, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(pool), ClientId: aws.String(client), AuthFlow: flow,
			AuthParameters: map[string]string{"USERNAME": "adam", "PASSWORD": password}})
	}
	for _, tc := range []struct {
		client string
		flow   types.AuthFlowType
	}{
		{adminApp, types.AuthFlowTypeAdminUserPasswordAuth},
		{adminApp, types.AuthFlowTypeAdminNoSrpAuth},
		{legacyApp, types.AuthFlowTypeAdminNoSrpAuth},
		{legacyApp, types.AuthFlowTypeAdminUserPasswordAuth},
	} {
		out, err := adminAuth(tc.client, tc.flow, auPassword)
		if err != nil {
			t.Errorf("%s on the client allowing %s: %v", tc.flow, map[string]string{adminApp: "ALLOW_ADMIN_USER_PASSWORD_AUTH", legacyApp: "ADMIN_NO_SRP_AUTH"}[tc.client], err)
			continue
		}
		auWantTokens(t, out.ChallengeName, out.AuthenticationResult, true)
		id := auDecode(t, aws.ToString(out.AuthenticationResult.IdToken))
		if id.str("aud") != tc.client || id.str("cognito:username") != "adam" {
			t.Errorf("%s: aud %q, cognito:username %q", tc.flow, id.str("aud"), id.str("cognito:username"))
		}
	}
	_, err := adminAuth(adminApp, types.AuthFlowTypeAdminUserPasswordAuth, "Wr0ng-Password!")
	wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
	_, err = adminAuth(publicApp, types.AuthFlowTypeAdminUserPasswordAuth, auPassword)
	if e := wantCode(t, err, "InvalidParameterException"); !strings.HasSuffix(e.ErrorMessage(), "flow not enabled for this client") {
		t.Errorf("ADMIN_USER_PASSWORD_AUTH on a client without it: %v", err)
	}
	_, err = adminAuth(adminApp, types.AuthFlowTypeUserPasswordAuth, auPassword)
	wantErr[*types.InvalidParameterException](t, err, "Initiate Auth method not supported.")
	_, err = c.AdminInitiateAuth(bg, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(pool), ClientId: aws.String(adminApp),
		AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": "nobody", "PASSWORD": auPassword}})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
}

func TestNewPasswordRequired(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, nil)
	app, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: append([]types.ExplicitAuthFlowsType{
		types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowUserSrpAuth}, auPasswordFlows...)})
	other, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("other"), ExplicitAuthFlows: auPasswordFlows})
	const temp, fresh = "Temp-Passw0rd!", "N3w-Passw0rd!"
	invite := func(pool, user string, attrs ...string) {
		t.Helper()
		must(c.AdminCreateUser(bg, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String(user),
			TemporaryPassword: aws.String(temp), MessageAction: types.MessageActionTypeSuppress, UserAttributes: attributes(attrs...)}))(t)
	}
	respond := func(client, user, session string, extra ...string) (*cip.RespondToAuthChallengeOutput, error) {
		r := map[string]string{"USERNAME": user}
		for i := 0; i+1 < len(extra); i += 2 {
			r[extra[i]] = extra[i+1]
		}
		return c.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(client),
			ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: aws.String(session), ChallengeResponses: r})
	}

	invite(pool, "nina", "email", "nina@example.com", "given_name", "Nina")
	out := must(auPasswordAuth(c, app, "nina", temp))(t)
	if out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || out.AuthenticationResult != nil {
		t.Fatalf("ChallengeName %q, AuthenticationResult %+v; want NEW_PASSWORD_REQUIRED and no tokens", out.ChallengeName, out.AuthenticationResult)
	}
	session := aws.ToString(out.Session)
	if session == "" {
		t.Fatal("no Session")
	}
	p := out.ChallengeParameters
	if p["USER_ID_FOR_SRP"] != "nina" {
		t.Errorf("USER_ID_FOR_SRP = %q, want nina", p["USER_ID_FOR_SRP"])
	}
	var required []string
	if err := json.Unmarshal([]byte(p["requiredAttributes"]), &required); err != nil || len(required) != 0 {
		t.Errorf("requiredAttributes = %q, want []", p["requiredAttributes"])
	}
	var userAttrs map[string]string
	if err := json.Unmarshal([]byte(p["userAttributes"]), &userAttrs); err != nil {
		t.Errorf("userAttributes = %q: %v", p["userAttributes"], err)
	} else if userAttrs["email"] != "nina@example.com" || userAttrs["given_name"] != "Nina" {
		t.Errorf("userAttributes = %v, want the user's email and given_name", userAttrs)
	}

	_, err := respond(app, "nina", session, "NEW_PASSWORD", "short")
	wantErr[*types.InvalidPasswordException](t, err, "Password does not conform to policy: Password not long enough")
	_, err = respond(app, "nina", session, "NEW_PASSWORD", "nosymbols1A")
	wantErr[*types.InvalidPasswordException](t, err, "Password does not conform to policy: Password must have symbol characters")
	_, err = respond(app, "nina", "garbage-session-of-no-use-to-anyone", "NEW_PASSWORD", fresh)
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")
	_, err = respond(other, "nina", session, "NEW_PASSWORD", fresh)
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")
	if got := getUser(t, c, pool, "nina").UserStatus; got != types.UserStatusTypeForceChangePassword {
		t.Fatalf("status after refused answers = %s, want FORCE_CHANGE_PASSWORD", got)
	}

	done := must(respond(app, "nina", session, "NEW_PASSWORD", fresh))(t)
	auWantTokens(t, done.ChallengeName, done.AuthenticationResult, true)
	if got := getUser(t, c, pool, "nina").UserStatus; got != types.UserStatusTypeConfirmed {
		t.Errorf("status after NEW_PASSWORD = %s, want CONFIRMED", got)
	}
	me := must(c.GetUser(bg, &cip.GetUserInput{AccessToken: done.AuthenticationResult.AccessToken}))(t)
	if aws.ToString(me.Username) != "nina" {
		t.Errorf("GetUser with the new tokens: %q", aws.ToString(me.Username))
	}
	auSignIn(t, c, app, "nina", fresh)
	_, err = auPasswordAuth(c, app, "nina", temp)
	wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
	_, err = respond(app, "nina", session, "NEW_PASSWORD", "An0ther-Passw0rd!")
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")

	t.Run("attributes given with the new password", func(t *testing.T) {
		invite(pool, "gail", "email", "gail@example.com")
		out := must(auPasswordAuth(c, app, "gail", temp))(t)
		must(respond(app, "gail", aws.ToString(out.Session), "NEW_PASSWORD", fresh, "userAttributes.given_name", "Gail"))(t)
		if got := attrMap(getUser(t, c, pool, "gail").UserAttributes)["given_name"]; got != "Gail" {
			t.Errorf("given_name = %q, want Gail", got)
		}
	})

	t.Run("verification flags", func(t *testing.T) {
		// AWS sends email_verified in userAttributes and refuses it back: "the api doesn't
		// accept this field back", says the amazon-cognito-identity-js README (use case 23),
		// whose newPasswordRequired example deletes userAttributes.email_verified before
		// answering.
		invite(pool, "vic", "email", "vic@example.com", "email_verified", "true")
		out := must(auPasswordAuth(c, app, "vic", temp))(t)
		var ua map[string]string
		if err := json.Unmarshal([]byte(out.ChallengeParameters["userAttributes"]), &ua); err != nil {
			t.Fatalf("userAttributes = %q: %v", out.ChallengeParameters["userAttributes"], err)
		}
		if ua["email"] != "vic@example.com" || ua["email_verified"] != "true" {
			t.Errorf("userAttributes = %v, want email and email_verified \"true\" as AWS sends them", ua)
		}
		if _, ok := ua["sub"]; ok {
			t.Errorf("userAttributes carries sub: %v", ua)
		}
		// A user must not mark an address of its choosing verified while answering.
		_, err := respond(app, "vic", aws.ToString(out.Session), "NEW_PASSWORD", fresh,
			"userAttributes.email", "someone-else@example.com", "userAttributes.email_verified", "true")
		auWantWriteRefused(t, err)
		u := getUser(t, c, pool, "vic")
		if attrs := attrMap(u.UserAttributes); attrs["email"] != "vic@example.com" || u.UserStatus != types.UserStatusTypeForceChangePassword {
			t.Errorf("after answering with email_verified: status %s, email %q, email_verified %q; want nothing changed",
				u.UserStatus, attrs["email"], attrs["email_verified"])
		}
	})

	t.Run("required attribute missing", func(t *testing.T) {
		rp := createPool(t, c, &cip.CreateUserPoolInput{Schema: []types.SchemaAttributeType{{Name: aws.String("name"),
			AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)}}})
		rapp, _ := auClient(t, c, rp, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: auPasswordFlows})
		// AWS lets AdminCreateUser leave a required attribute for the user to supply when
		// answering NEW_PASSWORD_REQUIRED (API reference, AdminCreateUser UserAttributes).
		_, err := c.AdminCreateUser(bg, &cip.AdminCreateUserInput{UserPoolId: aws.String(rp), Username: aws.String("rhea"),
			TemporaryPassword: aws.String(temp), MessageAction: types.MessageActionTypeSuppress})
		if isCode(err, "InvalidParameterException") {
			t.Skipf("AdminCreateUser refuses a user without the required attribute (%v), so no challenge can ask for it", err)
		}
		if err != nil {
			t.Fatal(err)
		}
		out := must(auPasswordAuth(c, rapp, "rhea", temp))(t)
		var required []string
		if err := json.Unmarshal([]byte(out.ChallengeParameters["requiredAttributes"]), &required); err != nil ||
			!cmp.Equal(required, []string{"userAttributes.name"}) {
			t.Errorf("requiredAttributes = %q, want [\"userAttributes.name\"]", out.ChallengeParameters["requiredAttributes"])
		}
		_, err = respond(rapp, "rhea", aws.ToString(out.Session), "NEW_PASSWORD", fresh)
		wantCode(t, err, "InvalidParameterException")
		must(respond(rapp, "rhea", aws.ToString(out.Session), "NEW_PASSWORD", fresh, "userAttributes.name", "Rhea"))(t)
	})

	t.Run("AdminRespondToAuthChallenge", func(t *testing.T) {
		invite(pool, "olga")
		out := must(c.AdminInitiateAuth(bg, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(pool), ClientId: aws.String(app),
			AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": "olga", "PASSWORD": temp}}))(t)
		if out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || aws.ToString(out.Session) == "" {
			t.Fatalf("AdminInitiateAuth with a temporary password: ChallengeName %q, Session %q", out.ChallengeName, aws.ToString(out.Session))
		}
		adminRespond := func(session, password string) (*cip.AdminRespondToAuthChallengeOutput, error) {
			return c.AdminRespondToAuthChallenge(bg, &cip.AdminRespondToAuthChallengeInput{UserPoolId: aws.String(pool), ClientId: aws.String(app),
				ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: aws.String(session),
				ChallengeResponses: map[string]string{"USERNAME": "olga", "NEW_PASSWORD": password}})
		}
		_, err := adminRespond(aws.ToString(out.Session), "weak")
		wantErr[*types.InvalidPasswordException](t, err, "Password does not conform to policy: Password not long enough")
		_, err = adminRespond("garbage-session-of-no-use-to-anyone", fresh)
		wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")
		res := must(adminRespond(aws.ToString(out.Session), fresh))(t)
		auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
		if got := getUser(t, c, pool, "olga").UserStatus; got != types.UserStatusTypeConfirmed {
			t.Errorf("status = %s, want CONFIRMED", got)
		}
	})
}

// ---------------------------------------------------------------------------------------
// USER_SRP_AUTH

// auSRP runs USER_SRP_AUTH through its challenge with the test client: it returns the
// InitiateAuth answer and, when it was PASSWORD_VERIFIER, the answer to the claim (or the
// error). tamper may change the ChallengeResponses before they are sent.
func auSRP(t testing.TB, c *cip.Client, pool, clientID, username, password string, hash func(user string) string,
	tamper func(map[string]string)) (*cip.InitiateAuthOutput, *cip.RespondToAuthChallengeOutput, error) {
	t.Helper()
	sc := newSRPClient(t, pool)
	params := map[string]string{"USERNAME": username, "SRP_A": sc.SRPA()}
	if hash != nil {
		params["SECRET_HASH"] = hash(username)
	}
	first, err := c.InitiateAuth(bg, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(clientID), AuthParameters: params})
	if err != nil {
		return nil, nil, err
	}
	if first.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("ChallengeName = %q, want PASSWORD_VERIFIER", first.ChallengeName)
	}
	for _, k := range []string{"SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP", "USERNAME"} {
		if first.ChallengeParameters[k] == "" {
			t.Errorf("challenge parameter %s missing: %v", k, first.ChallengeParameters)
		}
	}
	answer, err := sc.Respond(first.ChallengeParameters, password, time.Now())
	if err != nil {
		t.Fatalf("the SRP client refuses the challenge: %v", err)
	}
	if hash != nil {
		answer["SECRET_HASH"] = hash(answer["USERNAME"])
	}
	if tamper != nil {
		tamper(answer)
	}
	second, err := c.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(clientID),
		ChallengeName: types.ChallengeNameTypePasswordVerifier, ChallengeResponses: answer, Session: first.Session})
	return first, second, err
}

func TestSRPAuth(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, &cip.CreateUserPoolInput{AutoVerifiedAttributes: auEmailVerified,
		AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail}})
	app, _ := auClient(t, c, pool, nil) // no ExplicitAuthFlows: SRP is allowed by default
	hiding, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("hiding"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled})
	pwOnly, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("password-only"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth}})
	auUser(t, c, pool, "sam", auPassword, "email", "sam@example.com", "email_verified", "true")

	first, res, err := auSRP(t, c, pool, app, "sam", auPassword, nil, nil)
	if err != nil {
		t.Fatalf("USER_SRP_AUTH with the right password: %v", err)
	}
	if got := first.ChallengeParameters["USER_ID_FOR_SRP"]; got != "sam" {
		t.Errorf("USER_ID_FOR_SRP = %q, want sam", got)
	}
	auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
	if id := auDecode(t, aws.ToString(res.AuthenticationResult.IdToken)); id.str("cognito:username") != "sam" || id.str("aud") != app {
		t.Errorf("ID token after SRP: cognito:username %q, aud %q", id.str("cognito:username"), id.str("aud"))
	}

	_, _, err = auSRP(t, c, pool, app, "sam", "Wr0ng-Password!", nil, nil)
	wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
	_, _, err = auSRP(t, c, pool, app, "sam", auPassword, nil, func(r map[string]string) {
		sig, _ := base64.StdEncoding.DecodeString(r["PASSWORD_CLAIM_SIGNATURE"])
		sig[7] ^= 0x01
		r["PASSWORD_CLAIM_SIGNATURE"] = base64.StdEncoding.EncodeToString(sig)
	})
	wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
	_, _, err = auSRP(t, c, pool, app, "sam", auPassword, nil, func(r map[string]string) {
		r["TIMESTAMP"] = srpTimestamp(time.Now().Add(24 * time.Hour)) // signed over another timestamp
	})
	wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
	_, _, err = auSRP(t, c, pool, pwOnly, "sam", auPassword, nil, nil)
	wantErr[*types.InvalidParameterException](t, err, "USER_SRP_AUTH flow not enabled for this client")

	t.Run("replayed answer", func(t *testing.T) {
		// One PASSWORD_VERIFIER answer signs in once: whoever sees it (a log, a proxy) must
		// not be able to send it again for a session of their own. AWS challenge state is
		// single-use ("Invalid session for the user, session can only be used once.").
		sc := newSRPClient(t, pool)
		first := must(c.InitiateAuth(bg, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(app),
			AuthParameters: map[string]string{"USERNAME": "sam", "SRP_A": sc.SRPA()}}))(t)
		answer, err := sc.Respond(first.ChallengeParameters, auPassword, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		in := &cip.RespondToAuthChallengeInput{ClientId: aws.String(app), ChallengeName: types.ChallengeNameTypePasswordVerifier,
			ChallengeResponses: answer, Session: first.Session}
		res := must(c.RespondToAuthChallenge(bg, in))(t)
		auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
		_, err = c.RespondToAuthChallenge(bg, in)
		wantCode(t, err, "NotAuthorizedException")
	})

	t.Run("lockout", func(t *testing.T) {
		auUser(t, c, pool, "lou", auPassword)
		for i := range 5 {
			if _, _, err := auSRP(t, c, pool, app, "lou", "Wr0ng-Password!", nil, nil); !isCode(err, "NotAuthorizedException") {
				t.Fatalf("wrong password %d: %v", i+1, err)
			}
		}
		_, _, err := auSRP(t, c, pool, app, "lou", auPassword, nil, nil)
		wantErr[*types.NotAuthorizedException](t, err, "Password attempts exceeded")
	})

	t.Run("alias", func(t *testing.T) {
		// The client signs the claim as USER_ID_FOR_SRP, the real username, not what was typed.
		first, res, err := auSRP(t, c, pool, app, "sam@example.com", auPassword, nil, nil)
		if err != nil {
			t.Fatalf("USER_SRP_AUTH by email alias: %v", err)
		}
		if got := first.ChallengeParameters["USER_ID_FOR_SRP"]; got != "sam" {
			t.Errorf("USER_ID_FOR_SRP = %q, want sam", got)
		}
		auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
	})

	t.Run("unknown user", func(t *testing.T) {
		sc := newSRPClient(t, pool)
		_, err := c.InitiateAuth(bg, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(app),
			AuthParameters: map[string]string{"USERNAME": "nobody", "SRP_A": sc.SRPA()}})
		wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
		// A client that hides existence answers a challenge like any other, which no
		// password passes.
		first, _, err := auSRP(t, c, pool, hiding, "nobody", auPassword, nil, nil)
		wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
		if first != nil && first.ChallengeParameters["USER_ID_FOR_SRP"] != "nobody" {
			t.Errorf("simulated USER_ID_FOR_SRP = %q", first.ChallengeParameters["USER_ID_FOR_SRP"])
		}
		again, _, _ := auSRP(t, c, pool, hiding, "nobody", auPassword, nil, nil)
		if first != nil && again != nil && first.ChallengeParameters["SALT"] != again.ChallengeParameters["SALT"] {
			t.Errorf("the simulated salt changes between attempts (%s, %s): a real user's does not", first.ChallengeParameters["SALT"], again.ChallengeParameters["SALT"])
		}
	})

	t.Run("signed-up user", func(t *testing.T) {
		must(auSignUp(c, app, "sue", auPassword, "email", "sue@example.com"))(t)
		code, _ := auCode(t, s, pool, "sue", 1)
		_, _, err := auSRP(t, c, pool, app, "sue", auPassword, nil, nil)
		wantErr[*types.UserNotConfirmedException](t, err, "User is not confirmed.")
		if err := auConfirm(c, app, "sue", code); err != nil {
			t.Fatal(err)
		}
		if _, _, err := auSRP(t, c, pool, app, "sue", auPassword, nil, nil); err != nil {
			t.Errorf("USER_SRP_AUTH after ConfirmSignUp: %v", err)
		}
	})

	t.Run("disabled", func(t *testing.T) {
		auUser(t, c, pool, "dan", auPassword)
		must(c.AdminDisableUser(bg, &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("dan")}))(t)
		_, _, err := auSRP(t, c, pool, app, "dan", auPassword, nil, nil)
		wantErr[*types.NotAuthorizedException](t, err, "User is disabled.")
	})

	t.Run("new password required", func(t *testing.T) {
		must(c.AdminCreateUser(bg, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("tara"),
			TemporaryPassword: aws.String("Temp-Passw0rd!"), MessageAction: types.MessageActionTypeSuppress}))(t)
		_, res, err := auSRP(t, c, pool, app, "tara", "Temp-Passw0rd!", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || aws.ToString(res.Session) == "" {
			t.Fatalf("after the claim: ChallengeName %q, Session %q; want NEW_PASSWORD_REQUIRED", res.ChallengeName, aws.ToString(res.Session))
		}
		done := must(c.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(app),
			ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: res.Session,
			ChallengeResponses: map[string]string{"USERNAME": "tara", "NEW_PASSWORD": "N3w-Passw0rd!"}}))(t)
		auWantTokens(t, done.ChallengeName, done.AuthenticationResult, true)
		// The verifier follows the new password.
		if _, _, err := auSRP(t, c, pool, app, "tara", "N3w-Passw0rd!", nil, nil); err != nil {
			t.Errorf("USER_SRP_AUTH with the new password: %v", err)
		}
		_, _, err = auSRP(t, c, pool, app, "tara", "Temp-Passw0rd!", nil, nil)
		wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
	})

	t.Run("client with a secret", func(t *testing.T) {
		id, secret := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("server"), GenerateSecret: true})
		hash := func(user string) string { return auSecretHash(secret, user, id) }
		if _, _, err := auSRP(t, c, pool, id, "sam", auPassword, hash, nil); err != nil {
			t.Errorf("USER_SRP_AUTH with SECRET_HASH: %v", err)
		}
		sc := newSRPClient(t, pool)
		_, err := c.InitiateAuth(bg, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(id),
			AuthParameters: map[string]string{"USERNAME": "sam", "SRP_A": sc.SRPA()}})
		wantErr[*types.NotAuthorizedException](t, err, "Client "+id+" is configured with secret but SECRET_HASH was not received")
	})

	t.Run("email as username", func(t *testing.T) {
		// USER_ID_FOR_SRP is then the generated username (the sub), which the claim signs.
		ep := createPool(t, c, &cip.CreateUserPoolInput{UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}})
		eapp, _ := auClient(t, c, ep, nil)
		created := createUser(t, c, ep, "eve@example.com")
		must(c.AdminSetUserPassword(bg, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(ep), Username: aws.String("eve@example.com"),
			Password: aws.String(auPassword), Permanent: true}))(t)
		first, res, err := auSRP(t, c, ep, eapp, "eve@example.com", auPassword, nil, nil)
		if err != nil {
			t.Fatalf("USER_SRP_AUTH by email in an email-as-username pool: %v", err)
		}
		if got, want := first.ChallengeParameters["USER_ID_FOR_SRP"], aws.ToString(created.Username); got != want {
			t.Errorf("USER_ID_FOR_SRP = %q, want the username %q", got, want)
		}
		auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
	})
}

// ---------------------------------------------------------------------------------------
// Tokens

func TestTokenClaims(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, nil)
	app, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: auPasswordFlows})
	auUser(t, c, pool, "tess", auPassword, "email", "tess@example.com", "email_verified", "true", "given_name", "Tess")
	sub := attrMap(getUser(t, c, pool, "tess").UserAttributes)["sub"]
	iss := s.URL + "/" + pool

	before := time.Now().Unix()
	res := auSignIn(t, c, app, "tess", auPassword)
	after := time.Now().Unix()
	id := auDecode(t, aws.ToString(res.IdToken))
	access := auDecode(t, aws.ToString(res.AccessToken))

	for name, want := range map[string]any{
		"sub": sub, "aud": app, "token_use": "id", "cognito:username": "tess", "iss": iss,
		"email": "tess@example.com", "email_verified": true, "given_name": "Tess",
	} {
		if got := id.Claims[name]; got != want {
			t.Errorf("ID token %s = %#v, want %#v", name, got, want)
		}
	}
	for name, want := range map[string]any{
		"sub": sub, "client_id": app, "token_use": "access", "scope": "aws.cognito.signin.user.admin", "username": "tess", "iss": iss,
	} {
		if got := access.Claims[name]; got != want {
			t.Errorf("access token %s = %#v, want %#v", name, got, want)
		}
	}
	for _, name := range []string{"aud", "email", "cognito:username", "cognito:groups"} {
		if v, ok := access.Claims[name]; ok {
			t.Errorf("access token has %s = %#v, want none", name, v)
		}
	}
	if _, ok := id.Claims["cognito:groups"]; ok {
		t.Errorf("ID token of a user in no group has cognito:groups %v", id.Claims["cognito:groups"])
	}
	for _, tok := range []auJWT{id, access} {
		use := tok.str("token_use")
		iat, exp, authTime := tok.num(t, "iat"), tok.num(t, "exp"), tok.num(t, "auth_time")
		if exp-iat != 3600 {
			t.Errorf("%s token exp - iat = %d, want 3600", use, exp-iat)
		}
		if iat < before-1 || iat > after+1 || authTime != iat {
			t.Errorf("%s token iat %d, auth_time %d; want both the sign-in time, within [%d, %d]", use, iat, authTime, before, after)
		}
		if !uuidV4Pattern.MatchString(tok.str("jti")) || !uuidV4Pattern.MatchString(tok.str("origin_jti")) {
			t.Errorf("%s token jti %q, origin_jti %q: want UUIDs", use, tok.str("jti"), tok.str("origin_jti"))
		}
		if tok.Header["typ"] != nil && tok.Header["typ"] != "JWT" {
			t.Errorf("%s token typ = %v", use, tok.Header["typ"])
		}
	}
	if id.str("jti") == access.str("jti") {
		t.Error("ID and access tokens share a jti")
	}
	if id.str("origin_jti") != access.str("origin_jti") {
		t.Errorf("origin_jti differs between ID (%s) and access (%s) tokens of one sign-in", id.str("origin_jti"), access.str("origin_jti"))
	}
	if id.Header["kid"] == access.Header["kid"] {
		t.Errorf("ID and access tokens are signed with the same kid %v", id.Header["kid"])
	}

	keys := auJWKS(t, s, pool)
	if len(keys) < 2 {
		t.Errorf("JWKS has %d keys, want at least 2", len(keys))
	}
	id.verify(t, keys)
	access.verify(t, keys)
	forged := access
	forged.input = strings.Replace(forged.input, ".", ".e", 1)
	sum := sha256.Sum256([]byte(forged.input))
	if rsa.VerifyPKCS1v15(keys[access.Header["kid"].(string)], crypto.SHA256, sum[:], access.sig) == nil {
		t.Error("the signature also verifies over changed content")
	}
	if status, _, _ := httpDo(t, http.MethodGet, s.URL+"/"+missingPool+"/.well-known/jwks.json", nil, nil); status == http.StatusOK {
		t.Errorf("jwks.json of a pool that does not exist answers 200")
	}

	status, _, body := httpDo(t, http.MethodGet, iss+"/.well-known/openid-configuration", nil, nil)
	if status != http.StatusOK {
		t.Fatalf("GET openid-configuration: %d %s", status, body)
	}
	var oidc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.Unmarshal(body, &oidc); err != nil {
		t.Fatalf("openid-configuration: %v in %s", err, body)
	}
	if oidc.Issuer != iss || oidc.JWKSURI != iss+"/.well-known/jwks.json" {
		t.Errorf("openid-configuration issuer %q, jwks_uri %q; want %q and its /.well-known/jwks.json", oidc.Issuer, oidc.JWKSURI, iss)
	}

	t.Run("groups", func(t *testing.T) {
		for _, g := range []struct {
			name string
			prec int32
		}{{"readers", 5}, {"admins", 1}} {
			must(c.CreateGroup(bg, &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String(g.name), Precedence: aws.Int32(g.prec)}))(t)
			must(c.AdminAddUserToGroup(bg, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(pool), Username: aws.String("tess"), GroupName: aws.String(g.name)}))(t)
		}
		res := auSignIn(t, c, app, "tess", auPassword)
		want := []any{"admins", "readers"} // by precedence
		for _, tok := range []auJWT{auDecode(t, aws.ToString(res.AccessToken)), auDecode(t, aws.ToString(res.IdToken))} {
			if got := tok.Claims["cognito:groups"]; !cmp.Equal(got, want) {
				t.Errorf("%s token cognito:groups = %#v, want %#v", tok.str("token_use"), got, want)
			}
		}
	})

	t.Run("client reading only some attributes", func(t *testing.T) {
		narrow, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("narrow"), ExplicitAuthFlows: auPasswordFlows,
			ReadAttributes: []string{"email", "email_verified"}})
		id := auDecode(t, aws.ToString(auSignIn(t, c, narrow, "tess", auPassword).IdToken))
		if _, ok := id.Claims["given_name"]; ok || id.str("email") != "tess@example.com" {
			t.Errorf("ID token for a client reading email only: given_name %v, email %v", id.Claims["given_name"], id.Claims["email"])
		}
	})
}

// ---------------------------------------------------------------------------------------
// Refresh, revocation, sign-out

func TestRefreshTokenAuth(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, nil)
	app, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: auPasswordFlows})
	other, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("other"), ExplicitAuthFlows: auPasswordFlows})
	auUser(t, c, pool, "rita", auPassword)

	refresh := func(client, rt string, flow types.AuthFlowType) (*cip.InitiateAuthOutput, error) {
		return c.InitiateAuth(bg, &cip.InitiateAuthInput{AuthFlow: flow, ClientId: aws.String(client),
			AuthParameters: map[string]string{"REFRESH_TOKEN": rt}})
	}
	getTokens := func(client, rt string) (*cip.GetTokensFromRefreshTokenOutput, error) {
		return c.GetTokensFromRefreshToken(bg, &cip.GetTokensFromRefreshTokenInput{ClientId: aws.String(client), RefreshToken: aws.String(rt)})
	}
	useAccess := func(access *string) error {
		_, err := c.GetUser(bg, &cip.GetUserInput{AccessToken: access})
		return err
	}

	first := auSignIn(t, c, app, "rita", auPassword)
	rt := aws.ToString(first.RefreshToken)
	if !strings.HasPrefix(rt, "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.") || strings.Count(rt, ".") != 4 {
		t.Errorf("refresh token %.60s… is not shaped as Cognito's JWE", rt)
	}
	firstID := auDecode(t, aws.ToString(first.IdToken))
	for _, flow := range []types.AuthFlowType{types.AuthFlowTypeRefreshTokenAuth, types.AuthFlowTypeRefreshToken} {
		out, err := refresh(app, rt, flow)
		if err != nil {
			t.Fatalf("%s: %v", flow, err)
		}
		auWantTokens(t, out.ChallengeName, out.AuthenticationResult, false)
		id := auDecode(t, aws.ToString(out.AuthenticationResult.IdToken))
		if id.str("origin_jti") != firstID.str("origin_jti") || id.num(t, "auth_time") != firstID.num(t, "auth_time") {
			t.Errorf("%s: origin_jti %s, auth_time %d; want the sign-in's %s, %d", flow, id.str("origin_jti"), id.num(t, "auth_time"),
				firstID.str("origin_jti"), firstID.num(t, "auth_time"))
		}
		if id.str("jti") == firstID.str("jti") {
			t.Errorf("%s: the new ID token repeats the jti of the first", flow)
		}
		if err := useAccess(out.AuthenticationResult.AccessToken); err != nil {
			t.Errorf("GetUser with a refreshed access token: %v", err)
		}
	}
	got := must(getTokens(app, rt))(t)
	auWantTokens(t, "", got.AuthenticationResult, false)

	_, err := refresh(app, "not-a-refresh-token", types.AuthFlowTypeRefreshTokenAuth)
	wantErr[*types.NotAuthorizedException](t, err, "Invalid Refresh Token")
	_, err = getTokens(app, "not-a-refresh-token")
	wantErr[*types.NotAuthorizedException](t, err, "Invalid Refresh Token")
	_, err = refresh(other, rt, types.AuthFlowTypeRefreshTokenAuth)
	wantErr[*types.NotAuthorizedException](t, err, "Invalid Refresh Token")

	t.Run("RevokeToken", func(t *testing.T) {
		res := auSignIn(t, c, app, "rita", auPassword)
		_, err := c.RevokeToken(bg, &cip.RevokeTokenInput{ClientId: aws.String(app), Token: res.AccessToken})
		wantCode(t, err, "UnsupportedTokenTypeException")
		must(c.RevokeToken(bg, &cip.RevokeTokenInput{ClientId: aws.String(app), Token: res.RefreshToken}))(t)
		_, err = refresh(app, aws.ToString(res.RefreshToken), types.AuthFlowTypeRefreshTokenAuth)
		wantErr[*types.NotAuthorizedException](t, err, "Refresh Token has been revoked")
		_, err = getTokens(app, aws.ToString(res.RefreshToken))
		wantErr[*types.NotAuthorizedException](t, err, "Refresh Token has been revoked")
		wantErr[*types.NotAuthorizedException](t, useAccess(res.AccessToken), "Access Token has been revoked")
		// Revoking again changes nothing; the first sign-in's session is untouched.
		must(c.RevokeToken(bg, &cip.RevokeTokenInput{ClientId: aws.String(app), Token: res.RefreshToken}))(t)
		must(refresh(app, rt, types.AuthFlowTypeRefreshTokenAuth))(t)
		if err := useAccess(first.AccessToken); err != nil {
			t.Errorf("another session's access token after RevokeToken: %v", err)
		}
	})

	for _, so := range []struct {
		name, user string
		signOut    func(t *testing.T, user string, access *string)
	}{
		{"GlobalSignOut", "gus", func(t *testing.T, _ string, access *string) {
			must(c.GlobalSignOut(bg, &cip.GlobalSignOutInput{AccessToken: access}))(t)
		}},
		{"AdminUserGlobalSignOut", "ada", func(t *testing.T, user string, _ *string) {
			must(c.AdminUserGlobalSignOut(bg, &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(pool), Username: aws.String(user)}))(t)
		}},
	} {
		t.Run(so.name, func(t *testing.T) {
			auUser(t, c, pool, so.user, auPassword)
			a := auSignIn(t, c, app, so.user, auPassword)
			b := auSignIn(t, c, other, so.user, auPassword)
			so.signOut(t, so.user, a.AccessToken)
			for _, r := range []struct {
				client string
				res    *types.AuthenticationResultType
			}{{app, a}, {other, b}} {
				_, err := refresh(r.client, aws.ToString(r.res.RefreshToken), types.AuthFlowTypeRefreshTokenAuth)
				wantErr[*types.NotAuthorizedException](t, err, "Refresh Token has been revoked")
				_, err = getTokens(r.client, aws.ToString(r.res.RefreshToken))
				wantErr[*types.NotAuthorizedException](t, err, "Refresh Token has been revoked")
				wantErr[*types.NotAuthorizedException](t, useAccess(r.res.AccessToken), "Access Token has been revoked")
			}
			_, err := c.GlobalSignOut(bg, &cip.GlobalSignOutInput{AccessToken: a.AccessToken})
			wantErr[*types.NotAuthorizedException](t, err, "Access Token has been revoked")
			// Signing in again works, and so do the new tokens.
			fresh := auSignIn(t, c, app, so.user, auPassword)
			if err := useAccess(fresh.AccessToken); err != nil {
				t.Errorf("GetUser after signing in again: %v", err)
			}
			if _, err := refresh(app, aws.ToString(fresh.RefreshToken), types.AuthFlowTypeRefreshTokenAuth); err != nil {
				t.Errorf("refresh after signing in again: %v", err)
			}
			// Another user's sessions stand.
			if err := useAccess(first.AccessToken); err != nil {
				t.Errorf("another user's access token after %s: %v", so.name, err)
			}
		})
	}

	t.Run("disabled user", func(t *testing.T) {
		auUser(t, c, pool, "dina", auPassword)
		res := auSignIn(t, c, app, "dina", auPassword)
		// AdminDisableUser revokes the user's tokens, as AWS documents; they stay revoked
		// after AdminEnableUser.
		must(c.AdminDisableUser(bg, &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("dina")}))(t)
		_, err := refresh(app, aws.ToString(res.RefreshToken), types.AuthFlowTypeRefreshTokenAuth)
		wantErr[*types.NotAuthorizedException](t, err, "Refresh Token has been revoked")
		wantErr[*types.NotAuthorizedException](t, useAccess(res.AccessToken), "Access Token has been revoked")
		must(c.AdminEnableUser(bg, &cip.AdminEnableUserInput{UserPoolId: aws.String(pool), Username: aws.String("dina")}))(t)
		_, err = refresh(app, aws.ToString(res.RefreshToken), types.AuthFlowTypeRefreshTokenAuth)
		wantErr[*types.NotAuthorizedException](t, err, "Refresh Token has been revoked")
		fresh := auSignIn(t, c, app, "dina", auPassword)
		if err := useAccess(fresh.AccessToken); err != nil {
			t.Errorf("GetUser after enabling and signing in again: %v", err)
		}
	})

	t.Run("client with a secret", func(t *testing.T) {
		id, secret := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("server"), GenerateSecret: true,
			ExplicitAuthFlows: auPasswordFlows})
		res := auSignIn(t, c, id, "rita", auPassword, "SECRET_HASH", auSecretHash(secret, "rita", id))
		rt := aws.ToString(res.RefreshToken)
		_, err := refresh(id, rt, types.AuthFlowTypeRefreshTokenAuth)
		wantErr[*types.NotAuthorizedException](t, err, "Client "+id+" is configured with secret but SECRET_HASH was not received")
		must(c.InitiateAuth(bg, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(id),
			AuthParameters: map[string]string{"REFRESH_TOKEN": rt, "SECRET_HASH": auSecretHash(secret, "rita", id)}}))(t)
		_, err = getTokens(id, rt)
		wantCode(t, err, "NotAuthorizedException")
		must(c.GetTokensFromRefreshToken(bg, &cip.GetTokensFromRefreshTokenInput{ClientId: aws.String(id), RefreshToken: aws.String(rt),
			ClientSecret: aws.String(secret)}))(t)
		_, err = c.RevokeToken(bg, &cip.RevokeTokenInput{ClientId: aws.String(id), Token: aws.String(rt)})
		wantCode(t, err, "UnauthorizedException")
		must(c.RevokeToken(bg, &cip.RevokeTokenInput{ClientId: aws.String(id), Token: aws.String(rt), ClientSecret: aws.String(secret)}))(t)
		_, err = getTokens(id, rt)
		if !isCode(err, "NotAuthorizedException") {
			t.Errorf("GetTokensFromRefreshToken after RevokeToken: %v", err)
		}
	})
}

// ---------------------------------------------------------------------------------------
// The user's own operations

// auOwnPool makes a pool that auto-verifies email, a client for password sign-in, and a
// CONFIRMED user "owen" with a verified email; it returns the pool, the client and owen's
// access token.
func auOwnPool(t *testing.T, s *testServer, in *cip.CreateUserPoolInput) (pool, app string, access *string) {
	t.Helper()
	if in == nil {
		in = &cip.CreateUserPoolInput{}
	}
	in.AutoVerifiedAttributes = auEmailVerified
	pool = createPool(t, s.Client, in)
	app, _ = auClient(t, s.Client, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: auPasswordFlows})
	auUser(t, s.Client, pool, "owen", auPassword, "email", "owen@example.com", "email_verified", "true", "given_name", "Owen")
	return pool, app, auSignIn(t, s.Client, app, "owen", auPassword).AccessToken
}

// auMe is GetUser's attributes, as a map.
func auMe(t testing.TB, c *cip.Client, access *string) map[string]string {
	t.Helper()
	return attrMap(must(c.GetUser(bg, &cip.GetUserInput{AccessToken: access}))(t).UserAttributes)
}

func TestOwnGetUser(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool, app, access := auOwnPool(t, s, nil)
	me := must(c.GetUser(bg, &cip.GetUserInput{AccessToken: access}))(t)
	if aws.ToString(me.Username) != "owen" {
		t.Errorf("Username = %q, want owen", aws.ToString(me.Username))
	}
	want := map[string]string{"sub": attrMap(getUser(t, c, pool, "owen").UserAttributes)["sub"],
		"email": "owen@example.com", "email_verified": "true", "given_name": "Owen"}
	if diff := cmp.Diff(want, attrMap(me.UserAttributes)); diff != "" {
		t.Errorf("GetUser attributes (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"garbage", "a.b.c", aws.ToString(auSignIn(t, c, app, "owen", auPassword).IdToken)} {
		_, err := c.GetUser(bg, &cip.GetUserInput{AccessToken: aws.String(bad)})
		wantErr[*types.NotAuthorizedException](t, err, "Invalid Access Token")
	}
	// A token whose signature was tampered with is no token.
	raw := []byte(aws.ToString(access))
	i := len(raw) - 20 // inside the signature
	raw[i] = map[bool]byte{true: 'B', false: 'A'}[raw[i] == 'A']
	tampered := string(raw)
	_, err := c.GetUser(bg, &cip.GetUserInput{AccessToken: aws.String(tampered)})
	wantErr[*types.NotAuthorizedException](t, err, "Invalid Access Token")
}

func TestOwnChangePassword(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	_, app, access := auOwnPool(t, s, nil)
	change := func(prev, proposed string) error {
		_, err := c.ChangePassword(bg, &cip.ChangePasswordInput{AccessToken: access, PreviousPassword: aws.String(prev), ProposedPassword: aws.String(proposed)})
		return err
	}
	const fresh = "N3w-Passw0rd!"
	wantErr[*types.NotAuthorizedException](t, change("Wr0ng-Password!", fresh), auMsgIncorrect)
	wantErr[*types.InvalidPasswordException](t, change(auPassword, "n3w-passw0rd!"), "Password does not conform to policy: Password must have uppercase characters")
	wantErr[*types.InvalidPasswordException](t, change(auPassword, "Sh0rt!"), "Password does not conform to policy: Password not long enough")
	auSignIn(t, c, app, "owen", auPassword) // nothing changed yet
	if err := change(auPassword, fresh); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	auSignIn(t, c, app, "owen", fresh)
	_, err := auPasswordAuth(c, app, "owen", auPassword)
	wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
	_, err = c.ChangePassword(bg, &cip.ChangePasswordInput{AccessToken: aws.String("garbage"), PreviousPassword: aws.String(fresh), ProposedPassword: aws.String(auPassword)})
	wantErr[*types.NotAuthorizedException](t, err, "Invalid Access Token")
}

func TestOwnUpdateUserAttributes(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool, app, access := auOwnPool(t, s, &cip.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail}})
	update := func(attrs ...string) (*cip.UpdateUserAttributesOutput, error) {
		return c.UpdateUserAttributes(bg, &cip.UpdateUserAttributesInput{AccessToken: access, UserAttributes: attributes(attrs...)})
	}
	verify := func(code string) error {
		_, err := c.VerifyUserAttribute(bg, &cip.VerifyUserAttributeInput{AccessToken: access, AttributeName: aws.String("email"), Code: aws.String(code)})
		return err
	}

	out := must(update("given_name", "Owain"))(t)
	if len(out.CodeDeliveryDetailsList) != 0 {
		t.Errorf("changing given_name sent codes: %+v", out.CodeDeliveryDetailsList)
	}
	if got := auMe(t, c, access)["given_name"]; got != "Owain" {
		t.Errorf("given_name = %q, want Owain", got)
	}

	out = must(update("email", "new@example.com"))(t)
	want := []types.CodeDeliveryDetailsType{{Destination: aws.String("n***@e***"), DeliveryMedium: types.DeliveryMediumTypeEmail, AttributeName: aws.String("email")}}
	if diff := cmp.Diff(want, out.CodeDeliveryDetailsList, exported); diff != "" {
		t.Errorf("CodeDeliveryDetailsList (-want +got):\n%s", diff)
	}
	if me := auMe(t, c, access); me["email"] != "new@example.com" || me["email_verified"] != "false" {
		t.Errorf("after changing email: email %q, email_verified %q; want new@example.com, false", me["email"], me["email_verified"])
	}
	code, m := auCode(t, s, pool, "owen", 1)
	if m.Destination != "new@example.com" || m.TriggerSource != "CustomMessage_UpdateUserAttribute" {
		t.Errorf("code went to %q with trigger %q", m.Destination, m.TriggerSource)
	}
	// An unverified email is no alias.
	_, err := auPasswordAuth(c, app, "new@example.com", auPassword)
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	wantErr[*types.CodeMismatchException](t, verify(auOther(code)), auMsgMismatch)
	if err := verify(code); err != nil {
		t.Fatalf("VerifyUserAttribute: %v", err)
	}
	if got := auMe(t, c, access)["email_verified"]; got != "true" {
		t.Errorf("email_verified after VerifyUserAttribute = %q, want true", got)
	}
	auWantCodeRefused(t, verify(code)) // used up
	auSignIn(t, c, app, "new@example.com", auPassword)

	_, err = update("email_verified", "false")
	auWantWriteRefused(t, err)
	if got := auMe(t, c, access)["email_verified"]; got != "true" {
		t.Errorf("email_verified = %q after a refused write, want true", got)
	}
	_, err = update("custom:nope", "x")
	wantCode(t, err, "InvalidParameterException")

	t.Run("GetUserAttributeVerificationCode", func(t *testing.T) {
		d := must(c.GetUserAttributeVerificationCode(bg, &cip.GetUserAttributeVerificationCodeInput{AccessToken: access, AttributeName: aws.String("email")}))(t)
		want := &types.CodeDeliveryDetailsType{Destination: aws.String("n***@e***"), DeliveryMedium: types.DeliveryMediumTypeEmail, AttributeName: aws.String("email")}
		if diff := cmp.Diff(want, d.CodeDeliveryDetails, exported); diff != "" {
			t.Errorf("CodeDeliveryDetails (-want +got):\n%s", diff)
		}
		code, m := auCode(t, s, pool, "owen", 2)
		if m.TriggerSource != "CustomMessage_VerifyUserAttribute" || m.Subject != "Your verification code" {
			t.Errorf("message trigger %q, subject %q", m.TriggerSource, m.Subject)
		}
		wantErr[*types.CodeMismatchException](t, verify(auOther(code)), auMsgMismatch)
		if err := verify(code); err != nil {
			t.Errorf("VerifyUserAttribute with the requested code: %v", err)
		}
		_, err := c.GetUserAttributeVerificationCode(bg, &cip.GetUserAttributeVerificationCodeInput{AccessToken: access, AttributeName: aws.String("phone_number")})
		wantCode(t, err, "InvalidParameterException")
	})

	t.Run("DeleteUserAttributes", func(t *testing.T) {
		must(c.DeleteUserAttributes(bg, &cip.DeleteUserAttributesInput{AccessToken: access, UserAttributeNames: []string{"given_name"}}))(t)
		if v, ok := auMe(t, c, access)["given_name"]; ok {
			t.Errorf("given_name = %q after DeleteUserAttributes", v)
		}
	})
}

func TestOwnVerifyBeforeUpdate(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool, app, access := auOwnPool(t, s, &cip.CreateUserPoolInput{
		AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail},
		UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{
			AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}}})

	out := must(c.UpdateUserAttributes(bg, &cip.UpdateUserAttributesInput{AccessToken: access, UserAttributes: attributes("email", "moved@example.com")}))(t)
	want := []types.CodeDeliveryDetailsType{{Destination: aws.String("m***@e***"), DeliveryMedium: types.DeliveryMediumTypeEmail, AttributeName: aws.String("email")}}
	if diff := cmp.Diff(want, out.CodeDeliveryDetailsList, exported); diff != "" {
		t.Errorf("CodeDeliveryDetailsList (-want +got):\n%s", diff)
	}
	// Until verified, the old address stays, verified, and still signs in.
	if me := auMe(t, c, access); me["email"] != "owen@example.com" || me["email_verified"] != "true" {
		t.Errorf("before verification: email %q, email_verified %q; want the old, verified address", me["email"], me["email_verified"])
	}
	auSignIn(t, c, app, "owen@example.com", auPassword)
	code, m := auCode(t, s, pool, "owen", 1)
	if m.Destination != "moved@example.com" {
		t.Errorf("the code went to %q, want the new address", m.Destination)
	}
	wantErr[*types.CodeMismatchException](t, func() error {
		_, err := c.VerifyUserAttribute(bg, &cip.VerifyUserAttributeInput{AccessToken: access, AttributeName: aws.String("email"), Code: aws.String(auOther(code))})
		return err
	}(), auMsgMismatch)
	if me := auMe(t, c, access); me["email"] != "owen@example.com" {
		t.Errorf("a wrong code changed email to %q", me["email"])
	}
	must(c.VerifyUserAttribute(bg, &cip.VerifyUserAttributeInput{AccessToken: access, AttributeName: aws.String("email"), Code: aws.String(code)}))(t)
	if me := auMe(t, c, access); me["email"] != "moved@example.com" || me["email_verified"] != "true" {
		t.Errorf("after verification: email %q, email_verified %q; want moved@example.com, true", me["email"], me["email_verified"])
	}
	auSignIn(t, c, app, "moved@example.com", auPassword)
	_, err := auPasswordAuth(c, app, "owen@example.com", auPassword)
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
}

// TestOwnVerifyBeforeUpdateCodeRequest asks for an attribute code while a new email waits for
// verification: whichever address the code goes to, it may verify only that address. A code
// delivered to the old address must not install the new one, which nobody has shown to own.
func TestOwnVerifyBeforeUpdateCodeRequest(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool, _, access := auOwnPool(t, s, &cip.CreateUserPoolInput{
		UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{
			AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}}})
	must(c.UpdateUserAttributes(bg, &cip.UpdateUserAttributesInput{AccessToken: access, UserAttributes: attributes("email", "not-mine@example.com")}))(t)
	d := must(c.GetUserAttributeVerificationCode(bg, &cip.GetUserAttributeVerificationCodeInput{AccessToken: access, AttributeName: aws.String("email")}))(t)
	code, m := auCode(t, s, pool, "owen", 2)
	if want := map[string]string{"owen@example.com": "o***@e***", "not-mine@example.com": "n***@e***"}[m.Destination]; aws.ToString(d.CodeDeliveryDetails.Destination) != want {
		t.Errorf("CodeDeliveryDetails.Destination = %q, but the code went to %q", aws.ToString(d.CodeDeliveryDetails.Destination), m.Destination)
	}
	must(c.VerifyUserAttribute(bg, &cip.VerifyUserAttributeInput{AccessToken: access, AttributeName: aws.String("email"), Code: aws.String(code)}))(t)
	if me := auMe(t, c, access); me["email"] != m.Destination || me["email_verified"] != "true" {
		t.Errorf("the code sent to %s verified email %q (email_verified %q): a code must verify the address it went to",
			m.Destination, me["email"], me["email_verified"])
	}
}

// TestOwnClientAttributePermissions checks that the app client's ReadAttributes and
// WriteAttributes bound what its access tokens read and write (UserPoolClientType: "their
// access token authorizes them to set or modify their own attribute value for any attribute
// in this list", and likewise for reading).
func TestOwnClientAttributePermissions(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, nil)
	app, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: auPasswordFlows,
		ReadAttributes: []string{"email", "email_verified"}, WriteAttributes: []string{"email"}})
	auUser(t, c, pool, "owen", auPassword, "email", "owen@example.com", "email_verified", "true", "given_name", "Owen")
	access := auSignIn(t, c, app, "owen", auPassword).AccessToken

	if v, ok := auMe(t, c, access)["given_name"]; ok {
		t.Errorf("GetUser through a client that may not read given_name shows it (%q)", v)
	}
	_, err := c.UpdateUserAttributes(bg, &cip.UpdateUserAttributesInput{AccessToken: access, UserAttributes: attributes("given_name", "Mallory")})
	if isCode(err, "NotAuthorizedException") {
		wantErr[*types.NotAuthorizedException](t, err, "A client attempted to write unauthorized attribute")
	} else {
		t.Errorf("UpdateUserAttributes of given_name through a client that may not write it: %v, want NotAuthorizedException", err)
	}
	_, err = c.DeleteUserAttributes(bg, &cip.DeleteUserAttributesInput{AccessToken: access, UserAttributeNames: []string{"given_name"}})
	if !isCode(err, "NotAuthorizedException") {
		t.Errorf("DeleteUserAttributes of given_name through a client that may not write it: %v, want NotAuthorizedException", err)
	}
	if got := attrMap(getUser(t, c, pool, "owen").UserAttributes)["given_name"]; got != "Owen" {
		t.Errorf("given_name = %q after refused writes, want Owen", got)
	}
	must(c.UpdateUserAttributes(bg, &cip.UpdateUserAttributesInput{AccessToken: access, UserAttributes: attributes("email", "owen2@example.com")}))(t)
}

func TestOwnDeleteUser(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool, app, access := auOwnPool(t, s, nil)
	res := auSignIn(t, c, app, "owen", auPassword)
	must(c.DeleteUser(bg, &cip.DeleteUserInput{AccessToken: access}))(t)
	_, err := c.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("owen")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	for _, tok := range []*string{access, res.AccessToken} {
		if _, err := c.GetUser(bg, &cip.GetUserInput{AccessToken: tok}); !isCode(err, "NotAuthorizedException") && !isCode(err, "UserNotFoundException") {
			t.Errorf("GetUser after DeleteUser: %v, want NotAuthorizedException or UserNotFoundException", err)
		}
	}
	_, err = c.InitiateAuth(bg, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(app),
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(res.RefreshToken)}})
	if err == nil {
		t.Error("a deleted user's refresh token still works")
	}
	_, err = auPasswordAuth(c, app, "owen", auPassword)
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	_, err = c.DeleteUser(bg, &cip.DeleteUserInput{AccessToken: aws.String("garbage")})
	wantErr[*types.NotAuthorizedException](t, err, "Invalid Access Token")
}
