//! `fazhi analyze` without the rest of the binary, for the scorer and benchmarks:
//! `cargo run -p fazhi-analyze --release --example analyze -- [--format json|jsonl|table] [--dups [--against DIR] [--similarity T]] PATH...`

use fazhi_analyze::run;
use std::path::PathBuf;

fn main() -> std::process::ExitCode {
    let mut format = run::Format::Jsonl;
    let mut dups = false;
    let mut against = Vec::new();
    let mut settings = fazhi_analyze::dups::Settings::default();
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--format" => {
                format = match args.next().as_deref() {
                    Some("json") => run::Format::Json,
                    Some("table") => run::Format::Table,
                    _ => run::Format::Jsonl,
                }
            }
            "--dups" => dups = true,
            "--against" => against.extend(args.next().map(PathBuf::from)),
            "--similarity" => {
                settings.threshold = args.next().and_then(|s| s.parse().ok()).unwrap_or(0.5)
            }
            _ => paths.push(PathBuf::from(a)),
        }
    }
    let files = match run::collect_files(&paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let against = match run::collect_files(&against) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = if dups {
        run::find_dups(&files, &against, settings).map(|c| {
            use std::io::Write;
            let _ = match format {
                run::Format::Json => out.write_all((run::clusters_json(&c) + "\n").as_bytes()),
                _ => run::write_clusters(&mut out, &c),
            };
            0
        })
    } else {
        run::write_reports(&files, format, &mut out)
    };
    match result {
        Ok(0) => std::process::ExitCode::SUCCESS,
        Ok(_) => std::process::ExitCode::from(2),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
