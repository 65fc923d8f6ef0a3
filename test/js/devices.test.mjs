// Remembered devices with amazon-cognito-identity-js against a running cognate: the
// library's sign-in confirms the new device its NewDeviceMetadata names (ConfirmDevice with
// the verifier of a secret it keeps), setDeviceStatusRemembered remembers it, and the next
// sign-in on the device goes through DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER, computed
// by the library, with no MFA step. The server's URL comes from COGNATE_URL
// (cmd/cognate/js_test.go).
//
// The tests of this file run in order and share the pool, the user and the device storage.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { before, test } from "node:test";

import {
  AdminCreateUserCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import cognitoIdentity from "amazon-cognito-identity-js";

import { memoryStorage } from "./storage.mjs";

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = cognitoIdentity;

const URL_ = process.env.COGNATE_URL;
if (!URL_) {
  throw new Error("COGNATE_URL is not set: it must be the URL of a running cognate, e.g. http://127.0.0.1:9229");
}
const base = URL_.replace(/\/+$/, "");

/** calls records the operations and challenges the library sends through the global fetch. */
const calls = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const target = new Headers(init?.headers).get("x-amz-target");
  if (target) {
    const body = JSON.parse(init.body);
    calls.push({ op: target.split(".").pop(), ChallengeName: body.ChallengeName });
  }
  return realFetch(input, init);
};

/** callsDuring returns the operations recorded while fn ran. */
async function callsDuring(fn) {
  const start = calls.length;
  const result = await fn();
  return { result, ops: calls.slice(start) };
}

const sdk = new CognitoIdentityProviderClient({
  region: "us-east-1",
  endpoint: base,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  maxAttempts: 1,
});

const username = `dev-${randomBytes(4).toString("hex")}`;
const password = "Corr3ct-Horse!";

/** storage is the app's storage, where the library keeps the device's keys and secret. */
const storage = memoryStorage();

let poolId;
let userPool;

before(async () => {
  // ChallengeRequiredOnNewDevice: a remembered device signs in with device authentication in
  // place of MFA; DeviceOnlyRememberedOnUserPrompt: the app asks the user first.
  const pool = await sdk.send(
    new CreateUserPoolCommand({
      PoolName: "js-devices",
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
    }),
  );
  poolId = pool.UserPool.Id;
  const client = await sdk.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: "js-devices",
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }),
  );
  userPool = new CognitoUserPool({ UserPoolId: poolId, ClientId: client.UserPoolClient.ClientId, endpoint: base, Storage: storage });
  await sdk.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: "SUPPRESS" }));
  await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }));
});

/** cognitoUser returns a fresh CognitoUser on the app's storage. */
function cognitoUser() {
  return new CognitoUser({ Username: username, Pool: userPool, Storage: storage });
}

/** signIn runs authenticateUser and settles with what the callback got. */
function signIn(user) {
  return new Promise((resolve) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session, userConfirmationNecessary) => resolve({ kind: "onSuccess", session, userConfirmationNecessary }),
      onFailure: (err) => resolve({ kind: "onFailure", err }),
      mfaRequired: () => resolve({ kind: "mfaRequired" }),
      totpRequired: () => resolve({ kind: "totpRequired" }),
      selectMFAType: () => resolve({ kind: "selectMFAType" }),
      mfaSetup: () => resolve({ kind: "mfaSetup" }),
      newPasswordRequired: () => resolve({ kind: "newPasswordRequired" }),
    });
  });
}

/** promised turns one of the library's { onSuccess, onFailure } calls into a promise. */
function promised(call) {
  return new Promise((resolve, reject) => call({ onSuccess: resolve, onFailure: reject }));
}

let deviceKey;

