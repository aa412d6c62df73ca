//! Publicity events imported from a township's ledger (台账): every row in one
//! transaction or none, each keyed by `source_ref`, so importing the same rows again
//! creates nothing.

use std::collections::HashSet;

use super::events::{NewEvent, bind_fields};
use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::{Db, Result, now_ms};

row!(RefRow {
    source_ref: Option<String>,
});

/// Which of `refs` are already stored.
pub async fn existing(db: &Db, refs: &[String]) -> Result<HashSet<String>> {
    let mut found = HashSet::new();
    for chunk in refs.chunks(500) {
        let mut q = Sql::new("SELECT source_ref FROM publicity_events WHERE source_ref IN (");
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(r.clone());
        }
        q.push(")");
        let rows: Vec<RefRow> = q.fetch_all(db.reader()).await?;
        found.extend(rows.into_iter().filter_map(|r| r.source_ref));
    }
    Ok(found)
}

/// An event read from a ledger row, with its key.
#[derive(Debug, Clone)]
pub struct LedgerEvent {
    pub event: NewEvent,
    pub source_ref: String,
}

/// Stores `rows` in one transaction, each with its audit row, and one
/// `education.event.import` row for the whole import; keys already stored are left
/// alone. Returns the ids created. Any error rolls everything back.
pub async fn load(db: &Db, actor: &Actor, rows: &[LedgerEvent], detail: &str) -> Result<Vec<i64>> {
    let refs: Vec<String> = rows.iter().map(|r| r.source_ref.clone()).collect();
    let mut tx = db.begin_bulk().await?;
    // Checked inside the transaction too: an import running beside this one.
    let mut present = HashSet::new();
    for chunk in refs.chunks(500) {
        let mut q = Sql::new("SELECT source_ref FROM publicity_events WHERE source_ref IN (");
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(r.clone());
        }
        q.push(")");
        let found: Vec<RefRow> = q.fetch_all(&mut *tx).await?;
        present.extend(found.into_iter().filter_map(|r| r.source_ref));
    }
    let now = now_ms();
    let mut created = Vec::new();
    for r in rows.iter().filter(|r| !present.contains(&r.source_ref)) {
        let mut q = Sql::new(
            "INSERT INTO publicity_events (kind, theme_key, theme_name, held_on, held_year, division_id, division_path, grid_id, unit_id, title, place, participants, reached, materials, laws, summary, source_ref, version, created_by, created_at, updated_at) VALUES (",
        );
        bind_fields(&mut q, &r.event);
        q.push(", ").bind(r.source_ref.clone());
        q.push(", 1, ").bind(actor.id).push(", ").bind(now);
        q.push(", ").bind(now).push(") RETURNING id");
        let id: Count = q.fetch_one(&mut *tx).await?;
        audit::append(
            &mut tx,
            actor,
            "education.event.create",
            &format!("publicity_event:{}", id.0),
            &format!("台账导入：{}", r.event.fields.title),
        )
        .await?;
        created.push(id.0);
    }
    audit::append(
        &mut tx,
        actor,
        "education.event.import",
        "publicity_events",
        &format!("{detail}；新增{}条", created.len()),
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}
