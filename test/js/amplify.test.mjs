// Amplify JS v6 against a running cognate, pointed at it by Auth.Cognito.userPoolEndpoint
// and nothing else: choice-based sign-in (USER_AUTH with PASSWORD, PASSWORD_SRP, and
// SELECT_CHALLENGE answered through confirmSignIn), sign-up with autoSignIn, and
// resetPassword with AWS's email mask. Then aws-jwt-verify's CognitoJwtVerifier, which insists
// on AWS's issuer, accepts the tokens of a server run with --token-issuer aws when fed that
// server's JWKS. cmd/cognate/js_test.go starts both servers: COGNATE_URL (the default issuer)
// and COGNATE_AWS_URL (--token-issuer aws).
//
// Amplify keeps its signed-in state in one process-wide singleton, so the tests of this file
// run in order and sign out after each sign-in.

import assert from "node:assert/strict";
import { before, test } from "node:test";

import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { Amplify } from "aws-amplify";
import {
  autoSignIn,
  confirmSignIn,
  confirmSignUp,
  fetchAuthSession,
  getCurrentUser,
  resetPassword,
  signIn,
  signOut,
  signUp,
} from "aws-amplify/auth";
import { CognitoJwtVerifier } from "aws-jwt-verify";

// Amplify's signUp with autoSignIn leaves a three-minute timer behind (its give-up for a
// confirmation that never comes), which would keep this process alive long after the tests.
// Timers of a minute or more are unref'd, so that they run if the process is still there
// but do not hold it; the short ones Amplify awaits are untouched.
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = (fn, ms, ...args) => {
  const timer = realSetTimeout(fn, ms, ...args);
  if (ms >= 60_000) timer.unref?.();
  return timer;
};

for (const name of ["COGNATE_URL", "COGNATE_AWS_URL"]) {
  if (!process.env[name]) {
    throw new Error(`${name} is not set: cmd/cognate/js_test.go sets it to the URL of a running cognate`);
  }
}
const base = process.env.COGNATE_URL.replace(/\/+$/, "");
const awsBase = process.env.COGNATE_AWS_URL.replace(/\/+$/, "");
const password = "Passw0rd!";

function admin(url) {
  return new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
}

/** setup makes a pool that signs in with passwords first, a USER_AUTH client and a user. */
async function setup(url) {
  const sdk = admin(url);
  const pool = await sdk.send(new CreateUserPoolCommand({
    PoolName: "amplify",
    AutoVerifiedAttributes: ["email"],
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD"] } },
  }));
  const poolId = pool.UserPool.Id;
  const client = await sdk.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId,
    ClientName: "web",
    ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  }));
  await sdk.send(new AdminCreateUserCommand({
    UserPoolId: poolId,
    Username: "jane",
    MessageAction: "SUPPRESS",
    UserAttributes: [{ Name: "email", Value: "jane@example.com" }, { Name: "email_verified", Value: "true" }],
  }));
  await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: "jane", Password: password, Permanent: true }));
  return { sdk, poolId, clientId: client.UserPoolClient.ClientId };
}

let app;
before(async () => {
  app = await setup(base);
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
  assert.equal(tokens.idToken.payload.iss, `${base}/${app.poolId}`);
  await signOut();
}

/** latestCode reads the newest message to username from the built-in inbox and returns its code. */
async function latestCode(username) {
  const u = `${base}/_cognate/messages?UserPoolId=${encodeURIComponent(app.poolId)}&Username=${encodeURIComponent(username)}`;
  const res = await fetch(u);
  assert.equal(res.status, 200);
  const { Messages } = await res.json();
  assert.ok(Messages.length > 0, `no message for ${username}`);
  const m = /\b\d{6}\b/.exec(Messages[0].Body);
  assert.ok(m, `no code in ${Messages[0].Body}`);
  return m[0];
}

test("Amplify signIn USER_AUTH with preferredChallenge PASSWORD", async () => {
  const out = await signIn({ username: "jane", password, options: { authFlowType: "USER_AUTH", preferredChallenge: "PASSWORD" } });
  assert.deepEqual(out, { isSignedIn: true, nextStep: { signInStep: "DONE" } });
  await signedInAs("jane");
});

test("Amplify signIn USER_AUTH with preferredChallenge PASSWORD_SRP", async () => {
  const out = await signIn({ username: "jane", password, options: { authFlowType: "USER_AUTH", preferredChallenge: "PASSWORD_SRP" } });
  assert.deepEqual(out, { isSignedIn: true, nextStep: { signInStep: "DONE" } });
  await signedInAs("jane");
});

test("Amplify signIn USER_AUTH without a preference: SELECT_CHALLENGE, then confirmSignIn", async () => {
  for (const choice of ["PASSWORD", "PASSWORD_SRP"]) {
    const first = await signIn({ username: "jane", options: { authFlowType: "USER_AUTH" } });
    assert.equal(first.isSignedIn, false);
    assert.equal(first.nextStep.signInStep, "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION");
    assert.deepEqual(first.nextStep.availableChallenges, ["PASSWORD", "PASSWORD_SRP"]);
    const chosen = await confirmSignIn({ challengeResponse: choice });
    assert.equal(chosen.nextStep.signInStep, "CONFIRM_SIGN_IN_WITH_PASSWORD");
    const done = await confirmSignIn({ challengeResponse: password });
    assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: "DONE" } }, `after choosing ${choice}`);
    await signedInAs("jane");
  }
});

