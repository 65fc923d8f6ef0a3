package main

// The peers' known holes as named regression tests (issue 15 point 1), for the holes that
// no test named before. Each fails on a naive implementation: one that checks a code
// without its purpose, forgets expiry, trusts a missing proof, skips the policy on one path,
// or keeps a secret in clear. The holes already covered elsewhere are listed, with their
// tests, in docs/SECURITY.md. The helpers of this file are prefixed "hole".

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"io/fs"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// holeSignUp signs name up on the pool's app client with recOldPassword and the email
// name@example.com, and returns the sign-up code sent.
func holeSignUp(t *testing.T, p *recPool, name string) string {
	t.Helper()
	must(p.s.Client.SignUp(bg, &cip.SignUpInput{ClientId: aws.String(p.client), Username: aws.String(name),
		Password: aws.String(recOldPassword), UserAttributes: attributes("email", name+"@example.com")}))(t)
	return rsecCode(t, p, name, "CustomMessage_SignUp")
}

// holeConfirmSignUp calls ConfirmSignUp on the pool's app client.
func holeConfirmSignUp(p *recPool, name, code string) error {
	_, err := p.s.Client.ConfirmSignUp(bg, &cip.ConfirmSignUpInput{ClientId: aws.String(p.client),
		Username: aws.String(name), ConfirmationCode: aws.String(code)})
	return err
}

// TestHoleExpiredCodesAreRefused: a recovery code works for its hour and not after it, a
// sign-up code for 24 hours and not after them (ExpiredCodeException), and a new code can
// then be had and works. The server's clock is moved (the test controls).
func TestHoleExpiredCodesAreRefused(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesEnabled, nil)
	p.jane(t)
	p.user(t, "john", "email", "john@example.com", "email_verified", "true")
	must(p.forgot("jane"))(t)
	janes := p.code(t, "jane")
	must(p.forgot("john"))(t)
	johns := p.code(t, "john")
	signUp := holeSignUp(t, p, "sam")

	s.clock(t, http.MethodPost, "Advance=59m", "")
	if err := p.confirm("jane", janes, recNewPassword); err != nil {
		t.Fatalf("a recovery code 59 minutes old: %v", err)
	}
	s.clock(t, http.MethodPost, "Advance=2m", "")
	wantErr[*types.ExpiredCodeException](t, p.confirm("john", johns, recNewPassword), recMsgExpired)
	rsecWantPasswordUnchanged(t, p, "john")
	must(p.forgot("john"))(t)
	if err := p.confirm("john", p.code(t, "john"), recNewPassword); err != nil {
		t.Fatalf("a new recovery code after the expired one: %v", err)
	}

	s.clock(t, http.MethodPost, "Advance=23h", "") // 24 h 1 min after the sign-up
	wantErr[*types.ExpiredCodeException](t, holeConfirmSignUp(p, "sam", signUp), recMsgExpired)
	p.wantStatus(t, "sam", types.UserStatusTypeUnconfirmed)
	must(s.Client.ResendConfirmationCode(bg, &cip.ResendConfirmationCodeInput{ClientId: aws.String(p.client), Username: aws.String("sam")}))(t)
	if err := holeConfirmSignUp(p, "sam", rsecCode(t, p, "sam", "CustomMessage_ResendCode")); err != nil {
		t.Fatalf("a resent sign-up code after the expired one: %v", err)
	}
}

