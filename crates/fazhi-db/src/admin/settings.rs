//! Key/value settings edited by admins (e.g. the holiday calendar text).

use crate::audit::{self, Actor};
use crate::sql::{Sql, row};
use crate::{Db, Result, now_ms};

row!(SettingRow { value: String });

/// The stored value of a setting, if any.
pub async fn get(db: &Db, key: &str) -> Result<Option<String>> {
    let mut q = Sql::new("SELECT value FROM settings WHERE key = ");
    q.bind(key.to_string());
    Ok(q.fetch_optional::<SettingRow>(db.quick())
        .await?
        .map(|r| r.value))
}

/// Stores a setting and audits the change.
pub async fn put(db: &Db, actor: &Actor, key: &str, value: &str) -> Result<()> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("INSERT INTO settings (key, value, updated_at) VALUES (");
    q.bind(key.to_string())
        .push(", ")
        .bind(value.to_string())
        .push(", ")
        .bind(now_ms());
    q.push(") ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at");
    q.execute(&mut *tx).await?;
    audit::append(
        &mut tx,
        actor,
        "setting.update",
        &format!("setting:{key}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
