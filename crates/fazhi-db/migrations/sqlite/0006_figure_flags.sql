-- Statistics at scale. `figure_flags` holds, as bits, the counted figures a matter is in
-- (1 repeat, 2 accepted, 4 resolved, 8 closed, 16 closed on time, 32 evaluated,
-- 64 satisfied; see fazhi-db's matters::derive), written with the other derived columns.
-- Two covering indexes let the statistics count flag combinations without reading rows:
-- by place and month (ranges per division), and by channel, kind and category (in
-- group order, for areas too large to sort).
ALTER TABLE matters ADD COLUMN figure_flags INTEGER NOT NULL DEFAULT 0;
UPDATE matters SET figure_flags =
    (CASE WHEN repeat_of IS NOT NULL THEN 1 ELSE 0 END)
    + (CASE WHEN accepted_on IS NOT NULL THEN 2 ELSE 0 END)
    + (CASE WHEN resolved = 1 THEN 4 ELSE 0 END)
    + (CASE WHEN closed_on IS NOT NULL THEN 8 ELSE 0 END)
    + (CASE WHEN on_time = 1 THEN 16 ELSE 0 END)
    + (CASE WHEN satisfaction IN ('satisfied', 'basically_satisfied', 'dissatisfied') THEN 32 ELSE 0 END)
    + (CASE WHEN satisfaction IN ('satisfied', 'basically_satisfied') THEN 64 ELSE 0 END);
CREATE INDEX matters_stats_place_idx ON matters (division_id, received_month, figure_flags, channel, kind, category, received_on);
CREATE INDEX matters_stats_kind_idx ON matters (channel, kind, category, figure_flags, division_path, received_on);
