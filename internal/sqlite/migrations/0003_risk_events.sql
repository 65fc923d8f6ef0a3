-- Threat protection: risk configurations (a pool's, client_id '', and its clients') and the
-- auth events AdminListUserAuthEvents lists. Both are documents of the API's own shapes.
CREATE TABLE risk_configurations (
    pool_id   TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    doc       TEXT NOT NULL,
    PRIMARY KEY (pool_id, client_id)
) STRICT;

-- seq orders a user's events; a user's deletion (or its pool's) takes its events along.
CREATE TABLE auth_events (
    seq      INTEGER NOT NULL PRIMARY KEY,
    pool_id  TEXT    NOT NULL,
    user_sub TEXT    NOT NULL,
    doc      TEXT    NOT NULL,
    FOREIGN KEY (pool_id, user_sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE ON UPDATE CASCADE
) STRICT;
CREATE INDEX auth_events_by_user ON auth_events (pool_id, user_sub, seq);
