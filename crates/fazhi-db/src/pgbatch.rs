//! Group commit for PostgreSQL's one-statement writes (a new matter, an action).
//!
//! Every write appends to the audit chain and so takes the chain head's row lock, which
//! PostgreSQL holds until the commit is on disk: written one per transaction, the writes
//! of the whole server queue behind one WAL flush after another (bench/README.md ⁸).
//! Here the statements that wait together run in one transaction on one connection of
//! their own: one flush and one turn of the head lock for the batch. The connection is
//! tokio-postgres rather than sqlx because it pipelines: `BEGIN`, the batch's statements
//! and `COMMIT` go out in one write and PostgreSQL runs them back to back, where sqlx
//! waits for each answer before it sends the next (bench/README.md ¹⁰, ¹¹). Each
//! statement is prepared once per connection with the types its values declare.
//!
//! Each statement keeps its own result (a stale version is an empty result, not an
//! error). If the server refuses a statement, the transaction is aborted and its
//! `COMMIT` becomes a rollback (nothing of it was committed), and each statement runs
//! again alone, so only the failing one gets the error. If the connection breaks after
//! the batch was sent, or `COMMIT` itself fails, every member gets that error: its
//! outcome is unknown, as for a lone statement whose connection broke, and running it
//! again could apply it twice. Nothing is acknowledged before the batch's `COMMIT` has
//! returned (`synchronous_commit` stays on).

use std::collections::HashMap;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::Poll;

use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, NoTls, Statement};

use crate::sql::{Count, Sql, Value};
use crate::{DbError, Result};

/// Statements per transaction at most.
const MAX_BATCH: usize = 64;

/// Prepared statements kept on the connection (a new matter's text varies with the
/// number of its parties); the cache starts over when full.
const STATEMENTS: usize = 256;

enum Msg {
    Write(Job),
    /// Ends the worker and its connection (`Db::close`).
    Close(oneshot::Sender<()>),
}

struct Job {
    sql: Sql,
    done: oneshot::Sender<Result<Vec<Count>>>,
}

/// The queue in front of the batching connection; the worker starts on first use.
#[derive(Clone)]
pub(crate) struct Batcher {
    config: Arc<tokio_postgres::Config>,
    /// Where a write runs when the worker's runtime has ended (a test's).
    pool: AnyPool,
    queue: Arc<OnceLock<mpsc::UnboundedSender<Msg>>>,
}

impl Batcher {
    pub(crate) fn new(url: &str, pool: AnyPool) -> Result<Batcher> {
        let config = url
            .parse::<tokio_postgres::Config>()
            .map_err(|e| DbError::Config(format!("the PostgreSQL URL: {e}")))?;
        Ok(Batcher {
            config: Arc::new(config),
            pool,
            queue: Arc::default(),
        })
    }

    /// The connection settings (the cache listener connects with them too).
    pub(crate) fn config(&self) -> tokio_postgres::Config {
        (*self.config).clone()
    }

    /// Runs `sql` (which returns one id column) as part of the next batch; returns its
    /// rows once the batch has committed.
    pub(crate) async fn run(&self, sql: Sql) -> Result<Vec<Count>> {
        let queue = self.queue.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            tokio::spawn(work(self.config.clone(), rx));
            tx
        });
        let (done, wait) = oneshot::channel();
        if let Err(mpsc::error::SendError(Msg::Write(job))) =
            queue.send(Msg::Write(Job { sql, done }))
        {
            // The worker has ended (closed, or its runtime is gone): run alone.
            return job.sql.fetch_all(&self.pool).await;
        }
        match wait.await {
            Ok(r) => r,
            Err(_) => Err(DbError::Unavailable("the write batch was dropped".into())),
        }
    }

    /// Closes the batching connection once the writes queued before have run.
    pub(crate) async fn close(&self) {
        if let Some(queue) = self.queue.get() {
            let (done, wait) = oneshot::channel();
            if queue.send(Msg::Close(done)).is_ok() {
                let _ = wait.await;
            }
        }
    }
}

/// The batching connection and the statements prepared on it.
struct Connection {
    client: Client,
    statements: HashMap<(String, Vec<Type>), Statement>,
}

struct Worker {
    config: Arc<tokio_postgres::Config>,
    conn: Option<Connection>,
}

impl Worker {
    /// The open connection; a new one when there is none or it broke.
    async fn connection(&mut self) -> Result<&mut Connection> {
        if self.conn.as_ref().is_none_or(|c| c.client.is_closed()) {
            self.conn = None;
            let (client, connection) = self.config.connect(NoTls).await.map_err(DbError::pg)?;
            tokio::spawn(async move {
                if let Err(e) = connection.await {
                    tracing::warn!("PostgreSQL batch connection ended: {e}");
                }
            });
            self.conn = Some(Connection {
                client,
                statements: HashMap::new(),
            });
        }
        Ok(self.conn.as_mut().expect("connected above"))
    }

