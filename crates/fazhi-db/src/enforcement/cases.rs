//! Enforcement cases: created, read in scope, and changed one action at a time, each
//! in one transaction with its timeline entry and audit row. Concurrent edits are
//! caught by the version column, as for matters.

use fazhi_core::enforcement::{CaseActionCode, CaseOutcome, CaseState, CaseStatus, Procedure};
use time::Date;

use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::timeline::{Entry, Timeline};
use crate::{Db, DbError, Result, now_ms};

/// The timeline of these records.
const EVENTS: Timeline = Timeline {
    insert: "INSERT INTO case_events (case_id, at, on_date, actor_id, actor, action, from_status, to_status, note, payload) VALUES (",
    from_status: true,
    payload: true,
};

row!(
    /// One case with the names of its place and item.
    CaseRow {
        id: i64,
        number: String,
        procedure: Procedure,
        status: CaseStatus,
        item_id: i64,
        item_name: String,
        division_id: i64,
        division_name: String,
        division_path: String,
        matter_id: Option<i64>,
        party_name: String,
        opened_on: Date,
        due_on: Option<Date>,
        paused: bool,
        decided_on: Option<Date>,
        outcome: Option<CaseOutcome>,
        fine_fen: i64,
        paid_fen: i64,
        closed_on: Option<Date>,
        publish_due: Option<Date>,
        published_on: Option<Date>,
        withdrawn_on: Option<Date>,
        state: String,
        version: i64,
        created_at: i64,
        updated_at: i64,
    }
);

impl CaseRow {
    /// The workflow state stored with the row.
    pub fn state(&self) -> Result<CaseState> {
        serde_json::from_str(&self.state)
            .map_err(|e| DbError::Config(format!("case {} has a damaged state: {e}", self.id)))
    }
}

row!(
    /// One timeline entry.
    CaseEventRow {
        id: i64,
        case_id: i64,
        at: i64,
        on_date: Date,
        actor_id: Option<i64>,
        actor: String,
        action: CaseActionCode,
        from_status: Option<CaseStatus>,
        to_status: CaseStatus,
        note: String,
    }
);

const COLS: &str = "SELECT c.id, c.number, c.procedure, c.status, c.item_id, i.name AS item_name, c.division_id, d.name AS division_name, c.division_path, c.matter_id, c.party_name, c.opened_on, c.due_on, c.paused, c.decided_on, c.outcome, c.fine_fen, c.paid_fen, c.closed_on, c.publish_due, c.published_on, c.withdrawn_on, c.state, c.version, c.created_at, c.updated_at FROM enforcement_cases c JOIN enforcement_items i ON i.id = c.item_id JOIN divisions d ON d.id = c.division_id";

/// Derived columns of a state: (status, due_on, paused, decided_on, outcome, fine, paid,
/// closed_on, publish_due, published_on, withdrawn_on, withdraw_due).
fn bind_derived(q: &mut Sql, s: &CaseState, publish_due: Option<Date>) {
    let clock = s.clock.as_ref().filter(|_| s.status.before_decision());
    q.bind(s.status).push(", ");
    q.bind(clock.map(|c| c.due)).push(", ");
    q.bind(i64::from(clock.is_some_and(|c| c.is_paused())))
        .push(", ");
    q.bind(s.decision.as_ref().map(|d| d.on)).push(", ");
    q.bind(s.decision.as_ref().map(|d| d.outcome)).push(", ");
    q.bind(s.fine_fen()).push(", ").bind(s.paid()).push(", ");
    q.bind(s.closed_on).push(", ").bind(publish_due).push(", ");
    q.bind(s.published_on)
        .push(", ")
        .bind(s.withdrawn_on)
        .push(", ");
    q.bind(s.withdraw_due);
}

fn state_json(s: &CaseState) -> String {
    serde_json::to_string(s).expect("case state serialises")
}

/// A new case: where it happened and the name of its township (for the number).
#[derive(Debug, Clone)]
pub struct NewCase {
    pub division_id: i64,
    pub division_path: String,
    /// Township path, for numbering per township and year.
    pub township_path: String,
    /// Short name for the number, e.g. "青石".
    pub number_prefix: String,
    pub state: CaseState,
    pub today: Date,
    /// Last day to publish the decision, when there is one to publish.
    pub publish_due: Option<Date>,
}

