-- One-time codes, attempt counters, sign-in sessions and token signing keys.
-- Times are unix microseconds, as in 0001; secrets arrive sealed or as MACs and are opaque here.

-- At most one outstanding code per user and purpose: the primary key is what makes a new
-- code replace the previous one. Codes name their user by sub, which users keeps unique per
-- pool. Deleting the user (or its pool) deletes its codes; a changed sub carries them along.
CREATE TABLE codes (
    pool_id    TEXT    NOT NULL,
    user_sub   TEXT    NOT NULL,
    purpose    TEXT    NOT NULL,
    mac        BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, user_sub, purpose),
    FOREIGN KEY (pool_id, user_sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE ON UPDATE CASCADE
) STRICT;

-- One row per counted attempt. The subject need not be a user (unknown usernames are
-- counted too, so that they answer as a real user would), hence no foreign key to users;
-- the pool's one removes a pool's attempts with it. seq only gives rows a key.
CREATE TABLE attempts (
    seq     INTEGER NOT NULL PRIMARY KEY,
    pool_id TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    subject TEXT    NOT NULL,
    kind    TEXT    NOT NULL,
    at      INTEGER NOT NULL
) STRICT;
CREATE INDEX attempts_by_subject ON attempts (pool_id, subject, kind, at);

-- A sign-in: what a refresh token stands for. revoked_at is NULL while it is valid.
-- Like codes, a session goes with its user and follows a changed sub.
CREATE TABLE sessions (
    id         TEXT    NOT NULL PRIMARY KEY,
    pool_id    TEXT    NOT NULL,
    client_id  TEXT    NOT NULL,
    user_sub   TEXT    NOT NULL,
    auth_time  INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    FOREIGN KEY (pool_id, user_sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE ON UPDATE CASCADE
) STRICT;
CREATE INDEX sessions_by_user ON sessions (pool_id, user_sub);

-- The installation's token signing keys, private halves sealed outside the store. They
-- belong to no pool, and Reset keeps them: tokens already issued stay verifiable.
CREATE TABLE signing_keys (
    id         TEXT    NOT NULL PRIMARY KEY,
    sealed     BLOB    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX signing_keys_by_age ON signing_keys (created_at, id);
