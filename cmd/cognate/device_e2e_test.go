package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"math/big"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Remembered devices through the Go SDK: NewDeviceMetadata, ConfirmDevice with a verifier
// made as amazon-cognito-identity-js makes it, DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER
// answered by the test's SRP client, and the device operations, user and admin.

// devDeviceKey is AWS's form of a device key, Region_UUID (API reference, NewDeviceMetadataType).
var devDeviceKey = regexp.MustCompile(`^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// testDevice is what an app keeps of a confirmed device: its keys and its random secret.
type testDevice struct {
	key, group, secret string
}

// newTestDevice makes a device's secret and verifier from a sign-in's NewDeviceMetadata, as
// AuthenticationHelper.generateHashDevice does: x = H(padHex(salt) ‖ H(group ‖ key ‖ ":" ‖
// secret)), v = g^x, both sent as the bytes of their padded hex, in base64.
func newTestDevice(t testing.TB, meta *types.NewDeviceMetadataType) (*testDevice, *types.DeviceSecretVerifierConfigType) {
	t.Helper()
	if meta == nil || !devDeviceKey.MatchString(aws.ToString(meta.DeviceKey)) || aws.ToString(meta.DeviceGroupKey) == "" {
		t.Fatalf("NewDeviceMetadata = %+v, want a Region_UUID device key and a group key", meta)
	}
	raw := make([]byte, 40)
	rand.Read(raw)
	d := &testDevice{key: aws.ToString(meta.DeviceKey), group: aws.ToString(meta.DeviceGroupKey), secret: base64.StdEncoding.EncodeToString(raw)}
	saltRaw := make([]byte, 16)
	rand.Read(saltRaw)
	salt := srpPadHex(new(big.Int).SetBytes(saltRaw))
	x := srpHexInt(srpHexHash(salt + srpHash(d.group+d.key+":"+d.secret)))
	v := srpPadHex(new(big.Int).Exp(srpG, x, srpN))
	vb, _ := hex.DecodeString(v)
	sb, _ := hex.DecodeString(salt)
	return d, &types.DeviceSecretVerifierConfigType{PasswordVerifier: aws.String(base64.StdEncoding.EncodeToString(vb)),
		Salt: aws.String(base64.StdEncoding.EncodeToString(sb))}
}

// devSRPSignIn runs USER_SRP_AUTH naming the device (DEVICE_KEY in both steps, as the
// library sends it) and returns the answer to PASSWORD_VERIFIER.
func devSRPSignIn(t testing.TB, c *cip.Client, pool, app, username, password, deviceKey string) (*cip.RespondToAuthChallengeOutput, error) {
	t.Helper()
	sc := newSRPClient(t, pool)
	params := map[string]string{"USERNAME": username, "SRP_A": sc.SRPA()}
	if deviceKey != "" {
		params["DEVICE_KEY"] = deviceKey
	}
	first := must(c.InitiateAuth(bg, &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(app), AuthParameters: params}))(t)
	answer, err := sc.Respond(first.ChallengeParameters, password, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if deviceKey != "" {
		answer["DEVICE_KEY"] = deviceKey
	}
	return c.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(app),
		ChallengeName: types.ChallengeNameTypePasswordVerifier, ChallengeResponses: answer, Session: first.Session})
}

// devAnswer answers DEVICE_SRP_AUTH and then DEVICE_PASSWORD_VERIFIER with the device's
// secret, as CognitoUser.getDeviceResponse does; it returns the second answer.
func devAnswer(t testing.TB, c *cip.Client, app, username string, d *testDevice, secret string, challenge *cip.RespondToAuthChallengeOutput) (*cip.RespondToAuthChallengeOutput, error) {
	t.Helper()
	if challenge.ChallengeName != types.ChallengeNameTypeDeviceSrpAuth || aws.ToString(challenge.Session) == "" {
		t.Fatalf("after the password: ChallengeName %q, Session %q; want DEVICE_SRP_AUTH with a session", challenge.ChallengeName, aws.ToString(challenge.Session))
	}
	sc := newSRPClientNamed(t, d.group)
	verifier, err := c.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(app),
		ChallengeName: types.ChallengeNameTypeDeviceSrpAuth, Session: challenge.Session,
		ChallengeResponses: map[string]string{"USERNAME": username, "DEVICE_KEY": d.key, "SRP_A": sc.SRPA()}})
	if err != nil {
		return nil, err
	}
	if verifier.ChallengeName != types.ChallengeNameTypeDevicePasswordVerifier {
		t.Fatalf("after DEVICE_SRP_AUTH: ChallengeName %q, want DEVICE_PASSWORD_VERIFIER", verifier.ChallengeName)
	}
	for _, k := range []string{"SALT", "SRP_B", "SECRET_BLOCK"} {
		if verifier.ChallengeParameters[k] == "" {
			t.Fatalf("DEVICE_PASSWORD_VERIFIER lacks %s: %v", k, verifier.ChallengeParameters)
		}
	}
	answer, err := sc.RespondAs(d.key, verifier.ChallengeParameters, secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	answer["USERNAME"], answer["DEVICE_KEY"] = username, d.key
	return c.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(app),
		ChallengeName: types.ChallengeNameTypeDevicePasswordVerifier, Session: verifier.Session, ChallengeResponses: answer})
}

// devAttrs is a device's attributes as a map.
func devAttrs(d *types.DeviceType) map[string]string { return attrMap(d.DeviceAttributes) }

func TestRememberedDevices(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, &cip.CreateUserPoolInput{DeviceConfiguration: &types.DeviceConfigurationType{
		ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false}})
	app, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
		types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	auUser(t, c, pool, "dana", auPassword)
	auUser(t, c, pool, "eve", auPassword)

	// A sign-in that names no device gets a new device's keys with its tokens.
	res := must(devSRPSignIn(t, c, pool, app, "dana", auPassword, ""))(t)
	auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
	access := res.AuthenticationResult.AccessToken
	dev, cfg := newTestDevice(t, res.AuthenticationResult.NewDeviceMetadata)

	// Only a key issued to this user can be confirmed, and only once.
	eveAccess := auSignIn(t, c, app, "eve", auPassword).AccessToken
	_, err := c.ConfirmDevice(bg, &cip.ConfirmDeviceInput{AccessToken: eveAccess, DeviceKey: aws.String(dev.key), DeviceSecretVerifierConfig: cfg})
	wantErr[*types.ResourceNotFoundException](t, err, "Device does not exist.")
	_, err = c.ConfirmDevice(bg, &cip.ConfirmDeviceInput{AccessToken: access, DeviceKey: aws.String("us-east-1_00000000-0000-4000-8000-000000000000"), DeviceSecretVerifierConfig: cfg})
	wantErr[*types.ResourceNotFoundException](t, err, "Device does not exist.")
	_, err = c.ConfirmDevice(bg, &cip.ConfirmDeviceInput{AccessToken: access, DeviceKey: aws.String(dev.key)})
	wantCode(t, err, "InvalidParameterException")
	conf := must(c.ConfirmDevice(bg, &cip.ConfirmDeviceInput{AccessToken: access, DeviceKey: aws.String(dev.key),
		DeviceSecretVerifierConfig: cfg, DeviceName: aws.String("dana's laptop")}))(t)
	if conf.UserConfirmationNecessary {
		t.Errorf("ConfirmDevice in a pool that always remembers: UserConfirmationNecessary true")
	}
	_, err = c.ConfirmDevice(bg, &cip.ConfirmDeviceInput{AccessToken: access, DeviceKey: aws.String(dev.key), DeviceSecretVerifierConfig: cfg})
	wantCode(t, err, "DeviceKeyExistsException")

	// The device as the user and an administrator see it.
	got := must(c.GetDevice(bg, &cip.GetDeviceInput{AccessToken: access, DeviceKey: aws.String(dev.key)}))(t).Device
	if a := devAttrs(got); aws.ToString(got.DeviceKey) != dev.key || a["device_name"] != "dana's laptop" ||
		a["dev:device_remembered_status"] != "remembered" || a["device_status"] != "valid" || a["dev:device_owner"] != "dana."+pool {
		t.Errorf("GetDevice = key %q, attributes %v", aws.ToString(got.DeviceKey), a)
	}
	if got.DeviceCreateDate == nil || got.DeviceLastAuthenticatedDate == nil || got.DeviceLastModifiedDate == nil {
		t.Errorf("GetDevice lacks dates: %+v", got)
	}
	_, err = c.GetDevice(bg, &cip.GetDeviceInput{AccessToken: eveAccess, DeviceKey: aws.String(dev.key)})
	wantErr[*types.ResourceNotFoundException](t, err, "Device does not exist.")
	if l := must(c.ListDevices(bg, &cip.ListDevicesInput{AccessToken: access}))(t).Devices; len(l) != 1 || aws.ToString(l[0].DeviceKey) != dev.key {
		t.Errorf("ListDevices = %+v, want the one device", l)
	}
	if l := must(c.ListDevices(bg, &cip.ListDevicesInput{AccessToken: eveAccess}))(t).Devices; len(l) != 0 {
		t.Errorf("eve's ListDevices = %+v, want none", l)
	}
	adm := must(c.AdminGetDevice(bg, &cip.AdminGetDeviceInput{UserPoolId: aws.String(pool), Username: aws.String("dana"), DeviceKey: aws.String(dev.key)}))(t).Device
	if aws.ToString(adm.DeviceKey) != dev.key {
		t.Errorf("AdminGetDevice = %+v", adm)
	}
	_, err = c.AdminGetDevice(bg, &cip.AdminGetDeviceInput{UserPoolId: aws.String(pool), Username: aws.String("eve"), DeviceKey: aws.String(dev.key)})
	wantErr[*types.ResourceNotFoundException](t, err, "Device does not exist.")
	_, err = c.AdminListDevices(bg, &cip.AdminListDevicesInput{UserPoolId: aws.String(pool), Username: aws.String("nobody")})
	wantCode(t, err, "UserNotFoundException")

	// Signing in on the remembered device: the password, then the device's secret.
	challenge := must(devSRPSignIn(t, c, pool, app, "dana", auPassword, dev.key))(t)
	if challenge.AuthenticationResult != nil {
		t.Fatalf("a remembered device got tokens before DEVICE_SRP_AUTH")
	}
	res = must(devAnswer(t, c, app, "dana", dev, dev.secret, challenge))(t)
	auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
	if res.AuthenticationResult.NewDeviceMetadata != nil {
		t.Errorf("a sign-in on a known device got NewDeviceMetadata %+v", res.AuthenticationResult.NewDeviceMetadata)
	}
	// USER_PASSWORD_AUTH naming the device goes the same way.
	first := must(auPasswordAuth(c, app, "dana", auPassword, "DEVICE_KEY", dev.key))(t)
	if first.ChallengeName != types.ChallengeNameTypeDeviceSrpAuth {
		t.Fatalf("USER_PASSWORD_AUTH on a remembered device: ChallengeName %q", first.ChallengeName)
	}

	t.Run("wrong device secret", func(t *testing.T) {
		challenge := must(devSRPSignIn(t, c, pool, app, "dana", auPassword, dev.key))(t)
		_, err := devAnswer(t, c, app, "dana", dev, "not the secret", challenge)
		wantErr[*types.NotAuthorizedException](t, err, auMsgIncorrect)
	})
	t.Run("DEVICE_SRP_AUTH session used once", func(t *testing.T) {
		challenge := must(devSRPSignIn(t, c, pool, app, "dana", auPassword, dev.key))(t)
		must(devAnswer(t, c, app, "dana", dev, dev.secret, challenge))(t)
		_, err := c.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(app),
			ChallengeName: types.ChallengeNameTypeDeviceSrpAuth, Session: challenge.Session,
			ChallengeResponses: map[string]string{"USERNAME": "dana", "DEVICE_KEY": dev.key, "SRP_A": newSRPClientNamed(t, dev.group).SRPA()}})
		wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user, session can only be used once.")
	})
	t.Run("DEVICE_SRP_AUTH without the password step", func(t *testing.T) {
		_, err := c.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(app),
			ChallengeName: types.ChallengeNameTypeDeviceSrpAuth, Session: aws.String("a-session-cognate-never-made"),
			ChallengeResponses: map[string]string{"USERNAME": "dana", "DEVICE_KEY": dev.key, "SRP_A": newSRPClientNamed(t, dev.group).SRPA()}})
		wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")
	})

	// Not remembered: the user no longer sees it, the administrator does, and signing in on
	// it asks for no device proof and makes no new device.
	must(c.UpdateDeviceStatus(bg, &cip.UpdateDeviceStatusInput{AccessToken: access, DeviceKey: aws.String(dev.key),
		DeviceRememberedStatus: types.DeviceRememberedStatusTypeNotRemembered}))(t)
	_, err = c.GetDevice(bg, &cip.GetDeviceInput{AccessToken: access, DeviceKey: aws.String(dev.key)})
	wantErr[*types.ResourceNotFoundException](t, err, "Device does not exist.")
	if l := must(c.ListDevices(bg, &cip.ListDevicesInput{AccessToken: access}))(t).Devices; len(l) != 0 {
		t.Errorf("ListDevices after not_remembered = %+v, want none", l)
	}
	al := must(c.AdminListDevices(bg, &cip.AdminListDevicesInput{UserPoolId: aws.String(pool), Username: aws.String("dana")}))(t).Devices
	if len(al) != 1 || devAttrs(&al[0])["dev:device_remembered_status"] != "not_remembered" {
		t.Errorf("AdminListDevices after not_remembered = %+v", al)
	}
	res = must(devSRPSignIn(t, c, pool, app, "dana", auPassword, dev.key))(t)
	auWantTokens(t, res.ChallengeName, res.AuthenticationResult, true)
	if res.AuthenticationResult.NewDeviceMetadata != nil {
		t.Errorf("a sign-in on a tracked device got NewDeviceMetadata")
	}
	must(c.AdminUpdateDeviceStatus(bg, &cip.AdminUpdateDeviceStatusInput{UserPoolId: aws.String(pool), Username: aws.String("dana"),
		DeviceKey: aws.String(dev.key), DeviceRememberedStatus: types.DeviceRememberedStatusTypeRemembered}))(t)
	must(c.GetDevice(bg, &cip.GetDeviceInput{AccessToken: access, DeviceKey: aws.String(dev.key)}))(t)

	// A second device, forgotten by the administrator; then the first, by the user.
	res = must(devSRPSignIn(t, c, pool, app, "dana", auPassword, ""))(t)
	dev2, cfg2 := newTestDevice(t, res.AuthenticationResult.NewDeviceMetadata)
	must(c.ConfirmDevice(bg, &cip.ConfirmDeviceInput{AccessToken: access, DeviceKey: aws.String(dev2.key), DeviceSecretVerifierConfig: cfg2}))(t)
	page := must(c.ListDevices(bg, &cip.ListDevicesInput{AccessToken: access, Limit: aws.Int32(1)}))(t)
	if len(page.Devices) != 1 || page.PaginationToken == nil {
		t.Fatalf("ListDevices Limit 1 of 2: %+v", page)
	}
	next := must(c.ListDevices(bg, &cip.ListDevicesInput{AccessToken: access, Limit: aws.Int32(1), PaginationToken: page.PaginationToken}))(t)
	if len(next.Devices) != 1 || next.PaginationToken != nil || aws.ToString(next.Devices[0].DeviceKey) == aws.ToString(page.Devices[0].DeviceKey) {
		t.Fatalf("ListDevices second page: %+v", next)
	}
	must(c.AdminForgetDevice(bg, &cip.AdminForgetDeviceInput{UserPoolId: aws.String(pool), Username: aws.String("dana"), DeviceKey: aws.String(dev2.key)}))(t)
	_, err = c.AdminForgetDevice(bg, &cip.AdminForgetDeviceInput{UserPoolId: aws.String(pool), Username: aws.String("dana"), DeviceKey: aws.String(dev2.key)})
	wantErr[*types.ResourceNotFoundException](t, err, "Device does not exist.")
	_, err = c.ForgetDevice(bg, &cip.ForgetDeviceInput{AccessToken: eveAccess, DeviceKey: aws.String(dev.key)})
	wantErr[*types.ResourceNotFoundException](t, err, "Device does not exist.")
	must(c.ForgetDevice(bg, &cip.ForgetDeviceInput{AccessToken: access, DeviceKey: aws.String(dev.key)}))(t)
	_, err = c.UpdateDeviceStatus(bg, &cip.UpdateDeviceStatusInput{AccessToken: access, DeviceKey: aws.String(dev.key),
		DeviceRememberedStatus: types.DeviceRememberedStatusTypeRemembered})
	wantErr[*types.ResourceNotFoundException](t, err, "Device does not exist.")
	// A forgotten device's key is refused at sign-in, which the clients answer by signing in
	// again without it.
	_, err = devSRPSignIn(t, c, pool, app, "dana", auPassword, dev.key)
	wantErr[*types.ResourceNotFoundException](t, err, "Device does not exist.")
}

func TestRememberedDevicesOnPrompt(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, &cip.CreateUserPoolInput{DeviceConfiguration: &types.DeviceConfigurationType{DeviceOnlyRememberedOnUserPrompt: true}})
	plain := createPool(t, c, nil)
	app, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: auPasswordFlows})
	plainApp, _ := auClient(t, c, plain, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: auPasswordFlows})
	auUser(t, c, pool, "finn", auPassword)
	auUser(t, c, plain, "finn", auPassword)

	if res := auSignIn(t, c, plainApp, "finn", auPassword); res.NewDeviceMetadata != nil {
		t.Errorf("a pool without DeviceConfiguration handed out NewDeviceMetadata %+v", res.NewDeviceMetadata)
	}
	res := auSignIn(t, c, app, "finn", auPassword)
	dev, cfg := newTestDevice(t, res.NewDeviceMetadata)
	conf := must(c.ConfirmDevice(bg, &cip.ConfirmDeviceInput{AccessToken: res.AccessToken, DeviceKey: aws.String(dev.key), DeviceSecretVerifierConfig: cfg}))(t)
	if !conf.UserConfirmationNecessary {
		t.Errorf("ConfirmDevice in a pool that remembers on the user's prompt: UserConfirmationNecessary false")
	}
	if l := must(c.ListDevices(bg, &cip.ListDevicesInput{AccessToken: res.AccessToken}))(t).Devices; len(l) != 0 {
		t.Errorf("ListDevices before the user said yes = %+v", l)
	}
	// Until the user says yes, the device signs in without device authentication.
	first := must(auPasswordAuth(c, app, "finn", auPassword, "DEVICE_KEY", dev.key))(t)
	auWantTokens(t, first.ChallengeName, first.AuthenticationResult, true)
	must(c.UpdateDeviceStatus(bg, &cip.UpdateDeviceStatusInput{AccessToken: res.AccessToken, DeviceKey: aws.String(dev.key),
		DeviceRememberedStatus: types.DeviceRememberedStatusTypeRemembered}))(t)
	first = must(auPasswordAuth(c, app, "finn", auPassword, "DEVICE_KEY", dev.key))(t)
	out := must(devAnswer(t, c, app, "finn", dev, dev.secret, &cip.RespondToAuthChallengeOutput{ChallengeName: first.ChallengeName, Session: first.Session}))(t)
	auWantTokens(t, out.ChallengeName, out.AuthenticationResult, true)

	// The DEVICE_SRP_AUTH session expires with the client's AuthSessionValidity (3 minutes).
	first = must(auPasswordAuth(c, app, "finn", auPassword, "DEVICE_KEY", dev.key))(t)
	s.clock(t, http.MethodPost, "Advance=3m1s", "")
	_, err := c.RespondToAuthChallenge(bg, &cip.RespondToAuthChallengeInput{ClientId: aws.String(app),
		ChallengeName: types.ChallengeNameTypeDeviceSrpAuth, Session: first.Session,
		ChallengeResponses: map[string]string{"USERNAME": "finn", "DEVICE_KEY": dev.key, "SRP_A": newSRPClientNamed(t, dev.group).SRPA()}})
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user, session is expired.")
}
