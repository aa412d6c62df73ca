//! The 复议 and 诉讼 register: cases created, read in scope, and changed one action at
//! a time, each in one transaction with its timeline entry and audit row; and the
//! hearings a head attended, for the annual report's 第一责任人 section.

use fazhi_core::decisions::{
    AttendeeRole, Instance, LitigationActionCode, LitigationKind, LitigationOutcome,
    LitigationState, LitigationStatus,
};
use fazhi_core::role::Role;
use time::Date;

use crate::audit::{self, Actor};
use crate::column::{Column, code_columns};
use crate::sql::{Count, Sql, Value, row};
use crate::timeline::{Entry, Timeline};
use crate::{Db, DbError, Result, now_ms};

/// The timeline of these records.
const EVENTS: Timeline = Timeline {
    insert: "INSERT INTO litigation_events (litigation_id, at, on_date, actor_id, actor, action, to_status, note) VALUES (",
    from_status: false,
    payload: false,
};

code_columns!(
    LitigationKind,
    LitigationStatus,
    LitigationOutcome,
    LitigationActionCode
);

row!(
    /// One case with the name of its township.
    LitigationRow {
        id: i64,
        kind: LitigationKind,
        status: LitigationStatus,
        division_id: i64,
        division_name: String,
        division_path: String,
        claimant: String,
        challenged_act: String,
        received_on: Date,
        answer_due: Date,
        answered_on: Option<Date>,
        concluded_on: Option<Date>,
        outcome: Option<LitigationOutcome>,
        enforcement_case_id: Option<i64>,
        major_decision_id: Option<i64>,
        state: String,
        version: i64,
    }
);

impl LitigationRow {
    /// The state stored with the row.
    pub fn state(&self) -> Result<LitigationState> {
        serde_json::from_str(&self.state).map_err(|e| {
            DbError::Config(format!(
                "litigation case {} has a damaged state: {e}",
                self.id
            ))
        })
    }
}

row!(
    /// One timeline entry.
    LitigationEventRow {
        id: i64,
        litigation_id: i64,
        at: i64,
        on_date: Date,
        actor: String,
        action: LitigationActionCode,
        to_status: LitigationStatus,
        note: String,
    }
);

row!(
    /// A user who may attend as a head: a township leader of the township.
    HeadRow {
        id: i64,
        display_name: String,
    }
);

const COLS: &str = "SELECT c.id, c.kind, c.status, c.division_id, d.name AS division_name, c.division_path, c.claimant, c.challenged_act, c.received_on, c.answer_due, c.answered_on, c.concluded_on, c.outcome, c.enforcement_case_id, c.major_decision_id, c.state, c.version FROM litigation_cases c JOIN divisions d ON d.id = c.division_id";

fn state_json(s: &LitigationState) -> String {
    serde_json::to_string(s).expect("litigation state serialises")
}

/// Derived columns: (status, answer_due, answered_on, concluded_on, outcome).
fn bind_derived(q: &mut Sql, s: &LitigationState) {
    q.bind(s.status).push(", ").bind(s.answer_due).push(", ");
    q.bind(s.answer.as_ref().map(|a| a.on)).push(", ");
    q.bind(s.concluded_on).push(", ").bind(s.outcome);
}

/// Stores a new case at `(division_id, path)` with its first timeline entry.
pub async fn create(
    db: &Db,
    actor: &Actor,
    division_id: i64,
    path: &str,
    s: &LitigationState,
    today: Date,
) -> Result<LitigationRow> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO litigation_cases (kind, division_id, division_path, claimant, challenged_act, received_on, enforcement_case_id, major_decision_id, state, version, created_by, created_at, updated_at, status, answer_due, answered_on, concluded_on, outcome) VALUES (",
    );
    q.bind(s.kind).push(", ").bind(division_id).push(", ");
    q.bind(path.to_string()).push(", ");
    q.bind(s.claimant.clone()).push(", ");
    q.bind(s.challenged_act.clone()).push(", ");
    q.bind(s.received_on).push(", ");
    q.bind(s.enforcement_case_id).push(", ");
    q.bind(s.major_decision_id).push(", ");
    q.bind(state_json(s))
        .push(", 1, ")
        .bind(actor.id)
        .push(", ");
    q.bind(now).push(", ").bind(now).push(", ");
    bind_derived(&mut q, s);
    q.push(") RETURNING id");
    let id = q.fetch_one::<Count>(&mut tx).await?.0;
    let code = LitigationActionCode::Register;
    let note = format!("{}：{}", s.kind.label_zh(), s.challenged_act);
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
        "litigation.register",
        &format!("litigation:{id}"),
        &format!("{} {}", s.kind.label_zh(), s.claimant),
    )
    .await?;
    tx.commit().await?;
    by_id(db, id).await
}

/// One case by id, unscoped (for the code that just wrote it).
pub async fn by_id(db: &Db, id: i64) -> Result<LitigationRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE c.id = ").bind(id);
    q.fetch_one(db.reader()).await
}

/// One case by id inside the scope; out of scope is `NotFound`.
pub async fn get(db: &Db, roots: &[String], id: i64) -> Result<LitigationRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE c.id = ")
        .bind(id)
        .push(" AND ")
        .scope("c.division_path", roots);
    q.fetch_one(db.reader()).await
}

