package main

// End-to-end tests of USER_AUTH, choice-based sign-in, through the real SDK: the PASSWORD
// and PASSWORD_SRP preferences, SELECT_CHALLENGE answered with ANSWER, the sign-in after
// sign-up with ConfirmSignUp's Session, and the one-time-code factors refused honestly.

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

var uaFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}

// uaSetup makes a pool with the given first factors (the default when nil), a USER_AUTH
// client, one that hides unknown users, and the user sam.
func uaSetup(t testing.TB, c *cip.Client, factors []types.AuthFactorType) (pool, app, hiding string) {
	t.Helper()
	in := &cip.CreateUserPoolInput{AutoVerifiedAttributes: auEmailVerified}
	if factors != nil {
		in.Policies = &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: factors}}
	}
	pool = createPool(t, c, in)
	app, _ = auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: uaFlows})
	hiding, _ = auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("hiding"), ExplicitAuthFlows: uaFlows,
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled})
	auUser(t, c, pool, "sam", auPassword, "email", "sam@example.com", "email_verified", "true")
	return pool, app, hiding
}

func uaInitiate(c *cip.Client, client string, params map[string]string, session *string) (*cip.InitiateAuthOutput, error) {
	return c.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: types.AuthFlowTypeUserAuth,
		AuthParameters: params, Session: session})
}

func uaRespond(c *cip.Client, client, challenge string, responses map[string]string, session *string) (*cip.RespondToAuthChallengeOutput, error) {
	return c.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(client),
		ChallengeName: types.ChallengeNameType(challenge), ChallengeResponses: responses, Session: session})
}

// TestUserAuthPreferredPassword: PREFERRED_CHALLENGE=PASSWORD with the password signs in;
// a wrong one, an unknown user (with and without PreventUserExistenceErrors) and the lockout
// answer as USER_PASSWORD_AUTH does, in the same budget.
func TestUserAuthPreferredPassword(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool, app, hiding := uaSetup(t, c, nil)
	pw := func(client, user, password string) (*cip.InitiateAuthOutput, error) {
		return uaInitiate(c, client, map[string]string{"USERNAME": user, "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": password}, nil)
	}
	out := must(pw(app, "sam", auPassword))(t)
	auWantTokens(t, out.ChallengeName, out.AuthenticationResult, true)
	if id := auDecode(t, aws.ToString(out.AuthenticationResult.IdToken)); id.str("cognito:username") != "sam" || id.str("aud") != app {
		t.Errorf("ID token: cognito:username %q, aud %q", id.str("cognito:username"), id.str("aud"))
	}
	must(c.GetUser(bg, &cip.GetUserInput{AccessToken: out.AuthenticationResult.AccessToken}))(t)

	_, err := pw(app, "sam", "Wr0ng-Password!")
	wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
	_, err = pw(app, "nobody", auPassword)
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	_, err = pw(hiding, "nobody", auPassword)
	wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
	_, err = uaInitiate(c, app, map[string]string{"USERNAME": "sam", "PREFERRED_CHALLENGE": "PASSWORD"}, nil)
	wantErr[*types.InvalidParameterException](t, err, "Missing required parameter PASSWORD")

	// Another client without ALLOW_USER_AUTH may not use the flow.
	pwOnly, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("password-only"), ExplicitAuthFlows: auPasswordFlows})
	_, err = pw(pwOnly, "sam", auPassword)
	wantErr[*types.InvalidParameterException](t, err, "USER_AUTH flow not enabled for this client")

	// Wrong passwords count with USER_PASSWORD_AUTH's: four there and one here make five,
	// and the sixth attempt is refused even with the right password.
	pwFlow, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("both"),
		ExplicitAuthFlows: append([]types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth}, uaFlows...)})
	for range 4 {
		_, err := c.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(pwFlow), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "sam", "PASSWORD": "Wr0ng-Password!"}})
		wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
	}
	_, err = pw(pwFlow, "sam", auPassword) // the wrong one above was the fifth
	wantErr[*types.NotAuthorizedException](t, err, "Password attempts exceeded")
}