    /// Runs one statement alone, in a transaction of its own.
    async fn alone(&mut self, sql: &Sql) -> Result<Vec<Count>> {
        let conn = self.connection().await?;
        let st = conn.prepare(sql).await?;
        let (_, args) = sql.parts();
        let rows = conn
            .client
            .query(&st, &params(args))
            .await
            .map_err(DbError::pg)?;
        ids(&rows)
    }
}

impl Connection {
    async fn prepare(&mut self, sql: &Sql) -> Result<Statement> {
        let (text, args) = sql.parts();
        let types: Vec<Type> = args.iter().map(Value::pg_type).collect();
        let key = (text.to_string(), types);
        if let Some(st) = self.statements.get(&key) {
            return Ok(st.clone());
        }
        let st = self
            .client
            .prepare_typed(text, &key.1)
            .await
            .map_err(DbError::pg)?;
        if self.statements.len() >= STATEMENTS {
            self.statements.clear();
        }
        self.statements.insert(key, st.clone());
        Ok(st)
    }
}

fn params(args: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    args.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

fn ids(rows: &[tokio_postgres::Row]) -> Result<Vec<Count>> {
    rows.iter()
        .map(|r| r.try_get::<_, i64>(0).map(Count).map_err(DbError::pg))
        .collect()
}

async fn work(config: Arc<tokio_postgres::Config>, mut rx: mpsc::UnboundedReceiver<Msg>) {
    let mut w = Worker { config, conn: None };
    let mut closing = None;
    while let Some(msg) = rx.recv().await {
        let mut jobs = match msg {
            Msg::Write(j) => vec![j],
            Msg::Close(done) => {
                closing = Some(done);
                break;
            }
        };
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(Msg::Write(j)) => jobs.push(j),
                Ok(Msg::Close(done)) => {
                    closing = Some(done);
                    break;
                }
                Err(_) => break,
            }
        }
        run_jobs(&mut w, jobs).await;
        if closing.is_some() {
            break;
        }
    }
    drop(w);
    if let Some(done) = closing {
        let _ = done.send(());
    }
}

async fn run_jobs(w: &mut Worker, jobs: Vec<Job>) {
    if jobs.len() == 1 {
        for j in jobs {
            let r = w.alone(&j.sql).await;
            let _ = j.done.send(r);
        }
        return;
    }
    match batch(w, &jobs).await {
        Ended::Committed(results) => {
            for (j, r) in jobs.into_iter().zip(results) {
                let _ = j.done.send(Ok(r));
            }
        }
        // The outcome is unknown: tell everyone, running them again could apply twice.
        Ended::Unknown(e) => {
            let msg = e.to_string();
            let mut e = Some(e);
            for j in jobs {
                let err = e
                    .take()
                    .unwrap_or_else(|| DbError::Unavailable(msg.clone()));
                let _ = j.done.send(Err(err));
            }
        }
        // Nothing was committed: each alone, so only the failing one gets its error.
        Ended::RolledBack => {
            for j in jobs {
                let r = w.alone(&j.sql).await;
                let _ = j.done.send(r);
            }
        }
    }
}

/// How a batch ended.
enum Ended {
    /// Committed: each statement's rows.
    Committed(Vec<Vec<Count>>),
    /// A statement was refused by the server, so the transaction was aborted and its
    /// `COMMIT` became a rollback: nothing of it was saved.
    RolledBack,
    /// The connection broke or `COMMIT` failed after the statements were sent: the
    /// batch may or may not have been committed.
    Unknown(DbError),
}

