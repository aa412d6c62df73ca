//! A user's saved ledger queries (name → the filters' query string).

use crate::sql::{Count, Sql, row};
use crate::{Db, DbError, Result, now_ms};

row!(
    /// One saved query.
    SavedQuery {
        id: i64,
        name: String,
        query: String,
    }
);

/// Most saved queries per user.
pub const MAX_PER_USER: i64 = 20;

/// A user's saved queries, by name.
pub async fn of_user(db: &Db, user_id: i64) -> Result<Vec<SavedQuery>> {
    let mut q = Sql::new("SELECT id, name, query FROM saved_queries WHERE user_id = ");
    q.bind(user_id).push(" ORDER BY name LIMIT 100");
    q.fetch_all(db.reader()).await
}

/// Saves (or replaces, by name) a query; `Conflict` past [`MAX_PER_USER`].
pub async fn save(db: &Db, user_id: i64, name: &str, query: &str) -> Result<()> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("SELECT COUNT(*) FROM saved_queries WHERE user_id = ");
    q.bind(user_id).push(" AND name <> ").bind(name.to_string());
    if q.fetch_one::<Count>(&mut tx).await?.0 >= MAX_PER_USER {
        return Err(DbError::Conflict {
            field: "name",
            message: format!("最多保存{MAX_PER_USER}个查询，请先删除不用的"),
        });
    }
    let mut q = Sql::new("INSERT INTO saved_queries (user_id, name, query, created_at) VALUES (");
    q.bind(user_id)
        .push(", ")
        .bind(name.to_string())
        .push(", ")
        .bind(query.to_string());
    q.push(", ").bind(now_ms());
    q.push(") ON CONFLICT (user_id, name) DO UPDATE SET query = excluded.query");
    q.execute(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes one of a user's saved queries.
pub async fn delete(db: &Db, user_id: i64, id: i64) -> Result<()> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("DELETE FROM saved_queries WHERE user_id = ");
    q.bind(user_id).push(" AND id = ").bind(id);
    if q.execute(&mut tx).await? != 1 {
        return Err(DbError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}
