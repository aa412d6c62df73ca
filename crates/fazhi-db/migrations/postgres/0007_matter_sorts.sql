-- Orders of the matter list (keyset pages by sort key, then id): received date, nearest
-- deadline and recently changed. The received-date index gains id as its tie-breaker.
DROP INDEX matters_received_idx;
CREATE INDEX matters_received_idx ON matters (received_on, id);
CREATE INDEX matters_due_idx ON matters (due_on, id);
CREATE INDEX matters_updated_idx ON matters (updated_at, id);
