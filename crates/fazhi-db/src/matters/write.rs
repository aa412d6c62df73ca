//! Registering matters and applying workflow actions, each in one transaction with its
//! timeline entry and audit row. Concurrent edits are caught by the version column.

use fazhi_core::matter::{ActionCode, Assignee, AssigneeKind, MatterState, Status};
use time::Date;

use super::derive::Derived;
use super::parties::{self, NewParty};
use super::read::{self, EventRow, MatterRow};
use crate::audit::{self, Actor};
use crate::pii::Vault;
use crate::sql::{Count, Sql, row};
use crate::{Backend, Conn, Db, DbError, Result, now_ms};

/// A photo taken at intake (grid workers report from their phones).
#[derive(Debug, Clone)]
pub struct NewPhoto {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A matter to register; the caller has validated it and checked the place's scope.
#[derive(Debug, Clone)]
pub struct NewMatter {
    pub tracking_code: String,
    pub category: String,
    pub division_id: i64,
    pub division_path: String,
    pub grid_id: Option<i64>,
    pub summary: String,
    pub address: Option<String>,
    pub state: MatterState,
    /// The earlier matter this one repeats (重复信访), counted once with it.
    pub repeat_of: Option<i64>,
    pub parties: Vec<NewParty>,
    pub photos: Vec<NewPhoto>,
    /// Day of registration in the local calendar, for the timeline.
    pub today: Date,
    /// Path of the current assignee, when `state` is already assigned (demo history).
    pub assignee_path: Option<String>,
    /// The timeline so far, when loading history (demo, imports); empty for a new
    /// matter, which gets one `register` entry by the actor.
    pub history: Vec<NewEvent>,
    /// Stable key of the legacy ledger row this matter was imported from (unique).
    pub source_ref: Option<String>,
}

fn state_json(s: &MatterState) -> String {
    serde_json::to_string(s).expect("matter state serialises")
}

/// The names of a new matter's place, which the stored row shows beside its ids.
#[derive(Debug, Clone)]
pub struct Place {
    pub division_code: String,
    pub division_name: String,
    pub grid_name: Option<String>,
}

row!(PlaceRow {
    division_code: String,
    division_name: String,
    grid_name: Option<String>,
});

/// The names of a division and, optionally, one of its grids.
async fn place_of(db: &Db, m: &NewMatter) -> Result<Place> {
    let mut q = Sql::new(
        "SELECT d.code AS division_code, d.name AS division_name, g.name AS grid_name FROM divisions d LEFT JOIN grids g ON g.id = ",
    );
    q.bind(m.grid_id).push(" WHERE d.id = ").bind(m.division_id);
    let r: PlaceRow = q.fetch_one(db.quick()).await?;
    Ok(Place {
        division_code: r.division_code,
        division_name: r.division_name,
        grid_name: r.grid_name,
    })
}

/// Registers a matter with its parties and photos; returns it as stored.
pub async fn create(db: &Db, vault: &Vault, actor: &Actor, m: &NewMatter) -> Result<MatterRow> {
    let place = place_of(db, m).await?;
    create_at(db, vault, actor, m, &place).await
}

/// Like [`create`], with the names of the matter's place already known to the caller
/// (they must be those of `m.division_id` and `m.grid_id`).
pub async fn create_at(
    db: &Db,
    vault: &Vault,
    actor: &Actor,
    m: &NewMatter,
    place: &Place,
) -> Result<MatterRow> {
    if db.backend() == Backend::Postgres
        && m.history.is_empty()
        && m.photos.is_empty()
        && m.state.assignment.is_none()
    {
        let (id, now) = pg_register(db, vault, actor, m, place).await?;
        return Ok(new_row(id, now, actor, m, place));
    }
    let mut tx = db.begin().await?;
    let (id, now) = insert_rows(&mut tx, vault, actor, m, Some(place)).await?;
    audit::append_tx(
        &mut tx,
        actor,
        "matter.register",
        &format!("matter:{id}"),
        &register_detail(m),
    )
    .await?;
    tx.commit().await?;
    if m.state.assignment.is_some() {
        // The handler's name is not at hand (only loaded histories start assigned).
        return read::by_id(db, id).await;
    }
    Ok(new_row(id, now, actor, m, place))
}

/// PostgreSQL: registers a new matter (no photos, no history, not yet assigned) in ONE
/// statement run outside `BEGIN … COMMIT`: the matter, its parties, search text and
/// terms (all terms in one row set, from one text parameter split by PostgreSQL), the
/// `register` timeline entry and the audit row, as data-modifying CTEs that commit
/// together. One round trip instead of ten, and the audit head's row lock is held only
/// while the statement runs and its commit is flushed (bench/README.md ⁸).
async fn pg_register(
    db: &Db,
    vault: &Vault,
    actor: &Actor,
    m: &NewMatter,
    place: &Place,
) -> Result<(i64, i64)> {
    let now = now_ms();
    let d = Derived::of(&m.state);
    let mut q = Sql::new("WITH m AS (");
    q.push(MATTER_INSERT).push("(");
    bind_matter(&mut q, m, actor, now);
    q.push(") RETURNING id), ");
    if !m.parties.is_empty() {
        q.push("p AS (INSERT INTO parties (matter_id, seq, role, name, id_number_enc, id_number_idx, id_number_mask, phone_enc, phone_idx, phone_mask, address) SELECT m.id, v.* FROM m CROSS JOIN (VALUES ");
        for (i, p) in m.parties.iter().enumerate() {
            q.push(if i == 0 { "(" } else { "), (" });
            parties::bind_party_rest(&mut q, vault, i as i64 + 1, p);
        }
        q.push(")) AS v), ");
    }
    let names: Vec<String> = m.parties.iter().map(|p| p.name.clone()).collect();
    let text = super::search::text_of(
        &m.summary,
        &names,
        &place.division_name,
        place.grid_name.as_deref(),
        m.address.as_deref(),
    );
    // Terms never hold a space (fazhi_core::search::terms: Han pairs, alphanumeric runs).
    let terms = fazhi_core::search::terms(&text)
        .into_iter()
        .collect::<Vec<_>>()
        .join(" ");
    q.push("s AS (INSERT INTO matter_search (matter_id, text) SELECT id, ")
        .bind(text)
        .push(" FROM m), ");
    q.push("t AS (INSERT INTO matter_terms (term, matter_id) SELECT unnest(string_to_array(")
        .bind(terms)
        .push(", ' ')), id FROM m), ");
    let event = register_event(&d, m, now, actor);
    q.push("e AS (")
        .push(EVENT_INSERT_COLUMNS)
        .push(" SELECT id, ");
    bind_event_rest(&mut q, &event);
    q.push(" FROM m), ");
    audit::pg_append_ctes(
        &mut q,
        now,
        actor,
        "matter.register",
        audit::PgTarget::MatterOfM,
        &register_detail(m),
    );
    q.push(" SELECT id FROM m");
    let ids: Vec<Count> = db.write_one(q).await?;
    let id = ids.first().ok_or(DbError::NotFound)?.0;
    Ok((id, now))
}

/// The row [`read::by_id`] returns for a matter just inserted without an assignee.
fn new_row(id: i64, now: i64, actor: &Actor, m: &NewMatter, place: &Place) -> MatterRow {
    let s = &m.state;
    let d = Derived::of(s);
    MatterRow {
        id,
        tracking_code: m.tracking_code.clone(),
        kind: s.kind,
        channel: s.channel,
        category: m.category.clone(),
        status: d.status,
        division_id: m.division_id,
        division_code: place.division_code.clone(),
        division_name: place.division_name.clone(),
        division_path: m.division_path.clone(),
        grid_id: m.grid_id,
        grid_name: place.grid_name.clone(),
        summary: m.summary.clone(),
        address: m.address.clone(),
        received_on: s.received_on,
        accepted_on: d.accepted_on,
        closed_on: d.closed_on,
        due_kind: d.due_kind,
        due_on: d.due_on,
        handling_due: d.handling_due,
        paused: d.paused,
        assignee_kind: d.assignee_kind,
        assignee_id: d.assignee_id,
        assignee_path: m.assignee_path.clone(),
        assignee_name: None,
        supervision: d.supervision,
        closure_type: d.closure_type,
        resolved: d.resolved,
        outcome: d.outcome,
        on_time: d.on_time,
        satisfaction: d.satisfaction,
        risk: d.risk,
        urgent: d.urgent,
        repeat_of: m.repeat_of,
        state: state_json(s),
        version: 1,
        created_by: actor.id,
        created_at: now,
        updated_at: now,
    }
}

fn register_detail(m: &NewMatter) -> String {
    format!("{} {}", m.state.kind.as_str(), m.tracking_code)
}

/// Inserts inside the caller's transaction (the demo loads many in one).
pub async fn insert(conn: &mut Conn, vault: &Vault, actor: &Actor, m: &NewMatter) -> Result<i64> {
    let (id, _) = insert_rows(conn, vault, actor, m, None).await?;
    audit::append(
        conn,
        actor,
        "matter.register",
        &format!("matter:{id}"),
        &register_detail(m),
    )
    .await?;
    Ok(id)
}

/// Parties per multi-row statement (11 values each).
const PARTIES_PER_STATEMENT: usize = 10;

/// Everything of [`insert`] but the audit row; returns the id and the time written.
/// With the `place` names known, the search entries are written without reading back.
async fn insert_rows(
    conn: &mut Conn,
    vault: &Vault,
    actor: &Actor,
    m: &NewMatter,
    place: Option<&Place>,
) -> Result<(i64, i64)> {
    let now = now_ms();
    let mut q = Sql::new(MATTER_INSERT);
    q.push("(");
    bind_matter(&mut q, m, actor, now);
    q.push(") RETURNING id");
    let d = Derived::of(&m.state);
    let id = q.fetch_one::<Count>(&mut *conn).await?.0;
    for (c, chunk) in m.parties.chunks(PARTIES_PER_STATEMENT).enumerate() {
        let mut q = Sql::new(parties::PARTY_INSERT);
        for (i, p) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { "), (" });
            let seq = (c * PARTIES_PER_STATEMENT + i) as i64 + 1;
            parties::bind_party(&mut q, vault, id, seq, p);
        }
        q.push(")");
        q.execute(&mut *conn).await?;
    }
    match place {
        Some(place) => {
            let names: Vec<String> = m.parties.iter().map(|p| p.name.clone()).collect();
            let text = super::search::text_of(
                &m.summary,
                &names,
                &place.division_name,
                place.grid_name.as_deref(),
                m.address.as_deref(),
            );
            super::search::insert_in(conn, id, text).await?;
        }
        None => super::search::index_in(conn, id).await?,
    }
    for p in &m.photos {
        let mut q = Sql::new(
            "INSERT INTO matter_photos (matter_id, content_type, bytes, created_at) VALUES (",
        );
        q.bind(id)
            .push(", ")
            .bind(p.content_type.clone())
            .push(", ");
        q.bind(p.bytes.clone()).push(", ").bind(now).push(")");
        q.execute(&mut *conn).await?;
    }
    if m.history.is_empty() {
        insert_event(conn, id, &register_event(&d, m, now, actor)).await?;
    }
    for e in &m.history {
        insert_event(conn, id, e).await?;
    }
    Ok((id, now))
}

