//! Near-duplicate paragraphs across reports: boilerplate copied between townships, from
//! a county template or from last year, found even after the copier swapped names,
//! wrote 本镇 for 我镇, added or dropped a clause or changed a few words.
//!
//! 1. Each paragraph is normalised (`normalize`) and reduced to a MinHash signature of
//!    its character 3-grams; equal normalised texts are one *variant*.
//! 2. Variants that share an LSH band become candidates (`candidates`), and the
//!    signatures drop the chance collisions.
//! 3. The candidates' texts are read again and a pair is confirmed by the real 3-gram
//!    overlap (`similarity`), |A∩B| / min(|A|,|B|), so a paragraph copied into a longer
//!    one counts. Confirmed pairs join groups (`group`).
//! 4. Each group gets its likely source (a template, or the earliest issue date) and
//!    the differences of its members from it.
//!
//! Memory holds per paragraph its position and per variant a signature, not texts;
//! texts are read again (from disk, or from the upload) only for the few that matter.

mod candidates;
mod group;
pub mod normalize;
pub mod similarity;

pub use similarity::{Kind, Op, Segment};

use candidates::K;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

/// Default of [`Settings::threshold`]: measured in bench/README.md (near-duplicates).
pub const DEFAULT_THRESHOLD: f32 = 0.5;

/// How the finder decides.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Least 3-gram overlap (0–1) of two paragraphs to count as copies.
    pub threshold: f32,
    /// Paragraphs shorter than this (normalised characters) are headings or set phrases.
    pub min_chars: usize,
    /// Pairs with their differences listed per group (the rest only get a similarity).
    pub max_pairs: usize,
    /// Groups, in listing order, that get differences at all: bounds the time and
    /// memory of the diffs when formulaic text makes tens of thousands of groups.
    pub max_diffed_groups: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            threshold: DEFAULT_THRESHOLD,
            min_chars: 30,
            max_pairs: 20,
            max_diffed_groups: 2000,
        }
    }
}

/// Signature estimates this far below the threshold are still read and checked: the
/// estimate from 64 values is off by up to about this much.
const ESTIMATE_MARGIN: f32 = 0.2;

/// What is known of a report before its paragraphs are compared.
#[derive(Debug, Clone, Default)]
pub struct ReportInfo {
    /// The report.
    pub file: String,
    /// Short issuer name (余家镇).
    pub township: Option<String>,
    /// Issue date, ISO 8601.
    pub date: Option<String>,
    /// A template or earlier report given with `--against`, not one under review.
    pub reference: bool,
}

impl ReportInfo {
    /// Reads the township and date from the report's text: from its first 60 and last
    /// 30 lines, where the title, the page's fields and the signature are.
    pub fn read(file: &str, text: &str) -> ReportInfo {
        let lines = text.lines().count();
        let doc = if lines > 90 {
            let head: Vec<&str> = text.lines().take(60).collect();
            let tail: Vec<&str> = text.lines().skip(lines - 30).collect();
            crate::doc::Doc::new(&(head.join("\n") + "\n" + &tail.join("\n")))
        } else {
            crate::doc::Doc::new(text)
        };
        let (township, date) = crate::meta::issuer_and_date(&doc);
        ReportInfo {
            file: file.to_string(),
            township,
            date,
            reference: false,
        }
    }

    fn stem(&self) -> Option<Vec<char>> {
        self.township.as_deref().and_then(normalize::stem)
    }
}

/// One occurrence of a copied paragraph.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Member {
    /// The report.
    pub file: String,
    /// 1-based line of the paragraph.
    pub line: usize,
    /// The report's township, when its text names it.
    pub township: Option<String>,
    /// The report's issue date, when known.
    pub date: Option<String>,
    /// From the `--against` set (a template or an earlier year's report).
    pub reference: bool,
    /// 3-gram overlap with the group's source (or first member), 0–1.
    pub similarity: f32,
}

