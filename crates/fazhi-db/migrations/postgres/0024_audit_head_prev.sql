-- The head keeps the hash it replaced, so that one statement can move the head and
-- append the row chained to it (the hash computed by PostgreSQL, audit::pg_append):
-- an UPDATE's RETURNING sees only the new values.
ALTER TABLE audit_head ADD COLUMN prev TEXT;
