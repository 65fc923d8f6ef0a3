-- The trigger that shaped a message (CustomMessage, or a custom sender the code was handed
-- to), shown by the inbox API; empty when the pool's template stands.

ALTER TABLE messages ADD COLUMN shaped_by TEXT NOT NULL DEFAULT '';