/// `INSERT INTO matters (…) VALUES ` with every column [`bind_matter`] binds.
pub(super) const MATTER_INSERT: &str = "INSERT INTO matters (tracking_code, kind, channel, category, status, division_id, division_path, township_id, grid_id, summary, address, received_on, received_month, accepted_on, closed_on, due_kind, due_on, handling_due, paused, assignee_kind, assignee_id, assignee_path, supervision, closure_type, resolved, outcome, on_time, satisfaction, figure_flags, risk, urgent, repeat_of, source_ref, state, version, created_by, created_at, updated_at) VALUES ";

/// Binds one matter's values for [`MATTER_INSERT`], comma-separated, without parentheses.
pub(super) fn bind_matter(q: &mut Sql, m: &NewMatter, actor: &Actor, now: i64) {
    let s = &m.state;
    let d = Derived::of(s);
    let received = s.received_on.to_string();
    q.bind(m.tracking_code.clone()).push(", ");
    q.bind(s.kind).push(", ");
    q.bind(s.channel).push(", ");
    q.bind(m.category.clone()).push(", ");
    q.bind(d.status).push(", ");
    q.bind(m.division_id).push(", ");
    q.bind(m.division_path.clone()).push(", ");
    // The township of the place (migration 0009), computed as the backfill does from
    // the divisions table, which knows the place's level; a matter never changes place,
    // so updates leave it alone.
    q.push("(SELECT COALESCE(CASE WHEN d.level = 'village' THEN d.parent_id END, d.id) FROM divisions d WHERE d.id = ")
        .bind(m.division_id)
        .push("), ");
    q.bind(m.grid_id).push(", ");
    q.bind(m.summary.clone()).push(", ");
    q.bind(m.address.clone()).push(", ");
    q.bind(received.clone()).push(", ");
    q.bind(received[..7].to_string()).push(", ");
    bind_derived(q, &d, m.assignee_path.clone(), m.repeat_of.is_some());
    q.push(", ").bind(m.repeat_of).push(", ");
    q.bind(m.source_ref.clone()).push(", ");
    q.bind(state_json(s)).push(", 1, ");
    q.bind(actor.id).push(", ").bind(now).push(", ").bind(now);
}

