//! The district's 督办 notices to a township about its annual report, and the replies.

use time::Date;

use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::{Db, DbError, Result};

row!(
    /// A notice with its reply, if any.
    Notice {
        id: i64,
        township_id: i64,
        year: i64,
        subject: String,
        body: String,
        due_on: Date,
        sent_by: String,
        sent_on: Date,
        reply: Option<String>,
        replied_by: Option<String>,
        replied_on: Option<Date>,
    }
);

const COLS: &str = "SELECT id, township_id, year, subject, body, due_on, sent_by, sent_on, reply, replied_by, replied_on FROM annual_notices";

/// A new notice.
#[derive(Debug, Clone)]
pub struct NewNotice {
    pub township_id: i64,
    pub year: i32,
    pub subject: String,
    pub body: String,
    pub due_on: Date,
    pub sent_on: Date,
}

/// Sends a notice; returns its id.
pub async fn send(db: &Db, actor: &Actor, n: &NewNotice) -> Result<i64> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "INSERT INTO annual_notices (township_id, year, subject, body, due_on, sent_by, sent_on) VALUES (",
    );
    q.bind(n.township_id)
        .push(", ")
        .bind(i64::from(n.year))
        .push(", ");
    q.bind(n.subject.clone())
        .push(", ")
        .bind(n.body.clone())
        .push(", ");
    q.bind(n.due_on)
        .push(", ")
        .bind(actor.name.clone())
        .push(", ");
    q.bind(n.sent_on).push(") RETURNING id");
    let id = q.fetch_one::<Count>(&mut tx).await?.0;
    audit::append_tx(
        &mut tx,
        actor,
        "annual.notice",
        &format!("annual_report:{}:{}", n.township_id, n.year),
        &format!("notice {id}: {}", n.subject),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Records the township's reply to an unanswered notice.
pub async fn reply(
    db: &Db,
    actor: &Actor,
    township_id: i64,
    id: i64,
    text: &str,
    on: Date,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("UPDATE annual_notices SET reply = ");
    q.bind(text.to_string())
        .push(", replied_by = ")
        .bind(actor.name.clone());
    q.push(", replied_on = ")
        .bind(on)
        .push(" WHERE id = ")
        .bind(id);
    q.push(" AND township_id = ")
        .bind(township_id)
        .push(" AND reply IS NULL");
    if q.execute(&mut tx).await? != 1 {
        return Err(DbError::Stale);
    }
    audit::append_tx(
        &mut tx,
        actor,
        "annual.notice_reply",
        &format!("annual_notice:{id}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The notices to these townships about a year's reports, newest first.
pub async fn of_year(db: &Db, township_ids: &[i64], year: i32) -> Result<Vec<Notice>> {
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
    q.push(") ORDER BY id DESC LIMIT 500");
    q.fetch_all(db.reader()).await
}

row!(
    /// An unanswered notice with its township's code (for the reminders).
    OpenNotice {
        id: i64,
        township_id: i64,
        township_code: String,
        year: i64,
        subject: String,
        due_on: Date,
    }
);

/// Every notice not yet answered.
pub async fn open(db: &Db) -> Result<Vec<OpenNotice>> {
    Sql::new(
        "SELECT n.id, n.township_id, d.code AS township_code, n.year, n.subject, n.due_on FROM annual_notices n JOIN divisions d ON d.id = n.township_id WHERE n.reply IS NULL ORDER BY n.id LIMIT 1000",
    )
    .fetch_all(db.reader())
    .await
}
