//! Browser and API sessions: a hashed token, a CSRF token, idle and absolute expiry.

use fazhi_core::role::Role;

use super::grants::GrantRow;
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
        disabled: bool,
        /// The unit the user is a member of.
        unit_id: Option<i64>,
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
        "SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, u.username, u.display_name, u.disabled, u.unit_id FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ",
    );
    q.bind(token_hash.to_string());
    q.fetch_optional(db.quick()).await
}

row!(SessionGrantRow {
    id: i64,
    user_id: i64,
    csrf_token: String,
    created_at: i64,
    last_seen_at: i64,
    expires_at: i64,
    username: String,
    display_name: String,
    disabled: bool,
    unit_id: Option<i64>,
    grant_id: Option<i64>,
    grant_role: Option<Role>,
    grant_division_id: Option<i64>,
    grant_division_path: Option<String>,
    grant_division_code: Option<String>,
    grant_division_name: Option<String>,
});

/// [`find`] and the user's grants ([`super::grants::for_user`]) in one statement.
pub async fn find_with_grants(
    db: &Db,
    token_hash: &str,
) -> Result<Option<(SessionRow, Vec<GrantRow>)>> {
    if let Some(found) = db.sessions.get(token_hash) {
        return Ok(Some(found));
    }
    let epoch = db.sessions.epoch();
    let mut q = Sql::new(
        "SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, u.username, u.display_name, u.disabled, u.unit_id, g.id AS grant_id, g.role AS grant_role, g.division_id AS grant_division_id, d.path AS grant_division_path, d.code AS grant_division_code, d.name AS grant_division_name FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN grants g ON g.user_id = s.user_id LEFT JOIN divisions d ON d.id = g.division_id WHERE s.token_hash = ",
    );
    q.bind(token_hash.to_string()).push(" ORDER BY g.id");
    let rows: Vec<SessionGrantRow> = q.fetch_all(db.quick()).await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let session = SessionRow {
        id: first.id,
        user_id: first.user_id,
        csrf_token: first.csrf_token.clone(),
        created_at: first.created_at,
        last_seen_at: first.last_seen_at,
        expires_at: first.expires_at,
        username: first.username.clone(),
        display_name: first.display_name.clone(),
        disabled: first.disabled,
        unit_id: first.unit_id,
    };
    // A grant without its division is left out, as the inner join of `for_user` does.
    let grants: Vec<GrantRow> = rows
        .into_iter()
        .filter_map(|r| {
            Some(GrantRow {
                id: r.grant_id?,
                user_id: r.user_id,
                role: r.grant_role?,
                division_id: r.grant_division_id?,
                division_path: r.grant_division_path?,
                division_code: r.grant_division_code?,
                division_name: r.grant_division_name?,
            })
        })
        .collect();
    db.sessions.put(
        token_hash.to_string(),
        epoch,
        (session.clone(), grants.clone()),
    );
    Ok(Some((session, grants)))
}

/// Marks the session as used now (for the idle timeout).
pub async fn touch(db: &Db, id: i64, now: i64) -> Result<()> {
    let mut q = Sql::new("UPDATE sessions SET last_seen_at = ");
    q.bind(now).push(" WHERE id = ").bind(id);
    let mut tx = db.begin().await?;
    q.execute(&mut *tx).await?;
    tx.commit().await?;
    // Only here: another process's idle clock may lag by `fresh::FRESH`, a second.
    db.sessions.forget(|(s, _)| s.id == id);
    Ok(())
}

/// Ends a session.
pub async fn delete(db: &Db, id: i64) -> Result<()> {
    let mut q = Sql::new("DELETE FROM sessions WHERE id = ");
    q.bind(id);
    // Forgotten before and after: no request of this process finds it from now on.
    db.sessions.forget(|(s, _)| s.id == id);
    let mut tx = db.begin().await?;
    q.execute(&mut *tx).await?;
    tx.commit().await?;
    // Ended for every process.
    db.caches_changed().await;
    Ok(())
}

/// Removes sessions past their absolute expiry or idle since `idle_before`.
pub async fn purge(db: &Db, now: i64, idle_before: i64) -> Result<u64> {
    let mut q = Sql::new("DELETE FROM sessions WHERE expires_at <= ");
    q.bind(now).push(" OR last_seen_at <= ").bind(idle_before);
    let mut tx = db.begin().await?;
    let n = q.execute(&mut *tx).await?;
    tx.commit().await?;
    db.sessions.clear();
    Ok(n)
}
