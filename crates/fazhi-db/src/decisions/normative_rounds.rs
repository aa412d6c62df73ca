//! Clean-up rounds (清理) of normative documents: one record per round with its day,
//! scope and the three published lists, written in one transaction with the decisions
//! it takes on each document (their states, timeline entries) and one audit row.

use fazhi_core::decisions::{NormativeActionCode, NormativeState};
use time::Date;

use super::normative::{COLS, EVENTS, NormativeRow, bind_derived, state_json};
use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::timeline::Entry;
use crate::{Db, Result, now_ms};

row!(
    /// One round, with its lists as stored (JSON of `RoundLists`).
    RoundRow {
        id: i64,
        division_id: i64,
        division_name: String,
        division_path: String,
        round_on: Date,
        scope: String,
        note: String,
        lists: String,
        created_at: i64,
    }
);

const ROUND_COLS: &str = "SELECT c.id, c.division_id, d.name AS division_name, c.division_path, c.round_on, c.scope, c.note, c.lists, c.created_at FROM normative_cleanup_rounds c JOIN divisions d ON d.id = c.division_id";

/// What a round writes: each document changed (id, version read, new state) and the
/// lists as JSON.
pub struct RoundWrite {
    pub changed: Vec<(i64, i64, NormativeState)>,
    pub lists: String,
}

/// Records a round at the township `(division_id, path)`. `decide` gets the round's id
/// and the township's published documents (read in the transaction) and returns what
/// to write, or refuses (`Ok(Err(_))`, nothing written). A document changed since it
/// was read is `Stale`.
#[allow(clippy::too_many_arguments)]
pub async fn record<E>(
    db: &Db,
    actor: &Actor,
    division_id: i64,
    path: &str,
    on: Date,
    scope: &str,
    note: &str,
    decide: impl FnOnce(i64, Vec<NormativeRow>) -> std::result::Result<RoundWrite, E>,
) -> Result<std::result::Result<RoundRow, E>> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO normative_cleanup_rounds (division_id, division_path, round_on, scope, note, lists, created_by, created_at) VALUES (",
    );
    q.bind(division_id)
        .push(", ")
        .bind(path.to_string())
        .push(", ");
    q.bind(on).push(", ").bind(scope.to_string()).push(", ");
    q.bind(note.to_string()).push(", '', ").bind(actor.id);
    q.push(", ").bind(now).push(") RETURNING id");
    let id = q.fetch_one::<Count>(&mut tx).await?.0;
    let mut q = Sql::new(COLS);
    q.push(" WHERE n.division_path = ")
        .bind(path.to_string())
        .push(" AND n.published_on IS NOT NULL ORDER BY n.published_on, n.id");
    let docs: Vec<NormativeRow> = q.fetch_all(&mut tx).await?;
    let w = match decide(id, docs) {
        Ok(w) => w,
        Err(e) => return Ok(Err(e)),
    };
    for (doc, version, next) in &w.changed {
        let mut q = Sql::new(
            "UPDATE normative_documents SET (title, number, status, published_on, effective_on, expires_on, filing_due, filed_on, legal_review_id) = (",
        );
        bind_derived(&mut q, next);
        q.push("), state = ").bind(state_json(next));
        q.execute_at_version(&mut tx, now, *doc, *version).await?;
        let c = next.cleanups.last();
        let text = c
            .map(|c| format!("{}（{scope}）。{}", c.decision.label_zh(), c.note))
            .unwrap_or_default();
        EVENTS
            .append(
                &mut tx,
                Entry {
                    id: *doc,
                    actor,
                    action: NormativeActionCode::CleanUp,
                    from: None,
                    to: next.status,
                    note: &text,
                    on,
                    at: now,
                },
            )
            .await?;
    }
    let mut q = Sql::new("UPDATE normative_cleanup_rounds SET lists = ");
    q.bind(w.lists.clone()).push(" WHERE id = ").bind(id);
    q.execute(&mut tx).await?;
    audit::append_tx(
        &mut tx,
        actor,
        "normative.cleanup_round",
        &format!("normative_round:{id}"),
        &format!("{on} {scope}：{} 件变更", w.changed.len()),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(by_id(db, id).await?))
}

/// One round by id, unscoped.
pub async fn by_id(db: &Db, id: i64) -> Result<RoundRow> {
    let mut q = Sql::new(ROUND_COLS);
    q.push(" WHERE c.id = ").bind(id);
    q.fetch_one(db.reader()).await
}

/// One round inside the scope; out of scope is `NotFound`.
pub async fn get(db: &Db, roots: &[String], id: i64) -> Result<RoundRow> {
    let mut q = Sql::new(ROUND_COLS);
    q.push(" WHERE c.id = ")
        .bind(id)
        .push(" AND ")
        .scope("c.division_path", roots);
    q.fetch_one(db.reader()).await
}

/// The rounds in scope, newest first.
pub async fn list(db: &Db, roots: &[String]) -> Result<Vec<RoundRow>> {
    let mut q = Sql::new(ROUND_COLS);
    q.push(" WHERE ").scope("c.division_path", roots);
    q.push(" ORDER BY c.round_on DESC, c.id DESC LIMIT 1000");
    q.fetch_all(db.reader()).await
}

/// The rounds of the township at `path`, newest first, for the public page (no scope).
pub async fn of_township(db: &Db, path: &str) -> Result<Vec<RoundRow>> {
    let mut q = Sql::new(ROUND_COLS);
    q.push(" WHERE c.division_path = ")
        .bind(path.to_string())
        .push(" ORDER BY c.round_on DESC, c.id DESC LIMIT 1000");
    q.fetch_all(db.reader()).await
}
