-- Shadow recovery state: what ForgotPassword writes for a name the caller may not learn
-- about (a name that is no user, or a user a client with PreventUserExistenceErrors hides),
-- so that the request does the same work as a real user's and takes the same time. Each
-- table is made LIKE its real counterpart (codes, messages, auth_events), with its columns,
-- keys and indexes, so that a write costs what the real one does; nothing lists, delivers
-- or shows these rows. They are bounded as a user's are: one code per subject and purpose,
-- one message per username and one event per subject, the newest replacing the last, and
-- they go with their pool (there is no user for them to go with).
CREATE TABLE shadow_codes (LIKE codes INCLUDING ALL,
    FOREIGN KEY (pool_id) REFERENCES pools (id) ON DELETE CASCADE);

CREATE TABLE shadow_messages (LIKE messages INCLUDING ALL,
    UNIQUE (pool_id, username),
    FOREIGN KEY (pool_id) REFERENCES pools (id) ON DELETE CASCADE);

CREATE TABLE shadow_auth_events (LIKE auth_events INCLUDING ALL,
    UNIQUE (pool_id, user_sub),
    FOREIGN KEY (pool_id) REFERENCES pools (id) ON DELETE CASCADE);
