//! Time per analysis phase (for optimisation work): `--example phases -- DIR`;
//! for each report and phase the fastest of 40 rounds.
use fazhi_analyze::*;
use std::time::Instant;

fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let files = run::collect_files(&paths).unwrap();
    let texts: Vec<String> = files
        .iter()
        .map(|p| decode::to_text(&p.display().to_string(), &std::fs::read(p).unwrap()).unwrap())
        .collect();
    // The machine is shared: keep the fastest time of each phase on each report over
    // the rounds (a report takes microseconds, so most runs are not interrupted).
    let mut best = vec![[f64::MAX; 6]; texts.len()];
    let rounds = 40;
    for _ in 0..rounds {
        for (text, best) in texts.iter().zip(&mut best) {
            let a = Instant::now();
            let d = doc::Doc::new(text);
            let b = Instant::now();
            let (secs, num) = sections::find_sections(&d);
            let c = Instant::now();
            let mut figs = figures::find_figures(&d);
            let e = Instant::now();
            indicator::label_all(&d.chars, &mut figs);
            let f = Instant::now();
            let m = meta::read_meta(&d, &secs);
            let g = Instant::now();
            let ch = checks::run_checks(&d, &secs, &num, &figs, &m, Default::default());
            let h = Instant::now();
            std::hint::black_box(ch);
            for (k, (x, y)) in [(a, b), (b, c), (c, e), (e, f), (f, g), (g, h)]
                .iter()
                .enumerate()
            {
                best[k] = best[k].min((*y - *x).as_secs_f64());
            }
        }
    }
    let names = ["doc", "sections", "figures", "indicator", "meta", "checks"];
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let mut total = 0.0;
    for (k, n) in names.iter().enumerate() {
        let v: f64 = best.iter().map(|b| b[k]).sum();
        total += v;
        println!(
            "{n:10} {:8.1} µs/round  {:7.1} MB/s",
            v * 1e6,
            bytes as f64 / v / 1e6
        );
    }
    println!(
        "{:10} {:8.1} µs/round  {:7.1} MB/s",
        "total",
        total * 1e6,
        bytes as f64 / total / 1e6
    );
}
