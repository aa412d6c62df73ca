//! Users and their credentials.

use crate::audit::{self, Actor};
use crate::sql::{Sql, row};
use crate::{Db, DbError, Result, now_ms};

row!(
    /// A user as shown to admins (no password hash).
    UserRow {
        id: i64,
        username: String,
        display_name: String,
        phone: Option<String>,
        disabled: bool,
        failed_logins: i64,
        locked_until: Option<i64>,
        grid_id: Option<i64>,
        unit_id: Option<i64>,
        created_at: i64,
        updated_at: i64,
    }
);

row!(
    /// What login needs to know.
    Credentials {
        id: i64,
        username: String,
        display_name: String,
        password_hash: String,
        disabled: bool,
        failed_logins: i64,
        locked_until: Option<i64>,
    }
);

/// Fields of a new user; the password is already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub password_hash: String,
    pub grid_id: Option<i64>,
    pub unit_id: Option<i64>,
}

/// Changes to a user; None leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub phone: Option<Option<String>>,
    pub disabled: Option<bool>,
    pub grid_id: Option<Option<i64>>,
    pub unit_id: Option<Option<i64>>,
}

const USER_COLS_STATIC: &str = "u.id, u.username, u.display_name, u.phone, u.disabled, u.failed_logins, u.locked_until, u.grid_id, u.unit_id, u.created_at, u.updated_at";

/// Creates a user and audits it.
pub async fn create(db: &Db, actor: &Actor, u: &NewUser) -> Result<UserRow> {
    let now = now_ms();
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "INSERT INTO users (username, display_name, phone, password_hash, grid_id, unit_id, created_by, created_at, updated_at) VALUES (",
    );
    q.bind(u.username.clone())
        .push(", ")
        .bind(u.display_name.clone())
        .push(", ");
    q.bind(u.phone.clone())
        .push(", ")
        .bind(u.password_hash.clone())
        .push(", ");
    q.bind(u.grid_id)
        .push(", ")
        .bind(u.unit_id)
        .push(", ")
        .bind(actor.id)
        .push(", ")
        .bind(now)
        .push(", ")
        .bind(now);
    q.push(") RETURNING id");
    let id: crate::sql::Count = q.fetch_one(&mut *tx).await?;
    audit::append(
        &mut tx,
        actor,
        "user.create",
        &format!("user:{}", u.username),
        &u.display_name,
    )
    .await?;
    tx.commit().await?;
    get(db, id.0).await
}

/// One user by id (unscoped: callers check scope with `in_scope`).
pub async fn get(db: &Db, id: i64) -> Result<UserRow> {
    let mut q = Sql::new("SELECT ");
    q.push(USER_COLS_STATIC)
        .push(" FROM users u WHERE u.id = ")
        .bind(id);
    q.fetch_one(db.quick()).await
}

/// One user by username.
pub async fn by_username(db: &Db, username: &str) -> Result<UserRow> {
    let mut q = Sql::new("SELECT ");
    q.push(USER_COLS_STATIC)
        .push(" FROM users u WHERE u.username = ")
        .bind(username.to_string());
    q.fetch_one(db.quick()).await
}

/// Who manages users: an administrator's `roots` (for `ManageUsers`) and their user id
/// (None for the command line, which manages everyone).
#[derive(Debug, Clone, Copy)]
pub struct Manager<'a> {
    pub roots: &'a [String],
    pub user_id: Option<i64>,
}

impl Manager<'_> {
    /// Adds the condition that user `u` is this manager's: every grant inside the roots,
    /// and a user with no grant only when this manager created it or manages the whole
    /// installation, i.e. every top-level division (else any township admin, or the
    /// admin of one district among several, could take over a fresh account).
    fn condition(&self, q: &mut Sql) {
        q.push("NOT EXISTS (SELECT 1 FROM grants g JOIN divisions d ON d.id = g.division_id WHERE g.user_id = u.id AND NOT ");
        q.scope("d.path", self.roots);
        q.push(")");
        let Some(me) = self.user_id else {
            return; // the command line
        };
        q.push(" AND (EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id) OR u.created_by = ")
            .bind(me);
        q.push(" OR NOT EXISTS (SELECT 1 FROM divisions t WHERE t.parent_id IS NULL AND NOT ");
        q.scope("t.path", self.roots);
        q.push("))");
    }
}

/// The users `manager` manages (see [`Manager`]), ordered by id, after `after_id`.
pub async fn list_in_scope(
    db: &Db,
    manager: Manager<'_>,
    after_id: i64,
    limit: i64,
) -> Result<Vec<UserRow>> {
    let mut q = Sql::new("SELECT ");
    q.push(USER_COLS_STATIC);
    q.push(" FROM users u WHERE u.id > ").bind(after_id);
    q.push(" AND ");
    manager.condition(&mut q);
    q.push(" ORDER BY u.id LIMIT ").bind(limit);
    q.fetch_all(db.reader()).await
}

/// Whether `manager` manages user `id` (see [`Manager`]).
pub async fn in_scope(db: &Db, id: i64, manager: Manager<'_>) -> Result<bool> {
    let mut q = Sql::new("SELECT COUNT(*) FROM users u WHERE u.id = ");
    q.bind(id).push(" AND ");
    manager.condition(&mut q);
    let found: crate::sql::Count = q.fetch_one(db.reader()).await?;
    Ok(found.0 == 1)
}