/// Two members and how they differ.
#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    /// Index in `members` of the source (or first member).
    pub a: usize,
    /// Index in `members` of the other.
    pub b: usize,
    /// 3-gram overlap, 0–1.
    pub similarity: f32,
    /// The two paragraphs as one sequence of same, old and new runs.
    pub diff: Vec<Segment>,
}

/// A group of paragraphs copied from one another.
#[derive(Debug, Clone, Serialize)]
pub struct Cluster {
    /// The paragraph as written by the source (or first member).
    pub text: String,
    /// Number of distinct reports it occurs in.
    pub reports: usize,
    /// Number of distinct townships among the reports under review (a report whose
    /// township is unknown counts as one).
    pub townships: usize,
    /// Every occurrence, ordered by file order and line.
    pub members: Vec<Member>,
    /// Index in `members` of the likely source: a reference paragraph, else the one
    /// with the strictly earliest issue date.
    pub source: Option<usize>,
    /// Some member is a template or an earlier year's report (`--against`).
    pub template: bool,
    /// The source (or first member) against up to [`Settings::max_pairs`] others
    /// (none beyond the first [`Settings::max_diffed_groups`] groups).
    pub pairs: Vec<Pair>,
}

/// One paragraph's fingerprint.
#[derive(Debug)]
struct Para {
    line: u32,
    exact: u64,
    size: u16,
    sig: [u16; K],
}

/// Paragraph fingerprints of one report, computed independently so reports can be
/// fingerprinted in parallel.
#[derive(Debug)]
pub struct Fingerprints {
    info: ReportInfo,
    paras: Vec<Para>,
}

/// The part of a line worth comparing: every report shares the standard headings, so
/// a numbered line is skipped when it is a short heading, and a run-in heading
/// ("1.决策机制不断完善。在老旧小区…") is cut off its paragraph.
fn body_of(line: &str) -> Option<&str> {
    let head: Vec<char> = line.chars().take(12).collect();
    if !crate::sections::is_heading_line(&head) {
        return Some(line);
    }
    let t = line.trim_end();
    if let Some((i, c)) = t
        .char_indices()
        .take(40)
        .find(|&(_, c)| c == '。' || c == '：')
        && i + c.len_utf8() < t.len()
    {
        return Some(&t[i + c.len_utf8()..]);
    }
    (t.chars().count() >= 50).then_some(t)
}

/// The normalised text of a line when it is a paragraph worth comparing.
fn comparable(line: &str, stem: Option<&[char]>, min_chars: usize) -> Option<Vec<char>> {
    let n = normalize::normalize(body_of(line)?, stem);
    (n.len() >= min_chars).then_some(n)
}

/// The paragraphs worth comparing: `(0-based line, normalised text)`.
fn paragraphs<'a>(
    text: &'a str,
    stem: Option<&'a [char]>,
    min_chars: usize,
) -> impl Iterator<Item = (usize, Vec<char>)> + 'a {
    text.lines()
        .enumerate()
        .filter_map(move |(i, line)| Some((i, comparable(line, stem, min_chars)?)))
}

/// Computes the fingerprints of one report's paragraphs, reading its township and date.
pub fn fingerprint(file: &str, text: &str) -> Fingerprints {
    fingerprint_with(ReportInfo::read(file, text), text, &Settings::default())
}

/// Computes the fingerprints of one report's paragraphs.
pub fn fingerprint_with(info: ReportInfo, text: &str, settings: &Settings) -> Fingerprints {
    let stem = info.stem();
    let paras = paragraphs(text, stem.as_deref(), settings.min_chars)
        .map(|(i, n)| {
            // The 3-gram count stands for the distinct count: repeats within one
            // paragraph are few, and the size only scales an estimate.
            let size = n.len().saturating_sub(normalize::SHINGLE - 1);
            Para {
                line: i as u32 + 1,
                exact: normalize::exact_hash(&n),
                size: size.min(u16::MAX as usize) as u16,
                sig: candidates::signature(normalize::shingles(&n)),
            }
        })
        .collect();
    Fingerprints { info, paras }
}

