//! 案卷评查 results: one row per scoring of a closed case file.

use fazhi_core::enforcement::FileGrade;
use time::Date;

use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::{Db, Result, now_ms};

row!(
    /// A scored file with its case's number, place and state (for the officers).
    FileReviewRow {
        id: i64,
        case_id: i64,
        number: String,
        division_name: String,
        /// The township the case belongs to (its place, or the place's parent).
        township: String,
        on_date: Date,
        score: i64,
        grade: FileGrade,
        reviewer: String,
        /// The [`fazhi_core::enforcement::FileScore`] as JSON.
        detail: String,
        case_state: String,
    }
);

/// Stores a scoring of case `case_id` (at `path`).
#[allow(clippy::too_many_arguments)]
pub async fn create(
    db: &Db,
    actor: &Actor,
    case_id: i64,
    path: &str,
    on: Date,
    score: i64,
    grade: FileGrade,
    detail: &str,
) -> Result<i64> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "INSERT INTO case_file_reviews (case_id, division_path, reviewer_id, reviewer, on_date, score, grade, detail, created_at) VALUES (",
    );
    q.bind(case_id).push(", ").bind(path.to_string()).push(", ");
    q.bind(actor.id)
        .push(", ")
        .bind(actor.name.clone())
        .push(", ");
    q.bind(on).push(", ").bind(score).push(", ").bind(grade);
    q.push(", ")
        .bind(detail.to_string())
        .push(", ")
        .bind(now_ms());
    q.push(") RETURNING id");
    let id = q.fetch_one::<Count>(&mut tx).await?.0;
    audit::append_tx(
        &mut tx,
        actor,
        "enforcement.file_review",
        &format!("enforcement_case:{case_id}"),
        &format!("{score} {grade}"),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Scorings in scope on `[from, to]`, newest first.
pub async fn list(db: &Db, roots: &[String], from: Date, to: Date) -> Result<Vec<FileReviewRow>> {
    let mut q = Sql::new(
        "SELECT r.id, r.case_id, c.number, d.name AS division_name, CASE WHEN d.level = 'village' THEN pd.name ELSE d.name END AS township, r.on_date, r.score, r.grade, r.reviewer, r.detail, c.state AS case_state FROM case_file_reviews r JOIN enforcement_cases c ON c.id = r.case_id JOIN divisions d ON d.id = c.division_id LEFT JOIN divisions pd ON pd.id = d.parent_id WHERE ",
    );
    q.scope("r.division_path", roots);
    q.push(" AND r.on_date >= ")
        .bind(from)
        .push(" AND r.on_date <= ")
        .bind(to);
    q.push(" ORDER BY r.on_date DESC, r.id DESC LIMIT 5000");
    q.fetch_all(db.reader()).await
}

/// The scorings of one case, newest first.
pub async fn of_case(db: &Db, case_id: i64) -> Result<Vec<FileReviewRow>> {
    let mut q = Sql::new(
        "SELECT r.id, r.case_id, c.number, d.name AS division_name, CASE WHEN d.level = 'village' THEN pd.name ELSE d.name END AS township, r.on_date, r.score, r.grade, r.reviewer, r.detail, c.state AS case_state FROM case_file_reviews r JOIN enforcement_cases c ON c.id = r.case_id JOIN divisions d ON d.id = c.division_id LEFT JOIN divisions pd ON pd.id = d.parent_id WHERE r.case_id = ",
    );
    q.bind(case_id).push(" ORDER BY r.id DESC");
    q.fetch_all(db.reader()).await
}
