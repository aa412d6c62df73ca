//! Database errors, with constraint violations mapped to the field that caused them.

/// Result of a database call.
pub type Result<T, E = DbError> = std::result::Result<T, E>;

/// What went wrong in the database layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The record does not exist, or it is outside the caller's scope (indistinguishable on purpose).
    #[error("not found")]
    NotFound,
    /// A uniqueness or reference rule was broken; `field` names the input at fault.
    #[error("conflict on {field}: {message}")]
    Conflict {
        field: &'static str,
        message: String,
    },
    /// The record changed since the caller read it (optimistic locking).
    #[error("stale version")]
    Stale,
    /// Bad configuration (URL, paths).
    #[error("{0}")]
    Config(String),
    /// The database cannot take the write now (disk full, I/O error, a failed flush):
    /// nothing was saved, and the caller may try again later.
    #[error("the write was not saved: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Sqlite(rusqlite::Error),
    /// From the PostgreSQL group-commit connection (see `pgbatch`).
    #[error(transparent)]
    Postgres(tokio_postgres::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Unique keys and the input field each one protects. SQLite names `table.column`;
/// PostgreSQL names the constraint, so both spellings are listed.
const UNIQUE_KEYS: &[(&str, &str, &str)] = &[
    ("divisions.code", "divisions_code_key", "code"),
    ("users.username", "users_username_key", "username"),
    (
        "sweeps.grid_id, sweeps.month",
        "sweeps_grid_id_month_key",
        "month",
    ),
    (
        "matters.tracking_code",
        "matters_tracking_code_key",
        "tracking_code",
    ),
    ("matters.source_ref", "matters_source_ref_key", "source_ref"),
    (
        "grids.division_id, grids.name",
        "grids_division_id_name_key",
        "name",
    ),
    (
        "units.division_id, units.name",
        "units_division_id_name_key",
        "name",
    ),
    (
        "grants.user_id, grants.role, grants.division_id",
        "grants_user_id_role_division_id_key",
        "role",
    ),
];

impl DbError {
    /// Maps unique violations to `Conflict` with the field name; other errors pass through.
    /// Only PostgreSQL runs through sqlx (SQLite's errors: `From<rusqlite::Error>`).
    pub(crate) fn map(e: sqlx::Error) -> DbError {
        if let Some(dbe) = e.as_database_error() {
            // Class 53 (insufficient resources: disk full …) and 58 (system error: I/O).
            let code = dbe.code().unwrap_or_default();
            if code.starts_with("53") || code.starts_with("58") {
                return DbError::Unavailable(dbe.message().to_string());
            }
            let text = format!("{} {}", dbe.message(), dbe.constraint().unwrap_or(""));
            if dbe.is_unique_violation() {
                return unique_violation(&text);
            }
            if dbe.is_foreign_key_violation() {
                return reference_violation();
            }
        }
        DbError::Sqlx(e)
    }
}

impl DbError {
    /// Maps errors of tokio-postgres as [`DbError::map`] maps sqlx's.
    pub(crate) fn pg(e: tokio_postgres::Error) -> DbError {
        use tokio_postgres::error::SqlState;
        if let Some(dbe) = e.as_db_error() {
            let code = dbe.code();
            let class = code.code();
            if class.starts_with("53") || class.starts_with("58") {
                return DbError::Unavailable(dbe.message().to_string());
            }
            let text = format!("{} {}", dbe.message(), dbe.constraint().unwrap_or(""));
            if *code == SqlState::UNIQUE_VIOLATION {
                return unique_violation(&text);
            }
            if *code == SqlState::FOREIGN_KEY_VIOLATION {
                return reference_violation();
            }
        } else if e.is_closed() {
            // The server went away (restart, network): nothing of an unfinished
            // transaction was saved; the client may try again.
            return DbError::Unavailable(e.to_string());
        }
        DbError::Postgres(e)
    }
}

impl From<rusqlite::Error> for DbError {
    /// Constraint violations as [`DbError::map`] maps them from sqlx.
    fn from(e: rusqlite::Error) -> DbError {
        use rusqlite::ffi;
        if let rusqlite::Error::SqliteFailure(f, msg) = &e {
            match f.extended_code {
                ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                    return unique_violation(msg.as_deref().unwrap_or(""));
                }
                ffi::SQLITE_CONSTRAINT_FOREIGNKEY => return reference_violation(),
                _ => {}
            }
            if matches!(
                f.code,
                ffi::ErrorCode::DiskFull | ffi::ErrorCode::SystemIoFailure
            ) {
                return DbError::Unavailable(e.to_string());
            }
        }
        DbError::Sqlite(e)
    }
}

/// A unique key broken, named by the input field it protects when known.
fn unique_violation(text: &str) -> DbError {
    let field = UNIQUE_KEYS
        .iter()
        .find(|(sqlite, pg, _)| text.contains(sqlite) || text.contains(pg))
        .map_or("", |(_, _, field)| field);
    DbError::Conflict {
        field,
        message: "已存在相同的记录".into(),
    }
}

fn reference_violation() -> DbError {
    DbError::Conflict {
        field: "",
        message: "引用的记录不存在或仍被其他记录引用".into(),
    }
}
