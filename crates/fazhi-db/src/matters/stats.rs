//! Counts behind the statistics of `fazhi_core::stats`, grouped in SQL over the derived
//! columns. The definitions (what each count means) live in fazhi-core.

use fazhi_core::stats::MatterCounts;

use crate::sql::{Sql, row};
use crate::{Backend, Db, Result};
use fazhi_core::stats::Figure;

row!(TallyRow {
    a: String,
    b: String,
    c: String,
    received: i64,
    accepted: i64,
    resolved: i64,
    closed: i64,
    closed_on_time: i64,
    evaluated: i64,
    satisfied: i64,
    repeats: i64,
    reopened: i64,
});

impl TallyRow {
    fn counts(&self) -> MatterCounts {
        MatterCounts {
            received: self.received,
            accepted: self.accepted,
            resolved: self.resolved,
            closed: self.closed,
            closed_on_time: self.closed_on_time,
            evaluated: self.evaluated,
            satisfied: self.satisfied,
            repeats: self.repeats,
            reopened: self.reopened,
        }
    }
}

row!(AreaDivision {
    id: i64,
    parent_id: Option<i64>,
    level: fazhi_core::division::Level,
});

/// Counts of the matters received in a period, by place and month and by channel,
/// kind and category; every breakdown (and the total) is a sum of one of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tallies {
    /// ((division id, month `YYYY-MM`), counts).
    pub by_place_month: Vec<((i64, String), MatterCounts)>,
    /// ((channel, kind, category), counts).
    pub by_class: Vec<((String, String, String), MatterCounts)>,
}

/// Matters received in `[from, to]` inside the scope (and under `path` when given),
/// counted as the definitions of `fazhi_core::stats` say (repeats apart). Both passes
/// read covering indexes only and run at once. The class pass reads
/// matters_stats_township_idx (migration 0009) in group order, township by township,
/// when `by_township` and the area is made of whole townships; otherwise (a village, a
/// scope of villages, or `by_township` false) it sorts the area's matters.
pub async fn tallies(
    db: &Db,
    roots: &[String],
    path: Option<&str>,
    from: &str,
    to: &str,
    by_township: bool,
) -> Result<Tallies> {
    let area = Area::read(db, roots, path).await?;
    if area.ids.is_empty() {
        return Ok(Tallies::default());
    }
    let b = db.backend;
    let place = place_query(b, &area, from, to);
    let class = match area.whole_townships().filter(|_| by_township) {
        Some(t) => township_class_query(b, &area, &t, from, to),
        None => class_query(b, &area, from, to),
    };
    let (places, classes): (Vec<TallyRow>, Vec<TallyRow>) =
        tokio::try_join!(place.fetch_all(db.reader()), class.fetch_all(db.reader()))?;
    let mut by_place_month = std::collections::BTreeMap::<(i64, String), MatterCounts>::new();
    for r in places {
        let (id, c) = (r.a.parse().unwrap_or_default(), r.counts());
        *by_place_month.entry((id, r.b)).or_default() += c;
    }
    let mut by_class = std::collections::BTreeMap::<(String, String, String), MatterCounts>::new();
    for r in classes {
        let c = r.counts();
        *by_class.entry((r.a, r.b, r.c)).or_default() += c;
    }
    Ok(Tallies {
        by_place_month: by_place_month.into_iter().collect(),
        by_class: by_class.into_iter().collect(),
    })
}

/// Areas with more divisions than this are matched by a subquery over the divisions
/// instead of a list of ids (each id is a bound parameter).
const LISTED_DIVISIONS: usize = 1000;

/// The divisions of an area inside the scope.
struct Area<'a> {
    roots: &'a [String],
    path: Option<&'a str>,
    /// In id order.
    ids: Vec<i64>,
    divisions: Vec<AreaDivision>,
}

impl<'a> Area<'a> {
    async fn read(db: &Db, roots: &'a [String], path: Option<&'a str>) -> Result<Area<'a>> {
        let mut q = Sql::new("SELECT d.id, d.parent_id, d.level FROM divisions d WHERE ");
        push_area_condition(&mut q, roots, path);
        q.push(" ORDER BY d.id");
        let divisions: Vec<AreaDivision> = q.fetch_all(db.reader()).await?;
        let ids = divisions.iter().map(|d| d.id).collect();
        Ok(Area {
            roots,
            path,
            ids,
            divisions,
        })
    }

    /// The ids of the divisions above village level, when the area's matters are
    /// exactly those whose `township_id` is one of them, i.e. every village of the area
    /// has its parent in the area too (not so for a village alone or a scope of villages).
    fn whole_townships(&self) -> Option<Vec<i64>> {
        let townships: std::collections::BTreeSet<i64> = self
            .divisions
            .iter()
            .filter(|d| d.level != fazhi_core::division::Level::Village)
            .map(|d| d.id)
            .collect();
        let whole = self
            .divisions
            .iter()
            .filter(|d| d.level == fazhi_core::division::Level::Village)
            .all(|v| v.parent_id.is_some_and(|p| townships.contains(&p)));
        (whole && !townships.is_empty()).then(|| townships.into_iter().collect())
    }

    /// `m.division_id IN (…)`. Listed ids let PostgreSQL read the place index in order
    /// and count without hashing (30–36 against 41–68 ms for a township); very large
    /// areas get a subquery.
    fn push_divisions(&self, q: &mut Sql) {
        if self.ids.len() > LISTED_DIVISIONS {
            q.push("m.division_id IN (SELECT d.id FROM divisions d WHERE ");
            push_area_condition(q, self.roots, self.path);
            q.push(")");
        } else {
            q.push("m.division_id IN (");
            push_ids(q, &self.ids);
            q.push(")");
        }
    }
}

