// Remembered devices with Amplify JS v6 against a running cognate (COGNATE_URL, set by
// cmd/cognate/js_test.go): signIn confirms the new device by itself (ConfirmDevice with the
// verifier it makes), rememberDevice and fetchDevices manage it, the next signIn on it goes
// through DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER, and forgetDevice ends it.
//
// Amplify keeps its state in one process-wide singleton, so the tests of this file run in
// order, on one user.

import assert from "node:assert/strict";
import { before, test } from "node:test";

import {
  AdminCreateUserCommand,
  AdminListDevicesCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { Amplify } from "aws-amplify";
import { fetchDevices, forgetDevice, rememberDevice, signIn, signOut } from "aws-amplify/auth";

if (!process.env.COGNATE_URL) {
  throw new Error("COGNATE_URL is not set: cmd/cognate/js_test.go sets it to the URL of a running cognate");
}
const base = process.env.COGNATE_URL.replace(/\/+$/, "");

// Amplify names the device it confirms by navigator.userAgent (getDeviceName), and skips
// ConfirmDevice when it cannot: Node 20 has no navigator, so the test gives it the one
// member it reads, as a browser would have it.
globalThis.navigator ??= { userAgent: "cognate-test (Node.js)" };
const password = "Passw0rd!";

/** calls records the operations and challenges Amplify sends through the global fetch. */
const calls = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const target = new Headers(init?.headers).get("x-amz-target");
  if (target) {
    const body = JSON.parse(init.body);
    calls.push(target.split(".").pop() + (body.ChallengeName ? ` ${body.ChallengeName}` : ""));
  }
  return realFetch(input, init);
};

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
let poolId;

before(async () => {
  const pool = await sdk.send(new CreateUserPoolCommand({
    PoolName: "amplify-devices",
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
  }));
  poolId = pool.UserPool.Id;
  const client = await sdk.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId,
    ClientName: "web",
    ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  }));
  await sdk.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: "dora", MessageAction: "SUPPRESS" }));
  await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: "dora", Password: password, Permanent: true }));
  Amplify.configure({
    Auth: { Cognito: { userPoolId: poolId, userPoolClientId: client.UserPoolClient.ClientId, userPoolEndpoint: base } },
  });
});

test("Amplify signIn confirms the new device; rememberDevice and fetchDevices see it", async () => {
  const { result, ops } = await callsDuring(() => signIn({ username: "dora", password }));
  assert.equal(result.isSignedIn, true, JSON.stringify(result.nextStep));
  assert.deepEqual(ops, ["InitiateAuth", "RespondToAuthChallenge PASSWORD_VERIFIER", "ConfirmDevice"]);
  assert.deepEqual(await fetchDevices(), [], "not remembered until the user says so");
  await rememberDevice();
  const devices = await fetchDevices();
  assert.equal(devices.length, 1);
  assert.match(devices[0].id, /^us-east-1_[0-9a-f-]{36}$/);
  await signOut();
});

test("Amplify signIn on the remembered device goes through DEVICE_SRP_AUTH", async () => {
  const { result, ops } = await callsDuring(() => signIn({ username: "dora", password }));
  assert.equal(result.isSignedIn, true, JSON.stringify(result.nextStep));
  assert.deepEqual(ops, [
    "InitiateAuth",
    "RespondToAuthChallenge PASSWORD_VERIFIER",
    "RespondToAuthChallenge DEVICE_SRP_AUTH",
    "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER",
  ]);
});

test("Amplify forgetDevice ends the device", async () => {
  await forgetDevice();
  const listed = await sdk.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: "dora" }));
  assert.equal(listed.Devices?.length ?? 0, 0);
  await signOut();
  const { result, ops } = await callsDuring(() => signIn({ username: "dora", password }));
  assert.equal(result.isSignedIn, true);
  assert.equal(ops.at(-1), "ConfirmDevice", "a forgotten device signs in as a new one");
  await signOut();
});
