// openid-client, a certified OpenID Connect relying party, against cognate's authorization
// server: discovery from the pool's issuer, the authorization code flow with PKCE (the
// browser's part done by a small cookie-keeping fetch through the hosted /login page),
// the refresh grant, userInfo, and client_credentials for a resource server's scopes.
// The server's URL comes from COGNATE_URL (cmd/cognate/js_test.go).

import assert from "node:assert/strict";
import { before, test } from "node:test";

import {
  CognitoIdentityProviderClient,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import * as oidc from "openid-client";

const base = (process.env.COGNATE_URL ?? "").replace(/\/+$/, "");
if (!base) {
  throw new Error("COGNATE_URL is not set: it must be the URL of a running cognate");
}
const sdk = new CognitoIdentityProviderClient({
  region: "us-east-1",
  endpoint: base,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  maxAttempts: 1,
});

const callback = "http://localhost:8976/callback"; // never called: the test reads the redirect
const insecure = { execute: [oidc.allowInsecureRequests] }; // cognate runs on http://127.0.0.1 here
let pool, webClient, m2mClient, m2mSecret, config;

before(async () => {
  const p = await sdk.send(new CreateUserPoolCommand({ PoolName: "openid-client", AutoVerifiedAttributes: ["email"] }));
  pool = p.UserPool.Id;
  await sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: "openid-client-test" }));
  await sdk.send(new CreateResourceServerCommand({
    UserPoolId: pool, Identifier: "https://api.example.com", Name: "API",
    Scopes: [{ ScopeName: "read", ScopeDescription: "Read" }, { ScopeName: "write", ScopeDescription: "Write" }],
  }));
  const web = await sdk.send(new CreateUserPoolClientCommand({
    UserPoolId: pool, ClientName: "web", AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["code"],
    AllowedOAuthScopes: ["openid", "email", "profile"], CallbackURLs: [callback], SupportedIdentityProviders: ["COGNITO"],
  }));
  webClient = web.UserPoolClient.ClientId;
  const m2m = await sdk.send(new CreateUserPoolClientCommand({
    UserPoolId: pool, ClientName: "m2m", GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ["client_credentials"], AllowedOAuthScopes: ["https://api.example.com/read", "https://api.example.com/write"],
  }));
  m2mClient = m2m.UserPoolClient.ClientId;
  m2mSecret = m2m.UserPoolClient.ClientSecret;
  await sdk.send(new AdminCreateUserCommand({
    UserPoolId: pool, Username: "ada", MessageAction: "SUPPRESS",
    UserAttributes: [{ Name: "email", Value: "ada@example.com" }, { Name: "email_verified", Value: "true" }],
  }));
  await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: "ada", Password: "Lovelace-1815!", Permanent: true }));
  config = await oidc.discovery(new URL(`${base}/${pool}`), webClient, undefined, oidc.None(), insecure);
});

/** signIn plays the browser: authorize, the /login form with its CSRF token, the redirect. */
async function signIn(authorizeURL, username, password) {
  const cookies = new Map();
  const keep = (res) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  let res = await fetch(authorizeURL, { redirect: "manual" });
  assert.equal(res.status, 302, "authorize redirects to the sign-in page");
  const login = new URL(res.headers.get("location"), base);
  assert.equal(login.pathname, "/login");
  res = await fetch(login, { headers: { cookie: cookieHeader() } });
  keep(res);
  const page = await res.text();
  const csrf = page.match(/name="_csrf" value="([0-9a-f]+)"/)?.[1];
  assert.ok(csrf, "the sign-in page has a CSRF token");
  res = await fetch(login, {
    method: "POST", redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader() },
    body: new URLSearchParams({ _csrf: csrf, username, password }),
  });
  assert.equal(res.status, 302, `signing in: ${res.status} ${await res.clone().text()}`);
  return new URL(res.headers.get("location"));
}

test("discovery is consistent with the pool's issuer", () => {
  const md = config.serverMetadata();
  assert.equal(md.issuer, `${base}/${pool}`);
  assert.equal(md.authorization_endpoint, `${base}/oauth2/authorize`);
  assert.equal(md.token_endpoint, `${base}/oauth2/token`);
  assert.equal(md.userinfo_endpoint, `${base}/oauth2/userInfo`);
  assert.equal(md.jwks_uri, `${base}/${pool}/.well-known/jwks.json`);
  assert.ok(md.code_challenge_methods_supported.includes("S256"));
});

test("the code flow with PKCE, refresh and userInfo", async () => {
  const verifier = oidc.randomPKCECodeVerifier();
  const challenge = await oidc.calculatePKCECodeChallenge(verifier);
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: callback, scope: "openid email profile", code_challenge: challenge, code_challenge_method: "S256", state, nonce,
  });
  const back = await signIn(url, "ada", "Lovelace-1815!");
  assert.equal(back.origin + back.pathname, callback);

  const tokens = await oidc.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
  const claims = tokens.claims();
  assert.equal(claims.iss, `${base}/${pool}`);
  assert.equal(claims.aud, webClient);
  assert.equal(claims["cognito:username"], "ada");
  assert.equal(claims.email, "ada@example.com");
  assert.equal(claims.nonce, nonce);
  assert.ok(tokens.refresh_token, "the code grant answers a refresh token");
  const scope = JSON.parse(Buffer.from(tokens.access_token.split(".")[1], "base64url")).scope;
  assert.equal(scope, "openid email profile");

  // The same code again is refused.
  await assert.rejects(
    oidc.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }),
    (err) => err.error === "invalid_grant",
  );

  const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.sub, claims.sub);
  assert.equal(info.email, "ada@example.com");
  assert.equal(info.username, "ada");

  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
  assert.ok(refreshed.access_token && refreshed.id_token);
  assert.equal(refreshed.claims().sub, claims.sub);
  const again = await oidc.fetchUserInfo(config, refreshed.access_token, claims.sub);
  assert.equal(again.email, "ada@example.com");
});

test("client_credentials returns an access token with the resource server's scopes", async () => {
  const m2m = await oidc.discovery(new URL(`${base}/${pool}`), m2mClient, undefined, oidc.ClientSecretBasic(m2mSecret), insecure);
  const all = await oidc.clientCredentialsGrant(m2m);
  const allScopes = JSON.parse(Buffer.from(all.access_token.split(".")[1], "base64url"));
  assert.equal(allScopes.scope, "https://api.example.com/read https://api.example.com/write");
  assert.equal(allScopes.client_id, m2mClient);
  assert.equal(allScopes.token_use, "access");
  const one = await oidc.clientCredentialsGrant(m2m, { scope: "https://api.example.com/read" });
  assert.equal(JSON.parse(Buffer.from(one.access_token.split(".")[1], "base64url")).scope, "https://api.example.com/read");
  await assert.rejects(oidc.clientCredentialsGrant(m2m, { scope: "https://api.example.com/delete" }), (err) => err.error === "invalid_scope");
});
