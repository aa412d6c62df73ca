//! Validation rules shared by the command line, the API and the pages.

/// Minimum password length (issue: at least 10 characters).
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Checks a new password against the policy; the message is shown to the user.
pub fn password(username: &str, password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!("密码至少需要{MIN_PASSWORD_CHARS}个字符"));
    }
    if password.trim().to_lowercase() == username.trim().to_lowercase() {
        return Err("密码不能与用户名相同".into());
    }
    Ok(())
}

/// Checks a username: 3–32 characters of ASCII letters, digits, `_`, `-`, `.`.
pub fn username(name: &str) -> Result<(), String> {
    let n = name.chars().count();
    if !(3..=32).contains(&n) {
        return Err("用户名长度须为3到32个字符".into());
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Err("用户名只能包含英文字母、数字、下划线、连字符和点".into());
    }
    Ok(())
}

/// Trims a required text field and checks its length in characters and that it holds
/// no control characters.
pub fn required_text(field_zh: &str, value: &str, max_chars: usize) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(format!("{field_zh}不能为空"));
    }
    if v.chars().count() > max_chars {
        return Err(format!("{field_zh}不能超过{max_chars}个字符"));
    }
    no_control_chars(field_zh, v)?;
    Ok(v.to_string())
}

/// Refuses control characters other than line breaks and tabs (and the two
/// non-characters U+FFFE/U+FFFF): they are invisible on screen, and XML cannot hold
/// them, so a document generated from the text would no longer open.
pub fn no_control_chars(field_zh: &str, value: &str) -> Result<(), String> {
    let bad = |c: char| {
        (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if value.chars().any(bad) {
        return Err(format!("{field_zh}含有不可见的控制字符，请删除后重新输入"));
    }
    Ok(())
}

/// The earliest date a record may carry: nothing the platform holds is older, and a
/// year 0 or 1900 is a slip of the keyboard or an empty spreadsheet cell.
pub const EARLIEST_DATE: time::Date = time::macros::date!(2000 - 01 - 01);

/// Checks that a date of a record lies between [`EARLIEST_DATE`] and `today`.
pub fn record_date(field_zh: &str, d: time::Date, today: time::Date) -> Result<time::Date, String> {
    if d < EARLIEST_DATE {
        return Err(format!("{field_zh}不能早于2000年1月1日"));
    }
    if d > today {
        return Err(format!("{field_zh}不能晚于今天"));
    }
    Ok(d)
}

/// A staff member's phone: empty for none, else a mainland mobile or a landline with
/// its area code; returns the canonical digits.
pub fn staff_phone(raw: Option<&str>) -> Result<Option<String>, String> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(p) => crate::party::check_phone(p)
            .map(Some)
            .map_err(|_| "电话号码格式不正确：手机号为11位，座机须带区号".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_policy() {
        assert!(password("alice", "short").is_err());
        assert!(password("alice-admin", "alice-admin").is_err());
        assert!(password("alice-admin", "ALICE-ADMIN").is_err());
        assert!(password("alice", "correct horse").is_ok());
        // Counted in characters, not bytes.
        assert!(password("bob", "法治法治法治法治法").is_err());
        assert!(password("bob", "法治法治法治法治法治").is_ok());
    }

    #[test]
    fn control_characters_dates_and_phones() {
        assert!(required_text("摘要", "邻里\u{7}纠纷", 50).is_err());
        assert!(required_text("摘要", "邻里纠纷\n第二行", 50).is_ok());
        assert!(required_text("摘要", "a\u{FFFF}", 50).is_err());
        let today = time::macros::date!(2026 - 03 - 01);
        assert!(record_date("收到日期", time::macros::date!(1900 - 01 - 01), today).is_err());
        assert!(record_date("收到日期", time::Date::MIN, today).is_err());
        assert!(record_date("收到日期", time::macros::date!(2026 - 03 - 02), today).is_err());
        assert!(record_date("收到日期", today, today).is_ok());
        assert_eq!(staff_phone(Some(" ")), Ok(None));
        assert_eq!(
            staff_phone(Some("138 0000 0000")),
            Ok(Some("13800000000".into()))
        );
        assert!(staff_phone(Some("请打电话给我")).is_err());
    }

    #[test]
    fn usernames() {
        assert!(username("grid01").is_ok());
        assert!(username("ab").is_err());
        assert!(username("张三").is_err());
    }
}