// TestUserAuthPreferredSRP: PREFERRED_CHALLENGE=PASSWORD_SRP with SRP_A answers
// PASSWORD_VERIFIER, and the independent SRP client's answer signs in.
func TestUserAuthPreferredSRP(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool, app, _ := uaSetup(t, c, nil)
	sc := newSRPClient(t, pool)
	first := must(uaInitiate(c, app, map[string]string{"USERNAME": "sam", "PREFERRED_CHALLENGE": "PASSWORD_SRP", "SRP_A": sc.SRPA()}, nil))(t)
	if first.ChallengeName != types.ChallengeNameTypePasswordVerifier || first.ChallengeParameters["USER_ID_FOR_SRP"] != "sam" {
		t.Fatalf("challenge %q %v, want PASSWORD_VERIFIER for sam", first.ChallengeName, first.ChallengeParameters)
	}
	answer, err := sc.Respond(first.ChallengeParameters, auPassword, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	res := must(uaRespond(c, app, "PASSWORD_VERIFIER", answer, first.Session))(t)
	auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)

	_, err = uaInitiate(c, app, map[string]string{"USERNAME": "sam", "PREFERRED_CHALLENGE": "PASSWORD_SRP"}, nil)
	wantErr[*types.InvalidParameterException](t, err, "Missing required parameter SRP_A")
}

// TestUserAuthSelectChallenge: without a preference, SELECT_CHALLENGE lists the pool's
// AllowedFirstAuthFactors as cognate carries them out (PASSWORD as PASSWORD and
// PASSWORD_SRP, the one-time codes as EMAIL_OTP and SMS_OTP: mfa_e2e_test.go signs in with
// those), and ANSWER with what the factor needs signs in. WEB_AUTHN, which this pool does
// not allow, is not offered (passkey_e2e_test.go signs in with it).
func TestUserAuthSelectChallenge(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool, app, hiding := uaSetup(t, c, []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp, types.AuthFactorTypeSmsOtp})
	want := []types.ChallengeNameType{types.ChallengeNameTypePassword, types.ChallengeNameTypePasswordSrp,
		types.ChallengeNameTypeEmailOtp, types.ChallengeNameTypeSmsOtp}
	sel := func(client, user string) *cip.InitiateAuthOutput {
		t.Helper()
		out := must(uaInitiate(c, client, map[string]string{"USERNAME": user}, nil))(t)
		if out.ChallengeName != types.ChallengeNameTypeSelectChallenge || aws.ToString(out.Session) == "" || out.AuthenticationResult != nil {
			t.Fatalf("InitiateAuth USER_AUTH: challenge %q, session %q, result %v; want SELECT_CHALLENGE with a session", out.ChallengeName, aws.ToString(out.Session), out.AuthenticationResult)
		}
		if diff := cmp.Diff(want, out.AvailableChallenges); diff != "" {
			t.Errorf("AvailableChallenges (-want +got):\n%s", diff)
		}
		return out
	}

	t.Run("PASSWORD", func(t *testing.T) {
		out := sel(app, "sam")
		res := must(uaRespond(c, app, "SELECT_CHALLENGE", map[string]string{"USERNAME": "sam", "ANSWER": "PASSWORD", "PASSWORD": auPassword}, out.Session))(t)
		auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
		_, err := uaRespond(c, app, "SELECT_CHALLENGE", map[string]string{"USERNAME": "sam", "ANSWER": "PASSWORD", "PASSWORD": "Wr0ng-Password!"}, out.Session)
		wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
	})
	t.Run("PASSWORD_SRP", func(t *testing.T) {
		out := sel(app, "sam")
		sc := newSRPClient(t, pool)
		first := must(uaRespond(c, app, "SELECT_CHALLENGE", map[string]string{"USERNAME": "sam", "ANSWER": "PASSWORD_SRP", "SRP_A": sc.SRPA()}, out.Session))(t)
		if first.ChallengeName != types.ChallengeNameTypePasswordVerifier {
			t.Fatalf("challenge %q, want PASSWORD_VERIFIER", first.ChallengeName)
		}
		answer, err := sc.Respond(first.ChallengeParameters, auPassword, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		res := must(uaRespond(c, app, "PASSWORD_VERIFIER", answer, first.Session))(t)
		auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
	})
	t.Run("factors the pool does not offer", func(t *testing.T) {
		out := sel(app, "sam")
		_, err := uaRespond(c, app, "SELECT_CHALLENGE", map[string]string{"USERNAME": "sam", "ANSWER": "CUSTOM_CHALLENGE"}, out.Session)
		wantErr[*types.InvalidParameterException](t, err, "Invalid ANSWER CUSTOM_CHALLENGE: it is not one of the available challenges.")
		// Passkeys (passkey_e2e_test.go) where the pool does not allow them: not offered, and
		// preferring them is a preference the pool does not offer, which lets the user choose.
		_, err = uaRespond(c, app, "SELECT_CHALLENGE", map[string]string{"USERNAME": "sam", "ANSWER": "WEB_AUTHN"}, out.Session)
		wantErr[*types.InvalidParameterException](t, err, "Invalid ANSWER WEB_AUTHN: it is not one of the available challenges.")
		pref := must(uaInitiate(c, app, map[string]string{"USERNAME": "sam", "PREFERRED_CHALLENGE": "WEB_AUTHN"}, nil))(t)
		if pref.ChallengeName != types.ChallengeNameTypeSelectChallenge {
			t.Errorf("PREFERRED_CHALLENGE WEB_AUTHN on a pool without passkeys: %q, want SELECT_CHALLENGE", pref.ChallengeName)
		}
	})
	t.Run("sessions", func(t *testing.T) {
		_, err := uaRespond(c, app, "SELECT_CHALLENGE", map[string]string{"USERNAME": "sam", "ANSWER": "PASSWORD", "PASSWORD": auPassword}, aws.String("forged-session-forged-session"))
		wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")
		// A session belongs to the client it was made for.
		out := sel(app, "sam")
		_, err = uaRespond(c, hiding, "SELECT_CHALLENGE", map[string]string{"USERNAME": "sam", "ANSWER": "PASSWORD", "PASSWORD": auPassword}, out.Session)
		wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")
	})
	t.Run("unknown users", func(t *testing.T) {
		_, err := uaInitiate(c, app, map[string]string{"USERNAME": "nobody"}, nil)
		wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
		// Hidden: the same choice as for a real user, and no answer to it signs in.
		out := sel(hiding, "nobody")
		_, err = uaRespond(c, hiding, "SELECT_CHALLENGE", map[string]string{"USERNAME": "nobody", "ANSWER": "PASSWORD", "PASSWORD": auPassword}, out.Session)
		wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
	})
	t.Run("a pool that offers only one-time codes", func(t *testing.T) {
		otp := createPool(t, c, &cip.CreateUserPoolInput{Policies: &types.UserPoolPolicyType{
			SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypeEmailOtp}}}})
		client, _ := auClient(t, c, otp, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: uaFlows})
		auUser(t, c, otp, "ann", auPassword)
		res := must(uaInitiate(c, client, map[string]string{"USERNAME": "ann"}, nil))(t)
		if diff := cmp.Diff([]types.ChallengeNameType{"EMAIL_OTP"}, res.AvailableChallenges); res.ChallengeName != types.ChallengeNameTypeSelectChallenge || diff != "" {
			t.Errorf("challenge %q, AvailableChallenges (-want +got):\n%s", res.ChallengeName, diff)
		}
	})
}

