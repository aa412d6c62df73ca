//! The SQLite write connection, used directly (rusqlite) rather than through sqlx.
//!
//! sqlx runs each SQLite connection on a worker thread and every statement is a round
//! trip to it; with all writes going through one connection, those hand-offs (not
//! SQLite) were most of the cost of a write request. Here a write transaction runs its
//! statements on the caller's thread while it holds the connection: each statement is
//! a few microseconds of SQLite work, and nothing waits in the middle of a transaction
//! except for the caller's own awaits.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

mod checkpoint;
mod writer;

pub(crate) use writer::{Tx, Writer};

use crate::sql::{FromRows, Value};
use crate::{DbError, Result};

/// Prepared statements kept per connection (multi-row inserts vary in length).
const STATEMENT_CACHE: usize = 256;

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
        stable_plans(&c)?;
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

/// Plans that do not depend on bound values. Otherwise SQLite re-prepares a cached
/// statement whenever a value it may plan by is bound anew, and every scope condition
/// (`division_path LIKE $n`) is one: re-preparing the lookup of a matter by id took a
/// fifth of the server's CPU under load. These connections run point lookups and
/// writes, whose plans never depend on values.
pub(super) fn stable_plans(c: &Connection) -> Result<()> {
    c.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
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

pub(super) fn collect<T: FromRows>(mut rows: rusqlite::Rows<'_>) -> Result<Vec<T>> {
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
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
                .fetch_all(sql, &[Value::from(id), Value::from(root.to_string())])
                .unwrap();
        }
        let conn = readers
            .idle
            .lock()
            .unwrap()
            .pop()
            .expect("the connection is kept");
        let st = conn.prepare_cached(sql).unwrap();
        assert_eq!(
            st.get_status(StatementStatus::RePrepare),
            0,
            "the cached statement ran three times with new values, prepared once"
        );
    }
}
