//! Items on the review desk: created, read in scope, and changed one action at a time,
//! each in one transaction with its timeline entry and audit row. Concurrent edits are
//! caught by the version column, as for cases.

use fazhi_core::decisions::{
    LegalOpinion, ReviewActionCode, ReviewKind, ReviewState, ReviewStatus,
};
use time::Date;

use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::timeline::{Entry, Timeline};
use crate::{Db, DbError, Result, now_ms};

/// The timeline of these records.
const EVENTS: Timeline = Timeline {
    insert: "INSERT INTO legal_review_events (review_id, at, on_date, actor_id, actor, action, from_status, to_status, note) VALUES (",
    from_status: true,
    payload: false,
};

row!(
    /// One item with the name of its township.
    ReviewRow {
        id: i64,
        kind: ReviewKind,
        status: ReviewStatus,
        division_id: i64,
        division_name: String,
        division_path: String,
        title: String,
        drafting_unit: String,
        submitted_on: Date,
        due_on: Date,
        opinion: Option<LegalOpinion>,
        reviewed_on: Option<Date>,
        signed_on: Option<Date>,
        skipped: bool,
        enforcement_case_id: Option<i64>,
        major_decision_id: Option<i64>,
        state: String,
        version: i64,
    }
);

impl ReviewRow {
    /// The state stored with the row.
    pub fn state(&self) -> Result<ReviewState> {
        serde_json::from_str(&self.state).map_err(|e| {
            DbError::Config(format!("review item {} has a damaged state: {e}", self.id))
        })
    }
}

row!(
    /// One timeline entry.
    ReviewEventRow {
        id: i64,
        review_id: i64,
        at: i64,
        on_date: Date,
        actor_id: Option<i64>,
        actor: String,
        action: ReviewActionCode,
        from_status: Option<ReviewStatus>,
        to_status: ReviewStatus,
        note: String,
    }
);

const COLS: &str = "SELECT r.id, r.kind, r.status, r.division_id, d.name AS division_name, r.division_path, r.title, r.drafting_unit, r.submitted_on, r.due_on, r.opinion, r.reviewed_on, r.signed_on, r.skipped, r.enforcement_case_id, r.major_decision_id, r.state, r.version FROM legal_reviews r JOIN divisions d ON d.id = r.division_id";

/// Derived columns: (status, due_on, opinion, reviewed_on, signed_on, skipped,
/// opinion_adviser_id).
fn bind_derived(q: &mut Sql, s: &ReviewState) {
    q.bind(s.status).push(", ").bind(s.due_on).push(", ");
    q.bind(s.opinion.as_ref().map(|o| o.opinion)).push(", ");
    q.bind(s.opinion.as_ref().map(|o| o.on)).push(", ");
    q.bind(s.signed_on).push(", ").bind(i64::from(s.skipped()));
    q.push(", ")
        .bind(s.opinion.as_ref().and_then(|o| o.adviser_id));
}

fn state_json(s: &ReviewState) -> String {
    serde_json::to_string(s).expect("review state serialises")
}

/// Stores a new item at `(division_id, path)` and its first timeline entry.
pub async fn create(
    db: &Db,
    actor: &Actor,
    division_id: i64,
    path: &str,
    s: &ReviewState,
    today: Date,
) -> Result<ReviewRow> {
    let mut tx = db.begin().await?;
    let id = insert_tx(&mut tx, actor, division_id, path, s, today).await?;
    tx.commit().await?;
    by_id(db, id).await
}

/// [`create`] inside a caller's transaction (a contract signed without review registers
/// its item with the signing); the new item's id.
pub(crate) async fn insert_tx(
    tx: &mut crate::WriteTx,
    actor: &Actor,
    division_id: i64,
    path: &str,
    s: &ReviewState,
    today: Date,
) -> Result<i64> {
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO legal_reviews (kind, division_id, division_path, title, drafting_unit, submitted_on, enforcement_case_id, major_decision_id, state, version, created_by, created_at, updated_at, status, due_on, opinion, reviewed_on, signed_on, skipped, opinion_adviser_id) VALUES (",
    );
    q.bind(s.kind).push(", ").bind(division_id).push(", ");
    q.bind(path.to_string())
        .push(", ")
        .bind(s.title.clone())
        .push(", ");
    q.bind(s.drafting_unit.clone())
        .push(", ")
        .bind(s.submitted_on)
        .push(", ");
    q.bind(s.enforcement_case_id)
        .push(", ")
        .bind(s.major_decision_id)
        .push(", ");
    q.bind(state_json(s))
        .push(", 1, ")
        .bind(actor.id)
        .push(", ");
    q.bind(now).push(", ").bind(now).push(", ");
    bind_derived(&mut q, s);
    q.push(") RETURNING id");
    let id = q.fetch_one::<Count>(&mut *tx).await?.0;
    let code = if s.status == ReviewStatus::Signed {
        ReviewActionCode::Register
    } else {
        ReviewActionCode::Submit
    };
    let note = format!("{}：{}", s.kind.label_zh(), s.title);
    EVENTS
        .append(
            tx,
            Entry {
                id,
                actor,
                action: code,
                from: None,
                to: s.status,
                note: &note,
                on: today,
                at: now,
            },
        )
        .await?;
    audit::append_tx(
        tx,
        actor,
        &format!("legal_review.{code}"),
        &format!("legal_review:{id}"),
        &s.title,
    )
    .await?;
    Ok(id)
}

