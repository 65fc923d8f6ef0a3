// PreTokenGeneration V2_0 against a cognate whose Lambda invocations reach a local function
// (cmd/cognate/js_test.go runs it, at COGNATE_TRIGGER_URL, started with --token-issuer aws):
// the function adds a claim and a scope to the access token and removes a group, and
// aws-jwt-verify's CognitoJwtVerifier accepts the tokens so changed.
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoJwtVerifier } from "aws-jwt-verify";

for (const name of ["COGNATE_TRIGGER_URL", "COGNATE_TRIGGER_ARN"]) {
  if (!process.env[name]) {
    throw new Error(`${name} is not set: cmd/cognate/js_test.go sets it`);
  }
}
const base = process.env.COGNATE_TRIGGER_URL.replace(/\/+$/, "");
const arn = process.env.COGNATE_TRIGGER_ARN;
const password = "Passw0rd!";

test("PreTokenGeneration V2_0 changes the tokens, which aws-jwt-verify accepts", async () => {
  const sdk = new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: base,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  const pool = await sdk.send(new CreateUserPoolCommand({
    PoolName: "triggers",
    LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: arn } },
  }));
  const poolId = pool.UserPool.Id;
  const client = await sdk.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: "web", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  }));
  const clientId = client.UserPoolClient.ClientId;
  await sdk.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: "jane", MessageAction: "SUPPRESS" }));
  await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: "jane", Password: password, Permanent: true }));
  for (const group of ["staff", "legacy"]) {
    await sdk.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: group }));
    await sdk.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: "jane", GroupName: group }));
  }
  const res = await sdk.send(new InitiateAuthCommand({
    ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "jane", PASSWORD: password },
  }));
  const { AccessToken, IdToken } = res.AuthenticationResult;
  // The verifier would fetch the JWKS from AWS; it is fed cognate's instead.
  const jwks = await (await fetch(`${base}/${poolId}/.well-known/jwks.json`)).json();

  const access = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: "access", clientId, scope: "orders/read" });
  access.cacheJwks(jwks);
  const a = await access.verify(AccessToken);
  assert.equal(a.tenant, "acme");
  assert.deepEqual(a["cognito:groups"], ["staff"]);
  assert.equal(a.scope, "aws.cognito.signin.user.admin orders/read");

  const id = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: "id", clientId, groups: "staff" });
  id.cacheJwks(jwks);
  const i = await id.verify(IdToken);
  assert.deepEqual(i["cognito:groups"], ["staff"]);
  assert.equal(i.tenant, undefined, "the function added the claim to the access token only");
});