/// Collects fingerprints report by report; memory holds positions and one signature
/// per distinct paragraph, not texts (unless asked to keep them).
#[derive(Debug, Default)]
pub struct DupIndex {
    settings: Settings,
    reports: Vec<ReportInfo>,
    /// Texts of the reports, when the caller cannot read them again.
    texts: Vec<String>,
    /// Normalised-text hash → variant id.
    variants: HashMap<u64, u32>,
    /// `K` signature values per variant.
    sigs: Vec<u16>,
    /// Distinct 3-grams per variant.
    sizes: Vec<u16>,
    /// (report, line) of each variant's first occurrence.
    first: Vec<(u32, u32)>,
    /// (variant, report, line) of every paragraph.
    occ: Vec<(u32, u32, u32)>,
    /// When the index was made, for the phase times of `FAZHI_DUPS_TIMING`.
    started: Option<std::time::Instant>,
}

/// The 3-gram sets of the paragraphs read again, 16 bits per 3-gram in one arena (a
/// chance match of 16-bit hashes moves an overlap by about 0.002).
#[derive(Default)]
struct Shingles {
    at: HashMap<u32, (u32, u32)>,
    data: Vec<u16>,
}

impl Shingles {
    fn insert(&mut self, variant: u32, sh: Vec<u16>) {
        let start = self.data.len();
        self.data.extend(sh);
        self.data[start..].sort_unstable();
        let mut w = start;
        for r in start..self.data.len() {
            if w == start || self.data[r] != self.data[w - 1] {
                self.data[w] = self.data[r];
                w += 1;
            }
        }
        self.data.truncate(w);
        self.at.insert(variant, (start as u32, (w - start) as u32));
    }

    fn get(&self, variant: &u32) -> Option<&[u16]> {
        let &(s, n) = self.at.get(variant)?;
        Some(&self.data[s as usize..(s + n) as usize])
    }

    fn len(&self) -> usize {
        self.at.len()
    }
}

/// An occurrence while grouping: (report, line, variant).
type Occ = (u32, u32, u32);

/// Reads a report's text again by its index and info; `None` when it cannot.
pub trait Loader: Fn(usize, &ReportInfo) -> Option<String> + Sync {}
impl<T: Fn(usize, &ReportInfo) -> Option<String> + Sync> Loader for T {}

/// Reports whose texts are read again at once: bounds the memory of a re-read.
const LOAD_CHUNK: usize = 256;

impl DupIndex {
    /// An empty index with the default settings.
    pub fn new() -> Self {
        Self::with_settings(Settings::default())
    }

    /// An empty index.
    pub fn with_settings(settings: Settings) -> Self {
        DupIndex {
            settings,
            started: std::env::var_os("FAZHI_DUPS_TIMING").map(|_| std::time::Instant::now()),
            ..Self::default()
        }
    }

    /// The settings in use.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Adds one report's fingerprints; add reports in a fixed order for deterministic output.
    pub fn add(&mut self, fp: Fingerprints) {
        let idx = self.reports.len() as u32;
        self.reports.push(fp.info);
        for p in fp.paras {
            let next = self.first.len() as u32;
            let v = *self.variants.entry(p.exact).or_insert(next);
            if v == next {
                self.first.push((idx, p.line));
                self.sigs.extend_from_slice(&p.sig);
                self.sizes.push(p.size);
            }
            self.occ.push((v, idx, p.line));
        }
    }

    /// Adds a report and keeps its text for [`DupIndex::clusters`] (uploads, tests).
    pub fn add_text(&mut self, fp: Fingerprints, text: String) {
        self.texts.resize(self.reports.len(), String::new());
        self.add(fp);
        self.texts.push(text);
    }

