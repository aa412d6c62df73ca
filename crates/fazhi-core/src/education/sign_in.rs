//! Import of a township's existing study sign-in sheets (学法签到表, kept in Excel): one
//! row per person and session, sessions told apart by their day and topic. This module
//! reads one row in the sheet's words; the caller groups the rows into sessions, checks
//! each session with `check_study` and finds each name among the township's accounts.

use std::collections::BTreeMap;

use super::codes::StudyKind;
use crate::matter::code_enum;

code_enum! {
    /// One of the fields a sign-in sheet's column may hold.
    pub enum SignInField: "签到表列" {
        HeldOn = ("held_on", "学习日期"),
        Topic = ("topic", "学习主题"),
        Kind = ("kind", "学习形式"),
        Hours = ("hours", "学时"),
        Speaker = ("speaker", "主讲人"),
        Name = ("name", "姓名"),
        Present = ("present", "是否到场"),
    }
}

impl super::columns::SheetField for SignInField {
    fn all() -> &'static [Self] {
        SignInField::ALL
    }
    fn words(self) -> &'static [&'static str] {
        SignInField::words(self)
    }
    fn required(self) -> bool {
        SignInField::required(self)
    }
    fn label(self) -> &'static str {
        self.label_zh()
    }
}

impl SignInField {
    /// Whether a mapping must name a column for it.
    pub fn required(self) -> bool {
        matches!(
            self,
            SignInField::HeldOn | SignInField::Topic | SignInField::Hours | SignInField::Name
        )
    }

    fn words(self) -> &'static [&'static str] {
        match self {
            SignInField::HeldOn => &["学习日期", "学习时间", "日期", "时间"],
            SignInField::Topic => &["学习主题", "学习内容", "主题", "内容", "课程"],
            SignInField::Kind => &["学习形式", "形式", "类型", "类别"],
            SignInField::Hours => &["学时", "课时", "时长"],
            SignInField::Speaker => &["主讲人", "授课人", "主讲", "讲师"],
            SignInField::Name => &["姓名", "参学人员", "签到人", "人员"],
            SignInField::Present => &[
                "是否到场",
                "到会情况",
                "签到情况",
                "出席",
                "签到",
                "状态",
                "备注",
            ],
        }
    }
}

/// Which column each field is probably in, by the header names (each column once).
pub fn suggest_sign_in(headers: &[String]) -> BTreeMap<SignInField, usize> {
    super::columns::suggest(headers)
}

/// What is wrong with a mapping (see `columns::check_mapping`).
pub fn check_sign_in_mapping(
    columns: &BTreeMap<SignInField, usize>,
    width: usize,
) -> Result<(), Vec<String>> {
    super::columns::check_mapping(columns, width)
}

/// The form a sheet's text names (a code, a label or a telling word).
pub fn study_kind_of_text(s: &str) -> Option<StudyKind> {
    let s = s.trim();
    if let Some(k) = StudyKind::ALL
        .iter()
        .find(|k| k.as_str() == s || k.label_zh() == s)
    {
        return Some(*k);
    }
    [
        ("中心组", StudyKind::CentralGroup),
        ("会前", StudyKind::PreMeeting),
        ("培训", StudyKind::Training),
        ("讲座", StudyKind::Lecture),
        ("专题", StudyKind::Lecture),
    ]
    .iter()
    .find(|(w, _)| s.contains(w))
    .map(|(_, k)| *k)
}

/// Whether a row's mark says the person came: empty (a signed row), 是, 到, √ …; `None`
/// when it says neither.
pub fn present_of_text(s: &str) -> Option<bool> {
    match s.trim() {
        "" | "是" | "到" | "已到" | "到会" | "签到" | "已签到" | "出席" | "参加" | "√" | "✓"
        | "✔" => Some(true),
        "否" | "缺" | "缺席" | "缺勤" | "未到" | "未参加" | "请假" | "×" | "✗" => {
            Some(false)
        }
        _ => None,
    }
}

/// One row read: the session it belongs to and the person.
#[derive(Debug, Clone, PartialEq)]
pub struct SignInLine {
    /// `YYYY-MM-DD` as given (checked with the session).
    pub held_on: String,
    pub topic: String,
    pub kind: StudyKind,
    pub hours: Option<f64>,
    pub speaker: String,
    pub name: String,
    pub present: bool,
}

/// Reads one row (cells as text; the date already `YYYY-MM-DD` where it was a date).
pub fn sign_in_line(
    columns: &BTreeMap<SignInField, usize>,
    cells: &[String],
    default_kind: StudyKind,
) -> Result<SignInLine, Vec<String>> {
    let get = |f: SignInField| {
        columns
            .get(&f)
            .and_then(|c| cells.get(*c))
            .map(|s| s.trim())
            .unwrap_or("")
    };
    let mut reasons = Vec::new();
    let held_on = get(SignInField::HeldOn);
    if held_on.is_empty() {
        reasons.push("学习日期为空".to_string());
    }
    let topic = get(SignInField::Topic);
    if topic.is_empty() {
        reasons.push("学习主题为空".to_string());
    }
    let name = get(SignInField::Name);
    if name.is_empty() {
        reasons.push("姓名为空".to_string());
    }
    let kind = match get(SignInField::Kind) {
        "" => Some(default_kind),
        t => {
            let k = study_kind_of_text(t);
            if k.is_none() {
                reasons.push(format!("学习形式“{t}”无法识别"));
            }
            k
        }
    };
    let raw_hours = get(SignInField::Hours);
    let hours = match raw_hours.trim_end_matches(['学', '时', '小', '课']) {
        "" => {
            reasons.push("学时为空".to_string());
            None
        }
        h => match h.parse::<f64>() {
            Ok(v) => Some(v),
            Err(_) => {
                reasons.push(format!("学时“{raw_hours}”不是数字"));
                None
            }
        },
    };
    let mark = get(SignInField::Present);
    let present = present_of_text(mark);
    if present.is_none() {
        reasons.push(format!("到场情况“{mark}”无法识别（写“是”或“否”）"));
    }
    match (kind, present) {
        (Some(kind), Some(present)) if reasons.is_empty() => Ok(SignInLine {
            held_on: held_on.to_string(),
            topic: topic.to_string(),
            kind,
            hours,
            speaker: get(SignInField::Speaker).to_string(),
            name: name.to_string(),
            present,
        }),
        _ => Err(reasons),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn a_sheet_is_read_in_its_own_words() {
        let cols = suggest_sign_in(&s(&[
            "序号",
            "学习时间",
            "学习内容",
            "形式",
            "学时",
            "主讲人",
            "姓名",
            "签到情况",
        ]));
        assert_eq!(cols.len(), 7, "{cols:?}");
        assert_eq!(cols[&SignInField::Name], 6);
        assert!(check_sign_in_mapping(&cols, 8).is_ok());
        let line = sign_in_line(
            &cols,
            &s(&[
                "1",
                "2026-03-04",
                "学习民法典",
                "会前学法",
                "1.5学时",
                "司法所",
                "王强",
                "√",
            ]),
            StudyKind::Lecture,
        )
        .unwrap();
        assert_eq!(
            (line.kind, line.hours, line.present),
            (StudyKind::PreMeeting, Some(1.5), true)
        );
        let bad = sign_in_line(
            &cols,
            &s(&["2", "", "学习民法典", "唱歌", "一小时", "", "", "也许"]),
            StudyKind::Lecture,
        )
        .unwrap_err();
        assert_eq!(bad.len(), 5, "{bad:?}");
        assert_eq!(present_of_text("请假"), Some(false));
    }
}