// TestHoleSRPProofIsChecked: USER_SRP_AUTH signs in only with a proof of the password for
// that session: a PASSWORD_VERIFIER answer without a signature, with an empty one, with
// one made for another session of the same user, or with another user's proof, gets no
// tokens. (TestSRPAuth covers a wrong password, a flipped bit and another timestamp.)
func TestHoleSRPProofIsChecked(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, &cip.CreateUserPoolInput{AutoVerifiedAttributes: auEmailVerified})
	app, _ := auClient(t, c, pool, nil)
	auUser(t, c, pool, "sam", auPassword, "email", "sam@example.com", "email_verified", "true")
	auUser(t, c, pool, "eve", auPassword, "email", "eve@example.com", "email_verified", "true")

	start := func(user string) (*srpClient, *cip.InitiateAuthOutput) {
		sc := newSRPClient(t, pool)
		out := must(c.InitiateAuth(bg, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(app),
			AuthParameters: map[string]string{"USERNAME": user, "SRP_A": sc.SRPA()}}))(t)
		return sc, out
	}
	respond := func(session *string, answer map[string]string) error {
		out, err := c.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(app),
			ChallengeName: types.ChallengeNameTypePasswordVerifier, ChallengeResponses: answer, Session: session})
		if err == nil && out.AuthenticationResult != nil {
			t.Errorf("tokens for an answer without a valid proof: %v", answer)
		}
		return err
	}
	for name, tamper := range map[string]func(map[string]string){
		"no signature":    func(r map[string]string) { delete(r, "PASSWORD_CLAIM_SIGNATURE") },
		"empty signature": func(r map[string]string) { r["PASSWORD_CLAIM_SIGNATURE"] = "" },
		"zero signature": func(r map[string]string) {
			r["PASSWORD_CLAIM_SIGNATURE"] = base64.StdEncoding.EncodeToString(make([]byte, 32))
		},
		"no secret block": func(r map[string]string) { delete(r, "PASSWORD_CLAIM_SECRET_BLOCK") },
	} {
		sc, first := start("sam")
		answer, err := sc.Respond(first.ChallengeParameters, auPassword, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		tamper(answer)
		if err := respond(first.Session, answer); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// A proof made for one challenge, sent with the secret block of another challenge of
	// the same user. (The secret block, not the Session, carries a challenge's state, as
	// with AWS, where USER_SRP_AUTH answers no Session: a whole answer of another challenge
	// is that challenge's answer, valid once.)
	sc1, first1 := start("sam")
	_, first2 := start("sam")
	answer, err := sc1.Respond(first1.ChallengeParameters, auPassword, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	answer["PASSWORD_CLAIM_SECRET_BLOCK"] = first2.ChallengeParameters["SECRET_BLOCK"]
	if err := respond(first2.Session, answer); err == nil {
		t.Errorf("a proof with another challenge's secret block: accepted")
	}
	// eve's whole answer, with sam's name: whatever it is taken for, it never signs sam in.
	scEve, firstEve := start("eve")
	eveAnswer, err := scEve.Respond(firstEve.ChallengeParameters, auPassword, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	eveAnswer["USERNAME"] = "sam"
	if out, err := c.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(app),
		ChallengeName: types.ChallengeNameTypePasswordVerifier, ChallengeResponses: eveAnswer, Session: firstEve.Session}); err == nil &&
		out.AuthenticationResult != nil {
		if who := auDecode(t, aws.ToString(out.AuthenticationResult.IdToken)).str("cognito:username"); who != "eve" {
			t.Errorf("eve's proof with USERNAME sam signed in %q", who)
		}
	}
	// The untouched proof works: the refusals above were about the proof.
	sc, first := start("sam")
	answer, err = sc.Respond(first.ChallengeParameters, auPassword, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	out := must(c.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(app),
		ChallengeName: types.ChallengeNameTypePasswordVerifier, ChallengeResponses: answer, Session: first.Session}))(t)
	if out.AuthenticationResult == nil {
		t.Fatalf("the right proof got no tokens: %+v", out)
	}
}

