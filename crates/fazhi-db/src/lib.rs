//! The `Db` handle over SQLite (embedded default) and PostgreSQL. All SQL lives here.
//!
//! One SQL text serves both backends (sqlx's `Any` driver on PostgreSQL, rusqlite on
//! SQLite, see `lite`): `$n` placeholders, integer ids, `RETURNING`, `ON CONFLICT`, no
//! date functions or JSON operators.
//! Times are stored as Unix milliseconds and dates as `YYYY-MM-DD` text.

pub mod admin;
pub mod annual;
pub mod audit;
pub mod auth;
mod column;
pub mod decisions;
mod durable;
pub mod education;
pub mod enforcement;
mod error;
mod fresh;
mod listen;
mod lite;
pub mod matters;
mod migrate;
pub mod notify;
mod pgbatch;
pub mod pii;
mod sql;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
mod timeline;

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::AnyPool;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};

pub use error::{DbError, Result};

/// A connection inside a write transaction: what the write functions take.
pub struct Conn(ConnKind);

impl Conn {
    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self.0, ConnKind::Any(_))
    }
}

pub(crate) enum ConnKind {
    /// PostgreSQL, through sqlx.
    Any(sqlx::Transaction<'static, sqlx::Any>),
    /// The SQLite write connection, used directly (see `lite`).
    Lite(lite::Tx),
}

/// Which engine a `Db` talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database handle shared by the whole process.
#[derive(Clone)]
pub struct Db {
    /// PostgreSQL: the pool for reads (and for all work); none on SQLite.
    read: Option<AnyPool>,
    /// PostgreSQL: the pool for writes; none on SQLite.
    write: Option<AnyPool>,
    /// The SQLite write connection (writes, migrations): SQLite has one writer at a
    /// time anyway, and queueing for it avoids SQLITE_BUSY upgrades inside transactions.
    lite: Option<lite::Writer>,
    /// The SQLite read connections: point lookups on the caller's thread
    /// ([`Db::quick`]), scans on blocking threads ([`Db::reader`]), checkpoints.
    quick: Option<Arc<lite::Readers>>,
    backend: Backend,
    sqlite_path: Option<PathBuf>,
    /// Group commit of the SQLite write-ahead log; PostgreSQL flushes its own.
    wal: Option<Arc<durable::WalSync>>,
    /// The audit chain's head as last seen by this process (see `audit::append_tx`).
    audit_head: Arc<audit::HeadCache>,
    /// PostgreSQL: group commit of one-statement writes (see `pgbatch`).
    pg_batch: Option<pgbatch::Batcher>,
    /// Sessions as last read (see `auth::cache`).
    sessions: Arc<auth::cache::Sessions>,
    /// Units and divisions as last read (see `admin::cache`).
    org: Arc<admin::cache::Org>,
    /// PostgreSQL: hears of other processes' changes to what is cached (see `listen`).
    listener: Option<Arc<listen::Listener>>,
}

impl std::fmt::Debug for Db {
    // The URL may hold a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .field("sqlite_path", &self.sqlite_path)
            .finish_non_exhaustive()
    }
}

/// Current time in Unix milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Splits a `sqlite://PATH` URL into the file path, accepting `sqlite:PATH` too.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    Some(PathBuf::from(path))
}

/// A write transaction. Use it as a connection (`&mut *tx`); [`WriteTx::commit`]
/// returns once the change is durable.
pub struct WriteTx {
    conn: Conn,
    wal: Option<Arc<durable::WalSync>>,
    audit_head: Arc<audit::HeadCache>,
}

impl std::ops::Deref for WriteTx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.conn
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.conn
    }
}

impl WriteTx {
    /// Commits, then waits until the commit is on disk.
    pub async fn commit(self) -> Result<()> {
        match self.conn.0 {
            ConnKind::Any(tx) => tx.commit().await?,
            ConnKind::Lite(tx) => tx.commit().await?,
        }
        if let Some(w) = self.wal {
            w.wait().await?;
        }
        Ok(())
    }
}

impl Db {
    /// Opens the database named by `url` (`sqlite://PATH` or `postgres://…`), creating a
    /// SQLite file if absent, and applies pending migrations.
    pub async fn open(url: &str) -> Result<Db> {
        let db = Db::connect(url).await?;
        db.migrate().await?;
        Ok(db)
    }

