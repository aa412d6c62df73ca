//! Role grants on division subtrees.

use fazhi_core::role::{Grant, Role};

use crate::audit::{self, Actor};
use crate::sql::{Sql, row};
use crate::{Db, DbError, Result, now_ms};

row!(
    /// A grant joined with its division, for listings.
    GrantRow {
        id: i64,
        user_id: i64,
        role: Role,
        division_id: i64,
        division_path: String,
        division_code: String,
        division_name: String,
    }
);

impl GrantRow {
    /// The domain form used for scoping.
    pub fn to_grant(&self) -> Grant {
        Grant {
            id: self.id,
            role: self.role,
            division_id: self.division_id,
            division_path: self.division_path.clone(),
        }
    }
}

/// The grants of one user.
pub async fn for_user(db: &Db, user_id: i64) -> Result<Vec<GrantRow>> {
    let mut q = Sql::new(
        "SELECT g.id, g.user_id, g.role, g.division_id, d.path AS division_path, d.code AS division_code, d.name AS division_name FROM grants g JOIN divisions d ON d.id = g.division_id WHERE g.user_id = ",
    );
    q.bind(user_id).push(" ORDER BY g.id");
    q.fetch_all(db.reader()).await
}

/// The grants of these users (the user list shows each one's roles and scope).
pub async fn for_users(db: &Db, user_ids: &[i64]) -> Result<Vec<GrantRow>> {
    if user_ids.is_empty() {
        return Ok(vec![]);
    }
    let mut q = Sql::new(
        "SELECT g.id, g.user_id, g.role, g.division_id, d.path AS division_path, d.code AS division_code, d.name AS division_name FROM grants g JOIN divisions d ON d.id = g.division_id WHERE g.user_id IN (",
    );
    for (i, id) in user_ids.iter().take(1000).enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(*id);
    }
    q.push(") ORDER BY g.user_id, g.id");
    q.fetch_all(db.reader()).await
}

/// Grants `role` on `division_id` to a user and audits it.
pub async fn add(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    role: Role,
    division_id: i64,
) -> Result<i64> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("INSERT INTO grants (user_id, role, division_id, created_at) VALUES (");
    q.bind(user_id)
        .push(", ")
        .bind(role.as_str().to_string())
        .push(", ")
        .bind(division_id);
    q.push(", ").bind(now_ms()).push(") RETURNING id");
    let id: crate::sql::Count = q.fetch_one(&mut *tx).await?;
    audit::append(
        &mut tx,
        actor,
        "grant.add",
        &format!("user_id:{user_id}"),
        &format!("role={}; division_id={division_id}", role.as_str()),
    )
    .await?;
    tx.commit().await?;
    // Sessions read before this change must not be served from any process's cache.
    db.caches_changed().await;
    Ok(id.0)
}

/// Revokes one grant of a user and audits it.
pub async fn revoke(db: &Db, actor: &Actor, user_id: i64, grant_id: i64) -> Result<()> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("DELETE FROM grants WHERE id = ");
    q.bind(grant_id).push(" AND user_id = ").bind(user_id);
    if q.execute(&mut *tx).await? == 0 {
        return Err(DbError::NotFound);
    }
    audit::append(
        &mut tx,
        actor,
        "grant.revoke",
        &format!("user_id:{user_id}"),
        &format!("grant_id={grant_id}"),
    )
    .await?;
    tx.commit().await?;
    // Sessions read before this change must not be served from any process's cache.
    db.caches_changed().await;
    Ok(())
}
