-- App clients' rotated secrets (AddUserPoolClientSecret), oldest first, as JSON; '' while a
-- client has only the secret it was created with (its document's ClientSecret) or none.
-- The secrets stay with the client's row, so that one versioned write changes both.
ALTER TABLE clients ADD COLUMN secrets TEXT NOT NULL DEFAULT '';

-- Each pool's SAML signing certificate (GetSigningCertificate), made at its first request
-- and kept: the certificate's DER, and its private key sealed under a key derived from the
-- master key, which the database never holds.
CREATE TABLE pool_certificates (
    pool_id    text        NOT NULL PRIMARY KEY REFERENCES pools (id) ON DELETE CASCADE,
    cert       bytea       NOT NULL,
    sealed_key bytea       NOT NULL,
    created_at timestamptz NOT NULL
);
