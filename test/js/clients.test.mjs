// Real JavaScript clients against a running cognate: amazon-cognito-identity-js (the
// library Amplify and most browser apps use) signs up, confirms and signs in with its default
// USER_SRP_AUTH flow; the AWS SDK for JavaScript v3 signs in with USER_PASSWORD_AUTH; and
// aws-jwt-verify checks the tokens against cognate's JWKS and issuer. The server's URL comes
// from COGNATE_URL; cmd/cognate/js_test.go starts a server and runs this file with
// `node --test test/js/`.
//
// The tests of one file run in order and share the pool, the client and the user they create.

import assert from "node:assert/strict";
import { generateKeyPairSync, createSign, randomBytes } from "node:crypto";
import { before, test } from "node:test";

import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import cognitoIdentity from "amazon-cognito-identity-js";
import { JwtVerifier } from "aws-jwt-verify";
import { validateCognitoJwtFields } from "aws-jwt-verify/cognito-verifier";
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureError,
  KidNotFoundInJwksError,
} from "aws-jwt-verify/error";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";

const {
  AuthenticationDetails,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
} = cognitoIdentity;

const URL_ = process.env.COGNATE_URL;
if (!URL_) {
  throw new Error("COGNATE_URL is not set: it must be the URL of a running cognate, e.g. http://127.0.0.1:9229");
}
const base = URL_.replace(/\/+$/, "");

// amazon-cognito-identity-js draws its SRP secret from globalThis.crypto.getRandomValues
// (Node 20 has Web Crypto there) and calls the global fetch (Node 20 has it); it needs
// nothing else of a browser. Fail early and clearly if that ever changes.
assert.equal(typeof globalThis.fetch, "function", "this Node has no global fetch");
assert.equal(typeof globalThis.crypto?.getRandomValues, "function", "this Node has no globalThis.crypto");

/**
 * calls records the Cognito operations amazon-cognito-identity-js sends through the global
 * fetch (operation, AuthFlow, ChallengeName), to show which flow it really used. The AWS SDK
 * uses node:http and does not pass through here.
 */
const calls = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const target = new Headers(init?.headers).get("x-amz-target");
  if (target) {
    const body = JSON.parse(init.body);
    calls.push({ op: target.split(".").pop(), AuthFlow: body.AuthFlow, ChallengeName: body.ChallengeName });
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

const username = `js-${randomBytes(4).toString("hex")}`;
const email = `${username}@example.com`;
const password = "Corr3ct-Horse!";

let poolId;
let clientId;
let userPool;
/** The session amazon-cognito-identity-js's SRP sign-in returned. */
let srpSession;

before(async () => {
  const pool = await sdk.send(
    new CreateUserPoolCommand({ PoolName: "js-clients", AutoVerifiedAttributes: ["email"] }),
  );
  poolId = pool.UserPool.Id;
  const client = await sdk.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: "js",
      GenerateSecret: false,
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }),
  );
  clientId = client.UserPoolClient.ClientId;
  assert.ok(poolId && clientId, "CreateUserPool / CreateUserPoolClient returned no ids");
  userPool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: base });
});

/** cognitoUser returns a fresh CognitoUser for the test user, sharing no cached state. */
function cognitoUser() {
  return new CognitoUser({ Username: username, Pool: userPool });
}

/** authenticate runs authenticateUser and settles with the callback it got. */
function authenticate(user, pw) {
  return new Promise((resolve) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: pw }), {
      onSuccess: (session) => resolve({ kind: "onSuccess", session }),
      onFailure: (err) => resolve({ kind: "onFailure", err }),
      newPasswordRequired: (attrs) => resolve({ kind: "newPasswordRequired", attrs }),
      mfaRequired: (name) => resolve({ kind: "mfaRequired", name }),
      totpRequired: (name) => resolve({ kind: "totpRequired", name }),
      customChallenge: (params) => resolve({ kind: "customChallenge", params }),
      mfaSetup: (name) => resolve({ kind: "mfaSetup", name }),
      selectMFAType: (name) => resolve({ kind: "selectMFAType", name }),
    });
  });
}

