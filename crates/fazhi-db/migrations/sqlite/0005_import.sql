-- Matters imported from a legacy ledger (台账) carry a stable key of their source row:
-- the ledger's own number or a hash of the row, scoped by township. The unique index
-- makes a second import of the same file create nothing. NULL for matters registered here.

ALTER TABLE matters ADD COLUMN source_ref TEXT;
CREATE UNIQUE INDEX matters_source_ref_key ON matters (source_ref);
