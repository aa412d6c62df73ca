//! Group commit for PostgreSQL's one-statement writes (a new matter, an action).
//!
//! Every write appends to the audit chain and so takes the chain head's row lock, which
//! PostgreSQL holds until the commit is on disk: written one per transaction, the writes
//! of the whole server queue behind one WAL flush after another (bench/README.md ⁸).
//! Here the statements that wait together run in one transaction on one connection
//! (`BEGIN`, each statement, `COMMIT`): one flush and one turn of the head lock for the
//! batch. Each statement keeps its own result (a stale version is an empty result, not
//! an error). If a statement fails, the batch is rolled back (nothing of it was
//! committed) and each statement runs again alone, so only the failing one gets the
//! error. If `COMMIT` itself fails, every member gets that error: its outcome is unknown,
//! as for a lone statement whose connection broke, and running it again could apply it
//! twice. Nothing is acknowledged before the batch's `COMMIT` has returned
//! (`synchronous_commit` stays on).

use std::sync::{Arc, OnceLock};

use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};

use crate::sql::{Count, Sql};
use crate::{Conn, ConnKind, Result};

/// Statements per transaction at most.
const MAX_BATCH: usize = 64;

struct Job {
    sql: Sql,
    done: oneshot::Sender<Result<Vec<Count>>>,
}

/// The queue in front of the batching connection; the worker starts on first use.
#[derive(Clone)]
pub(crate) struct Batcher {
    pool: AnyPool,
    queue: Arc<OnceLock<mpsc::UnboundedSender<Job>>>,
}

impl Batcher {
    pub(crate) fn new(pool: AnyPool) -> Batcher {
        Batcher {
            pool,
            queue: Arc::default(),
        }
    }

    /// Runs `sql` (which returns one id column) as part of the next batch; returns its
    /// rows once the batch has committed.
    pub(crate) async fn run(&self, sql: Sql) -> Result<Vec<Count>> {
        let queue = self.queue.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            tokio::spawn(work(self.pool.clone(), rx));
            tx
        });
        let (done, wait) = oneshot::channel();
        if let Err(mpsc::error::SendError(job)) = queue.send(Job { sql, done }) {
            // The worker's runtime has ended (a test's): run alone.
            return job.sql.fetch_all(&self.pool).await;
        }
        match wait.await {
            Ok(r) => r,
            Err(_) => Err(crate::DbError::Config("the write batch was dropped".into())),
        }
    }
}

async fn work(pool: AnyPool, mut rx: mpsc::UnboundedReceiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        if jobs.len() == 1 {
            let j = jobs.pop().expect("one job");
            let r = j.sql.fetch_all(&pool).await;
            let _ = j.done.send(r);
            continue;
        }
        match batch(&pool, &jobs).await {
            Ok(Ok(results)) => {
                for (j, r) in jobs.into_iter().zip(results) {
                    let _ = j.done.send(Ok(r));
                }
            }
            // COMMIT failed: the outcome is unknown, tell everyone.
            Ok(Err(e)) => {
                let msg = e.to_string();
                let mut e = Some(e);
                for j in jobs {
                    let err = e
                        .take()
                        .unwrap_or_else(|| crate::DbError::Unavailable(msg.clone()));
                    let _ = j.done.send(Err(err));
                }
            }
            // A statement failed and the batch was rolled back: each alone.
            Err(_) => {
                for j in jobs {
                    let r = j.sql.fetch_all(&pool).await;
                    let _ = j.done.send(r);
                }
            }
        }
    }
}

/// `Err` when a statement (or BEGIN) failed: nothing was committed. `Ok(Err)` when
/// COMMIT failed.
async fn batch(
    pool: &AnyPool,
    jobs: &[Job],
) -> std::result::Result<Result<Vec<Vec<Count>>>, crate::DbError> {
    let mut conn = Conn(ConnKind::Any(
        pool.begin().await.map_err(crate::DbError::map)?,
    ));
    let mut out = Vec::with_capacity(jobs.len());
    for j in jobs {
        // On error the transaction is dropped: sqlx rolls it back.
        out.push(j.sql.clone().fetch_all(&mut conn).await?);
    }
    let ConnKind::Any(tx) = conn.0 else {
        unreachable!("a PostgreSQL transaction")
    };
    Ok(match tx.commit().await {
        Ok(()) => Ok(out),
        Err(e) => Err(crate::DbError::map(e)),
    })
}
