//! Checks of what people enter: an event, a study session, a roster entry. Every
//! problem is reported at once, per field, in Chinese; the place, unit and attendees
//! are checked by the application layer (they need the caller's scope).

use time::Date;

use super::codes::{EventKind, RosterRole, StudyKind};
use super::theme::ThemeDay;
use crate::validate;

/// Largest count of people or materials accepted: more is a slip of the keyboard.
pub const MAX_COUNT: i64 = 10_000_000;
/// Laws one record may name.
const MAX_LAWS: usize = 20;

/// Field → message, in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<(String, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        if !self.0.iter().any(|(f, _)| f == field) {
            self.0.push((field.to_string(), message.into()));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(v)` when nothing was found.
    pub fn or<T>(self, v: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.is_empty() { Ok(v()) } else { Err(self) }
    }
}

/// Laws as typed (one per line, or separated by 、，,；;), without 《》, each once.
pub fn split_laws(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in raw.split(['\n', '、', '，', ',', '；', ';']) {
        let law = part
            .trim()
            .trim_start_matches('《')
            .trim_end_matches('》')
            .trim();
        if !law.is_empty() && !out.iter().any(|l| l == law) {
            out.push(law.to_string());
        }
    }
    out
}

/// Normalises the laws (each entry may hold several, as typed) and checks them.
pub(super) fn check_laws(errors: &mut FieldErrors, laws: &[String]) -> Vec<String> {
    let laws = split_laws(&laws.join("\n"));
    if laws.len() > MAX_LAWS {
        errors.add("laws", format!("涉及法律最多填写{MAX_LAWS}部"));
    }
    for l in &laws {
        if l.chars().count() > 50 || validate::no_control_chars("法律名称", l).is_err() {
            errors.add("laws", "每部法律的名称不能超过50个字符，且不能含控制字符");
        }
    }
    laws
}

pub(super) fn date_of(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    raw: &str,
    today: Date,
) -> Date {
    let raw = raw.trim();
    if raw.is_empty() {
        return today;
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    match Date::parse(raw, &fmt) {
        Ok(d) => match validate::record_date(label, d, today) {
            Ok(d) => d,
            Err(m) => {
                errors.add(field, m);
                today
            }
        },
        Err(_) => {
            errors.add(field, format!("{label}格式须为YYYY-MM-DD"));
            today
        }
    }
}

pub(super) fn code_of<T: crate::matter::Code>(
    errors: &mut FieldErrors,
    field: &str,
    raw: &str,
) -> Option<T> {
    let raw = raw.trim();
    if raw.is_empty() {
        errors.add(field, format!("请选择{}", T::WHAT));
        return None;
    }
    match raw.parse::<T>() {
        Ok(v) => Some(v),
        Err(e) => {
            errors.add(field, e.to_string());
            None
        }
    }
}

pub(super) fn text(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    raw: &str,
    max: usize,
) -> String {
    match validate::required_text(label, raw, max) {
        Ok(v) => v,
        Err(m) => {
            errors.add(field, m);
            String::new()
        }
    }
}

pub(super) fn optional_text(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    raw: &str,
    max: usize,
) -> Option<String> {
    if raw.trim().is_empty() {
        return None;
    }
    Some(text(errors, field, label, raw, max))
}

pub(super) fn count(errors: &mut FieldErrors, field: &str, label: &str, v: Option<i64>) -> i64 {
    match v {
        Some(n) if n < 0 => {
            errors.add(field, format!("{label}不能为负数"));
            0
        }
        Some(n) if n > MAX_COUNT => {
            errors.add(field, format!("{label}不能超过{MAX_COUNT}"));
            0
        }
        Some(n) => n,
        None => 0,
    }
}

/// An event as entered (API body or form), before checks.
#[derive(Debug, Clone, Default)]
pub struct EventDraft {
    pub kind: String,
    pub theme: Option<String>,
    /// `YYYY-MM-DD`; empty for today.
    pub held_on: String,
    pub title: String,
    pub place: String,
    pub participants: Option<i64>,
    /// People reached; the participants when absent.
    pub reached: Option<i64>,
    pub materials: Option<i64>,
    pub laws: Vec<String>,
    pub summary: String,
}

/// A checked event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventFields {
    pub kind: EventKind,
    /// The theme day it was held for: key and name as in the year's table.
    pub theme: Option<(String, String)>,
    pub held_on: Date,
    pub title: String,
    pub place: Option<String>,
    pub participants: i64,
    pub reached: i64,
    pub materials: i64,
    pub laws: Vec<String>,
    pub summary: Option<String>,
}

/// Checks an event against the theme days of its year (`calendar` gives the table of a
/// year); `today` bounds the date.
pub fn check_event(
    d: &EventDraft,
    today: Date,
    calendar: impl Fn(i32) -> Vec<ThemeDay>,
) -> Result<EventFields, FieldErrors> {
    let mut e = FieldErrors::default();
    let kind = code_of::<EventKind>(&mut e, "kind", &d.kind);
    let held_on = date_of(&mut e, "held_on", "活动日期", &d.held_on, today);
    let title = text(&mut e, "title", "活动主题", &d.title, 100);
    let place = optional_text(&mut e, "place", "活动地点", &d.place, 100);
    if d.participants.is_none() {
        e.add("participants", "请填写参与人数（没有现场参与的填0）");
    }
    let participants = count(&mut e, "participants", "参与人数", d.participants);
    let reached = match d.reached {
        None => participants,
        v => count(&mut e, "reached", "受众人次", v),
    };
    if reached < participants {
        e.add("reached", "受众人次不能少于参与人数");
    }
    let materials = count(&mut e, "materials", "发放资料份数", d.materials);
    let laws = check_laws(&mut e, &d.laws);
    let summary = optional_text(&mut e, "summary", "活动简述", &d.summary, 2000);
    let theme = match d.theme.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            if kind == Some(EventKind::ThemeDay) {
                e.add("theme", "主题日活动须选择主题日");
            }
            None
        }
        Some(key) => match calendar(held_on.year()).into_iter().find(|t| t.key == key) {
            Some(t) => Some((t.key, t.name)),
            None => {
                e.add(
                    "theme",
                    format!("{}年的主题日表中没有“{key}”", held_on.year()),
                );
                None
            }
        },
    };
    e.or(|| EventFields {
        kind: kind.expect("checked"),
        theme,
        held_on,
        title,
        place,
        participants,
        reached,
        materials,
        laws,
        summary,
    })
}

/// A study session as entered, before checks (attendees are checked by the caller).
#[derive(Debug, Clone, Default)]
pub struct StudyDraft {
    pub kind: String,
    pub held_on: String,
    pub topic: String,
    pub speaker: String,
    /// Length in hours (学时), e.g. 1.5.
    pub hours: Option<f64>,
    pub laws: Vec<String>,
    pub summary: String,
}

/// A checked study session.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyFields {
    pub kind: StudyKind,
    pub held_on: Date,
    pub topic: String,
    pub speaker: Option<String>,
    /// Length in minutes (hours are entered; minutes add up exactly).
    pub minutes: i64,
    pub laws: Vec<String>,
    pub summary: Option<String>,
}

/// Checks a study session.
pub fn check_study(d: &StudyDraft, today: Date) -> Result<StudyFields, FieldErrors> {
    let mut e = FieldErrors::default();
    let kind = code_of::<StudyKind>(&mut e, "kind", &d.kind);
    let held_on = date_of(&mut e, "held_on", "学习日期", &d.held_on, today);
    let topic = text(&mut e, "topic", "学习主题", &d.topic, 100);
    let speaker = optional_text(&mut e, "speaker", "主讲人", &d.speaker, 50);
    let minutes = match d.hours {
        None => {
            e.add("hours", "请填写学时");
            0
        }
        Some(h) if !h.is_finite() || h <= 0.0 || h > 24.0 => {
            e.add("hours", "学时须大于0且不超过24");
            0
        }
        Some(h) => (h * 60.0).round() as i64,
    };
    let laws = check_laws(&mut e, &d.laws);
    let summary = optional_text(&mut e, "summary", "学习内容", &d.summary, 2000);
    e.or(|| StudyFields {
        kind: kind.expect("checked"),
        held_on,
        topic,
        speaker,
        minutes,
        laws,
        summary,
    })
}

/// A roster entry as entered.
#[derive(Debug, Clone, Default)]
pub struct RosterDraft {
    pub role: String,
    pub name: String,
    pub phone: String,
    /// 公民身份号码, optional.
    pub id_number: String,
    /// Training hours received so far (学时, one decimal), optional.
    pub training_hours: String,
    /// Certificates held (name and number), optional.
    pub certificates: String,
    pub note: String,
}

/// A checked roster entry; the phone and ID number are canonical (sealed when stored).
#[derive(Debug, Clone, PartialEq)]
pub struct RosterFields {
    pub role: RosterRole,
    pub name: String,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    /// Training hours in tenths of an hour (12.5 学时 is 125).
    pub training_tenths: Option<i64>,
    pub certificates: Option<String>,
    pub note: Option<String>,
}

/// "12.5" → 125 tenths of an hour: at most one decimal, up to 2,000 hours.
pub fn hours_in_tenths(raw: &str) -> Result<Option<i64>, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let (whole, frac) = raw.split_once('.').unwrap_or((raw, "0"));
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(frac) || frac.len() > 1 {
        return Err("培训学时须为数字，最多一位小数");
    }
    let tenths = whole.parse::<i64>().unwrap_or(i64::MAX) * 10 + frac.parse::<i64>().unwrap_or(0);
    if tenths > 20_000 {
        return Err("培训学时不能超过2000");
    }
    Ok(Some(tenths))
}

/// Tenths of an hour as written: 125 → "12.5", 120 → "12".
pub fn tenths_text(t: i64) -> String {
    if t % 10 == 0 {
        (t / 10).to_string()
    } else {
        format!("{}.{}", t / 10, t % 10)
    }
}

/// Checks a roster entry (`today` bounds the birth date in an ID number).
pub fn check_roster(d: &RosterDraft, today: time::Date) -> Result<RosterFields, FieldErrors> {
    let mut e = FieldErrors::default();
    let role = code_of::<RosterRole>(&mut e, "role", &d.role);
    let name = text(&mut e, "name", "姓名", &d.name, 30);
    let phone = match validate::staff_phone(Some(&d.phone)) {
        Ok(p) => p,
        Err(m) => {
            e.add("phone", m);
            None
        }
    };
    let id_number = match d.id_number.trim() {
        "" => None,
        raw => match crate::party::check_id_number(raw, today) {
            Ok(id) => Some(id),
            Err(m) => {
                e.add("id_number", m.to_string());
                None
            }
        },
    };
    let training_tenths = hours_in_tenths(&d.training_hours).unwrap_or_else(|m| {
        e.add("training_hours", m);
        None
    });
    let certificates = optional_text(&mut e, "certificates", "证书", &d.certificates, 200);
    let note = optional_text(&mut e, "note", "备注", &d.note, 200);
    e.or(|| RosterFields {
        role: role.expect("checked"),
        name,
        phone,
        id_number,
        training_tenths,
        certificates,
        note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::education::default_theme_days;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 06 - 30);

    fn event() -> EventDraft {
        EventDraft {
            kind: "villages".into(),
            held_on: "2026-06-05".into(),
            title: "环境日普法进村".into(),
            participants: Some(60),
            materials: Some(200),
            laws: split_laws("《环境保护法》、土地管理法\n环境保护法"),
            ..EventDraft::default()
        }
    }

    #[test]
    fn a_good_event_takes_defaults() {
        let f = check_event(&event(), TODAY, default_theme_days).unwrap();
        assert_eq!(f.reached, 60, "reached defaults to the participants");
        assert_eq!(f.laws, vec!["环境保护法", "土地管理法"]);
        assert_eq!(f.theme, None);
        let mut d = event();
        d.theme = Some("environment".into());
        let f = check_event(&d, TODAY, default_theme_days).unwrap();
        assert_eq!(f.theme.unwrap().1, "6·5环境日");
    }

    #[test]
    fn every_problem_is_reported_in_chinese() {
        let d = EventDraft {
            kind: "party".into(),
            held_on: "2026-07-01".into(),
            participants: Some(-1),
            reached: Some(5),
            materials: Some(MAX_COUNT + 1),
            theme: Some("nope".into()),
            ..EventDraft::default()
        };
        let e = check_event(&d, TODAY, default_theme_days).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "kind",
                "held_on",
                "title",
                "participants",
                "materials",
                "theme"
            ]
        );
        let mut d = event();
        d.kind = "theme_day".into();
        d.reached = Some(10);
        let e = check_event(&d, TODAY, default_theme_days).unwrap_err();
        assert_eq!(
            e.0[0],
            ("reached".into(), "受众人次不能少于参与人数".into())
        );
        assert_eq!(e.0[1].0, "theme");
    }

    #[test]
    fn study_and_roster() {
        let s = StudyDraft {
            kind: "pre_meeting".into(),
            topic: "学习行政复议法".into(),
            hours: Some(1.5),
            ..StudyDraft::default()
        };
        let f = check_study(&s, TODAY).unwrap();
        assert_eq!((f.minutes, f.held_on), (90, TODAY));
        let e = check_study(
            &StudyDraft {
                hours: Some(0.0),
                ..s
            },
            TODAY,
        )
        .unwrap_err();
        assert_eq!(e.0[0].0, "hours");
        let r = check_roster(
            &RosterDraft {
                role: "legal_literate".into(),
                name: " 王五 ".into(),
                phone: "138 1234 5678".into(),
                id_number: "11010519491231002x".into(),
                training_hours: "12.5".into(),
                certificates: " 人民调解员培训合格证 ".into(),
                note: String::new(),
            },
            TODAY,
        )
        .unwrap();
        assert_eq!(r.id_number.as_deref(), Some("11010519491231002X"));
        assert_eq!(r.training_tenths, Some(125));
        assert_eq!(r.certificates.as_deref(), Some("人民调解员培训合格证"));
        assert_eq!(tenths_text(125), "12.5");
        assert_eq!(tenths_text(120), "12");
        for bad in ["1.25", "abc", "-3", "2000.1", ".5", "1e3"] {
            assert!(hours_in_tenths(bad).is_err(), "{bad}");
        }
        assert_eq!(hours_in_tenths(" 2000 "), Ok(Some(20_000)));
        assert_eq!(hours_in_tenths(""), Ok(None));
        assert_eq!(
            (r.name.as_str(), r.phone.as_deref()),
            ("王五", Some("13812345678"))
        );
        let e = check_roster(
            &RosterDraft {
                role: "x".into(),
                phone: "12".into(),
                id_number: "110105194912310021".into(),
                training_hours: "八".into(),
                ..RosterDraft::default()
            },
            TODAY,
        )
        .unwrap_err();
        assert_eq!(e.0.len(), 5);
    }
}
