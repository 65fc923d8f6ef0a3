-- The whole schema of cognate's PostgreSQL store, in one step: the state internal/sqlite
-- reached in its migrations 0001 to 0006, in PostgreSQL's types. Documents (doc) are JSON
-- text owned by the userpool package (internal/storedoc); the columns beside them are what
-- the store looks things up by or must keep unique. Times are timestamptz written only from
-- Go values, truncated to the microsecond (SQL never reads a clock). Columns that listings
-- order by are COLLATE "C": bytewise, the order the Store contract promises, whatever the
-- database's collation.

CREATE TABLE pools (
    id      text COLLATE "C" NOT NULL PRIMARY KEY,
    doc     text   NOT NULL,
    version bigint NOT NULL
);

-- Client ids are unique across pools: public operations name only the client id.
CREATE TABLE clients (
    id      text COLLATE "C" NOT NULL PRIMARY KEY,
    pool_id text   NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    doc     text   NOT NULL,
    version bigint NOT NULL
);
CREATE UNIQUE INDEX clients_by_pool ON clients (pool_id, id);

CREATE TABLE users (
    pool_id text NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    key     text COLLATE "C" NOT NULL,
    sub     text NOT NULL,
    doc     text NOT NULL,
    version bigint NOT NULL,
    PRIMARY KEY (pool_id, key),
    UNIQUE (pool_id, sub)
);

-- The primary key is what makes an alias belong to at most one user of a pool.
CREATE TABLE user_aliases (
    pool_id  text NOT NULL,
    alias    text NOT NULL,
    user_key text COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, alias),
    FOREIGN KEY (pool_id, user_key) REFERENCES users (pool_id, key) ON DELETE CASCADE
);
CREATE INDEX user_aliases_by_user ON user_aliases (pool_id, user_key);

CREATE TABLE groups (
    pool_id     text NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name        text COLLATE "C" NOT NULL,
    description text,
    role_arn    text,
    precedence  integer,
    created_at  timestamptz NOT NULL,
    modified_at timestamptz NOT NULL,
    PRIMARY KEY (pool_id, name)
);

CREATE TABLE group_members (
    pool_id    text NOT NULL,
    group_name text COLLATE "C" NOT NULL,
    user_key   text COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, group_name, user_key),
    FOREIGN KEY (pool_id, group_name) REFERENCES groups (pool_id, name) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, user_key) REFERENCES users (pool_id, key) ON DELETE CASCADE
);
CREATE INDEX group_members_by_user ON group_members (pool_id, user_key, group_name);

-- The outbox: the built-in inbox's messages and those queued for a real channel, with the
-- dispatcher's lease. No foreign key to pools: a message is a record of what was sent and
-- must not fail to be written because its pool went away meanwhile; DeletePool removes a
-- pool's messages itself. seq orders messages written in the same microsecond.
CREATE TABLE messages (
    seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id              text NOT NULL UNIQUE,
    pool_id         text NOT NULL,
    username        text NOT NULL,
    delivery_medium text NOT NULL,
    destination     text NOT NULL,
    subject         text NOT NULL,
    body            text NOT NULL,
    html            text NOT NULL,
    from_addr       text NOT NULL,
    reply_to        text NOT NULL,
    trigger_source  text NOT NULL,
    created_at      timestamptz NOT NULL,
    channel         text NOT NULL,
    status          text NOT NULL,
    attempts        integer NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    last_error      text NOT NULL,
    delivered_at    timestamptz,
    code_sub        text,
    code_purpose    text,
    code_mac        bytea,
    code_expires_at timestamptz,
    lease_owner     text,
    lease_until     timestamptz
);
CREATE INDEX messages_by_time ON messages (created_at, seq);
CREATE INDEX messages_by_pool ON messages (pool_id, created_at, seq);
CREATE INDEX messages_by_user ON messages (pool_id, username, created_at, seq);
-- Only queued messages are claimed: a partial index keeps the dispatcher's scan to them.
CREATE INDEX messages_due ON messages (next_attempt_at, seq) WHERE status = 'queued';

