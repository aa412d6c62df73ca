//! Units (综治中心, 司法所, 派出所 …) attached to a division; they can be assigned work.

use crate::audit::{self, Actor};
use crate::sql::{Sql, row};
use crate::{Conn, Db, DbError, Result, now_ms};

row!(
    /// One unit with its division.
    UnitRow {
        id: i64,
        division_id: i64,
        division_code: String,
        division_name: String,
        division_path: String,
        name: String,
        kind: String,
    }
);

const COLS: &str = "SELECT u.id, u.division_id, d.code AS division_code, d.name AS division_name, d.path AS division_path, u.name, u.kind FROM units u JOIN divisions d ON d.id = u.division_id";

pub(crate) async fn insert(
    conn: &mut Conn,
    actor: &Actor,
    division_id: i64,
    name: &str,
    kind: &str,
) -> Result<i64> {
    let now = now_ms();
    let mut q =
        Sql::new("INSERT INTO units (division_id, name, kind, created_at, updated_at) VALUES (");
    q.bind(division_id)
        .push(", ")
        .bind(name.to_string())
        .push(", ")
        .bind(kind.to_string());
    q.push(", ")
        .bind(now)
        .push(", ")
        .bind(now)
        .push(") RETURNING id");
    let id: crate::sql::Count = q.fetch_one(&mut *conn).await?;
    audit::append(
        conn,
        actor,
        "unit.create",
        &format!("unit:{}", id.0),
        &format!("division_id={division_id}; name={name}"),
    )
    .await?;
    Ok(id.0)
}

/// Creates a unit and audits it.
pub async fn create(
    db: &Db,
    actor: &Actor,
    division_id: i64,
    name: &str,
    kind: &str,
) -> Result<UnitRow> {
    let mut tx = db.begin().await?;
    let id = insert(&mut tx, actor, division_id, name, kind).await?;
    tx.commit().await?;
    by_id(db, id).await
}

/// One unit by id, unscoped (callers check scope on `division_path`).
pub async fn by_id(db: &Db, id: i64) -> Result<UnitRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE u.id = ").bind(id);
    db.org.units.or_read(id, q.fetch_one(db.quick())).await
}

/// Units inside the scope, optionally of one division.
pub async fn list(
    db: &Db,
    roots: &[String],
    division_id: Option<i64>,
    after_id: i64,
    limit: i64,
) -> Result<Vec<UnitRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE ")
        .scope("d.path", roots)
        .push(" AND u.id > ")
        .bind(after_id);
    if let Some(d) = division_id {
        q.push(" AND u.division_id = ").bind(d);
    }
    q.push(" ORDER BY u.id LIMIT ").bind(limit);
    q.fetch_all(db.reader()).await
}

/// Renames a unit or changes its kind, and audits it.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    name: Option<String>,
    kind: Option<String>,
) -> Result<UnitRow> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("UPDATE units SET updated_at = ");
    q.bind(now_ms());
    if let Some(n) = &name {
        q.push(", name = ").bind(n.clone());
    }
    if let Some(k) = &kind {
        q.push(", kind = ").bind(k.clone());
    }
    q.push(" WHERE id = ").bind(id);
    if q.execute(&mut *tx).await? == 0 {
        return Err(DbError::NotFound);
    }
    audit::append(
        &mut tx,
        actor,
        "unit.update",
        &format!("unit:{id}"),
        &format!("name={name:?}; kind={kind:?}"),
    )
    .await?;
    tx.commit().await?;
    // Units read before this change must not be served from any process's cache.
    db.caches_changed().await;
    by_id(db, id).await
}
