//! One module per command family.

pub mod admin;
pub mod analyze;
pub mod demo;
pub mod serve;
pub mod user;

/// Opens the configured database (applying migrations) and says which one, without secrets.
pub async fn open_db(cfg: &crate::config::Config) -> anyhow::Result<fazhi_db::Db> {
    let db = fazhi_db::Db::open(&cfg.db).await.map_err(|e| {
        anyhow::anyhow!(
            "cannot open the database {}: {e}",
            crate::config::redact_url(&cfg.db)
        )
    })?;
    Ok(db)
}
