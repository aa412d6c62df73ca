-- A roster person's training hours (in tenths of an hour) and certificates held
-- (issue 17 §4), entered on the form or imported with the roster.
ALTER TABLE roster_people ADD COLUMN training_tenths BIGINT;
ALTER TABLE roster_people ADD COLUMN certificates TEXT;
