//! Amounts of money in fen (分), so surcharges and sums are exact.

/// Fen in one yuan.
pub const YUAN: i64 = 100;

/// Formats fen as yuan for documents and pages: "200" or "12.50".
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    if abs.is_multiple_of(100) {
        format!("{sign}{}", abs / 100)
    } else {
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// Parses a yuan amount typed by a person ("200", "12.5", "3,000.00") into fen.
pub fn parse_yuan(text: &str) -> Result<i64, String> {
    let t: String = text
        .trim()
        .trim_end_matches('元')
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    let bad = || {
        format!(
            "金额「{}」不是有效的数字（以元为单位，最多两位小数）",
            text.trim()
        )
    };
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || whole.len() > 12 {
        return Err(bad());
    }
    if frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    Ok(whole * 100 + frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_round_trips() {
        assert_eq!(yuan(20_000), "200");
        assert_eq!(yuan(1_250), "12.50");
        assert_eq!(parse_yuan("200").unwrap(), 20_000);
        assert_eq!(parse_yuan("3,000.5元").unwrap(), 300_050);
        assert!(parse_yuan("-5").is_err());
        assert!(parse_yuan("1.234").is_err());
        assert!(parse_yuan("").is_err());
        assert!(parse_yuan("abc").is_err());
    }
}
