-- Nothing on SQLite: the column that PostgreSQL's migration 0024 adds to audit_head
-- serves its one-statement append (audit::pg_append); SQLite appends as before.
SELECT 1;
