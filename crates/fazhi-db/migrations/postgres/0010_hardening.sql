-- Who created a user: an account with no grants belongs to the administrator who made
-- it (or to an administrator of the whole installation), not to every administrator.
-- (audit_log needs no insert trigger here: ON CONFLICT DO UPDATE fires the update trigger.)
ALTER TABLE users ADD COLUMN created_by BIGINT REFERENCES users (id);
