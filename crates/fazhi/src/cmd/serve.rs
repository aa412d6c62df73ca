//! `fazhi serve`.

use std::process::ExitCode;

use anyhow::Context;

use crate::config::{Config, DbArgs, ServeArgs, redact_url};

/// Loads the personal-data key, creating it (mode 600) if absent.
/// It lives outside the database so a stolen database file alone reveals nothing.
pub fn ensure_key(path: &std::path::Path) -> anyhow::Result<fazhi_db::pii::Vault> {
    if path.exists() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the key file {}", path.display()))?;
        if text.trim().len() < 40 {
            anyhow::bail!("the key file {} is damaged (too short)", path.display());
        }
        return Ok(fazhi_db::pii::Vault::from_key_text(&text)?);
    }
    let key = fazhi_web::auth::secrets::random_token();
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    use std::io::Write;
    let mut f = opts
        .open(path)
        .with_context(|| format!("cannot create the key file {}", path.display()))?;
    writeln!(f, "{key}")?;
    f.sync_all()?;
    eprintln!(
        "Created a new key file {} — back it up separately from the database.",
        path.display()
    );
    Ok(fazhi_db::pii::Vault::from_key_text(&key)?)
}

/// Binds, prints the address and serves until stopped.
pub async fn run_server(
    cfg: &Config,
    db: fazhi_db::Db,
    vault: fazhi_db::pii::Vault,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(&cfg.bind)
        .await
        .with_context(|| format!("cannot listen on {}", cfg.bind))?;
    let addr = listener.local_addr()?;
    tracing::info!(db = %redact_url(&cfg.db), %addr, "serving");
    println!("Fazhi is running at http://{addr}/  (Ctrl-C to stop)");
    let state = fazhi_web::AppState::open(db.clone(), cfg.web.clone(), vault)
        .await
        .map_err(anyhow::Error::msg)?
        .with_anchor(cfg.anchor_file());
    fazhi_web::serve(listener, state).await?;
    db.close().await;
    Ok(())
}

pub async fn serve(db: &DbArgs, s: &ServeArgs) -> anyhow::Result<ExitCode> {
    let cfg = Config::resolve(db, s)?;
    let vault = ensure_key(&cfg.key_file)?;
    let database = super::open_db(&cfg).await?;
    if fazhi_db::auth::users::count(&database).await? == 0 {
        eprintln!(
            "The database has no users yet: import divisions with `fazhi import org FILE.xlsx`, then `fazhi user add`."
        );
    }
    run_server(&cfg, database, vault).await?;
    Ok(ExitCode::SUCCESS)
}
