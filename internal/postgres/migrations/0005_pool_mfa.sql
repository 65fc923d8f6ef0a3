-- A pool's MFA configuration that its description has no member for (userpool.PoolMFA:
-- whether SMS MFA is on, the software token and email MFA settings, the passkey
-- configuration), as a document; empty for a pool that has none.
ALTER TABLE pools ADD COLUMN mfa text NOT NULL DEFAULT '';
