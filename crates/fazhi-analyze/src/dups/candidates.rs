//! Candidate pairs: MinHash signatures of the shingle sets, banded (LSH), so that only
//! paragraphs sharing a whole band are ever compared.
//!
//! Measured choice (bench/README.md): 64 values (one-permutation hashing) in 21 bands
//! of 3. A copy with a tenth of its characters changed keeps about 0.57 of its 3-grams
//! in common (Jaccard); such a pair shares at least one band with probability 0.98.
//! Bands of 2 found one copy more in 480 and five times the candidates (19 million
//! instead of 4 for 40,000 reports); the chance collisions of formulaic text are
//! dropped by the signature estimate before any text is read again.

use rayon::prelude::*;

/// MinHash values per paragraph.
pub const K: usize = 64;
/// Rows per LSH band.
pub const ROWS: usize = 3;
/// Bands.
pub const BANDS: usize = K / ROWS;
/// Buckets up to this size pair every member; in larger ones (a template used hundreds
/// of times, or a common phrase) each member is paired with the bucket's best-ranked
/// variant only, the most used and so the one a group forms around: at most one pair per
/// variant and band, however formulaic the text.
const SMALL_BUCKET: usize = 12;

/// The MinHash signature of a set of shingle hashes, by one-permutation hashing: each
/// shingle's hash picks a bin (its top bits) and competes for that bin's minimum, so a
/// shingle costs one step instead of K. Bins left empty borrow the value of a bin
/// chosen by a fixed probe sequence of their own (optimal densification), which keeps
/// equal bins as likely as equal minima. Values are kept to 16 bits.
pub fn signature(shingles: impl Iterator<Item = u32>) -> [u16; K] {
    const EMPTY: u32 = u32::MAX;
    let mut bins = [EMPTY; K];
    let mut any = false;
    for s in shingles {
        any = true;
        let bin = (s >> 26) as usize;
        let v = s & 0x03ff_ffff;
        if v < bins[bin] {
            bins[bin] = v;
        }
    }
    let mut sig = [0u16; K];
    if !any {
        return sig;
    }
    for i in 0..K {
        let mut v = bins[i];
        let mut probe = i as u64;
        while v == EMPTY {
            probe = super::normalize::mix(probe + 0x9e37_79b9);
            v = bins[(probe % K as u64) as usize];
        }
        sig[i] = v as u16;
    }
    sig
}

/// Share of equal values: an estimate of the Jaccard similarity.
pub fn jaccard_estimate(a: &[u16], b: &[u16]) -> f32 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f32 / a.len() as f32
}

/// Overlap |A∩B| / min(|A|,|B|) estimated from the Jaccard estimate and the set sizes.
pub fn overlap_estimate(j: f32, na: usize, nb: usize) -> f32 {
    let inter = j * (na + nb) as f32 / (1.0 + j);
    inter / na.min(nb).max(1) as f32
}

/// Candidate pairs `(a, b)`, `a < b`, of signatures stored `K` per id that `keep`
/// accepts, sorted. `rank` orders the variants (most used first): a large bucket is
/// paired with its best-ranked member.
pub fn candidates(
    sigs: &[u16],
    rank: &[u32],
    keep: impl Fn(u32, u32) -> bool + Sync,
) -> Vec<(u32, u32)> {
    let n = sigs.len() / K;
    let mut by_rank = vec![0u32; n];
    for (id, &r) in rank.iter().enumerate() {
        by_rank[r as usize] = id as u32;
    }
    let mut edges: Vec<u64> = (0..BANDS)
        .into_par_iter()
        .fold(Vec::new, |mut out: Vec<u64>, band| {
            let mut keys: Vec<(u64, u32)> = (0..n)
                .map(|id| {
                    let row = &sigs[id * K + band * ROWS..id * K + (band + 1) * ROWS];
                    let mut key = band as u64;
                    for &v in row {
                        key = super::normalize::mix(key ^ ((v as u64) << 8));
                    }
                    (key, rank[id])
                })
                .collect();
            keys.sort_unstable();
            for run in keys.chunk_by(|a, b| a.0 == b.0) {
                if run.len() < 2 {
                    continue;
                }
                let ids: Vec<u32> = run.iter().map(|r| by_rank[r.1 as usize]).collect();
                let upto = if ids.len() <= SMALL_BUCKET {
                    ids.len()
                } else {
                    1
                };
                for i in 0..upto {
                    for j in i + 1..ids.len() {
                        if keep(ids[i], ids[j]) {
                            out.push(pack(ids[i], ids[j]));
                        }
                    }
                }
            }
            out.sort_unstable();
            out.dedup();
            out
        })
        .reduce(Vec::new, |mut a, b| {
            a.extend(b);
            a
        });
    edges.par_sort_unstable();
    edges.dedup();
    edges
        .into_iter()
        .map(|e| ((e >> 32) as u32, e as u32))
        .collect()
}

fn pack(a: u32, b: u32) -> u64 {
    let (a, b) = if a < b { (a, b) } else { (b, a) };
    (a as u64) << 32 | b as u64
}
