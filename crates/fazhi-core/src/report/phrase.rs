//! How the reports write numbers: counts with their measure word, rates with up to
//! two decimals (never "100.00%"), and year-on-year change as 同比增长 / 同比下降.

/// "1234件", "56人次".
pub fn count(n: i64, measure: &str) -> String {
    format!("{n}{measure}")
}

/// A share in percent with up to two decimals and no trailing zeros: "98.5%",
/// "100%" only when every one is counted; None when there is nothing to divide.
pub fn percent(part: i64, whole: i64) -> Option<String> {
    if whole <= 0 || part < 0 {
        return None;
    }
    if part == whole {
        return Some("100%".into());
    }
    // Rounded down at two decimals, so a share short of all never reads as 100%.
    let hundredths = (part as i128 * 10_000 / whole as i128) as i64;
    Some(format!("{}%", decimals(hundredths)))
}

/// A value in hundredths written with up to two decimals: 9850 → "98.5".
fn decimals(hundredths: i64) -> String {
    let (whole, frac) = (hundredths / 100, hundredths % 100);
    match frac {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

/// "同比增长12.5%", "同比下降3%", "与上年持平"; a first year has nothing to compare.
pub fn change(now: i64, before: i64) -> Option<String> {
    if before <= 0 {
        return None;
    }
    if now == before {
        return Some("与上年持平".into());
    }
    let diff = (now - before).abs() as i128;
    let hundredths = (diff * 10_000 / before as i128) as i64;
    let word = if now > before { "增长" } else { "下降" };
    Some(format!("同比{word}{}%", decimals(hundredths)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_the_reports_write_them() {
        assert_eq!(count(1234, "件"), "1234件");
        assert_eq!(percent(197, 200).as_deref(), Some("98.5%"));
        assert_eq!(percent(1, 3).as_deref(), Some("33.33%"));
        assert_eq!(percent(200, 200).as_deref(), Some("100%"));
        // 9999 of 10000 is not all of them.
        assert_eq!(percent(9_999, 10_000).as_deref(), Some("99.99%"));
        assert_eq!(percent(99_999, 100_000).as_deref(), Some("99.99%"));
        assert_eq!(percent(3, 0), None);
        assert_eq!(change(120, 100).as_deref(), Some("同比增长20%"));
        assert_eq!(change(97, 100).as_deref(), Some("同比下降3%"));
        assert_eq!(change(100, 100).as_deref(), Some("与上年持平"));
        assert_eq!(change(5, 0), None);
        assert_eq!(change(1, 3).as_deref(), Some("同比下降66.66%"));
    }
}
