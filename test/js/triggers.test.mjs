// Triggers against a cognate whose Lambda and KMS calls reach a local function server
// (cmd/cognate/js_test.go runs both: cognate at COGNATE_TRIGGER_URL, with --token-issuer aws,
// the function server at COGNATE_FN_URL). PreTokenGeneration V2_0 adds a claim and a scope to
// the access token and removes a group, and aws-jwt-verify's CognitoJwtVerifier accepts the
// tokens so changed; a CustomEmailSender's code, and the temporary password of an invitation,
// are decrypted with @aws-crypto/client-node.
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { KMS } from "@aws-sdk/client-kms";
import { buildClient, CommitmentPolicy, KmsKeyringNode } from "@aws-crypto/client-node";
import { CognitoJwtVerifier } from "aws-jwt-verify";

for (const name of ["COGNATE_TRIGGER_URL", "COGNATE_TRIGGER_ARN"]) {
  if (!process.env[name]) {
    throw new Error(`${name} is not set: cmd/cognate/js_test.go sets it`);
  }
}
const base = process.env.COGNATE_TRIGGER_URL.replace(/\/+$/, "");
const arn = process.env.COGNATE_TRIGGER_ARN;
const password = "Passw0rd!";

/** admin is an SDK client for the server, any credentials accepted. */
function admin() {
  return new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: base,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
}

test("PreTokenGeneration V2_0 changes the tokens, which aws-jwt-verify accepts", async () => {
  const sdk = admin();
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

/** senderDecrypt decrypts a custom sender's request.code as a sender function does, in AWS's examples' way. */
async function senderDecrypt(code) {
  const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
  const kms = new KMS({
    region: "us-east-1",
    endpoint: `${process.env.COGNATE_FN_URL}/kms`,
    credentials: { accessKeyId: "AKIDSENDER", secretAccessKey: "sender-secret" },
    maxAttempts: 1,
  });
  const keyring = new KmsKeyringNode({ keyIds: [process.env.COGNATE_KMS_KEY], clientProvider: () => kms });
  const { plaintext } = await decrypt(keyring, Buffer.from(code, "base64"));
  return plaintext.toString();
}

test("a custom email sender decrypts its code with @aws-crypto/client-node, and the code resets the password", async () => {
  const fnURL = process.env.COGNATE_FN_URL;
  const kmsKey = process.env.COGNATE_KMS_KEY;
  assert.ok(fnURL && kmsKey, "COGNATE_FN_URL and COGNATE_KMS_KEY are set by cmd/cognate/js_test.go");
  const sdk = admin();
  const pool = await sdk.send(new CreateUserPoolCommand({
    PoolName: "sender",
    LambdaConfig: {
      KMSKeyID: kmsKey,
      CustomEmailSender: { LambdaVersion: "V1_0", LambdaArn: `${arn}-sender` },
    },
  }));
  const poolId = pool.UserPool.Id;
  const client = await sdk.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: "web", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"],
  }));
  const clientId = client.UserPoolClient.ClientId;
  await sdk.send(new AdminCreateUserCommand({
    UserPoolId: poolId, Username: "sam", MessageAction: "SUPPRESS",
    UserAttributes: [{ Name: "email", Value: "sam@example.com" }, { Name: "email_verified", Value: "true" }],
  }));
  await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: "sam", Password: password, Permanent: true }));
  await sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "sam" }));

  // What the function received, as the local function server recorded it.
  const events = await (await fetch(`${fnURL}/calls`)).json();
  const event = events.find((e) => e.triggerSource === "CustomEmailSender_ForgotPassword" && e.userPoolId === poolId);
  assert.ok(event, "the custom sender was invoked");
  assert.equal(event.request.type, "customEmailSenderRequestV1");

  const code = await senderDecrypt(event.request.code);
  assert.match(code, /^[0-9]{6}$/);

  await sdk.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: "sam", ConfirmationCode: code, Password: "N3w-Passw0rd!" }));
  const res = await sdk.send(new InitiateAuthCommand({
    ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "sam", PASSWORD: "N3w-Passw0rd!" },
  }));
  assert.ok(res.AuthenticationResult.AccessToken);
});

test("a custom email sender gets AdminCreateUser's temporary password HTML-escaped, as the DG says, and it signs in", async () => {
  const fnURL = process.env.COGNATE_FN_URL;
  const sdk = admin();
  const pool = await sdk.send(new CreateUserPoolCommand({
    PoolName: "invite-sender",
    LambdaConfig: {
      KMSKeyID: process.env.COGNATE_KMS_KEY,
      CustomEmailSender: { LambdaVersion: "V1_0", LambdaArn: `${arn}-sender` },
    },
  }));
  const poolId = pool.UserPool.Id;
  const client = await sdk.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: "web", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"],
  }));
  const temporary = "Temp<Passw0rd&1";
  await sdk.send(new AdminCreateUserCommand({
    UserPoolId: poolId, Username: "ivy", TemporaryPassword: temporary, DesiredDeliveryMediums: ["EMAIL"],
    UserAttributes: [{ Name: "email", Value: "ivy@example.com" }, { Name: "email_verified", Value: "true" }],
  }));
  const events = await (await fetch(`${fnURL}/calls`)).json();
  const event = events.find((e) => e.triggerSource === "CustomEmailSender_AdminCreateUser" && e.userPoolId === poolId);
  assert.ok(event, "the custom sender was invoked for the invitation");
  assert.equal(event.request.type, "customEmailSenderRequestV1");
  assert.equal(await senderDecrypt(event.request.code), "Temp&lt;Passw0rd&amp;1");

  const res = await sdk.send(new InitiateAuthCommand({
    ClientId: client.UserPoolClient.ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "ivy", PASSWORD: temporary },
  }));
  assert.equal(res.ChallengeName, "NEW_PASSWORD_REQUIRED");
});
