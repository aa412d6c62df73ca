//! The one SQLite write connection, with transactions committed in batches.
//!
//! Each write transaction is a savepoint inside a batch (one SQLite transaction). When
//! it ends and other transactions are already queued for the connection, the batch
//! stays open for them; the last one in line commits it for all. A batch of a dozen
//! transactions writes the pages they share (the tails of the audit log, the timeline,
//! the id-ordered indexes) to the log once instead of a dozen times. No transaction is
//! acknowledged before its batch has committed (and, in `WriteTx::commit`, reached
//! the disk), and one that fails is rolled back to its savepoint alone.
//!
//! A savepoint keeps a copy of each page it changes until the batch ends, so that it
//! can be undone; that journal is kept in memory (`temp_store = MEMORY`): written to a
//! temporary file, page by page, it took a sixth of the server's CPU under load. The
//! first transaction of a batch needs no savepoint (undoing it is undoing the batch),
//! and a transaction that writes much ([`Writer::begin_bulk`]) always starts a batch,
//! so its pages are never copied to memory.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::{Mutex, OwnedMutexGuard, watch};

use super::{Readers, STATEMENT_CACHE, collect, prepare};
use crate::durable::WalSync;
use crate::sql::{FromRows, Value};
use crate::{DbError, Result};

/// Transactions per batch at most, so one batch cannot grow without end under load.
const MAX_BATCH: usize = 64;

/// How long a finished transaction waits for the batch to be committed by others
/// before committing it itself (those queued behind may have gone away, or the batch
/// was left open while the log was being flushed). About one `fdatasync`.
const FLUSH_AFTER: Duration = Duration::from_millis(1);

/// The one write connection; transactions take it in turn (first come, first served).
#[derive(Clone)]
pub(crate) struct Writer {
    slot: Arc<Mutex<Slot>>,
    shared: Arc<Shared>,
    wal: Arc<WalSync>,
}

/// The connection and its open batch.
pub(super) struct Slot {
    pub(super) conn: Connection,
    /// The open batch, if one is open.
    pub(super) open: Option<Arc<Batch>>,
    /// Transactions in the open batch so far.
    members: usize,
    /// Number the next batch gets.
    next: u64,
}

struct Shared {
    /// Transactions waiting for the connection.
    queued: AtomicUsize,
}

/// One batch, shared by its members: how it ended reaches each of them directly, so a
/// member that waits long (or many batches later) still learns its own batch's fate.
pub(super) struct Batch {
    n: u64,
    outcome: watch::Sender<Outcome>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Open,
    Committed,
    Failed(String),
}

impl Batch {
    fn new(n: u64) -> Arc<Batch> {
        Arc::new(Batch {
            n,
            outcome: watch::Sender::new(Outcome::Open),
        })
    }

    /// Records how the batch ended; only the first word counts.
    fn finish(&self, failed: Option<String>) {
        self.outcome.send_if_modified(|o| {
            if *o != Outcome::Open {
                return false;
            }
            *o = match failed {
                None => Outcome::Committed,
                Some(why) => Outcome::Failed(why),
            };
            true
        });
    }
}

