//! Saved annual report drafts: one per township and year, under a version check.

use crate::audit::{self, Actor};
use crate::sql::{Sql, row};
use crate::{Db, DbError, Result, now_ms};

row!(
    /// A saved draft: the body as JSON (`fazhi_core::report::Draft`).
    SavedReport {
        body: String,
        version: i64,
        saver: String,
        saved_at: i64,
    }
);

/// The saved draft of a township and year, if any.
pub async fn get(db: &Db, township_id: i64, year: i32) -> Result<Option<SavedReport>> {
    let mut q =
        Sql::new("SELECT body, version, saver, saved_at FROM annual_reports WHERE township_id = ");
    q.bind(township_id)
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
    let now = now_ms();
    let written = if expected == 0 {
        let mut q = Sql::new(
            "INSERT INTO annual_reports (township_id, year, body, version, saved_by, saver, saved_at) VALUES (",
        );
        q.bind(township_id)
            .push(", ")
            .bind(i64::from(year))
            .push(", ");
        q.bind(body.to_string())
            .push(", 1, ")
            .bind(actor.id)
            .push(", ");
        q.bind(actor.name.clone()).push(", ").bind(now).push(")");
        match q.execute(&mut tx).await {
            Err(DbError::Conflict { .. }) => return Err(DbError::Stale),
            other => other?,
        }
    } else {
        let mut q = Sql::new("UPDATE annual_reports SET body = ");
        q.bind(body.to_string())
            .push(", version = version + 1, saved_by = ");
        q.bind(actor.id).push(", saver = ").bind(actor.name.clone());
        q.push(", saved_at = ")
            .bind(now)
            .push(" WHERE township_id = ");
        q.bind(township_id)
            .push(" AND year = ")
            .bind(i64::from(year));
        q.push(" AND version = ").bind(expected);
        q.execute(&mut tx).await?
    };
    if written != 1 {
        return Err(DbError::Stale);
    }
    audit::append_tx(
        &mut tx,
        actor,
        "annual.save",
        &format!("annual_report:{township_id}:{year}"),
        &format!("v{}", expected + 1),
    )
    .await?;
    tx.commit().await?;
    Ok(expected + 1)
}
