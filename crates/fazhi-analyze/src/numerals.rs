//! Numbers as report writers type them: Arabic digits (half- or full-width,
//! with decimals and thousands separators) and Chinese numerals (两万, 十余, 上百).

/// An exact decimal: `mantissa / 10^scale`, so 3.3万 folds to 33000 without float error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    /// Digits without the decimal point.
    pub mantissa: i128,
    /// Number of digits after the decimal point.
    pub scale: u32,
}

impl Decimal {
    /// An integer.
    pub fn int(v: i128) -> Decimal {
        Decimal {
            mantissa: v,
            scale: 0,
        }
    }

    /// Multiplies by an integer factor (万, 亿), dropping trailing decimals when exact.
    pub fn times(self, factor: i128) -> Decimal {
        let mut d = Decimal {
            mantissa: self.mantissa.saturating_mul(factor),
            scale: self.scale,
        };
        while d.scale > 0 && d.mantissa % 10 == 0 {
            d.mantissa /= 10;
            d.scale -= 1;
        }
        d
    }

    /// The value as a float (exact for integers below 2^53).
    pub fn to_f64(self) -> f64 {
        if self.scale == 0 {
            self.mantissa as f64
        } else {
            // Parsing the decimal string gives the closest double (98.69, not 98.69000000000001).
            format!("{}e-{}", self.mantissa, self.scale)
                .parse()
                .unwrap_or(f64::NAN)
        }
    }
}

/// Value of an Arabic digit, half- or full-width.
pub fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Parses an Arabic number at `at`; returns the value and the offset after it.
pub fn parse_arabic(chars: &[char], at: usize) -> Option<(Decimal, usize)> {
    let mut i = at;
    let mut mantissa: i128 = 0;
    let mut scale = 0u32;
    let mut seen = 0;
    while i < chars.len() {
        if let Some(d) = digit(chars[i]) {
            mantissa = mantissa.saturating_mul(10).saturating_add(d as i128);
            seen += 1;
            i += 1;
        } else if chars[i] == ',' && seen > 0 && is_group_of_three(chars, i + 1) {
            // Thousands separator: 1,200
            i += 1;
        } else {
            break;
        }
    }
    if seen == 0 {
        return None;
    }
    if i + 1 < chars.len() && matches!(chars[i], '.' | '．') && digit(chars[i + 1]).is_some() {
        i += 1;
        while i < chars.len() {
            match digit(chars[i]) {
                Some(d) => {
                    mantissa = mantissa.saturating_mul(10).saturating_add(d as i128);
                    scale += 1;
                    i += 1;
                }
                None => break,
            }
        }
    }
    Some((Decimal { mantissa, scale }, i))
}

fn is_group_of_three(chars: &[char], at: usize) -> bool {
    at + 3 <= chars.len()
        && chars[at..at + 3].iter().all(|&c| digit(c).is_some())
        && chars.get(at + 3).is_none_or(|&c| digit(c).is_none())
}

/// Value of a Chinese digit character.
pub fn cn_digit(c: char) -> Option<i128> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn cn_unit(c: char) -> Option<i128> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

/// True for a character that can start a Chinese numeral.
pub fn is_cn_numeral_start(c: char) -> bool {
    cn_digit(c).is_some() || c == '十'
}

/// A Chinese numeral parsed from the text.
#[derive(Debug, Clone, Copy)]
pub struct CnNumber {
    /// Its value.
    pub value: i128,
    /// Offset after the numeral.
    pub end: usize,
    /// Number of characters that are digits or 十 (not 百/千/万 alone).
    pub lone_one: bool,
}

/// Parses a Chinese numeral at `at` (一百二十, 两万, 十, 三千五百).
/// A bare 百/千/万 with no digit before it is not a numeral (百姓, 千方百计).
pub fn parse_chinese(chars: &[char], at: usize) -> Option<CnNumber> {
    let mut i = at;
    let mut total: i128 = 0; // completed 万/亿 groups
    let mut section: i128 = 0; // below 万
    let mut pending: Option<i128> = None; // digit waiting for its unit
    let mut count = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(d) = cn_digit(c) {
            if pending.is_some() {
                // Two digits in a row (八五普法, 一二三): not a quantity.
                return None;
            }
            pending = Some(d);
        } else if let Some(u) = cn_unit(c) {
            let d = pending
                .take()
                .unwrap_or(if c == '十' && count == 0 { 1 } else { -1 });
            if d < 0 {
                break;
            }
            section += d * u;
        } else if c == '万' || c == '亿' {
            if count == 0 {
                return None;
            }
            let u = if c == '万' { 10_000 } else { 100_000_000 };
            section += pending.take().unwrap_or(0);
            total = (total + section) * u;
            section = 0;
        } else {
            break;
        }
        count += 1;
        i += 1;
    }
    if count == 0 {
        return None;
    }
    let value = total + section + pending.unwrap_or(0);
    let lone_one = count == 1 && chars[at] == '一';
    Some(CnNumber {
        value,
        end: i,
        lone_one,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cn(s: &str) -> Option<i128> {
        let v: Vec<char> = s.chars().collect();
        parse_chinese(&v, 0).map(|n| n.value)
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(cn("十"), Some(10));
        assert_eq!(cn("十五"), Some(15));
        assert_eq!(cn("二十三"), Some(23));
        assert_eq!(cn("一百二十"), Some(120));
        assert_eq!(cn("两万"), Some(20000));
        assert_eq!(cn("三千五百"), Some(3500));
        assert_eq!(cn("一万二千"), Some(12000));
        assert_eq!(cn("八五"), None);
        assert_eq!(cn("百姓"), None);
    }

    #[test]
    fn arabic_numbers() {
        let v: Vec<char> = "3.3万".chars().collect();
        let (d, end) = parse_arabic(&v, 0).unwrap();
        assert_eq!(end, 3);
        assert_eq!(d.times(10_000), Decimal::int(33000));
        let v: Vec<char> = "1,200件".chars().collect();
        assert_eq!(parse_arabic(&v, 0).unwrap().0, Decimal::int(1200));
        let v: Vec<char> = "９８.６９%".chars().collect();
        assert_eq!(parse_arabic(&v, 0).unwrap().0.to_f64(), 98.69);
    }
}
