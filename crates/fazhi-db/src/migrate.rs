//! Forward-only migrations, one folder per backend, embedded in the binary.
//!
//! PostgreSQL runs them through sqlx's `Migrator`. SQLite runs them on its one write
//! connection, doing what sqlx's `Migrator` did there before (sqlx no longer opens
//! SQLite files): the same `_sqlx_migrations` table and rows (version, description,
//! `installed_on`, success, the SHA-384 checksum of the text, the execution time in
//! nanoseconds), the same checks (a failed migration, one applied but unknown here, a
//! changed text), each migration and its row in one transaction. So databases
//! migrated by earlier versions open and migrate on, and the other way round.

use std::borrow::Cow;

use sqlx::migrate::{MigrateError, Migration, MigrationType, Migrator};
use sqlx::{AssertSqlSafe, SqlSafeStr};

use crate::sql::{Count, Sql, row};
use crate::{Backend, Db, DbError, Result};

/// (version, description, SQLite text, PostgreSQL text).
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/sqlite/0001_foundation.sql"),
        include_str!("../migrations/postgres/0001_foundation.sql"),
    ),
    (
        2,
        "matters",
        include_str!("../migrations/sqlite/0002_matters.sql"),
        include_str!("../migrations/postgres/0002_matters.sql"),
    ),
    (
        3,
        "search",
        include_str!("../migrations/sqlite/0003_search.sql"),
        include_str!("../migrations/postgres/0003_search.sql"),
    ),
    (
        4,
        "sweeps",
        include_str!("../migrations/sqlite/0004_sweeps.sql"),
        include_str!("../migrations/postgres/0004_sweeps.sql"),
    ),
    (
        5,
        "import",
        include_str!("../migrations/sqlite/0005_import.sql"),
        include_str!("../migrations/postgres/0005_import.sql"),
    ),
    (
        6,
        "figure flags",
        include_str!("../migrations/sqlite/0006_figure_flags.sql"),
        include_str!("../migrations/postgres/0006_figure_flags.sql"),
    ),
    (
        7,
        "matter sorts",
        include_str!("../migrations/sqlite/0007_matter_sorts.sql"),
        include_str!("../migrations/postgres/0007_matter_sorts.sql"),
    ),
    (
        9,
        "township stats",
        include_str!("../migrations/sqlite/0009_township_stats.sql"),
        include_str!("../migrations/postgres/0009_township_stats.sql"),
    ),
    (
        10,
        "hardening",
        include_str!("../migrations/sqlite/0010_hardening.sql"),
        include_str!("../migrations/postgres/0010_hardening.sql"),
    ),
    (
        11,
        "units at work",
        include_str!("../migrations/sqlite/0011_units_at_work.sql"),
        include_str!("../migrations/postgres/0011_units_at_work.sql"),
    ),
    (
        12,
        "education",
        include_str!("../migrations/sqlite/0012_education.sql"),
        include_str!("../migrations/postgres/0012_education.sql"),
    ),
    (
        13,
        "enforcement",
        include_str!("../migrations/sqlite/0013_enforcement.sql"),
        include_str!("../migrations/postgres/0013_enforcement.sql"),
    ),
    (
        14,
        "decisions",
        include_str!("../migrations/sqlite/0014_decisions.sql"),
        include_str!("../migrations/postgres/0014_decisions.sql"),
    ),
    (
        15,
        "annual reports",
        include_str!("../migrations/sqlite/0015_annual_reports.sql"),
        include_str!("../migrations/postgres/0015_annual_reports.sql"),
    ),
    (
        16,
        "litigation, contracts, normative documents",
        include_str!("../migrations/sqlite/0016_litigation_contracts.sql"),
        include_str!("../migrations/postgres/0016_litigation_contracts.sql"),
    ),
    (
        17,
        "education duties",
        include_str!("../migrations/sqlite/0017_education_duties.sql"),
        include_str!("../migrations/postgres/0017_education_duties.sql"),
    ),
    (
        18,
        "annual review",
        include_str!("../migrations/sqlite/0018_annual_review.sql"),
        include_str!("../migrations/postgres/0018_annual_review.sql"),
    ),
    (
        19,
        "matter attachments",
        include_str!("../migrations/sqlite/0019_matter_attachments.sql"),
        include_str!("../migrations/postgres/0019_matter_attachments.sql"),
    ),
    (
        20,
        "legal advisers",
        include_str!("../migrations/sqlite/0020_legal_advisers.sql"),
        include_str!("../migrations/postgres/0020_legal_advisers.sql"),
    ),
    (
        21,
        "education files, ledger keys, points, rescue teams and campaigns",
        include_str!("../migrations/sqlite/0021_education_extras.sql"),
        include_str!("../migrations/postgres/0021_education_extras.sql"),
    ),
    (
        22,
        "notifications",
        include_str!("../migrations/sqlite/0022_notifications.sql"),
        include_str!("../migrations/postgres/0022_notifications.sql"),
    ),
    (
        23,
        "saved queries",
        include_str!("../migrations/sqlite/0023_saved_queries.sql"),
        include_str!("../migrations/postgres/0023_saved_queries.sql"),
    ),
    (
        24,
        "audit head keeps the previous hash",
        include_str!("../migrations/sqlite/0024_audit_head_prev.sql"),
        include_str!("../migrations/postgres/0024_audit_head_prev.sql"),
    ),
    (
        25,
        "decision links: opinion adviser, normative clean-up rounds",
        include_str!("../migrations/sqlite/0025_decisions_links.sql"),
        include_str!("../migrations/postgres/0025_decisions_links.sql"),
    ),
    (
        26,
        "roster ID numbers",
        include_str!("../migrations/sqlite/0026_roster_ids.sql"),
        include_str!("../migrations/postgres/0026_roster_ids.sql"),
    ),
    (
        27,
        "roster training hours and certificates",
        include_str!("../migrations/sqlite/0027_roster_training.sql"),
        include_str!("../migrations/postgres/0027_roster_training.sql"),
    ),
    (
        28,
        "search tables without foreign keys",
        include_str!("../migrations/sqlite/0028_search_tables_without_keys.sql"),
        include_str!("../migrations/postgres/0028_search_tables_without_keys.sql"),
    ),
];