test("Amplify signIn USER_AUTH with a wrong password is refused as AWS refuses it", async () => {
  await assert.rejects(
    signIn({ username: "jane", password: "Wr0ng-Password!", options: { authFlowType: "USER_AUTH", preferredChallenge: "PASSWORD" } }),
    (err) => err.name === "NotAuthorizedException" && err.message === "Incorrect username or password.",
  );
});

test("Amplify signUp with autoSignIn USER_AUTH, confirmSignUp, autoSignIn", async () => {
  const up = await signUp({
    username: "kim",
    password,
    options: { userAttributes: { email: "kim@example.com" }, autoSignIn: { authFlowType: "USER_AUTH" } },
  });
  assert.equal(up.isSignUpComplete, false);
  assert.equal(up.nextStep.signUpStep, "CONFIRM_SIGN_UP");
  assert.equal(up.nextStep.codeDeliveryDetails.destination, "k***@e***");

  const confirmed = await confirmSignUp({ username: "kim", confirmationCode: await latestCode("kim") });
  assert.deepEqual(confirmed.nextStep, { signUpStep: "COMPLETE_AUTO_SIGN_IN" });
  const out = await autoSignIn();
  assert.deepEqual(out, { isSignedIn: true, nextStep: { signInStep: "DONE" } });
  await signedInAs("kim");
});

test("Amplify resetPassword shows AWS's email mask", async () => {
  const out = await resetPassword({ username: "jane" });
  assert.equal(out.isPasswordReset, false);
  assert.equal(out.nextStep.resetPasswordStep, "CONFIRM_RESET_PASSWORD_WITH_CODE");
  assert.deepEqual(out.nextStep.codeDeliveryDetails, { destination: "j***@e***", deliveryMedium: "EMAIL", attributeName: "email" });
});

test("aws-jwt-verify CognitoJwtVerifier accepts the tokens of a server run with --token-issuer aws", async () => {
  const aws = await setup(awsBase);
  const res = await aws.sdk.send(new InitiateAuthCommand({
    ClientId: aws.clientId,
    AuthFlow: "USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: "jane", PASSWORD: password },
  }));
  const { AccessToken, IdToken } = res.AuthenticationResult;
  // The verifier would fetch the JWKS from AWS; it is fed cognate's instead.
  const jwks = await (await fetch(`${awsBase}/${aws.poolId}/.well-known/jwks.json`)).json();
  for (const [tokenUse, token] of [["access", AccessToken], ["id", IdToken]]) {
    const verifier = CognitoJwtVerifier.create({ userPoolId: aws.poolId, tokenUse, clientId: aws.clientId });
    verifier.cacheJwks(jwks);
    const payload = await verifier.verify(token);
    assert.equal(payload.iss, `https://cognito-idp.us-east-1.amazonaws.com/${aws.poolId}`);
    assert.equal(payload.token_use, tokenUse);
  }
  // The same verifier refuses cognate's default issuer, which is not AWS's.
  const url = await (await fetch(`${base}/${app.poolId}/.well-known/jwks.json`)).json();
  const plain = await app.sdk.send(new InitiateAuthCommand({
    ClientId: app.clientId,
    AuthFlow: "USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: "jane", PASSWORD: password },
  }));
  const verifier = CognitoJwtVerifier.create({ userPoolId: app.poolId, tokenUse: "access", clientId: app.clientId });
  verifier.cacheJwks(url);
  await assert.rejects(verifier.verify(plain.AuthenticationResult.AccessToken), /issuer not configured/);
});
