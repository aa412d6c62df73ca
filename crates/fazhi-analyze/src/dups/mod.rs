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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            threshold: DEFAULT_THRESHOLD,
            min_chars: 30,
            max_pairs: 20,
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
    /// Reads the township and date from the report's text.
    pub fn read(file: &str, text: &str) -> ReportInfo {
        let doc = crate::doc::Doc::new(text);
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
    /// The source (or first member) against up to [`Settings::max_pairs`] others.
    pub pairs: Vec<Pair>,
}

/// One paragraph's fingerprint.
#[derive(Debug)]
struct Para {
    line: u32,
    exact: u64,
    size: u16,
    sig: [u32; K],
}

/// Paragraph fingerprints of one report, computed independently so reports can be
/// fingerprinted in parallel.
#[derive(Debug)]
pub struct Fingerprints {
    info: ReportInfo,
    paras: Vec<Para>,
}

/// The paragraphs worth comparing: `(0-based line, normalised text)`.
fn paragraphs<'a>(
    text: &'a str,
    stem: Option<&'a [char]>,
    min_chars: usize,
) -> impl Iterator<Item = (usize, &'a str, Vec<char>)> + 'a {
    text.lines().enumerate().filter_map(move |(i, line)| {
        // Every report shares the standard headings; only body paragraphs are of interest.
        let head: Vec<char> = line.chars().take(12).collect();
        if crate::sections::is_heading_line(&head) && line.chars().count() < 80 {
            return None;
        }
        let n = normalize::normalize(line, stem);
        (n.len() >= min_chars).then_some((i, line, n))
    })
}

/// Computes the fingerprints of one report's paragraphs, reading its township and date.
pub fn fingerprint(file: &str, text: &str) -> Fingerprints {
    fingerprint_with(ReportInfo::read(file, text), text, &Settings::default())
}

/// Computes the fingerprints of one report's paragraphs.
pub fn fingerprint_with(info: ReportInfo, text: &str, settings: &Settings) -> Fingerprints {
    let stem = info.stem();
    let paras = paragraphs(text, stem.as_deref(), settings.min_chars)
        .map(|(i, _, n)| {
            let sh = normalize::shingles(&n);
            Para {
                line: i as u32 + 1,
                exact: normalize::exact_hash(&n),
                size: sh.len().min(u16::MAX as usize) as u16,
                sig: candidates::signature(&sh),
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
    sigs: Vec<u32>,
    /// Distinct 3-grams per variant.
    sizes: Vec<u16>,
    /// (report, line) of each variant's first occurrence.
    first: Vec<(u32, u32)>,
    /// (variant, report, line) of every paragraph.
    occ: Vec<(u32, u32, u32)>,
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
        Self::default()
    }

    /// An empty index.
    pub fn with_settings(settings: Settings) -> Self {
        DupIndex {
            settings,
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
        // 2. Candidates, less the chance collisions.
        let edges: Vec<(u32, u32)> = candidates::candidates(&self.sigs)
            .into_par_iter()
            .filter(|&(a, b)| {
                let (a, b) = (a as usize, b as usize);
                let j = candidates::jaccard_estimate(
                    &self.sigs[a * K..(a + 1) * K],
                    &self.sigs[b * K..(b + 1) * K],
                );
                candidates::overlap_estimate(j, self.sizes[a] as usize, self.sizes[b] as usize)
                    >= t - ESTIMATE_MARGIN
            })
            .collect();
        self.sigs = Vec::new();
        self.variants = HashMap::new();
        // 3. Confirm with the real overlap on the texts read again.
        let mut wanted: Vec<(u32, u32, u32)> = edges
            .iter()
            .flat_map(|&(a, b)| [a, b])
            .map(|v| (self.first[v as usize].0, self.first[v as usize].1, v))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let min_chars = self.settings.min_chars;
        let shingles: HashMap<u32, Vec<u32>> = self
            .read_lines(&wanted, load, |info, line| {
                let stem = info.stem();
                let n = normalize::normalize(line, stem.as_deref());
                (n.len() >= min_chars).then(|| normalize::shingles(&n))
            })
            .into_iter()
            .map(|(i, sh)| (wanted[i as usize].2, sh))
            .collect();
        let mut uf = group::UnionFind::new(self.first.len());
        let confirmed: Vec<(u32, u32)> = edges
            .into_par_iter()
            .filter(|(a, b)| match (shingles.get(a), shingles.get(b)) {
                (Some(x), Some(y)) => similarity::overlap(x, y) >= t,
                _ => false,
            })
            .collect();
        for (a, b) in confirmed {
            uf.union(a, b);
        }
        // 4. Groups of occurrences.
        let mut groups: HashMap<u32, Vec<(u32, u32, u32)>> = HashMap::new();
        for &(v, r, l) in &self.occ {
            groups.entry(uf.find(v)).or_default().push((r, l, v));
        }
        self.occ = Vec::new();
        let mut out: Vec<(Cluster, Vec<Occ>)> = Vec::new();
        for (_, mut occ) in groups {
            occ.sort_unstable();
            let mut files: Vec<u32> = occ.iter().map(|o| o.0).collect();
            files.dedup();
            let reviewed = occ.iter().any(|o| !self.reports[o.0 as usize].reference);
            if files.len() < 2 || !reviewed {
                continue;
            }
            out.push((self.cluster_of(&occ, files.len(), &shingles), occ));
        }
        drop(shingles);
        out.sort_by(|a, b| {
            (b.0.townships, b.0.reports)
                .cmp(&(a.0.townships, a.0.reports))
                .then_with(|| a.1.cmp(&b.1))
        });
        self.add_diffs(&mut out, load);
        out.into_iter().map(|(c, _)| c).collect()
    }

    /// A group's members, source and similarities (texts and diffs come later).
    fn cluster_of(
        &self,
        occ: &[(u32, u32, u32)],
        reports: usize,
        shingles: &HashMap<u32, Vec<u32>>,
    ) -> Cluster {
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
        let max = self.settings.max_pairs;
        let mut wanted: Vec<(u32, u32, u32)> = Vec::new();
        for (c, occ) in out.iter() {
            let hub = c.source.unwrap_or(0);
            let shown = std::iter::once(hub).chain((0..occ.len()).filter(|&i| i != hub).take(max));
            wanted.extend(shown.map(|i| (occ[i].0, occ[i].1, 0)));
        }
        wanted.sort_unstable();
        wanted.dedup();
        let texts: HashMap<(u32, u32), String> = self
            .read_lines(&wanted, load, |_, line| Some(line.trim().to_string()))
            .into_iter()
            .map(|(i, s)| ((wanted[i as usize].0, wanted[i as usize].1), s))
            .collect();
        let stem = |r: u32| -> String {
            self.reports[r as usize]
                .township
                .as_deref()
                .and_then(normalize::stem)
                .map(|s| s.into_iter().collect())
                .unwrap_or_default()
        };
        out.par_iter_mut().for_each(|(c, occ)| {
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
    /// reports, and maps each with `f`; answers `(index in wanted, value)`.
    fn read_lines<T: Send>(
        &self,
        wanted: &[(u32, u32, u32)],
        load: &dyn Loader,
        f: impl Fn(&ReportInfo, &str) -> Option<T> + Sync,
    ) -> Vec<(u32, T)> {
        let mut ranges = Vec::new();
        let mut start = 0;
        for run in wanted.chunk_by(|a, b| a.0 == b.0) {
            ranges.push(start..start + run.len());
            start += run.len();
        }
        let mut out = Vec::new();
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
            out.extend(part.into_iter().flatten());
        }
        out
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
