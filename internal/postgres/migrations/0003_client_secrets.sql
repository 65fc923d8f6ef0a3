-- App clients' rotated secrets (AddUserPoolClientSecret), oldest first, as JSON; '' while a
-- client has only the secret it was created with (its document's ClientSecret) or none.
-- The secrets stay with the client's row, so that one versioned write changes both.
ALTER TABLE clients ADD COLUMN secrets TEXT NOT NULL DEFAULT '';