impl Writer {
    /// Opens the write connection. A commit is acknowledged only after
    /// [`crate::WriteTx::commit`] has flushed the write-ahead log (group commit, see
    /// `durable`), so the connection itself need not flush at every COMMIT.
    /// The checkpoints run on one of `readers` (see `checkpoint`).
    pub(crate) fn open(path: &Path, wal: Arc<WalSync>, readers: &Arc<Readers>) -> Result<Writer> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let c = Connection::open_with_flags(path, flags)?;
        // Group commit syncs the `-wal` file: without WAL mode nothing would be flushed.
        let mode: String = c.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(DbError::Config(format!(
                "SQLite could not use WAL mode (journal_mode = {mode}); is the database on a network file system?"
            )));
        }
        // 32 MB of page cache (default 2 MB): inserts into the search index touch pages
        // all over it, and big loads slow down severalfold with the small cache.
        // Checkpoints run on a thread of their own (see `checkpoint`); once the log has
        // started over, its file is cut back to the size at which that happens.
        c.execute_batch(
            "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA wal_autocheckpoint = 0; PRAGMA temp_store = MEMORY;",
        )?;
        super::stable_plans(&c, true)?;
        c.pragma_update(
            None,
            "journal_size_limit",
            super::checkpoint::RESET_AT as i64,
        )?;
        c.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        let slot = Arc::new(Mutex::new(Slot {
            conn: c,
            open: None,
            members: 0,
            next: 1,
        }));
        super::checkpoint::start(path, Arc::downgrade(&slot), Arc::downgrade(readers))?;
        Ok(Writer {
            slot,
            shared: Arc::new(Shared {
                queued: AtomicUsize::new(0),
            }),
            wal,
        })
    }

    /// Waits for the connection and starts a transaction (a savepoint in the open
    /// batch, or a new batch that takes the write lock at once).
    pub(crate) async fn begin(&self) -> Result<Tx> {
        self.begin_in(false).await
    }

    /// Like [`Writer::begin`] for a transaction that changes many pages (an import, a
    /// rebuild): the open batch is committed first, so that this one starts a batch and
    /// needs no savepoint, whose copies of the pages would be kept in memory.
    pub(crate) async fn begin_bulk(&self) -> Result<Tx> {
        self.begin_in(true).await
    }

    async fn begin_in(&self, bulk: bool) -> Result<Tx> {
        let mut slot = self.lock().await;
        if bulk {
            self.commit_batch(&mut slot);
        }
        if slot.open.is_some() && slot.conn.is_autocommit() {
            // SQLite ends a transaction by itself after some errors (I/O, disk full):
            // the batch is lost, and its members learn it when they wait for it.
            if let Some(b) = slot.open.take() {
                b.finish(Some("SQLite rolled the transaction back".into()));
            }
        }
        let (batch, savepoint) = match &slot.open {
            Some(b) => (b.clone(), true),
            None => {
                slot.conn.execute_batch("BEGIN IMMEDIATE")?;
                let b = Batch::new(slot.next);
                slot.next += 1;
                slot.open = Some(b.clone());
                slot.members = 0;
                (b, false)
            }
        };
        let mut tx = Tx {
            slot: Some(slot),
            batch,
            savepoint,
            writer: self.clone(),
        };
        tx.slot_mut().members += 1;
        if savepoint {
            tx.slot_mut().conn.execute_batch("SAVEPOINT tx")?;
        }
        Ok(tx)
    }

    /// Takes the connection, counted as queued while waiting for it.
    async fn lock(&self) -> OwnedMutexGuard<Slot> {
        struct Queued<'a>(&'a AtomicUsize);
        impl Drop for Queued<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        self.shared.queued.fetch_add(1, Ordering::SeqCst);
        let _queued = Queued(&self.shared.queued);
        self.slot.clone().lock_owned().await
    }

    /// Gives the connection back, committing the open batch unless others are queued
    /// to join it or the log is being flushed: a commit now would wait for the next
    /// flush anyway, so the batch stays open for more until then.
    fn release(&self, mut slot: OwnedMutexGuard<Slot>) {
        let queued = self.shared.queued.load(Ordering::SeqCst);
        if slot.members >= MAX_BATCH || (queued == 0 && !self.wal.flushing()) {
            self.commit_batch(&mut slot);
        }
    }

    fn commit_batch(&self, slot: &mut Slot) {
        let Some(b) = slot.open.take() else { return };
        tracing::trace!(
            batch = b.n,
            members = slot.members,
            "committing a batch of writes"
        );
        let failed = match slot.conn.execute_batch("COMMIT") {
            Ok(()) => None,
            Err(e) => {
                if !slot.conn.is_autocommit() {
                    let _ = slot.conn.execute_batch("ROLLBACK");
                }
                tracing::error!(error = %e, "committing a batch of writes failed");
                Some(e.to_string())
            }
        };
        b.finish(failed);
    }

    /// Returns once batch `b` has committed; an error if it failed.
    async fn wait_for(&self, b: &Batch) -> Result<()> {
        let mut rx = b.outcome.subscribe();
        loop {
            match &*rx.borrow_and_update() {
                Outcome::Committed => return Ok(()),
                Outcome::Failed(why) => return Err(DbError::Unavailable(why.clone())),
                Outcome::Open => {}
            }
            if tokio::time::timeout(FLUSH_AFTER, rx.changed())
                .await
                .is_err()
            {
                // Those queued behind have not committed it yet (they may have gone
                // away): commit it ourselves, in turn.
                let mut slot = self.lock().await;
                if slot.open.as_ref().is_some_and(|o| o.n == b.n) {
                    self.commit_batch(&mut slot);
                }
            }
        }
    }
}