pub(crate) async fn run(db: &Db) -> Result<Vec<i64>> {
    if db.backend == Backend::Sqlite {
        return run_lite(db).await;
    }
    let migrations: Vec<Migration> = MIGRATIONS
        .iter()
        .map(|(v, d, lite, pg)| {
            let text = match db.backend {
                Backend::Sqlite => *lite,
                Backend::Postgres => *pg,
            };
            Migration::new(
                *v,
                Cow::Borrowed(*d),
                MigrationType::Simple,
                AssertSqlSafe(text).into_sql_str(),
                false,
            )
        })
        .collect();
    let mut migrator = Migrator::DEFAULT;
    migrator.migrations = Cow::Owned(migrations);
    let before = applied(db).await;
    migrator.run(db.writer()).await?;
    let after = applied(db).await;
    Ok(after.into_iter().filter(|v| !before.contains(v)).collect())
}

async fn applied(db: &Db) -> Vec<i64> {
    crate::sql::Sql::new("SELECT version FROM _sqlx_migrations ORDER BY version")
        .fetch_all::<crate::sql::Count>(db.reader())
        .await
        .map(|v| v.into_iter().map(|c| c.0).collect())
        .unwrap_or_default()
}

/// sqlx's table of applied migrations, as its SQLite driver creates it.
const LITE_TABLE: &str = "
CREATE TABLE IF NOT EXISTS _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    success BOOLEAN NOT NULL,
    checksum BLOB NOT NULL,
    execution_time BIGINT NOT NULL
);
";

row!(Applied {
    version: i64,
    checksum: Vec<u8>
});

/// The checksum sqlx keeps for a migration: SHA-384 of its text.
fn checksum(text: &str) -> Vec<u8> {
    use sha2::{Digest, Sha384};
    Sha384::digest(text.as_bytes()).to_vec()
}

/// SQLite: applies pending migrations on the write connection, as sqlx's `Migrator` did.
async fn run_lite(db: &Db) -> Result<Vec<i64>> {
    let mut tx = db.begin_bulk().await?;
    crate::lite::execute_batch(&mut tx, LITE_TABLE)?;
    let dirty: Option<Count> = Sql::new(
        "SELECT version FROM _sqlx_migrations WHERE success = false ORDER BY version LIMIT 1",
    )
    .fetch_optional(&mut tx)
    .await?;
    if let Some(v) = dirty {
        return Err(MigrateError::Dirty(v.0).into());
    }
    let applied: Vec<Applied> =
        Sql::new("SELECT version, checksum FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut tx)
            .await?;
    tx.commit().await?;
    for a in &applied {
        if !MIGRATIONS.iter().any(|(v, ..)| *v == a.version) {
            return Err(MigrateError::VersionMissing(a.version).into());
        }
    }
    let mut now = Vec::new();
    for (version, description, text, _) in MIGRATIONS {
        let sum = checksum(text);
        if let Some(a) = applied.iter().find(|a| a.version == *version) {
            if a.checksum != sum {
                return Err(MigrateError::VersionMismatch(*version).into());
            }
            continue;
        }
        let start = std::time::Instant::now();
        let mut tx = db.begin_bulk().await?;
        crate::lite::execute_batch(&mut tx, text).map_err(|e| {
            DbError::Config(format!("migration {version} ({description}) failed: {e}"))
        })?;
        let mut q = Sql::new(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (",
        );
        q.bind(*version)
            .push(", ")
            .bind(*description)
            .push(", TRUE, ")
            .bind(sum)
            .push(", -1)");
        q.execute(&mut tx).await?;
        tx.commit().await?;
        let took = i64::try_from(start.elapsed().as_nanos()).unwrap_or(i64::MAX);
        let mut q = Sql::new("UPDATE _sqlx_migrations SET execution_time = ");
        q.bind(took).push(" WHERE version = ").bind(*version);
        let mut tx = db.begin_bulk().await?;
        q.execute(&mut tx).await?;
        tx.commit().await?;
        now.push(*version);
    }
    Ok(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database migrated by sqlx's `Migrator` (every earlier version) keeps these
    /// checksums: a different one would stop it from opening.
    #[test]
    fn sqlite_checksums_are_the_ones_sqlx_stored() {
        for (v, d, lite, _) in MIGRATIONS {
            let m = Migration::new(
                *v,
                Cow::Borrowed(*d),
                MigrationType::Simple,
                AssertSqlSafe(*lite).into_sql_str(),
                false,
            );
            assert_eq!(checksum(lite), m.checksum.to_vec(), "migration {v}");
        }
    }
}