/// Stores a new case and its first timeline entry; numbers it `青石执罚〔2026〕7号`
/// (ordinary) or `青石当罚〔2026〕7号` (on the spot), without gaps per township and year.
pub async fn create(db: &Db, actor: &Actor, c: &NewCase) -> Result<CaseRow> {
    let s = &c.state;
    let year = c.today.year();
    let mut tx = db.begin().await?;
    let mut q = Sql::new("SELECT COUNT(*) FROM enforcement_cases WHERE procedure = ");
    q.bind(s.procedure)
        .push(" AND opened_on >= ")
        .bind(format!("{year}-01-01"))
        .push(" AND opened_on <= ")
        .bind(format!("{year}-12-31"))
        .push(" AND ")
        .scope("division_path", std::slice::from_ref(&c.township_path));
    let n = q.fetch_one::<Count>(&mut tx).await?.0 + 1;
    let word = match s.procedure {
        Procedure::Simple => "当罚",
        Procedure::Ordinary => "执罚",
    };
    let number = format!("{}{word}〔{year}〕{n}号", c.number_prefix);
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO enforcement_cases (number, procedure, item_id, division_id, division_path, matter_id, party_name, opened_on, state, version, created_by, created_at, updated_at, status, due_on, paused, decided_on, outcome, fine_fen, paid_fen, closed_on, publish_due, published_on, withdrawn_on, withdraw_due) VALUES (",
    );
    q.bind(number.clone())
        .push(", ")
        .bind(s.procedure)
        .push(", ");
    q.bind(s.item.id).push(", ").bind(c.division_id).push(", ");
    q.bind(c.division_path.clone()).push(", ").bind(s.matter_id);
    q.push(", ").bind(s.party.name.clone()).push(", ");
    q.bind(s.opened_on).push(", ").bind(state_json(s));
    q.push(", 1, ")
        .bind(actor.id)
        .push(", ")
        .bind(now)
        .push(", ");
    q.bind(now).push(", ");
    bind_derived(&mut q, s, c.publish_due);
    q.push(") RETURNING id");
    let id = q.fetch_one::<Count>(&mut tx).await?.0;
    let first = match s.procedure {
        Procedure::Simple => CaseActionCode::DecideOnSpot,
        Procedure::Ordinary => CaseActionCode::Open,
    };
    let note = format!("{}：{}", s.item.spec.name, s.facts);
    EVENTS
        .append(
            &mut tx,
            Entry {
                id,
                actor,
                action: first,
                from: None,
                to: s.status,
                note: &note,
                on: c.today,
                at: now,
            },
        )
        .await?;
    audit::append_tx(
        &mut tx,
        actor,
        &format!("enforcement.{first}"),
        &format!("enforcement_case:{id}"),
        &number,
    )
    .await?;
    tx.commit().await?;
    by_id(db, id).await
}

/// One case by id, unscoped (for the code that just wrote it).
pub async fn by_id(db: &Db, id: i64) -> Result<CaseRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE c.id = ").bind(id);
    q.fetch_one(db.reader()).await
}

/// One case by id inside the scope; out of scope is `NotFound`.
pub async fn get(db: &Db, roots: &[String], id: i64) -> Result<CaseRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE c.id = ")
        .bind(id)
        .push(" AND ")
        .scope("c.division_path", roots);
    q.fetch_one(db.reader()).await
}

/// What a list of cases is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub status: Option<CaseStatus>,
    pub procedure: Option<Procedure>,
    pub outcome: Option<CaseOutcome>,
    pub item_id: Option<i64>,
    /// Opened in `[from, to]`.
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Cases still before a decision whose 90-day clock has passed on this day.
    pub overdue_on: Option<Date>,
    /// Cases at this place or below it (a township's path), inside the scope.
    pub under: Option<String>,
}

fn push_filter(q: &mut Sql, roots: &[String], f: &CaseFilter) {
    q.push(" WHERE ").scope("c.division_path", roots);
    if let Some(s) = f.status {
        q.push(" AND c.status = ").bind(s);
    }
    if let Some(p) = f.procedure {
        q.push(" AND c.procedure = ").bind(p);
    }
    if let Some(o) = f.outcome {
        q.push(" AND c.outcome = ").bind(o);
    }
    if let Some(i) = f.item_id {
        q.push(" AND c.item_id = ").bind(i);
    }
    if let Some(d) = f.from {
        q.push(" AND c.opened_on >= ").bind(d);
    }
    if let Some(d) = f.to {
        q.push(" AND c.opened_on <= ").bind(d);
    }
    if let Some(path) = &f.under {
        q.push(" AND ")
            .scope("c.division_path", std::slice::from_ref(path));
    }
    if let Some(d) = f.overdue_on {
        q.push(" AND c.paused = 0 AND c.due_on < ").bind(d);
    }
}

/// A page of cases, newest first; `offset` counts rows skipped.
pub async fn list(
    db: &Db,
    roots: &[String],
    f: &CaseFilter,
    offset: i64,
    limit: i64,
) -> Result<Vec<CaseRow>> {
    let mut q = Sql::new(COLS);
    push_filter(&mut q, roots, f);
    q.push(" ORDER BY c.opened_on DESC, c.id DESC LIMIT ")
        .bind(limit)
        .push(" OFFSET ")
        .bind(offset);
    q.fetch_all(db.reader()).await
}

/// How many cases match.
pub async fn count(db: &Db, roots: &[String], f: &CaseFilter) -> Result<i64> {
    let mut q = Sql::new("SELECT COUNT(*) FROM enforcement_cases c");
    push_filter(&mut q, roots, f);
    Ok(q.fetch_one::<Count>(db.reader()).await?.0)
}

