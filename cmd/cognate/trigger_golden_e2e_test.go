package main

// Golden tests of the trigger events: every trigger source cognate invokes, driven through
// the real Go SDK, its whole event compared field by field with the shape AWS documents
// (spec §6.2-§6.6 and the developer guide's pages for each trigger it cites). The values
// that depend on the run (ids, the user's sub, the SDK's version) are read from the server
// and the SDK; everything else is the golden's.

import (
	"encoding/base64"
	"regexp"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

// golden is a test's view of the events a server's functions got: the last event of each
// source, compared against the documented shape.
type golden struct {
	t      *testing.T
	fn     *fnServer
	s      *testServer
	pool   string
	seen   map[string]bool
	checks int
}

// event returns the last invocation of source since the test began.
func (g *golden) event(source string) fnCall {
	g.t.Helper()
	calls := g.fn.Calls(g.t)
	for i := len(calls) - 1; i >= 0; i-- {
		if calls[i].Event["triggerSource"] == source && calls[i].Event["userPoolId"] == g.pool {
			return calls[i]
		}
	}
	g.t.Fatalf("no invocation of %s", source)
	return fnCall{}
}

// attrs are a user's attributes as an event carries them: strings, with cognito:user_status.
func (g *golden) attrs(user string) map[string]any {
	g.t.Helper()
	u := getUser(g.t, g.s.Client, g.pool, user)
	out := map[string]any{"cognito:user_status": string(u.UserStatus)}
	for k, v := range attrMap(u.UserAttributes) {
		out[k] = v
	}
	return out
}

// want compares the last event of source with the documented envelope (spec §6.2) around
// request and response: version, region, the pool, the user's name (not the alias typed),
// the caller's SDK and app client (nil for an administrator's call).
func (g *golden) want(source, version, user string, clientID any, request, response map[string]any) {
	g.t.Helper()
	c := g.event(source)
	want := map[string]any{"version": version, "triggerSource": source, "region": "us-east-1", "userPoolId": g.pool,
		"userName": user, "callerContext": map[string]any{"awsSdkVersion": fnSDK(g.t, c), "clientId": clientID},
		"request": request, "response": response}
	if diff := cmp.Diff(want, c.Event); diff != "" {
		g.t.Errorf("%s event (-documented +got):\n%s", source, diff)
	}
	g.seen[source] = true
	g.checks++
}

// The documented members of the events cognate sends, empty as Cognito sends them.
var (
	customMessageResponse = map[string]any{"smsMessage": nil, "emailMessage": nil, "emailSubject": nil}
	preSignUpResponse     = map[string]any{"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false}
	migrationResponse     = map[string]any{"userAttributes": nil, "finalUserStatus": nil, "messageAction": nil,
		"desiredDeliveryMediums": nil, "forceAliasCreation": nil, "enableSMSMFA": nil}
	noResponse = map[string]any{}
)

// customMessageRequest is a CustomMessage event's request (spec §6.3).
func customMessageRequest(attrs map[string]any, usernameParameter any, metadata map[string]any) map[string]any {
	r := map[string]any{"userAttributes": attrs, "codeParameter": "{####}", "linkParameter": "{##Click Here##}",
		"usernameParameter": usernameParameter}
	if metadata != nil {
		r["clientMetadata"] = metadata
	}
	return r
}

// TestTriggerEventGoldens drives every synchronous trigger source through the Go SDK on one
// pool with every trigger configured, and compares each event with the documented shape.
func TestTriggerEventGoldens(t *testing.T) {
	var mu sync.Mutex
	fn := newFnServer(t, func(c fnCall) fnAnswer {
		mu.Lock()
		defer mu.Unlock()
		req := fnRequest(c)
		switch c.Event["triggerSource"] {
		case "UserMigration_Authentication", "UserMigration_ForgotPassword":
			return fnAnswer{Response: map[string]any{"userAttributes": map[string]any{"email": c.Event["userName"].(string) + "@example.com",
				"email_verified": "true"}, "finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS"}}
		case "DefineAuthChallenge_Authentication":
			if history, _ := req["session"].([]any); len(history) > 0 {
				return fnAnswer{Response: map[string]any{"issueTokens": history[len(history)-1].(map[string]any)["challengeResult"] == true,
					"failAuthentication": history[len(history)-1].(map[string]any)["challengeResult"] != true}}
			}
			return fnAnswer{Response: map[string]any{"challengeName": "CUSTOM_CHALLENGE"}}
		case "CreateAuthChallenge_Authentication":
			return fnAnswer{Response: map[string]any{"publicChallengeParameters": map[string]any{"question": "2+2"},
				"privateChallengeParameters": map[string]any{"answer": "4"}, "challengeMetadata": "Q1"}}
		case "VerifyAuthChallengeResponse_Authentication":
			return fnAnswer{Response: map[string]any{"answerCorrect": req["challengeAnswer"] == "4"}}
		}
		return fnAnswer{}
	})
	s := startServer(t, fn.Flags()...)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, fnLambda(&types.LambdaConfigType{
		PreSignUp: aws.String(fnArnPrefix + "pre-sign-up"), PostConfirmation: aws.String(fnArnPrefix + "post-confirmation"),
		PreAuthentication: aws.String(fnArnPrefix + "pre-auth"), PostAuthentication: aws.String(fnArnPrefix + "post-auth"),
		PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{LambdaArn: aws.String(fnArnPrefix + "pre-token"),
			LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20},
		UserMigration: aws.String(fnArnPrefix + "migrate"), CustomMessage: aws.String(fnArnPrefix + "custom-message"),
		DefineAuthChallenge: aws.String(fnArnPrefix + "define"), CreateAuthChallenge: aws.String(fnArnPrefix + "create"),
		VerifyAuthChallengeResponse: aws.String(fnArnPrefix + "verify")}))
	app := aws.ToString(must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(p.id), ClientName: aws.String("all"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowCustomAuth,
			types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}}))(t).UserPoolClient.ClientId)
	g := &golden{t: t, fn: fn, s: s, pool: p.id, seen: map[string]bool{}}
	meta := map[string]string{"k": "v", "json": `{"a":[1,2]}`}
	metaEv := map[string]any{"k": "v", "json": `{"a":[1,2]}`}
	code := func(user string) string {
		t.Helper()
		for _, m := range p.inbox(t) {
			if m.Username == user {
				return fnCode.FindString(m.Body)
			}
		}
		t.Fatalf("no message to %s", user)
		return ""
	}

	// Sign-up, resend, confirmation.
	must(s.Client.SignUp(bg, &cip.SignUpInput{ClientId: aws.String(app), Username: aws.String("sam"), Password: aws.String(recOldPassword),
		UserAttributes: attributes("email", "sam@example.com"), ValidationData: attributes("invite", "X1"), ClientMetadata: meta}))(t)
	g.want("PreSignUp_SignUp", "1", "sam", app, map[string]any{"userAttributes": map[string]any{"email": "sam@example.com"},
		"validationData": map[string]any{"invite": "X1"}, "clientMetadata": metaEv}, preSignUpResponse)
	g.want("CustomMessage_SignUp", "1", "sam", app, customMessageRequest(g.attrs("sam"), nil, metaEv), customMessageResponse)
	must(s.Client.ResendConfirmationCode(bg, &cip.ResendConfirmationCodeInput{ClientId: aws.String(app), Username: aws.String("sam"), ClientMetadata: meta}))(t)
	g.want("CustomMessage_ResendCode", "1", "sam", app, customMessageRequest(g.attrs("sam"), nil, metaEv), customMessageResponse)
	must(s.Client.ConfirmSignUp(bg, &cip.ConfirmSignUpInput{ClientId: aws.String(app), Username: aws.String("sam"), ConfirmationCode: aws.String(code("sam")),
		ClientMetadata: meta}))(t)
	g.want("PostConfirmation_ConfirmSignUp", "1", "sam", app, map[string]any{"userAttributes": g.attrs("sam"), "clientMetadata": metaEv}, noResponse)

	// Sign-in with a password, by the alias: the events name the user.
	res := must(s.Client.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(app), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "sam@example.com", "PASSWORD": recOldPassword}, ClientMetadata: meta}))(t).AuthenticationResult
	sam := g.attrs("sam")
	g.want("PreAuthentication_Authentication", "1", "sam", app, map[string]any{"userAttributes": sam, "userNotFound": false,
		"validationData": metaEv}, noResponse)
	g.want("PostAuthentication_Authentication", "1", "sam", app, map[string]any{"userAttributes": sam, "newDeviceUsed": false,
		"clientMetadata": metaEv}, noResponse)
	groups := map[string]any{"groupsToOverride": []any{}, "iamRolesToOverride": []any{}, "preferredRole": nil}
	scopes := []any{"aws.cognito.signin.user.admin"}
	g.want("TokenGeneration_Authentication", "2", "sam", app, map[string]any{"userAttributes": sam, "groupConfiguration": groups,
		"scopes": scopes, "clientMetadata": metaEv}, map[string]any{"claimsAndScopeOverrideDetails": nil})
	must(s.Client.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(app), AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(res.RefreshToken)}}))(t)
	g.want("TokenGeneration_RefreshTokens", "2", "sam", app, map[string]any{"userAttributes": sam, "groupConfiguration": groups,
		"scopes": scopes}, map[string]any{"claimsAndScopeOverrideDetails": nil})

	// Recovery.
	must(s.Client.ForgotPassword(bg, &cip.ForgotPasswordInput{ClientId: aws.String(app), Username: aws.String("sam"), ClientMetadata: meta}))(t)
	g.want("CustomMessage_ForgotPassword", "1", "sam", app, customMessageRequest(sam, nil, metaEv), customMessageResponse)
	must(s.Client.ConfirmForgotPassword(bg, &cip.ConfirmForgotPasswordInput{ClientId: aws.String(app), Username: aws.String("sam"),
		ConfirmationCode: aws.String(code("sam")), Password: aws.String(recNewPassword), ClientMetadata: meta}))(t)
	g.want("PostConfirmation_ConfirmForgotPassword", "1", "sam", app, map[string]any{"userAttributes": g.attrs("sam"), "clientMetadata": metaEv}, noResponse)

	// Attribute changes and their verification.
	access := aws.ToString(must(s.Client.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(app), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "sam", "PASSWORD": recNewPassword}}))(t).AuthenticationResult.AccessToken)
	must(s.Client.UpdateUserAttributes(bg, &cip.UpdateUserAttributesInput{AccessToken: aws.String(access),
		UserAttributes: attributes("email", "sam2@example.com"), ClientMetadata: meta}))(t)
	g.want("CustomMessage_UpdateUserAttribute", "1", "sam", app, customMessageRequest(g.attrs("sam"), nil, metaEv), customMessageResponse)
	must(s.Client.GetUserAttributeVerificationCode(bg, &cip.GetUserAttributeVerificationCodeInput{AccessToken: aws.String(access),
		AttributeName: aws.String("email"), ClientMetadata: meta}))(t)
	g.want("CustomMessage_VerifyUserAttribute", "1", "sam", app, customMessageRequest(g.attrs("sam"), nil, metaEv), customMessageResponse)

	// An administrator's invitation, and the new password it asks for.
	must(s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{UserPoolId: aws.String(p.id), Username: aws.String("ivy"),
		TemporaryPassword: aws.String("Temp-Passw0rd!"), UserAttributes: attributes("email", "ivy@example.com", "email_verified", "true"),
		ValidationData: attributes("source", "admin"), DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}, ClientMetadata: meta}))(t)
	g.want("PreSignUp_AdminCreateUser", "1", "ivy", nil, map[string]any{"userAttributes": map[string]any{"email": "ivy@example.com",
		"email_verified": "true"}, "validationData": map[string]any{"source": "admin"}, "clientMetadata": metaEv}, preSignUpResponse)
	g.want("CustomMessage_AdminCreateUser", "1", "ivy", nil, customMessageRequest(g.attrs("ivy"), "{username}", metaEv), customMessageResponse)
	ch := must(s.Client.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(app), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "ivy", "PASSWORD": "Temp-Passw0rd!"}}))(t)
	must(s.Client.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(app), ChallengeName: ch.ChallengeName,
		Session: ch.Session, ChallengeResponses: map[string]string{"USERNAME": "ivy", "NEW_PASSWORD": recNewPassword}, ClientMetadata: meta}))(t)
	g.want("TokenGeneration_NewPasswordChallenge", "2", "ivy", app, map[string]any{"userAttributes": g.attrs("ivy"), "groupConfiguration": groups,
		"scopes": scopes, "clientMetadata": metaEv}, map[string]any{"claimsAndScopeOverrideDetails": nil})

	// Migration, by sign-in and by recovery: the name as typed, the sign-in's ClientMetadata
	// as validationData (spec §6.7), no password in the recovery's (spec §6.5).
	must(s.Client.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(app), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "olga", "PASSWORD": "Legacy-1"}, ClientMetadata: meta}))(t)
	g.want("UserMigration_Authentication", "1", "olga", app, map[string]any{"password": "Legacy-1", "validationData": metaEv}, migrationResponse)
	must(s.Client.ForgotPassword(bg, &cip.ForgotPasswordInput{ClientId: aws.String(app), Username: aws.String("oscar"), ClientMetadata: meta}))(t)
	g.want("UserMigration_ForgotPassword", "1", "oscar", app, map[string]any{"password": nil, "validationData": nil, "clientMetadata": metaEv},
		migrationResponse)

	// Custom authentication: a challenge, its answer, tokens.
	out := must(s.Client.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(app), AuthFlow: types.AuthFlowTypeCustomAuth,
		AuthParameters: map[string]string{"USERNAME": "sam"}, ClientMetadata: meta}))(t)
	sam = g.attrs("sam")
	g.want("CreateAuthChallenge_Authentication", "1", "sam", app, map[string]any{"userAttributes": sam, "challengeName": "CUSTOM_CHALLENGE",
		"session": []any{}, "userNotFound": false, "clientMetadata": metaEv},
		map[string]any{"publicChallengeParameters": nil, "privateChallengeParameters": nil, "challengeMetadata": nil})
	must(s.Client.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(app), ChallengeName: types.ChallengeNameTypeCustomChallenge,
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "sam", "ANSWER": "4"}, ClientMetadata: meta}))(t)
	g.want("VerifyAuthChallengeResponse_Authentication", "1", "sam", app, map[string]any{"userAttributes": sam,
		"privateChallengeParameters": map[string]any{"answer": "4"}, "challengeAnswer": "4", "userNotFound": false, "clientMetadata": metaEv},
		map[string]any{"answerCorrect": false})
	g.want("DefineAuthChallenge_Authentication", "1", "sam", app, map[string]any{"userAttributes": sam,
		"session":      []any{map[string]any{"challengeName": "CUSTOM_CHALLENGE", "challengeResult": true, "challengeMetadata": "Q1"}},
		"userNotFound": false, "clientMetadata": metaEv},
		map[string]any{"challengeName": nil, "issueTokens": false, "failAuthentication": false})

	// An administrator's reset: CustomMessage_ForgotPassword with no app client (spec §6.1).
	must(s.Client.AdminResetUserPassword(bg, &cip.AdminResetUserPasswordInput{UserPoolId: aws.String(p.id), Username: aws.String("ivy"),
		ClientMetadata: meta}))(t)
	g.want("CustomMessage_ForgotPassword", "1", "ivy", nil, customMessageRequest(g.attrs("ivy"), nil, metaEv), customMessageResponse)

	t.Logf("%d trigger events compared with their documented shape", g.checks)
}