// TestUserAuthAfterSignUp: SignUp and ConfirmSignUp answer a Session; InitiateAuth
// USER_AUTH with USERNAME and ConfirmSignUp's Session signs the user in once, without a
// password (Amplify's autoSignIn). A second use, another user's name, another client and an
// expired session are refused.
func TestUserAuthAfterSignUp(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool, app, hiding := uaSetup(t, c, nil)
	signUp := func(name string) *string {
		t.Helper()
		up := must(auSignUp(c, app, name, auPassword, "email", name+"@example.com"))(t)
		if aws.ToString(up.Session) == "" {
			t.Fatal("SignUp answered no Session")
		}
		// SignUp's Session signs no one in.
		_, err := uaInitiate(c, app, map[string]string{"USERNAME": name}, up.Session)
		wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")
		code, _ := auCode(t, s, pool, name, 1)
		conf := must(c.ConfirmSignUp(bg, &cip.ConfirmSignUpInput{ClientId: aws.String(app), Username: aws.String(name),
			ConfirmationCode: aws.String(code), Session: up.Session}))(t)
		if aws.ToString(conf.Session) == "" {
			t.Fatal("ConfirmSignUp answered no Session")
		}
		return conf.Session
	}

	sess := signUp("kim")
	_, err := uaInitiate(c, app, map[string]string{"USERNAME": "sam"}, sess)
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")
	_, err = uaInitiate(c, hiding, map[string]string{"USERNAME": "kim"}, sess)
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")
	out := must(uaInitiate(c, app, map[string]string{"USERNAME": "kim"}, sess))(t)
	auWantTokens(t, out.ChallengeName, out.AuthenticationResult, true)
	if id := auDecode(t, aws.ToString(out.AuthenticationResult.IdToken)); id.str("cognito:username") != "kim" || id.Claims["email_verified"] != true {
		t.Errorf("ID token: cognito:username %q, email_verified %v", id.str("cognito:username"), id.Claims["email_verified"])
	}
	_, err = uaInitiate(c, app, map[string]string{"USERNAME": "kim"}, sess)
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user, session can only be used once.")

	// Without the Session, USER_AUTH is the choice as for anyone.
	if out := must(uaInitiate(c, app, map[string]string{"USERNAME": "kim"}, nil))(t); out.ChallengeName != types.ChallengeNameTypeSelectChallenge {
		t.Errorf("USER_AUTH without a session: %q, want SELECT_CHALLENGE", out.ChallengeName)
	}
}
