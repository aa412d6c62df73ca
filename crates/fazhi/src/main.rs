//! The `fazhi` command line.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

#[derive(Parser, Debug)]
#[command(name = "fazhi", version, about = "Fazhi: rule-of-law work for townships and districts")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Read township annual reports: structure, figures, indicators, checks.
    Analyze(cmd::analyze::AnalyzeArgs),
    /// Proofread one report before it goes out.
    Check(cmd::analyze::CheckArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(a) => cmd::analyze::run_analyze(a),
        Command::Check(a) => cmd::analyze::run_check(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
