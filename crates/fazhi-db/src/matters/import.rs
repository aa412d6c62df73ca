//! Loading matters from a legacy ledger (台账): every row in one transaction or none,
//! each keyed by `source_ref`, so importing the same file again creates nothing.

use std::collections::HashSet;

use super::write::{self, NewMatter};
use crate::audit::{self, Actor};
use crate::pii::Vault;
use crate::sql::{Sql, row};
use crate::{Conn, Db, Result};

row!(RefRow {
    source_ref: Option<String>,
});

/// Keys looked up per statement.
const CHUNK: usize = 500;

async fn existing_in(conn: &mut Conn, refs: &[String]) -> Result<HashSet<String>> {
    let mut found = HashSet::new();
    for chunk in refs.chunks(CHUNK) {
        let mut q = Sql::new("SELECT source_ref FROM matters WHERE source_ref IN (");
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(r.clone());
        }
        q.push(")");
        let rows: Vec<RefRow> = q.fetch_all(&mut *conn).await?;
        found.extend(rows.into_iter().filter_map(|r| r.source_ref));
    }
    Ok(found)
}

/// Which of `refs` are already stored (for the dry run).
pub async fn existing(db: &Db, refs: &[String]) -> Result<HashSet<String>> {
    let mut conn = db.reader().acquire().await?;
    existing_in(&mut conn, refs).await
}

/// What a load did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Loaded {
    /// Ids of the matters created, in input order.
    pub created: Vec<i64>,
    /// Keys already present (imported before), left alone.
    pub skipped: Vec<String>,
}

/// Registers `matters` (each with its `source_ref`, history and parties) in one
/// transaction with one `matter.import` audit row beside each matter's own
/// `matter.register`; keys already stored are skipped. Any error rolls everything back.
/// `progress` is called after each row with the number of rows handled.
pub async fn load(
    db: &Db,
    vault: &Vault,
    actor: &Actor,
    matters: &[NewMatter],
    detail: &str,
    mut progress: impl FnMut(usize) + Send,
) -> Result<Loaded> {
    let refs: Vec<String> = matters
        .iter()
        .filter_map(|m| m.source_ref.clone())
        .collect();
    let mut tx = db.begin().await?;
    let present = existing_in(&mut tx, &refs).await?;
    let mut out = Loaded::default();
    for (i, m) in matters.iter().enumerate() {
        match &m.source_ref {
            Some(r) if present.contains(r) => out.skipped.push(r.clone()),
            _ => out
                .created
                .push(write::insert(&mut tx, vault, actor, m).await?),
        }
        progress(i + 1);
    }
    audit::append(
        &mut tx,
        actor,
        "matter.import",
        "matters",
        &format!(
            "{detail}; created {}, skipped {}",
            out.created.len(),
            out.skipped.len()
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}
