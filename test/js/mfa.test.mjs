// Amplify JS v6 against a running cognate: MFA and passwordless sign-in. A TOTP
// authenticator set up with setUpTOTP and verifyTOTPSetup, made preferred with
// updateMFAPreference, then a sign-in answering CONFIRM_SIGN_IN_WITH_TOTP_CODE; SMS MFA with
// the code from the built-in inbox; USER_AUTH with preferredChallenge EMAIL_OTP answered with
// the emailed code. The TOTP codes are computed here (RFC 6238) at the server's clock, read
// from GET /_cognate/clock. cmd/cognate/js_test.go starts the server (COGNATE_URL).
//
// Amplify keeps its signed-in state in one process-wide singleton, so the tests of this file
// run in order and sign out after each sign-in.

import assert from "node:assert/strict";
import { before, test } from "node:test";

import {
  AdminCreateUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { Amplify } from "aws-amplify";

import { serverStepAt, totp } from "./totp.mjs";
import {
  confirmSignIn,
  fetchAuthSession,
  fetchMFAPreference,
  getCurrentUser,
  setUpTOTP,
  signIn,
  signOut,
  updateMFAPreference,
  verifyTOTPSetup,
} from "aws-amplify/auth";

if (!process.env.COGNATE_URL) {
  throw new Error("COGNATE_URL is not set: cmd/cognate/js_test.go sets it to the URL of a running cognate");
}
const base = process.env.COGNATE_URL.replace(/\/+$/, "");
const password = "Passw0rd!";

const sdk = new CognitoIdentityProviderClient({
  region: "us-east-1",
  endpoint: base,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  maxAttempts: 1,
});

/** serverStep is the 30-second step the server's clock is in. */
const serverStep = () => serverStepAt(base);

let app;
before(async () => {
  const pool = await sdk.send(new CreateUserPoolCommand({
    PoolName: "amplify-mfa",
    UserPoolTier: "ESSENTIALS",
    AutoVerifiedAttributes: ["email"],
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] } },
    SmsConfiguration: { SnsCallerArn: "arn:aws:iam::123456789012:role/sns", ExternalId: "ext" },
  }));
  const poolId = pool.UserPool.Id;
  await sdk.send(new SetUserPoolMfaConfigCommand({
    UserPoolId: poolId,
    MfaConfiguration: "OPTIONAL",
    SoftwareTokenMfaConfiguration: { Enabled: true },
    SmsMfaConfiguration: { SmsAuthenticationMessage: "Your sign-in code is {####}" },
  }));
  const client = await sdk.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId,
    ClientName: "web",
    ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  }));
  const users = {
    tom: [],
    sam: [{ Name: "phone_number", Value: "+15555550142" }],
    eve: [{ Name: "email", Value: "eve@example.com" }, { Name: "email_verified", Value: "true" }],
  };
  for (const [Username, UserAttributes] of Object.entries(users)) {
    await sdk.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username, MessageAction: "SUPPRESS", UserAttributes }));
    await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username, Password: password, Permanent: true }));
  }
  app = { poolId, clientId: client.UserPoolClient.ClientId };
  Amplify.configure({
    Auth: { Cognito: { userPoolId: app.poolId, userPoolClientId: app.clientId, userPoolEndpoint: base } },
  });
});

/** signedInAs checks that Amplify holds tokens for username, then signs out. */
async function signedInAs(username) {
  const user = await getCurrentUser();
  assert.equal(user.username, username);
  const { tokens } = await fetchAuthSession();
  assert.ok(tokens?.accessToken, "no access token in the Amplify session");
  assert.equal(tokens.accessToken.payload.username, username);
  await signOut();
}