    /// Connects without migrating.
    pub async fn connect(url: &str) -> Result<Db> {
        sqlx::any::install_default_drivers();
        if let Some(path) = sqlite_path(url) {
            if path.as_os_str().is_empty() {
                return Err(DbError::Config(
                    "the SQLite URL names no file: use sqlite://PATH".into(),
                ));
            }
            if let Some(dir) = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty() && !d.exists())
            {
                return Err(DbError::Config(format!(
                    "the folder {} of the SQLite database does not exist",
                    dir.display()
                )));
            }
            // One write connection, which creates the file, and one set of read
            // connections; no sqlx (see `lite`).
            let wal = Arc::new(durable::WalSync::new(&path));
            let readers = Arc::new(lite::Readers::new(&path));
            let lite = Some(lite::Writer::open(&path, wal.clone(), &readers)?);
            Ok(Db {
                read: None,
                write: None,
                lite,
                quick: Some(readers),
                backend: Backend::Sqlite,
                wal: Some(wal),
                sqlite_path: Some(path),
                audit_head: Arc::default(),
                pg_batch: None,
                sessions: Arc::default(),
                org: Arc::default(),
                listener: None,
            })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = AnyConnectOptions::from_str(url)?;
            let pool = AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts)
                .await?;
            let pg_batch = pgbatch::Batcher::new(url, pool.clone())?;
            let sessions: Arc<auth::cache::Sessions> = Arc::default();
            let org: Arc<admin::cache::Org> = Arc::default();
            let listener = listen::Listener::start(
                pg_batch.config(),
                listen::Caches {
                    sessions: sessions.clone(),
                    org: org.clone(),
                },
            );
            Ok(Db {
                read: Some(pool.clone()),
                pg_batch: Some(pg_batch),
                write: Some(pool),
                lite: None,
                quick: None,
                backend: Backend::Postgres,
                sqlite_path: None,
                wal: None,
                audit_head: Arc::default(),
                sessions,
                org,
                listener: Some(Arc::new(listener)),
            })
        } else {
            Err(DbError::Config(
                "unsupported database URL: use sqlite://PATH or postgres://USER@HOST/DB".into(),
            ))
        }
    }

    /// The engine behind this handle.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies pending migrations (forward-only); returns the versions applied now.
    pub async fn migrate(&self) -> Result<Vec<i64>> {
        let applied = migrate::run(self).await?;
        if let Some(w) = &self.wal {
            w.wait().await?;
        }
        Ok(applied)
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<WriteTx> {
        self.begin_in(false).await
    }

    /// Starts a write transaction that changes many rows (an import, a rebuild). On
    /// SQLite it does not join a batch of small ones (see `lite::writer`).
    pub async fn begin_bulk(&self) -> Result<WriteTx> {
        self.begin_in(true).await
    }

    async fn begin_in(&self, bulk: bool) -> Result<WriteTx> {
        let conn = match &self.lite {
            Some(w) if bulk => ConnKind::Lite(w.begin_bulk().await?),
            Some(w) => ConnKind::Lite(w.begin().await?),
            None => ConnKind::Any(self.writer().begin().await?),
        };
        Ok(WriteTx {
            conn: Conn(conn),
            wal: self.wal.clone(),
            audit_head: self.audit_head.clone(),
        })
    }

    /// Pool for writes: on PostgreSQL a statement run on it outside a transaction
    /// commits on its own (one round trip instead of BEGIN, the statement and COMMIT).
    /// PostgreSQL only: SQLite has no pool (its writes go through `lite`).
    /// Forgets the sessions, units and divisions kept in memory, here and, on
    /// PostgreSQL, in every process listening on the database (`listen`). Called once a
    /// change to them has committed.
    pub(crate) async fn caches_changed(&self) {
        self.sessions.clear();
        self.org.clear();
        if self.backend == Backend::Postgres {
            let q = sql::Sql::new(listen::NOTIFY);
            if let Err(e) = q.execute(self.writer()).await {
                // The others see the change within `fresh::FRESH` anyway.
                tracing::warn!("could not tell other processes of a change: {e}");
            }
        }
    }

    /// Cache notifications this process has heard from the database (tests).
    #[doc(hidden)]
    pub fn caches_heard(&self) -> u64 {
        self.listener.as_ref().map_or(0, |l| l.heard())
    }

    pub(crate) fn writer(&self) -> &AnyPool {
        self.write.as_ref().expect("the PostgreSQL write pool")
    }

    /// Runs a one-statement write that returns one id column: on PostgreSQL in a batch
    /// with the others waiting (group commit, see `pgbatch`), else alone on the write
    /// pool. Returns once it is committed.
    pub(crate) async fn write_one(&self, q: sql::Sql) -> Result<Vec<sql::Count>> {
        match &self.pg_batch {
            Some(b) => b.run(q).await,
            None => q.fetch_all(self.writer()).await,
        }
    }

    /// Where scans and anything else that may take long run: PostgreSQL's read pool, or
    /// on SQLite the read connections on a blocking thread, so that the async runtime
    /// is never held up.
    pub(crate) fn reader(&self) -> sql::Reader<'_> {
        match (&self.quick, &self.read) {
            (Some(r), _) => sql::Reader::Lite(r),
            (None, Some(p)) => sql::Reader::Pool(p),
            (None, None) => unreachable!("a Db has SQLite readers or a PostgreSQL pool"),
        }
    }

    /// Where a point lookup (a few rows by key) runs: on SQLite, directly on the
    /// caller's thread, which is cheaper than a hand-off to another thread; scans and
    /// anything that may take long use [`Db::reader`].
    pub(crate) fn quick(&self) -> sql::Target<'_> {
        match &self.quick {
            Some(r) => sql::Target::Lite(r),
            None => self.reader().into(),
        }
    }

    /// Writes a consistent copy of a SQLite database to `to` while it is in use.
    pub async fn backup_to(&self, to: &std::path::Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(DbError::Config(
                "backup copies SQLite databases only; for PostgreSQL use pg_dump".into(),
            ));
        }
        if to.exists() {
            return Err(DbError::Config(format!("{} already exists", to.display())));
        }
        let target = to
            .to_str()
            .ok_or_else(|| DbError::Config("the backup path is not valid UTF-8".into()))?;
        let readers = self.quick.as_ref().expect("SQLite has read connections");
        readers.backup(target.to_string()).await
    }

    /// Closes the connections: PostgreSQL's batching connection and pools, waiting for
    /// connections to be returned; SQLite's idle read connections (the write connection
    /// closes with the last handle).
    pub async fn close(&self) {
        if let Some(l) = &self.listener {
            l.stop();
        }
        if let Some(b) = &self.pg_batch {
            b.close().await;
        }
        if let Some(p) = &self.write {
            p.close().await;
        }
        if let Some(p) = &self.read {
            p.close().await;
        }
        if let Some(r) = &self.quick {
            r.close();
        }
    }
}
