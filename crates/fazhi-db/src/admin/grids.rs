//! Grids (网格) under villages and communities.

use crate::audit::{self, Actor};
use crate::sql::{Sql, row};
use crate::{Conn, Db, DbError, Result, now_ms};

row!(
    /// One grid with its village.
    GridRow {
        id: i64,
        division_id: i64,
        division_code: String,
        division_name: String,
        division_path: String,
        name: String,
        households: Option<i64>,
    }
);

const COLS: &str = "SELECT g.id, g.division_id, d.code AS division_code, d.name AS division_name, d.path AS division_path, g.name, g.households FROM grids g JOIN divisions d ON d.id = g.division_id";

pub(crate) async fn insert(
    conn: &mut Conn,
    actor: &Actor,
    division_id: i64,
    name: &str,
    households: Option<i64>,
) -> Result<i64> {
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO grids (division_id, name, households, created_at, updated_at) VALUES (",
    );
    q.bind(division_id)
        .push(", ")
        .bind(name.to_string())
        .push(", ")
        .bind(households);
    q.push(", ")
        .bind(now)
        .push(", ")
        .bind(now)
        .push(") RETURNING id");
    let id: crate::sql::Count = q.fetch_one(&mut *conn).await?;
    audit::append(
        conn,
        actor,
        "grid.create",
        &format!("grid:{}", id.0),
        &format!("division_id={division_id}; name={name}"),
    )
    .await?;
    Ok(id.0)
}

/// Creates a grid under a village and audits it.
pub async fn create(
    db: &Db,
    actor: &Actor,
    division_id: i64,
    name: &str,
    households: Option<i64>,
) -> Result<GridRow> {
    let mut tx = db.begin().await?;
    let id = insert(&mut tx, actor, division_id, name, households).await?;
    tx.commit().await?;
    by_id(db, id).await
}

/// One grid by id, unscoped (callers check scope on `division_path`).
pub async fn by_id(db: &Db, id: i64) -> Result<GridRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE g.id = ").bind(id);
    q.fetch_one(db.quick()).await
}

/// Grids inside the scope, optionally of one village, by id after `after_id`.
pub async fn list(
    db: &Db,
    roots: &[String],
    division_id: Option<i64>,
    after_id: i64,
    limit: i64,
) -> Result<Vec<GridRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE ")
        .scope("d.path", roots)
        .push(" AND g.id > ")
        .bind(after_id);
    if let Some(d) = division_id {
        q.push(" AND g.division_id = ").bind(d);
    }
    q.push(" ORDER BY g.id LIMIT ").bind(limit);
    q.fetch_all(db.reader()).await
}

/// Renames a grid or sets its household count, and audits it.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    name: Option<String>,
    households: Option<Option<i64>>,
) -> Result<GridRow> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("UPDATE grids SET updated_at = ");
    q.bind(now_ms());
    if let Some(n) = &name {
        q.push(", name = ").bind(n.clone());
    }
    if let Some(h) = households {
        q.push(", households = ").bind(h);
    }
    q.push(" WHERE id = ").bind(id);
    if q.execute(&mut *tx).await? == 0 {
        return Err(DbError::NotFound);
    }
    audit::append(
        &mut tx,
        actor,
        "grid.update",
        &format!("grid:{id}"),
        &format!("name={name:?}; households={households:?}"),
    )
    .await?;
    tx.commit().await?;
    by_id(db, id).await
}
