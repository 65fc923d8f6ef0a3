-- Shadow recovery state: what ForgotPassword writes for a name the caller may not learn
-- about (a name that is no user, or a user a client with PreventUserExistenceErrors hides),
-- so that the request does the same work as a real user's and takes the same time. Each
-- table has the columns, keys and indexes of its real counterpart (codes, messages,
-- auth_events), so that a write costs what the real one does; nothing lists, delivers or
-- shows these rows. They are bounded as a user's are: one code per subject and purpose, one
-- message per username and one event per subject, the newest replacing the last, and they
-- go with their pool (there is no user for them to go with).
CREATE TABLE shadow_codes (
    pool_id    TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    user_sub   TEXT    NOT NULL,
    purpose    TEXT    NOT NULL,
    mac        BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, user_sub, purpose)
) STRICT;

CREATE TABLE shadow_messages (
    seq             INTEGER NOT NULL PRIMARY KEY,
    id              TEXT    NOT NULL UNIQUE,
    pool_id         TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    username        TEXT    NOT NULL,
    delivery_medium TEXT    NOT NULL,
    destination     TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    trigger_source  TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    html            TEXT    NOT NULL,
    from_addr       TEXT    NOT NULL,
    reply_to        TEXT    NOT NULL,
    channel         TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT    NOT NULL,
    delivered_at    INTEGER,
    code_sub        TEXT,
    code_purpose    TEXT,
    code_mac        BLOB,
    code_expires_at INTEGER,
    lease_owner     TEXT,
    lease_until     INTEGER,
    shaped_by       TEXT    NOT NULL,
    UNIQUE (pool_id, username)
) STRICT;
CREATE INDEX shadow_messages_by_time ON shadow_messages (created_at, seq);
CREATE INDEX shadow_messages_by_pool ON shadow_messages (pool_id, created_at, seq);
CREATE INDEX shadow_messages_due ON shadow_messages (status, next_attempt_at, seq);
CREATE INDEX shadow_messages_by_user ON shadow_messages (pool_id, username, created_at, seq);

CREATE TABLE shadow_auth_events (
    seq      INTEGER NOT NULL PRIMARY KEY,
    pool_id  TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    user_sub TEXT    NOT NULL,
    doc      TEXT    NOT NULL,
    UNIQUE (pool_id, user_sub)
) STRICT;
CREATE INDEX shadow_auth_events_by_user ON shadow_auth_events (pool_id, user_sub, seq);