// TestHolePasswordPolicyOnConfirmForgotPassword: the pool's own policy (here 12
// characters, every class) applies to the new password of ConfirmForgotPassword, rule by
// rule; a refused password does not use the code up. (Each attempt counts against the
// five an hour, so four rules are tried here; the lowercase rule is like the uppercase.)
func TestHolePasswordPolicyOnConfirmForgotPassword(t *testing.T) {
	t.Parallel()
	rsecForEachMode(t, func(t *testing.T, p *recPool) {
		must(p.s.Client.UpdateUserPool(bg, &cip.UpdateUserPoolInput{UserPoolId: aws.String(p.id),
			AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
			Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(12),
				RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true}}}))(t)
		p.jane(t)
		must(p.forgot("jane"))(t)
		code := p.code(t, "jane")
		const prefix = "Password does not conform to policy: "
		for _, tc := range []struct{ password, msg string }{
			{"Sh0rt-Pass!", "Password not long enough"},
			{"no-upper-passw0rd!", "Password must have uppercase characters"},
			{"No-Number-Password!", "Password must have numeric characters"},
			{"NoSymbolPassw0rd", "Password must have symbol characters"},
		} {
			wantErr[*types.InvalidPasswordException](t, p.confirm("jane", code, tc.password), prefix+tc.msg)
		}
		rsecWantPasswordUnchanged(t, p, "jane")
		const good = "Long-Enough-Passw0rd!"
		if err := p.confirm("jane", code, good); err != nil {
			t.Fatalf("a password the policy allows, with the code of the refused ones: %v", err)
		}
		must(p.signIn("jane", good))(t)
	})
}

// holeVerifierForms are the ways an SRP verifier v = g^x mod N, x = H(salt ‖
// H(poolName ‖ userID ‖ ":" ‖ password)), could be written down: its bytes (with and
// without padding to the group's length), hexadecimal either case, and base64 (as JSON
// writes bytes) from its first byte. A prefix of each suffices.
func holeVerifierForms(poolID, userID, password, saltHex string) map[string][]byte {
	_, poolName, _ := strings.Cut(poolID, "_")
	salt, _ := new(big.Int).SetString(saltHex, 16)
	x := srpHexInt(srpHexHash(srpPadHex(salt) + srpHash(poolName+userID+":"+password)))
	v := new(big.Int).Exp(srpG, x, srpN)
	raw := v.Bytes()
	padded := v.FillBytes(make([]byte, (srpN.BitLen()+7)/8))
	forms := map[string][]byte{}
	for name, b := range map[string][]byte{"bytes": raw, "padded bytes": padded} {
		forms["the verifier's "+name] = b[:32]
		forms["the verifier's "+name+" in hex"] = []byte(hex.EncodeToString(b[:32]))
		forms["the verifier's "+name+" in HEX"] = []byte(strings.ToUpper(hex.EncodeToString(b[:32])))
		forms["the verifier's "+name+" in base64"] = []byte(base64.StdEncoding.EncodeToString(b[:48]))
	}
	return forms
}

