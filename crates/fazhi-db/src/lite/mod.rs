//! SQLite, used directly (rusqlite) rather than through sqlx: one write connection
//! ([`Writer`], group commit) and one set of read connections ([`Readers`]). Nothing on
//! SQLite goes through sqlx.
//!
//! sqlx runs each SQLite connection on a worker thread and every statement is a round
//! trip to it; with all writes going through one connection, those hand-offs (not
//! SQLite) were most of the cost of a write request. Here a write transaction runs its
//! statements on the caller's thread while it holds the connection: each statement is
//! a few microseconds of SQLite work, and nothing waits in the middle of a transaction
//! except for the caller's own awaits.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rusqlite::{Connection, OpenFlags};
use tokio::sync::Semaphore;

mod checkpoint;
mod writer;

pub(crate) use writer::{Tx, Writer};

use crate::sql::{FromRows, Value};
use crate::{DbError, Result};

/// Prepared statements kept per connection (multi-row inserts vary in length).
const STATEMENT_CACHE: usize = 256;

/// Scans that run at once; the others wait for a turn (the sqlx read pool this set
/// replaced held 8 connections).
const SCANS: usize = 8;

/// Idle read connections kept: one per scan that may run, a few for the point lookups
/// (one per runtime thread at most runs at once, since nothing awaits while holding
/// one) and the checkpoints. More are opened when needed and closed when returned.
const IDLE_READERS: usize = SCANS + 4;

/// The read connections of a database. Point lookups (a session, a matter by id) run on
/// the caller's thread: a hand-off to another thread costs more than such a lookup.
/// Scans, and anything else that may take long, run on tokio's blocking threads
/// ([`Readers::scan`]) so that they never hold up the async runtime. The checkpoints
/// of the write-ahead log take one of these connections too (see `checkpoint`).
pub(crate) struct Readers {
    path: PathBuf,
    idle: std::sync::Mutex<Vec<ReadConn>>,
    /// Turns for scans.
    scans: Arc<Semaphore>,
    /// Connections open now, idle or in use (for tests).
    open: Arc<AtomicUsize>,
}

/// A read connection and the kind of plans it makes now.
struct ReadConn {
    conn: Connection,
    /// Plans made without looking at bound values (see [`stable_plans`]).
    stable: bool,
    open: Arc<AtomicUsize>,
}

impl Drop for ReadConn {
    fn drop(&mut self) {
        self.open.fetch_sub(1, Ordering::SeqCst);
    }
}

/// How a statement is planned.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Plans {
    /// Once for all values: point lookups.
    Stable,
    /// For the values bound: a scan restricted by `division_path LIKE $n` uses the
    /// index on the path only when the plan sees the prefix.
    ByValue,
}

impl Readers {
    pub(crate) fn new(path: &Path) -> Readers {
        Readers {
            path: path.to_path_buf(),
            idle: std::sync::Mutex::new(Vec::new()),
            scans: Arc::new(Semaphore::new(SCANS)),
            open: Arc::default(),
        }
    }