/// Every case matching, for the figures (a township's year is thousands at most).
pub async fn states(db: &Db, roots: &[String], f: &CaseFilter) -> Result<Vec<CaseRow>> {
    let mut q = Sql::new(COLS);
    push_filter(&mut q, roots, f);
    q.push(" ORDER BY c.id");
    q.fetch_all(db.reader()).await
}

/// The timeline of a case, oldest first.
pub async fn events(db: &Db, case_id: i64) -> Result<Vec<CaseEventRow>> {
    let mut q = Sql::new(
        "SELECT e.id, e.case_id, e.at, e.on_date, e.actor_id, COALESCE(u.display_name, e.actor) AS actor, e.action, e.from_status, e.to_status, e.note FROM case_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.case_id = ",
    );
    // By day first: demo and imported histories may record a step after a later one.
    q.bind(case_id).push(" ORDER BY e.on_date, e.id");
    q.fetch_all(db.reader()).await
}

/// Applies one action to `row`, a case the caller read in scope (it needed the row to
/// decide who acts; reading it again here would be a second round trip per action).
/// `decide` sees the current state and either refuses (its error comes back as
/// `Ok(Err(_))`, nothing written) or returns the new state and the timeline note.
/// `expected_version`, when given, must match; the write is conditional on the version
/// read, so a change since then answers `Stale`.
#[allow(clippy::too_many_arguments)]
pub async fn act<E>(
    db: &Db,
    actor: &Actor,
    row: CaseRow,
    expected_version: Option<i64>,
    code: CaseActionCode,
    today: Date,
    decide: impl FnOnce(&CaseRow, CaseState) -> std::result::Result<(CaseState, String), E>,
    publish_due: impl FnOnce(&CaseState) -> Option<Date>,
) -> Result<std::result::Result<CaseRow, E>> {
    let id = row.id;
    if expected_version.is_some_and(|v| v != row.version) {
        return Err(DbError::Stale);
    }
    let state = row.state()?;
    let from = state.status;
    let (next, note) = match decide(&row, state) {
        Ok(x) => x,
        Err(e) => return Ok(Err(e)),
    };
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new(
        "UPDATE enforcement_cases SET (status, due_on, paused, decided_on, outcome, fine_fen, paid_fen, closed_on, publish_due, published_on, withdrawn_on, withdraw_due) = (",
    );
    bind_derived(&mut q, &next, publish_due(&next));
    q.push("), state = ").bind(state_json(&next));
    q.execute_at_version(&mut tx, now, id, row.version).await?;
    EVENTS
        .append(
            &mut tx,
            Entry {
                id,
                actor,
                action: code,
                from: Some(from),
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
        &format!("enforcement.{code}"),
        &format!("enforcement_case:{id}"),
        &format!("{from} -> {}", next.status),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(by_id(db, id).await?))
}

/// Decisions published in a township and not withdrawn, newest first. Public (no
/// scope); the caller leaves out those past their takedown day.
pub async fn published(db: &Db, township_path: &str) -> Result<Vec<CaseRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE c.published_on IS NOT NULL AND c.withdrawn_on IS NULL AND ")
        .scope("c.division_path", &[township_path.to_string()])
        .push(" ORDER BY c.published_on DESC, c.id DESC LIMIT 500");
    q.fetch_all(db.reader()).await
}

/// 公示 to do in scope, nearest deadline first: penalty decisions not yet published,
/// and published decisions revoked since and not yet withdrawn.
pub async fn unpublished(db: &Db, roots: &[String]) -> Result<Vec<CaseRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE ((c.publish_due IS NOT NULL AND c.published_on IS NULL AND c.withdraw_due IS NULL) OR (c.withdraw_due IS NOT NULL AND c.withdrawn_on IS NULL)) AND ")
        .scope("c.division_path", roots)
        .push(" ORDER BY COALESCE(c.withdraw_due, c.publish_due), c.id LIMIT 500");
    q.fetch_all(db.reader()).await
}

/// The cases opened from a matter (the caller has already checked the matter's scope).
pub async fn of_matter(db: &Db, matter_id: i64) -> Result<Vec<CaseRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE c.matter_id = ")
        .bind(matter_id)
        .push(" ORDER BY c.id");
    q.fetch_all(db.reader()).await
}

/// Records in the audit log an action the law refused (a shortcut tried), so the
/// attempt stays on file even though nothing changed.
pub async fn log_refusal(
    db: &Db,
    actor: &Actor,
    id: i64,
    action: CaseActionCode,
    reason: &str,
) -> Result<()> {
    let mut tx = db.begin().await?;
    audit::append_tx(
        &mut tx,
        actor,
        "enforcement.refused",
        &format!("enforcement_case:{id}"),
        &format!("{}：{reason}", action.label_zh()),
    )
    .await?;
    tx.commit().await
}