    /// Groups of copies that span at least two reports, from the kept texts.
    pub fn clusters(mut self) -> Vec<Cluster> {
        let texts = std::mem::take(&mut self.texts);
        self.clusters_with(&|i: usize, _: &ReportInfo| texts.get(i).cloned())
    }

    /// Groups of copies that span at least two reports, ordered by the number of
    /// townships, then reports, sharing them. `load` reads a report's text again.
    pub fn clusters_with(mut self, load: &dyn Loader) -> Vec<Cluster> {
        let t = self.settings.threshold;
        let clock = Clock(self.started.map(std::cell::Cell::new));
        clock.lap(&format!(
            "{} reports read and fingerprinted",
            self.reports.len()
        ));
        // Variants in the order groups form around them: the most used first.
        let mut uses = vec![0u32; self.first.len()];
        for o in &self.occ {
            uses[o.0 as usize] += 1;
        }
        let mut order: Vec<u32> = (0..self.first.len() as u32).collect();
        order.sort_by_key(|&v| (std::cmp::Reverse(uses[v as usize]), v));
        drop(uses);
        let mut rank = vec![0u32; order.len()];
        for (i, &v) in order.iter().enumerate() {
            rank[v as usize] = i as u32;
        }
        drop(order);
        // 2. Candidates, less the chance collisions.
        let (sigs, sizes) = (&self.sigs, &self.sizes);
        let edges = candidates::candidates(sigs, &rank, |a, b| {
            let (a, b) = (a as usize, b as usize);
            let j =
                candidates::jaccard_estimate(&sigs[a * K..(a + 1) * K], &sigs[b * K..(b + 1) * K]);
            candidates::overlap_estimate(j, sizes[a] as usize, sizes[b] as usize)
                >= t - ESTIMATE_MARGIN
        });
        self.sigs = Vec::new();
        self.variants = HashMap::new();
        clock.lap(&format!(
            "{} candidate pairs of {} variants",
            edges.len(),
            self.sizes.len()
        ));
        // 3. Confirm with the real overlap on the texts read again.
        let mut needed = vec![false; self.first.len()];
        for &(a, b) in &edges {
            needed[a as usize] = true;
            needed[b as usize] = true;
        }
        let mut wanted: Vec<(u32, u32, u32)> = (0..self.first.len() as u32)
            .filter(|&v| needed[v as usize])
            .map(|v| (self.first[v as usize].0, self.first[v as usize].1, v))
            .collect();
        drop(needed);
        wanted.sort_unstable();
        let min_chars = self.settings.min_chars;
        let mut shingles = Shingles::default();
        self.read_lines(
            &wanted,
            load,
            |info, line| {
                let stem = info.stem();
                comparable(line, stem.as_deref(), min_chars).map(|n| {
                    normalize::shingles(&n)
                        .map(|h| h as u16)
                        .collect::<Vec<u16>>()
                })
            },
            |i, sh| shingles.insert(wanted[i as usize].2, sh),
        );
        drop(wanted);
        clock.lap(&format!("{} paragraphs read again", shingles.len()));
        let mut confirmed: Vec<(u32, u32, f32)> = edges
            .into_par_iter()
            .filter_map(|(a, b)| {
                let s = similarity::overlap(shingles.get(&a)?, shingles.get(&b)?);
                (s >= t).then_some((a, b, s))
            })
            .collect();
        let leader = group::leaders(&rank, &mut confirmed);
        drop(confirmed);
        // 4. Groups of occurrences.
        // Occurrences sorted by group (root variant), report and line.
        let mut rooted: Vec<(u32, Occ)> = std::mem::take(&mut self.occ)
            .into_iter()
            .map(|(v, r, l)| (leader[v as usize], (r, l, v)))
            .collect();
        rooted.par_sort_unstable();
        let mut out: Vec<(Cluster, Vec<Occ>)> = Vec::new();
        for run in rooted.chunk_by(|a, b| a.0 == b.0) {
            if run.len() < 2 {
                continue;
            }
            let occ: Vec<Occ> = run.iter().map(|o| o.1).collect();
            let mut files: Vec<u32> = occ.iter().map(|o| o.0).collect();
            files.dedup();
            let reviewed = occ.iter().any(|o| !self.reports[o.0 as usize].reference);
            if files.len() < 2 || !reviewed {
                continue;
            }
            out.push((self.cluster_of(&occ, files.len(), &shingles), occ));
        }
        drop(shingles);
        clock.lap(&format!("{} groups", out.len()));
        out.sort_by(|a, b| {
            (b.0.townships, b.0.reports)
                .cmp(&(a.0.townships, a.0.reports))
                .then_with(|| a.1.cmp(&b.1))
        });
        self.add_diffs(&mut out, load);
        clock.lap("differences");
        out.into_iter().map(|(c, _)| c).collect()
    }

