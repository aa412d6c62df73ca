-- Who created a user: an account with no grants belongs to the administrator who made
-- it (or to an administrator of the whole installation), not to every administrator.
ALTER TABLE users ADD COLUMN created_by INTEGER REFERENCES users (id);

-- INSERT OR REPLACE deletes the row it replaces without firing the delete trigger:
-- refuse any insert that is not a new row at the end of the chain.
CREATE TRIGGER audit_log_append_only BEFORE INSERT ON audit_log
WHEN NEW.seq <= (SELECT COALESCE(MAX(seq), 0) FROM audit_log)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
