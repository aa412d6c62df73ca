//! Throughput of sections + figures + checks on one core:
//! `cargo run --release -p fazhi-analyze --example bench -- DIR_OR_FILES... [--seconds S]`
//!
//! Loads every report into memory first (decoding excluded), then analyses the whole
//! set repeatedly on the current thread for at least S seconds (default 3) and prints
//! MB/s of UTF-8 report text.

use std::time::Instant;

fn main() {
    let mut seconds = 3.0;
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--seconds" {
            seconds = args.next().and_then(|s| s.parse().ok()).unwrap_or(3.0);
        } else {
            paths.push(std::path::PathBuf::from(a));
        }
    }
    let files = fazhi_analyze::run::collect_files(&paths).expect("paths");
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).expect("read");
            (
                p.display().to_string(),
                fazhi_analyze::decode::to_text(&p.display().to_string(), &bytes).expect("decode"),
            )
        })
        .collect();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let start = Instant::now();
    let mut rounds = 0u64;
    let mut figures = 0usize;
    while start.elapsed().as_secs_f64() < seconds || rounds == 0 {
        for (name, text) in &texts {
            let r = fazhi_analyze::analyze_text(name, text);
            figures += r.figures.len() + r.checks.len() + r.sections.len();
        }
        rounds += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = bytes as f64 * rounds as f64 / 1e6;
    println!(
        "{} reports, {:.2} MB per round, {rounds} rounds in {secs:.2} s on one thread: {:.1} MB/s ({} items)",
        texts.len(),
        bytes as f64 / 1e6,
        mb / secs,
        figures
    );
}