-- At most one outstanding code per user and purpose: the primary key is what makes a new
-- code replace the previous one. Deleting the user (or its pool) deletes its codes; a
-- changed sub carries them along.
CREATE TABLE codes (
    pool_id    text NOT NULL,
    user_sub   text NOT NULL,
    purpose    text NOT NULL,
    mac        bytea NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (pool_id, user_sub, purpose),
    FOREIGN KEY (pool_id, user_sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE ON UPDATE CASCADE
);

-- One row per subject and kind of attempt: the row a counting transaction locks (by
-- upserting it) before it counts, so that of concurrent counts of one subject and kind
-- each sees the attempts of those that went before. Subjects need not be users (unknown
-- usernames are counted too), hence no foreign key to users; the pool's removes a pool's
-- counters with it.
CREATE TABLE attempt_counters (
    pool_id text NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    subject text NOT NULL,
    kind    text NOT NULL,
    PRIMARY KEY (pool_id, subject, kind)
);

-- One row per counted attempt; seq only gives rows a key.
CREATE TABLE attempts (
    seq     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pool_id text NOT NULL,
    subject text NOT NULL,
    kind    text NOT NULL,
    at      timestamptz NOT NULL,
    FOREIGN KEY (pool_id, subject, kind) REFERENCES attempt_counters (pool_id, subject, kind) ON DELETE CASCADE
);
CREATE INDEX attempts_by_subject ON attempts (pool_id, subject, kind, at);

-- A sign-in: what a refresh token stands for. revoked_at is NULL while it is valid.
CREATE TABLE sessions (
    id         text NOT NULL PRIMARY KEY,
    pool_id    text NOT NULL,
    client_id  text NOT NULL,
    user_sub   text NOT NULL,
    auth_time  timestamptz NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    FOREIGN KEY (pool_id, user_sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX sessions_by_user ON sessions (pool_id, user_sub);

-- The installation's token signing keys, private halves sealed outside the store. They
-- belong to no pool, and Reset keeps them: tokens already issued stay verifiable.
CREATE TABLE signing_keys (
    id         text COLLATE "C" NOT NULL PRIMARY KEY,
    sealed     bytea NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX signing_keys_by_age ON signing_keys (created_at, id);

-- Threat protection: risk configurations (a pool's, client_id '', and its clients').
CREATE TABLE risk_configurations (
    pool_id   text NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    client_id text NOT NULL,
    doc       text NOT NULL,
    PRIMARY KEY (pool_id, client_id)
);

-- seq orders a user's events; a user's deletion (or its pool's) takes its events along.
CREATE TABLE auth_events (
    seq      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pool_id  text NOT NULL,
    user_sub text NOT NULL,
    doc      text NOT NULL,
    FOREIGN KEY (pool_id, user_sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX auth_events_by_user ON auth_events (pool_id, user_sub, seq);

-- The hosted pages and the OAuth 2.0 authorization server. A domain name is unique in the
-- installation; a pool has one prefix and one custom domain at most.
CREATE TABLE domains (
    name    text NOT NULL PRIMARY KEY,
    pool_id text NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    custom  boolean NOT NULL,
    doc     text NOT NULL,
    UNIQUE (pool_id, custom)
);

CREATE TABLE resource_servers (
    pool_id    text NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    identifier text COLLATE "C" NOT NULL,
    doc        text NOT NULL,
    PRIMARY KEY (pool_id, identifier)
);

CREATE TABLE identity_providers (
    pool_id text NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name    text COLLATE "C" NOT NULL,
    doc     text NOT NULL,
    PRIMARY KEY (pool_id, name)
);

-- The primary key is what makes an IdP identifier belong to one provider of a pool.
CREATE TABLE idp_identifiers (
    pool_id    text NOT NULL,
    identifier text NOT NULL,
    name       text COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, identifier),
    FOREIGN KEY (pool_id, name) REFERENCES identity_providers (pool_id, name) ON DELETE CASCADE
);

-- Codes and hosted sessions go with their user, and follow a changed sub.
CREATE TABLE authorization_codes (
    id         text NOT NULL PRIMARY KEY,
    pool_id    text NOT NULL,
    user_sub   text NOT NULL,
    expires_at timestamptz NOT NULL,
    doc        text NOT NULL,
    FOREIGN KEY (pool_id, user_sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE hosted_sessions (
    id         text NOT NULL PRIMARY KEY,
    pool_id    text NOT NULL,
    user_sub   text NOT NULL,
    expires_at timestamptz NOT NULL,
    doc        text NOT NULL,
    FOREIGN KEY (pool_id, user_sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE ON UPDATE CASCADE
);
