//! Time per analysis phase (for optimisation work): `--example phases -- DIR`;
//! the fastest of 40 rounds for each phase.
use fazhi_analyze::*;
use std::time::Instant;

fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let files = run::collect_files(&paths).unwrap();
    let texts: Vec<String> = files
        .iter()
        .map(|p| decode::to_text(&p.display().to_string(), &std::fs::read(p).unwrap()).unwrap())
        .collect();
    // The machine is shared: report the fastest round of each phase, not the mean.
    let mut best = [f64::MAX; 6];
    let rounds = 40;
    for _ in 0..rounds {
        let mut t = [0f64; 6];
        for text in &texts {
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
            let ch = checks::run_checks(&d, &secs, &num, &figs, &m);
            let h = Instant::now();
            std::hint::black_box(ch);
            for (k, (x, y)) in [(a, b), (b, c), (c, e), (e, f), (f, g), (g, h)]
                .iter()
                .enumerate()
            {
                t[k] += (*y - *x).as_secs_f64();
            }
        }
        for k in 0..6 {
            best[k] = best[k].min(t[k]);
        }
    }
    let names = ["doc", "sections", "figures", "indicator", "meta", "checks"];
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    for (n, v) in names.iter().zip(best) {
        println!(
            "{n:10} {:8.1} µs/round  {:7.1} MB/s",
            v * 1e6,
            bytes as f64 / v / 1e6
        );
    }
    let total: f64 = best.iter().sum();
    println!(
        "{:10} {:8.1} µs/round  {:7.1} MB/s",
        "total",
        total * 1e6,
        bytes as f64 / total / 1e6
    );
}
