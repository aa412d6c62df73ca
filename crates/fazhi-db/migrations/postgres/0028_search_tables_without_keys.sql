-- The search tables are derived from their matter and written with it, in the same
-- transaction (a new matter, its details changed, an import), so their foreign keys
-- guarded nothing; on PostgreSQL each cost a locking look-up of the matter per row,
-- about twenty per new matter and a third of a registration's time (bench/README.md ¹¹).
ALTER TABLE matter_terms DROP CONSTRAINT matter_terms_matter_id_fkey;
ALTER TABLE matter_search DROP CONSTRAINT matter_search_matter_id_fkey;
