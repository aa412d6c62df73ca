//! The annual report's storage: saved drafts (`reports`), and what the report reads
//! that no single work stream sums up: the principal heads' own records for the
//! 第一责任人 part.

pub mod notices;
pub mod outside;
pub mod reports;
pub mod review;

use fazhi_core::enforcement::CaseActionCode;
use fazhi_core::matter::ActionCode;
use fazhi_core::role::Role;
use time::Date;

use crate::sql::{Sql, row};
use crate::{Db, Result};

row!(
    /// One head of a township (an account with the leader's role there) and what their
    /// own records show in a period.
    HeadRecord {
        user_id: i64,
        name: String,
        /// Study sessions attended (学法), and their minutes.
        study_present: i64,
        study_minutes: i64,
        /// 督办 signed on matters and on enforcement cases.
        matter_supervisions: i64,
        case_supervisions: i64,
        /// Enforcement decisions made, and collective discussions recorded.
        case_decisions: i64,
        discussions: i64,
        /// Collective discussions of major decisions recorded by the head (集体讨论决定).
        major_discussions: i64,
    }
);

/// The heads of township `township_id` with their records on days `[from, to]`.
pub async fn heads(db: &Db, township_id: i64, from: Date, to: Date) -> Result<Vec<HeadRecord>> {
    let mut q = Sql::new(
        "SELECT u.id AS user_id, u.display_name AS name, (SELECT COUNT(*) FROM study_attendance a JOIN study_sessions s ON s.id = a.session_id WHERE a.user_id = u.id AND a.present = 1 AND s.held_on >= ",
    );
    q.bind(from).push(" AND s.held_on <= ").bind(to);
    // PostgreSQL sums BIGINT into NUMERIC: cast back so both engines answer an integer.
    q.push(") AS study_present, (SELECT CAST(COALESCE(SUM(s.minutes), 0) AS BIGINT) FROM study_attendance a JOIN study_sessions s ON s.id = a.session_id WHERE a.user_id = u.id AND a.present = 1 AND s.held_on >= ");
    q.bind(from).push(" AND s.held_on <= ").bind(to);
    q.push(") AS study_minutes, (SELECT COUNT(*) FROM matter_events e WHERE e.actor_id = u.id AND e.action = ");
    q.bind(ActionCode::Supervise)
        .push(" AND e.on_date >= ")
        .bind(from);
    q.push(" AND e.on_date <= ").bind(to);
    q.push(") AS matter_supervisions, (SELECT COUNT(*) FROM case_events e WHERE e.actor_id = u.id AND e.action = ");
    q.bind(CaseActionCode::Supervise)
        .push(" AND e.on_date >= ")
        .bind(from);
    q.push(" AND e.on_date <= ").bind(to);
    q.push(") AS case_supervisions, (SELECT COUNT(*) FROM case_events e WHERE e.actor_id = u.id AND e.action = ");
    q.bind(CaseActionCode::Decide)
        .push(" AND e.on_date >= ")
        .bind(from);
    q.push(" AND e.on_date <= ").bind(to);
    q.push(") AS case_decisions, (SELECT COUNT(*) FROM case_events e WHERE e.actor_id = u.id AND e.action = ");
    q.bind(CaseActionCode::Discuss)
        .push(" AND e.on_date >= ")
        .bind(from);
    q.push(" AND e.on_date <= ").bind(to);
    q.push(") AS discussions, (SELECT COUNT(*) FROM major_decision_events e WHERE e.actor_id = u.id AND e.action = ");
    q.bind(fazhi_core::decisions::DecisionActionCode::Discuss)
        .push(" AND e.on_date >= ")
        .bind(from);
    q.push(" AND e.on_date <= ").bind(to);
    q.push(") AS major_discussions FROM users u WHERE u.disabled = 0 AND EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id AND g.role = ");
    q.bind(Role::TownshipLeader)
        .push(" AND g.division_id = ")
        .bind(township_id);
    q.push(") ORDER BY u.id");
    q.fetch_all(db.reader()).await
}

row!(NameRow { name: String });

/// The names of the parties in a township's matters received on `[from, to]`, for the
/// personal-data scan of its report (names are stored plain; ID numbers and phones are
/// sealed and found by pattern instead).
pub async fn party_names(db: &Db, path: &str, from: Date, to: Date) -> Result<Vec<String>> {
    let mut q = Sql::new(
        "SELECT DISTINCT p.name FROM parties p JOIN matters m ON m.id = p.matter_id WHERE ",
    );
    q.scope("m.division_path", &[path.to_string()]);
    q.push(" AND m.received_on >= ")
        .bind(from)
        .push(" AND m.received_on <= ")
        .bind(to);
    q.push(" LIMIT 50000");
    let rows: Vec<NameRow> = q.fetch_all(db.reader()).await?;
    Ok(rows.into_iter().map(|r| r.name).collect())
}
