-- The first schema. Documents (doc) are JSON text owned by the userpool package; the
-- columns beside them are what the store looks things up by or must keep unique.
-- Times are integers, unix microseconds, written only from Go values (SQL never reads a clock).
-- Text compares bytewise (SQLite's BINARY collation), which is the key order ListUsers promises.

CREATE TABLE pools (
    id      TEXT    NOT NULL PRIMARY KEY,
    doc     TEXT    NOT NULL,
    version INTEGER NOT NULL
) STRICT;

-- Client ids are unique across pools: public operations name only the client id.
CREATE TABLE clients (
    id      TEXT    NOT NULL PRIMARY KEY,
    pool_id TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    doc     TEXT    NOT NULL,
    version INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX clients_by_pool ON clients (pool_id, id);

CREATE TABLE users (
    pool_id TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    key     TEXT    NOT NULL,
    sub     TEXT    NOT NULL,
    doc     TEXT    NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (pool_id, key),
    UNIQUE (pool_id, sub)
) STRICT;

-- The primary key is what makes an alias belong to at most one user of a pool.
CREATE TABLE user_aliases (
    pool_id  TEXT NOT NULL,
    alias    TEXT NOT NULL,
    user_key TEXT NOT NULL,
    PRIMARY KEY (pool_id, alias),
    FOREIGN KEY (pool_id, user_key) REFERENCES users (pool_id, key) ON DELETE CASCADE
) STRICT;
CREATE INDEX user_aliases_by_user ON user_aliases (pool_id, user_key);

CREATE TABLE groups (
    pool_id     TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    description TEXT,
    role_arn    TEXT,
    precedence  INTEGER,
    created_at  INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, name)
) STRICT;

CREATE TABLE group_members (
    pool_id    TEXT NOT NULL,
    group_name TEXT NOT NULL,
    user_key   TEXT NOT NULL,
    PRIMARY KEY (pool_id, group_name, user_key),
    FOREIGN KEY (pool_id, group_name) REFERENCES groups (pool_id, name) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, user_key) REFERENCES users (pool_id, key) ON DELETE CASCADE
) STRICT;
CREATE INDEX group_members_by_user ON group_members (pool_id, user_key, group_name);

-- The built-in inbox. It has no foreign key to pools: a message is a record of what was
-- sent and must not fail to be written because its pool went away meanwhile; DeletePool
-- removes a pool's messages itself. seq orders messages written in the same microsecond.
CREATE TABLE messages (
    seq             INTEGER NOT NULL PRIMARY KEY,
    id              TEXT    NOT NULL UNIQUE,
    pool_id         TEXT    NOT NULL,
    username        TEXT    NOT NULL,
    delivery_medium TEXT    NOT NULL,
    destination     TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    trigger_source  TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX messages_by_time ON messages (created_at, seq);
CREATE INDEX messages_by_pool ON messages (pool_id, created_at, seq);
