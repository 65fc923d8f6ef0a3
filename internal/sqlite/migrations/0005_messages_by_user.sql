-- The inbox is read by user (GET /_cognate/messages?UserPoolId=&Username=, as tests and the
-- load tool read a code): without this index each such read walked every message of the pool.
CREATE INDEX messages_by_user ON messages (pool_id, username, created_at, seq);
