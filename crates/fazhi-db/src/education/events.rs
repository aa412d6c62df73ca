//! Publicity events (普法活动): one row per event, scoped by the place it was held.

use fazhi_core::education::{EventFields, EventKind};
use time::Date;

use super::files::{self, FileRecord, NewEduFile};
use super::{Place, join_laws};
use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::{Db, Result, now_ms};

row!(
    /// One event with the names of its place, grid and organiser.
    EventRow {
        id: i64,
        kind: EventKind,
        theme_key: Option<String>,
        theme_name: Option<String>,
        held_on: Date,
        division_id: i64,
        division_code: String,
        division_name: String,
        division_path: String,
        grid_id: Option<i64>,
        grid_name: Option<String>,
        unit_id: Option<i64>,
        unit_name: Option<String>,
        title: String,
        place: Option<String>,
        participants: i64,
        reached: i64,
        materials: i64,
        laws: String,
        summary: Option<String>,
        version: i64,
        created_by: Option<i64>,
        created_at: i64,
        updated_at: i64,
    }
);

const COLS: &str = "SELECT e.id, e.kind, e.theme_key, e.theme_name, e.held_on, e.division_id, d.code AS division_code, d.name AS division_name, e.division_path, e.grid_id, g.name AS grid_name, e.unit_id, u.name AS unit_name, e.title, e.place, e.participants, e.reached, e.materials, e.laws, e.summary, e.version, e.created_by, e.created_at, e.updated_at FROM publicity_events e JOIN divisions d ON d.id = e.division_id LEFT JOIN grids g ON g.id = e.grid_id LEFT JOIN units u ON u.id = e.unit_id";

/// An event to store: checked fields, place and organiser.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub fields: EventFields,
    pub place: Place,
    pub unit_id: Option<i64>,
}

pub(super) fn bind_fields(q: &mut Sql, e: &NewEvent) {
    let f = &e.fields;
    let (theme_key, theme_name) = f.theme.clone().unzip();
    q.bind(f.kind).push(", ").bind(theme_key).push(", ");
    q.bind(theme_name).push(", ").bind(f.held_on).push(", ");
    q.bind(f.held_on.year() as i64).push(", ");
    q.bind(e.place.division_id).push(", ");
    q.bind(e.place.division_path.clone()).push(", ");
    q.bind(e.place.grid_id)
        .push(", ")
        .bind(e.unit_id)
        .push(", ");
    q.bind(f.title.clone())
        .push(", ")
        .bind(f.place.clone())
        .push(", ");
    q.bind(f.participants).push(", ").bind(f.reached).push(", ");
    q.bind(f.materials)
        .push(", ")
        .bind(join_laws(&f.laws))
        .push(", ");
    q.bind(f.summary.clone());
}

/// Stores an event and its audit row in one transaction.
pub async fn create(db: &Db, actor: &Actor, e: &NewEvent) -> Result<EventRow> {
    create_with_files(db, actor, e, &[]).await
}

/// Stores an event with the photos and sign-in sheets sent with it (already in the
/// file store), all in one transaction with their audit rows.
pub async fn create_with_files(
    db: &Db,
    actor: &Actor,
    e: &NewEvent,
    files: &[NewEduFile],
) -> Result<EventRow> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO publicity_events (kind, theme_key, theme_name, held_on, held_year, division_id, division_path, grid_id, unit_id, title, place, participants, reached, materials, laws, summary, version, created_by, created_at, updated_at) VALUES (",
    );
    bind_fields(&mut q, e);
    q.push(", 1, ").bind(actor.id).push(", ").bind(now);
    q.push(", ").bind(now).push(") RETURNING id");
    let id: Count = q.fetch_one(&mut *tx).await?;
    audit::append(
        &mut tx,
        actor,
        "education.event.create",
        &format!("publicity_event:{}", id.0),
        &e.fields.title,
    )
    .await?;
    files::add_tx(
        &mut tx,
        actor,
        FileRecord::Event,
        id.0,
        &e.place.division_path,
        files,
    )
    .await?;
    tx.commit().await?;
    by_id(db, id.0).await
}

/// Replaces an event's fields if it is still at `version` (else `Stale`), audited.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    version: i64,
    e: &NewEvent,
) -> Result<EventRow> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "UPDATE publicity_events SET (kind, theme_key, theme_name, held_on, held_year, division_id, division_path, grid_id, unit_id, title, place, participants, reached, materials, laws, summary) = (",
    );
    bind_fields(&mut q, e);
    q.push(")");
    q.execute_at_version(&mut *tx, now_ms(), id, version)
        .await?;
    audit::append(
        &mut tx,
        actor,
        "education.event.update",
        &format!("publicity_event:{id}"),
        &e.fields.title,
    )
    .await?;
    tx.commit().await?;
    by_id(db, id).await
}

/// One event, unscoped (callers check the scope on `division_path`).
pub async fn by_id(db: &Db, id: i64) -> Result<EventRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE e.id = ").bind(id);
    q.fetch_one(db.quick()).await
}

/// Filters of an event list; every one is optional.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Only events held in this subtree (a village, or a township).
    pub division_path: Option<String>,
    pub year: Option<i32>,
    pub kind: Option<EventKind>,
    /// A theme key, or `Some("")` for events on no theme day.
    pub theme: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// Events in scope, the latest first.
pub async fn list(db: &Db, roots: &[String], f: &EventFilter) -> Result<Vec<EventRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE ").scope("e.division_path", roots);
    if let Some(p) = &f.division_path {
        q.push(" AND e.division_path LIKE ").bind(format!("{p}%"));
    }
    if let Some(y) = f.year {
        q.push(" AND e.held_year = ").bind(y as i64);
    }
    if let Some(k) = f.kind {
        q.push(" AND e.kind = ").bind(k);
    }
    match f.theme.as_deref() {
        None => {}
        Some("") => {
            q.push(" AND e.theme_key IS NULL");
        }
        Some(t) => {
            q.push(" AND e.theme_key = ").bind(t.to_string());
        }
    }
    q.push(" ORDER BY e.held_on DESC, e.id DESC LIMIT ")
        .bind(f.limit)
        .push(" OFFSET ")
        .bind(f.offset);
    q.fetch_all(db.reader()).await
}