/// Binds the derived columns from accepted_on to urgent, comma-separated.
/// `assignee_path` is the path of the new assignee, if the action changed it; `repeat`
/// when the matter repeats another.
fn bind_derived(q: &mut Sql, d: &Derived, assignee_path: Option<String>, repeat: bool) {
    q.bind(d.accepted_on).push(", ");
    q.bind(d.closed_on).push(", ");
    q.bind(d.due_kind).push(", ");
    q.bind(d.due_on).push(", ");
    q.bind(d.handling_due).push(", ");
    q.bind(d.paused).push(", ");
    q.bind(d.assignee_kind).push(", ");
    q.bind(d.assignee_id).push(", ");
    q.bind(assignee_path).push(", ");
    q.bind(d.supervision).push(", ");
    q.bind(d.closure_type).push(", ");
    q.bind(d.resolved).push(", ");
    q.bind(d.outcome).push(", ");
    q.bind(d.on_time).push(", ");
    q.bind(d.satisfaction).push(", ");
    q.bind(d.figure_flags(repeat)).push(", ");
    q.bind(d.risk).push(", ");
    q.bind(d.urgent);
}

/// One timeline entry to store.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub action: ActionCode,
    pub from: Option<Status>,
    pub to: Status,
    pub note: String,
    pub payload: String,
    /// Local day of the action.
    pub on_date: Date,
    /// Unix milliseconds.
    pub at: i64,
    pub actor: Actor,
}

