//! `fazhi analyze` and `fazhi check`: reading township reports (see fazhi-analyze).

use std::process::ExitCode;

/// Arguments of `fazhi analyze`.
#[derive(clap::Args, Debug)]
pub struct AnalyzeArgs {
    /// Report files or directories.
    pub paths: Vec<std::path::PathBuf>,
}

/// Arguments of `fazhi check`.
#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The report to proofread.
    pub file: std::path::PathBuf,
}

pub fn run_analyze(_args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}

pub fn run_check(_args: CheckArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
