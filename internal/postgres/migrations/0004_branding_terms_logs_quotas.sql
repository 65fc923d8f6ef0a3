-- What surrounds a pool's users: classic UI customizations (scope '' for a pool's clients at
-- large, else the client's id), managed login branding styles (one per client), terms
-- documents (one of each name per client), log delivery configurations, and the account's
-- request-rate quotas with the requests counted against them. Descriptions are documents
-- of the API's own shapes; a client's rows go with the client, a pool's with the pool.

CREATE TABLE ui_customizations (
    pool_id   text NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    scope     text NOT NULL,
    client_id text,
    doc       text NOT NULL,
    PRIMARY KEY (pool_id, scope),
    FOREIGN KEY (pool_id, client_id) REFERENCES clients (pool_id, id) ON DELETE CASCADE
);

CREATE TABLE managed_login_brandings (
    pool_id   text   NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    id        text   NOT NULL,
    client_id text   NOT NULL UNIQUE,
    doc       text   NOT NULL,
    version   bigint NOT NULL,
    PRIMARY KEY (pool_id, id),
    FOREIGN KEY (pool_id, client_id) REFERENCES clients (pool_id, id) ON DELETE CASCADE
);

CREATE TABLE terms (
    pool_id   text COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    id        text COLLATE "C" NOT NULL,
    client_id text   NOT NULL,
    name      text   NOT NULL,
    doc       text   NOT NULL,
    version   bigint NOT NULL,
    PRIMARY KEY (pool_id, id),
    UNIQUE (client_id, name),
    FOREIGN KEY (pool_id, client_id) REFERENCES clients (pool_id, id) ON DELETE CASCADE
);

CREATE TABLE log_delivery_configurations (
    pool_id text NOT NULL PRIMARY KEY REFERENCES pools (id) ON DELETE CASCADE,
    doc     text NOT NULL
);

CREATE TABLE provisioned_limits (
    category text    NOT NULL PRIMARY KEY,
    value    integer NOT NULL
);

CREATE TABLE request_counts (
    category text    NOT NULL,
    second   bigint  NOT NULL,
    count    integer NOT NULL,
    PRIMARY KEY (category, second)
);