/// Runs the jobs in one transaction. `BEGIN`, the statements and `COMMIT` are polled
/// together, so they go out in one write and the server runs them back to back without
/// waiting for this task between them (it is busy serving requests at full load). A
/// statement the server refuses aborts the transaction, and PostgreSQL answers the
/// `COMMIT` of an aborted transaction with a rollback: the answers of the statements,
/// not the `COMMIT`'s, say whether anything was saved.
async fn batch(w: &mut Worker, jobs: &[Job]) -> Ended {
    let Ok(conn) = w.connection().await else {
        // Nothing was sent: the jobs run alone and meet the error there.
        return Ended::RolledBack;
    };
    let mut statements = Vec::with_capacity(jobs.len());
    for j in jobs {
        match conn.prepare(&j.sql).await {
            Ok(st) => statements.push(st),
            // Nothing was sent yet: the jobs run alone and meet the error there.
            Err(_) => return Ended::RolledBack,
        }
    }
    let client = &conn.client;
    let args: Vec<Vec<&(dyn ToSql + Sync)>> =
        jobs.iter().map(|j| params(j.sql.parts().1)).collect();
    let mut sent: Vec<Sent<'_>> = Vec::with_capacity(jobs.len() + 2);
    sent.push(Box::pin(async {
        client.batch_execute("BEGIN").await.map(|()| Vec::new())
    }));
    for (st, p) in statements.iter().zip(&args) {
        sent.push(Box::pin(client.query(st, p)));
    }
    sent.push(Box::pin(async {
        client.batch_execute("COMMIT").await.map(|()| Vec::new())
    }));
    let mut answers = in_order(sent).await.into_iter();
    let (Some(begun), Some(committed)) = (answers.next(), answers.next_back()) else {
        unreachable!("BEGIN and COMMIT are always sent");
    };
    // Without BEGIN the statements ran one by one, each committed on its own.
    if let Err(e) = begun {
        return Ended::Unknown(DbError::pg(e));
    }
    let mut out = Vec::with_capacity(jobs.len());
    for r in answers {
        match r {
            Ok(rows) => match ids(&rows) {
                Ok(ids) => out.push(ids),
                // A row of an unexpected shape: the statement is wrong, not the batch;
                // whether it was committed depends on the COMMIT, so run none again.
                Err(e) => return Ended::Unknown(e),
            },
            Err(e) => return ended_by(e),
        }
    }
    match committed {
        Ok(_) => Ended::Committed(out),
        Err(e) => Ended::Unknown(DbError::pg(e)),
    }
}

/// The first error of a pipelined batch: refused by the server, the transaction was
/// aborted; otherwise the connection broke and the `COMMIT` may have run.
fn ended_by(e: tokio_postgres::Error) -> Ended {
    if e.as_db_error().is_some() {
        Ended::RolledBack
    } else {
        Ended::Unknown(DbError::pg(e))
    }
}

/// A request on the batching connection and its answer.
type Sent<'a> = Pin<
    Box<
        dyn Future<Output = std::result::Result<Vec<tokio_postgres::Row>, tokio_postgres::Error>>
            + Send
            + 'a,
    >,
>;

/// Awaits all `requests`, polling them in order each time. A request goes out on its
/// first poll, so they reach the server in this order: `COMMIT` never before a
/// statement of its batch (`join_all` does not promise that past 30 futures).
async fn in_order(
    mut requests: Vec<Sent<'_>>,
) -> Vec<std::result::Result<Vec<tokio_postgres::Row>, tokio_postgres::Error>> {
    let mut answers: Vec<Option<_>> = requests.iter().map(|_| None).collect();
    poll_fn(|cx| {
        let mut waiting = false;
        for (r, a) in requests.iter_mut().zip(answers.iter_mut()) {
            if a.is_none() {
                match r.as_mut().poll(cx) {
                    Poll::Ready(answer) => *a = Some(answer),
                    Poll::Pending => waiting = true,
                }
            }
        }
        if waiting {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    answers.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use crate::sql::{Count, Sql};
    use crate::{DbError, testing};

    fn insert(id: i64) -> Sql {
        let mut q = Sql::new("INSERT INTO batch_t (id) VALUES (");
        q.bind(id).push(") RETURNING txid_current()");
        q
    }

    /// Writes waiting together share transactions; one that breaks a key fails alone
    /// while the others of its batch are committed; the connection closes on `close`.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn waiting_writes_share_a_commit_and_a_failure_stays_with_its_own() {
        let Some(t) = testing::postgres().await.unwrap() else {
            eprintln!("FAZHI_TEST_POSTGRES_URL not set: skipped");
            return;
        };
        t.execute_raw("CREATE TABLE batch_t (id BIGINT PRIMARY KEY)")
            .await
            .unwrap();
        let db = &t.db;
        // 200 writes at once, id 7 twice.
        let ids: Vec<i64> = (1..=200).chain([7]).collect();
        let results =
            futures_util::future::join_all(ids.iter().map(|&id| db.write_one(insert(id)))).await;
        let mut txids = std::collections::HashSet::new();
        let mut conflicts = 0;
        for r in &results {
            match r {
                Ok(rows) => {
                    txids.insert(rows[0].0);
                }
                Err(DbError::Conflict { .. }) => conflicts += 1,
                Err(e) => panic!("unexpected error {e}"),
            }
        }
        assert_eq!(conflicts, 1, "only the second id 7 is refused");
        assert!(
            txids.len() < 200,
            "200 writes at once ran in {} transactions: not batched",
            txids.len()
        );
        let stored: Vec<Count> = Sql::new("SELECT count(*) FROM batch_t")
            .fetch_all(db.reader())
            .await
            .unwrap();
        assert_eq!(stored[0].0, 200, "every acknowledged write is stored");

        db.close().await;
        let batch = db.pg_batch.as_ref().unwrap();
        assert!(
            batch.run(insert(1000)).await.is_err(),
            "after close nothing runs"
        );
    }
}