row!(InsertedEvent {
    id: i64,
    actor: String
});

/// Inserts a timeline entry; answers its id and the actor's name as [`read::events`]
/// shows it (the display name, else the login name stored), in the same statement.
async fn insert_event(conn: &mut Conn, matter_id: i64, e: &NewEvent) -> Result<InsertedEvent> {
    let mut q = Sql::new(EVENT_INSERT);
    q.push("(");
    bind_event(&mut q, matter_id, e);
    q.push(") RETURNING id, COALESCE((SELECT u.display_name FROM users u WHERE u.id = ")
        .bind(e.actor.id)
        .push("), actor) AS actor");
    q.fetch_one(&mut *conn).await
}

/// The actor's name as [`read::events`] shows it: the display name, else the login name.
async fn shown_name(db: &Db, actor: &Actor) -> Result<String> {
    if let Some(shown) = &actor.shown {
        return Ok(shown.clone());
    }
    let mut q = Sql::new("SELECT display_name AS name FROM users WHERE id = ");
    q.bind(actor.id);
    let row: Option<NameRow> = q.fetch_optional(db.reader()).await?;
    Ok(row.map_or_else(|| actor.name.clone(), |r| r.name))
}

/// The `register` timeline entry of a new matter without a loaded history.
fn register_event(d: &Derived, m: &NewMatter, now: i64, actor: &Actor) -> NewEvent {
    NewEvent {
        action: ActionCode::Register,
        from: None,
        to: d.status,
        note: String::new(),
        payload: "{}".into(),
        on_date: m.today,
        at: now,
        actor: actor.clone(),
    }
}

