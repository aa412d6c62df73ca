-- Orders of the matter list (keyset pages by sort key, then id): nearest deadline and
-- recently changed. The received-date order uses matters_received_idx, which in SQLite
-- already ends with the rowid (= id).
CREATE INDEX matters_due_idx ON matters (due_on, id);
CREATE INDEX matters_updated_idx ON matters (updated_at, id);
