//! Emergency plans (应急预案) with their review and filing days, and the drills held on
//! them; the reminders (review due, not drilled within the period, not filed) are
//! decided by `fazhi_core::education::plan_reminders` from each plan's last drill.

use fazhi_core::education::{DrillFields, DrillForm, EmergencyPlanFields, PlanKind};
use time::Date;

use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::{Db, Result, now_ms};

row!(
    /// One plan with its place and its last drill.
    EmergencyPlanRow {
        id: i64,
        division_id: i64,
        division_code: String,
        division_name: String,
        division_path: String,
        kind: PlanKind,
        title: String,
        version_label: String,
        approved_on: Date,
        approved_by: String,
        filed_on: Option<Date>,
        next_review_on: Date,
        drill_years: i64,
        last_drill: Option<Date>,
        drills: i64,
        version: i64,
    }
);

row!(
    /// One drill.
    DrillRow {
        id: i64,
        plan_id: i64,
        plan_title: String,
        division_path: String,
        held_on: Date,
        scenario: String,
        form: DrillForm,
        participants: i64,
        evaluation: Option<String>,
        revisions: Option<String>,
        version: i64,
    }
);

const PLAN_COLS: &str = "SELECT p.id, p.division_id, d.code AS division_code, d.name AS division_name, p.division_path, p.kind, p.title, p.version_label, p.approved_on, p.approved_by, p.filed_on, p.next_review_on, p.drill_years, (SELECT MAX(r.held_on) FROM emergency_drills r WHERE r.plan_id = p.id) AS last_drill, (SELECT COUNT(*) FROM emergency_drills r WHERE r.plan_id = p.id) AS drills, p.version FROM emergency_plans p JOIN divisions d ON d.id = p.division_id";

const DRILL_COLS: &str = "SELECT r.id, r.plan_id, p.title AS plan_title, r.division_path, r.held_on, r.scenario, r.form, r.participants, r.evaluation, r.revisions, r.version FROM emergency_drills r JOIN emergency_plans p ON p.id = r.plan_id";

/// A plan to store: its place checked by the caller.
#[derive(Debug, Clone)]
pub struct NewPlan {
    pub division_id: i64,
    pub division_path: String,
    pub fields: EmergencyPlanFields,
}

fn bind_plan(q: &mut Sql, p: &NewPlan) {
    let f = &p.fields;
    q.bind(p.division_id)
        .push(", ")
        .bind(p.division_path.clone());
    q.push(", ").bind(f.kind).push(", ").bind(f.title.clone());
    q.push(", ")
        .bind(f.version_label.clone())
        .push(", ")
        .bind(f.approved_on);
    q.push(", ")
        .bind(f.approved_by.clone())
        .push(", ")
        .bind(f.filed_on);
    q.push(", ")
        .bind(f.next_review_on)
        .push(", ")
        .bind(f.drill_years);
}

/// Stores a plan with its audit row.
pub async fn create_plan(db: &Db, actor: &Actor, p: &NewPlan) -> Result<EmergencyPlanRow> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO emergency_plans (division_id, division_path, kind, title, version_label, approved_on, approved_by, filed_on, next_review_on, drill_years, version, created_by, created_at, updated_at) VALUES (",
    );
    bind_plan(&mut q, p);
    q.push(", 1, ").bind(actor.id).push(", ").bind(now);
    q.push(", ").bind(now).push(") RETURNING id");
    let id: Count = q.fetch_one(&mut *tx).await?;
    audit::append(
        &mut tx,
        actor,
        "education.emergency_plan.create",
        &format!("emergency_plan:{}", id.0),
        &p.fields.title,
    )
    .await?;
    tx.commit().await?;
    plan_by_id(db, id.0).await
}

/// Replaces a plan still at `version` (a revision: new version label, days), audited.
pub async fn update_plan(
    db: &Db,
    actor: &Actor,
    id: i64,
    version: i64,
    p: &NewPlan,
) -> Result<EmergencyPlanRow> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "UPDATE emergency_plans SET (division_id, division_path, kind, title, version_label, approved_on, approved_by, filed_on, next_review_on, drill_years) = (",
    );
    bind_plan(&mut q, p);
    q.push(")");
    q.execute_at_version(&mut *tx, now_ms(), id, version)
        .await?;
    // Drills follow their plan's place, so the plan's scope is theirs.
    let mut q = Sql::new("UPDATE emergency_drills SET division_path = ");
    q.bind(p.division_path.clone())
        .push(" WHERE plan_id = ")
        .bind(id);
    q.execute(&mut *tx).await?;
    audit::append(
        &mut tx,
        actor,
        "education.emergency_plan.update",
        &format!("emergency_plan:{id}"),
        &p.fields.version_label,
    )
    .await?;
    tx.commit().await?;
    plan_by_id(db, id).await
}

/// One plan, unscoped (callers check the scope on `division_path`).
pub async fn plan_by_id(db: &Db, id: i64) -> Result<EmergencyPlanRow> {
    let mut q = Sql::new(PLAN_COLS);
    q.push(" WHERE p.id = ").bind(id);
    q.fetch_one(db.reader()).await
}

/// Plans in scope, optionally under one place, by place and title.
pub async fn plans(db: &Db, roots: &[String], path: Option<&str>) -> Result<Vec<EmergencyPlanRow>> {
    let mut q = Sql::new(PLAN_COLS);
    q.push(" WHERE ").scope("p.division_path", roots);
    if let Some(p) = path {
        q.push(" AND p.division_path LIKE ").bind(format!("{p}%"));
    }
    q.push(" ORDER BY d.code, p.kind, p.id LIMIT 2000");
    q.fetch_all(db.reader()).await
}

/// A drill to store on a plan (checked in scope by the caller).
#[derive(Debug, Clone)]
pub struct NewDrill {
    pub plan_id: i64,
    pub division_path: String,
    pub fields: DrillFields,
}

/// Stores a drill with its audit row.
pub async fn create_drill(db: &Db, actor: &Actor, d: &NewDrill) -> Result<DrillRow> {
    let f = &d.fields;
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO emergency_drills (plan_id, division_path, held_on, held_year, scenario, form, participants, evaluation, revisions, version, created_by, created_at, updated_at) VALUES (",
    );
    q.bind(d.plan_id).push(", ").bind(d.division_path.clone());
    q.push(", ")
        .bind(f.held_on)
        .push(", ")
        .bind(f.held_on.year() as i64);
    q.push(", ")
        .bind(f.scenario.clone())
        .push(", ")
        .bind(f.form);
    q.push(", ")
        .bind(f.participants)
        .push(", ")
        .bind(f.evaluation.clone());
    q.push(", ").bind(f.revisions.clone());
    q.push(", 1, ").bind(actor.id).push(", ").bind(now);
    q.push(", ").bind(now).push(") RETURNING id");
    let id: Count = q.fetch_one(&mut *tx).await?;
    audit::append(
        &mut tx,
        actor,
        "education.drill.create",
        &format!("emergency_drill:{}", id.0),
        &format!("emergency_plan:{}", d.plan_id),
    )
    .await?;
    tx.commit().await?;
    let mut q = Sql::new(DRILL_COLS);
    q.push(" WHERE r.id = ").bind(id.0);
    q.fetch_one(db.reader()).await
}

/// The drills of a plan, the latest first.
pub async fn drills_of(db: &Db, plan_id: i64) -> Result<Vec<DrillRow>> {
    let mut q = Sql::new(DRILL_COLS);
    q.push(" WHERE r.plan_id = ").bind(plan_id);
    q.push(" ORDER BY r.held_on DESC, r.id DESC");
    q.fetch_all(db.reader()).await
}
