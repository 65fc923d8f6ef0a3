-- The secondary replicas of pools (CreateUserPoolReplica): the region each serves the pool
-- in, its status (ACTIVE or INACTIVE) and its own tags (a document), with a version for
-- compare-and-set updates. They go with their pool.

CREATE TABLE replicas (
    pool_id text COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    region  text COLLATE "C" NOT NULL,
    status  text NOT NULL,
    tags    text NOT NULL,
    version bigint NOT NULL,
    PRIMARY KEY (pool_id, region)
);