/// The scope, and the subtree of `path` when given, on `d.path`.
fn push_area_condition(q: &mut Sql, roots: &[String], path: Option<&str>) {
    q.scope("d.path", roots);
    if let Some(p) = path {
        q.push(" AND d.path LIKE ").bind(format!("{p}%"));
    }
}

fn push_ids(q: &mut Sql, ids: &[i64]) {
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(*id);
    }
}

/// The counts of [`MatterCounts`] over `(SELECT …, f, n …)`, rows of `n` matters that
/// all have the figure flags `f`: a figure adds up the rows with its bit that are not
/// repeats; repeats count apart. Counting in SQL hands over one row per group instead
/// of one per group and flag combination (ten times fewer).
static COUNTS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let sum = |mask: i64, value: i64, name: &str| {
        format!("CAST(SUM(CASE WHEN (f & {mask}) = {value} THEN n ELSE 0 END) AS BIGINT) AS {name}")
    };
    Figure::ALL
        .into_iter()
        .map(|f| {
            let (mask, value) = f.flag_test();
            sum(mask, value, f.key())
        })
        .collect::<Vec<_>>()
        .join(", ")
});

/// Starts `SELECT a, b, c, <COUNTS> FROM (SELECT `: the caller writes the inner
/// select, which must give `a`, `b`, `c`, `f` and `n` and group by flags last.
fn outer() -> Sql {
    let mut q = Sql::new("SELECT a, b, c, ");
    q.push(COUNTS.as_str()).push(" FROM (SELECT ");
    q
}

/// `received_on` in `[from, to]`. On SQLite the unary `+` keeps the planner off the
/// received-date index: with ANALYZE statistics it prefers that index and then reads
/// every matter of the period from the table (12 s for one village of the 3M set).
/// PostgreSQL has no unary `+` for text and plans these well from its statistics.
fn push_period(q: &mut Sql, backend: Backend, from: &str, to: &str) {
    let col = match backend {
        Backend::Sqlite => " AND +m.received_on ",
        Backend::Postgres => " AND m.received_on ",
    };
    q.push(col).push(">= ").bind(from.to_string());
    q.push(col).push("<= ").bind(to.to_string());
}

/// Counts by division and month: index ranges per division of the area.
fn place_query(b: Backend, area: &Area, from: &str, to: &str) -> Sql {
    let mut q = outer();
    q.push("CAST(m.division_id AS TEXT) AS a, m.received_month AS b, '' AS c, m.figure_flags AS f, COUNT(*) AS n FROM matters m WHERE ");
    area.push_divisions(&mut q);
    q.push(" AND m.received_month >= ")
        .bind(from.get(..7).unwrap_or(from).to_string());
    q.push(" AND m.received_month <= ")
        .bind(to.get(..7).unwrap_or(to).to_string());
    push_period(&mut q, b, from, to);
    q.push(" GROUP BY m.division_id, m.received_month, m.figure_flags) t GROUP BY a, b, c");
    q
}

/// Counts by channel, kind and category of the area's matters, sorted.
fn class_query(b: Backend, area: &Area, from: &str, to: &str) -> Sql {
    let mut q = outer();
    q.push("m.channel AS a, m.kind AS b, m.category AS c, m.figure_flags AS f, COUNT(*) AS n FROM matters m WHERE ");
    area.push_divisions(&mut q);
    push_period(&mut q, b, from, to);
    q.push(" GROUP BY m.channel, m.kind, m.category, m.figure_flags) t GROUP BY a, b, c");
    q
}

/// The same counts, read township by township of `townships` (the area's, see
/// [`Area::whole_townships`]) in the order of matters_stats_township_idx, so the
/// matters are not sorted (only the groups, to add up the townships).
fn township_class_query(b: Backend, area: &Area, townships: &[i64], from: &str, to: &str) -> Sql {
    let mut q = outer();
    q.push("m.channel AS a, m.kind AS b, m.category AS c, m.figure_flags AS f, COUNT(*) AS n FROM matters m WHERE m.township_id IN (");
    if townships.len() > LISTED_DIVISIONS {
        q.push("SELECT d.id FROM divisions d WHERE d.level <> 'village' AND ");
        push_area_condition(&mut q, area.roots, area.path);
    } else {
        push_ids(&mut q, townships);
    }
    q.push(")");
    push_period(&mut q, b, from, to);
    q.push(" GROUP BY m.township_id, m.channel, m.kind, m.category, m.figure_flags) t GROUP BY a, b, c");
    q
}
