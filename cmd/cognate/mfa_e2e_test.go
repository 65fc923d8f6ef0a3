package main

// End-to-end tests of MFA (issue 13): the pool's MFA configuration in the order Terraform's
// AWS provider calls it, software tokens with codes the test computes from the secret
// (RFC 6238) at the server's clock, which the test moves, SMS and email MFA codes from the
// inbox, SELECT_MFA_TYPE, MFA_SETUP, preferences, AdminDeleteSoftwareToken, and USER_AUTH's
// EMAIL_OTP and SMS_OTP first factors.

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	be "encoding/binary"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const mfaMsgMismatch = "Invalid code or auth state for the user."

// mfaTOTP computes the RFC 6238 code (HMAC-SHA1, 30 s, six digits) of a base32 secret at t.
func mfaTOTP(t testing.TB, secret string, at time.Time) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		t.Fatalf("secret %q is not base32: %v", secret, err)
	}
	var msg [8]byte
	be.BigEndian.PutUint64(msg[:], uint64(at.Unix()/30))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	return fmt.Sprintf("%06d", (be.BigEndian.Uint32(sum[off:off+4])&0x7fffffff)%1_000_000)
}

// serverNow is the server's clock: the real time moved by the offset the test set.
func (s *testServer) serverNow(t testing.TB) time.Time {
	t.Helper()
	c := s.clock(t, http.MethodGet, "", "")
	return time.Now().Add(time.Duration(c.OffsetSeconds * float64(time.Second)))
}

// alignStep moves the server's clock to one second into a fresh 30-second step and
// answers that time: codes of this step stay valid for the next 29 seconds of real time
// at least, so that no test depends on where in a step it happens to run.
func (s *testServer) alignStep(t testing.TB) time.Time {
	t.Helper()
	now := s.serverNow(t)
	into := time.Duration(now.UnixNano() % int64(30*time.Second))
	advance := 30*time.Second - into + time.Second
	s.clock(t, http.MethodPost, "Advance="+advance.String(), "")
	return s.serverNow(t)
}

// mfaPool makes a pool on the Essentials tier that sends email with SES (as email MFA
// requires) and has an SMS configuration, a client for USER_PASSWORD_AUTH and USER_AUTH,
// and sets its MFA configuration.
func mfaPool(t testing.TB, c *cip.Client, mfa *cip.SetUserPoolMfaConfigInput, factors ...types.AuthFactorType) (pool, client string) {
	t.Helper()
	in := &cip.CreateUserPoolInput{
		UserPoolTier:           types.UserPoolTierTypeEssentials,
		AutoVerifiedAttributes: auEmailVerified,
		EmailConfiguration: &types.EmailConfigurationType{EmailSendingAccount: types.EmailSendingAccountTypeDeveloper,
			SourceArn: aws.String("arn:aws:ses:us-east-1:123456789012:identity/example.com"), From: aws.String("no-reply@example.com")},
		SmsConfiguration: &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/sns"), ExternalId: aws.String("ext")},
	}
	if len(factors) > 0 {
		in.Policies = &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: factors}}
	}
	pool = createPool(t, c, in)
	if mfa != nil {
		mfa.UserPoolId = aws.String(pool)
		must(c.SetUserPoolMfaConfig(bg, mfa))(t)
	}
	client, _ = auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: append([]types.ExplicitAuthFlowsType{
		types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowUserSrpAuth}, uaFlows...)})
	return pool, client
}

// mfaRespond answers a challenge of a sign-in.
func mfaRespond(c *cip.Client, client, username string, challenge types.ChallengeNameType, session *string, responses ...string) (*cip.RespondToAuthChallengeOutput, error) {
	params := map[string]string{"USERNAME": username}
	for i := 0; i+1 < len(responses); i += 2 {
		params[responses[i]] = responses[i+1]
	}
	return c.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(client),
		ChallengeName: challenge, ChallengeResponses: params, Session: session})
}

// mfaWantChallenge checks a sign-in's challenge and the parameters it must have.
func mfaWantChallenge(t testing.TB, got types.ChallengeNameType, params map[string]string, want types.ChallengeNameType, wantParams map[string]string) {
	t.Helper()
	if got != want {
		t.Fatalf("ChallengeName = %q, want %q (parameters %v)", got, want, params)
	}
	for k, v := range wantParams {
		if params[k] != v {
			t.Errorf("ChallengeParameters[%s] = %q, want %q (all: %v)", k, params[k], v, params)
		}
	}
}

// mfaRegister gives the signed-in user a verified software token and answers its secret.
func mfaRegister(t testing.TB, s *testServer, access string) string {
	t.Helper()
	c := s.Client
	secret := aws.ToString(must(c.AssociateSoftwareToken(bg, &cip.AssociateSoftwareTokenInput{AccessToken: aws.String(access)}))(t).SecretCode)
	now := s.alignStep(t)
	out := must(c.VerifySoftwareToken(bg, &cip.VerifySoftwareTokenInput{AccessToken: aws.String(access),
		UserCode: aws.String(mfaTOTP(t, secret, now)), FriendlyDeviceName: aws.String("phone")}))(t)
	if out.Status != types.VerifySoftwareTokenResponseTypeSuccess {
		t.Fatalf("VerifySoftwareToken status %q", out.Status)
	}
	return secret
}