/// One item by id, unscoped (for the code that just wrote it).
pub async fn by_id(db: &Db, id: i64) -> Result<ReviewRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE r.id = ").bind(id);
    q.fetch_one(db.reader()).await
}

/// One item by id inside the scope; out of scope is `NotFound`.
pub async fn get(db: &Db, roots: &[String], id: i64) -> Result<ReviewRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE r.id = ")
        .bind(id)
        .push(" AND ")
        .scope("r.division_path", roots);
    q.fetch_one(db.reader()).await
}

/// What a list of items is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct ReviewFilter {
    pub status: Option<ReviewStatus>,
    pub kind: Option<ReviewKind>,
    /// Entered the desk in `[from, to]`.
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub major_decision_id: Option<i64>,
}

fn push_filter(q: &mut Sql, roots: &[String], f: &ReviewFilter) {
    q.push(" WHERE ").scope("r.division_path", roots);
    if let Some(s) = f.status {
        q.push(" AND r.status = ").bind(s);
    }
    if let Some(k) = f.kind {
        q.push(" AND r.kind = ").bind(k);
    }
    if let Some(d) = f.from {
        q.push(" AND r.submitted_on >= ").bind(d);
    }
    if let Some(d) = f.to {
        q.push(" AND r.submitted_on <= ").bind(d);
    }
    if let Some(m) = f.major_decision_id {
        q.push(" AND r.major_decision_id = ").bind(m);
    }
}

/// Every item matching, oldest first (a township's year is hundreds at most).
pub async fn list(db: &Db, roots: &[String], f: &ReviewFilter) -> Result<Vec<ReviewRow>> {
    let mut q = Sql::new(COLS);
    push_filter(&mut q, roots, f);
    q.push(" ORDER BY r.id LIMIT 20000");
    q.fetch_all(db.reader()).await
}

/// Items waiting for an opinion in scope, nearest due day first.
pub async fn pending(db: &Db, roots: &[String]) -> Result<Vec<ReviewRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE r.status = ")
        .bind(ReviewStatus::Pending)
        .push(" AND ")
        .scope("r.division_path", roots)
        .push(" ORDER BY r.due_on, r.id LIMIT 500");
    q.fetch_all(db.reader()).await
}

/// The timeline of an item, oldest first.
pub async fn events(db: &Db, review_id: i64) -> Result<Vec<ReviewEventRow>> {
    let mut q = Sql::new(
        "SELECT e.id, e.review_id, e.at, e.on_date, e.actor_id, COALESCE(u.display_name, e.actor) AS actor, e.action, e.from_status, e.to_status, e.note FROM legal_review_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.review_id = ",
    );
    // People by their names, as the matters and cases timelines show them.
    q.bind(review_id).push(" ORDER BY e.on_date, e.id");
    q.fetch_all(db.reader()).await
}

/// Applies one action to an item in scope. `decide` sees the current state and either
/// refuses (`Ok(Err(_))`, nothing written) or returns the new state and the timeline
/// note. `expected_version`, when given, must match.
#[allow(clippy::too_many_arguments)]
pub async fn act<E>(
    db: &Db,
    actor: &Actor,
    roots: &[String],
    id: i64,
    expected_version: Option<i64>,
    code: ReviewActionCode,
    today: Date,
    decide: impl FnOnce(&ReviewRow, ReviewState) -> std::result::Result<(ReviewState, String), E>,
) -> Result<std::result::Result<ReviewRow, E>> {
    let row = get(db, roots, id).await?;
    if expected_version.is_some_and(|v| v != row.version) {
        return Err(DbError::Stale);
    }
    let state = row.state()?;
    let (next, note) = match decide(&row, state) {
        Ok(x) => x,
        Err(e) => return Ok(Err(e)),
    };
    let mut tx = db.begin().await?;
    update_tx(&mut tx, actor, &row, &next, code, &note, today).await?;
    tx.commit().await?;
    Ok(Ok(by_id(db, id).await?))
}

/// Stores an item's new state inside a caller's transaction (version-checked), with
/// its timeline entry and audit row: a contract's signing signs its review item.
pub(crate) async fn update_tx(
    tx: &mut crate::WriteTx,
    actor: &Actor,
    row: &ReviewRow,
    next: &ReviewState,
    code: ReviewActionCode,
    note: &str,
    today: Date,
) -> Result<()> {
    let (id, from) = (row.id, row.status);
    let now = now_ms();
    let mut q = Sql::new(
        "UPDATE legal_reviews SET (status, due_on, opinion, reviewed_on, signed_on, skipped, opinion_adviser_id) = (",
    );
    bind_derived(&mut q, next);
    q.push("), state = ").bind(state_json(next));
    q.execute_at_version(&mut *tx, now, id, row.version).await?;
    EVENTS
        .append(
            tx,
            Entry {
                id,
                actor,
                action: code,
                from: Some(from),
                to: next.status,
                note,
                on: today,
                at: now,
            },
        )
        .await?;
    audit::append_tx(
        tx,
        actor,
        &format!("legal_review.{code}"),
        &format!("legal_review:{id}"),
        &format!("{from} -> {}", next.status),
    )
    .await?;
    Ok(())
}
