-- Makes the 3,000,000-matter statistics data set quickly: the matters of the 1M set
-- (10 townships) copied three times into a 30-township organisation, village by
-- village. Only the matters table is filled (statistics read nothing else); the real
-- generator (`fazhi demo --townships 30 --matters-per-township 100000`) takes about an
-- hour on 2 cores. Run in DIR: sqlite3 m3.db < copy3m.sql (m1.db beside it, migrated).
ATTACH 'm1.db' AS src;
CREATE TEMP TABLE sv AS
  SELECT v.id AS id, (SELECT COUNT(*) FROM src.divisions t2 WHERE t2.level = 'township' AND t2.id < t.id) AS t_ord,
         ROW_NUMBER() OVER (PARTITION BY v.parent_id ORDER BY v.id) - 1 AS v_ord
  FROM src.divisions v JOIN src.divisions t ON t.id = v.parent_id WHERE v.level = 'village';
CREATE TEMP TABLE tv AS
  SELECT v.id AS id, v.path AS path, v.parent_id AS township_id, (SELECT COUNT(*) FROM main.divisions t2 WHERE t2.level = 'township' AND t2.id < t.id) AS t_ord,
         ROW_NUMBER() OVER (PARTITION BY v.parent_id ORDER BY v.id) - 1 AS v_ord,
         COUNT(*) OVER (PARTITION BY v.parent_id) AS n
  FROM main.divisions v JOIN main.divisions t ON t.id = v.parent_id WHERE v.level = 'village';
CREATE TEMP TABLE vmap AS
  SELECT sv.id AS src_id, k.k AS k, tv.id AS dst_id, tv.path AS dst_path, tv.township_id AS dst_township
  FROM sv, (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2) k
  JOIN tv ON tv.t_ord = sv.t_ord + 10 * k.k AND tv.v_ord = sv.v_ord % tv.n;
SELECT COUNT(*), COUNT(DISTINCT dst_id) FROM vmap;
INSERT INTO main.matters (tracking_code, kind, channel, category, status, division_id, division_path, township_id, grid_id, summary, address, received_on, received_month, accepted_on, closed_on, due_kind, due_on, handling_due, paused, assignee_kind, assignee_id, assignee_path, supervision, closure_type, resolved, outcome, on_time, satisfaction, repeat_of, state, version, created_by, created_at, updated_at, source_ref, figure_flags)
SELECT m.tracking_code || vm.k, m.kind, m.channel, m.category, m.status, vm.dst_id, vm.dst_path, vm.dst_township, NULL, m.summary, m.address, m.received_on, m.received_month, m.accepted_on, m.closed_on, m.due_kind, m.due_on, m.handling_due, m.paused, NULL, NULL, NULL, m.supervision, m.closure_type, m.resolved, m.outcome, m.on_time, m.satisfaction, NULL, m.state, m.version, NULL, m.created_at, m.updated_at, NULL, m.figure_flags
FROM src.matters m JOIN vmap vm ON vm.src_id = m.division_id;
SELECT COUNT(*) FROM main.matters;
