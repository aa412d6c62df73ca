//! Candidate pairs: MinHash signatures of the shingle sets, banded (LSH), so that only
//! paragraphs sharing a whole band are ever compared.
//!
//! Measured choice (bench/README.md): 64 values in 32 bands of 2. A copy with a tenth
//! of its characters changed keeps about 0.57 of its 3-grams in common (Jaccard), and
//! two rows per band still make it a candidate in nearly every case; the many chance
//! collisions of formulaic text are dropped by the signature estimate before any text
//! is read again.

use rayon::prelude::*;

/// MinHash values per paragraph.
pub const K: usize = 64;
/// Rows per LSH band.
pub const ROWS: usize = 2;
/// Bands.
pub const BANDS: usize = K / ROWS;
/// Buckets up to this size pair every member; larger ones (a template used hundreds of
/// times, or a common phrase) are linked as a star and a chain, which keeps the work
/// linear while still connecting what is really alike.
const SMALL_BUCKET: usize = 12;

/// Seeds of the K hash permutations (odd multipliers, random xor masks).
fn params() -> &'static ([u32; K], [u32; K]) {
    static P: std::sync::OnceLock<([u32; K], [u32; K])> = std::sync::OnceLock::new();
    P.get_or_init(|| {
        let mut xs = [0u32; K];
        let mut ms = [0u32; K];
        for i in 0..K {
            let a = super::normalize::mix(0x5eed_0000 + i as u64);
            xs[i] = a as u32;
            ms[i] = ((a >> 32) as u32) | 1;
        }
        (xs, ms)
    })
}

/// The MinHash signature of a set of shingle hashes.
pub fn signature(shingles: &[u32]) -> [u32; K] {
    let (xs, ms) = params();
    let mut sig = [u32::MAX; K];
    for &s in shingles {
        // Fixed-size loop over arrays: the compiler vectorises it.
        for i in 0..K {
            let v = (s ^ xs[i]).wrapping_mul(ms[i]);
            let v = v ^ (v >> 15);
            sig[i] = sig[i].min(v);
        }
    }
    sig
}

/// Share of equal values: an estimate of the Jaccard similarity.
pub fn jaccard_estimate(a: &[u32], b: &[u32]) -> f32 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f32 / a.len() as f32
}

/// Overlap |A∩B| / min(|A|,|B|) estimated from the Jaccard estimate and the set sizes.
pub fn overlap_estimate(j: f32, na: usize, nb: usize) -> f32 {
    let inter = j * (na + nb) as f32 / (1.0 + j);
    inter / na.min(nb).max(1) as f32
}

/// Candidate pairs `(a, b)`, `a < b`, of signatures stored `K` per id, sorted.
pub fn candidates(sigs: &[u32]) -> Vec<(u32, u32)> {
    let n = sigs.len() / K;
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
                    (key, id as u32)
                })
                .collect();
            keys.sort_unstable();
            for run in keys.chunk_by(|a, b| a.0 == b.0) {
                if run.len() < 2 {
                    continue;
                }
                let ids: Vec<u32> = run.iter().map(|r| r.1).collect();
                if ids.len() <= SMALL_BUCKET {
                    for i in 0..ids.len() {
                        for j in i + 1..ids.len() {
                            out.push(pack(ids[i], ids[j]));
                        }
                    }
                } else {
                    for j in 1..ids.len() {
                        out.push(pack(ids[0], ids[j]));
                        if j > 1 {
                            out.push(pack(ids[j - 1], ids[j]));
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