    fn open(&self) -> Result<ReadConn> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let c = Connection::open_with_flags(&self.path, flags)?;
        // query_only: these connections never change data (a backup lifts it on its own
        // connection). A checkpoint is allowed all the same.
        c.execute_batch("PRAGMA query_only = ON; PRAGMA busy_timeout = 10000;")?;
        stable_plans(&c, true)?;
        c.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        self.open.fetch_add(1, Ordering::SeqCst);
        Ok(ReadConn {
            conn: c,
            stable: true,
            open: self.open.clone(),
        })
    }

    /// Read connections open now, idle or in use.
    #[cfg(test)]
    pub(crate) fn open_now(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }

    /// Runs `f` on an idle connection (or a new one), then keeps the connection.
    fn with_conn<R>(&self, f: impl FnOnce(&mut ReadConn) -> Result<R>) -> Result<R> {
        let taken = self.idle.lock().expect("readers").pop();
        let mut conn = match taken {
            Some(c) => c,
            None => self.open()?,
        };
        let r = f(&mut conn);
        let mut idle = self.idle.lock().expect("readers");
        if idle.len() < IDLE_READERS {
            idle.push(conn);
        }
        r
    }

    /// A point lookup, on the caller's thread; `max` rows at most.
    pub(crate) fn fetch_all<T: FromRows>(
        &self,
        text: &str,
        args: &[Value],
        max: usize,
    ) -> Result<Vec<T>> {
        self.fetch(Plans::Stable, text, args, max)
    }

    fn fetch<T: FromRows>(
        &self,
        plans: Plans,
        text: &str,
        args: &[Value],
        max: usize,
    ) -> Result<Vec<T>> {
        self.with_conn(|c| {
            let stable = plans == Plans::Stable;
            if c.stable != stable {
                stable_plans(&c.conn, stable)?;
                c.stable = stable;
            }
            let mut st = prepare(&c.conn, text, args)?;
            collect(st.raw_query(), max)
        })
    }

    /// A scan, or any read that may take long: on a blocking thread, in turn with the
    /// other scans; `max` rows at most.
    pub(crate) async fn scan<T: FromRows>(
        self: &Arc<Self>,
        text: String,
        args: Vec<Value>,
        max: usize,
    ) -> Result<Vec<T>> {
        // The turn goes with the scan: it ends with the scan even if the caller leaves.
        let turn = self
            .scans
            .clone()
            .acquire_owned()
            .await
            .expect("never closed");
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            this.fetch(Plans::ByValue, &text, &args, max)
        })
        .await
        .map_err(|e| DbError::Config(format!("a read was cut short: {e}")))?
    }

    /// Writes a consistent copy of the database to `to` (`VACUUM INTO`: one snapshot,
    /// writers go on meanwhile). It needs a connection that may write, so it runs on
    /// one of its own, closed afterwards.
    pub(crate) async fn backup(self: &Arc<Self>, to: String) -> Result<()> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            let c = this.open()?;
            c.conn.execute_batch("PRAGMA query_only = OFF")?;
            c.conn.execute("VACUUM INTO ?1", [to])?;
            Ok(())
        })
        .await
        .map_err(|e| DbError::Config(format!("the backup was cut short: {e}")))?
    }

    /// Closes the idle connections (a later read opens new ones).
    pub(crate) fn close(&self) {
        self.idle.lock().expect("readers").clear();
    }
}

/// Runs fixed SQL text of one or more statements without arguments (migrations, tests)
/// in a SQLite write transaction.
pub(crate) fn execute_batch(conn: &mut crate::Conn, text: &str) -> Result<()> {
    match &mut conn.0 {
        crate::ConnKind::Lite(tx) => tx.execute_batch(text),
        crate::ConnKind::Any(_) => Err(DbError::Config(
            "a SQLite statement batch on PostgreSQL".into(),
        )),
    }
}

/// Plans that do not depend on bound values. Otherwise SQLite re-prepares a cached
/// statement whenever a value it may plan by is bound anew, and every scope condition
/// (`division_path LIKE $n`) is one: re-preparing the lookup of a matter by id took a
/// fifth of the server's CPU under load. These connections run point lookups and
/// writes, whose plans never depend on values; scans turn it off (see [`Plans`]).
pub(super) fn stable_plans(c: &Connection, on: bool) -> Result<()> {
    c.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, on)?;
    Ok(())
}

/// Prepares (or takes from the cache) and binds a statement built by `Sql`.
pub(super) fn prepare<'c>(
    conn: &'c Connection,
    text: &str,
    args: &[Value],
) -> Result<rusqlite::CachedStatement<'c>> {
    let mut st = conn.prepare_cached(text)?;
    // `Sql` numbers its placeholders $1, $2, … in order, once each, which is also
    // the order SQLite indexes named parameters in.
    if st.parameter_count() != args.len() {
        return Err(DbError::Config(format!(
            "statement has {} parameters but {} values: {text}",
            st.parameter_count(),
            args.len()
        )));
    }
    for (i, v) in args.iter().enumerate() {
        st.raw_bind_parameter(i + 1, v)?;
    }
    Ok(st)
}

