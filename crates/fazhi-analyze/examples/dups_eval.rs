//! Recall and precision of the near-duplicate finder on a labelled corpus
//! (`gen_corpus --edits` or `gen_corpus --seeds`):
//! `cargo run --release -p fazhi-analyze --example dups_eval -- DIR [--similarity T] [--pred CLUSTERS.json | --listing LISTING.txt] [-v]`
//!
//! Runs `fazhi analyze --dups` (the same code) over DIR, or scores another finder's
//! groups (`--pred`: a JSON array of `{"members":[{"file","line"}]}`, paths as given
//! under DIR or relative to it), or the text listing of `fazhi analyze --dups` (`--listing`,
//! also that of earlier versions). A labelled paragraph is found when its group's most
//! common label is its own and holds another paragraph of it; precision is the share
//! of grouped paragraphs whose label is their group's (unlabelled ones count as wrong).

use fazhi_analyze::{dups, run};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let mut dir = None;
    let mut pred = None;
    let mut listing = None;
    let mut verbose = false;
    let mut settings = dups::Settings::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--similarity" => {
                settings.threshold = args.next().and_then(|s| s.parse().ok()).expect("T")
            }
            "--pred" => pred = args.next().map(PathBuf::from),
            "--listing" => listing = args.next().map(PathBuf::from),
            "-v" => verbose = true,
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let dir = dir.expect("usage: dups_eval DIR [--similarity T] [--pred FILE] [-v]");
    let labels = read_labels(&dir);
    let start = Instant::now();
    let groups: Vec<Vec<(String, usize)>> = match (&pred, &listing) {
        (_, Some(p)) => {
            // "重复段落 …" starts a group; "  FILE:LINE …" lines are its members.
            let text = std::fs::read_to_string(p).expect("read --listing");
            let mut groups: Vec<Vec<(String, usize)>> = Vec::new();
            for l in text.lines() {
                if l.starts_with("重复段落") {
                    groups.push(Vec::new());
                } else if let Some(m) = l.strip_prefix("  ")
                    && !m.starts_with("差异")
                    && let Some(g) = groups.last_mut()
                {
                    let first = m.split(' ').next().unwrap_or(m);
                    if let Some((f, n)) = first.rsplit_once(':')
                        && let Ok(n) = n.parse()
                    {
                        g.push((rel(&dir, f), n));
                    }
                }
            }
            groups
        }
        (Some(p), None) => {
            let v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(p).expect("read --pred")).expect("JSON");
            v.as_array()
                .expect("array")
                .iter()
                .map(|c| {
                    c["members"]
                        .as_array()
                        .expect("members")
                        .iter()
                        .map(|m| {
                            (
                                rel(&dir, m["file"].as_str().expect("file")),
                                m["line"].as_u64().expect("line") as usize,
                            )
                        })
                        .collect()
                })
                .collect()
        }
        (None, None) => {
            let files = run::collect_files(std::slice::from_ref(&dir)).expect("files");
            run::find_dups(&files, &[], settings)
                .expect("dups")
                .into_iter()
                .map(|c| {
                    c.members
                        .into_iter()
                        .map(|m| (rel(&dir, &m.file), m.line))
                        .collect()
                })
                .collect()
        }
    };
    let secs = start.elapsed().as_secs_f64();
    // Per labelled paragraph: found or not.
    let mut found: HashMap<(String, usize), bool> = HashMap::new();
    let (mut right, mut grouped, mut mixed) = (0usize, 0usize, 0usize);
    for g in &groups {
        let ids: Vec<Option<&str>> = g
            .iter()
            .map(|k| labels.get(k).map(|l| l.0.as_str()))
            .collect();
        let mut count: HashMap<&str, usize> = HashMap::new();
        for id in ids.iter().flatten() {
            *count.entry(id).or_default() += 1;
        }
        let top = count
            .iter()
            .max_by_key(|(id, n)| (**n, std::cmp::Reverse(**id)))
            .map(|(id, n)| (*id, *n));
        let good = ids
            .iter()
            .filter(|id| top.is_some_and(|t| **id == Some(t.0)))
            .count();
        grouped += g.len();
        right += good;
        if good < g.len() {
            mixed += 1;
            if verbose {
                eprintln!(
                    "mixed group: {:?}",
                    g.iter().zip(&ids).take(12).collect::<Vec<_>>()
                );
            }
        }
        if let Some((t, n)) = top
            && n >= 2
        {
            for (k, id) in g.iter().zip(&ids) {
                if *id == Some(t) {
                    found.insert(k.clone(), true);
                }
            }
        }
    }
    let mut per: Vec<(String, usize, usize)> = Vec::new();
    for (k, (_, edit)) in &labels {
        if edit == "seed" {
            continue;
        }
        let kind = bucket(edit);
        let hit = found.get(k).copied().unwrap_or(false);
        match per.iter_mut().find(|p| p.0 == kind) {
            Some(p) => {
                p.1 += hit as usize;
                p.2 += 1;
            }
            None => per.push((kind, hit as usize, 1)),
        }
        if verbose && !hit {
            eprintln!("missed {}:{} {edit}", k.0, k.1);
        }
    }
    per.sort();
    let (mut hits, mut all) = (0, 0);
    println!("edit            found / copies  recall");
    for (kind, h, n) in &per {
        println!("{kind:<15} {h:>6} / {n:<6}  {:.3}", *h as f64 / *n as f64);
        hits += h;
        all += n;
    }
    println!(
        "all             {hits:>6} / {all:<6}  {:.3}",
        hits as f64 / all.max(1) as f64
    );
    println!(
        "precision {:.4} ({right} of {grouped} grouped paragraphs carry their group's label; {mixed} of {} groups mixed)",
        right as f64 / grouped.max(1) as f64,
        groups.len()
    );
    if pred.is_none() && listing.is_none() {
        println!("time {secs:.1} s (threshold {})", settings.threshold);
    }
}

/// Edit kinds, with character changes in three bands.
fn bucket(edit: &str) -> String {
    match edit
        .strip_prefix("chars:")
        .and_then(|p| p.parse::<u32>().ok())
    {
        Some(p) if p <= 5 => "chars 2-5%".into(),
        Some(p) if p <= 10 => "chars 6-10%".into(),
        Some(_) => "chars 11-15%".into(),
        None => edit.to_string(),
    }
}

fn rel(dir: &Path, file: &str) -> String {
    let d = dir.display().to_string();
    file.strip_prefix(&d)
        .map(|s| s.trim_start_matches('/'))
        .unwrap_or(file)
        .to_string()
}

/// `file \t line \t id \t edit` → (id, edit).
fn read_labels(dir: &Path) -> HashMap<(String, usize), (String, String)> {
    let text = std::fs::read_to_string(dir.join("labels.tsv")).expect("DIR/labels.tsv");
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some((
                (f.first()?.to_string(), f.get(1)?.parse().ok()?),
                (f.get(2)?.to_string(), f.get(3)?.to_string()),
            ))
        })
        .collect()
}
