//! Fresh databases for tests: a new SQLite file always, and a new PostgreSQL database
//! when `FAZHI_TEST_POSTGRES_URL` names a server (CI sets it). Real engines, no mocks.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::{Backend, Db, Result};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A migrated test database; a SQLite file is removed on drop.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    sqlite_file: Option<PathBuf>,
}

impl TestDb {
    /// "sqlite" or "postgres", for assertion messages.
    pub fn name(&self) -> &'static str {
        match self.db.backend() {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// The SQLite file, if this is SQLite.
    pub fn sqlite_file(&self) -> Option<&PathBuf> {
        self.sqlite_file.as_ref()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(f) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", f.display()));
            }
        }
    }
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        crate::now_ms() % 1_000_000
    )
}

/// A new, migrated SQLite database in the temp folder.
pub async fn sqlite() -> Result<TestDb> {
    let file = std::env::temp_dir().join(format!("{}.db", unique("fazhi_test")));
    let url = format!("sqlite://{}", file.display());
    let db = Db::open(&url).await?;
    Ok(TestDb {
        db,
        url,
        sqlite_file: Some(file),
    })
}

/// A new, migrated PostgreSQL database on the server named by FAZHI_TEST_POSTGRES_URL.
pub async fn postgres() -> Result<Option<TestDb>> {
    let Ok(admin_url) = std::env::var("FAZHI_TEST_POSTGRES_URL") else {
        return Ok(None);
    };
    let name = unique("fazhi_t");
    let admin = Db::connect(&admin_url).await?;
    // The name is generated here from digits and underscores, never from input.
    let create = format!("CREATE DATABASE {name}");
    sqlx::query(sqlx::AssertSqlSafe(create))
        .execute(admin.reader())
        .await?;
    admin.close().await;
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(&admin_url);
    let url = format!("{base}/{name}");
    let db = Db::open(&url).await?;
    Ok(Some(TestDb {
        db,
        url,
        sqlite_file: None,
    }))
}

/// Every backend available here: SQLite always, PostgreSQL when configured.
pub async fn all() -> Vec<TestDb> {
    let mut v = vec![sqlite().await.expect("open a SQLite test database")];
    match postgres().await.expect("open a PostgreSQL test database") {
        Some(pg) => v.push(pg),
        None => eprintln!("FAZHI_TEST_POSTGRES_URL not set: PostgreSQL part skipped"),
    }
    v
}

impl TestDb {
    /// Runs fixed SQL (several statements allowed) on the write pool: tests use it to
    /// install a failing trigger and the like. Never with input from users.
    pub async fn execute_raw(&self, sql: &'static str) -> Result<()> {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&self.db.write)
            .await?;
        Ok(())
    }
}