/** latestMessage reads the newest message to username from the built-in inbox. */
async function latestMessage(username) {
  const u = `${base}/_cognate/messages?UserPoolId=${encodeURIComponent(app.poolId)}&Username=${encodeURIComponent(username)}`;
  const res = await fetch(u);
  assert.equal(res.status, 200);
  const { Messages } = await res.json();
  assert.ok(Messages.length > 0, `no message for ${username}`);
  const m = /\b\d{6}\b/.exec(Messages[0].Body);
  assert.ok(m, `no code in ${Messages[0].Body}`);
  return { code: m[0], message: Messages[0] };
}

test("Amplify setUpTOTP, verifyTOTPSetup, updateMFAPreference, then signIn with CONFIRM_SIGN_IN_WITH_TOTP_CODE", async () => {
  const first = await signIn({ username: "tom", password });
  assert.deepEqual(first, { isSignedIn: true, nextStep: { signInStep: "DONE" } });

  const setup = await setUpTOTP();
  assert.match(setup.sharedSecret, /^[A-Z2-7]{32}$/);
  assert.equal(setup.getSetupUri("cognate").searchParams.get("secret"), setup.sharedSecret);
  // A wrong code does not set the authenticator up.
  const step = await serverStep();
  const right = totp(setup.sharedSecret, step);
  await assert.rejects(
    verifyTOTPSetup({ code: right === "000000" ? "111111" : "000000" }),
    (err) => err.name === "EnableSoftwareTokenMFAException" && err.message === "Code mismatch and fail enable Software Token MFA",
  );
  await verifyTOTPSetup({ code: right });
  await updateMFAPreference({ totp: "PREFERRED" });
  assert.deepEqual(await fetchMFAPreference(), { enabled: ["TOTP"], preferred: "TOTP" });
  await signOut();

  const out = await signIn({ username: "tom", password });
  assert.deepEqual(out, { isSignedIn: false, nextStep: { signInStep: "CONFIRM_SIGN_IN_WITH_TOTP_CODE" } });
  // The code verifyTOTPSetup used is spent; the next step's is within the window.
  await assert.rejects(
    confirmSignIn({ challengeResponse: right }),
    (err) => err.name === "CodeMismatchException" && err.message === "Invalid code or auth state for the user.",
  );
  const done = await confirmSignIn({ challengeResponse: totp(setup.sharedSecret, step + 1) });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: "DONE" } });
  await signedInAs("tom");
});

test("Amplify signIn with SMS MFA: CONFIRM_SIGN_IN_WITH_SMS_CODE, the code from the inbox", async () => {
  await sdk.send(new AdminSetUserMFAPreferenceCommand({
    UserPoolId: app.poolId, Username: "sam", SMSMfaSettings: { Enabled: true, PreferredMfa: true },
  }));
  const out = await signIn({ username: "sam", password });
  assert.deepEqual(out, {
    isSignedIn: false,
    nextStep: { signInStep: "CONFIRM_SIGN_IN_WITH_SMS_CODE", codeDeliveryDetails: { deliveryMedium: "SMS", destination: "+********0142" } },
  });
  const { code, message } = await latestMessage("sam");
  assert.equal(message.DeliveryMedium, "SMS");
  assert.equal(message.Body, `Your sign-in code is ${code}`);
  const done = await confirmSignIn({ challengeResponse: code });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: "DONE" } });
  await signedInAs("sam");
});

test("Amplify signIn USER_AUTH with preferredChallenge EMAIL_OTP, then confirmSignIn with the emailed code", async () => {
  const out = await signIn({ username: "eve", options: { authFlowType: "USER_AUTH", preferredChallenge: "EMAIL_OTP" } });
  assert.deepEqual(out, {
    isSignedIn: false,
    nextStep: { signInStep: "CONFIRM_SIGN_IN_WITH_EMAIL_CODE", codeDeliveryDetails: { deliveryMedium: "EMAIL", destination: "e***@e***" } },
  });
  const { code, message } = await latestMessage("eve");
  assert.equal(message.DeliveryMedium, "EMAIL");
  const done = await confirmSignIn({ challengeResponse: code });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: "DONE" } });
  await signedInAs("eve");
});