/** latestCode reads the newest message to the user from the built-in inbox and returns its 6-digit code. */
async function latestCode() {
  const u = `${base}/_cognate/messages?UserPoolId=${encodeURIComponent(poolId)}&Username=${encodeURIComponent(username)}`;
  const resp = await fetch(u);
  const text = await resp.text();
  assert.equal(resp.status, 200, `GET ${u}: ${text}`);
  const { Messages } = JSON.parse(text);
  assert.ok(Array.isArray(Messages) && Messages.length > 0, `GET ${u}: no messages in ${text}`);
  const newest = Messages[0];
  assert.equal(newest.Destination, email, `the newest message went to ${newest.Destination}`);
  const m = /\b(\d{6})\b/.exec(newest.Body);
  assert.ok(m, `no 6-digit code in ${JSON.stringify(newest.Body)}`);
  return m[1];
}

function describe(err) {
  return err ? `${err.code ?? err.name}: ${err.message}` : String(err);
}

test("amazon-cognito-identity-js: signUp sends a code by email", async () => {
  const result = await new Promise((resolve, reject) =>
    userPool.signUp(
      username,
      password,
      [new CognitoUserAttribute({ Name: "email", Value: email })],
      null,
      (err, res) => (err ? reject(err) : resolve(res)),
    ),
  );
  assert.equal(result.userConfirmed, false);
  assert.equal(result.user.getUsername(), username);
  assert.match(result.userSub, /^[0-9a-f-]{36}$/);
  assert.equal(result.codeDeliveryDetails?.DeliveryMedium, "EMAIL");
  assert.equal(result.codeDeliveryDetails?.AttributeName, "email");
});

test("amazon-cognito-identity-js: confirmRegistration with the code from the inbox", async () => {
  const code = await latestCode();
  const result = await new Promise((resolve, reject) =>
    cognitoUser().confirmRegistration(code, true, (err, res) => (err ? reject(err) : resolve(res))),
  );
  assert.equal(result, "SUCCESS");
});

test("amazon-cognito-identity-js: authenticateUser (default flow, USER_SRP_AUTH) succeeds", async () => {
  const user = cognitoUser();
  assert.equal(user.getAuthenticationFlowType(), "USER_SRP_AUTH");
  const { result: r, ops } = await callsDuring(() => authenticate(user, password));
  assert.equal(r.kind, "onSuccess", `authenticateUser called ${r.kind}: ${describe(r.err)}`);
  assert.deepEqual(ops, [
    { op: "InitiateAuth", AuthFlow: "USER_SRP_AUTH", ChallengeName: undefined },
    { op: "RespondToAuthChallenge", AuthFlow: undefined, ChallengeName: "PASSWORD_VERIFIER" },
  ]);
  const s = r.session;
  assert.ok(s.isValid(), "the session is not valid");
  assert.ok(s.getIdToken().getJwtToken().split(".").length === 3, "no ID token");
  assert.ok(s.getAccessToken().getJwtToken().split(".").length === 3, "no access token");
  assert.ok(s.getRefreshToken().getToken(), "no refresh token");
  assert.equal(s.getIdToken().payload["cognito:username"], username);
  assert.equal(s.getIdToken().payload.email, email);
  assert.equal(s.getAccessToken().payload.username, username);
  srpSession = s;
});

test("amazon-cognito-identity-js: a wrong password is NotAuthorizedException", async () => {
  const { result: r, ops } = await callsDuring(() => authenticate(cognitoUser(), "Wr0ng-Password!"));
  assert.equal(r.kind, "onFailure", `authenticateUser called ${r.kind}, want onFailure`);
  assert.deepEqual(
    ops.map((c) => c.AuthFlow ?? c.ChallengeName),
    ["USER_SRP_AUTH", "PASSWORD_VERIFIER"],
    "the wrong password was not refused at the SRP password verifier",
  );
  assert.equal(r.err.code, "NotAuthorizedException", describe(r.err));
  assert.equal(r.err.message, "Incorrect username or password.");
});

