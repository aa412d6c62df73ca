//! Browser and API sessions: a hashed token, a CSRF token, idle and absolute expiry.

use crate::sql::{Sql, row};
use crate::{Db, Result};

row!(
    /// A live session joined with its user.
    SessionRow {
        id: i64,
        user_id: i64,
        csrf_token: String,
        created_at: i64,
        last_seen_at: i64,
        expires_at: i64,
        username: String,
        display_name: String,
        disabled: i64,
    }
);

/// Stores a new session.
pub async fn create(
    db: &Db,
    token_hash: &str,
    user_id: i64,
    csrf: &str,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    let mut q = Sql::new(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (",
    );
    q.bind(token_hash.to_string())
        .push(", ")
        .bind(user_id)
        .push(", ")
        .bind(csrf.to_string());
    q.push(", ")
        .bind(now)
        .push(", ")
        .bind(now)
        .push(", ")
        .bind(expires_at)
        .push(")");
    let mut tx = db.begin().await?;
    q.execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// The session with this token hash, if any (expiry is the caller's decision).
pub async fn find(db: &Db, token_hash: &str) -> Result<Option<SessionRow>> {
    let mut q = Sql::new(
        "SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, u.username, u.display_name, u.disabled FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ",
    );
    q.bind(token_hash.to_string());
    q.fetch_optional(db.reader()).await
}

/// Marks the session as used now (for the idle timeout).
pub async fn touch(db: &Db, id: i64, now: i64) -> Result<()> {
    let mut q = Sql::new("UPDATE sessions SET last_seen_at = ");
    q.bind(now).push(" WHERE id = ").bind(id);
    let mut tx = db.begin().await?;
    q.execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends a session.
pub async fn delete(db: &Db, id: i64) -> Result<()> {
    let mut q = Sql::new("DELETE FROM sessions WHERE id = ");
    q.bind(id);
    let mut tx = db.begin().await?;
    q.execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes sessions past their absolute expiry or idle since `idle_before`.
pub async fn purge(db: &Db, now: i64, idle_before: i64) -> Result<u64> {
    let mut q = Sql::new("DELETE FROM sessions WHERE expires_at <= ");
    q.bind(now).push(" OR last_seen_at <= ").bind(idle_before);
    let mut tx = db.begin().await?;
    let n = q.execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(n)
}
