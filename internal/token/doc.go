// Package token holds the cryptography of signing in to a cognate user pool.
//
// It exists so that the byte-exact details that clients depend on live in one
// place, tested against the clients' own arithmetic:
//
//   - SRP-6a as Amazon Cognito runs it for USER_SRP_AUTH → PASSWORD_VERIFIER
//     (NewVerifier, Challenge, VerifyClaim, FormatTimestamp). The math mirrors
//     amazon-cognito-identity-js's AuthenticationHelper byte for byte
//     (spec Appendix F), including its habit of reading SALT as a big integer.
//   - RS256 JSON Web Tokens and the JWKS document that publishes their keys
//     (SigningKey, Sign, Verify, JWKS).
//   - Refresh tokens shaped like Cognito's compact JWE, but opaque and
//     authenticated under a server-held key (SealRefresh, OpenRefresh).
//   - AES-256-GCM sealed blobs and per-purpose key derivation for everything
//     else the server hands out or keeps encrypted: SECRET_BLOCK, challenge
//     Session tokens, SRP verifiers at rest (Seal, Open, DeriveKey).
//
// What it does not do: it knows no users, pools, clients, clocks or storage.
// Callers pass in every key, name, value and time, and randomness always comes
// from an io.Reader parameter, so tests can fix it and the domain decides what
// a token says, how long it lives and where keys are kept. It does not decide
// what a failure means to a Cognito client either: it reports errors, and the
// caller maps them to Cognito exceptions. It checks no claims — not even exp —
// beyond the signature; Expired is a helper for the caller's own clock.
package token