// TestHoleNoPlainSecretsOnDiskOrInLogs: after a sign-up, its confirmation, SRP and
// password sign-ins, a reset and an administrator's new password, neither the SQLite
// files (main database, WAL and shared memory, read while the server runs and after it
// stopped) nor the server's log hold any of the passwords or the user's SRP verifier, and
// the log holds none of the codes nor the tokens either. (Codes on disk: the built-in
// inbox keeps message bodies on purpose; TestRecoveryCodesNeverStored proves that nothing
// else holds them.)
func TestHoleNoPlainSecretsOnDiskOrInLogs(t *testing.T) {
	t.Parallel()
	dbPath := filepath.Join(t.TempDir(), "c.db")
	s := startServer(t, "--store", dbPath)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, nil)
	must(s.Client.UpdateUserPoolClient(bg, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(p.id), ClientId: aws.String(p.client),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesLegacy,
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
			types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}}))(t)
	const (
		signUpPassword = "Sign-Up-Passw0rd!"
		adminPassword  = "Admin-Set-Passw0rd!"
	)
	secrets := map[string][]byte{"the sign-up password": []byte(signUpPassword), "the reset password": []byte(recNewPassword),
		"the administrator's password": []byte(adminPassword)}
	logOnly := map[string][]byte{}

	must(p.s.Client.SignUp(bg, &cip.SignUpInput{ClientId: aws.String(p.client), Username: aws.String("sam"),
		Password: aws.String(signUpPassword), UserAttributes: attributes("email", "sam@example.com")}))(t)
	signUp := rsecCode(t, p, "sam", "CustomMessage_SignUp")
	logOnly["the sign-up code"] = []byte(signUp)
	must(holeConfirmSignUp(p, "sam", signUp), nil)(t)
	tokens := must(p.signIn("sam", signUpPassword))(t)
	logOnly["the access token"] = []byte(aws.ToString(tokens.AccessToken))
	logOnly["the refresh token"] = []byte(aws.ToString(tokens.RefreshToken))

	// SRP: the salt comes with the challenge; the verifier is computed from it.
	sc := newSRPClient(t, p.id)
	first := must(s.Client.InitiateAuth(bg, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(p.client),
		AuthParameters: map[string]string{"USERNAME": "sam", "SRP_A": sc.SRPA()}}))(t)
	if first.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("USER_SRP_AUTH: challenge %q", first.ChallengeName)
	}
	for what, form := range holeVerifierForms(p.id, first.ChallengeParameters["USER_ID_FOR_SRP"], signUpPassword, first.ChallengeParameters["SALT"]) {
		secrets[what] = form
	}
	answer, err := sc.Respond(first.ChallengeParameters, signUpPassword, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	must(s.Client.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(p.client),
		ChallengeName: types.ChallengeNameTypePasswordVerifier, ChallengeResponses: answer, Session: first.Session}))(t)

	must(s.Client.AdminUpdateUserAttributes(bg, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(p.id),
		Username: aws.String("sam"), UserAttributes: attributes("email_verified", "true")}))(t)
	must(p.forgot("sam"))(t)
	recovery := p.code(t, "sam")
	logOnly["the recovery code"] = []byte(recovery)
	must(p.confirm("sam", recovery, recNewPassword), nil)(t)
	must(s.Client.AdminSetUserPassword(bg, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(p.id), Username: aws.String("sam"),
		Password: aws.String(adminPassword), Permanent: true}))(t)
	must(p.signIn("sam", adminPassword))(t)

	running := rsecFiles(t, dbPath)
	s.Stop(t)
	stopped := rsecFiles(t, dbPath)
	log := []byte(s.stderr.String())
	for what, secret := range secrets {
		for when, files := range map[string][]byte{"while it ran": running, "after it stopped": stopped} {
			if bytes.Contains(files, secret) {
				t.Errorf("the database files %s hold %s:\n%s", when, what, rsecContext(files, secret))
			}
		}
	}
	for what, secret := range logOnly {
		secrets[what] = secret
	}
	for what, secret := range secrets {
		if bytes.Contains(log, secret) {
			t.Errorf("the server's log holds %s:\n%s", what, rsecContext(log, secret))
		}
	}
	if len(log) < 1000 || !bytes.Contains(log, []byte("ConfirmForgotPassword")) {
		t.Errorf("the server's log (%d bytes) does not show the requests: the search above would prove nothing", len(log))
	}
}

// TestHoleNoPrivateKeysInRepository: no file of the repository (test data included) holds
// a PEM private key or a JSON Web Key with its private part ("d"): keys are made at first
// start, or by the tests at run time, never committed. node_modules (installed, not
// committed) and .git are not searched.
func TestHoleNoPrivateKeysInRepository(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	pem := regexp.MustCompile(`-----BEGIN [A-Z ]*` + `PRIVATE KEY-----`)
	jwkD := regexp.MustCompile(`"d"\s*:\s*"[A-Za-z0-9_-]{20,}"`)
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		rel, _ := filepath.Rel(root, path)
		if loc := pem.FindIndex(b); loc != nil {
			t.Errorf("%s holds a PEM private key at byte %d", rel, loc[0])
		}
		if loc := jwkD.FindIndex(b); loc != nil && bytes.Contains(b, []byte(`"kty"`)) {
			t.Errorf("%s holds a JSON Web Key's private member at byte %d", rel, loc[0])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("only %d files under %s: not the repository?", files, root)
	}
	t.Logf("%d files searched", files)
}
