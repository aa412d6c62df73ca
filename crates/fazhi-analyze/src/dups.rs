//! Paragraphs repeated across reports (boilerplate copied between townships or from
//! last year), compared after dropping numbers, whitespace and punctuation.

use serde::Serialize;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// Paragraphs shorter than this (after normalising) are headings or set phrases.
const MIN_CHARS: usize = 30;

/// One occurrence of a repeated paragraph.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Member {
    /// The report.
    pub file: String,
    /// 1-based line of the paragraph.
    pub line: usize,
}

/// A group of paragraphs that are the same apart from numbers and punctuation.
#[derive(Debug, Clone, Serialize)]
pub struct Cluster {
    /// The paragraph as written in one of its occurrences.
    pub text: String,
    /// Number of distinct reports it occurs in.
    pub reports: usize,
    /// Every occurrence, ordered by file and line.
    pub members: Vec<Member>,
}

/// Paragraph fingerprints of one report, computed independently so reports can be hashed in parallel.
#[derive(Debug)]
pub struct Fingerprints {
    file: String,
    /// (hash, 1-based line, paragraph text)
    paras: Vec<(u64, usize, String)>,
}

/// The normalised form: Han characters and Latin letters only, numerals removed.
pub fn normalize(para: &str) -> String {
    para.chars()
        .filter(|&c| {
            crate::doc::is_cjk(c) && !"零〇一二两三四五六七八九十百千万亿".contains(c)
                || c.is_ascii_alphabetic()
        })
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Computes the fingerprints of one report's paragraphs.
pub fn fingerprint(file: &str, text: &str) -> Fingerprints {
    let mut paras = Vec::new();
    for (i, line) in text.lines().enumerate() {
        // Every report shares the standard headings; only body paragraphs are of interest.
        let head: Vec<char> = line.chars().take(12).collect();
        if crate::sections::is_heading_line(&head) && line.chars().count() < 80 {
            continue;
        }
        let n = normalize(line);
        if n.chars().count() < MIN_CHARS {
            continue;
        }
        let mut h = std::collections::hash_map::DefaultHasher::new();
        n.hash(&mut h);
        paras.push((h.finish(), i + 1, line.trim().to_string()));
    }
    Fingerprints {
        file: file.to_string(),
        paras,
    }
}

/// Collects fingerprints report by report; memory holds hashes, not texts.
#[derive(Debug, Default)]
pub struct DupIndex {
    files: Vec<String>,
    /// hash → occurrences (file index, line)
    seen: HashMap<u64, Vec<(u32, u32)>>,
    /// Text of a paragraph once it has occurred twice.
    samples: HashMap<u64, String>,
}

impl DupIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one report's fingerprints; add reports in a fixed order for deterministic output.
    pub fn add(&mut self, fp: Fingerprints) {
        let idx = self.files.len() as u32;
        self.files.push(fp.file);
        for (h, line, text) in fp.paras {
            let e = self.seen.entry(h).or_default();
            e.push((idx, line as u32));
            if e.len() == 2 {
                self.samples.entry(h).or_insert(text);
            }
        }
    }

    /// Clusters that span at least two reports, largest first.
    pub fn clusters(self) -> Vec<Cluster> {
        let mut out: Vec<Cluster> = Vec::new();
        for (h, occ) in self.seen {
            let mut files: Vec<u32> = occ.iter().map(|o| o.0).collect();
            files.sort_unstable();
            files.dedup();
            if files.len() < 2 {
                continue;
            }
            let mut members: Vec<(u32, u32)> = occ;
            members.sort_unstable();
            out.push(Cluster {
                text: self.samples.get(&h).cloned().unwrap_or_default(),
                reports: files.len(),
                members: members
                    .into_iter()
                    .map(|(f, l)| Member {
                        file: self.files[f as usize].clone(),
                        line: l as usize,
                    })
                    .collect(),
            });
        }
        out.sort_by(|a, b| {
            b.reports
                .cmp(&a.reports)
                .then_with(|| a.members.cmp(&b.members))
        });
        out
    }
}

/// Near-duplicate paragraphs across `(file name, text)` reports.
pub fn near_duplicates(reports: &[(String, String)]) -> Vec<Cluster> {
    use rayon::prelude::*;
    let fps: Vec<Fingerprints> = reports.par_iter().map(|(f, t)| fingerprint(f, t)).collect();
    let mut idx = DupIndex::new();
    for fp in fps {
        idx.add(fp);
    }
    idx.clusters()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_punctuation_are_ignored() {
        let a = "全年开展普法宣传活动12次，发放宣传资料3000份，群众法治意识明显增强，社会治理水平持续提升。";
        let b = "全年开展普法宣传活动15次;发放宣传资料 5000 份、群众法治意识明显增强，社会治理水平持续提升";
        let c = "全年开展矛盾纠纷排查化解工作，化解矛盾纠纷120件，调解成功率达到百分之九十八以上。";
        let reports = vec![
            ("a.txt".to_string(), a.to_string()),
            ("b.txt".to_string(), b.to_string()),
            ("c.txt".to_string(), c.to_string()),
        ];
        let clusters = near_duplicates(&reports);
        assert_eq!(clusters.len(), 1);
        assert_eq!(clusters[0].reports, 2);
        assert_eq!(clusters[0].members[0].file, "a.txt");
        assert_eq!(clusters[0].members[1].file, "b.txt");
    }
}
