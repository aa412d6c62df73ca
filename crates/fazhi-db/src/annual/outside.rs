//! Reports of townships that write theirs outside the platform, uploaded for the
//! district's view. The text is kept as read; the latest upload per year counts.

use crate::audit::{self, Actor};
use crate::sql::{Sql, row};
use crate::{Db, Result, now_ms};

row!(
    /// An uploaded report's text.
    OutsideReport {
        township_id: i64,
        year: i64,
        file_name: String,
        body: String,
        uploaded_by: String,
        uploaded_at: i64,
    }
);

/// Keeps `body` as township `township_id`'s report for `year`, replacing an earlier upload.
pub async fn upload(
    db: &Db,
    actor: &Actor,
    township_id: i64,
    year: i32,
    file_name: &str,
    body: &str,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "INSERT INTO annual_outside_reports (township_id, year, file_name, body, uploaded_by, uploaded_at) VALUES (",
    );
    q.bind(township_id)
        .push(", ")
        .bind(i64::from(year))
        .push(", ");
    q.bind(file_name.to_string())
        .push(", ")
        .bind(body.to_string())
        .push(", ");
    q.bind(actor.name.clone())
        .push(", ")
        .bind(now_ms())
        .push(")");
    q.push(" ON CONFLICT (township_id, year) DO UPDATE SET file_name = excluded.file_name, body = excluded.body, uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at");
    q.execute(&mut tx).await?;
    audit::append_tx(
        &mut tx,
        actor,
        "annual.upload",
        &format!("annual_report:{township_id}:{year}"),
        file_name,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The uploaded reports of these townships for a year.
pub async fn of_year(db: &Db, township_ids: &[i64], year: i32) -> Result<Vec<OutsideReport>> {
    if township_ids.is_empty() {
        return Ok(vec![]);
    }
    let mut q = Sql::new(
        "SELECT township_id, year, file_name, body, uploaded_by, uploaded_at FROM annual_outside_reports WHERE year = ",
    );
    q.bind(i64::from(year)).push(" AND township_id IN (");
    for (i, id) in township_ids.iter().take(500).enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(*id);
    }
    q.push(")");
    q.fetch_all(db.reader()).await
}
