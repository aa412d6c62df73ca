//! Long-lived API tokens for integrations, stored hashed; each acts as one user.

use crate::audit::{self, Actor};
use crate::sql::{Sql, row};
use crate::{Db, DbError, Result, now_ms};

row!(
    /// A token as listed to admins (never the token itself).
    TokenRow {
        id: i64,
        name: String,
        user_id: i64,
        username: String,
        created_at: i64,
        last_used_at: Option<i64>,
        revoked_at: Option<i64>,
    }
);

row!(TokenOwner {
    id: i64,
    user_id: i64
});

/// Stores a token hash for `user_id` and audits it.
pub async fn create(
    db: &Db,
    actor: &Actor,
    name: &str,
    user_id: i64,
    token_hash: &str,
) -> Result<i64> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "INSERT INTO api_tokens (name, token_hash, user_id, created_by, created_at) VALUES (",
    );
    q.bind(name.to_string())
        .push(", ")
        .bind(token_hash.to_string())
        .push(", ")
        .bind(user_id);
    q.push(", ")
        .bind(actor.id)
        .push(", ")
        .bind(now_ms())
        .push(") RETURNING id");
    let id: crate::sql::Count = q.fetch_one(&mut *tx).await?;
    audit::append(
        &mut tx,
        actor,
        "token.create",
        &format!("token:{}", id.0),
        &format!("name={name}; user_id={user_id}"),
    )
    .await?;
    tx.commit().await?;
    Ok(id.0)
}

/// All tokens, newest first.
pub async fn list(db: &Db) -> Result<Vec<TokenRow>> {
    Sql::new(
        "SELECT t.id, t.name, t.user_id, u.username, t.created_at, t.last_used_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id DESC",
    )
    .fetch_all(db.reader())
    .await
}

/// Revokes a token and audits it.
pub async fn revoke(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("UPDATE api_tokens SET revoked_at = ");
    q.bind(now_ms())
        .push(" WHERE id = ")
        .bind(id)
        .push(" AND revoked_at IS NULL");
    if q.execute(&mut *tx).await? == 0 {
        return Err(DbError::NotFound);
    }
    audit::append(&mut tx, actor, "token.revoke", &format!("token:{id}"), "").await?;
    tx.commit().await?;
    Ok(())
}

/// The live token with this hash, if any, marking it used.
pub async fn authenticate(db: &Db, token_hash: &str) -> Result<Option<TokenOwner>> {
    let mut q =
        Sql::new("SELECT id, user_id FROM api_tokens WHERE revoked_at IS NULL AND token_hash = ");
    q.bind(token_hash.to_string());
    let owner: Option<TokenOwner> = q.fetch_optional(db.quick()).await?;
    if let Some(o) = &owner {
        let mut q = Sql::new("UPDATE api_tokens SET last_used_at = ");
        q.bind(now_ms()).push(" WHERE id = ").bind(o.id);
        let mut tx = db.begin().await?;
        q.execute(&mut *tx).await?;
        tx.commit().await?;
    }
    Ok(owner)
}
