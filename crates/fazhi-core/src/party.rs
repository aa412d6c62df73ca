//! Parties (当事人): roles, ID-number and phone checks, masking and normalisation.
//!
//! ID numbers and phones are personal data (个人信息保护法 Arts 28, 51): they are
//! normalised before blind indexing, encrypted at rest by `fazhi-db`, and masked
//! on screen with the functions here.

use time::{Date, Month};

use crate::matter::code_enum;

code_enum! {
    /// The role a party plays in a matter.
    pub enum PartyRole: "当事人角色" {
        /// 申请人: asks for mediation.
        Applicant = ("applicant", "申请人"),
        /// 被申请人: the other side of a dispute.
        Respondent = ("respondent", "被申请人"),
        /// 信访人.
        Petitioner = ("petitioner", "信访人"),
        /// 投诉人.
        Complainant = ("complainant", "投诉人"),
        /// 反映人: raises a suggestion, question or problem.
        Reporter = ("reporter", "反映人"),
        /// 第三人: has an interest in the outcome.
        ThirdParty = ("third_party", "第三人"),
        /// 代理人: acts for a party.
        Agent = ("agent", "代理人"),
        /// 监护人: guardian of a minor or incapacitated party.
        Guardian = ("guardian", "监护人"),
        /// 其他.
        Other = ("other", "其他"),
    }
}

/// A party whose role was not given is 其他.
impl Default for PartyRole {
    fn default() -> Self {
        PartyRole::Other
    }
}

/// Why an ID number was refused; the message is shown to staff.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    /// An old 15-digit first-generation number.
    #[error("请填写18位公民身份号码（15位旧号码已停用）")]
    OldFormat,
    /// Not 18 characters.
    #[error("公民身份号码应为18位，现为{0}位")]
    Length(usize),
    /// A character other than a digit (or X in the last place).
    #[error("公民身份号码前17位应为数字，最后一位为数字或X")]
    Char,
    /// Digits 7–14 are not a real date in the past.
    #[error("公民身份号码中的出生日期无效")]
    BirthDate,
    /// The last character does not match GB 11643's check digit.
    #[error("公民身份号码校验位不正确，请核对")]
    CheckDigit,
}

/// Why a phone number was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// Neither an 11-digit mobile nor a landline with area code.
    #[error("电话号码格式不正确：手机号为1开头的11位数字，固定电话请带区号，如023-12345678")]
    Format,
}

/// Maps full-width digits and letters (Chinese input methods) to half-width.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        c => c,
    }
}

/// Canonical form of an ID number for blind indexing: half-width, upper-case X,
/// spaces and dashes removed. Does not validate.
pub fn normalize_id_number(raw: &str) -> String {
    raw.chars()
        .map(fold_width)
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// GB 11643 check character (ISO 7064 MOD 11-2) for the first 17 digits.
pub fn id_check_digit(first17: &str) -> Option<char> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    Some(CHECK[(sum % 11) as usize])
}

/// Validates a citizen ID number (GB 11643-1999) and returns its canonical form.
///
/// Checks length, characters, the birth date (a real date, not after `today`,
/// not before 1900) and the check digit.
pub fn check_id_number(raw: &str, today: Date) -> Result<String, IdNumberError> {
    let id = normalize_id_number(raw);
    let len = id.chars().count();
    if len == 15 && id.chars().all(|c| c.is_ascii_digit()) {
        return Err(IdNumberError::OldFormat);
    }
    if len != 18 {
        return Err(IdNumberError::Length(len));
    }
    let (body, last) = id.split_at(17);
    if !body.bytes().all(|b| b.is_ascii_digit())
        || !last.bytes().all(|b| b.is_ascii_digit() || b == b'X')
    {
        return Err(IdNumberError::Char);
    }
    let num = |r: std::ops::Range<usize>| body[r].parse::<u32>().ok();
    let birth = (|| {
        let y = i32::try_from(num(6..10)?).ok()?;
        let m = Month::try_from(u8::try_from(num(10..12)?).ok()?).ok()?;
        Date::from_calendar_date(y, m, u8::try_from(num(12..14)?).ok()?).ok()
    })();
    match birth {
        Some(b) if b.year() >= 1900 && b <= today => {}
        _ => return Err(IdNumberError::BirthDate),
    }
    if id_check_digit(body).map(String::from).as_deref() != Some(last) {
        return Err(IdNumberError::CheckDigit);
    }
    Ok(id)
}

/// Canonical form of a phone number for blind indexing: digits only, without a
/// +86 / 0086 prefix on mobiles. Does not validate.
pub fn normalize_phone(raw: &str) -> String {
    let digits: String = raw
        .chars()
        .map(fold_width)
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '+' | '.') && !c.is_whitespace())
        .collect();
    for prefix in ["0086", "86"] {
        if let Some(rest) = digits.strip_prefix(prefix)
            && rest.len() == 11
            && rest.starts_with('1')
        {
            return rest.to_string();
        }
    }
    digits
}

/// Validates a mainland mobile (1 + 10 digits) or landline with area code;
/// returns the canonical digits.
pub fn check_phone(raw: &str) -> Result<String, PhoneError> {
    let p = normalize_phone(raw);
    if !p.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PhoneError::Format);
    }
    let b = p.as_bytes();
    let ok = match b.first() {
        // Mobile: 13x–19x.
        Some(b'1') => b.len() == 11 && (b'3'..=b'9').contains(&b[1]),
        // Landline: 010 and 02x have 3-digit area codes and 8-digit numbers;
        // others 4-digit area codes and 7- or 8-digit numbers.
        Some(b'0') => {
            let area = if matches!(b.get(1), Some(b'1' | b'2')) {
                3
            } else {
                4
            };
            let local = b.len().saturating_sub(area);
            let local_ok = if area == 3 {
                local == 8
            } else {
                local == 7 || local == 8
            };
            local_ok && b.get(area) != Some(&b'0')
        }
        _ => false,
    };
    if ok { Ok(p) } else { Err(PhoneError::Format) }
}

/// Keeps `head` leading and `tail` trailing characters and stars the rest.
fn mask(s: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(chars.len() - head - tail));
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// Masks an ID number for display: `5101**********1234`.
pub fn mask_id_number(id: &str) -> String {
    mask(&normalize_id_number(id), 4, 4)
}

/// Masks a phone number for display: `138****5678`.
pub fn mask_phone(phone: &str) -> String {
    mask(&normalize_phone(phone), 3, 4)
}
