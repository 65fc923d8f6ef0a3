-- The secondary replicas of pools (CreateUserPoolReplica): the region each serves the pool
-- in, its status (ACTIVE or INACTIVE) and its own tags (a document), with a version for
-- compare-and-set updates. They go with their pool.

CREATE TABLE replicas (
    pool_id TEXT    NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    region  TEXT    NOT NULL,
    status  TEXT    NOT NULL,
    tags    TEXT    NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (pool_id, region)
) STRICT;