test("the first sign-in confirms the new device, which the user then remembers", async () => {
  const user = cognitoUser();
  const { result, ops } = await callsDuring(() => signIn(user));
  assert.equal(result.kind, "onSuccess", `sign-in: ${result.kind} ${result.err ?? ""}`);
  assert.equal(result.userConfirmationNecessary, true, "the pool asks the user before remembering");
  assert.deepEqual(
    ops.map((c) => c.op + (c.ChallengeName ? ` ${c.ChallengeName}` : "")),
    ["InitiateAuth", "RespondToAuthChallenge PASSWORD_VERIFIER", "ConfirmDevice"],
  );
  deviceKey = user.deviceKey;
  assert.match(deviceKey, /^us-east-1_[0-9a-f-]{36}$/);

  const before = await sdk.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: username, DeviceKey: deviceKey }));
  const status = (d) => d.DeviceAttributes.find((a) => a.Name === "dev:device_remembered_status")?.Value;
  assert.equal(status(before.Device), "not_remembered");

  assert.equal(await promised((cb) => user.setDeviceStatusRemembered(cb)), "SUCCESS");
  const after = await sdk.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: username, DeviceKey: deviceKey }));
  assert.equal(status(after.Device), "remembered");
  const got = await promised((cb) => user.getDevice(cb));
  assert.equal(got.Device.DeviceKey, deviceKey);
  const listed = await promised((cb) => user.listDevices(10, null, cb));
  assert.deepEqual(listed.Devices.map((d) => d.DeviceKey), [deviceKey]);
});

test("signing in on the remembered device goes through DEVICE_SRP_AUTH, without MFA", async () => {
  const user = cognitoUser();
  const { result, ops } = await callsDuring(() => signIn(user));
  assert.equal(result.kind, "onSuccess", `sign-in: ${result.kind} ${result.err ?? ""}`);
  assert.deepEqual(
    ops.map((c) => c.op + (c.ChallengeName ? ` ${c.ChallengeName}` : "")),
    [
      "InitiateAuth",
      "RespondToAuthChallenge PASSWORD_VERIFIER",
      "RespondToAuthChallenge DEVICE_SRP_AUTH",
      "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER",
    ],
  );
  assert.ok(result.session.isValid(), "the device sign-in's tokens are valid");
  assert.equal(user.deviceKey, deviceKey, "the same device");
  // refreshSession sends the device key with the refresh token.
  const refreshed = await callsDuring(
    () => new Promise((resolve, reject) => user.refreshSession(result.session.getRefreshToken(), (err, s) => (err ? reject(err) : resolve(s)))),
  );
  assert.ok(refreshed.result.isValid());
  assert.deepEqual(refreshed.ops.map((c) => c.op), ["InitiateAuth"]);
  const devices = await sdk.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: username }));
  assert.deepEqual(devices.Devices.map((d) => d.DeviceKey), [deviceKey]);
});

test("a device with the wrong secret is refused", async () => {
  const user = cognitoUser();
  const secretKey = `CognitoIdentityServiceProvider.${userPool.getClientId()}.${username}.randomPasswordKey`;
  const secret = storage.getItem(secretKey);
  assert.ok(secret, "the library keeps the device secret in the app's storage");
  storage.setItem(secretKey, "not-the-device-secret");
  try {
    const { result, ops } = await callsDuring(() => signIn(user));
    assert.equal(result.kind, "onFailure");
    assert.equal(result.err.code ?? result.err.name, "NotAuthorizedException");
    assert.equal(ops.at(-1).ChallengeName, "DEVICE_PASSWORD_VERIFIER");
  } finally {
    storage.setItem(secretKey, secret);
  }
});

test("a forgotten device signs in as a new one", async () => {
  const user = cognitoUser();
  assert.equal((await signIn(user)).kind, "onSuccess");
  assert.equal(await promised((cb) => user.forgetDevice(cb)), "SUCCESS");
  const devices = await sdk.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: username }));
  assert.equal(devices.Devices?.length ?? 0, 0);
  const again = cognitoUser();
  const { result, ops } = await callsDuring(() => signIn(again));
  assert.equal(result.kind, "onSuccess");
  assert.equal(ops.at(-1).op, "ConfirmDevice");
  assert.notEqual(again.deviceKey, deviceKey, "a new device key");
});