/// What a list of cases is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct LitigationFilter {
    pub kind: Option<LitigationKind>,
    pub status: Option<LitigationStatus>,
    /// Received in `[from, to]`.
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// Every case matching in scope, oldest first (a township has a handful a year).
pub async fn list(db: &Db, roots: &[String], f: &LitigationFilter) -> Result<Vec<LitigationRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE ").scope("c.division_path", roots);
    if let Some(k) = f.kind {
        q.push(" AND c.kind = ").bind(k);
    }
    if let Some(s) = f.status {
        q.push(" AND c.status = ").bind(s);
    }
    if let Some(d) = f.from {
        q.push(" AND c.received_on >= ").bind(d);
    }
    if let Some(d) = f.to {
        q.push(" AND c.received_on <= ").bind(d);
    }
    q.push(" ORDER BY c.received_on, c.id LIMIT 20000");
    q.fetch_all(db.reader()).await
}

/// The timeline of a case, oldest first.
pub async fn events(db: &Db, id: i64) -> Result<Vec<LitigationEventRow>> {
    let mut q = Sql::new(
        "SELECT e.id, e.litigation_id, e.at, e.on_date, COALESCE(u.display_name, e.actor) AS actor, e.action, e.to_status, e.note FROM litigation_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.litigation_id = ",
    );
    // People by their names, as the matters and cases timelines show them.
    q.bind(id).push(" ORDER BY e.on_date, e.id");
    q.fetch_all(db.reader()).await
}

/// Applies one action to a case in scope. `decide` sees the current state and either
/// refuses (`Ok(Err(_))`, nothing written) or returns the new state and the timeline
/// note. `expected_version`, when given, must match.
#[allow(clippy::too_many_arguments)]
pub async fn act<E>(
    db: &Db,
    actor: &Actor,
    roots: &[String],
    id: i64,
    expected_version: Option<i64>,
    code: LitigationActionCode,
    today: Date,
    decide: impl FnOnce(LitigationState) -> std::result::Result<(LitigationState, String), E>,
) -> Result<std::result::Result<LitigationRow, E>> {
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
    let mut q = Sql::new(
        "UPDATE litigation_cases SET (status, answer_due, answered_on, concluded_on, outcome) = (",
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
        &format!("litigation.{code}"),
        &format!("litigation:{id}"),
        &format!("{} -> {}", row.status, next.status),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(by_id(db, id).await?))
}

/// The township leaders of the township at `path` (who may attend as its head).
pub async fn heads(db: &Db, path: &str) -> Result<Vec<HeadRow>> {
    let mut q = Sql::new(
        "SELECT DISTINCT u.id, u.display_name FROM users u JOIN grants g ON g.user_id = u.id JOIN divisions d ON d.id = g.division_id WHERE g.role = ",
    );
    q.bind(Role::TownshipLeader)
        .push(" AND d.path = ")
        .bind(path.to_string());
    q.push(" AND u.disabled = ")
        .bind(false)
        .push(" ORDER BY u.id");
    q.fetch_all(db.reader()).await
}

/// One hearing a head of the township attended (负责人出庭应诉).
#[derive(Debug, Clone, PartialEq)]
pub struct HeadAttendance {
    pub litigation_id: i64,
    pub kind: LitigationKind,
    pub instance: Option<Instance>,
    pub case_number: String,
    pub challenged_act: String,
    pub on: Date,
    pub role: AttendeeRole,
    /// The head's account, as recorded.
    pub user_id: Option<i64>,
    pub name: String,
    pub spoke_on_resolution: bool,
}

/// The hearings held in `year` that a head of the township `township_division_id`
/// attended, oldest first: what the annual report's 第一责任人 section cites.
pub async fn head_attendance(
    db: &Db,
    township_division_id: i64,
    year: i32,
) -> Result<Vec<HeadAttendance>> {
    let town = crate::admin::divisions::by_id(db, township_division_id).await?;
    // A hearing of the year belongs to a case received by its end.
    let end = Date::from_calendar_date(year, time::Month::December, 31)
        .map_err(|e| DbError::Config(format!("year {year}: {e}")))?;
    let f = LitigationFilter {
        to: Some(end),
        ..LitigationFilter::default()
    };
    let mut out = Vec::new();
    for r in list(db, std::slice::from_ref(&town.path), &f).await? {
        let s = r.state()?;
        for h in s.hearings.iter().filter(|h| h.on.year() == year) {
            if let Some(role) = h.attendee.filter(|a| a.is_head()) {
                out.push(HeadAttendance {
                    litigation_id: r.id,
                    kind: s.kind,
                    instance: s.instance,
                    case_number: s.case_number.clone(),
                    challenged_act: s.challenged_act.clone(),
                    on: h.on,
                    role,
                    user_id: h.head_user_id,
                    name: h.attendee_name.clone(),
                    spoke_on_resolution: h.spoke_on_resolution,
                });
            }
        }
    }
    out.sort_by_key(|a| (a.on, a.litigation_id));
    Ok(out)
}
