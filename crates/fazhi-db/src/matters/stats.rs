//! Counts behind the statistics of `fazhi_core::stats`, grouped in SQL over the derived
//! columns. The definitions (what each count means) live in fazhi-core.

use fazhi_core::stats::MatterCounts;

use crate::sql::{Sql, row};
use crate::{Db, Result};

/// What to group by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Channel,
    Category,
    Month,
    Kind,
    /// The matter's own division (village or township).
    Division,
}

impl GroupBy {
    fn column(self) -> &'static str {
        match self {
            GroupBy::Channel => "m.channel",
            GroupBy::Category => "m.category",
            GroupBy::Month => "m.received_month",
            GroupBy::Kind => "m.kind",
            GroupBy::Division => "CAST(m.division_id AS TEXT)",
        }
    }
}

/// The SQL condition of each counted figure (besides `m.repeat_of IS NULL`), shared by
/// the counts and by the list of the matters a figure counts.
const FIGURES: [(&str, &str); 7] = [
    ("received", "1 = 1"),
    ("accepted", "m.accepted_on IS NOT NULL"),
    ("resolved", "m.resolved = 1"),
    ("closed", "m.closed_on IS NOT NULL"),
    ("closed_on_time", "m.on_time = 1"),
    (
        "evaluated",
        "m.satisfaction IN ('satisfied', 'basically_satisfied', 'dissatisfied')",
    ),
    (
        "satisfied",
        "m.satisfaction IN ('satisfied', 'basically_satisfied')",
    ),
];

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

row!(GroupRow {
    k: String,
    received: i64,
    accepted: i64,
    resolved: i64,
    closed: i64,
    closed_on_time: i64,
    evaluated: i64,
    satisfied: i64,
    repeats: i64,
});

/// Matters received in `[from, to]` inside the scope (and under `path` when given),
/// counted per group. Repeats are counted apart (see the definitions).
pub async fn grouped(
    db: &Db,
    roots: &[String],
    path: Option<&str>,
    from: &str,
    to: &str,
    by: GroupBy,
) -> Result<Vec<(String, MatterCounts)>> {
    const FIRST: &str = "m.repeat_of IS NULL";
    let mut q = Sql::new("SELECT ");
    q.push(by.column()).push(" AS k");
    for (name, cond) in FIGURES {
        q.push(", COALESCE(SUM(CASE WHEN ")
            .push(FIRST)
            .push(" AND ")
            .push(cond)
            .push(" THEN 1 ELSE 0 END), 0) AS ")
            .push(name);
    }
    q.push(", COALESCE(SUM(CASE WHEN m.repeat_of IS NOT NULL THEN 1 ELSE 0 END), 0) AS repeats");
    q.push(" FROM matters m WHERE ")
        .scope_any(&["m.division_path"], roots)
        .push(" AND m.received_on >= ")
        .bind(from.to_string())
        .push(" AND m.received_on <= ")
        .bind(to.to_string());
    if let Some(p) = path {
        q.push(" AND m.division_path LIKE ").bind(format!("{p}%"));
    }
    q.push(" GROUP BY ").push(by.column()).push(" ORDER BY k");
    let rows: Vec<GroupRow> = q.fetch_all(db.reader()).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.k,
                MatterCounts {
                    received: r.received,
                    accepted: r.accepted,
                    resolved: r.resolved,
                    closed: r.closed,
                    closed_on_time: r.closed_on_time,
                    evaluated: r.evaluated,
                    satisfied: r.satisfied,
                    repeats: r.repeats,
                },
            )
        })
        .collect())
}
