// RFC 6238 codes for the tests that sign in with a software token (mfa.test.mjs,
// devices-mfa.test.mjs), computed at the server's clock so that a test that moves it does
// not break another.

import assert from "node:assert/strict";
import { createHmac } from "node:crypto";

/** totp is the RFC 6238 code (HMAC-SHA1, 30 s steps, six digits) of a base32 secret at a step. */
export function totp(secret, step) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of secret.replace(/=+$/, "")) bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const sum = createHmac("sha1", key).update(msg).digest();
  const off = sum[sum.length - 1] & 0x0f;
  return String((sum.readUInt32BE(off) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/** serverStepAt is the 30-second step the clock of the cognate at base is in. */
export async function serverStepAt(base) {
  const res = await fetch(`${base}/_cognate/clock`);
  assert.equal(res.status, 200);
  const { Now } = await res.json();
  return Math.floor(Now / 30);
}
