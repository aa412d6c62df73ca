//! Time per analysis phase (for optimisation work): `--example phases -- DIR`.
use fazhi_analyze::*;
use std::time::Instant;

fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let files = run::collect_files(&paths).unwrap();
    let texts: Vec<String> = files
        .iter()
        .map(|p| decode::to_text(&p.display().to_string(), &std::fs::read(p).unwrap()).unwrap())
        .collect();
    let mut t = [0f64; 7];
    let rounds = 300;
    for _ in 0..rounds {
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
    }
    let names = ["doc", "sections", "figures", "indicator", "meta", "checks"];
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    for (n, v) in names.iter().zip(t) {
        println!(
            "{n:10} {:8.1} µs/round  {:7.1} MB/s",
            v / rounds as f64 * 1e6,
            bytes as f64 / (v / rounds as f64) / 1e6
        );
    }
}
