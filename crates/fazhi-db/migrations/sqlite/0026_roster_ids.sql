-- Rosters carry an optional ID number (身份证号), sealed, indexed and masked like the
-- phone: the roster import recognises a person already on it by the index.
ALTER TABLE roster_people ADD COLUMN id_enc TEXT;
ALTER TABLE roster_people ADD COLUMN id_idx TEXT;
ALTER TABLE roster_people ADD COLUMN id_mask TEXT;
CREATE INDEX roster_people_id_idx ON roster_people (id_idx);
