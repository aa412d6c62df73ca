//! Character sets as 64K-bit tables: one load and one bit test per character, no
//! branch per candidate, for the loops that look at every character of a report.

/// A set of Basic Multilingual Plane characters.
pub struct CharSet([u64; 1024]);

impl CharSet {
    /// Builds the set at compile time.
    pub const fn new(chars: &[char]) -> CharSet {
        let mut bits = [0u64; 1024];
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i] as u32;
            if c < 0x10000 {
                bits[(c >> 6) as usize] |= 1 << (c & 63);
            }
            i += 1;
        }
        CharSet(bits)
    }

    /// True when `c` is in the set.
    #[inline(always)]
    pub const fn has(&self, c: char) -> bool {
        let c = c as u32;
        c < 0x10000 && self.0[(c >> 6) as usize] & (1 << (c & 63)) != 0
    }
}

/// Characters that can start a figure: digits (half- and full-width) and Chinese numerals.
pub static NUMBER_START: CharSet = CharSet::new(&[
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '０', '１', '２', '３', '４', '５', '６',
    '７', '８', '９', '零', '〇', '一', '二', '两', '三', '四', '五', '六', '七', '八', '九', '十',
    '上', '百', '千',
]);

/// Chinese digits and 十 (the start of 一是 … items).
pub static CN_NUMERAL: CharSet = CharSet::new(&[
    '零', '〇', '一', '二', '两', '三', '四', '五', '六', '七', '八', '九', '十',
]);

/// Brackets and quotation marks.
pub static BRACKETS: CharSet = CharSet::new(&[
    '（', '）', '(', ')', '《', '》', '“', '”', '‘', '’', '【', '】', '〔', '〕', '「', '」', '[',
    ']',
]);

/// A set of phrases found by one pass over the text: a start-character table, then
/// the few phrases that begin with that character.
pub struct PhraseSet {
    start: Box<CharSet>,
    second: Box<CharSet>,
    buckets: Vec<Vec<Vec<char>>>,
}

impl PhraseSet {
    /// Builds the set of phrases of at least two characters (those sharing a first
    /// character are tried longest first).
    pub fn new(phrases: &[&str]) -> PhraseSet {
        let firsts: Vec<char> = phrases.iter().filter_map(|p| p.chars().next()).collect();
        let seconds: Vec<char> = phrases.iter().filter_map(|p| p.chars().nth(1)).collect();
        let mut buckets = vec![Vec::new(); 256];
        let mut sorted: Vec<Vec<char>> = phrases.iter().map(|p| p.chars().collect()).collect();
        sorted.sort_by_key(|p| std::cmp::Reverse(p.len()));
        for p in sorted.into_iter().filter(|p| !p.is_empty()) {
            buckets[p[0] as usize % 256].push(p);
        }
        PhraseSet {
            start: Box::new(CharSet::new(&firsts)),
            second: Box::new(CharSet::new(&seconds)),
            buckets,
        }
    }

    /// Length of the phrase starting at `i`, if any.
    #[inline]
    pub fn match_at(&self, chars: &[char], i: usize) -> Option<usize> {
        let c = chars[i];
        // Two table lookups reject almost every position before any comparison.
        if !self.start.has(c) || chars.get(i + 1).is_none_or(|&d| !self.second.has(d)) {
            return None;
        }
        self.buckets[c as usize % 256]
            .iter()
            .find(|p| chars.len() - i >= p.len() && chars[i..i + p.len()] == p[..])
            .map(|p| p.len())
    }

    /// True when any phrase occurs in `chars`.
    pub fn occurs_in(&self, chars: &[char]) -> bool {
        (0..chars.len()).any(|i| self.match_at(chars, i).is_some())
    }
}

/// Brackets, quotation marks and 年 (the end of a date's year): the characters the
/// proofreader's single pass stops at.
pub static BRACKETS_AND_YEAR: CharSet = CharSet::new(&[
    '（', '）', '(', ')', '《', '》', '“', '”', '‘', '’', '【', '】', '〔', '〕', '「', '」', '[',
    ']', '年',
]);

