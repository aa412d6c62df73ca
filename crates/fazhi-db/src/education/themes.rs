//! The theme-day table of a year: stored rows when the year was edited, else the
//! built-in table of `fazhi_core::education::default_theme_days`.

use fazhi_core::education::{ThemeDay, default_theme_days};
use time::Date;

use crate::audit::{self, Actor};
use crate::sql::{Sql, row};
use crate::{Db, Result};

row!(ThemeRow {
    key: String,
    name: String,
    starts_on: Date,
    ends_on: Date,
});

/// The stored rows of a year (empty when nobody edited it).
pub async fn stored(db: &Db, year: i32) -> Result<Vec<ThemeDay>> {
    let mut q = Sql::new("SELECT key, name, starts_on, ends_on FROM theme_days WHERE year = ");
    q.bind(year as i64)
        .push(" ORDER BY starts_on, ends_on, key");
    let rows: Vec<ThemeRow> = q.fetch_all(db.reader()).await?;
    Ok(rows
        .into_iter()
        .map(|r| ThemeDay {
            key: r.key,
            name: r.name,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
        })
        .collect())
}

/// The table of a year: as edited, or the built-in one.
pub async fn of_year(db: &Db, year: i32) -> Result<Vec<ThemeDay>> {
    let rows = stored(db, year).await?;
    Ok(if rows.is_empty() {
        default_theme_days(year)
    } else {
        rows
    })
}

/// Replaces the table of a year (checked by the caller) in one transaction, audited.
/// An empty table brings the built-in one back.
pub async fn replace(db: &Db, actor: &Actor, year: i32, days: &[ThemeDay]) -> Result<()> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("DELETE FROM theme_days WHERE year = ");
    q.bind(year as i64);
    q.execute(&mut *tx).await?;
    for d in days {
        let mut q =
            Sql::new("INSERT INTO theme_days (year, key, name, starts_on, ends_on) VALUES (");
        q.bind(year as i64)
            .push(", ")
            .bind(d.key.clone())
            .push(", ");
        q.bind(d.name.clone())
            .push(", ")
            .bind(d.starts_on)
            .push(", ");
        q.bind(d.ends_on).push(")");
        q.execute(&mut *tx).await?;
    }
    audit::append(
        &mut tx,
        actor,
        "education.theme_days.replace",
        &format!("theme_days:{year}"),
        &format!("{} days", days.len()),
    )
    .await?;
    tx.commit().await
}