/// Applies changes and audits them; disabling a user ends their sessions.
pub async fn update(db: &Db, actor: &Actor, id: i64, c: &UserChanges) -> Result<UserRow> {
    let before = get(db, id).await?;
    let mut tx = db.begin().await?;
    let mut q = Sql::new("UPDATE users SET updated_at = ");
    q.bind(now_ms());
    let mut detail = Vec::new();
    if let Some(v) = &c.display_name {
        q.push(", display_name = ").bind(v.clone());
        detail.push(format!("display_name={v}"));
    }
    if let Some(v) = &c.phone {
        q.push(", phone = ").bind(v.clone());
        detail.push("phone".to_string());
    }
    if let Some(v) = c.disabled {
        q.push(", disabled = ").bind(v as i64);
        detail.push(format!("disabled={v}"));
    }
    if let Some(v) = c.grid_id {
        q.push(", grid_id = ").bind(v);
        detail.push(format!("grid_id={v:?}"));
    }
    if let Some(v) = c.unit_id {
        q.push(", unit_id = ").bind(v);
        detail.push(format!("unit_id={v:?}"));
    }
    q.push(" WHERE id = ").bind(id);
    if q.execute(&mut *tx).await? == 0 {
        return Err(DbError::NotFound);
    }
    if c.disabled == Some(true) {
        let mut q = Sql::new("DELETE FROM sessions WHERE user_id = ");
        q.bind(id);
        q.execute(&mut *tx).await?;
    }
    audit::append(
        &mut tx,
        actor,
        "user.update",
        &format!("user:{}", before.username),
        &detail.join("; "),
    )
    .await?;
    tx.commit().await?;
    // Sessions read before this change must not be served from any process's cache.
    db.caches_changed().await;
    get(db, id).await
}

/// Sets a new password hash, clears the lock-out and ends the user's sessions.
pub async fn set_password(db: &Db, actor: &Actor, id: i64, hash: &str) -> Result<()> {
    let user = get(db, id).await?;
    let mut tx = db.begin().await?;
    let mut q = Sql::new("UPDATE users SET password_hash = ");
    q.bind(hash.to_string())
        .push(", failed_logins = 0, locked_until = NULL, updated_at = ");
    q.bind(now_ms()).push(" WHERE id = ").bind(id);
    q.execute(&mut *tx).await?;
    let mut q = Sql::new("DELETE FROM sessions WHERE user_id = ");
    q.bind(id);
    q.execute(&mut *tx).await?;
    audit::append(
        &mut tx,
        actor,
        "user.password",
        &format!("user:{}", user.username),
        "",
    )
    .await?;
    tx.commit().await?;
    // Sessions read before this change must not be served from any process's cache.
    db.caches_changed().await;
    Ok(())
}

/// Credentials for a login attempt.
pub async fn credentials(db: &Db, username: &str) -> Result<Option<Credentials>> {
    let mut q = Sql::new(
        "SELECT id, username, display_name, password_hash, disabled, failed_logins, locked_until FROM users WHERE username = ",
    );
    q.bind(username.to_string());
    q.fetch_optional(db.reader()).await
}

/// Counts a failed login; at `lock_after` failures the account is locked until `lock_until`.
/// A lock that has run out starts the count afresh. Returns whether the account is now locked.
pub async fn record_failed_login(
    db: &Db,
    id: i64,
    username: &str,
    now: i64,
    lock_after: i64,
    lock_until: i64,
) -> Result<bool> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "UPDATE users SET failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= ",
    );
    q.bind(now).push(" THEN 1 ELSE failed_logins + 1 END, locked_until = CASE WHEN locked_until IS NOT NULL AND locked_until <= ");
    q.bind(now)
        .push(" THEN NULL ELSE locked_until END WHERE id = ")
        .bind(id);
    q.push(" RETURNING failed_logins");
    let count: crate::sql::Count = q.fetch_one(&mut *tx).await?;
    let locked = count.0 >= lock_after;
    if locked {
        let mut q = Sql::new("UPDATE users SET locked_until = ");
        q.bind(lock_until).push(" WHERE id = ").bind(id);
        q.execute(&mut *tx).await?;
    }
    let actor = Actor {
        id: Some(id),
        name: username.to_string(),
        shown: None,
    };
    let detail = if locked {
        format!("failures={}; locked", count.0)
    } else {
        format!("failures={}", count.0)
    };
    audit::append(
        &mut tx,
        &actor,
        "login.failed",
        &format!("user:{username}"),
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(locked)
}

/// Records a failed login for a username that does not exist (audited, nothing locked).
pub async fn record_unknown_login(db: &Db, username: &str) -> Result<()> {
    audit::record(
        db,
        &Actor::system("anonymous"),
        "login.failed",
        &format!("user:{username}"),
        "unknown user",
    )
    .await
}

/// Clears the failure count after a good login and audits it.
pub async fn record_login(db: &Db, id: i64, username: &str, how: &str) -> Result<()> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ");
    q.bind(id);
    q.execute(&mut *tx).await?;
    let actor = Actor {
        id: Some(id),
        name: username.to_string(),
        shown: None,
    };
    audit::append(&mut tx, &actor, "login", &format!("user:{username}"), how).await?;
    tx.commit().await?;
    Ok(())
}

/// Number of users (to tell a new database from a used one).
pub async fn count(db: &Db) -> Result<i64> {
    let c: crate::sql::Count = Sql::new("SELECT COUNT(*) FROM users")
        .fetch_one(db.reader())
        .await?;
    Ok(c.0)
}
