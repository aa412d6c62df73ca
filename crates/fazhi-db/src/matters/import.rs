//! Loading matters from a legacy ledger (台账): every row in one transaction or none,
//! each keyed by `source_ref`, so importing the same file again creates nothing.

use std::collections::HashSet;

use super::write::NewMatter;
use crate::audit::{self, Actor};
use crate::pii::Vault;
use crate::sql::{Sql, Target, row};
use crate::{Db, Result};

row!(RefRow {
    source_ref: Option<String>,
});

/// Keys looked up per statement.
const CHUNK: usize = 500;

async fn existing_in(mut to: Target<'_>, refs: &[String]) -> Result<HashSet<String>> {
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
        let rows: Vec<RefRow> = q.fetch_all(to.reborrow()).await?;
        found.extend(rows.into_iter().filter_map(|r| r.source_ref));
    }
    Ok(found)
}

/// Which of `refs` are already stored (for the dry run).
pub async fn existing(db: &Db, refs: &[String]) -> Result<HashSet<String>> {
    existing_in(db.reader().into(), refs).await
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
/// transaction, with multi-row statements (`bulk`, one `matter.load` audit row per
/// chunk) so the single writer is held for seconds, not minutes, and one
/// `matter.import` audit row; keys already stored are skipped. Any error rolls
/// everything back. `progress` is told the number of rows handled after each chunk.
pub async fn load(
    db: &Db,
    vault: &Vault,
    actor: &Actor,
    matters: &[NewMatter],
    detail: &str,
    mut progress: impl FnMut(usize) + Send,
) -> Result<Loaded> {
    /// Matters per `bulk::insert` call (and per progress step).
    const CHUNK: usize = 250;
    let refs: Vec<String> = matters
        .iter()
        .filter_map(|m| m.source_ref.clone())
        .collect();
    let mut tx = db.begin_bulk().await?;
    let present = existing_in((&mut tx).into(), &refs).await?;
    let mut out = Loaded::default();
    let mut done = 0;
    for chunk in matters.chunks(CHUNK) {
        let mut todo = Vec::with_capacity(chunk.len());
        for m in chunk {
            match &m.source_ref {
                Some(r) if present.contains(r) => out.skipped.push(r.clone()),
                _ => todo.push(m),
            }
        }
        out.created
            .extend(super::bulk::insert(&mut tx, vault, actor, &todo).await?);
        done += chunk.len();
        progress(done);
        // On SQLite the statements ran on this thread: let its other tasks run.
        tokio::task::yield_now().await;
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
