//! `fazhi migrate`, `audit verify`, `backup`, `import org`, `config example`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use fazhi_db::audit::Actor;

use crate::config::{Config, DbArgs, ServeArgs};

#[derive(clap::Subcommand, Debug)]
pub enum AuditCommand {
    /// Walk the hash chain and name the first row altered or removed, checking it
    /// against the checkpoints the server wrote beside the key file.
    Verify {
        /// The key file the server uses (its checkpoints are `<key file>.anchors`).
        #[arg(long, env = "FAZHI_KEY_FILE")]
        key_file: Option<std::path::PathBuf>,
    },
}

#[derive(clap::Args, Debug)]
pub struct BackupArgs {
    /// File to write (must not exist).
    #[arg(long)]
    pub to: PathBuf,
}

#[derive(clap::Subcommand, Debug)]
pub enum ImportCommand {
    /// Divisions and grids from an XLSX workbook (sheets 区划 and 网格); all rows or none.
    Org { file: PathBuf },
}

#[derive(clap::Subcommand, Debug)]
pub enum ConfigCommand {
    /// Print a documented example configuration file.
    Example,
}

fn cfg(db: &DbArgs) -> anyhow::Result<Config> {
    Config::resolve(db, &ServeArgs::default())
}

pub fn config(c: ConfigCommand) -> anyhow::Result<ExitCode> {
    match c {
        ConfigCommand::Example => print!("{}", crate::config::EXAMPLE),
    }
    Ok(ExitCode::SUCCESS)
}

/// Rebuilds the keyword search index from the matters (it is derived data).
pub async fn reindex(db: &DbArgs) -> anyhow::Result<ExitCode> {
    let cfg = cfg(db)?;
    let database = super::open_db(&cfg).await?;
    let started = std::time::Instant::now();
    let n = fazhi_db::matters::search::reindex(&database)
        .await
        .context("rebuilding the search index failed")?;
    println!(
        "Rebuilt the search index of {n} matters in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    database.close().await;
    Ok(ExitCode::SUCCESS)
}

pub async fn migrate(db: &DbArgs) -> anyhow::Result<ExitCode> {
    let cfg = cfg(db)?;
    let database = fazhi_db::Db::connect(&cfg.db)
        .await
        .context("cannot open the database")?;
    let applied = database.migrate().await.context("migration failed")?;
    if applied.is_empty() {
        println!("The database is up to date.");
    } else {
        println!("Applied migrations: {applied:?}");
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn audit(db: &DbArgs, a: AuditCommand) -> anyhow::Result<ExitCode> {
    let AuditCommand::Verify { key_file } = a;
    let mut cfg = cfg(db)?;
    if let Some(k) = key_file {
        cfg.key_file = k;
    }
    let database = super::open_db(&cfg).await?;
    let anchor = if cfg.key_file.exists() {
        Some(super::serve::ensure_key(&cfg.key_file)?.anchor(cfg.anchor_file()))
    } else {
        eprintln!(
            "warning: no key file at {}: the log is checked without its checkpoints",
            cfg.key_file.display()
        );
        None
    };
    // A bar on a terminal: a log of millions of rows takes a while.
    use std::io::IsTerminal;
    let bar = std::io::stderr().is_terminal().then(|| {
        let pb = indicatif::ProgressBar::new(0);
        pb.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows, {eta} left")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        pb
    });
    let progress = |done: i64, total: i64| {
        if let Some(pb) = &bar {
            pb.set_length(total.max(0) as u64);
            pb.set_position(done.max(0) as u64);
        }
    };
    let v = fazhi_db::audit::verify_with(&database, anchor.as_ref(), &progress).await?;
    if let Some(pb) = &bar {
        pb.finish_and_clear();
    }
    match v.first_bad {
        None => {
            println!("Audit log intact: {} rows, hash chain verified.", v.rows);
            match (&v.newest_checkpoint, &anchor) {
                (Some(c), _) => println!(
                    "Checked against {} checkpoints in {}; the newest is row {} ({}).",
                    v.checkpoints,
                    cfg.anchor_file().display(),
                    c.seq,
                    c.hash
                ),
                (None, Some(a)) => println!(
                    "No checkpoints yet in {} (the server writes them every minute).",
                    a.path().display()
                ),
                (None, None) => {}
            }
            Ok(ExitCode::SUCCESS)
        }
        Some((seq, why)) => {
            println!("Audit log TAMPERED: first bad row is {seq} ({why}).");
            Ok(ExitCode::from(1))
        }
    }
}

pub async fn backup(db: &DbArgs, b: BackupArgs) -> anyhow::Result<ExitCode> {
    let database = super::open_db(&cfg(db)?).await?;
    if database.backend() == fazhi_db::Backend::Postgres {
        anyhow::bail!(
            "`fazhi backup` copies SQLite databases. For PostgreSQL use pg_dump, e.g. pg_dump -Fc -f fazhi.dump DBNAME"
        );
    }
    database.backup_to(&b.to).await.context("backup failed")?;
    println!(
        "Backup written to {}. Keep the key file safe too: it is not in the backup.",
        b.to.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn import(db: &DbArgs, i: ImportCommand) -> anyhow::Result<ExitCode> {
    let ImportCommand::Org { file } = i;
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let database = super::open_db(&cfg(db)?).await?;
    let list = match fazhi_office::org::read(&bytes) {
        Ok(l) => l,
        Err(errors) => {
            eprintln!("Nothing imported; fix these rows first:");
            for e in errors {
                eprintln!("  sheet {} row {}: {}", e.sheet, e.row, e.message);
            }
            return Ok(ExitCode::from(1));
        }
    };
    let existing: std::collections::HashSet<String> =
        fazhi_db::admin::divisions::tree(&database, &["/".to_string()])
            .await?
            .into_iter()
            .map(|d| d.code)
            .collect();
    match fazhi_web::admin::import::plan(&list, &|c| existing.contains(c)) {
        Err(errors) => {
            eprintln!("Nothing imported; fix these rows first:");
            for e in errors {
                eprintln!("  {e}");
            }
            Ok(ExitCode::from(1))
        }
        Ok((divisions, grids)) => {
            let c = fazhi_db::admin::import::load(
                &database,
                &Actor::system("cli"),
                &divisions,
                &grids,
                &[],
            )
            .await?;
            println!(
                "Imported {} divisions and {} grids; {} rows already present were skipped.",
                c.divisions, c.grids, c.skipped
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
