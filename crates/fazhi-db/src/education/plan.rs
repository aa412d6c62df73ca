//! The township's yearly 普法 plan and 谁执法谁普法 responsibility list: per unit, the
//! laws it publicises and the activities it plans. Progress is counted from the
//! recorded events by `fazhi_core::education::plan_progress`, never typed.

use fazhi_core::education::{EventKind, PlanEvent, PlanFacts, PlanItemFields};

use super::{join_laws, laws_of};
use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::{Db, Result, now_ms};

row!(
    /// One plan item with its unit's name.
    PlanItemRow {
        id: i64,
        township_id: i64,
        township_code: String,
        township_name: String,
        division_path: String,
        year: i64,
        unit_id: i64,
        unit_name: String,
        laws: String,
        kind: Option<EventKind>,
        planned: i64,
        note: Option<String>,
        version: i64,
    }
);

impl PlanItemRow {
    /// What progress needs of the item.
    pub fn facts(&self) -> PlanFacts {
        PlanFacts {
            unit_id: self.unit_id,
            kind: self.kind,
            laws: laws_of(&self.laws),
        }
    }
}

row!(PlanEventRow {
    unit_id: Option<i64>,
    kind: EventKind,
    laws: String,
});

const COLS: &str = "SELECT p.id, p.township_id, d.code AS township_code, d.name AS township_name, p.division_path, p.year, p.unit_id, u.name AS unit_name, p.laws, p.kind, p.planned, p.note, p.version FROM publicity_plan_items p JOIN divisions d ON d.id = p.township_id JOIN units u ON u.id = p.unit_id";

/// A plan item to store: the township and unit checked by the caller.
#[derive(Debug, Clone)]
pub struct NewPlanItem {
    pub township_id: i64,
    pub division_path: String,
    pub unit_id: i64,
    pub fields: PlanItemFields,
}

fn bind_fields(q: &mut Sql, p: &NewPlanItem) {
    let f = &p.fields;
    q.bind(p.township_id)
        .push(", ")
        .bind(p.division_path.clone());
    q.push(", ").bind(f.year as i64).push(", ").bind(p.unit_id);
    q.push(", ")
        .bind(join_laws(&f.laws))
        .push(", ")
        .bind(f.kind);
    q.push(", ").bind(f.planned).push(", ").bind(f.note.clone());
}

/// Stores a plan item with its audit row.
pub async fn create(db: &Db, actor: &Actor, p: &NewPlanItem) -> Result<PlanItemRow> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO publicity_plan_items (township_id, division_path, year, unit_id, laws, kind, planned, note, version, created_by, created_at, updated_at) VALUES (",
    );
    bind_fields(&mut q, p);
    q.push(", 1, ").bind(actor.id).push(", ").bind(now);
    q.push(", ").bind(now).push(") RETURNING id");
    let id: Count = q.fetch_one(&mut *tx).await?;
    audit::append(
        &mut tx,
        actor,
        "education.plan.create",
        &format!("plan_item:{}", id.0),
        &format!("{} {}", p.fields.year, p.unit_id),
    )
    .await?;
    tx.commit().await?;
    by_id(db, id.0).await
}

/// Replaces a plan item still at `version`, audited.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    version: i64,
    p: &NewPlanItem,
) -> Result<PlanItemRow> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "UPDATE publicity_plan_items SET (township_id, division_path, year, unit_id, laws, kind, planned, note) = (",
    );
    bind_fields(&mut q, p);
    q.push(")");
    q.execute_at_version(&mut *tx, now_ms(), id, version)
        .await?;
    audit::append(
        &mut tx,
        actor,
        "education.plan.update",
        &format!("plan_item:{id}"),
        &p.fields.year.to_string(),
    )
    .await?;
    tx.commit().await?;
    by_id(db, id).await
}

/// One plan item, unscoped (callers check the scope on `division_path`).
pub async fn by_id(db: &Db, id: i64) -> Result<PlanItemRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE p.id = ").bind(id);
    q.fetch_one(db.reader()).await
}

/// The plan items in scope of a year, optionally of one township.
pub async fn list(
    db: &Db,
    roots: &[String],
    path: Option<&str>,
    year: i32,
) -> Result<Vec<PlanItemRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE ").scope("p.division_path", roots);
    if let Some(p) = path {
        q.push(" AND p.division_path LIKE ").bind(format!("{p}%"));
    }
    q.push(" AND p.year = ").bind(year as i64);
    q.push(" ORDER BY d.code, u.name, p.id LIMIT 2000");
    q.fetch_all(db.reader()).await
}

/// The events with an organising unit held in `year` under `path` (a township's): what
/// progress against its plan is counted from.
pub async fn events_for(db: &Db, path: &str, year: i32) -> Result<Vec<PlanEvent>> {
    let mut q = Sql::new(
        "SELECT e.unit_id, e.kind, e.laws FROM publicity_events e WHERE e.unit_id IS NOT NULL AND e.held_year = ",
    );
    q.bind(year as i64).push(" AND e.division_path LIKE ");
    q.bind(format!("{path}%"));
    let rows: Vec<PlanEventRow> = q.fetch_all(db.reader()).await?;
    Ok(rows
        .into_iter()
        .map(|r| PlanEvent {
            unit_id: r.unit_id,
            kind: r.kind,
            laws: laws_of(&r.laws),
        })
        .collect())
}
