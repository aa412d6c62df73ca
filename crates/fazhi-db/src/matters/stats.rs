//! Counts behind the statistics of `fazhi_core::stats`, grouped in SQL over the derived
//! columns. The definitions (what each count means) live in fazhi-core.

use fazhi_core::stats::MatterCounts;

use super::derive::flag;
use crate::sql::{Sql, row};
use crate::{Db, Result};

/// The list condition of a figure by name (`repeats` included), as counted above.
pub fn figure_condition(name: &str) -> Option<&'static str> {
    const LIST: [(&str, &str); 8] = [
        ("received", "m.repeat_of IS NULL"),
        (
            "accepted",
            "m.repeat_of IS NULL AND m.accepted_on IS NOT NULL",
        ),
        ("resolved", "m.repeat_of IS NULL AND m.resolved = 1"),
        ("closed", "m.repeat_of IS NULL AND m.closed_on IS NOT NULL"),
        ("closed_on_time", "m.repeat_of IS NULL AND m.on_time = 1"),
        (
            "evaluated",
            "m.repeat_of IS NULL AND m.satisfaction IN ('satisfied', 'basically_satisfied', 'dissatisfied')",
        ),
        (
            "satisfied",
            "m.repeat_of IS NULL AND m.satisfaction IN ('satisfied', 'basically_satisfied')",
        ),
        ("repeats", "m.repeat_of IS NOT NULL"),
    ];
    LIST.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

row!(TallyRow {
    a: String,
    b: String,
    c: String,
    figure_flags: i64,
    n: i64,
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
/// read covering indexes only (migration 0006), group by `figure_flags` and run at
/// once. `scan` (for areas above a township) reads the whole class index in group order
/// instead of sorting the area's matters.
pub async fn tallies(
    db: &Db,
    roots: &[String],
    path: Option<&str>,
    from: &str,
    to: &str,
    scan: bool,
) -> Result<Tallies> {
    let place = place_query(roots, path, from, to);
    let class = class_query(roots, path, from, to, scan);
    let (places, classes): (Vec<TallyRow>, Vec<TallyRow>) =
        tokio::try_join!(place.fetch_all(db.reader()), class.fetch_all(db.reader()))?;
    let mut by_place_month = std::collections::BTreeMap::<(i64, String), MatterCounts>::new();
    for r in places {
        let id = r.a.parse().unwrap_or_default();
        *by_place_month.entry((id, r.b)).or_default() += counts(r.figure_flags, r.n);
    }
    let mut by_class = std::collections::BTreeMap::<(String, String, String), MatterCounts>::new();
    for r in classes {
        *by_class.entry((r.a, r.b, r.c)).or_default() += counts(r.figure_flags, r.n);
    }
    Ok(Tallies {
        by_place_month: by_place_month.into_iter().collect(),
        by_class: by_class.into_iter().collect(),
    })
}

/// `m.division_id IN (the divisions of the area inside the scope)`.
fn push_divisions(q: &mut Sql, roots: &[String], path: Option<&str>) {
    q.push("m.division_id IN (SELECT d.id FROM divisions d WHERE ")
        .scope("d.path", roots);
    if let Some(p) = path {
        q.push(" AND d.path LIKE ").bind(format!("{p}%"));
    }
    q.push(")");
}

/// Counts by division, month and flags: index ranges per division of the area.
fn place_query(roots: &[String], path: Option<&str>, from: &str, to: &str) -> Sql {
    let mut q = Sql::new(
        "SELECT CAST(m.division_id AS TEXT) AS a, m.received_month AS b, '' AS c, m.figure_flags, COUNT(*) AS n FROM matters m WHERE ",
    );
    push_divisions(&mut q, roots, path);
    q.push(" AND m.received_month >= ")
        .bind(from.get(..7).unwrap_or(from).to_string());
    q.push(" AND m.received_month <= ")
        .bind(to.get(..7).unwrap_or(to).to_string());
    q.push(" AND m.received_on >= ").bind(from.to_string());
    q.push(" AND m.received_on <= ").bind(to.to_string());
    q.push(" GROUP BY m.division_id, m.received_month, m.figure_flags");
    q
}

/// Counts by channel, kind, category and flags: the area's matters sorted, or (`scan`)
/// the whole class index read in group order.
fn class_query(roots: &[String], path: Option<&str>, from: &str, to: &str, scan: bool) -> Sql {
    let mut q = Sql::new(
        "SELECT m.channel AS a, m.kind AS b, m.category AS c, m.figure_flags, COUNT(*) AS n FROM matters m WHERE ",
    );
    if !scan {
        push_divisions(&mut q, roots, path);
        q.push(" AND m.received_on >= ").bind(from.to_string());
        q.push(" AND m.received_on <= ").bind(to.to_string());
    } else {
        // `|| ''` keeps the planner off the received-date index, so it reads
        // matters_stats_kind_idx in group order rather than sorting millions of rows.
        q.scope("m.division_path", roots);
        if let Some(p) = path {
            q.push(" AND m.division_path LIKE ").bind(format!("{p}%"));
        }
        q.push(" AND m.received_on || '' >= ")
            .bind(from.to_string());
        q.push(" AND m.received_on || '' <= ").bind(to.to_string());
    }
    q.push(" GROUP BY m.channel, m.kind, m.category, m.figure_flags");
    q
}

/// The counts of `n` matters that all have the flags `f`.
fn counts(f: i64, n: i64) -> MatterCounts {
    let on = |bit: i64| if f & bit != 0 { n } else { 0 };
    if f & flag::REPEAT != 0 {
        return MatterCounts {
            repeats: n,
            ..MatterCounts::default()
        };
    }
    MatterCounts {
        received: n,
        accepted: on(flag::ACCEPTED),
        resolved: on(flag::RESOLVED),
        closed: on(flag::CLOSED),
        closed_on_time: on(flag::ON_TIME),
        evaluated: on(flag::EVALUATED),
        satisfied: on(flag::SATISFIED),
        repeats: 0,
    }
}