test("amazon-cognito-identity-js: refreshSession gives new ID and access tokens", async () => {
  assert.ok(srpSession, "no session from the SRP sign-in");
  const refresh = new CognitoRefreshToken({ RefreshToken: srpSession.getRefreshToken().getToken() });
  const { result: s, ops } = await callsDuring(
    () =>
      new Promise((resolve, reject) =>
        cognitoUser().refreshSession(refresh, (err, res) => (err ? reject(err) : resolve(res))),
      ),
  );
  assert.deepEqual(ops, [{ op: "InitiateAuth", AuthFlow: "REFRESH_TOKEN_AUTH", ChallengeName: undefined }]);
  assert.ok(s.isValid(), "the refreshed session is not valid");
  assert.equal(s.getIdToken().payload["cognito:username"], username);
  assert.equal(s.getAccessToken().payload.username, username);
  assert.equal(s.getAccessToken().payload.client_id, clientId);
  // Cognito does not rotate refresh tokens unless the client enables rotation: the library
  // keeps the one it was given.
  assert.equal(s.getRefreshToken().getToken(), refresh.getToken());
});

/** Tokens of the SDK's USER_PASSWORD_AUTH sign-in. */
let sdkTokens;

test("@aws-sdk/client-cognito-identity-provider: InitiateAuth USER_PASSWORD_AUTH", async () => {
  const out = await sdk.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  const a = out.AuthenticationResult;
  assert.ok(a, `no AuthenticationResult in ${JSON.stringify(out)}`);
  assert.equal(a.TokenType, "Bearer");
  assert.equal(a.ExpiresIn, 3600);
  assert.ok(a.IdToken && a.AccessToken && a.RefreshToken, "a token is missing");
  sdkTokens = a;
});

/**
 * A Fetcher for aws-jwt-verify that uses the global fetch. The library's default fetcher
 * speaks only HTTPS (it calls node:https), and cognate in a test listens on plain HTTP; the
 * README documents swapping the fetcher this way. The verifier still fetches the JWKS itself,
 * from the jwksUri it is given.
 */
class HttpFetcher {
  fetched = [];
  async fetch(uri) {
    this.fetched.push(uri);
    const resp = await fetch(uri);
    if (resp.status !== 200) {
      throw new Error(`GET ${uri}: status ${resp.status}`);
    }
    return resp.arrayBuffer();
  }
}

function verifierFor(tokenUse, fetcher) {
  return JwtVerifier.create(
    {
      issuer: `${base}/${poolId}`,
      jwksUri: `${base}/${poolId}/.well-known/jwks.json`,
      audience: null, // Cognito access tokens carry client_id, not aud: checked below instead
      customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse, clientId }),
    },
    { jwksCache: new SimpleJwksCache({ fetcher }) },
  );
}