/// A transaction on the write connection; rolled back when dropped uncommitted.
pub(crate) struct Tx {
    /// The connection while the transaction runs.
    slot: Option<OwnedMutexGuard<Slot>>,
    batch: Arc<Batch>,
    /// Runs in a savepoint; otherwise it is the first of its batch.
    savepoint: bool,
    writer: Writer,
}

impl Tx {
    fn slot_mut(&mut self) -> &mut Slot {
        self.slot.as_mut().expect("transaction in progress")
    }

    /// Ends the transaction and returns once its batch has committed.
    pub(crate) async fn commit(mut self) -> Result<()> {
        let mut slot = self.slot.take().expect("transaction in progress");
        let released = match self.savepoint {
            true => slot.conn.execute_batch("RELEASE tx"),
            false => Ok(()),
        };
        if released.is_err() {
            self.undo(&mut slot);
        }
        self.writer.release(slot);
        released?;
        self.writer.wait_for(&self.batch).await
    }

    pub(crate) fn fetch_all<T: FromRows>(&mut self, text: &str, args: &[Value]) -> Result<Vec<T>> {
        let conn = &self.slot_mut().conn;
        let mut st = prepare(conn, text, args)?;
        collect(st.raw_query(), usize::MAX)
    }

    /// Runs fixed SQL text of one or more statements without arguments (migrations).
    pub(crate) fn execute_batch(&mut self, text: &str) -> Result<()> {
        self.slot_mut().conn.execute_batch(text)?;
        Ok(())
    }

    pub(crate) fn execute(&mut self, text: &str, args: &[Value]) -> Result<u64> {
        let conn = &self.slot_mut().conn;
        let mut st = prepare(conn, text, args)?;
        if st.column_count() == 0 {
            return Ok(st.raw_execute()? as u64);
        }
        // A statement with RETURNING run for its effect: step it through.
        let mut rows = st.raw_query();
        while rows.next()?.is_some() {}
        drop(rows);
        drop(st);
        Ok(conn.changes())
    }
}

