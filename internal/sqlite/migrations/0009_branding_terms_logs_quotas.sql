-- What surrounds a pool's users: classic UI customizations (scope '' for a pool's clients at
-- large, else the client's id), managed login branding styles (one per client), terms
-- documents (one of each name per client), log delivery configurations, and the account's
-- request-rate quotas with the requests counted against them. Descriptions are documents
-- of the API's own shapes; a client's rows go with the client, a pool's with the pool.

CREATE TABLE ui_customizations (
    pool_id   TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    scope     TEXT NOT NULL,
    client_id TEXT,
    doc       TEXT NOT NULL,
    PRIMARY KEY (pool_id, scope),
    FOREIGN KEY (pool_id, client_id) REFERENCES clients (pool_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE managed_login_brandings (
    pool_id   TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    id        TEXT    NOT NULL,
    client_id TEXT    NOT NULL UNIQUE,
    doc       TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    PRIMARY KEY (pool_id, id),
    FOREIGN KEY (pool_id, client_id) REFERENCES clients (pool_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE terms (
    pool_id   TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    id        TEXT    NOT NULL,
    client_id TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    doc       TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    PRIMARY KEY (pool_id, id),
    UNIQUE (client_id, name),
    FOREIGN KEY (pool_id, client_id) REFERENCES clients (pool_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE log_delivery_configurations (
    pool_id TEXT NOT NULL PRIMARY KEY REFERENCES pools (id) ON DELETE CASCADE,
    doc     TEXT NOT NULL
) STRICT;

CREATE TABLE provisioned_limits (
    category TEXT    NOT NULL PRIMARY KEY,
    value    INTEGER NOT NULL
) STRICT;

CREATE TABLE request_counts (
    category TEXT    NOT NULL,
    second   INTEGER NOT NULL,
    count    INTEGER NOT NULL,
    PRIMARY KEY (category, second)
) STRICT;
