//! The enforcement item list of a township. Editing an item adds a version and marks
//! it latest; cases keep pointing at the version they were opened under.

use fazhi_core::enforcement::{ItemRef, ItemSpec, PowerSource};

use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::{Db, DbError, Result, now_ms};

row!(
    /// One version of an item.
    ItemRow {
        id: i64,
        township_id: i64,
        township_path: String,
        code: String,
        version: i64,
        latest: bool,
        name: String,
        source: PowerSource,
        spec: String,
        created_at: i64,
    }
);

impl ItemRow {
    /// The item as the workflow uses it.
    pub fn item(&self) -> Result<ItemRef> {
        let spec: ItemSpec = serde_json::from_str(&self.spec)
            .map_err(|e| DbError::Config(format!("item {} has a damaged spec: {e}", self.id)))?;
        Ok(ItemRef {
            id: self.id,
            version: self.version,
            spec,
        })
    }
}

const COLS: &str = "SELECT id, township_id, township_path, code, version, latest, name, source, spec, created_at FROM enforcement_items";

/// The latest version of every item in scope, by code.
pub async fn list_latest(db: &Db, roots: &[String]) -> Result<Vec<ItemRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE latest = 1 AND ")
        .scope("township_path", roots)
        .push(" ORDER BY township_path, code");
    q.fetch_all(db.reader()).await
}

/// One item version in scope.
pub async fn get(db: &Db, roots: &[String], id: i64) -> Result<ItemRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE id = ")
        .bind(id)
        .push(" AND ")
        .scope("township_path", roots);
    q.fetch_one(db.reader()).await
}

/// Every version of an item, newest first.
pub async fn versions(db: &Db, township_id: i64, code: &str) -> Result<Vec<ItemRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE township_id = ")
        .bind(township_id)
        .push(" AND code = ")
        .bind(code.to_string())
        .push(" ORDER BY version DESC");
    q.fetch_all(db.reader()).await
}

/// Saves `spec` as the next version of its code in the township (the first when new).
/// An unchanged spec adds nothing. Returns the row now latest.
pub async fn save(
    db: &Db,
    actor: &Actor,
    township_id: i64,
    township_path: &str,
    spec: &ItemSpec,
) -> Result<ItemRow> {
    let mut tx = db.begin().await?;
    let row = save_in(&mut tx, actor, township_id, township_path, spec).await?;
    tx.commit().await?;
    Ok(row)
}

/// Saves a whole list in one transaction (an import: all items or none); returns how
/// many items got a new version.
pub async fn save_all(
    db: &Db,
    actor: &Actor,
    township_id: i64,
    township_path: &str,
    specs: &[ItemSpec],
) -> Result<usize> {
    let mut tx = db.begin().await?;
    let mut changed = 0;
    for spec in specs {
        let before = now_ms();
        let row = save_in(&mut tx, actor, township_id, township_path, spec).await?;
        if row.created_at >= before {
            changed += 1;
        }
    }
    tx.commit().await?;
    Ok(changed)
}

async fn save_in(
    tx: &mut crate::WriteTx,
    actor: &Actor,
    township_id: i64,
    township_path: &str,
    spec: &ItemSpec,
) -> Result<ItemRow> {
    let json = serde_json::to_string(spec).expect("item spec serialises");
    let mut q = Sql::new(COLS);
    q.push(" WHERE township_id = ")
        .bind(township_id)
        .push(" AND code = ")
        .bind(spec.code.clone())
        .push(" AND latest = 1");
    let current: Option<ItemRow> = q.fetch_optional(&mut *tx).await?;
    if let Some(c) = &current
        && c.spec == json
    {
        return Ok(c.clone());
    }
    let version = current.as_ref().map_or(1, |c| c.version + 1);
    if let Some(c) = &current {
        let mut q = Sql::new("UPDATE enforcement_items SET latest = 0 WHERE id = ");
        q.bind(c.id);
        q.execute(&mut *tx).await?;
    }
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO enforcement_items (township_id, township_path, code, version, latest, name, source, spec, created_by, created_at) VALUES (",
    );
    q.bind(township_id)
        .push(", ")
        .bind(township_path.to_string());
    q.push(", ")
        .bind(spec.code.clone())
        .push(", ")
        .bind(version);
    q.push(", 1, ")
        .bind(spec.name.clone())
        .push(", ")
        .bind(spec.source);
    q.push(", ").bind(json.clone()).push(", ").bind(actor.id);
    q.push(", ").bind(now).push(") RETURNING id");
    let id = q.fetch_one::<Count>(&mut *tx).await?.0;
    audit::append_tx(
        tx,
        actor,
        "enforcement.item.save",
        &format!("enforcement_item:{id}"),
        &format!("{} v{version}", spec.code),
    )
    .await?;
    Ok(ItemRow {
        id,
        township_id,
        township_path: township_path.to_string(),
        code: spec.code.clone(),
        version,
        latest: true,
        name: spec.name.clone(),
        source: spec.source,
        spec: json,
        created_at: now,
    })
}