// TestCustomSenderEventGoldens: every source of a custom sender (spec §6.6:
// _SignUp, _ResendCode, _ForgotPassword, _UpdateUserAttribute, _VerifyUserAttribute,
// _AdminCreateUser, for email and SMS) invokes the sender asynchronously with the documented
// event, the code (or temporary password) an AWS Encryption SDK message under the pool's
// key; the inbox records each hand-off without it. (_AccountTakeOverNotification is not a
// message cognate sends; the authentication sources are the MFA work's.)
func TestCustomSenderEventGoldens(t *testing.T) {
	fn := newFnServer(t, func(fnCall) fnAnswer { return fnAnswer{} })
	s := startServer(t, fn.Flags()...)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, fnLambda(&types.LambdaConfigType{KMSKeyID: aws.String(fnKMSKey),
		CustomEmailSender: &types.CustomEmailLambdaVersionConfigType{LambdaVersion: types.CustomEmailSenderLambdaVersionTypeV10, LambdaArn: aws.String(fnArnPrefix + "email-sender")},
		CustomSMSSender:   &types.CustomSMSLambdaVersionConfigType{LambdaVersion: types.CustomSMSSenderLambdaVersionTypeV10, LambdaArn: aws.String(fnArnPrefix + "sms-sender")}}))
	g := &golden{t: t, fn: fn, s: s, pool: p.id, seen: map[string]bool{}}
	meta := map[string]string{"k": "v"}
	metaEv := map[string]any{"k": "v"}
	// want checks the sender's event: asynchronous, the encrypted secret in request.code.
	want := func(source, user string, clientID any, kind string, attrs map[string]any, withMeta bool) {
		t.Helper()
		c := g.event(source)
		if !c.Async {
			t.Errorf("%s invoked synchronously", source)
		}
		req := fnRequest(c)
		raw, err := base64.StdEncoding.DecodeString(req["code"].(string))
		if err != nil || len(raw) < 20 || raw[0] != 0x01 || raw[1] != 0x80 || fnCode.Match(raw) {
			t.Errorf("%s: code %q is not an AWS Encryption SDK message (%v)", source, req["code"], err)
		}
		want := map[string]any{"type": kind, "code": req["code"], "userAttributes": attrs}
		if withMeta {
			want["clientMetadata"] = metaEv
		}
		g.want(source, "1", user, clientID, want, noResponse)
		// The inbox's record of the hand-off, without the secret.
		for _, m := range p.inbox(t) {
			if m.TriggerSource == source && m.Username == user {
				if m.Body != "" || m.Status != "delivered" || m.Channel != "trigger" || m.ShapedBy+"_"+source[len(m.ShapedBy)+1:] != source {
					t.Errorf("%s: inbox record %+v", source, m)
				}
				return
			}
		}
		t.Errorf("%s: no inbox record of the hand-off", source)
	}
	const email, sms = "customEmailSenderRequestV1", "customSMSSenderRequestV1"

	must(s.Client.SignUp(bg, &cip.SignUpInput{ClientId: aws.String(p.client), Username: aws.String("sam"), Password: aws.String(recOldPassword),
		UserAttributes: attributes("email", "sam@example.com"), ClientMetadata: meta}))(t)
	want("CustomEmailSender_SignUp", "sam", p.client, email, g.attrs("sam"), true)
	must(s.Client.ResendConfirmationCode(bg, &cip.ResendConfirmationCodeInput{ClientId: aws.String(p.client), Username: aws.String("sam"), ClientMetadata: meta}))(t)
	want("CustomEmailSender_ResendCode", "sam", p.client, email, g.attrs("sam"), true)
	must(s.Client.AdminConfirmSignUp(bg, &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(p.id), Username: aws.String("sam")}))(t)
	must(s.Client.AdminUpdateUserAttributes(bg, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(p.id), Username: aws.String("sam"),
		UserAttributes: attributes("email_verified", "true")}))(t)
	must(s.Client.ForgotPassword(bg, &cip.ForgotPasswordInput{ClientId: aws.String(p.client), Username: aws.String("sam"), ClientMetadata: meta}))(t)
	want("CustomEmailSender_ForgotPassword", "sam", p.client, email, g.attrs("sam"), true)

	access := aws.ToString(must(p.signIn("sam", recOldPassword))(t).AccessToken)
	must(s.Client.UpdateUserAttributes(bg, &cip.UpdateUserAttributesInput{AccessToken: aws.String(access),
		UserAttributes: attributes("email", "sam2@example.com"), ClientMetadata: meta}))(t)
	want("CustomEmailSender_UpdateUserAttribute", "sam", p.client, email, g.attrs("sam"), true)
	must(s.Client.GetUserAttributeVerificationCode(bg, &cip.GetUserAttributeVerificationCodeInput{AccessToken: aws.String(access),
		AttributeName: aws.String("email"), ClientMetadata: meta}))(t)
	want("CustomEmailSender_VerifyUserAttribute", "sam", p.client, email, g.attrs("sam"), true)

	// By phone: the SMS sender.
	p.user(t, "pat", "phone_number", "+15555550123", "phone_number_verified", "true")
	must(s.Client.ForgotPassword(bg, &cip.ForgotPasswordInput{ClientId: aws.String(p.client), Username: aws.String("pat"), ClientMetadata: meta}))(t)
	want("CustomSMSSender_ForgotPassword", "pat", p.client, sms, g.attrs("pat"), true)

	// The invitation, by both media: each to its sender, no message with the password.
	before := len(fn.KMSCalls())
	must(s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{UserPoolId: aws.String(p.id), Username: aws.String("ivy"),
		TemporaryPassword: aws.String("Temp<Passw0rd&1"), UserAttributes: attributes("email", "ivy@example.com", "email_verified", "true",
			"phone_number", "+15555550124", "phone_number_verified", "true"), ClientMetadata: meta,
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail, types.DeliveryMediumTypeSms}}))(t)
	ivy := g.attrs("ivy")
	want("CustomEmailSender_AdminCreateUser", "ivy", nil, email, ivy, true)
	want("CustomSMSSender_AdminCreateUser", "ivy", nil, sms, ivy, true)
	if kc := fn.KMSCalls()[before:]; len(kc) != 2 || kc[0].Op != "GenerateDataKey" || kc[0].KeyID != fnKMSKey {
		t.Errorf("KMS calls for the invitation %+v, want a GenerateDataKey of the pool's key per medium", kc)
	}
	for _, m := range p.inbox(t) {
		if regexp.MustCompile(`Passw0rd`).MatchString(m.Body + m.Html) {
			t.Errorf("a message carries the temporary password: %+v", m)
		}
	}
	// The temporary password stands, as the senders would deliver it.
	ch := must(s.Client.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(p.client), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "ivy", "PASSWORD": "Temp<Passw0rd&1"}}))(t)
	if ch.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Errorf("ivy's sign-in: %s, want NEW_PASSWORD_REQUIRED", ch.ChallengeName)
	}
	t.Logf("%d custom sender events compared with their documented shape", g.checks)
}