/// The row [`read::events`] returns for an entry just inserted.
fn event_row(inserted: InsertedEvent, matter_id: i64, e: NewEvent) -> EventRow {
    EventRow {
        id: inserted.id,
        matter_id,
        at: e.at,
        on_date: e.on_date,
        actor_id: e.actor.id,
        actor: inserted.actor,
        action: e.action,
        from_status: e.from,
        to_status: e.to,
        note: e.note,
        payload: e.payload,
    }
}

/// `INSERT INTO matter_events (…) VALUES ` with the columns [`bind_event`] binds.
pub(super) const EVENT_INSERT: &str = "INSERT INTO matter_events (matter_id, at, on_date, actor_id, actor, action, from_status, to_status, note, payload) VALUES ";
/// [`EVENT_INSERT`] without `VALUES`, for `INSERT … SELECT`.
const EVENT_INSERT_COLUMNS: &str = "INSERT INTO matter_events (matter_id, at, on_date, actor_id, actor, action, from_status, to_status, note, payload)";

/// Binds one timeline entry; comma-separated, no parentheses.
pub(super) fn bind_event(q: &mut Sql, matter_id: i64, e: &NewEvent) {
    q.bind(matter_id).push(", ");
    bind_event_rest(q, e);
}

/// [`bind_event`] without the matter id: from `at` on.
fn bind_event_rest(q: &mut Sql, e: &NewEvent) {
    let (at, actor) = (e.at, &e.actor);
    q.bind(at).push(", ");
    q.bind(e.on_date).push(", ");
    q.bind(actor.id)
        .push(", ")
        .bind(actor.name.clone())
        .push(", ");
    q.bind(e.action).push(", ").bind(e.from).push(", ");
    q.bind(e.to).push(", ").bind(e.note.clone()).push(", ");
    q.bind(e.payload.clone());
}

/// What the workflow decided for one action (built by the caller from `fazhi_core::matter::apply`).
#[derive(Debug, Clone)]
pub struct Applied {
    pub action: ActionCode,
    /// The complete new state.
    pub state: MatterState,
    /// Free-text note for the timeline (reason, mediation summary …).
    pub note: String,
    /// The action as JSON, kept in the timeline.
    pub payload: String,
}

/// A handler named by an action (assign, transfer), as the caller found it.
#[derive(Debug, Clone)]
pub struct NamedAssignee {
    pub kind: AssigneeKind,
    pub id: i64,
    /// Division path of the handler (for scoping).
    pub path: String,
    /// Its name, shown with the matter.
    pub name: String,
}

row!(NameRow { name: String });