// TestUserPoolMfaConfigTerraformOrder: GetUserPoolMfaConfig, SetUserPoolMfaConfig,
// DescribeUserPool, GetUserPoolMfaConfig, in the order Terraform's aws_cognito_user_pool
// calls them, round-trip every field; AWS's switching rules refuse what AWS refuses.
func TestUserPoolMfaConfigTerraformOrder(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool, _ := mfaPool(t, c, nil)

	// A new pool: MFA off, nothing configured.
	first := must(c.GetUserPoolMfaConfig(bg, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(pool)}))(t)
	if first.MfaConfiguration != types.UserPoolMfaTypeOff || first.SmsMfaConfiguration != nil || first.SoftwareTokenMfaConfiguration != nil || first.EmailMfaConfiguration != nil {
		t.Errorf("a new pool's MFA configuration: %+v", first)
	}

	set := &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(pool), MfaConfiguration: types.UserPoolMfaTypeOn,
		SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Your sign-in code is {####}"),
			SmsConfiguration: &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/sns-mfa"), ExternalId: aws.String("ext-2"), SnsRegion: aws.String("us-east-1")}},
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
		EmailMfaConfiguration:         &types.EmailMfaConfigType{Message: aws.String("Your code: {####}"), Subject: aws.String("Sign-in code")},
		WebAuthnConfiguration: &types.WebAuthnConfigurationType{RelyingPartyId: aws.String("auth.example.com"),
			UserVerification: types.UserVerificationTypeRequired, FactorConfiguration: types.WebAuthnFactorConfigurationTypeSingleFactor},
	}
	setOut := must(c.SetUserPoolMfaConfig(bg, set))(t)
	want := &cip.GetUserPoolMfaConfigOutput{MfaConfiguration: set.MfaConfiguration, SmsMfaConfiguration: set.SmsMfaConfiguration,
		SoftwareTokenMfaConfiguration: set.SoftwareTokenMfaConfiguration, EmailMfaConfiguration: set.EmailMfaConfiguration,
		WebAuthnConfiguration: set.WebAuthnConfiguration}
	ignore := cmpopts.IgnoreUnexported(cip.GetUserPoolMfaConfigOutput{}, types.SmsMfaConfigType{}, types.SmsConfigurationType{},
		types.SoftwareTokenMfaConfigType{}, types.EmailMfaConfigType{}, types.WebAuthnConfigurationType{})
	ignoreMeta := cmpopts.IgnoreFields(cip.GetUserPoolMfaConfigOutput{}, "ResultMetadata")
	if diff := cmp.Diff(want, (*cip.GetUserPoolMfaConfigOutput)(&cip.GetUserPoolMfaConfigOutput{MfaConfiguration: setOut.MfaConfiguration,
		SmsMfaConfiguration: setOut.SmsMfaConfiguration, SoftwareTokenMfaConfiguration: setOut.SoftwareTokenMfaConfiguration,
		EmailMfaConfiguration: setOut.EmailMfaConfiguration, WebAuthnConfiguration: setOut.WebAuthnConfiguration}), ignore, ignoreMeta); diff != "" {
		t.Errorf("SetUserPoolMfaConfig answer (-want +got):\n%s", diff)
	}
	desc := must(c.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)}))(t).UserPool
	if desc.MfaConfiguration != types.UserPoolMfaTypeOn || aws.ToString(desc.SmsAuthenticationMessage) != "Your sign-in code is {####}" ||
		aws.ToString(desc.SmsConfiguration.SnsCallerArn) != "arn:aws:iam::123456789012:role/sns-mfa" || aws.ToString(desc.SmsConfiguration.ExternalId) != "ext-2" {
		t.Errorf("DescribeUserPool after SetUserPoolMfaConfig: MfaConfiguration %q, SmsAuthenticationMessage %q, SmsConfiguration %+v",
			desc.MfaConfiguration, aws.ToString(desc.SmsAuthenticationMessage), desc.SmsConfiguration)
	}
	got := must(c.GetUserPoolMfaConfig(bg, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(pool)}))(t)
	if diff := cmp.Diff(want, got, ignore, ignoreMeta); diff != "" {
		t.Errorf("GetUserPoolMfaConfig after SetUserPoolMfaConfig (-want +got):\n%s", diff)
	}

	t.Run("switching rules", func(t *testing.T) {
		_, err := c.SetUserPoolMfaConfig(bg, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(pool), MfaConfiguration: types.UserPoolMfaTypeOff,
			SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
		wantErr[*types.InvalidParameterException](t, err, "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.")
		_, err = c.SetUserPoolMfaConfig(bg, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(pool), MfaConfiguration: types.UserPoolMfaTypeOptional})
		wantErr[*types.InvalidParameterException](t, err, "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.")
		lite := createPool(t, c, &cip.CreateUserPoolInput{UserPoolTier: types.UserPoolTierTypeLite})
		_, err = c.SetUserPoolMfaConfig(bg, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(lite), MfaConfiguration: types.UserPoolMfaTypeOptional,
			EmailMfaConfiguration: &types.EmailMfaConfigType{Subject: aws.String("x")}})
		wantCode(t, err, "FeatureUnavailableInTierException")
		plain := createPool(t, c, nil)
		_, err = c.SetUserPoolMfaConfig(bg, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(plain), MfaConfiguration: types.UserPoolMfaTypeOptional,
			EmailMfaConfiguration: &types.EmailMfaConfigType{Subject: aws.String("x")}})
		wantCode(t, err, "InvalidParameterException")
		_, err = c.SetUserPoolMfaConfig(bg, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(plain), MfaConfiguration: types.UserPoolMfaTypeOptional,
			SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Code {####}")}})
		wantErr[*types.InvalidParameterException](t, err, "Invalid SMS MFA configuration given, external id and a valid caller arn are required")
		// The refusals changed nothing.
		if diff := cmp.Diff(want, must(c.GetUserPoolMfaConfig(bg, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(pool)}))(t), ignore, ignoreMeta); diff != "" {
			t.Errorf("after refusals (-want +got):\n%s", diff)
		}
		// CreateUserPool: MFA required needs a factor, and SMS is the only one it can set.
		_, err = c.CreateUserPool(bg, &cip.CreateUserPoolInput{PoolName: aws.String("nofactor"), MfaConfiguration: types.UserPoolMfaTypeOn})
		wantErr[*types.InvalidParameterException](t, err, "SMS configuration and Auto verification for phone_number are required when MFA is required/optional")
	})
	t.Run("UpdateUserPool turning MFA off", func(t *testing.T) {
		must(c.UpdateUserPool(bg, &cip.UpdateUserPoolInput{UserPoolId: aws.String(pool), MfaConfiguration: types.UserPoolMfaTypeOff}))(t)
		got := must(c.GetUserPoolMfaConfig(bg, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(pool)}))(t)
		off := &cip.GetUserPoolMfaConfigOutput{MfaConfiguration: types.UserPoolMfaTypeOff, WebAuthnConfiguration: set.WebAuthnConfiguration}
		if diff := cmp.Diff(off, got, ignore, ignoreMeta); diff != "" {
			t.Errorf("after UpdateUserPool OFF (-want +got):\n%s", diff)
		}
	})
}

