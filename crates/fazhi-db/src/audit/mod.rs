//! Append-only audit log whose rows are hash-chained (SHA-256), so that altering or
//! removing a row is detectable (`fazhi audit verify`).

mod anchor;

pub use anchor::{Anchor, Checkpoint};

use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::sql::{Sql, row};
use crate::{Conn, Db, Result, WriteTx, now_ms};

/// Who did something: a user, or the system itself (`id` = None).
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<i64>,
    /// The account name recorded in the audit log and on timelines.
    pub name: String,
    /// The display name the timeline shows for the account, when the caller has it at
    /// hand (a signed-in user); else it is read when needed.
    pub shown: Option<String>,
}

impl Actor {
    /// The command line or the server acting on its own.
    pub fn system(name: &str) -> Actor {
        Actor {
            id: None,
            name: name.to_string(),
            shown: None,
        }
    }
}

row!(
    /// One audit row.
    AuditRow {
        seq: i64,
        at: i64,
        actor_id: Option<i64>,
        actor: String,
        action: String,
        target: String,
        detail: String,
        prev_hash: String,
        hash: String,
    }
);

row!(HeadRow {
    seq: i64,
    hash: String
});

/// Hash of one row: every field, newline-separated, then the previous hash.
/// `texts` are actor, action, target, detail and the previous hash, in that order.
fn row_hash(seq: i64, at: i64, actor_id: Option<i64>, texts: [&str; 5]) -> String {
    let mut h = Sha256::new();
    let id = actor_id.map(|i| i.to_string()).unwrap_or_default();
    let head = [seq.to_string(), at.to_string(), id];
    for part in head.iter().map(String::as_str).chain(texts) {
        h.update(part.as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

/// The chain's head (seq, hash) as this process last wrote or read it. Only a guess:
/// [`append_tx`] checks it in the statement that moves the head, so a stale value (another
/// process appended, or the transaction that wrote it rolled back) costs a retry, never a fork.
#[derive(Default)]
pub(crate) struct HeadCache(Mutex<Option<(i64, String)>>);

/// Appends one row inside the caller's transaction, so it commits with the change it records.
pub async fn append(
    conn: &mut Conn,
    actor: &Actor,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<()> {
    if conn.is_postgres() {
        return pg_append_in(conn, actor, action, target, detail).await;
    }
    append_locked(conn, actor, action, target, detail)
        .await
        .map(|_| ())
}

/// Like [`append`], in two statements instead of three when the head cached by this
/// process is still the head: the head moves to the new row only if it is still
/// (seq, hash) as cached, which both checks the guess and serialises appenders (row
/// lock on PostgreSQL, the write lock on SQLite); otherwise it falls back to [`append`].
pub async fn append_tx(
    tx: &mut WriteTx,
    actor: &Actor,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<()> {
    if tx.is_postgres() {
        return pg_append_in(tx, actor, action, target, detail).await;
    }
    let cache = tx.audit_head.clone();
    let cached = cache.0.lock().expect("audit head").clone();
    if let Some((seq, prev)) = cached {
        let (seq, at) = (seq + 1, now_ms());
        let texts = [actor.name.as_str(), action, target, detail, &prev];
        let hash = row_hash(seq, at, actor.id, texts);
        let mut q = Sql::new("UPDATE audit_head SET seq = ");
        q.bind(seq).push(", hash = ").bind(hash.clone());
        q.push(" WHERE id = 1 AND seq = ")
            .bind(seq - 1)
            .push(" AND hash = ")
            .bind(prev.clone());
        if q.execute(&mut **tx).await? == 1 {
            let row = NewRow {
                seq,
                at,
                actor,
                action,
                target,
                detail,
                prev,
                hash,
            };
            insert_row(tx, &row).await?;
            *cache.0.lock().expect("audit head") = Some((seq, row.hash));
            return Ok(());
        }
    }
    let head = append_locked(tx, actor, action, target, detail).await;
    *cache.0.lock().expect("audit head") = head.as_ref().ok().cloned();
    head.map(|_| ())
}

/// Where the target of a PostgreSQL append comes from.
#[derive(Clone, Copy)]
pub(crate) enum PgTarget<'a> {
    Text(&'a str),
    /// `matter:<id>` of the row returned by the statement's CTE `m` (the append is
    /// then made only if `m` returned a row).
    MatterOfM,
}

/// Appends the CTEs `h` (the head moved) and `a` (the row appended) of a PostgreSQL
/// append to a `WITH` statement: one statement instead of three, with the hash
/// computed by PostgreSQL exactly as [`row_hash`] does (`verify` checks it in Rust).
/// Appenders serialise on the head row as before: a statement that waited for the row
/// lock updates the version committed meanwhile (READ COMMITTED), so the chain never
/// forks and no guess of the head can be stale. Run as part of a larger statement
/// outside `BEGIN … COMMIT`, the lock is held only while that statement runs and its
/// commit is flushed, not across round trips to the server (bench/README.md ⁸).
pub(crate) fn pg_append_ctes(
    q: &mut Sql,
    at: i64,
    actor: &Actor,
    action: &str,
    target: PgTarget<'_>,
    detail: &str,
) {
    let target_sql = |q: &mut Sql| match target {
        PgTarget::Text(t) => {
            q.bind(t.to_string());
        }
        PgTarget::MatterOfM => {
            q.push("('matter:' || m.id)");
        }
    };
    q.push("h AS (UPDATE audit_head SET seq = audit_head.seq + 1, prev = audit_head.hash, hash = encode(sha256(convert_to(concat_ws(E'\\n', (audit_head.seq + 1)::text, ");
    q.bind(at)
        .push("::text, COALESCE(")
        .bind(actor.id)
        .push("::text, ''), ");
    q.bind(actor.name.clone())
        .push(", ")
        .bind(action.to_string())
        .push(", ");
    target_sql(q);
    q.push(", ").bind(detail.to_string());
    q.push(", audit_head.hash) || E'\\n', 'UTF8')), 'hex')");
    if matches!(target, PgTarget::MatterOfM) {
        q.push(" FROM m");
    }
    q.push(" WHERE audit_head.id = 1 RETURNING audit_head.seq, audit_head.prev, audit_head.hash, ");
    target_sql(q);
    q.push(" AS target), a AS (INSERT INTO audit_log (seq, at, actor_id, actor, action, target, detail, prev_hash, hash) SELECT seq, ");
    q.bind(at).push(", ").bind(actor.id).push(", ");
    q.bind(actor.name.clone())
        .push(", ")
        .bind(action.to_string());
    q.push(", target, ").bind(detail.to_string());
    q.push(", prev, hash FROM h RETURNING seq)");
}

/// The PostgreSQL append as a statement of its own ([`pg_append_ctes`]).
fn pg_append_sql(actor: &Actor, action: &str, target: &str, detail: &str) -> Sql {
    let mut q = Sql::new("WITH ");
    pg_append_ctes(
        &mut q,
        now_ms(),
        actor,
        action,
        PgTarget::Text(target),
        detail,
    );
    q.push(" SELECT seq FROM a");
    q
}

async fn pg_append_in(
    conn: &mut Conn,
    actor: &Actor,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<()> {
    let q = pg_append_sql(actor, action, target, detail);
    if q.fetch_all::<crate::sql::Count>(&mut *conn).await?.len() != 1 {
        return Err(crate::DbError::Config(
            "the audit head row is missing".into(),
        ));
    }
    Ok(())
}

/// The three-statement append; returns the new head.
async fn append_locked(
    conn: &mut Conn,
    actor: &Actor,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<(i64, String)> {
    // Taking the head row first serialises appenders (row lock on PostgreSQL,
    // the write lock on SQLite), so the chain never forks.
    let head: HeadRow =
        Sql::new("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut *conn)
            .await?;
    let at = now_ms();
    let texts = [actor.name.as_str(), action, target, detail, &head.hash];
    let hash = row_hash(head.seq, at, actor.id, texts);
    let row = NewRow {
        seq: head.seq,
        at,
        actor,
        action,
        target,
        detail,
        prev: head.hash,
        hash,
    };
    insert_row(conn, &row).await?;
    let mut q = Sql::new("UPDATE audit_head SET hash = ");
    q.bind(row.hash.clone()).push(" WHERE id = 1");
    q.execute(&mut *conn).await?;
    Ok((row.seq, row.hash))
}

/// One row to append, its hash computed.
struct NewRow<'a> {
    seq: i64,
    at: i64,
    actor: &'a Actor,
    action: &'a str,
    target: &'a str,
    detail: &'a str,
    prev: String,
    hash: String,
}

async fn insert_row(conn: &mut Conn, r: &NewRow<'_>) -> Result<()> {
    let mut q = Sql::new(
        "INSERT INTO audit_log (seq, at, actor_id, actor, action, target, detail, prev_hash, hash) VALUES (",
    );
    q.bind(r.seq)
        .push(", ")
        .bind(r.at)
        .push(", ")
        .bind(r.actor.id)
        .push(", ");
    q.bind(r.actor.name.clone())
        .push(", ")
        .bind(r.action.to_string())
        .push(", ");
    q.bind(r.target.to_string())
        .push(", ")
        .bind(r.detail.to_string())
        .push(", ");
    q.bind(r.prev.clone())
        .push(", ")
        .bind(r.hash.clone())
        .push(")");
    q.execute(&mut *conn).await?;
    Ok(())
}

/// Appends one row in its own transaction (for events with no other change, like a login).
pub async fn record(
    db: &Db,
    actor: &Actor,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<()> {
    if db.backend() == crate::Backend::Postgres {
        // One statement, committed on its own: no BEGIN and COMMIT round trips.
        let q = pg_append_sql(actor, action, target, detail);
        if q.fetch_all::<crate::sql::Count>(db.writer()).await?.len() != 1 {
            return Err(crate::DbError::Config(
                "the audit head row is missing".into(),
            ));
        }
        return Ok(());
    }
    let mut tx = db.begin().await?;
    append_tx(&mut tx, actor, action, target, detail).await?;
    tx.commit().await?;
    Ok(())
}

/// The newest rows first, for the admin page.
pub async fn recent(db: &Db, before_seq: Option<i64>, limit: i64) -> Result<Vec<AuditRow>> {
    search(db, &AuditFilter::default(), before_seq, limit).await
}

/// What the audit page filters on.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// The acting account's user name, exactly.
    pub actor: Option<String>,
    /// Actions starting with this (`matter.`, `login`).
    pub action_prefix: Option<String>,
    /// Times in Unix milliseconds, `[from, to)`.
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

/// The newest matching rows first, below `before_seq`.
pub async fn search(
    db: &Db,
    f: &AuditFilter,
    before_seq: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRow>> {
    let mut q = Sql::new("SELECT * FROM audit_log WHERE 1 = 1");
    if let Some(b) = before_seq {
        q.push(" AND seq < ").bind(b);
    }
    if let Some(a) = &f.actor {
        q.push(" AND actor = ").bind(a.clone());
    }
    if let Some(p) = &f.action_prefix {
        // The prefixes are fixed codes (letters, dots, underscores): no LIKE escapes needed.
        let p: String = p
            .chars()
            .filter(|c| c.is_ascii_lowercase() || *c == '.' || *c == '_')
            .collect();
        q.push(" AND action LIKE ").bind(format!("{p}%"));
    }
    if let Some(t) = f.from_ms {
        q.push(" AND at >= ").bind(t);
    }
    if let Some(t) = f.to_ms {
        q.push(" AND at < ").bind(t);
    }
    q.push(" ORDER BY seq DESC LIMIT ").bind(limit);
    q.fetch_all(db.reader()).await
}

/// Outcome of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Rows read.
    pub rows: i64,
    /// The first row found altered or missing, with the reason; None when intact.
    /// A forged or unreadable checkpoint file is reported as row 0.
    pub first_bad: Option<(i64, String)>,
    /// Checkpoints compared with the chain, and the newest of them.
    pub checkpoints: usize,
    pub newest_checkpoint: Option<Checkpoint>,
}

/// Walks the chain in order, page by page, and names the first row altered or removed.
/// With an anchor, every checkpointed row must still have the hash it had, and the log
/// must reach the newest checkpoint: a cut tail, a wiped log or a re-chained log is
/// found even though the rows left chain correctly.
pub async fn verify(db: &Db, anchor: Option<&Anchor>) -> Result<Verification> {
    verify_with(db, anchor, &|_, _| {}).await
}

/// [`verify`], telling `progress` (rows checked, rows in the log) after each page of
/// rows: a log of millions of rows takes a while, and the page shows how far it is.
pub async fn verify_with(
    db: &Db,
    anchor: Option<&Anchor>,
    progress: &(dyn Fn(i64, i64) + Send + Sync),
) -> Result<Verification> {
    let checkpoints = match anchor.map(Anchor::read).transpose() {
        Ok(c) => c.unwrap_or_default(),
        Err(e) => {
            return Ok(Verification {
                rows: 0,
                first_bad: Some((0, e.to_string())),
                checkpoints: 0,
                newest_checkpoint: None,
            });
        }
    };
    let mut v = walk(db, &checkpoints, progress).await?;
    v.checkpoints = checkpoints.len();
    v.newest_checkpoint = checkpoints.iter().max_by_key(|c| c.seq).cloned();
    Ok(v)
}

async fn walk(
    db: &Db,
    checkpoints: &[Checkpoint],
    progress: &(dyn Fn(i64, i64) + Send + Sync),
) -> Result<Verification> {
    let anchored: std::collections::HashMap<i64, &str> = checkpoints
        .iter()
        .map(|c| (c.seq, c.hash.as_str()))
        .collect();
    let bad = |rows, seq, why: String| Verification {
        rows,
        first_bad: Some((seq, why)),
        checkpoints: 0,
        newest_checkpoint: None,
    };
    let mut expected_seq = 1i64;
    let mut prev = "0".repeat(64);
    let mut rows = 0i64;
    let total = Sql::new("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one::<HeadRow>(db.reader())
        .await?
        .seq;
    loop {
        progress(rows, total.max(rows));
        let mut q = Sql::new("SELECT * FROM audit_log WHERE seq >= ");
        q.bind(expected_seq).push(" ORDER BY seq LIMIT 1000");
        let page: Vec<AuditRow> = q.fetch_all(db.reader()).await?;
        if page.is_empty() {
            break;
        }
        for r in page {
            rows += 1;
            if r.seq != expected_seq {
                let why = format!("row {expected_seq} was removed");
                return Ok(bad(rows, expected_seq, why));
            }
            let texts = [
                r.actor.as_str(),
                &r.action,
                &r.target,
                &r.detail,
                &r.prev_hash,
            ];
            let h = row_hash(r.seq, r.at, r.actor_id, texts);
            if r.prev_hash != prev || h != r.hash {
                return Ok(bad(rows, r.seq, format!("row {} was altered", r.seq)));
            }
            if anchored.get(&r.seq).is_some_and(|a| *a != r.hash) {
                let why = format!(
                    "row {} differs from its checkpoint: the log was rewritten",
                    r.seq
                );
                return Ok(bad(rows, r.seq, why));
            }
            prev = r.hash;
            expected_seq += 1;
        }
    }
    let last = expected_seq - 1;
    if let Some(c) = checkpoints
        .iter()
        .filter(|c| c.seq > last)
        .max_by_key(|c| c.seq)
    {
        let why = format!(
            "rows {} to {} were removed (the checkpoint file records row {})",
            last + 1,
            c.seq,
            c.seq
        );
        return Ok(bad(rows, last + 1, why));
    }
    let head: HeadRow = Sql::new("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(db.reader())
        .await?;
    if head.seq != last || head.hash != prev {
        let why = format!(
            "rows {} to {} were removed from the end of the log",
            expected_seq, head.seq
        );
        return Ok(bad(rows, expected_seq, why));
    }
    Ok(Verification {
        rows,
        first_bad: None,
        checkpoints: 0,
        newest_checkpoint: None,
    })
}
