//! Monthly sweeps (排查) per grid: found matters linked, or a zero report.

use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::{Db, DbError, Result, now_ms};

/// A sweep to store; the caller has checked the grid and the matters are in scope.
#[derive(Debug, Clone)]
pub struct NewSweep {
    pub grid_id: i64,
    /// `YYYY-MM`.
    pub month: String,
    pub zero_report: bool,
    pub note: String,
    pub matter_ids: Vec<i64>,
}

/// Stores a sweep with its links; a second one for the same grid and month is a
/// conflict on `month`, and a zero report for a grid with a matter received that month
/// a conflict on `zero_report` (checked in the write, so a report filed meanwhile counts).
pub async fn submit(db: &Db, actor: &Actor, s: &NewSweep) -> Result<i64> {
    let mut tx = db.begin().await?;
    if s.zero_report {
        let n = reported_q(s.grid_id, &s.month)
            .fetch_one::<Count>(&mut *tx)
            .await?
            .0;
        if n > 0 {
            return Err(DbError::Conflict {
                field: "zero_report",
                message: format!(
                    "本网格{}已上报{n}件事项，不能提交零报告，请勾选所发现的事项",
                    s.month
                ),
            });
        }
    }
    let mut q = Sql::new(
        "INSERT INTO sweeps (grid_id, month, zero_report, note, submitted_by, submitted_at) VALUES (",
    );
    q.bind(s.grid_id)
        .push(", ")
        .bind(s.month.clone())
        .push(", ");
    q.bind(i64::from(s.zero_report))
        .push(", ")
        .bind(s.note.clone());
    q.push(", ").bind(actor.id).push(", ").bind(now_ms());
    q.push(") RETURNING id");
    let id = q.fetch_one::<Count>(&mut *tx).await?.0;
    for m in &s.matter_ids {
        let mut q = Sql::new("INSERT INTO sweep_matters (sweep_id, matter_id) VALUES (");
        q.bind(id).push(", ").bind(*m).push(")");
        q.execute(&mut *tx).await.map_err(|e| match e {
            DbError::Conflict { .. } => DbError::Conflict {
                field: "matter_ids",
                message: "同一事项不能重复列入".into(),
            },
            other => other,
        })?;
    }
    audit::append(
        &mut tx,
        actor,
        "sweep.submit",
        &format!("grid:{}", s.grid_id),
        &format!(
            "{} {}",
            s.month,
            if s.zero_report {
                "zero".to_string()
            } else {
                format!("{} matters", s.matter_ids.len())
            }
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

row!(
    /// One grid of an area with its sweep for a month, if submitted.
    SweepStatusRow {
        grid_id: i64,
        grid_name: String,
        village_code: String,
        village_name: String,
        sweep_id: Option<i64>,
        zero_report: Option<bool>,
        matters: i64,
        submitted_at: Option<i64>,
    }
);

/// Every grid under `path` (inside the scope) with its sweep for `month`.
pub async fn status(
    db: &Db,
    roots: &[String],
    path: &str,
    month: &str,
) -> Result<Vec<SweepStatusRow>> {
    let mut q = Sql::new(
        "SELECT g.id AS grid_id, g.name AS grid_name, d.code AS village_code, d.name AS village_name, s.id AS sweep_id, s.zero_report, (SELECT COUNT(*) FROM sweep_matters sm WHERE sm.sweep_id = s.id) AS matters, s.submitted_at FROM grids g JOIN divisions d ON d.id = g.division_id LEFT JOIN sweeps s ON s.grid_id = g.id AND s.month = ",
    );
    q.bind(month.to_string())
        .push(" WHERE ")
        .scope("d.path", roots)
        .push(" AND d.path LIKE ")
        .bind(format!("{path}%"))
        .push(" ORDER BY d.code, g.name");
    q.fetch_all(db.reader()).await
}

/// Matters of a grid received in `month` (`YYYY-MM`): the place-and-month index finds
/// them through the grid's village.
fn reported_q(grid_id: i64, month: &str) -> Sql {
    let mut q = Sql::new(
        "SELECT COUNT(*) FROM matters m JOIN grids g ON g.id = m.grid_id AND m.division_id = g.division_id WHERE g.id = ",
    );
    q.bind(grid_id)
        .push(" AND m.received_month = ")
        .bind(month.to_string());
    q
}

/// How many matters a grid reported (received with the grid named) in `month`.
pub async fn reported(db: &Db, grid_id: i64, month: &str) -> Result<i64> {
    Ok(reported_q(grid_id, month)
        .fetch_one::<Count>(db.reader())
        .await?
        .0)
}
