//! The SQLite write connection, used directly (rusqlite) rather than through sqlx.
//!
//! sqlx runs each SQLite connection on a worker thread and every statement is a round
//! trip to it; with all writes going through one connection, those hand-offs (not
//! SQLite) were most of the cost of a write request. Here a write transaction runs its
//! statements on the caller's thread while it holds the connection: each statement is
//! a few microseconds of SQLite work, and nothing waits in the middle of a transaction
//! except for the caller's own awaits.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::sql::{FromRows, Value};
use crate::{DbError, Result};

/// Prepared statements kept per connection (multi-row inserts vary in length).
const STATEMENT_CACHE: usize = 256;

/// The one write connection; transactions take it in turn (first come, first served).
#[derive(Clone)]
pub(crate) struct Writer(Arc<Mutex<Connection>>);

impl Writer {
    /// Opens the write connection. A commit is acknowledged only after
    /// [`crate::WriteTx::commit`] has flushed the write-ahead log (group commit, see
    /// `durable`), so the connection itself need not flush at every COMMIT.
    pub(crate) fn open(path: &Path) -> Result<Writer> {
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
        c.execute_batch(
            "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
        )?;
        c.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(Writer(Arc::new(Mutex::new(c))))
    }

    /// Waits for the connection and starts a transaction that takes the write lock
    /// at once (no upgrade from a read lock that could fail with SQLITE_BUSY).
    pub(crate) async fn begin(&self) -> Result<Tx> {
        let conn = self.0.clone().lock_owned().await;
        conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(Tx { conn, open: true })
    }
}

/// Read connections for point lookups (a session, a matter by id) run on the caller's
/// thread: a hand-off to a worker thread costs more than such a lookup.
pub(crate) struct Readers {
    path: PathBuf,
    idle: std::sync::Mutex<Vec<Connection>>,
}

/// Idle read connections kept; more are opened when needed (one per thread at most
/// runs at once, since nothing awaits while holding one).
const IDLE_READERS: usize = 8;

impl Readers {
    pub(crate) fn new(path: &Path) -> Readers {
        Readers {
            path: path.to_path_buf(),
            idle: std::sync::Mutex::new(Vec::new()),
        }
    }

    fn open(&self) -> Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let c = Connection::open_with_flags(&self.path, flags)?;
        c.execute_batch("PRAGMA query_only = ON; PRAGMA busy_timeout = 10000;")?;
        c.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(c)
    }

    pub(crate) fn fetch_all<T: FromRows>(&self, text: &str, args: &[Value]) -> Result<Vec<T>> {
        let taken = self.idle.lock().expect("readers").pop();
        let conn = match taken {
            Some(c) => c,
            None => self.open()?,
        };
        let rows = (|| {
            let mut st = prepare(&conn, text, args)?;
            collect(st.raw_query())
        })();
        let mut idle = self.idle.lock().expect("readers");
        if idle.len() < IDLE_READERS {
            idle.push(conn);
        }
        rows
    }
}

/// Prepares (or takes from the cache) and binds a statement built by `Sql`.
fn prepare<'c>(
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

fn collect<T: FromRows>(mut rows: rusqlite::Rows<'_>) -> Result<Vec<T>> {
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(T::from_lite(r)?);
    }
    Ok(out)
}

/// A transaction on the write connection; rolled back when dropped uncommitted.
pub(crate) struct Tx {
    conn: OwnedMutexGuard<Connection>,
    open: bool,
}

impl Tx {
    pub(crate) fn commit(mut self) -> Result<()> {
        self.conn.execute_batch("COMMIT")?;
        self.open = false;
        Ok(())
    }

    pub(crate) fn fetch_all<T: FromRows>(&mut self, text: &str, args: &[Value]) -> Result<Vec<T>> {
        let mut st = prepare(&self.conn, text, args)?;
        collect(st.raw_query())
    }

    pub(crate) fn execute(&mut self, text: &str, args: &[Value]) -> Result<u64> {
        let mut st = prepare(&self.conn, text, args)?;
        if st.column_count() == 0 {
            return Ok(st.raw_execute()? as u64);
        }
        // A statement with RETURNING run for its effect: step it through.
        let mut rows = st.raw_query();
        while rows.next()?.is_some() {}
        drop(rows);
        drop(st);
        Ok(self.conn.changes())
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        if self.open {
            // Fails only if SQLite already rolled back (e.g. after an I/O error).
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}