    /// A group's members, source and similarities (texts and diffs come later).
    fn cluster_of(&self, occ: &[(u32, u32, u32)], reports: usize, shingles: &Shingles) -> Cluster {
        let info = |r: u32| &self.reports[r as usize];
        let keys: Vec<(Option<&str>, bool)> = occ
            .iter()
            .map(|o| (info(o.0).date.as_deref(), info(o.0).reference))
            .collect();
        let source = group::source(&keys);
        let hub = source.unwrap_or(0);
        let hv = occ[hub].2;
        let members = occ
            .iter()
            .map(|&(r, l, v)| Member {
                file: info(r).file.clone(),
                line: l as usize,
                township: info(r).township.clone(),
                date: info(r).date.clone(),
                reference: info(r).reference,
                similarity: if v == hv {
                    1.0
                } else {
                    match (shingles.get(&hv), shingles.get(&v)) {
                        (Some(x), Some(y)) => round(similarity::overlap(x, y)),
                        _ => 0.0,
                    }
                },
            })
            .collect();
        let mut towns: Vec<(Option<&str>, u32)> = occ
            .iter()
            .filter(|o| !info(o.0).reference)
            .map(|o| match info(o.0).township.as_deref() {
                Some(t) => (Some(t), 0),
                None => (None, o.0),
            })
            .collect();
        towns.sort_unstable();
        towns.dedup();
        Cluster {
            text: String::new(),
            reports,
            townships: towns.len(),
            members,
            source,
            template: occ.iter().any(|o| info(o.0).reference),
            pairs: Vec::new(),
        }
    }

    /// Reads the paragraphs shown (each group's source and the members it is compared
    /// with) and fills in the texts and differences.
    fn add_diffs(&self, out: &mut [(Cluster, Vec<Occ>)], load: &dyn Loader) {
        let cap = self.settings.max_diffed_groups;
        let max_of = |g: usize| if g < cap { self.settings.max_pairs } else { 0 };
        let mut wanted: Vec<(u32, u32, u32)> = Vec::new();
        for (g, (c, occ)) in out.iter().enumerate() {
            let hub = c.source.unwrap_or(0);
            let max = max_of(g);
            let shown = std::iter::once(hub).chain((0..occ.len()).filter(|&i| i != hub).take(max));
            wanted.extend(shown.map(|i| (occ[i].0, occ[i].1, 0)));
        }
        wanted.sort_unstable();
        wanted.dedup();
        let mut texts: HashMap<(u32, u32), String> = HashMap::new();
        self.read_lines(
            &wanted,
            load,
            |_, line| Some(line.trim().to_string()),
            |i, s| {
                texts.insert((wanted[i as usize].0, wanted[i as usize].1), s);
            },
        );
        let stem = |r: u32| -> String {
            self.reports[r as usize]
                .township
                .as_deref()
                .and_then(normalize::stem)
                .map(|s| s.into_iter().collect())
                .unwrap_or_default()
        };
        out.par_iter_mut().enumerate().for_each(|(g, (c, occ))| {
            let max = max_of(g);
            let hub = c.source.unwrap_or(0);
            let text_of = |i: usize| texts.get(&(occ[i].0, occ[i].1));
            c.text = text_of(hub).cloned().unwrap_or_default();
            let others: Vec<usize> = (0..occ.len()).filter(|&i| i != hub).take(max).collect();
            for b in others {
                let (Some(x), Some(y)) = (text_of(hub), text_of(b)) else {
                    continue;
                };
                let (sa, sb) = (stem(occ[hub].0), stem(occ[b].0));
                c.pairs.push(Pair {
                    a: hub,
                    b,
                    similarity: c.members[b].similarity,
                    diff: similarity::diff(x, y, &[&sa, &sb]),
                });
            }
        });
    }

