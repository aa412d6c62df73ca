//! The `fazhi` command line.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use fazhi::cmd;
use fazhi::config::{DbArgs, ServeArgs};

#[derive(Parser, Debug)]
#[command(
    name = "fazhi",
    version,
    about = "Fazhi: rule-of-law work for townships and districts"
)]
struct Cli {
    #[command(flatten)]
    db: DbArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server.
    Serve(ServeArgs),
    /// Create a demo district (if the database is new) and serve it.
    Demo(cmd::demo::DemoArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(cmd::user::UserCommand),
    /// Check the audit log's hash chain.
    #[command(subcommand)]
    Audit(cmd::admin::AuditCommand),
    /// Rebuild the keyword search index of matters from the records.
    Reindex,
    /// Write a consistent copy of a SQLite database while it is in use.
    Backup(cmd::admin::BackupArgs),
    /// Import data from files.
    #[command(subcommand)]
    Import(cmd::admin::ImportCommand),
    /// Print configuration help.
    #[command(subcommand)]
    Config(cmd::admin::ConfigCommand),
    /// Read township annual reports: structure, figures, indicators, checks.
    Analyze(cmd::analyze::AnalyzeArgs),
    /// Proofread one report before it goes out.
    Check(cmd::analyze::CheckArgs),
}

/// mimalloc for Rust and, through its `override` feature, for SQLite's C code too. Under
/// the lifecycle load glibc's malloc and free were an eighth of the server's CPU (page
/// copies of savepoints, statement buffers, request bodies); with mimalloc the same
/// machine runs about an eighth more lifecycles per second (bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let result = match cli.command {
        Command::Analyze(a) => cmd::analyze::run_analyze(a),
        Command::Check(a) => cmd::analyze::run_check(a),
        Command::Config(c) => cmd::admin::config(c),
        other => runtime().and_then(|rt| rt.block_on(run_async(cli.db, other))),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

async fn run_async(db: DbArgs, command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve(s) => cmd::serve::serve(&db, &s).await,
        Command::Demo(s) => cmd::demo::run(&db, &s).await,
        Command::Migrate => cmd::admin::migrate(&db).await,
        Command::Reindex => cmd::admin::reindex(&db).await,
        Command::User(u) => cmd::user::run(&db, u).await,
        Command::Audit(a) => cmd::admin::audit(&db, a).await,
        Command::Backup(b) => cmd::admin::backup(&db, b).await,
        Command::Import(i) => cmd::admin::import(&db, i).await,
        Command::Analyze(_) | Command::Check(_) | Command::Config(_) => {
            unreachable!("handled synchronously")
        }
    }
}
