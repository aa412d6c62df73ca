//! Inspections and their outcome (纠违 when a violation is corrected without a penalty).

use fazhi_core::enforcement::{InspectionKind, InspectionOutcome};
use time::Date;

use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::{Db, Result, now_ms};

row!(
    /// One inspection with the name of its place.
    InspectionRow {
        id: i64,
        division_id: i64,
        division_name: String,
        division_path: String,
        on_date: Date,
        kind: InspectionKind,
        outcome: InspectionOutcome,
        target: String,
        findings: String,
        /// JSON array of the officers' user ids.
        officers: String,
        case_id: Option<i64>,
        matter_id: Option<i64>,
    }
);

const COLS: &str = "SELECT i.id, i.division_id, d.name AS division_name, i.division_path, i.on_date, i.kind, i.outcome, i.target, i.findings, i.officers, i.case_id, i.matter_id FROM inspections i JOIN divisions d ON d.id = i.division_id";

/// An inspection to store; the caller has checked it and its place's scope.
#[derive(Debug, Clone)]
pub struct NewInspection {
    pub division_id: i64,
    pub division_path: String,
    pub on_date: Date,
    pub kind: InspectionKind,
    pub outcome: InspectionOutcome,
    pub target: String,
    pub findings: String,
    pub officers: Vec<i64>,
    pub case_id: Option<i64>,
    pub matter_id: Option<i64>,
}

pub async fn create(db: &Db, actor: &Actor, n: &NewInspection) -> Result<i64> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "INSERT INTO inspections (division_id, division_path, on_date, kind, outcome, target, findings, officers, case_id, matter_id, created_by, created_at) VALUES (",
    );
    q.bind(n.division_id)
        .push(", ")
        .bind(n.division_path.clone());
    q.push(", ").bind(n.on_date).push(", ").bind(n.kind);
    q.push(", ")
        .bind(n.outcome)
        .push(", ")
        .bind(n.target.clone());
    q.push(", ").bind(n.findings.clone()).push(", ");
    q.bind(serde_json::to_string(&n.officers).expect("ids serialise"));
    q.push(", ").bind(n.case_id).push(", ").bind(n.matter_id);
    q.push(", ").bind(actor.id).push(", ").bind(now_ms());
    q.push(") RETURNING id");
    let id = q.fetch_one::<Count>(&mut tx).await?.0;
    audit::append_tx(
        &mut tx,
        actor,
        "enforcement.inspection",
        &format!("inspection:{id}"),
        n.outcome.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Inspections in scope on days `[from, to]`, newest first, optionally of one outcome.
pub async fn list(
    db: &Db,
    roots: &[String],
    from: Date,
    to: Date,
    outcome: Option<InspectionOutcome>,
    limit: i64,
) -> Result<Vec<InspectionRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE ").scope("i.division_path", roots);
    q.push(" AND i.on_date >= ")
        .bind(from)
        .push(" AND i.on_date <= ")
        .bind(to);
    if let Some(o) = outcome {
        q.push(" AND i.outcome = ").bind(o);
    }
    q.push(" ORDER BY i.on_date DESC, i.id DESC LIMIT ")
        .bind(limit);
    q.fetch_all(db.reader()).await
}

row!(OutcomeCount {
    outcome: InspectionOutcome,
    n: i64,
});

/// How many inspections in scope on `[from, to]` ended each way.
pub async fn counts(
    db: &Db,
    roots: &[String],
    from: Date,
    to: Date,
) -> Result<Vec<(InspectionOutcome, i64)>> {
    let mut q = Sql::new("SELECT i.outcome, COUNT(*) AS n FROM inspections i WHERE ");
    q.scope("i.division_path", roots);
    q.push(" AND i.on_date >= ")
        .bind(from)
        .push(" AND i.on_date <= ")
        .bind(to);
    q.push(" GROUP BY i.outcome");
    let rows: Vec<OutcomeCount> = q.fetch_all(db.reader()).await?;
    Ok(rows.into_iter().map(|r| (r.outcome, r.n)).collect())
}
