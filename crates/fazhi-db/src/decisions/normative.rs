//! Normative documents: created, read in scope (and published ones without scope for
//! the public list), and changed one action at a time, each in one transaction with
//! its timeline entry and audit row; submitting for review creates the desk item in
//! the same transaction.

use fazhi_core::decisions::{NormativeActionCode, NormativeState, NormativeStatus, ReviewState};
use time::Date;

use super::reviews::{self, ReviewRow};
use crate::audit::{self, Actor};
use crate::column::{Column, code_columns};
use crate::sql::{Count, Sql, Value, row};
use crate::timeline::{Entry, Timeline};
use crate::{Db, DbError, Result, now_ms};

/// The timeline of these records.
pub(super) const EVENTS: Timeline = Timeline {
    insert: "INSERT INTO normative_events (document_id, at, on_date, actor_id, actor, action, to_status, note) VALUES (",
    from_status: false,
    payload: false,
};

code_columns!(NormativeStatus, NormativeActionCode);

row!(
    /// One document with the name of its township.
    NormativeRow {
        id: i64,
        division_id: i64,
        division_name: String,
        division_path: String,
        title: String,
        number: String,
        status: NormativeStatus,
        published_on: Option<Date>,
        effective_on: Option<Date>,
        expires_on: Option<Date>,
        filing_due: Option<Date>,
        filed_on: Option<Date>,
        legal_review_id: Option<i64>,
        state: String,
        version: i64,
    }
);

impl NormativeRow {
    /// The state stored with the row.
    pub fn state(&self) -> Result<NormativeState> {
        serde_json::from_str(&self.state)
            .map_err(|e| DbError::Config(format!("normative document {} is damaged: {e}", self.id)))
    }
}

row!(
    /// One timeline entry.
    NormativeEventRow {
        id: i64,
        document_id: i64,
        at: i64,
        on_date: Date,
        actor: String,
        action: NormativeActionCode,
        to_status: NormativeStatus,
        note: String,
    }
);

pub(super) const COLS: &str = "SELECT n.id, n.division_id, d.name AS division_name, n.division_path, n.title, n.number, n.status, n.published_on, n.effective_on, n.expires_on, n.filing_due, n.filed_on, n.legal_review_id, n.state, n.version FROM normative_documents n JOIN divisions d ON d.id = n.division_id";

pub(super) fn state_json(s: &NormativeState) -> String {
    serde_json::to_string(s).expect("normative state serialises")
}

/// Derived columns: (title, number, status, published_on, effective_on, expires_on,
/// filing_due, filed_on, legal_review_id).
pub(super) fn bind_derived(q: &mut Sql, s: &NormativeState) {
    q.bind(s.title.clone()).push(", ").bind(s.number.clone());
    q.push(", ").bind(s.status).push(", ").bind(s.published_on);
    q.push(", ")
        .bind(s.effective_on)
        .push(", ")
        .bind(s.expires_on);
    q.push(", ").bind(s.filing_due).push(", ").bind(s.filed_on);
    q.push(", ").bind(s.legal_review_id);
}

/// Stores a new document at `(division_id, path)` with its first timeline entry.
pub async fn create(
    db: &Db,
    actor: &Actor,
    division_id: i64,
    path: &str,
    s: &NormativeState,
    today: Date,
) -> Result<NormativeRow> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO normative_documents (division_id, division_path, state, version, created_by, created_at, updated_at, title, number, status, published_on, effective_on, expires_on, filing_due, filed_on, legal_review_id) VALUES (",
    );
    q.bind(division_id)
        .push(", ")
        .bind(path.to_string())
        .push(", ");
    q.bind(state_json(s))
        .push(", 1, ")
        .bind(actor.id)
        .push(", ");
    q.bind(now).push(", ").bind(now).push(", ");
    bind_derived(&mut q, s);
    q.push(") RETURNING id");
    let id = q.fetch_one::<Count>(&mut tx).await?.0;
    let code = NormativeActionCode::Draft;
    EVENTS
        .append(
            &mut tx,
            Entry {
                id,
                actor,
                action: code,
                from: None,
                to: s.status,
                note: &s.title,
                on: today,
                at: now,
            },
        )
        .await?;
    audit::append_tx(
        &mut tx,
        actor,
        "normative.draft",
        &format!("normative:{id}"),
        &s.title,
    )
    .await?;
    tx.commit().await?;
    by_id(db, id).await
}

/// One document by id, unscoped (for the code that just wrote it).
pub async fn by_id(db: &Db, id: i64) -> Result<NormativeRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE n.id = ").bind(id);
    q.fetch_one(db.reader()).await
}