// TestSoftwareTokenMFA: AssociateSoftwareToken and VerifySoftwareToken by access token
// (a wrong code is EnableSoftwareTokenMFAException), the preference, and sign-ins that
// answer SOFTWARE_TOKEN_MFA: wrong, expired and replayed codes are refused, a code of the
// step before or after is accepted, and wrong codes count in the sign-in budget.
func TestSoftwareTokenMFA(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool, client := mfaPool(t, c, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOptional,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
	auUser(t, c, pool, "tia", auPassword)
	access := aws.ToString(auSignIn(t, c, client, "tia", auPassword).AccessToken)

	// A wrong code does not confirm the token.
	secret := aws.ToString(must(c.AssociateSoftwareToken(bg, &cip.AssociateSoftwareTokenInput{AccessToken: aws.String(access)}))(t).SecretCode)
	if len(secret) != 32 || strings.Trim(secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != "" {
		t.Errorf("SecretCode %q: want 32 characters of base32", secret)
	}
	now := s.alignStep(t)
	_, err := c.VerifySoftwareToken(bg, &cip.VerifySoftwareTokenInput{AccessToken: aws.String(access), UserCode: aws.String(auOther(mfaTOTP(t, secret, now)))})
	wantErr[*types.EnableSoftwareTokenMFAException](t, err, "Code mismatch and fail enable Software Token MFA")
	user := must(c.GetUser(bg, &cip.GetUserInput{AccessToken: aws.String(access)}))(t)
	if len(user.UserMFASettingList) != 0 {
		t.Errorf("UserMFASettingList after a wrong code: %v", user.UserMFASettingList)
	}
	// Unverified, the token signs in without MFA still.
	auSignIn(t, c, client, "tia", auPassword)

	secret = mfaRegister(t, s, access)
	user = must(c.GetUser(bg, &cip.GetUserInput{AccessToken: aws.String(access)}))(t)
	if diff := cmp.Diff([]string{"SOFTWARE_TOKEN_MFA"}, user.UserMFASettingList); diff != "" || user.PreferredMfaSetting != nil {
		t.Errorf("after VerifySoftwareToken: list (-want +got):\n%s preferred %v", diff, user.PreferredMfaSetting)
	}
	must(c.SetUserMFAPreference(bg, &cip.SetUserMFAPreferenceInput{AccessToken: aws.String(access),
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}}))(t)
	admin := must(c.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("tia")}))(t)
	if aws.ToString(admin.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" {
		t.Errorf("AdminGetUser PreferredMfaSetting = %q", aws.ToString(admin.PreferredMfaSetting))
	}

	signIn := func() *cip.InitiateAuthOutput {
		t.Helper()
		out := must(auPasswordAuth(c, client, "tia", auPassword))(t)
		mfaWantChallenge(t, out.ChallengeName, out.ChallengeParameters, types.ChallengeNameTypeSoftwareTokenMfa, nil)
		return out
	}
	answer := func(out *cip.InitiateAuthOutput, code string) (*cip.RespondToAuthChallengeOutput, error) {
		return mfaRespond(c, client, "tia", types.ChallengeNameTypeSoftwareTokenMfa, out.Session, "SOFTWARE_TOKEN_MFA_CODE", code)
	}

	s.alignStep(t) // two steps on from the registration's code, whose step and the two before are spent
	now = s.alignStep(t)
	out := signIn()
	_, err = answer(out, auOther(mfaTOTP(t, secret, now)))
	wantErr[*types.CodeMismatchException](t, err, mfaMsgMismatch)
	_, err = answer(out, mfaTOTP(t, secret, now.Add(-90*time.Second))) // three steps back: expired
	wantErr[*types.CodeMismatchException](t, err, mfaMsgMismatch)
	_, err = answer(out, mfaTOTP(t, secret, now.Add(90*time.Second))) // three steps ahead
	wantErr[*types.CodeMismatchException](t, err, mfaMsgMismatch)
	code := mfaTOTP(t, secret, now.Add(-30*time.Second)) // the step before: clock drift
	res := must(answer(out, code))(t)
	auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
	// The session is spent.
	_, err = answer(out, mfaTOTP(t, secret, now))
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user, session can only be used once.")

	// Replays: the code used, and an older one, are refused in a new sign-in; the current one passes.
	out = signIn()
	_, err = answer(out, code)
	wantErr[*types.CodeMismatchException](t, err, mfaMsgMismatch)
	res = must(answer(out, mfaTOTP(t, secret, now)))(t)
	auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
	out = signIn()
	_, err = answer(out, mfaTOTP(t, secret, now))
	wantErr[*types.CodeMismatchException](t, err, mfaMsgMismatch)
	res = must(answer(out, mfaTOTP(t, secret, now.Add(30*time.Second))))(t) // the step after
	auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)

	// Wrong codes count in the budget wrong passwords count in: with the password attempts,
	// the fifth attempt in the window is the last.
	out = signIn() // attempt 1 (the password)
	for range 3 {  // attempts 2-4
		_, err = answer(out, "000000")
		wantErr[*types.CodeMismatchException](t, err, mfaMsgMismatch)
	}
	_, err = auPasswordAuth(c, client, "tia", auPassword) // attempt 5 passes the password
	if err != nil {
		t.Fatal(err)
	}
	_, err = answer(out, mfaTOTP(t, secret, now.Add(60*time.Second))) // the sixth
	wantErr[*types.NotAuthorizedException](t, err, "Password attempts exceeded")
}

