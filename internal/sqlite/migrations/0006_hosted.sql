-- The hosted pages and the OAuth 2.0 authorization server: domains, resource servers and
-- identity providers (documents of the API's own shapes), authorization codes and hosted
-- sessions (ids are hashes of what the browser or the client holds; never the secret).

-- A domain name is unique in the installation; a pool has one prefix and one custom domain
-- at most (custom is 0 or 1).
CREATE TABLE domains (
    name    TEXT    NOT NULL PRIMARY KEY,
    pool_id TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    custom  INTEGER NOT NULL,
    doc     TEXT    NOT NULL,
    UNIQUE (pool_id, custom)
) STRICT;

CREATE TABLE resource_servers (
    pool_id    TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    identifier TEXT NOT NULL,
    doc        TEXT NOT NULL,
    PRIMARY KEY (pool_id, identifier)
) STRICT;

CREATE TABLE identity_providers (
    pool_id TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    doc     TEXT NOT NULL,
    PRIMARY KEY (pool_id, name)
) STRICT;

-- The primary key is what makes an IdP identifier belong to one provider of a pool.
CREATE TABLE idp_identifiers (
    pool_id    TEXT NOT NULL,
    identifier TEXT NOT NULL,
    name       TEXT NOT NULL,
    PRIMARY KEY (pool_id, identifier),
    FOREIGN KEY (pool_id, name) REFERENCES identity_providers (pool_id, name) ON DELETE CASCADE
) STRICT;

-- Codes and hosted sessions go with their user, and follow a changed sub.
CREATE TABLE authorization_codes (
    id         TEXT    NOT NULL PRIMARY KEY,
    pool_id    TEXT    NOT NULL,
    user_sub   TEXT    NOT NULL,
    expires_at INTEGER NOT NULL,
    doc        TEXT    NOT NULL,
    FOREIGN KEY (pool_id, user_sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE ON UPDATE CASCADE
) STRICT;

CREATE TABLE hosted_sessions (
    id         TEXT    NOT NULL PRIMARY KEY,
    pool_id    TEXT    NOT NULL,
    user_sub   TEXT    NOT NULL,
    expires_at INTEGER NOT NULL,
    doc        TEXT    NOT NULL,
    FOREIGN KEY (pool_id, user_sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE ON UPDATE CASCADE
) STRICT;
