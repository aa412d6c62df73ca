//! Administrative divisions (行政区划) and their 12-digit statistical codes (rules.md §10).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Level of a division. Stored, never derived from the code: codes change yearly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 区/县
    County,
    /// 镇/乡/街道
    Township,
    /// 村/社区
    Village,
}

impl Level {
    /// Stable code used in the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::County => "county",
            Level::Township => "township",
            Level::Village => "village",
        }
    }

    /// Chinese label for pages.
    pub fn label_zh(self) -> &'static str {
        match self {
            Level::County => "区/县",
            Level::Township => "镇/乡/街道",
            Level::Village => "村/社区",
        }
    }

    /// The level a child of this level has, if any.
    pub fn child(self) -> Option<Level> {
        match self {
            Level::County => Some(Level::Township),
            Level::Township => Some(Level::Village),
            Level::Village => None,
        }
    }

    /// Parses the stable code or the Chinese label.
    pub fn parse(s: &str) -> Option<Level> {
        match s.trim() {
            "county" | "区/县" | "区" | "县" | "区县" => Some(Level::County),
            "township" | "镇/乡/街道" | "镇" | "乡" | "街道" | "乡镇" | "乡镇街道" => {
                Some(Level::Township)
            }
            "village" | "村/社区" | "村" | "社区" | "村社区" => Some(Level::Village),
            _ => None,
        }
    }
}

impl FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Level::parse(s).ok_or_else(|| format!("未知的区划层级：{s}"))
    }
}

/// A 12-digit statistical division code (统计用区划代码): 6-digit GB/T 2260 county code,
/// 3-digit township, 3-digit village.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DivisionCode(String);

impl DivisionCode {
    /// Validates a code: exactly 12 ASCII digits, non-zero province and county parts.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("区划代码须为12位数字，收到“{s}”"));
        }
        if &s[0..2] == "00" || &s[4..6] == "00" {
            return Err(format!("区划代码“{s}”的省级或县级部分不能为00"));
        }
        Ok(DivisionCode(s.to_string()))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 3-digit township part (000 for a county).
    pub fn township_part(&self) -> &str {
        &self.0[6..9]
    }

    /// 3-digit village part (000 above village level).
    pub fn village_part(&self) -> &str {
        &self.0[9..12]
    }

    /// Checks that the code has the shape its level needs and fits under its parent.
    pub fn check_level(&self, level: Level, parent: Option<&DivisionCode>) -> Result<(), String> {
        let (t, v) = (self.township_part(), self.village_part());
        let shape_ok = match level {
            Level::County => t == "000" && v == "000",
            Level::Township => t != "000" && v == "000",
            Level::Village => t != "000" && v != "000",
        };
        if !shape_ok {
            return Err(format!(
                "区划代码“{}”与层级“{}”不符：区县代码后6位为0，乡镇代码后3位为0，村级代码后3位不为0",
                self.0,
                level.label_zh()
            ));
        }
        if let Some(p) = parent {
            let prefix = match level {
                Level::County => 0,
                Level::Township => 6,
                Level::Village => 9,
            };
            if self.0[..prefix] != p.0[..prefix] {
                return Err(format!("区划代码“{}”不在上级区划“{}”之下", self.0, p.0));
            }
        }
        Ok(())
    }
}

impl fmt::Display for DivisionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for DivisionCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        DivisionCode::parse(&s)
    }
}

impl From<DivisionCode> for String {
    fn from(c: DivisionCode) -> String {
        c.0
    }
}

/// Materialised path of a division: ids of the ancestors and itself, `/1/4/27/`.
/// A subtree is every path that starts with the root's path; scoping uses this.
pub fn child_path(parent_path: Option<&str>, id: i64) -> String {
    match parent_path {
        Some(p) => format!("{p}{id}/"),
        None => format!("/{id}/"),
    }
}

/// Whether `path` lies in the subtree rooted at `root_path`.
pub fn path_in_subtree(path: &str, root_path: &str) -> bool {
    path.starts_with(root_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_checked() {
        assert!(DivisionCode::parse("640323101200").is_ok());
        assert!(DivisionCode::parse("64032310120").is_err());
        assert!(DivisionCode::parse("64032310120x").is_err());
        assert!(DivisionCode::parse("000323101200").is_err());
    }

    #[test]
    fn levels_and_parents() {
        let county = DivisionCode::parse("640323000000").unwrap();
        let town = DivisionCode::parse("640323101000").unwrap();
        let village = DivisionCode::parse("640323101200").unwrap();
        assert!(county.check_level(Level::County, None).is_ok());
        assert!(town.check_level(Level::Township, Some(&county)).is_ok());
        assert!(village.check_level(Level::Village, Some(&town)).is_ok());
        assert!(village.check_level(Level::Township, Some(&county)).is_err());
        let other_town = DivisionCode::parse("640324101000").unwrap();
        assert!(
            other_town
                .check_level(Level::Township, Some(&county))
                .is_err()
        );
    }

    #[test]
    fn subtree_paths() {
        let root = child_path(None, 1);
        let town = child_path(Some(&root), 12);
        assert!(path_in_subtree(&town, &root));
        assert!(!path_in_subtree(&child_path(None, 2), &root));
        // "/1/" must not match "/12/".
        assert!(!path_in_subtree("/12/", "/1/"));
    }
}