// TestMFASetupAndAdminDeleteSoftwareToken: on a pool that requires MFA with software
// tokens only, a user without a factor answers MFA_SETUP, sets a token up by Session
// (AssociateSoftwareToken, VerifySoftwareToken, RespondToAuthChallenge MFA_SETUP) and signs
// in with it next time; after AdminDeleteSoftwareToken the next sign-in answers MFA_SETUP
// again and a code of the old secret cannot set up the new one.
func TestMFASetupAndAdminDeleteSoftwareToken(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool, client := mfaPool(t, c, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
	auUser(t, c, pool, "max", auPassword)

	setUp := func(t *testing.T) string {
		t.Helper()
		out := must(auPasswordAuth(c, client, "max", auPassword))(t)
		mfaWantChallenge(t, out.ChallengeName, out.ChallengeParameters, types.ChallengeNameTypeMfaSetup,
			map[string]string{"MFAS_CAN_SETUP": `["SOFTWARE_TOKEN_MFA"]`})
		assoc := must(c.AssociateSoftwareToken(bg, &cip.AssociateSoftwareTokenInput{Session: out.Session}))(t)
		if assoc.Session == nil {
			t.Fatal("AssociateSoftwareToken by Session answered no Session")
		}
		now := s.alignStep(t)
		_, err := c.VerifySoftwareToken(bg, &cip.VerifySoftwareTokenInput{Session: assoc.Session, UserCode: aws.String("000000")})
		if mfaTOTP(t, aws.ToString(assoc.SecretCode), now) != "000000" {
			wantErr[*types.EnableSoftwareTokenMFAException](t, err, "Code mismatch and fail enable Software Token MFA")
		}
		ver := must(c.VerifySoftwareToken(bg, &cip.VerifySoftwareTokenInput{Session: assoc.Session,
			UserCode: aws.String(mfaTOTP(t, aws.ToString(assoc.SecretCode), now))}))(t)
		// The session of an MFA_SETUP challenge itself does not sign in.
		_, err = mfaRespond(c, client, "max", types.ChallengeNameTypeMfaSetup, out.Session)
		wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")
		res := must(mfaRespond(c, client, "max", types.ChallengeNameTypeMfaSetup, ver.Session))(t)
		auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
		return aws.ToString(assoc.SecretCode)
	}
	secret := setUp(t)

	// Next time: the token.
	now := s.alignStep(t)
	out := must(auPasswordAuth(c, client, "max", auPassword))(t)
	mfaWantChallenge(t, out.ChallengeName, out.ChallengeParameters, types.ChallengeNameTypeSoftwareTokenMfa, nil)
	res := must(mfaRespond(c, client, "max", types.ChallengeNameTypeSoftwareTokenMfa, out.Session, "SOFTWARE_TOKEN_MFA_CODE", mfaTOTP(t, secret, now)))(t)
	auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)

	// The phone is lost.
	must(c.AdminDeleteSoftwareToken(bg, &cip.AdminDeleteSoftwareTokenInput{UserPoolId: aws.String(pool), Username: aws.String("max")}))(t)
	got := must(c.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("max")}))(t)
	if len(got.UserMFASettingList) != 0 || got.PreferredMfaSetting != nil {
		t.Errorf("after AdminDeleteSoftwareToken: list %v, preferred %v", got.UserMFASettingList, got.PreferredMfaSetting)
	}
	_, err := c.AdminDeleteSoftwareToken(bg, &cip.AdminDeleteSoftwareTokenInput{UserPoolId: aws.String(pool), Username: aws.String("nobody")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")

	now = s.alignStep(t)
	out = must(auPasswordAuth(c, client, "max", auPassword))(t)
	mfaWantChallenge(t, out.ChallengeName, out.ChallengeParameters, types.ChallengeNameTypeMfaSetup, nil)
	// A code of the old secret cannot answer as the old token did, nor set up a new one.
	_, err = mfaRespond(c, client, "max", types.ChallengeNameTypeSoftwareTokenMfa, out.Session, "SOFTWARE_TOKEN_MFA_CODE", mfaTOTP(t, secret, now))
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")
	assoc := must(c.AssociateSoftwareToken(bg, &cip.AssociateSoftwareTokenInput{Session: out.Session}))(t)
	if aws.ToString(assoc.SecretCode) == secret {
		t.Fatal("AssociateSoftwareToken gave the deleted secret again")
	}
	_, err = c.VerifySoftwareToken(bg, &cip.VerifySoftwareTokenInput{Session: assoc.Session, UserCode: aws.String(mfaTOTP(t, secret, now))})
	wantErr[*types.EnableSoftwareTokenMFAException](t, err, "Code mismatch and fail enable Software Token MFA")
	setUp(t)
}

// TestSMSAndEmailMFA: SMS_MFA and EMAIL_OTP challenges send a code through the inbox with
// the pool's templates, name where it went, take it once, refuse a wrong one, and die with
// the session; a user with both and no preference chooses (SELECT_MFA_TYPE).
func TestSMSAndEmailMFA(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool, client := mfaPool(t, c, &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOptional,
		SmsMfaConfiguration:   &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Your sign-in code is {####}")},
		EmailMfaConfiguration: &types.EmailMfaConfigType{Subject: aws.String("Sign-in code"), Message: aws.String("Use {####} to sign in")}})
	auUser(t, c, pool, "sue", auPassword, "phone_number", "+15555550100", "email", "sue@example.com", "email_verified", "true")
	must(c.AdminSetUserMFAPreference(bg, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(pool), Username: aws.String("sue"),
		SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}}))(t)
	nInbox := 0
	code := func(t *testing.T, medium, body string) string {
		t.Helper()
		nInbox++
		got, m := auCode(t, s, pool, "sue", nInbox)
		if m.DeliveryMedium != medium || m.TriggerSource != "CustomMessage_Authentication" || !strings.Contains(m.Body, strings.Replace(body, "{####}", got, 1)) {
			t.Errorf("message %+v: want %s %q from CustomMessage_Authentication", m, medium, body)
		}
		return got
	}

	t.Run("SMS_MFA", func(t *testing.T) {
		out := must(auPasswordAuth(c, client, "sue", auPassword))(t)
		mfaWantChallenge(t, out.ChallengeName, out.ChallengeParameters, types.ChallengeNameTypeSmsMfa,
			map[string]string{"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+********0100"})
		sms := code(t, "SMS", "Your sign-in code is {####}")
		_, err := mfaRespond(c, client, "sue", types.ChallengeNameTypeSmsMfa, out.Session, "SMS_MFA_CODE", auOther(sms))
		wantErr[*types.CodeMismatchException](t, err, mfaMsgMismatch)
		res := must(mfaRespond(c, client, "sue", types.ChallengeNameTypeSmsMfa, out.Session, "SMS_MFA_CODE", sms))(t)
		auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
		// Single use: the code of a finished sign-in cannot answer the next.
		out = must(auPasswordAuth(c, client, "sue", auPassword))(t)
		next := code(t, "SMS", "Your sign-in code is {####}")
		if next != sms {
			_, err = mfaRespond(c, client, "sue", types.ChallengeNameTypeSmsMfa, out.Session, "SMS_MFA_CODE", sms)
			wantErr[*types.CodeMismatchException](t, err, mfaMsgMismatch)
		}
		// Expiry: the code dies with the session (AuthSessionValidity, 3 minutes).
		s.clock(t, http.MethodPost, "Advance=4m", "")
		_, err = mfaRespond(c, client, "sue", types.ChallengeNameTypeSmsMfa, out.Session, "SMS_MFA_CODE", next)
		wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user, session is expired.")
	})
	t.Run("EMAIL_OTP", func(t *testing.T) {
		must(c.AdminSetUserMFAPreference(bg, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(pool), Username: aws.String("sue"),
			EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true, PreferredMfa: true}}))(t)
		u := must(c.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("sue")}))(t)
		if diff := cmp.Diff([]string{"SMS_MFA", "EMAIL_OTP"}, u.UserMFASettingList); diff != "" || aws.ToString(u.PreferredMfaSetting) != "EMAIL_OTP" {
			t.Errorf("settings (-want +got):\n%s preferred %q", diff, aws.ToString(u.PreferredMfaSetting))
		}
		out := must(auPasswordAuth(c, client, "sue", auPassword))(t)
		mfaWantChallenge(t, out.ChallengeName, out.ChallengeParameters, types.ChallengeNameTypeEmailOtp,
			map[string]string{"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "s***@e***"})
		mail := code(t, "EMAIL", "Use {####} to sign in")
		if _, m := auCode(t, s, pool, "sue", nInbox); m.Subject != "Sign-in code" {
			t.Errorf("subject %q", m.Subject)
		}
		res := must(mfaRespond(c, client, "sue", types.ChallengeNameTypeEmailOtp, out.Session, "EMAIL_OTP_CODE", mail))(t)
		auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
	})
	t.Run("SELECT_MFA_TYPE", func(t *testing.T) {
		// Both on, neither preferred.
		must(c.AdminSetUserMFAPreference(bg, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(pool), Username: aws.String("sue"),
			EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true}, SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true}}))(t)
		out := must(auPasswordAuth(c, client, "sue", auPassword))(t)
		mfaWantChallenge(t, out.ChallengeName, out.ChallengeParameters, types.ChallengeNameTypeSelectMfaType,
			map[string]string{"MFAS_CAN_CHOOSE": `["SMS_MFA","EMAIL_OTP"]`})
		_, err := mfaRespond(c, client, "sue", types.ChallengeNameTypeSelectMfaType, out.Session, "ANSWER", "SOFTWARE_TOKEN_MFA")
		wantCode(t, err, "InvalidParameterException")
		sel := must(mfaRespond(c, client, "sue", types.ChallengeNameTypeSelectMfaType, out.Session, "ANSWER", "EMAIL_OTP"))(t)
		mfaWantChallenge(t, sel.ChallengeName, sel.ChallengeParameters, types.ChallengeNameTypeEmailOtp, nil)
		mail := code(t, "EMAIL", "Use {####} to sign in")
		res := must(mfaRespond(c, client, "sue", types.ChallengeNameTypeEmailOtp, sel.Session, "EMAIL_OTP_CODE", mail))(t)
		auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
	})
	t.Run("legacy MFAOptions", func(t *testing.T) {
		must(c.AdminSetUserMFAPreference(bg, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(pool), Username: aws.String("sue"),
			EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: false}, SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: false}}))(t)
		auSignIn(t, c, client, "sue", auPassword) // no factor on: no MFA on an OPTIONAL pool
		must(c.AdminSetUserSettings(bg, &cip.AdminSetUserSettingsInput{UserPoolId: aws.String(pool), Username: aws.String("sue"),
			MFAOptions: []types.MFAOptionType{{DeliveryMedium: types.DeliveryMediumTypeSms, AttributeName: aws.String("phone_number")}}}))(t)
		u := must(c.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("sue")}))(t)
		if len(u.MFAOptions) != 1 || u.MFAOptions[0].DeliveryMedium != types.DeliveryMediumTypeSms || aws.ToString(u.PreferredMfaSetting) != "SMS_MFA" {
			t.Errorf("after AdminSetUserSettings: MFAOptions %+v, preferred %q", u.MFAOptions, aws.ToString(u.PreferredMfaSetting))
		}
		out := must(auPasswordAuth(c, client, "sue", auPassword))(t)
		mfaWantChallenge(t, out.ChallengeName, out.ChallengeParameters, types.ChallengeNameTypeSmsMfa, nil)
		nInbox++
		_, err := c.AdminSetUserSettings(bg, &cip.AdminSetUserSettingsInput{UserPoolId: aws.String(pool), Username: aws.String("sue"),
			MFAOptions: []types.MFAOptionType{{DeliveryMedium: types.DeliveryMediumTypeEmail, AttributeName: aws.String("email")}}})
		wantCode(t, err, "InvalidParameterException")
		// The user's own SetUserSettings turns it off again with an empty list.
		sms, _ := auCode(t, s, pool, "sue", nInbox)
		access := aws.ToString(must(mfaRespond(c, client, "sue", types.ChallengeNameTypeSmsMfa, out.Session, "SMS_MFA_CODE", sms))(t).AuthenticationResult.AccessToken)
		must(c.SetUserSettings(bg, &cip.SetUserSettingsInput{AccessToken: aws.String(access), MFAOptions: []types.MFAOptionType{}}))(t)
		u = must(c.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("sue")}))(t)
		if len(u.MFAOptions) != 0 || len(u.UserMFASettingList) != 0 {
			t.Errorf("after SetUserSettings with no options: MFAOptions %+v, list %v", u.MFAOptions, u.UserMFASettingList)
		}
		auSignIn(t, c, client, "sue", auPassword)
	})
}

