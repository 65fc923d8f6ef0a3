package main

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestRememberedDeviceSkipsMFA: in a pool with software-token MFA that tracks devices, the
// sign-in that answers the MFA step gets a new device's keys; once the device is
// remembered, a sign-in on it (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER) gets its tokens
// without the MFA step where ChallengeRequiredOnNewDevice is true ("a remembered device can
// sign in with device authentication instead of SMS and TOTP factors", API reference,
// DeviceConfigurationType), and still owes it where it is false.
func TestRememberedDeviceSkipsMFA(t *testing.T) {
	t.Parallel()
	for _, skips := range []bool{true, false} {
		t.Run(fmt.Sprint("ChallengeRequiredOnNewDevice=", skips), func(t *testing.T) {
			t.Parallel()
			s := startServer(t)
			c := s.Client
			dc := &types.DeviceConfigurationType{ChallengeRequiredOnNewDevice: true}
			if !skips {
				dc = &types.DeviceConfigurationType{DeviceOnlyRememberedOnUserPrompt: true}
			}
			pool := createPool(t, c, &cip.CreateUserPoolInput{UserPoolTier: types.UserPoolTierTypeEssentials, DeviceConfiguration: dc})
			must(c.SetUserPoolMfaConfig(bg, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(pool), MfaConfiguration: types.UserPoolMfaTypeOptional,
				SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}))(t)
			app, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
				types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
			auUser(t, c, pool, "dan", auPassword)
			access := aws.ToString(auSignIn(t, c, app, "dan", auPassword).AccessToken)
			secret := mfaRegister(t, s, access)
			must(c.SetUserMFAPreference(bg, &cip.SetUserMFAPreferenceInput{AccessToken: aws.String(access),
				SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}}))(t)

			// A sign-in on a new device: the password, the TOTP step, then tokens and the keys.
			first := must(devSRPSignIn(t, c, pool, app, "dan", auPassword, ""))(t)
			mfaWantChallenge(t, first.ChallengeName, first.ChallengeParameters, types.ChallengeNameTypeSoftwareTokenMfa, nil)
			s.alignStep(t) // past the registration's step and the two before it, which are spent
			now := s.alignStep(t)
			res := must(mfaRespond(c, app, "dan", types.ChallengeNameTypeSoftwareTokenMfa, first.Session, "SOFTWARE_TOKEN_MFA_CODE", mfaTOTP(t, secret, now)))(t)
			auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
			if res.AuthenticationResult.NewDeviceMetadata == nil {
				t.Fatal("the sign-in after the MFA step got no NewDeviceMetadata")
			}
			dev, cfg := newTestDevice(t, res.AuthenticationResult.NewDeviceMetadata)
			access = aws.ToString(res.AuthenticationResult.AccessToken)
			conf := must(c.ConfirmDevice(bg, &cip.ConfirmDeviceInput{AccessToken: aws.String(access), DeviceKey: aws.String(dev.key), DeviceSecretVerifierConfig: cfg}))(t)
			if conf.UserConfirmationNecessary != !skips {
				t.Errorf("ConfirmDevice UserConfirmationNecessary = %v", conf.UserConfirmationNecessary)
			}
			if conf.UserConfirmationNecessary {
				must(c.UpdateDeviceStatus(bg, &cip.UpdateDeviceStatusInput{AccessToken: aws.String(access), DeviceKey: aws.String(dev.key),
					DeviceRememberedStatus: types.DeviceRememberedStatusTypeRemembered}))(t)
			}

			// A sign-in on the remembered device.
			challenge := must(devSRPSignIn(t, c, pool, app, "dan", auPassword, dev.key))(t)
			if challenge.AuthenticationResult != nil {
				t.Fatal("a remembered device got tokens before DEVICE_SRP_AUTH")
			}
			out := must(devAnswer(t, c, app, "dan", dev, dev.secret, challenge))(t)
			if skips {
				auWantTokens(t, out.ChallengeName, out.AuthenticationResult, true)
				return
			}
			mfaWantChallenge(t, out.ChallengeName, out.ChallengeParameters, types.ChallengeNameTypeSoftwareTokenMfa, nil)
		})
	}
}

// TestTokenGenerationAuthenticateDevice: the tokens of a sign-in a remembered device
// completed (DEVICE_PASSWORD_VERIFIER) are shaped by the pool's PreTokenGeneration function
// with the source TokenGeneration_AuthenticateDevice, "called at the completion of user
// device authentication" (developer guide, pre token generation trigger sources), in the
// same documented event as TokenGeneration_Authentication's.
func TestTokenGenerationAuthenticateDevice(t *testing.T) {
	t.Parallel()
	fn := newFnServer(t, func(fnCall) fnAnswer { return fnAnswer{} })
	s := startServer(t, fn.Flags()...)
	c := s.Client
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, func(in *cip.CreateUserPoolInput) {
		in.LambdaConfig = &types.LambdaConfigType{PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
			LambdaArn: aws.String(fnArnPrefix + "pre-token"), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20}}
		in.DeviceConfiguration = &types.DeviceConfigurationType{ChallengeRequiredOnNewDevice: true}
	})
	app, _ := auClient(t, c, p.id, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
		types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	auUser(t, c, p.id, "dee", auPassword)
	g := &golden{t: t, fn: fn, s: s, pool: p.id, seen: map[string]bool{}}

	res := must(devSRPSignIn(t, c, p.id, app, "dee", auPassword, ""))(t)
	auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
	dev, cfg := newTestDevice(t, res.AuthenticationResult.NewDeviceMetadata)
	must(c.ConfirmDevice(bg, &cip.ConfirmDeviceInput{AccessToken: res.AuthenticationResult.AccessToken, DeviceKey: aws.String(dev.key), DeviceSecretVerifierConfig: cfg}))(t)

	challenge := must(devSRPSignIn(t, c, p.id, app, "dee", auPassword, dev.key))(t)
	out := must(devAnswer(t, c, app, "dee", dev, dev.secret, challenge))(t)
	auWantTokens(t, out.ChallengeName, out.AuthenticationResult, true)
	groups := map[string]any{"groupsToOverride": []any{}, "iamRolesToOverride": []any{}, "preferredRole": nil}
	g.want("TokenGeneration_AuthenticateDevice", "2", "dee", app, map[string]any{"userAttributes": g.attrs("dee"), "groupConfiguration": groups,
		"scopes": []any{"aws.cognito.signin.user.admin"}}, map[string]any{"claimsAndScopeOverrideDetails": nil})
}