test("aws-jwt-verify: the ID and access tokens verify against cognate's JWKS and issuer", async () => {
  assert.ok(sdkTokens && srpSession, "earlier sign-ins failed");
  const fetcher = new HttpFetcher();
  const idVerifier = verifierFor("id", fetcher);
  const accessVerifier = verifierFor("access", fetcher);
  for (const [idToken, accessToken] of [
    [sdkTokens.IdToken, sdkTokens.AccessToken],
    [srpSession.getIdToken().getJwtToken(), srpSession.getAccessToken().getJwtToken()],
  ]) {
    const id = await idVerifier.verify(idToken);
    assert.equal(id.token_use, "id");
    assert.equal(id.aud, clientId);
    assert.equal(id.iss, `${base}/${poolId}`);
    assert.equal(id["cognito:username"], username);
    const access = await accessVerifier.verify(accessToken);
    assert.equal(access.token_use, "access");
    assert.equal(access.client_id, clientId);
    assert.equal(access.iss, `${base}/${poolId}`);
    assert.equal(access.sub, id.sub);
  }
  assert.ok(fetcher.fetched.length >= 1, "the verifier never fetched the JWKS");
  assert.ok(fetcher.fetched.every((u) => u === `${base}/${poolId}/.well-known/jwks.json`), fetcher.fetched.join(", "));

  // And the checks are real: the ID token is not an access token, nor for another client.
  await assert.rejects(verifierFor("access", fetcher).verify(sdkTokens.IdToken), CognitoJwtInvalidTokenUseError);
  await assert.rejects(
    JwtVerifier.create(
      {
        issuer: `${base}/${poolId}`,
        jwksUri: `${base}/${poolId}/.well-known/jwks.json`,
        audience: null,
        customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse: "id", clientId: "someoneelse" }),
      },
      { jwksCache: new SimpleJwksCache({ fetcher }) },
    ).verify(sdkTokens.IdToken),
    CognitoJwtInvalidClientIdError,
  );
  await assert.rejects(
    JwtVerifier.create(
      { issuer: `${base}/us-east-1_Other0000`, jwksUri: `${base}/${poolId}/.well-known/jwks.json`, audience: null },
      { jwksCache: new SimpleJwksCache({ fetcher }) },
    ).verify(sdkTokens.IdToken),
    JwtInvalidIssuerError,
  );
});

/**
 * flipPayload changes one character of a JWT's payload segment, choosing the first one (from
 * the middle on) whose change still leaves a JSON object, so that it is the signature check
 * that must catch it and not the parser.
 */
function flipPayload(jwt) {
  const [h, p, s] = jwt.split(".");
  for (let i = Math.floor(p.length / 2); i < p.length - 4; i++) {
    const c = p[i] === "A" ? "B" : "A";
    const q = p.slice(0, i) + c + p.slice(i + 1);
    try {
      const claims = JSON.parse(Buffer.from(q, "base64url").toString("utf8"));
      if (claims && typeof claims === "object") {
        return [h, q, s].join(".");
      }
    } catch {
      // not JSON any more: try the next character
    }
  }
  throw new Error("found no character of the payload to flip that keeps it JSON");
}

test("aws-jwt-verify: a tampered token is rejected", async () => {
  assert.ok(sdkTokens, "the SDK sign-in failed");
  const fetcher = new HttpFetcher();
  for (const [use, token] of [
    ["id", sdkTokens.IdToken],
    ["access", sdkTokens.AccessToken],
  ]) {
    const v = verifierFor(use, fetcher);
    await v.verify(token); // the untampered token passes with this verifier
    const bad = flipPayload(token);
    assert.notEqual(bad, token);
    await assert.rejects(v.verify(bad), JwtInvalidSignatureError);
  }
});

test("aws-jwt-verify: a token signed by another key with cognate's kid is rejected", async () => {
  assert.ok(sdkTokens, "the SDK sign-in failed");
  const fetcher = new HttpFetcher();
  const v = verifierFor("id", fetcher);
  await v.verify(sdkTokens.IdToken);

  // Same header (so the same kid and alg) and the same claims, signed with a key of our own.
  const [h, p] = sdkTokens.IdToken.split(".");
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const sig = createSign("RSA-SHA256").update(`${h}.${p}`).sign(privateKey).toString("base64url");
  await assert.rejects(v.verify(`${h}.${p}.${sig}`), JwtInvalidSignatureError);

  // And with a kid cognate never published: the verifier looks for it in cognate's JWKS
  // and finds it not there.
  const header = JSON.parse(Buffer.from(h, "base64url").toString());
  const h2 = Buffer.from(JSON.stringify({ ...header, kid: "not-cognates-key" })).toString("base64url");
  const sig2 = createSign("RSA-SHA256").update(`${h2}.${p}`).sign(privateKey).toString("base64url");
  await assert.rejects(v.verify(`${h2}.${p}.${sig2}`), KidNotFoundInJwksError);
});
