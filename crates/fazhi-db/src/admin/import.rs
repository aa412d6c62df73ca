//! Bulk load of divisions and grids (from an XLSX list or the demo), in one transaction.

use std::collections::HashMap;

use crate::admin::divisions::{DivisionRow, NewDivision};
use crate::audit::Actor;
use crate::sql::Sql;
use crate::{Db, DbError, Result};

/// One grid to create under a village code.
#[derive(Debug, Clone)]
pub struct NewGrid {
    pub village_code: String,
    pub name: String,
    pub households: Option<i64>,
}

/// One unit to create under a division code.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub division_code: String,
    pub name: String,
    pub kind: String,
}

/// What a bulk load did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub divisions: usize,
    pub grids: usize,
    pub units: usize,
    /// Rows already present (same code, or same grid name in the village), left as they were.
    pub skipped: usize,
}

/// Creates the divisions (parents first: `parent_code` names an existing division or one
/// earlier in the list), then grids and units, all in one transaction: all or nothing.
/// Existing codes are skipped, so loading the same list twice creates no duplicates.
pub async fn load(
    db: &Db,
    actor: &Actor,
    divisions: &[(NewDivision, Option<String>)],
    grids: &[NewGrid],
    units: &[NewUnit],
) -> Result<ImportCounts> {
    let mut tx = db.begin_bulk().await?;
    let mut ids: HashMap<String, i64> = HashMap::new();
    let mut counts = ImportCounts::default();
    let lookup = async |tx: &mut crate::WriteTx,
                        code: &str,
                        ids: &mut HashMap<String, i64>|
           -> Result<Option<i64>> {
        if let Some(id) = ids.get(code) {
            return Ok(Some(*id));
        }
        let mut q = Sql::new(
            "SELECT id, code, name, level, parent_id, path, valid_from, valid_to FROM divisions WHERE code = ",
        );
        q.bind(code.to_string());
        let row: Option<DivisionRow> = q.fetch_optional(&mut **tx).await?;
        if let Some(r) = &row {
            ids.insert(code.to_string(), r.id);
        }
        Ok(row.map(|r| r.id))
    };
    for (d, parent_code) in divisions {
        if lookup(&mut tx, &d.code, &mut ids).await?.is_some() {
            counts.skipped += 1;
            continue;
        }
        let parent_id = match parent_code {
            Some(pc) => {
                Some(
                    lookup(&mut tx, pc, &mut ids)
                        .await?
                        .ok_or_else(|| DbError::Conflict {
                            field: "parent_code",
                            message: format!("上级区划“{pc}”不存在"),
                        })?,
                )
            }
            None => None,
        };
        let nd = NewDivision {
            parent_id,
            ..d.clone()
        };
        let id = super::divisions::insert(&mut tx, actor, &nd).await?;
        ids.insert(d.code.clone(), id);
        counts.divisions += 1;
    }
    for g in grids {
        let vid = lookup(&mut tx, &g.village_code, &mut ids)
            .await?
            .ok_or_else(|| DbError::Conflict {
                field: "village_code",
                message: format!("村（社区）“{}”不存在", g.village_code),
            })?;
        let mut q = Sql::new("SELECT COUNT(*) FROM grids WHERE division_id = ");
        q.bind(vid).push(" AND name = ").bind(g.name.clone());
        let c: crate::sql::Count = q.fetch_one(&mut *tx).await?;
        if c.0 > 0 {
            counts.skipped += 1;
            continue;
        }
        super::grids::insert(&mut tx, actor, vid, &g.name, g.households).await?;
        counts.grids += 1;
    }
    for u in units {
        let did = lookup(&mut tx, &u.division_code, &mut ids)
            .await?
            .ok_or_else(|| DbError::Conflict {
                field: "division_code",
                message: format!("区划“{}”不存在", u.division_code),
            })?;
        let mut q = Sql::new("SELECT COUNT(*) FROM units WHERE division_id = ");
        q.bind(did).push(" AND name = ").bind(u.name.clone());
        let c: crate::sql::Count = q.fetch_one(&mut *tx).await?;
        if c.0 > 0 {
            counts.skipped += 1;
            continue;
        }
        super::units::insert(&mut tx, actor, did, &u.name, &u.kind).await?;
        counts.units += 1;
    }
    tx.commit().await?;
    Ok(counts)
}