// TestUserAuthOneTimeCodes: USER_AUTH's EMAIL_OTP and SMS_OTP first factors, offered where
// the pool allows them, answered with the code from the inbox; GetUserAuthFactors names
// them; an unknown user of a client that hides users gets a challenge no code answers.
func TestUserAuthOneTimeCodes(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool, client := mfaPool(t, c, nil, types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp, types.AuthFactorTypeSmsOtp)
	hiding, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("hiding"), ExplicitAuthFlows: uaFlows,
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled})
	auUser(t, c, pool, "otto", auPassword, "email", "otto@example.com", "email_verified", "true",
		"phone_number", "+15555550123", "phone_number_verified", "true")

	out := must(uaInitiate(c, client, map[string]string{"USERNAME": "otto"}, nil))(t)
	if diff := cmp.Diff([]types.ChallengeNameType{"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"}, out.AvailableChallenges); diff != "" {
		t.Errorf("AvailableChallenges (-want +got):\n%s", diff)
	}
	n := 0
	for _, tc := range []struct {
		factor, param, medium, dest string
	}{
		{"EMAIL_OTP", "EMAIL_OTP_CODE", "EMAIL", "o***@e***"},
		{"SMS_OTP", "SMS_OTP_CODE", "SMS", "+********0123"},
	} {
		t.Run(tc.factor, func(t *testing.T) {
			out := must(uaInitiate(c, client, map[string]string{"USERNAME": "otto", "PREFERRED_CHALLENGE": tc.factor}, nil))(t)
			mfaWantChallenge(t, out.ChallengeName, out.ChallengeParameters, types.ChallengeNameType(tc.factor),
				map[string]string{"CODE_DELIVERY_DELIVERY_MEDIUM": tc.medium, "CODE_DELIVERY_DESTINATION": tc.dest})
			n++
			code, m := auCode(t, s, pool, "otto", n)
			if m.DeliveryMedium != tc.medium {
				t.Errorf("medium %q", m.DeliveryMedium)
			}
			_, err := uaRespond(c, client, tc.factor, map[string]string{"USERNAME": "otto", tc.param: auOther(code)}, out.Session)
			wantErr[*types.CodeMismatchException](t, err, mfaMsgMismatch)
			res := must(uaRespond(c, client, tc.factor, map[string]string{"USERNAME": "otto", tc.param: code}, out.Session))(t)
			auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
			// Chosen from SELECT_CHALLENGE too.
			sel := must(uaInitiate(c, client, map[string]string{"USERNAME": "otto"}, nil))(t)
			again := must(uaRespond(c, client, "SELECT_CHALLENGE", map[string]string{"USERNAME": "otto", "ANSWER": tc.factor}, sel.Session))(t)
			mfaWantChallenge(t, again.ChallengeName, again.ChallengeParameters, types.ChallengeNameType(tc.factor), nil)
			n++
			code, _ = auCode(t, s, pool, "otto", n)
			res = must(uaRespond(c, client, tc.factor, map[string]string{"USERNAME": "otto", tc.param: code}, again.Session))(t)
			auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
		})
	}
	t.Run("GetUserAuthFactors", func(t *testing.T) {
		access := aws.ToString(auSignIn(t, c, client, "otto", auPassword).AccessToken)
		got := must(c.GetUserAuthFactors(bg, &cip.GetUserAuthFactorsInput{AccessToken: aws.String(access)}))(t)
		want := []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp, types.AuthFactorTypeSmsOtp}
		if diff := cmp.Diff(want, got.ConfiguredUserAuthFactors); diff != "" || aws.ToString(got.Username) != "otto" {
			t.Errorf("GetUserAuthFactors %q (-want +got):\n%s", aws.ToString(got.Username), diff)
		}
		admin := must(c.AdminGetUserAuthFactors(bg, &cip.AdminGetUserAuthFactorsInput{UserPoolId: aws.String(pool), Username: aws.String("otto")}))(t)
		if diff := cmp.Diff(want, admin.ConfiguredUserAuthFactors); diff != "" {
			t.Errorf("AdminGetUserAuthFactors (-want +got):\n%s", diff)
		}
	})
	t.Run("a pool that does not offer them", func(t *testing.T) {
		plain, app := mfaPool(t, c, nil)
		auUser(t, c, plain, "otto", auPassword, "email", "otto@example.com", "email_verified", "true")
		out := must(uaInitiate(c, app, map[string]string{"USERNAME": "otto"}, nil))(t)
		for _, f := range []string{"EMAIL_OTP", "SMS_OTP"} {
			_, err := uaRespond(c, app, "SELECT_CHALLENGE", map[string]string{"USERNAME": "otto", "ANSWER": f}, out.Session)
			wantErr[*types.InvalidParameterException](t, err, "Invalid ANSWER "+f+": it is not one of the available challenges.")
			res := must(uaInitiate(c, app, map[string]string{"USERNAME": "otto", "PREFERRED_CHALLENGE": f}, nil))(t)
			if res.ChallengeName != types.ChallengeNameTypeSelectChallenge {
				t.Errorf("PREFERRED_CHALLENGE %s the pool does not offer: challenge %q, want SELECT_CHALLENGE", f, res.ChallengeName)
			}
		}
	})
	t.Run("unknown users", func(t *testing.T) {
		_, err := uaInitiate(c, client, map[string]string{"USERNAME": "nobody@example.com", "PREFERRED_CHALLENGE": "EMAIL_OTP"}, nil)
		wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
		out := must(uaInitiate(c, hiding, map[string]string{"USERNAME": "nobody@example.com", "PREFERRED_CHALLENGE": "EMAIL_OTP"}, nil))(t)
		mfaWantChallenge(t, out.ChallengeName, out.ChallengeParameters, types.ChallengeNameTypeEmailOtp,
			map[string]string{"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "n***@e***"})
		_, err = uaRespond(c, hiding, "EMAIL_OTP", map[string]string{"USERNAME": "nobody@example.com", "EMAIL_OTP_CODE": "123456"}, out.Session)
		wantErr[*types.CodeMismatchException](t, err, mfaMsgMismatch)
		// A user without a verified address is told so, unless the client hides users:
		// then it looks like anyone else, and no message goes out.
		auUser(t, c, pool, "una", auPassword, "email", "una@example.com")
		_, err = uaInitiate(c, client, map[string]string{"USERNAME": "una", "PREFERRED_CHALLENGE": "EMAIL_OTP"}, nil)
		wantErr[*types.InvalidParameterException](t, err, "EMAIL_OTP is not available for the user: it needs a verified email and no MFA factor on.")
		out = must(uaInitiate(c, hiding, map[string]string{"USERNAME": "una", "PREFERRED_CHALLENGE": "EMAIL_OTP"}, nil))(t)
		mfaWantChallenge(t, out.ChallengeName, out.ChallengeParameters, types.ChallengeNameTypeEmailOtp,
			map[string]string{"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL"})
		if n := len(auInbox(t, s, pool, "una")); n != 0 {
			t.Errorf("%d messages to a user who cannot sign in with EMAIL_OTP", n)
		}
	})
}

// TestMFACodeTriggers: an SMS MFA code goes through the pool's CustomMessage function with
// source CustomMessage_Authentication (its text replacing the template), and, on a pool with
// a CustomSMSSender, to that function (CustomSMSSender_Authentication, asynchronously, the
// code encrypted) with no message written.
func TestMFACodeTriggers(t *testing.T) {
	t.Parallel()
	fn := newFnServer(t, func(c fnCall) fnAnswer {
		if c.Event["triggerSource"] == "CustomMessage_Authentication" {
			return fnAnswer{Response: map[string]any{"smsMessage": "Example sign-in: {####}"}}
		}
		return fnAnswer{}
	})
	s := startServer(t, fn.Flags()...)
	c := s.Client
	pool := func(lc *types.LambdaConfigType) (string, string) {
		id := createPool(t, c, &cip.CreateUserPoolInput{LambdaConfig: lc,
			SmsConfiguration: &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/sns")}})
		must(c.SetUserPoolMfaConfig(bg, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(id), MfaConfiguration: types.UserPoolMfaTypeOptional,
			SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Template {####}")}}))(t)
		client, _ := auClient(t, c, id, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: auPasswordFlows})
		auUser(t, c, id, "pat", auPassword, "phone_number", "+15555550177")
		must(c.AdminSetUserMFAPreference(bg, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(id), Username: aws.String("pat"),
			SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}}))(t)
		return id, client
	}

	t.Run("CustomMessage_Authentication", func(t *testing.T) {
		id, client := pool(&types.LambdaConfigType{CustomMessage: aws.String(fnArnPrefix + "custom-message")})
		out := must(auPasswordAuth(c, client, "pat", auPassword))(t)
		mfaWantChallenge(t, out.ChallengeName, out.ChallengeParameters, types.ChallengeNameTypeSmsMfa, nil)
		call := fnOnly(t, fn.Calls(t), "CustomMessage_Authentication")
		if call.Event["userPoolId"] != id || fnRequest(call)["codeParameter"] != "{####}" {
			t.Errorf("CustomMessage_Authentication event %v", call.Event)
		}
		code, m := auCode(t, s, id, "pat", 1)
		if m.Body != "Example sign-in: "+code {
			t.Errorf("body %q: want the function's text", m.Body)
		}
		res := must(mfaRespond(c, client, "pat", types.ChallengeNameTypeSmsMfa, out.Session, "SMS_MFA_CODE", code))(t)
		auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
	})
	t.Run("CustomSMSSender_Authentication", func(t *testing.T) {
		id, client := pool(&types.LambdaConfigType{KMSKeyID: aws.String(fnKMSKey),
			CustomSMSSender: &types.CustomSMSLambdaVersionConfigType{LambdaVersion: types.CustomSMSSenderLambdaVersionTypeV10, LambdaArn: aws.String(fnArnPrefix + "sms-sender")}})
		out := must(auPasswordAuth(c, client, "pat", auPassword))(t)
		mfaWantChallenge(t, out.ChallengeName, out.ChallengeParameters, types.ChallengeNameTypeSmsMfa,
			map[string]string{"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+********0177"})
		call := fnOnly(t, fn.Calls(t), "CustomSMSSender_Authentication")
		if !call.Async || call.Event["userPoolId"] != id || fnRequest(call)["type"] != "customSMSSenderRequestV1" {
			t.Errorf("CustomSMSSender_Authentication call async=%v event %v", call.Async, call.Event)
		}
		// The inbox records the hand-off, shaped by the sender, without the code.
		if msgs := auInbox(t, s, id, "pat"); len(msgs) != 1 {
			t.Errorf("%d messages after a custom sender's code, want the hand-off's record", len(msgs))
		} else if m := msgs[0]; m.ShapedBy != "CustomSMSSender" || m.TriggerSource != "CustomSMSSender_Authentication" || m.Channel != "trigger" || m.Body != "" {
			t.Errorf("the hand-off's record %+v", m)
		}
	})
}