/// Applies one action to a matter in scope. `decide` sees the current state and either
/// refuses (its error is returned as `Ok(Err(_))`, nothing written) or returns the change.
/// `expected_version`, when given, must match the stored version ([`DbError::Stale`]
/// otherwise); the write itself is conditional on the version read, so two people
/// acting at once never overwrite each other. `assignee` is a newly named handler.
///
/// With an expected version the matter is read before the write transaction (outside
/// the single writer on SQLite): the conditional write refuses it if it changed since,
/// exactly as a read inside the transaction would have. The row and timeline entry
/// returned are built from what was written, not read back.
#[allow(clippy::too_many_arguments)]
pub async fn act<E>(
    db: &Db,
    actor: &Actor,
    roots: &[String],
    id: i64,
    expected_version: Option<i64>,
    assignee: Option<NamedAssignee>,
    today: Date,
    decide: impl FnOnce(&MatterRow, MatterState) -> std::result::Result<Applied, E>,
) -> Result<std::result::Result<(MatterRow, EventRow), E>> {
    let (row, mut tx) = match expected_version {
        Some(v) => {
            let row = read::get(db, roots, id).await?;
            if row.version != v {
                return Err(DbError::Stale);
            }
            (row, None)
        }
        None => {
            let mut tx = db.begin().await?;
            (read::by_id_in(&mut tx, roots, id).await?, Some(tx))
        }
    };
    let state = row.state()?;
    let from = state.status;
    let old_co = super::derive::co_handlers(&state);
    let applied = match decide(&row, state) {
        Ok(a) => a,
        Err(e) => return Ok(Err(e)),
    };
    let d = Derived::of(&applied.state);
    let path = match (&applied.state.assignment, &assignee) {
        (None, _) => None,
        (Some(_), Some(a)) => Some(a.path.clone()),
        (Some(_), None) => row.assignee_path.clone(),
    };
    let new_co = super::derive::co_handlers(&applied.state);
    if tx.is_none() && db.backend() == Backend::Postgres && new_co == old_co {
        return pg_act(db, actor, row, from, applied, assignee, today, d, path).await;
    }
    let mut tx = match tx.take() {
        Some(tx) => tx,
        None => db.begin().await?,
    };
    let now = now_ms();
    let mut q = Sql::new("UPDATE matters SET kind = ");
    q.bind(applied.state.kind).push(", status = ");
    q.bind(d.status).push(", (accepted_on, closed_on, due_kind, due_on, handling_due, paused, assignee_kind, assignee_id, assignee_path, supervision, closure_type, resolved, outcome, on_time, satisfaction, figure_flags, risk, urgent) = (");
    bind_derived(&mut q, &d, path.clone(), row.repeat_of.is_some());
    q.push("), state = ").bind(state_json(&applied.state));
    q.execute_at_version(&mut *tx, now, id, row.version).await?;
    let event = NewEvent {
        action: applied.action,
        from: Some(from),
        to: d.status,
        note: applied.note.clone(),
        payload: applied.payload.clone(),
        on_date: today,
        at: now,
        actor: actor.clone(),
    };
    let inserted = insert_event(&mut tx, id, &event).await?;
    if new_co != old_co {
        set_co_handlers(&mut tx, id, &new_co).await?;
    }
    audit::append_tx(
        &mut tx,
        actor,
        &format!("matter.{}", applied.action),
        &format!("matter:{id}"),
        &format!("{from} -> {}", d.status),
    )
    .await?;
    // The handler's name: unchanged, given by the caller, or looked up.
    let handler = (d.assignee_kind, d.assignee_id);
    let assignee_name = match handler {
        (Some(k), Some(h)) if row.assignee_kind == Some(k) && row.assignee_id == Some(h) => {
            row.assignee_name.clone()
        }
        (Some(k), Some(h)) => match assignee.filter(|a| a.kind == k && a.id == h) {
            Some(a) => Some(a.name),
            None => handler_name(&mut tx, k, h).await?,
        },
        _ => None,
    };
    tx.commit().await?;
    let row = acted_row(row, &applied, &d, path, assignee_name, now);
    Ok(Ok((row, event_row(inserted, id, event))))
}

/// The matter row after an action, built from what was written.
fn acted_row(
    row: MatterRow,
    applied: &Applied,
    d: &Derived,
    path: Option<String>,
    assignee_name: Option<String>,
    now: i64,
) -> MatterRow {
    MatterRow {
        kind: applied.state.kind,
        status: d.status,
        accepted_on: d.accepted_on,
        closed_on: d.closed_on,
        due_kind: d.due_kind,
        due_on: d.due_on,
        handling_due: d.handling_due,
        paused: d.paused,
        assignee_kind: d.assignee_kind,
        assignee_id: d.assignee_id,
        assignee_path: path,
        assignee_name,
        supervision: d.supervision,
        closure_type: d.closure_type,
        resolved: d.resolved,
        outcome: d.outcome,
        on_time: d.on_time,
        satisfaction: d.satisfaction,
        risk: d.risk,
        urgent: d.urgent,
        state: state_json(&applied.state),
        version: row.version + 1,
        updated_at: now,
        ..row
    }
}

