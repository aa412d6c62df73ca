//! Saved annual report drafts: one per township and year, under a version check.

use fazhi_core::report::workflow::ReportStatus;
use time::Date;

use crate::audit::{self, Actor};
use crate::sql::{Sql, row};
use crate::{Db, DbError, Result, now_ms};

row!(
    /// A saved draft: the body as JSON (`fazhi_core::report::Draft`).
    SavedReport {
        township_id: i64,
        year: i64,
        body: String,
        version: i64,
        saver: String,
        saved_at: i64,
        status: ReportStatus,
        checked_on: Option<Date>,
        checked_by: Option<String>,
        signers: Option<String>,
        signed_on: Option<Date>,
        submitted_on: Option<Date>,
        published_on: Option<Date>,
        published_text: Option<String>,
        submitted_text: Option<String>,
    }
);

row!(
    /// One saved version of a report (without its body).
    VersionRow {
        version: i64,
        saver: String,
        saved_at: i64,
    }
);

row!(
    /// One saved version's body (`fazhi_core::report::Draft` as JSON).
    VersionBody {
        version: i64,
        body: String,
        saver: String,
        saved_at: i64,
    }
);

const COLS: &str = "SELECT township_id, year, body, version, saver, saved_at, status, checked_on, checked_by, signers, signed_on, submitted_on, published_on, published_text, submitted_text FROM annual_reports";

/// The saved reports of these townships for a year (the district's view).
pub async fn of_year(db: &Db, township_ids: &[i64], year: i32) -> Result<Vec<SavedReport>> {
    if township_ids.is_empty() {
        return Ok(vec![]);
    }
    let mut q = Sql::new(COLS);
    q.push(" WHERE year = ")
        .bind(i64::from(year))
        .push(" AND township_id IN (");
    for (i, id) in township_ids.iter().take(500).enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(*id);
    }
    q.push(")");
    q.fetch_all(db.reader()).await
}

/// The published report of a township and year (public: no scope).
pub async fn published(db: &Db, township_id: i64, year: i32) -> Result<Option<SavedReport>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE township_id = ").bind(township_id);
    q.push(" AND year = ")
        .bind(i64::from(year))
        .push(" AND status = ");
    q.bind(ReportStatus::Published);
    q.fetch_optional(db.reader()).await
}

/// The saved draft of a township and year, if any.
pub async fn get(db: &Db, township_id: i64, year: i32) -> Result<Option<SavedReport>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE township_id = ")
        .bind(township_id)
        .push(" AND year = ")
        .bind(i64::from(year));
    q.fetch_optional(db.reader()).await
}

/// Saves `body`; `expected` is the version read (0 when there was none), another
/// stored version answers `Stale`. Returns the new version.
pub async fn save(
    db: &Db,
    actor: &Actor,
    township_id: i64,
    year: i32,
    body: &str,
    expected: i64,
) -> Result<i64> {
    let mut tx = db.begin().await?;
    let at = (township_id, year);
    store(&mut tx, actor, "annual.save", at, body, expected).await?;
    tx.commit().await?;
    Ok(expected + 1)
}

/// The saved reports not yet submitted (those a new template rearranges).
pub async fn unsubmitted(db: &Db) -> Result<Vec<SavedReport>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE status IN (")
        .bind(ReportStatus::Draft)
        .push(", ");
    q.bind(ReportStatus::Checked)
        .push(", ")
        .bind(ReportStatus::Signed);
    q.push(") ORDER BY township_id, year");
    q.fetch_all(db.reader()).await
}

/// Stores `body` with its parts in a new order as the next version over `expected`,
/// and moves the review comments with their parts: part `i` is now at `moves[i]`.
/// Like any edit, it sends a checked or signed report back to draft.
pub async fn rearrange(
    db: &Db,
    actor: &Actor,
    township_id: i64,
    year: i32,
    body: &str,
    expected: i64,
    moves: &[usize],
) -> Result<i64> {
    let mut tx = db.begin().await?;
    let at = (township_id, year);
    store(&mut tx, actor, "annual.rearrange", at, body, expected).await?;
    let mut q = Sql::new("UPDATE annual_report_comments SET section = CASE section");
    for (from, to) in moves.iter().enumerate() {
        q.push(" WHEN ").bind(from as i64).push(" THEN ");
        q.bind(*to as i64);
    }
    q.push(" ELSE section END WHERE township_id = ")
        .bind(township_id);
    q.push(" AND year = ").bind(i64::from(year));
    q.execute(&mut tx).await?;
    tx.commit().await?;
    Ok(expected + 1)
}

