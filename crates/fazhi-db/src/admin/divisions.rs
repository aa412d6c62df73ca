//! Divisions (行政区划) with their materialised subtree paths.

use fazhi_core::division::{Level, child_path};
use time::Date;

use crate::audit::{self, Actor};
use crate::sql::{Sql, row};
use crate::{Conn, Db, DbError, Result, now_ms};

row!(
    /// One division.
    DivisionRow {
        id: i64,
        code: String,
        name: String,
        level: Level,
        parent_id: Option<i64>,
        path: String,
        valid_from: Option<Date>,
        valid_to: Option<Date>,
    }
);

/// Fields of a new division; the caller has validated code, level and parent.
#[derive(Debug, Clone)]
pub struct NewDivision {
    pub code: String,
    pub name: String,
    pub level: Level,
    pub parent_id: Option<i64>,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
}

/// Filters of a division listing.
#[derive(Debug, Clone, Default)]
pub struct DivisionFilter {
    pub parent_id: Option<i64>,
    pub level: Option<Level>,
    pub after_id: i64,
    pub limit: i64,
}

const COLS: &str =
    "SELECT id, code, name, level, parent_id, path, valid_from, valid_to FROM divisions";

/// Inserts a division inside the caller's transaction and returns its id.
pub(crate) async fn insert(conn: &mut Conn, actor: &Actor, d: &NewDivision) -> Result<i64> {
    let parent_path = match d.parent_id {
        Some(pid) => {
            let mut q = Sql::new(COLS);
            q.push(" WHERE id = ").bind(pid);
            let p: DivisionRow = q.fetch_one(&mut *conn).await?;
            Some(p.path)
        }
        None => None,
    };
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO divisions (code, name, level, parent_id, path, valid_from, valid_to, created_at, updated_at) VALUES (",
    );
    q.bind(d.code.clone())
        .push(", ")
        .bind(d.name.clone())
        .push(", ")
        .bind(d.level.as_str().to_string());
    q.push(", ")
        .bind(d.parent_id)
        .push(", '', ")
        .bind(d.valid_from)
        .push(", ")
        .bind(d.valid_to);
    q.push(", ")
        .bind(now)
        .push(", ")
        .bind(now)
        .push(") RETURNING id");
    let id: crate::sql::Count = q.fetch_one(&mut *conn).await?;
    let mut q = Sql::new("UPDATE divisions SET path = ");
    q.bind(child_path(parent_path.as_deref(), id.0))
        .push(" WHERE id = ")
        .bind(id.0);
    q.execute(&mut *conn).await?;
    audit::append(
        conn,
        actor,
        "division.create",
        &format!("division:{}", d.code),
        &d.name,
    )
    .await?;
    Ok(id.0)
}

/// Creates a division and audits it.
pub async fn create(db: &Db, actor: &Actor, d: &NewDivision) -> Result<DivisionRow> {
    let mut tx = db.begin().await?;
    let id = insert(&mut tx, actor, d).await?;
    tx.commit().await?;
    by_id(db, id).await
}

/// One division by id, unscoped.
pub async fn by_id(db: &Db, id: i64) -> Result<DivisionRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE id = ").bind(id);
    db.org.divisions.or_read(id, q.fetch_one(db.quick())).await
}

/// One division by code, unscoped (callers check `Scope::covers` on its path).
pub async fn by_code(db: &Db, code: &str) -> Result<DivisionRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE code = ").bind(code.to_string());
    db.org
        .codes
        .or_read(code.to_string(), q.fetch_one(db.quick()))
        .await
}

/// Divisions inside the scope, by id, after `after_id`.
pub async fn list(db: &Db, roots: &[String], f: &DivisionFilter) -> Result<Vec<DivisionRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE ")
        .scope("path", roots)
        .push(" AND id > ")
        .bind(f.after_id);
    if let Some(p) = f.parent_id {
        q.push(" AND parent_id = ").bind(p);
    }
    if let Some(l) = f.level {
        q.push(" AND level = ").bind(l.as_str().to_string());
    }
    q.push(" ORDER BY id LIMIT ").bind(f.limit);
    q.fetch_all(db.reader()).await
}

/// Every division inside the scope ordered by path (a tree walk), for pages and pickers.
pub async fn tree(db: &Db, roots: &[String]) -> Result<Vec<DivisionRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE ")
        .scope("path", roots)
        .push(" ORDER BY code");
    q.fetch_all(db.reader()).await
}

/// Renames a division or changes its validity period, and audits it.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    name: Option<String>,
    valid_from: Option<Option<Date>>,
    valid_to: Option<Option<Date>>,
) -> Result<DivisionRow> {
    let before = by_id(db, id).await?;
    let mut tx = db.begin().await?;
    let mut q = Sql::new("UPDATE divisions SET updated_at = ");
    q.bind(now_ms());
    if let Some(n) = &name {
        q.push(", name = ").bind(n.clone());
    }
    if let Some(v) = &valid_from {
        q.push(", valid_from = ").bind(*v);
    }
    if let Some(v) = &valid_to {
        q.push(", valid_to = ").bind(*v);
    }
    q.push(" WHERE id = ").bind(id);
    if q.execute(&mut *tx).await? == 0 {
        return Err(DbError::NotFound);
    }
    audit::append(
        &mut tx,
        actor,
        "division.update",
        &format!("division:{}", before.code),
        &format!(
            "name={:?}; valid_from={:?}; valid_to={:?}",
            name, valid_from, valid_to
        ),
    )
    .await?;
    tx.commit().await?;
    // Sessions, units and divisions read before this change must not be served from
    // any process's cache.
    db.caches_changed().await;
    by_id(db, id).await
}

/// Whether `roots` cover every top-level division: the whole installation, which may
/// hold several districts (one grant on one county is not all of them).
pub async fn covers_all(db: &Db, roots: &[String]) -> Result<bool> {
    let mut q = Sql::new("SELECT count(*) FROM divisions WHERE parent_id IS NULL AND NOT ");
    q.scope("path", roots);
    let outside: crate::sql::Count = q.fetch_one(db.reader()).await?;
    Ok(outside.0 == 0)
}

/// Number of divisions (to tell a new database from a used one).
pub async fn count(db: &Db) -> Result<i64> {
    let c: crate::sql::Count = Sql::new("SELECT COUNT(*) FROM divisions")
        .fetch_one(db.reader())
        .await?;
    Ok(c.0)
}