/// PostgreSQL: one action (co-handlers unchanged) in ONE statement run outside
/// `BEGIN … COMMIT`: the matter updated under the version read, its timeline entry and
/// the audit row as data-modifying CTEs, each conditional on the update (a stale
/// version changes nothing). One round trip instead of six, and the audit head's row
/// lock is held only while the statement runs and its commit is flushed.
#[allow(clippy::too_many_arguments)]
async fn pg_act<E>(
    db: &Db,
    actor: &Actor,
    row: MatterRow,
    from: Status,
    applied: Applied,
    assignee: Option<NamedAssignee>,
    today: Date,
    d: Derived,
    path: Option<String>,
) -> Result<std::result::Result<(MatterRow, EventRow), E>> {
    let id = row.id;
    let now = now_ms();
    let mut q = Sql::new("WITH m AS (UPDATE matters SET kind = ");
    q.bind(applied.state.kind).push(", status = ");
    q.bind(d.status).push(", (accepted_on, closed_on, due_kind, due_on, handling_due, paused, assignee_kind, assignee_id, assignee_path, supervision, closure_type, resolved, outcome, on_time, satisfaction, figure_flags, risk, urgent) = (");
    bind_derived(&mut q, &d, path.clone(), row.repeat_of.is_some());
    q.push("), state = ").bind(state_json(&applied.state));
    q.push(", version = version + 1, updated_at = ").bind(now);
    q.push(" WHERE id = ").bind(id);
    q.push(" AND version = ").bind(row.version);
    q.push(" RETURNING id), ");
    let event = NewEvent {
        action: applied.action,
        from: Some(from),
        to: d.status,
        note: applied.note.clone(),
        payload: applied.payload.clone(),
        on_date: today,
        at: now,
        actor: actor.clone(),
    };
    q.push("e AS (")
        .push(EVENT_INSERT_COLUMNS)
        .push(" SELECT id, ");
    bind_event_rest(&mut q, &event);
    q.push(" FROM m RETURNING id), ");
    audit::pg_append_ctes(
        &mut q,
        now,
        actor,
        &format!("matter.{}", applied.action),
        audit::PgTarget::MatterOfM,
        &format!("{from} -> {}", d.status),
    );
    q.push(" SELECT id FROM e");
    // The actor's name as the timeline shows it, read while the write waits for its
    // batch (the write answers ids only), so the answer costs no extra round trip.
    let (ids, shown) = tokio::join!(db.write_one(q), shown_name(db, actor));
    let ids: Vec<Count> = ids?;
    let Some(event_id) = ids.first().map(|c| c.0) else {
        return Err(DbError::Stale);
    };
    // The handler's name: unchanged, given by the caller, or looked up.
    let assignee_name = match (d.assignee_kind, d.assignee_id) {
        (Some(k), Some(h)) if row.assignee_kind == Some(k) && row.assignee_id == Some(h) => {
            row.assignee_name.clone()
        }
        (Some(k), Some(h)) => match assignee.filter(|a| a.kind == k && a.id == h) {
            Some(a) => Some(a.name),
            None => handler_name_at(db, k, h).await?,
        },
        _ => None,
    };
    let row = acted_row(row, &applied, &d, path, assignee_name, now);
    let inserted = InsertedEvent {
        id: event_id,
        actor: shown?,
    };
    Ok(Ok((row, event_row(inserted, id, event))))
}

/// Replaces the co-handlers stored for a matter.
async fn set_co_handlers(conn: &mut Conn, id: i64, co: &[Assignee]) -> Result<()> {
    let mut q = Sql::new("DELETE FROM matter_co_handlers WHERE matter_id = ");
    q.bind(id);
    q.execute(&mut *conn).await?;
    if co.is_empty() {
        return Ok(());
    }
    let mut q =
        Sql::new("INSERT INTO matter_co_handlers (matter_id, assignee_kind, assignee_id) VALUES ");
    for (i, c) in co.iter().enumerate() {
        q.push(if i == 0 { "(" } else { "), (" });
        q.bind(id).push(", ").bind(c.kind).push(", ").bind(c.id);
    }
    q.push(")");
    q.execute(&mut *conn).await?;
    Ok(())
}