/// Writes version `expected + 1` of the body of the report `(township_id, year)`,
/// keeps it among the versions and audits it as `action`.
async fn store(
    tx: &mut crate::WriteTx,
    actor: &Actor,
    action: &str,
    (township_id, year): (i64, i32),
    body: &str,
    expected: i64,
) -> Result<()> {
    let now = now_ms();
    let written = if expected == 0 {
        let mut q = Sql::new(
            "INSERT INTO annual_reports (township_id, year, body, version, saved_by, saver, saved_at, status) VALUES (",
        );
        q.bind(township_id)
            .push(", ")
            .bind(i64::from(year))
            .push(", ");
        q.bind(body.to_string())
            .push(", 1, ")
            .bind(actor.id)
            .push(", ");
        q.bind(actor.name.clone()).push(", ").bind(now).push(", ");
        q.bind(ReportStatus::Draft).push(")");
        match q.execute(&mut *tx).await {
            Err(DbError::Conflict { .. }) => return Err(DbError::Stale),
            other => other?,
        }
    } else {
        let mut q = Sql::new("UPDATE annual_reports SET body = ");
        q.bind(body.to_string())
            .push(", version = version + 1, saved_by = ");
        q.bind(actor.id).push(", saver = ").bind(actor.name.clone());
        // Any edit sends a checked or signed report back to draft: it is checked again.
        q.push(", saved_at = ").bind(now).push(", status = ");
        q.bind(ReportStatus::Draft);
        q.push(", checked_on = NULL, checked_by = NULL, signers = NULL, signed_on = NULL WHERE township_id = ");
        q.bind(township_id)
            .push(" AND year = ")
            .bind(i64::from(year));
        q.push(" AND version = ")
            .bind(expected)
            .push(" AND status IN (");
        q.bind(ReportStatus::Draft)
            .push(", ")
            .bind(ReportStatus::Checked);
        q.push(", ").bind(ReportStatus::Signed).push(")");
        q.execute(&mut *tx).await?
    };
    if written != 1 {
        return Err(DbError::Stale);
    }
    // Every version is kept, so two can be compared side by side.
    let mut q = Sql::new(
        "INSERT INTO annual_report_versions (township_id, year, version, body, saver, saved_at) VALUES (",
    );
    q.bind(township_id)
        .push(", ")
        .bind(i64::from(year))
        .push(", ");
    q.bind(expected + 1)
        .push(", ")
        .bind(body.to_string())
        .push(", ");
    q.bind(actor.name.clone()).push(", ").bind(now).push(")");
    q.execute(&mut *tx).await?;
    audit::append_tx(
        tx,
        actor,
        action,
        &format!("annual_report:{township_id}:{year}"),
        &format!("v{}", expected + 1),
    )
    .await
}

/// One step of the way out, recorded under the version read.
#[derive(Debug, Clone)]
pub struct Step {
    pub to: ReportStatus,
    pub on: Date,
    /// Who checked (the checker's name) or who signed (the heads' names).
    pub who: Option<String>,
    /// The text as submitted (for `Submitted`) or as published (for `Published`).
    pub text: Option<String>,
}

/// Moves a saved report to `step.to`; `expected` is the version read.
pub async fn advance(
    db: &Db,
    actor: &Actor,
    township_id: i64,
    year: i32,
    expected: i64,
    step: &Step,
) -> Result<i64> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("UPDATE annual_reports SET version = version + 1, status = ");
    q.bind(step.to);
    match step.to {
        ReportStatus::Checked => {
            q.push(", checked_on = ")
                .bind(step.on)
                .push(", checked_by = ");
            q.bind(step.who.clone());
        }
        ReportStatus::Signed => {
            q.push(", signed_on = ").bind(step.on).push(", signers = ");
            q.bind(step.who.clone());
        }
        ReportStatus::Submitted => {
            q.push(", submitted_on = ")
                .bind(step.on)
                .push(", submitted_text = ");
            q.bind(step.text.clone());
        }
        ReportStatus::Published => {
            q.push(", published_on = ")
                .bind(step.on)
                .push(", published_text = ");
            q.bind(step.text.clone());
        }
        ReportStatus::Draft => {}
    }
    q.push(" WHERE township_id = ").bind(township_id);
    q.push(" AND year = ").bind(i64::from(year));
    q.push(" AND version = ").bind(expected);
    if q.execute(&mut tx).await? != 1 {
        return Err(DbError::Stale);
    }
    audit::append_tx(
        &mut tx,
        actor,
        &format!("annual.{}", step.to),
        &format!("annual_report:{township_id}:{year}"),
        step.who.as_deref().unwrap_or(""),
    )
    .await?;
    tx.commit().await?;
    Ok(expected + 1)
}

/// The saved versions of a report, newest first.
pub async fn versions(db: &Db, township_id: i64, year: i32) -> Result<Vec<VersionRow>> {
    let mut q = Sql::new(
        "SELECT version, saver, saved_at FROM annual_report_versions WHERE township_id = ",
    );
    q.bind(township_id)
        .push(" AND year = ")
        .bind(i64::from(year));
    q.push(" ORDER BY version DESC LIMIT 200");
    q.fetch_all(db.reader()).await
}

/// One saved version with its body.
pub async fn version(
    db: &Db,
    township_id: i64,
    year: i32,
    version: i64,
) -> Result<Option<VersionBody>> {
    let mut q = Sql::new(
        "SELECT version, body, saver, saved_at FROM annual_report_versions WHERE township_id = ",
    );
    q.bind(township_id)
        .push(" AND year = ")
        .bind(i64::from(year));
    q.push(" AND version = ").bind(version);
    q.fetch_optional(db.reader()).await
}