/// Classes of the characters the analysis stops at, one bit each, so that a single
/// pass over the text ([`crate::doc::Doc::new`]) can note every position any later
/// step wants to look at; those steps then visit only the noted positions.
pub mod class {
    /// Can start a figure ([`super::NUMBER_START`]).
    pub const NUMBER: u8 = 1;
    /// Chinese digit or 十, the start of 一是 items ([`super::CN_NUMERAL`]).
    pub const CN_NUMERAL: u8 = 2;
    /// Bracket, quotation mark or 年 ([`super::BRACKETS_AND_YEAR`]).
    pub const BRACKET_OR_YEAR: u8 = 4;
    /// First character of a spam phrase ([`crate::chrome::SPAM_MARKERS`]).
    pub const SPAM: u8 = 8;
    /// First character of an issuing-body suffix (人民政府, 办事处, 委员会, 党委 …).
    pub const ISSUER: u8 = 16;
    /// Line feed.
    pub const NEWLINE: u8 = 32;
}

/// Class bits of every Basic Multilingual Plane character (zero for most).
pub static CLASS: [u8; 0x10000] = {
    let mut t = [0u8; 0x10000];
    let mut c = 0usize;
    while c < 0x10000 {
        if let Some(ch) = char::from_u32(c as u32) {
            let mut bits = 0;
            if NUMBER_START.has(ch) {
                bits |= class::NUMBER;
            }
            if CN_NUMERAL.has(ch) {
                bits |= class::CN_NUMERAL;
            }
            if BRACKETS_AND_YEAR.has(ch) {
                bits |= class::BRACKET_OR_YEAR;
            }
            if SPAM_START.has(ch) {
                bits |= class::SPAM;
            }
            if matches!(ch, '人' | '办' | '委' | '党') {
                bits |= class::ISSUER;
            }
            if ch == '\n' {
                bits |= class::NEWLINE;
            }
            t[c] = bits;
        }
        c += 1;
    }
    t
};

/// Blocks of 256 characters that hold classed characters (block 0 is all zero).
const CLASS_BLOCKS: usize = 32;

/// Block number in [`CLASS_TABLE`] of each 256-character block of the BMP.
static CLASS_INDEX: [u8; 256] = {
    let mut index = [0u8; 256];
    let mut next = 1;
    let mut hi = 0;
    while hi < 256 {
        let mut lo = 0;
        while lo < 256 {
            if CLASS[hi * 256 + lo] != 0 {
                assert!(next < CLASS_BLOCKS, "too many character blocks");
                index[hi] = next as u8;
                next += 1;
                break;
            }
            lo += 1;
        }
        hi += 1;
    }
    index
};

/// [`CLASS`] compressed to the blocks that matter: about 8 KB, which stays in the L1
/// cache (the 64 KB table does not), looked up without a branch.
static CLASS_TABLE: [[u8; 256]; CLASS_BLOCKS] = {
    let mut t = [[0u8; 256]; CLASS_BLOCKS];
    let mut hi = 0;
    while hi < 256 {
        let b = CLASS_INDEX[hi] as usize;
        let mut lo = 0;
        while lo < 256 {
            t[b][lo] = CLASS[hi * 256 + lo];
            lo += 1;
        }
        hi += 1;
    }
    t
};

/// Class bits of `c`.
#[inline(always)]
pub fn class_of(c: char) -> u8 {
    let c = c as u32;
    let block = CLASS_INDEX.get((c >> 8) as usize).copied().unwrap_or(0);
    CLASS_TABLE[block as usize][(c & 0xff) as usize]
}

/// First characters of the spam phrases (checked against the list by a unit test).
static SPAM_START: CharSet = CharSet::new(&[
    '皇', '足', '博', '百', '六', '时', '北', '幸', '娱', '真', '棋', '老', '新', '威', '太', '体',
    '在', '网', '赌', '开', '买', '电', '菠',
]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spam_start_covers_every_spam_phrase() {
        for p in crate::chrome::SPAM_MARKERS {
            let first = p.chars().next().unwrap();
            assert!(SPAM_START.has(first), "{p}");
            assert!(class_of(first) & class::SPAM != 0, "{p}");
        }
        for c in 0..0x11000u32 {
            let Some(ch) = char::from_u32(c) else {
                continue;
            };
            let want = if c < 0x10000 { CLASS[c as usize] } else { 0 };
            assert_eq!(class_of(ch), want, "{c:x}");
        }
    }
}
