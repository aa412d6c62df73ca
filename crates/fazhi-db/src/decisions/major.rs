//! Major decisions: the yearly catalogue per township and its decisions, each changed
//! one action at a time in one transaction with its timeline entry and audit row.

use fazhi_core::decisions::{CatalogueState, DecisionActionCode, DecisionState, DecisionStatus};
use time::Date;

use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::timeline::{Entry, Timeline};
use crate::{Db, DbError, Result, now_ms};

/// The timeline of these records.
const EVENTS: Timeline = Timeline {
    insert: "INSERT INTO major_decision_events (decision_id, at, on_date, actor_id, actor, action, to_status, note) VALUES (",
    from_status: false,
    payload: false,
};

row!(
    /// One township's catalogue of a year.
    CatalogueRow {
        id: i64,
        township_id: i64,
        township_name: String,
        township_path: String,
        year: i64,
        published_on: Option<Date>,
        state: String,
        version: i64,
    }
);

impl CatalogueRow {
    pub fn state(&self) -> Result<CatalogueState> {
        serde_json::from_str(&self.state)
            .map_err(|e| DbError::Config(format!("catalogue {} is damaged: {e}", self.id)))
    }
}

row!(
    /// One decision.
    DecisionRow {
        id: i64,
        catalogue_id: i64,
        division_path: String,
        title: String,
        status: DecisionStatus,
        state: String,
        version: i64,
    }
);

impl DecisionRow {
    pub fn state(&self) -> Result<DecisionState> {
        serde_json::from_str(&self.state)
            .map_err(|e| DbError::Config(format!("decision {} is damaged: {e}", self.id)))
    }
}

row!(
    /// One timeline entry of a decision.
    DecisionEventRow {
        id: i64,
        decision_id: i64,
        on_date: Date,
        actor: String,
        action: DecisionActionCode,
        to_status: DecisionStatus,
        note: String,
    }
);

const CAT_COLS: &str = "SELECT c.id, c.township_id, d.name AS township_name, c.township_path, c.year, c.published_on, c.state, c.version FROM decision_catalogues c JOIN divisions d ON d.id = c.township_id";
const DEC_COLS: &str =
    "SELECT id, catalogue_id, division_path, title, status, state, version FROM major_decisions";

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("state serialises")
}

/// The catalogue of a township and year, created empty when missing.
pub async fn catalogue_for(
    db: &Db,
    actor: &Actor,
    township_id: i64,
    township_path: &str,
    year: i32,
) -> Result<CatalogueRow> {
    let mut q = Sql::new(CAT_COLS);
    q.push(" WHERE c.township_id = ")
        .bind(township_id)
        .push(" AND c.year = ")
        .bind(i64::from(year));
    if let Some(r) = q.fetch_optional(db.reader()).await? {
        return Ok(r);
    }
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO decision_catalogues (township_id, township_path, year, state, version, created_at, updated_at) VALUES (",
    );
    q.bind(township_id)
        .push(", ")
        .bind(township_path.to_string());
    q.push(", ").bind(i64::from(year)).push(", ");
    q.bind(json(&CatalogueState::default()))
        .push(", 1, ")
        .bind(now);
    q.push(", ")
        .bind(now)
        .push(") ON CONFLICT DO NOTHING RETURNING id");
    let id = q.fetch_optional::<Count>(&mut tx).await?;
    if let Some(Count(id)) = id {
        audit::append_tx(
            &mut tx,
            actor,
            "decision_catalogue.create",
            &format!("decision_catalogue:{id}"),
            &year.to_string(),
        )
        .await?;
    }
    tx.commit().await?;
    let mut q = Sql::new(CAT_COLS);
    q.push(" WHERE c.township_id = ")
        .bind(township_id)
        .push(" AND c.year = ")
        .bind(i64::from(year));
    q.fetch_one(db.reader()).await
}

/// A catalogue by id in scope; out of scope is `NotFound`.
pub async fn catalogue(db: &Db, roots: &[String], id: i64) -> Result<CatalogueRow> {
    let mut q = Sql::new(CAT_COLS);
    q.push(" WHERE c.id = ")
        .bind(id)
        .push(" AND ")
        .scope("c.township_path", roots);
    q.fetch_one(db.reader()).await
}

/// Catalogues in scope, newest year first.
pub async fn catalogues(db: &Db, roots: &[String]) -> Result<Vec<CatalogueRow>> {
    let mut q = Sql::new(CAT_COLS);
    q.push(" WHERE ")
        .scope("c.township_path", roots)
        .push(" ORDER BY c.year DESC, c.id");
    q.fetch_all(db.reader()).await
}

/// Published catalogues of a township (public, no scope).
pub async fn published_catalogues(db: &Db, township_path: &str) -> Result<Vec<CatalogueRow>> {
    let mut q = Sql::new(CAT_COLS);
    q.push(" WHERE c.published_on IS NOT NULL AND c.township_path = ")
        .bind(township_path.to_string())
        .push(" ORDER BY c.year DESC");
    q.fetch_all(db.reader()).await
}

/// Stores a catalogue's new state (version-checked, audited).
pub async fn save_catalogue(
    db: &Db,
    actor: &Actor,
    row: &CatalogueRow,
    next: &CatalogueState,
    what: &str,
) -> Result<CatalogueRow> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("UPDATE decision_catalogues SET published_on = ");
    q.bind(next.published_on)
        .push(", state = ")
        .bind(json(next));
    q.execute_at_version(&mut tx, now_ms(), row.id, row.version)
        .await?;
    audit::append_tx(
        &mut tx,
        actor,
        &format!("decision_catalogue.{what}"),
        &format!("decision_catalogue:{}", row.id),
        &row.year.to_string(),
    )
    .await?;
    tx.commit().await?;
    let mut q = Sql::new(CAT_COLS);
    q.push(" WHERE c.id = ").bind(row.id);
    q.fetch_one(db.reader()).await
}

