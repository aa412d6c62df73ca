//! Tracking codes (查询码) for the public status page.
//!
//! Ten characters from a 27-character alphabet without look-alikes (≈47.5 bits):
//! no 0/O, 1/I/L, 2/Z, 5/S, 8/B or U/V pairs can be confused. Guessing is also
//! rate-limited by the web layer, and the public page shows no personal data.

use std::fmt;
use std::str::FromStr;

use rand::Rng;
use serde::{Deserialize, Serialize};

/// Characters a tracking code is made of.
pub const TRACKING_ALPHABET: &[u8; 27] = b"23456789ACDEFGHJKMNPQRTVWXY";

/// Length of a tracking code.
pub const TRACKING_CODE_LEN: usize = 10;

/// Why user input is not a tracking code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrackingCodeError {
    /// Wrong number of characters.
    #[error("查询码应为{TRACKING_CODE_LEN}位字母和数字，请核对")]
    Length,
    /// A character outside the alphabet.
    #[error("查询码中含有无效字符「{0}」，请核对")]
    Char(char),
}

/// A tracking code in canonical form (upper case, no separators).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrackingCode(String);

impl TrackingCode {
    /// Generates a fresh code from `rng` (the caller passes a CSPRNG).
    pub fn generate<G: Rng + ?Sized>(rng: &mut G) -> TrackingCode {
        let n = TRACKING_ALPHABET.len() as u32;
        // Rejection sampling keeps every character equally likely.
        let limit = u32::MAX - u32::MAX % n;
        let mut s = String::with_capacity(TRACKING_CODE_LEN);
        while s.len() < TRACKING_CODE_LEN {
            let x = rng.next_u32();
            if x < limit {
                s.push(TRACKING_ALPHABET[(x % n) as usize] as char);
            }
        }
        TrackingCode(s)
    }

    /// Normalises user input: case-insensitive, spaces and dashes ignored,
    /// full-width characters and common misreadings (B→8, S→5, Z→2, U→V) accepted.
    pub fn parse(input: &str) -> Result<TrackingCode, TrackingCodeError> {
        let mut s = String::with_capacity(TRACKING_CODE_LEN);
        for c in input.chars() {
            let c = fold_width(c).to_ascii_uppercase();
            let c = match c {
                ' ' | '-' | '_' | '\t' | '\u{3000}' => continue,
                'B' => '8',
                'S' => '5',
                'Z' => '2',
                'U' => 'V',
                c => c,
            };
            if !c.is_ascii() || !TRACKING_ALPHABET.contains(&(c as u8)) {
                return Err(TrackingCodeError::Char(c));
            }
            s.push(c);
        }
        if s.len() != TRACKING_CODE_LEN {
            return Err(TrackingCodeError::Length);
        }
        Ok(TrackingCode(s))
    }

    /// The canonical form, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Grouped for printing and reading aloud, e.g. `K7M3P-X9QRT`.
    pub fn display_grouped(&self) -> String {
        let (a, b) = self.0.split_at(TRACKING_CODE_LEN / 2);
        format!("{a}-{b}")
    }
}

/// A stored code as people read it (`K7M3P-X9QRT`): the one format on every page,
/// document and export. A value that is not a code is shown as it is.
pub fn shown(stored: &str) -> String {
    TrackingCode::parse(stored).map_or_else(|_| stored.to_string(), |c| c.display_grouped())
}

/// Maps full-width ASCII (Chinese input methods) to half-width.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        c => c,
    }
}

impl fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for TrackingCode {
    type Err = TrackingCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TrackingCode::parse(s)
    }
}

impl Serialize for TrackingCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for TrackingCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        TrackingCode::parse(&s).map_err(serde::de::Error::custom)
    }
}