impl Tx {
    /// Undoes the transaction's changes, keeping the batch's other members.
    fn undo(&self, slot: &mut Slot) {
        if self.savepoint {
            // Fails only if SQLite already ended the whole transaction (I/O error); the
            // next `begin` notices and fails the batch.
            let _ = slot.conn.execute_batch("ROLLBACK TO tx; RELEASE tx");
            return;
        }
        // The first of its batch: the batch holds nothing else yet.
        if !slot.conn.is_autocommit() {
            let _ = slot.conn.execute_batch("ROLLBACK");
        }
        if let Some(b) = slot.open.take() {
            b.finish(Some("the transaction was rolled back".into()));
        }
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        if let Some(mut slot) = self.slot.take() {
            self.undo(&mut slot);
            self.writer.release(slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn writer(dir: &tempfile::TempDir) -> Writer {
        let path = dir.path().join("w.db");
        let readers = Arc::new(Readers::new(&path));
        let w = Writer::open(&path, Arc::new(WalSync::new(&path)), &readers).unwrap();
        let mut tx = w.begin().await.unwrap();
        tx.execute("CREATE TABLE t (n INTEGER NOT NULL UNIQUE)", &[])
            .unwrap();
        tx.commit().await.unwrap();
        w
    }

    fn count(w: &Writer) -> i64 {
        let slot = w.slot.try_lock().expect("writer idle");
        slot.conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn batched_transactions_commit_alone_or_roll_back_alone() {
        let dir = tempfile::tempdir().unwrap();
        let w = writer(&dir).await;
        let tasks: Vec<_> = (0..200i64)
            .map(|n| {
                let w = w.clone();
                tokio::spawn(async move {
                    let mut tx = w.begin().await?;
                    tx.execute("INSERT INTO t (n) VALUES ($1)", &[Value::from(n)])?;
                    if n % 3 == 0 {
                        // A duplicate: this transaction fails and is dropped.
                        tx.execute("INSERT INTO t (n) VALUES ($1)", &[Value::from(n)])?;
                    }
                    tokio::task::yield_now().await;
                    tx.commit().await
                })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(()) => ok += 1,
                Err(DbError::Conflict { .. }) => {}
                Err(e) => panic!("unexpected error {e}"),
            }
        }
        assert_eq!(ok, 133, "every third transaction failed");
        assert_eq!(count(&w), 133, "exactly the committed rows are stored");
    }

    /// A batch whose COMMIT fails (here a deferred foreign key) fails each of its
    /// members, however many batches fail before a member gets round to asking (the
    /// outcome was once kept for the last 64 failed batches only: a member asking
    /// later was told its write had been saved).
    #[tokio::test]
    async fn a_late_waiter_learns_that_its_own_batch_failed() {
        let dir = tempfile::tempdir().unwrap();
        let w = writer(&dir).await;
        let mut tx = w.begin().await.unwrap();
        tx.execute(
            "CREATE TABLE child (p INTEGER REFERENCES t (n) DEFERRABLE INITIALLY DEFERRED)",
            &[],
        )
        .unwrap();
        tx.commit().await.unwrap();
        let mut failed = Vec::new();
        for _ in 0..100 {
            let mut tx = w.begin().await.unwrap();
            tx.execute("INSERT INTO child (p) VALUES (99)", &[])
                .unwrap();
            // End it as `commit` does, but ask for the outcome only later.
            let slot = tx.slot.take().unwrap();
            w.release(slot);
            failed.push(tx.batch.clone());
        }
        for b in &failed {
            assert!(w.wait_for(b).await.is_err(), "batch {} reported saved", b.n);
        }
        let mut tx = w.begin().await.unwrap();
        tx.execute("INSERT INTO t (n) VALUES (1)", &[]).unwrap();
        tx.commit().await.unwrap();
        assert_eq!(count(&w), 1);
    }

    #[tokio::test]
    async fn a_commit_waits_for_a_batch_left_open_and_commits_it() {
        let dir = tempfile::tempdir().unwrap();
        let w = writer(&dir).await;
        // Another transaction queues behind, then goes away without ever starting: the
        // first must still be committed (by its own flush).
        let mut first = w.begin().await.unwrap();
        first
            .execute("INSERT INTO t (n) VALUES ($1)", &[Value::from(1i64)])
            .unwrap();
        let queued = {
            let w = w.clone();
            tokio::spawn(async move { w.begin().await.map(drop) })
        };
        while w.shared.queued.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        queued.abort();
        tokio::time::timeout(Duration::from_secs(10), first.commit())
            .await
            .expect("the commit finishes")
            .unwrap();
        assert_eq!(count(&w), 1);
    }

    /// Waits until another task is queued for the connection.
    async fn until_queued(w: &Writer) {
        while w.shared.queued.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_first_of_a_batch_rolls_back_alone_without_a_savepoint() {
        let dir = tempfile::tempdir().unwrap();
        let w = writer(&dir).await;
        let mut first = w.begin().await.unwrap();
        assert!(!first.savepoint, "the first of a batch needs no savepoint");
        first
            .execute("INSERT INTO t (n) VALUES ($1)", &[Value::from(10i64)])
            .unwrap();
        let next = {
            let w = w.clone();
            tokio::spawn(async move {
                let mut tx = w.begin().await?;
                tx.execute("INSERT INTO t (n) VALUES ($1)", &[Value::from(11i64)])?;
                tx.commit().await
            })
        };
        until_queued(&w).await;
        drop(first);
        tokio::time::timeout(Duration::from_secs(10), next)
            .await
            .expect("the next transaction finishes")
            .unwrap()
            .unwrap();
        let slot = w.slot.try_lock().expect("writer idle");
        let kept: Vec<i64> = slot
            .conn
            .prepare("SELECT n FROM t")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(kept, vec![11], "only the committed transaction is stored");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_bulk_transaction_commits_the_open_batch_and_starts_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let w = writer(&dir).await;
        let mut small = w.begin().await.unwrap();
        small
            .execute("INSERT INTO t (n) VALUES ($1)", &[Value::from(1i64)])
            .unwrap();
        let small_batch = small.batch.n;
        let bulk = {
            let w = w.clone();
            tokio::spawn(async move {
                let mut tx = w.begin_bulk().await?;
                let started = (tx.batch.n, tx.savepoint);
                tx.execute("INSERT INTO t (n) VALUES ($1)", &[Value::from(2i64)])?;
                tx.commit().await.map(|()| started)
            })
        };
        until_queued(&w).await;
        // With the bulk transaction queued, this one leaves its batch open for it.
        let small = tokio::spawn(small.commit());
        let (bulk_batch, savepoint) = tokio::time::timeout(Duration::from_secs(10), bulk)
            .await
            .expect("the bulk transaction finishes")
            .unwrap()
            .unwrap();
        small.await.unwrap().unwrap();
        assert!(
            bulk_batch > small_batch,
            "the bulk transaction started a batch"
        );
        assert!(!savepoint, "and needed no savepoint");
        assert_eq!(count(&w), 2);
    }
}
