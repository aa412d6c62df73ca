//! Loading many matters with their history at once (the demo, capacity tests): the
//! same rows as [`super::write::insert`], written with multi-row statements, and one
//! audit row per batch instead of one per matter.

use std::collections::HashMap;

use super::parties::{PARTY_INSERT, bind_party};
use super::search::text_of;
use super::write::{EVENT_INSERT, MATTER_INSERT, NewMatter, bind_event, bind_matter};
use crate::audit::{self, Actor};
use crate::pii::Vault;
use crate::sql::{Sql, row};
use crate::{Conn, DbError, Result, now_ms};

row!(IdCode {
    id: i64,
    tracking_code: String
});

row!(IdName {
    id: i64,
    name: String
});

/// Rows per multi-row statement. On SQLite statements stay near 200 parameters (chosen
/// when sqlx ran them and looked each `$n` up by name, at a cost in proportion to the
/// count squared; rusqlite binds by position). PostgreSQL takes ten times as many rows
/// (each statement is a round trip).
const MATTERS_PER_STATEMENT: usize = 6;
const ROWS_PER_STATEMENT: usize = 20;
const POSTGRES_FACTOR: usize = 10;

/// Inserts `batch` inside the caller's transaction; returns the new ids in order.
/// Every matter must carry its history (`NewMatter::history`); `repeat_of` must name
/// matters already stored; photos are not loaded this way.
pub async fn insert(
    conn: &mut Conn,
    vault: &Vault,
    actor: &Actor,
    batch: &[&NewMatter],
) -> Result<Vec<i64>> {
    if batch.is_empty() {
        return Ok(Vec::new());
    }
    let now = now_ms();
    let k = if conn.is_postgres() {
        POSTGRES_FACTOR
    } else {
        1
    };
    let mut ids: HashMap<String, i64> = HashMap::with_capacity(batch.len());
    for chunk in batch.chunks(MATTERS_PER_STATEMENT * k) {
        let mut q = Sql::new(MATTER_INSERT);
        for (i, m) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { "), (" });
            bind_matter(&mut q, m, actor, now);
        }
        q.push(") RETURNING id, tracking_code");
        let rows: Vec<IdCode> = q.fetch_all(&mut *conn).await?;
        ids.extend(rows.into_iter().map(|r| (r.tracking_code, r.id)));
    }
    let ids: Vec<i64> = batch
        .iter()
        .map(|m| ids.get(&m.tracking_code).copied().ok_or(DbError::NotFound))
        .collect::<Result<_>>()?;

    let parties: Vec<_> = batch
        .iter()
        .zip(&ids)
        .flat_map(|(m, id)| m.parties.iter().enumerate().map(move |(i, p)| (*id, i, p)))
        .collect();
    for chunk in parties.chunks(ROWS_PER_STATEMENT * k) {
        let mut q = Sql::new(PARTY_INSERT);
        for (i, (id, seq, p)) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { "), (" });
            bind_party(&mut q, vault, *id, *seq as i64 + 1, p);
        }
        q.push(")");
        q.execute(&mut *conn).await?;
    }

    let events: Vec<_> = batch
        .iter()
        .zip(&ids)
        .flat_map(|(m, id)| m.history.iter().map(move |e| (*id, e)))
        .collect();
    for chunk in events.chunks(ROWS_PER_STATEMENT * k) {
        let mut q = Sql::new(EVENT_INSERT);
        for (i, (id, e)) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { "), (" });
            bind_event(&mut q, *id, e);
        }
        q.push(")");
        q.execute(&mut *conn).await?;
    }

    // Co-handlers (协办) of assignments still being handled, as `write::act` keeps them.
    let co: Vec<_> = batch
        .iter()
        .zip(&ids)
        .flat_map(|(m, id)| {
            super::derive::co_handlers(&m.state)
                .into_iter()
                .map(move |c| (*id, c))
        })
        .collect();
    for chunk in co.chunks(ROWS_PER_STATEMENT * k) {
        let mut q = Sql::new(
            "INSERT INTO matter_co_handlers (matter_id, assignee_kind, assignee_id) VALUES ",
        );
        for (i, (id, c)) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { "), (" });
            q.bind(*id).push(", ").bind(c.kind).push(", ").bind(c.id);
        }
        q.push(")");
        q.execute(&mut *conn).await?;
    }

    index(conn, batch, &ids, k).await?;
    audit::append(
        conn,
        actor,
        "matter.load",
        &format!("matters:{}-{}", ids[0], ids[ids.len() - 1]),
        &format!("{} matters with their history", ids.len()),
    )
    .await?;
    Ok(ids)
}

/// Writes the search entries of freshly inserted matters.
async fn index(conn: &mut Conn, batch: &[&NewMatter], ids: &[i64], k: usize) -> Result<()> {
    let places = names_of(conn, "divisions", batch.iter().map(|m| m.division_id)).await?;
    let grids = names_of(conn, "grids", batch.iter().filter_map(|m| m.grid_id)).await?;
    let texts = batch
        .iter()
        .zip(ids)
        .map(|(m, id)| {
            let names: Vec<String> = m.parties.iter().map(|p| p.name.clone()).collect();
            let place = places.get(&m.division_id).map_or("", String::as_str);
            let grid = m.grid_id.and_then(|g| grids.get(&g)).map(String::as_str);
            (
                *id,
                text_of(&m.summary, &names, place, grid, m.address.as_deref()),
            )
        })
        .collect();
    super::search::insert_many(conn, texts, ROWS_PER_STATEMENT * 5 * k).await
}

/// Names of the divisions or grids with the given ids.
async fn names_of(
    conn: &mut Conn,
    table: &'static str,
    ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, String>> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    let mut out = HashMap::new();
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let mut q = Sql::new("SELECT id, name FROM ");
        q.push(table).push(" WHERE id IN (");
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(*id);
        }
        q.push(")");
        let rows: Vec<IdName> = q.fetch_all(&mut *conn).await?;
        out.extend(rows.into_iter().map(|r| (r.id, r.name)));
    }
    Ok(out)
}