/// The name of a unit or village handling matters (as [`read`] joins it).
async fn handler_name(conn: &mut Conn, kind: AssigneeKind, id: i64) -> Result<Option<String>> {
    let r: Option<NameRow> = handler_name_sql(kind, id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(r.map(|r| r.name))
}

/// [`handler_name`] outside a transaction.
async fn handler_name_at(db: &Db, kind: AssigneeKind, id: i64) -> Result<Option<String>> {
    let r: Option<NameRow> = handler_name_sql(kind, id)
        .fetch_optional(db.quick())
        .await?;
    Ok(r.map(|r| r.name))
}

fn handler_name_sql(kind: AssigneeKind, id: i64) -> Sql {
    let mut q = match kind {
        AssigneeKind::Unit => Sql::new("SELECT name FROM units WHERE id = "),
        AssigneeKind::Division => Sql::new("SELECT name FROM divisions WHERE id = "),
    };
    q.bind(id);
    q
}

/// Rewrites the state of every open matter through `f` (after the calendar or the
/// deadline rules changed); returns how many changed. Runs in pages of 500 per transaction.
pub async fn recompute_open(db: &Db, f: impl Fn(&mut MatterState)) -> Result<u64> {
    let mut after = 0i64;
    let mut changed = 0u64;
    loop {
        let mut tx = db.begin_bulk().await?;
        let page = read::open_page_in(&mut tx, after, 500).await?;
        let Some(last) = page.last() else {
            tx.commit().await?;
            return Ok(changed);
        };
        after = last.id;
        for row in &page {
            let old = row.state()?;
            let mut new = old.clone();
            f(&mut new);
            if new == old {
                continue;
            }
            let d = Derived::of(&new);
            let mut q = Sql::new(
                "UPDATE matters SET (accepted_on, closed_on, due_kind, due_on, handling_due, paused, assignee_kind, assignee_id, assignee_path, supervision, closure_type, resolved, outcome, on_time, satisfaction, figure_flags, risk, urgent) = (",
            );
            bind_derived(
                &mut q,
                &d,
                row.assignee_path.clone(),
                row.repeat_of.is_some(),
            );
            q.push("), state = ").bind(state_json(&new));
            q.push(", version = version + 1, updated_at = ")
                .bind(now_ms());
            q.push(" WHERE id = ").bind(row.id);
            q.execute(&mut *tx).await?;
            changed += 1;
        }
        tx.commit().await?;
    }
}

/// Corrections of a matter's details by staff; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct DetailChanges {
    pub summary: Option<String>,
    pub category: Option<String>,
    /// `Some(None)` clears the address.
    pub address: Option<Option<String>>,
    /// Corrected names of parties: (party id, new name).
    pub party_names: Vec<(i64, String)>,
}

/// Applies corrections to a matter in scope, checked against the version read, and
/// rewrites its search entries in the same transaction so search never goes stale.
pub async fn update_details(
    db: &Db,
    actor: &Actor,
    roots: &[String],
    id: i64,
    expected_version: i64,
    c: &DetailChanges,
) -> Result<MatterRow> {
    let mut tx = db.begin().await?;
    let row = read::by_id_in(&mut tx, roots, id).await?;
    if row.version != expected_version {
        return Err(DbError::Stale);
    }
    let mut q = Sql::new("UPDATE matters SET version = version + 1, updated_at = ");
    q.bind(now_ms());
    if let Some(s) = &c.summary {
        q.push(", summary = ").bind(s.clone());
    }
    if let Some(s) = &c.category {
        q.push(", category = ").bind(s.clone());
    }
    if let Some(a) = &c.address {
        q.push(", address = ").bind(a.clone());
    }
    q.push(" WHERE id = ")
        .bind(id)
        .push(" AND version = ")
        .bind(row.version);
    if q.execute(&mut *tx).await? != 1 {
        return Err(DbError::Stale);
    }
    for (party, name) in &c.party_names {
        let mut q = Sql::new("UPDATE parties SET name = ");
        q.bind(name.clone())
            .push(" WHERE id = ")
            .bind(*party)
            .push(" AND matter_id = ")
            .bind(id);
        if q.execute(&mut *tx).await? != 1 {
            return Err(DbError::NotFound);
        }
    }
    super::search::index_in(&mut tx, id).await?;
    let mut fields = Vec::new();
    if c.summary.is_some() {
        fields.push("summary");
    }
    if c.category.is_some() {
        fields.push("category");
    }
    if c.address.is_some() {
        fields.push("address");
    }
    if !c.party_names.is_empty() {
        fields.push("party names");
    }
    audit::append_tx(
        &mut tx,
        actor,
        "matter.edit",
        &format!("matter:{id}"),
        &fields.join(", "),
    )
    .await?;
    let row = read::by_id_in(&mut tx, roots, id).await?;
    tx.commit().await?;
    Ok(row)
}