/// Adds a decision to a catalogue, with the catalogue's new state (an adjustment when
/// it was already published), in one transaction.
pub async fn add_decision(
    db: &Db,
    actor: &Actor,
    cat: &CatalogueRow,
    cat_next: &CatalogueState,
    s: &DecisionState,
    today: Date,
) -> Result<DecisionRow> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new("UPDATE decision_catalogues SET state = ");
    q.bind(json(cat_next))
        .push(", version = version + 1, updated_at = ")
        .bind(now);
    q.push(" WHERE id = ")
        .bind(cat.id)
        .push(" AND version = ")
        .bind(cat.version);
    if q.execute(&mut tx).await? != 1 {
        return Err(DbError::Stale);
    }
    let mut q = Sql::new(
        "INSERT INTO major_decisions (catalogue_id, division_path, title, status, state, version, created_at, updated_at) VALUES (",
    );
    q.bind(cat.id)
        .push(", ")
        .bind(cat.township_path.clone())
        .push(", ");
    q.bind(s.plan.title.clone())
        .push(", ")
        .bind(s.status)
        .push(", ");
    q.bind(json(s)).push(", 1, ").bind(now).push(", ").bind(now);
    q.push(") RETURNING id");
    let id = q.fetch_one::<Count>(&mut tx).await?.0;
    EVENTS
        .append(
            &mut tx,
            Entry {
                id,
                actor,
                action: DecisionActionCode::Plan,
                from: None,
                to: s.status,
                note: &s.plan.planned_steps,
                on: today,
                at: now,
            },
        )
        .await?;
    audit::append_tx(
        &mut tx,
        actor,
        "major_decision.plan",
        &format!("major_decision:{id}"),
        &s.plan.title,
    )
    .await?;
    tx.commit().await?;
    by_id(db, id).await
}

pub async fn by_id(db: &Db, id: i64) -> Result<DecisionRow> {
    let mut q = Sql::new(DEC_COLS);
    q.push(" WHERE id = ").bind(id);
    q.fetch_one(db.reader()).await
}

/// One decision in scope; out of scope is `NotFound`.
pub async fn get(db: &Db, roots: &[String], id: i64) -> Result<DecisionRow> {
    let mut q = Sql::new(DEC_COLS);
    q.push(" WHERE id = ")
        .bind(id)
        .push(" AND ")
        .scope("division_path", roots);
    q.fetch_one(db.reader()).await
}

/// The decisions of a catalogue, in catalogue order (the caller checked its scope).
pub async fn of_catalogue(db: &Db, catalogue_id: i64) -> Result<Vec<DecisionRow>> {
    let mut q = Sql::new(DEC_COLS);
    q.push(" WHERE catalogue_id = ")
        .bind(catalogue_id)
        .push(" ORDER BY id");
    q.fetch_all(db.reader()).await
}

/// The timeline of a decision, oldest first.
pub async fn events(db: &Db, id: i64) -> Result<Vec<DecisionEventRow>> {
    let mut q = Sql::new(
        "SELECT e.id, e.decision_id, e.on_date, COALESCE(u.display_name, e.actor) AS actor, e.action, e.to_status, e.note FROM major_decision_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.decision_id = ",
    );
    // People by their names, as the matters and cases timelines show them.
    q.bind(id).push(" ORDER BY e.on_date, e.id");
    q.fetch_all(db.reader()).await
}

/// Applies one action to a decision in scope; `decide` refuses (`Ok(Err(_))`, nothing
/// written) or returns the new state and the timeline note. `catalogue`, when given, is
/// the catalogue's new state (an adjustment), stored in the same transaction.
#[allow(clippy::too_many_arguments)]
pub async fn act<E>(
    db: &Db,
    actor: &Actor,
    roots: &[String],
    id: i64,
    expected_version: Option<i64>,
    code: DecisionActionCode,
    today: Date,
    decide: impl FnOnce(DecisionState) -> std::result::Result<(DecisionState, String), E>,
    catalogue: Option<(&CatalogueRow, &CatalogueState)>,
) -> Result<std::result::Result<DecisionRow, E>> {
    let row = get(db, roots, id).await?;
    if expected_version.is_some_and(|v| v != row.version) {
        return Err(DbError::Stale);
    }
    let (next, note) = match decide(row.state()?) {
        Ok(x) => x,
        Err(e) => return Ok(Err(e)),
    };
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new("UPDATE major_decisions SET status = ");
    q.bind(next.status).push(", state = ").bind(json(&next));
    q.execute_at_version(&mut tx, now, id, row.version).await?;
    if let Some((cat, cs)) = catalogue {
        let mut q = Sql::new("UPDATE decision_catalogues SET state = ");
        q.bind(json(cs))
            .push(", version = version + 1, updated_at = ")
            .bind(now);
        q.push(" WHERE id = ")
            .bind(cat.id)
            .push(" AND version = ")
            .bind(cat.version);
        if q.execute(&mut tx).await? != 1 {
            return Err(DbError::Stale);
        }
    }
    EVENTS
        .append(
            &mut tx,
            Entry {
                id,
                actor,
                action: code,
                from: None,
                to: next.status,
                note: &note,
                on: today,
                at: now,
            },
        )
        .await?;
    audit::append_tx(
        &mut tx,
        actor,
        &format!("major_decision.{code}"),
        &format!("major_decision:{id}"),
        &format!("{} -> {}", row.status, next.status),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(by_id(db, id).await?))
}
