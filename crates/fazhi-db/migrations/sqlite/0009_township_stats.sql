-- Statistics of one township without sorting its matters. `township_id` is the township
-- a matter's place belongs to: the place's parent when the place is a village, else the
-- place itself (a county's own matters). Places never move, so it is written once, on
-- insert, from the divisions table (fazhi-db's matters::write). The class breakdown
-- (channel, kind, category) reads matters_stats_township_idx in group order, township
-- by township; it replaces matters_stats_kind_idx, which areas above a township read
-- whole. The index goes first so that its pages are reused.
DROP INDEX matters_stats_kind_idx;
ALTER TABLE matters ADD COLUMN township_id INTEGER;
UPDATE matters SET township_id = (
    SELECT COALESCE(CASE WHEN d.level = 'village' THEN d.parent_id END, d.id)
    FROM divisions d WHERE d.id = matters.division_id);
CREATE INDEX matters_stats_township_idx ON matters (township_id, channel, kind, category, figure_flags, received_on);
