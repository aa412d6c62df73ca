//! Forward-only migrations, one folder per backend, embedded in the binary.

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AssertSqlSafe, SqlSafeStr};

use crate::{Backend, Db, Result};

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
];

pub(crate) async fn run(db: &Db) -> Result<Vec<i64>> {
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
    migrator.run(&db.write).await?;
    let after = applied(db).await;
    Ok(after.into_iter().filter(|v| !before.contains(v)).collect())
}

async fn applied(db: &Db) -> Vec<i64> {
    crate::sql::Sql::new("SELECT version FROM _sqlx_migrations ORDER BY version")
        .fetch_all::<crate::sql::Count>(&db.read)
        .await
        .map(|v| v.into_iter().map(|c| c.0).collect())
        .unwrap_or_default()
}