    /// Reads again the given lines `(report, line, _)` (sorted), in parallel chunks of
    /// reports, maps each with `f` and hands `(index in wanted, value)` to `sink`.
    fn read_lines<T: Send>(
        &self,
        wanted: &[(u32, u32, u32)],
        load: &dyn Loader,
        f: impl Fn(&ReportInfo, &str) -> Option<T> + Sync,
        mut sink: impl FnMut(u32, T),
    ) {
        let mut ranges = Vec::new();
        let mut start = 0;
        for run in wanted.chunk_by(|a, b| a.0 == b.0) {
            ranges.push(start..start + run.len());
            start += run.len();
        }
        for chunk in ranges.chunks(LOAD_CHUNK) {
            let part: Vec<Vec<(u32, T)>> = chunk
                .par_iter()
                .map(|range| {
                    let r = wanted[range.start].0 as usize;
                    let info = &self.reports[r];
                    let Some(text) = load(r, info) else {
                        return Vec::new();
                    };
                    let mut got = Vec::new();
                    let mut k = range.start;
                    for (i, line) in text.lines().enumerate() {
                        if k == range.end {
                            break;
                        }
                        if wanted[k].1 as usize == i + 1 {
                            if let Some(v) = f(info, line) {
                                got.push((k as u32, v));
                            }
                            k += 1;
                        }
                    }
                    got
                })
                .collect();
            for (i, v) in part.into_iter().flatten() {
                sink(i, v);
            }
        }
    }
}

/// Phase times on stderr when `FAZHI_DUPS_TIMING` is set (for the benchmarks).
struct Clock(Option<std::cell::Cell<std::time::Instant>>);

impl Clock {
    fn lap(&self, what: &str) {
        if let Some(t) = &self.0 {
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let rss: Vec<&str> = status
                .lines()
                .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
                .collect();
            eprintln!(
                "dups: {what}: {:.2} s {}",
                t.get().elapsed().as_secs_f64(),
                rss.join(" ")
            );
            t.set(std::time::Instant::now());
        }
    }
}

fn round(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// Near-duplicate paragraphs across `(file name, text)` reports, default settings.
pub fn near_duplicates(reports: &[(String, String)]) -> Vec<Cluster> {
    near_duplicates_with(reports, &[], Settings::default())
}

/// Near-duplicate paragraphs across `reports`; `against` are templates or earlier
/// reports whose paragraphs are sources only.
pub fn near_duplicates_with(
    reports: &[(String, String)],
    against: &[(String, String)],
    settings: Settings,
) -> Vec<Cluster> {
    let all: Vec<(&(String, String), bool)> = against
        .iter()
        .map(|r| (r, true))
        .chain(reports.iter().map(|r| (r, false)))
        .collect();
    let fps: Vec<Fingerprints> = all
        .par_iter()
        .map(|((f, t), reference)| {
            let mut info = ReportInfo::read(f, t);
            info.reference = *reference;
            fingerprint_with(info, t, &settings)
        })
        .collect();
    let mut idx = DupIndex::with_settings(settings);
    for fp in fps {
        idx.add(fp);
    }
    idx.clusters_with(&|i: usize, _: &ReportInfo| Some(all[i].0.1.clone()))
}
