//! Contracts: created, read in scope, and changed one action at a time, each in one
//! transaction with its timeline entry and audit row. Submitting for review and
//! signing also write the linked item of the review desk in the same transaction, so
//! the contract and the 审查率 never disagree.

use fazhi_core::decisions::{ContractActionCode, ContractState, ContractStatus, ReviewState};
use time::Date;

use super::reviews::{self, ReviewRow};
use crate::audit::{self, Actor};
use crate::column::{Column, code_columns};
use crate::sql::{Count, Sql, Value, row};
use crate::timeline::{Entry, Timeline};
use crate::{Db, DbError, Result, now_ms};

/// The timeline of these records.
const EVENTS: Timeline = Timeline {
    insert: "INSERT INTO contract_events (contract_id, at, on_date, actor_id, actor, action, to_status, note) VALUES (",
    from_status: false,
    payload: false,
};

code_columns!(ContractStatus, ContractActionCode);

row!(
    /// One contract with the name of its township.
    ContractRow {
        id: i64,
        division_id: i64,
        division_name: String,
        division_path: String,
        title: String,
        counterparty: String,
        amount_fen: i64,
        status: ContractStatus,
        signed_on: Option<Date>,
        expires_on: Option<Date>,
        skipped_review: bool,
        legal_review_id: Option<i64>,
        state: String,
        version: i64,
    }
);

impl ContractRow {
    /// The state stored with the row.
    pub fn state(&self) -> Result<ContractState> {
        serde_json::from_str(&self.state)
            .map_err(|e| DbError::Config(format!("contract {} has a damaged state: {e}", self.id)))
    }
}

row!(
    /// One timeline entry.
    ContractEventRow {
        id: i64,
        contract_id: i64,
        at: i64,
        on_date: Date,
        actor: String,
        action: ContractActionCode,
        to_status: ContractStatus,
        note: String,
    }
);

const COLS: &str = "SELECT c.id, c.division_id, d.name AS division_name, c.division_path, c.title, c.counterparty, c.amount_fen, c.status, c.signed_on, c.expires_on, c.skipped_review, c.legal_review_id, c.state, c.version FROM contracts c JOIN divisions d ON d.id = c.division_id";

fn state_json(s: &ContractState) -> String {
    serde_json::to_string(s).expect("contract state serialises")
}

/// Derived columns: (title, counterparty, amount_fen, status, signed_on, expires_on,
/// skipped_review, legal_review_id).
fn bind_derived(q: &mut Sql, s: &ContractState) {
    q.bind(s.title.clone())
        .push(", ")
        .bind(s.counterparty.clone());
    q.push(", ").bind(s.amount_fen).push(", ").bind(s.status);
    q.push(", ").bind(s.signed_on).push(", ").bind(s.expires_on);
    q.push(", ").bind(s.skipped_review()).push(", ");
    q.bind(s.legal_review_id);
}

/// Stores a new contract at `(division_id, path)` with its first timeline entry.
pub async fn create(
    db: &Db,
    actor: &Actor,
    division_id: i64,
    path: &str,
    s: &ContractState,
    today: Date,
) -> Result<ContractRow> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO contracts (division_id, division_path, state, version, created_by, created_at, updated_at, title, counterparty, amount_fen, status, signed_on, expires_on, skipped_review, legal_review_id) VALUES (",
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
    let code = ContractActionCode::Register;
    let note = format!(
        "{}，相对方{}，金额{}",
        s.title,
        s.counterparty,
        s.amount_label()
    );
    EVENTS
        .append(
            &mut tx,
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
        &mut tx,
        actor,
        "contract.register",
        &format!("contract:{id}"),
        &s.title,
    )
    .await?;
    tx.commit().await?;
    by_id(db, id).await
}

/// One contract by id, unscoped (for the code that just wrote it).
pub async fn by_id(db: &Db, id: i64) -> Result<ContractRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE c.id = ").bind(id);
    q.fetch_one(db.reader()).await
}

/// One contract by id inside the scope; out of scope is `NotFound`.
pub async fn get(db: &Db, roots: &[String], id: i64) -> Result<ContractRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE c.id = ")
        .bind(id)
        .push(" AND ")
        .scope("c.division_path", roots);
    q.fetch_one(db.reader()).await
}

