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

/// Trims a required text field and checks its length in characters.
pub fn required_text(field_zh: &str, value: &str, max_chars: usize) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(format!("{field_zh}不能为空"));
    }
    if v.chars().count() > max_chars {
        return Err(format!("{field_zh}不能超过{max_chars}个字符"));
    }
    Ok(v.to_string())
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
    fn usernames() {
        assert!(username("grid01").is_ok());
        assert!(username("ab").is_err());
        assert!(username("张三").is_err());
    }
}