/// Reads up to `max` rows.
pub(super) fn collect<T: FromRows>(mut rows: rusqlite::Rows<'_>, max: usize) -> Result<Vec<T>> {
    let mut out = Vec::new();
    while out.len() < max {
        let Some(r) = rows.next()? else { break };
        out.push(T::from_lite(r)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::StatementStatus;

    #[test]
    fn a_scope_condition_bound_anew_does_not_re_prepare_the_statement() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch(
                "CREATE TABLE m (id INTEGER PRIMARY KEY, path TEXT NOT NULL);
                 INSERT INTO m (path) VALUES ('/1/2/'), ('/1/3/');",
            )
            .unwrap();
        let readers = Readers::new(&path);
        let sql = "SELECT id FROM m WHERE id = $1 AND path LIKE $2";
        for (id, root) in [(1i64, "/1/%"), (2, "/1/3/%"), (1, "/9/%")] {
            let _: Vec<crate::sql::Count> = readers
                .fetch_all(sql, &[Value::from(id), Value::from(root.to_string())], 1)
                .unwrap();
        }
        let conn = readers
            .idle
            .lock()
            .unwrap()
            .pop()
            .expect("the connection is kept");
        let st = conn.conn.prepare_cached(sql).unwrap();
        assert_eq!(
            st.get_status(StatementStatus::RePrepare),
            0,
            "the cached statement ran three times with new values, prepared once"
        );
    }

    use crate::sql::{Count, Sql};
    use std::time::Duration;

    /// Descriptors this process holds on `file` (the database itself, not its log).
    fn descriptors_of(file: &Path) -> usize {
        let want = std::fs::canonicalize(file).unwrap();
        std::fs::read_dir("/proc/self/fd")
            .unwrap()
            .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
            .filter(|p| *p == want)
            .count()
    }

    /// The write connection and the read connections, nothing else: no sqlx pools, no
    /// connection of the checkpoints' own.
    #[tokio::test]
    async fn a_sqlite_db_opens_its_file_through_one_writer_and_the_readers() {
        let t = crate::testing::sqlite().await.unwrap();
        let db = &t.db;
        let file = t.sqlite_file().unwrap();
        let one = "SELECT version FROM _sqlx_migrations WHERE version = 1";
        let _: Option<Count> = Sql::new(one).fetch_optional(db.quick()).await.unwrap();
        let all = "SELECT version FROM _sqlx_migrations";
        let _: Vec<Count> = Sql::new(all).fetch_all(db.reader()).await.unwrap();
        // Let a few checkpoints run: they borrow a read connection.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let readers = db.quick.as_ref().unwrap();
        let (mut open, mut fds) = (0, 0);
        for _ in 0..50 {
            // A checkpoint may open a connection in between: read until stable.
            open = readers.open_now();
            fds = descriptors_of(file);
            if open == readers.open_now() {
                break;
            }
        }
        assert!(
            (1..=IDLE_READERS).contains(&open),
            "{open} read connections"
        );
        assert_eq!(
            fds,
            1 + open,
            "one write connection and {open} read connections"
        );
    }

    /// A scan runs on a blocking thread: point lookups go on meanwhile, even on a
    /// runtime of one thread.
    #[tokio::test]
    async fn a_long_scan_does_not_hold_up_point_lookups() {
        let t = crate::testing::sqlite().await.unwrap();
        let db = t.db.clone();
        let scan = tokio::spawn(async move {
            Sql::new(
                "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 10000000) SELECT count(*) FROM c",
            )
            .fetch_one::<Count>(db.reader())
            .await
        });
        // Gives the scan its start (on this thread, were it not handed off).
        tokio::time::sleep(Duration::from_millis(20)).await;
        for _ in 0..100 {
            let v: Count = Sql::new("SELECT version FROM _sqlx_migrations WHERE version = 1")
                .fetch_one(t.db.quick())
                .await
                .unwrap();
            assert_eq!(v.0, 1);
        }
        assert!(!scan.is_finished(), "the lookups waited for the scan");
        assert_eq!(scan.await.unwrap().unwrap().0, 10_000_000);
    }
}
