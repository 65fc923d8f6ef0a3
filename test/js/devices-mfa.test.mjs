// A remembered device in place of MFA, with amazon-cognito-identity-js against a running
// cognate: in a pool with software-token MFA whose DeviceConfiguration has
// ChallengeRequiredOnNewDevice, the first sign-in answers the TOTP step (totpRequired,
// sendMFACode) and the library confirms the new device its NewDeviceMetadata names; the
// next sign-in on that device goes through DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER and
// gets its tokens with no MFA step. The server's URL comes from COGNATE_URL
// (cmd/cognate/js_test.go).

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { before, test } from "node:test";

import {
  AdminCreateUserCommand,
  AdminListDevicesCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import cognitoIdentity from "amazon-cognito-identity-js";

import { serverStepAt, totp } from "./totp.mjs";
import { memoryStorage } from "./storage.mjs";

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = cognitoIdentity;

const URL_ = process.env.COGNATE_URL;
if (!URL_) {
  throw new Error("COGNATE_URL is not set: it must be the URL of a running cognate, e.g. http://127.0.0.1:9229");
}
const base = URL_.replace(/\/+$/, "");

/** challenges records the challenges the library answers through the global fetch. */
const challenges = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const target = new Headers(init?.headers).get("x-amz-target");
  if (target) {
    const body = JSON.parse(init.body);
    challenges.push(target.split(".").pop() + (body.ChallengeName ? ` ${body.ChallengeName}` : ""));
  }
  return realFetch(input, init);
};

const sdk = new CognitoIdentityProviderClient({
  region: "us-east-1",
  endpoint: base,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  maxAttempts: 1,
});

const username = `devmfa-${randomBytes(4).toString("hex")}`;
const password = "Corr3ct-Horse!";
const storage = memoryStorage();

let poolId;
let userPool;
let secret;
let verifiedStep;

before(async () => {
  const pool = await sdk.send(
    new CreateUserPoolCommand({
      PoolName: "js-devices-mfa",
      UserPoolTier: "ESSENTIALS",
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
    }),
  );
  poolId = pool.UserPool.Id;
  await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: "OPTIONAL", SoftwareTokenMfaConfiguration: { Enabled: true } }));
  const client = await sdk.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: "js-devices-mfa",
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }),
  );
  const clientId = client.UserPoolClient.ClientId;
  userPool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: base, Storage: storage });
  await sdk.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: "SUPPRESS" }));
  await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }));

  // The user's authenticator, set up through the SDK before the library signs in.
  const auth = await sdk.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD: password } }),
  );
  const AccessToken = auth.AuthenticationResult.AccessToken;
  secret = (await sdk.send(new AssociateSoftwareTokenCommand({ AccessToken }))).SecretCode;
  verifiedStep = await serverStepAt(base);
  const verified = await sdk.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totp(secret, verifiedStep) }));
  assert.equal(verified.Status, "SUCCESS");
  await sdk.send(new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
});

/** signIn runs authenticateUser; a TOTP step is answered with code when one is given. */
function signIn(user, code) {
  return new Promise((resolve) => {
    const callbacks = {
      onSuccess: (session, userConfirmationNecessary) => resolve({ kind: "onSuccess", session, userConfirmationNecessary }),
      onFailure: (err) => resolve({ kind: "onFailure", err }),
      mfaRequired: () => resolve({ kind: "mfaRequired" }),
      totpRequired: () => (code ? user.sendMFACode(code, callbacks, "SOFTWARE_TOKEN_MFA") : resolve({ kind: "totpRequired" })),
      selectMFAType: () => resolve({ kind: "selectMFAType" }),
      mfaSetup: () => resolve({ kind: "mfaSetup" }),
      newPasswordRequired: () => resolve({ kind: "newPasswordRequired" }),
    };
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), callbacks);
  });
}

let deviceKey;

test("the first sign-in answers the TOTP step and confirms the new device", async () => {
  const user = new CognitoUser({ Username: username, Pool: userPool, Storage: storage });
  const start = challenges.length;
  // The step VerifySoftwareToken used is spent; the next one's code is within the window.
  const result = await signIn(user, totp(secret, verifiedStep + 1));
  assert.equal(result.kind, "onSuccess", `sign-in: ${result.kind} ${result.err ?? ""}`);
  assert.deepEqual(challenges.slice(start), [
    "InitiateAuth",
    "RespondToAuthChallenge PASSWORD_VERIFIER",
    "RespondToAuthChallenge SOFTWARE_TOKEN_MFA",
    "ConfirmDevice",
  ]);
  deviceKey = user.deviceKey;
  assert.match(deviceKey, /^us-east-1_[0-9a-f-]{36}$/);
  assert.ok(!result.userConfirmationNecessary, "the pool remembers every confirmed device");
});

test("signing in on the remembered device skips the MFA step", async () => {
  const user = new CognitoUser({ Username: username, Pool: userPool, Storage: storage });
  const start = challenges.length;
  const result = await signIn(user); // no code: a TOTP step would end the sign-in as totpRequired
  assert.equal(result.kind, "onSuccess", `sign-in: ${result.kind} ${result.err ?? ""}`);
  assert.deepEqual(challenges.slice(start), [
    "InitiateAuth",
    "RespondToAuthChallenge PASSWORD_VERIFIER",
    "RespondToAuthChallenge DEVICE_SRP_AUTH",
    "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER",
  ]);
  assert.ok(result.session.isValid());
  assert.equal(user.deviceKey, deviceKey);
  const devices = await sdk.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: username }));
  assert.deepEqual(devices.Devices.map((d) => d.DeviceKey), [deviceKey]);
});