/// One document by id inside the scope; out of scope is `NotFound`.
pub async fn get(db: &Db, roots: &[String], id: i64) -> Result<NormativeRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE n.id = ")
        .bind(id)
        .push(" AND ")
        .scope("n.division_path", roots);
    q.fetch_one(db.reader()).await
}

/// Every document in scope, newest first (a township has tens).
pub async fn list(
    db: &Db,
    roots: &[String],
    status: Option<NormativeStatus>,
) -> Result<Vec<NormativeRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE ").scope("n.division_path", roots);
    if let Some(s) = status {
        q.push(" AND n.status = ").bind(s);
    }
    q.push(" ORDER BY n.id DESC LIMIT 20000");
    q.fetch_all(db.reader()).await
}

/// The published (and repealed) documents of the township at `path`, for the public
/// list; no scope.
pub async fn published(db: &Db, path: &str) -> Result<Vec<NormativeRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE n.division_path = ")
        .bind(path.to_string())
        .push(" AND n.published_on IS NOT NULL ORDER BY n.published_on DESC, n.id DESC");
    q.fetch_all(db.reader()).await
}

/// The timeline of a document, oldest first.
pub async fn events(db: &Db, id: i64) -> Result<Vec<NormativeEventRow>> {
    let mut q = Sql::new(
        "SELECT e.id, e.document_id, e.at, e.on_date, COALESCE(u.display_name, e.actor) AS actor, e.action, e.to_status, e.note FROM normative_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.document_id = ",
    );
    // People by their names, as the matters and cases timelines show them.
    q.bind(id).push(" ORDER BY e.on_date, e.id");
    q.fetch_all(db.reader()).await
}

/// The linked review item of a document, if any.
pub async fn review_of(db: &Db, s: &NormativeState) -> Result<Option<ReviewRow>> {
    match s.legal_review_id {
        Some(id) => Ok(Some(reviews::by_id(db, id).await?)),
        None => Ok(None),
    }
}

/// Applies one action to a document in scope. `decide` sees the current state and the
/// linked review and either refuses (`Ok(Err(_))`, nothing written) or returns the new
/// state, a desk item to create (linked to the document) and the timeline note. A
/// number already used by another document of the township is a conflict on `number`.
#[allow(clippy::too_many_arguments)]
pub async fn act<E>(
    db: &Db,
    actor: &Actor,
    roots: &[String],
    id: i64,
    expected_version: Option<i64>,
    code: NormativeActionCode,
    today: Date,
    decide: impl FnOnce(
        NormativeState,
        Option<ReviewState>,
    ) -> std::result::Result<(NormativeState, Option<ReviewState>, String), E>,
) -> Result<std::result::Result<NormativeRow, E>> {
    let row = get(db, roots, id).await?;
    if expected_version.is_some_and(|v| v != row.version) {
        return Err(DbError::Stale);
    }
    let state = row.state()?;
    let review = match review_of(db, &state).await? {
        Some(r) => Some(r.state()?),
        None => None,
    };
    let (mut next, desk, note) = match decide(state, review) {
        Ok(x) => x,
        Err(e) => return Ok(Err(e)),
    };
    let mut tx = db.begin().await?;
    if !next.number.is_empty() && next.number != row.number {
        let mut q = Sql::new("SELECT COUNT(*) AS n FROM normative_documents WHERE division_id = ");
        q.bind(row.division_id)
            .push(" AND number = ")
            .bind(next.number.clone());
        if q.fetch_one::<Count>(&mut tx).await?.0 > 0 {
            return Err(DbError::Conflict {
                field: "number",
                message: format!("文号「{}」已被本乡镇（街道）其他文件使用", next.number),
            });
        }
    }
    if let Some(rs) = desk {
        let rid = reviews::insert_tx(
            &mut tx,
            actor,
            row.division_id,
            &row.division_path,
            &rs,
            today,
        )
        .await?;
        next.legal_review_id = Some(rid);
    }
    let now = now_ms();
    let mut q = Sql::new(
        "UPDATE normative_documents SET (title, number, status, published_on, effective_on, expires_on, filing_due, filed_on, legal_review_id) = (",
    );
    bind_derived(&mut q, &next);
    q.push("), state = ").bind(state_json(&next));
    q.execute_at_version(&mut tx, now, id, row.version).await?;
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
        &format!("normative.{code}"),
        &format!("normative:{id}"),
        &format!("{} -> {}", row.status, next.status),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(by_id(db, id).await?))
}