/// What a list of contracts is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct ContractFilter {
    pub status: Option<ContractStatus>,
    /// Signed in `[from, to]`.
    pub signed_from: Option<Date>,
    pub signed_to: Option<Date>,
    /// In force and expiring on or before this day.
    pub expires_by: Option<Date>,
}

/// Every contract matching in scope, newest first.
pub async fn list(db: &Db, roots: &[String], f: &ContractFilter) -> Result<Vec<ContractRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE ").scope("c.division_path", roots);
    if let Some(s) = f.status {
        q.push(" AND c.status = ").bind(s);
    }
    if let Some(d) = f.signed_from {
        q.push(" AND c.signed_on >= ").bind(d);
    }
    if let Some(d) = f.signed_to {
        q.push(" AND c.signed_on <= ").bind(d);
    }
    if let Some(d) = f.expires_by {
        q.push(" AND c.status = ")
            .bind(ContractStatus::Signed)
            .push(" AND c.expires_on <= ")
            .bind(d);
        q.push(" ORDER BY c.expires_on, c.id LIMIT 20000");
    } else {
        q.push(" ORDER BY c.id DESC LIMIT 20000");
    }
    q.fetch_all(db.reader()).await
}

/// The timeline of a contract, oldest first.
pub async fn events(db: &Db, id: i64) -> Result<Vec<ContractEventRow>> {
    let mut q = Sql::new(
        "SELECT e.id, e.contract_id, e.at, e.on_date, COALESCE(u.display_name, e.actor) AS actor, e.action, e.to_status, e.note FROM contract_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.contract_id = ",
    );
    // People by their names, as the matters and cases timelines show them.
    q.bind(id).push(" ORDER BY e.on_date, e.id");
    q.fetch_all(db.reader()).await
}

/// The linked review item of a contract, if any (unscoped: the link was checked when
/// it was made).
pub async fn review_of(db: &Db, s: &ContractState) -> Result<Option<ReviewRow>> {
    match s.legal_review_id {
        Some(id) => Ok(Some(reviews::by_id(db, id).await?)),
        None => Ok(None),
    }
}

/// What an action writes on the review desk, in the contract's transaction.
pub enum DeskWrite {
    None,
    /// A new item (submitted, or registered as signed without review); its id is
    /// linked to the contract.
    Create(ReviewState),
    /// The linked item's new state, with its action code and note.
    Update(ReviewState, fazhi_core::decisions::ReviewActionCode, String),
}

/// Applies one action to a contract in scope. `decide` sees the current state and the
/// linked review item and either refuses (`Ok(Err(_))`, nothing written) or returns
/// the new state, what to write on the desk and the timeline note.
#[allow(clippy::too_many_arguments)]
pub async fn act<E>(
    db: &Db,
    actor: &Actor,
    roots: &[String],
    id: i64,
    expected_version: Option<i64>,
    code: ContractActionCode,
    today: Date,
    decide: impl FnOnce(
        ContractState,
        Option<(&ReviewRow, ReviewState)>,
    ) -> std::result::Result<(ContractState, DeskWrite, String), E>,
) -> Result<std::result::Result<ContractRow, E>> {
    let row = get(db, roots, id).await?;
    if expected_version.is_some_and(|v| v != row.version) {
        return Err(DbError::Stale);
    }
    let state = row.state()?;
    let review = review_of(db, &state).await?;
    let linked = match &review {
        Some(r) => Some((r, r.state()?)),
        None => None,
    };
    let (mut next, desk, note) = match decide(state, linked) {
        Ok(x) => x,
        Err(e) => return Ok(Err(e)),
    };
    let mut tx = db.begin().await?;
    match desk {
        DeskWrite::None => {}
        DeskWrite::Create(rs) => {
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
        DeskWrite::Update(rs, rcode, rnote) => {
            let r = review.as_ref().ok_or(DbError::NotFound)?;
            reviews::update_tx(&mut tx, actor, r, &rs, rcode, &rnote, today).await?;
        }
    }
    let now = now_ms();
    let mut q = Sql::new(
        "UPDATE contracts SET (title, counterparty, amount_fen, status, signed_on, expires_on, skipped_review, legal_review_id) = (",
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
        &format!("contract.{code}"),
        &format!("contract:{id}"),
        &format!("{} -> {}", row.status, next.status),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(by_id(db, id).await?))
}
