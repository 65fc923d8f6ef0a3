-- The secondary replicas of pools (CreateUserPoolReplica): the region each serves the pool
-- in, its status (ACTIVE or INACTIVE) and its own tags (a document). They go with their pool.

CREATE TABLE replicas (
    pool_id TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    region  TEXT NOT NULL,
    status  TEXT NOT NULL,
    tags    TEXT NOT NULL,
    PRIMARY KEY (pool_id, region)
) STRICT;
