//! Internal review of a report: comments on paragraphs, answered and closed by the
//! drafting side. Open comments hold the secrecy check.

use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::{Db, DbError, Result, now_ms};

row!(
    /// A comment on paragraph `paragraph` of part `section` (0-based).
    Comment {
        id: i64,
        section: i64,
        paragraph: i64,
        body: String,
        author: String,
        written_at: i64,
        resolved_by: Option<String>,
        resolved_at: Option<i64>,
        answer: Option<String>,
    }
);

/// The comments on a township's report for a year, oldest first.
pub async fn comments(db: &Db, township_id: i64, year: i32) -> Result<Vec<Comment>> {
    let mut q = Sql::new(
        "SELECT id, section, paragraph, body, author, written_at, resolved_by, resolved_at, answer FROM annual_report_comments WHERE township_id = ",
    );
    q.bind(township_id)
        .push(" AND year = ")
        .bind(i64::from(year));
    q.push(" ORDER BY id LIMIT 500");
    q.fetch_all(db.reader()).await
}

/// How many comments are still open.
pub async fn open_count(db: &Db, township_id: i64, year: i32) -> Result<i64> {
    let mut q = Sql::new(
        "SELECT COUNT(*) FROM annual_report_comments WHERE resolved_at IS NULL AND township_id = ",
    );
    q.bind(township_id)
        .push(" AND year = ")
        .bind(i64::from(year));
    Ok(q.fetch_one::<Count>(db.reader()).await?.0)
}

/// Writes a comment; returns its id.
pub async fn add(
    db: &Db,
    actor: &Actor,
    township_id: i64,
    year: i32,
    at: (i64, i64),
    body: &str,
) -> Result<i64> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "INSERT INTO annual_report_comments (township_id, year, section, paragraph, body, author, written_at) VALUES (",
    );
    q.bind(township_id)
        .push(", ")
        .bind(i64::from(year))
        .push(", ");
    q.bind(at.0).push(", ").bind(at.1).push(", ");
    q.bind(body.to_string())
        .push(", ")
        .bind(actor.name.clone())
        .push(", ");
    q.bind(now_ms()).push(") RETURNING id");
    let id = q.fetch_one::<Count>(&mut tx).await?.0;
    audit::append_tx(
        &mut tx,
        actor,
        "annual.comment",
        &format!("annual_report:{township_id}:{year}"),
        &format!("comment {id}"),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Closes an open comment with the drafting side's answer.
pub async fn resolve(
    db: &Db,
    actor: &Actor,
    township_id: i64,
    year: i32,
    id: i64,
    answer: &str,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("UPDATE annual_report_comments SET resolved_by = ");
    q.bind(actor.name.clone())
        .push(", resolved_at = ")
        .bind(now_ms());
    q.push(", answer = ").bind(answer.to_string());
    q.push(" WHERE id = ")
        .bind(id)
        .push(" AND township_id = ")
        .bind(township_id);
    q.push(" AND year = ")
        .bind(i64::from(year))
        .push(" AND resolved_at IS NULL");
    if q.execute(&mut tx).await? != 1 {
        return Err(DbError::Stale);
    }
    audit::append_tx(
        &mut tx,
        actor,
        "annual.comment_resolve",
        &format!("annual_report:{township_id}:{year}"),
        &format!("comment {id}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
