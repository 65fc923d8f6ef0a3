-- User import jobs (CreateUserImportJob): the job's description as a document of the API's
-- own shape, versioned for compare-and-set, and the CSV file uploaded to it, kept apart so
-- that reading a job never reads its file.

CREATE TABLE import_jobs (
    pool_id TEXT   NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    id      TEXT   NOT NULL,
    doc     TEXT   NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (pool_id, id)
);

CREATE TABLE import_files (
    pool_id TEXT  NOT NULL,
    job_id  TEXT  NOT NULL,
    data    BYTEA NOT NULL,
    PRIMARY KEY (pool_id, job_id),
    FOREIGN KEY (pool_id, job_id) REFERENCES import_jobs (pool_id, id) ON DELETE CASCADE
);
