-- The outbox: messages carry their channel and delivery state, and the dispatcher's lease.
-- Existing rows were built-in inbox messages, delivered as they were written.
ALTER TABLE messages ADD COLUMN html            TEXT    NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN from_addr       TEXT    NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN reply_to        TEXT    NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN channel         TEXT    NOT NULL DEFAULT 'inbox';
ALTER TABLE messages ADD COLUMN status          TEXT    NOT NULL DEFAULT 'delivered';
ALTER TABLE messages ADD COLUMN attempts        INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN last_error      TEXT    NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN delivered_at    INTEGER;
ALTER TABLE messages ADD COLUMN code_sub        TEXT;
ALTER TABLE messages ADD COLUMN code_purpose    TEXT;
ALTER TABLE messages ADD COLUMN code_mac        BLOB;
ALTER TABLE messages ADD COLUMN code_expires_at INTEGER;
ALTER TABLE messages ADD COLUMN lease_owner     TEXT;
ALTER TABLE messages ADD COLUMN lease_until     INTEGER;
CREATE INDEX messages_due ON messages (status, next_attempt_at, seq);
