//! The comparable form of a paragraph and its shingles.
//!
//! Only Han characters and Latin letters are kept (numbers, spaces and punctuation go),
//! the report's own township name becomes one placeholder and 我镇/本镇 become one form,
//! so that the edits a copier makes first (their own name, their own figures) are no
//! edits at all.

/// Stands for the report's own township name.
pub const NAME: char = '\u{e000}';

/// Chinese numerals, dropped with the digits.
fn is_numeral(c: char) -> bool {
    matches!(
        c,
        '零' | '〇'
            | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '万'
            | '亿'
    )
}

/// Units after which 我/本 means "this township": 我镇 = 本镇.
fn is_unit(c: char) -> bool {
    matches!(c, '镇' | '乡' | '村' | '街' | '区' | '县' | '局' | '所')
}

fn kept(c: char) -> bool {
    crate::doc::is_cjk(c) && !is_numeral(c) || c.is_ascii_alphabetic()
}

/// The stem of a township name (余家镇 → 余家), in normalised form; `None` when too
/// short to mask safely.
pub fn stem(issuer: &str) -> Option<Vec<char>> {
    let mut s = issuer;
    for suffix in ["街道办事处", "街道", "镇", "乡"] {
        if let Some(t) = s.strip_suffix(suffix) {
            s = t;
            break;
        }
    }
    let v: Vec<char> = s.chars().filter(|&c| kept(c)).collect();
    (v.len() >= 2).then_some(v)
}

/// The normalised characters of a paragraph; `stem` is the report's own township name.
pub fn normalize(para: &str, stem: Option<&[char]>) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(para.len() / 3 + 1);
    for c in para.chars().filter(|&c| kept(c)) {
        let c = c.to_ascii_lowercase();
        if is_unit(c)
            && let Some(last) = out.last_mut()
            && *last == '我'
        {
            *last = '本';
        }
        out.push(c);
    }
    if let Some(stem) = stem {
        let mut i = 0;
        let mut w = 0;
        while i < out.len() {
            if out[i..].starts_with(stem) {
                out[w] = NAME;
                i += stem.len();
            } else {
                out[w] = out[i];
                i += 1;
            }
            w += 1;
        }
        out.truncate(w);
    }
    out
}

/// Characters per shingle: three keeps a shingle alive under scattered edits (a
/// changed character kills three) while two-character words shared by every report on
/// the topic do not make paragraphs alike.
pub const SHINGLE: usize = 3;

/// Hashes of the character 3-grams, in text order (repeats included).
pub fn shingles(n: &[char]) -> impl Iterator<Item = u32> + '_ {
    n.windows(SHINGLE).map(|w| {
        let x = (w[0] as u64) | (w[1] as u64) << 21 | (w[2] as u64) << 42;
        mix(x) as u32
    })
}

/// A 64-bit finaliser (splitmix64).
pub fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// 64-bit hash of the whole normalised text: equal texts are one paragraph variant.
pub fn exact_hash(n: &[char]) -> u64 {
    let mut h = 0x9e37_79b9_7f4a_7c15u64;
    for &c in n {
        h = mix(h ^ c as u64);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_name_and_we_forms_are_masked() {
        let s = stem("余家镇").unwrap();
        let a = normalize("余家镇2025年开展普法活动12次，我镇群众满意。", Some(&s));
        let t = stem("白沙镇").unwrap();
        let b = normalize("白沙镇2024年开展普法活动15次；本镇群众满意", Some(&t));
        assert_eq!(a, b);
        assert_eq!(a[0], NAME);
        assert!(stem("乡").is_none());
        assert_eq!(stem("高笋塘街道").unwrap(), vec!['高', '笋', '塘']);
    }
}
