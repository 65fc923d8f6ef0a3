-- Remembered devices (ConfirmDevice) and passkeys (CompleteWebAuthnRegistration): each a
-- document of the user's, keyed by what the client names it with (a device key, a
-- credential id), unique in the pool; they go with their user, and follow a changed sub.

CREATE TABLE devices (
    pool_id    TEXT NOT NULL,
    device_key TEXT NOT NULL,
    user_sub   TEXT NOT NULL,
    doc        TEXT NOT NULL,
    PRIMARY KEY (pool_id, device_key),
    FOREIGN KEY (pool_id, user_sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE ON UPDATE CASCADE
) STRICT;

CREATE INDEX devices_by_user ON devices (pool_id, user_sub, device_key);

CREATE TABLE passkeys (
    pool_id       TEXT NOT NULL,
    credential_id TEXT NOT NULL,
    user_sub      TEXT NOT NULL,
    doc           TEXT NOT NULL,
    PRIMARY KEY (pool_id, credential_id),
    FOREIGN KEY (pool_id, user_sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE ON UPDATE CASCADE
) STRICT;

CREATE INDEX passkeys_by_user ON passkeys (pool_id, user_sub, credential_id);
