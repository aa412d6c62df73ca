//! Import of a township's existing 普法活动 ledger (台账, kept in Excel): which column
//! holds what, suggested from the header names; each row read into an event and checked
//! with the same rules as the form (`check_event`), its village found by name; and the
//! row's key, so that importing the same rows again creates nothing.

use std::collections::BTreeMap;

use time::Date;

use super::codes::EventKind;
use super::input::{EventDraft, EventFields, check_event, split_laws};
use super::theme::{ThemeDay, themes_on};
use crate::matter::code_enum;

code_enum! {
    /// One of the event's fields a ledger column may hold.
    pub enum LedgerField: "台账列" {
        HeldOn = ("held_on", "活动日期"),
        Title = ("title", "活动主题"),
        Kind = ("kind", "活动类型"),
        Village = ("village", "村（社区）"),
        Participants = ("participants", "参与人数"),
        Reached = ("reached", "受众人次"),
        Materials = ("materials", "发放资料（份）"),
        Laws = ("laws", "涉及法律"),
        Place = ("place", "具体地点"),
        Summary = ("summary", "活动简述"),
        Number = ("number", "台账编号"),
    }
}

impl super::columns::SheetField for LedgerField {
    fn all() -> &'static [Self] {
        LedgerField::ALL
    }
    fn words(self) -> &'static [&'static str] {
        LedgerField::words(self)
    }
    fn required(self) -> bool {
        LedgerField::required(self)
    }
    fn label(self) -> &'static str {
        self.label_zh()
    }
}

impl LedgerField {
    /// Whether a mapping must name a column for it.
    pub fn required(self) -> bool {
        matches!(
            self,
            LedgerField::HeldOn | LedgerField::Title | LedgerField::Participants
        )
    }

    /// Header words that name the field, the most telling first.
    fn words(self) -> &'static [&'static str] {
        match self {
            LedgerField::HeldOn => &["活动日期", "活动时间", "开展时间", "日期", "时间"],
            LedgerField::Title => &["活动主题", "活动名称", "主题", "名称", "活动内容", "内容"],
            LedgerField::Kind => &["活动类型", "活动形式", "类型", "形式", "类别"],
            LedgerField::Village => &["村（社区）", "村(社区)", "村居", "村社区", "社区", "村"],
            LedgerField::Participants => &["参与人数", "参加人数", "到场人数", "人数"],
            LedgerField::Reached => &["受众人次", "受众", "覆盖人次", "受益人次", "人次"],
            LedgerField::Materials => &["发放资料", "发放材料", "资料", "宣传册", "份数"],
            LedgerField::Laws => &["涉及法律", "宣传法律", "法律法规", "法律"],
            LedgerField::Place => &["活动地点", "地点", "场所"],
            LedgerField::Summary => &["活动简述", "简述", "备注", "活动情况", "说明"],
            LedgerField::Number => &["台账编号", "编号"],
        }
    }
}

/// Which column each field is probably in, by the header names (each column once).
pub fn suggest_ledger(headers: &[String]) -> BTreeMap<LedgerField, usize> {
    super::columns::suggest(headers)
}

/// What is wrong with a mapping (see `columns::check_mapping`).
pub fn check_ledger_mapping(
    columns: &BTreeMap<LedgerField, usize>,
    width: usize,
) -> Result<(), Vec<String>> {
    super::columns::check_mapping(columns, width)
}

/// The type an activity's ledger text names: a code, a label, or a telling word
/// (“进村入户” → 进乡村, “法治讲座” → 讲座); `None` when it names none.
pub fn kind_of_text(s: &str) -> Option<EventKind> {
    let s = s.trim();
    if let Some(k) = EventKind::ALL
        .iter()
        .find(|k| k.as_str() == s || k.label_zh() == s)
    {
        return Some(*k);
    }
    const WORDS: &[(&str, EventKind)] = &[
        ("主题日", EventKind::ThemeDay),
        ("宣传日", EventKind::ThemeDay),
        ("宣传周", EventKind::ThemeDay),
        ("宣传月", EventKind::ThemeDay),
        ("机关", EventKind::Agencies),
        ("学校", EventKind::Schools),
        ("校园", EventKind::Schools),
        ("企业", EventKind::Enterprises),
        ("社区", EventKind::Communities),
        ("乡村", EventKind::Villages),
        ("进村", EventKind::Villages),
        ("农村", EventKind::Villages),
        ("单位", EventKind::Units),
        ("讲座", EventKind::Lecture),
        ("讲堂", EventKind::Lecture),
        ("宣讲", EventKind::Lecture),
        ("文艺", EventKind::Performance),
        ("演出", EventKind::Performance),
        ("网络", EventKind::Online),
        ("线上", EventKind::Online),
        ("网上", EventKind::Online),
        ("微信", EventKind::Online),
    ];
    WORDS.iter().find(|(w, _)| s.contains(w)).map(|(_, k)| *k)
}

/// A count as ledgers write it: “45”, “45人”, “1,200人次”, “300份”; empty is `None`.
fn count_of(s: &str) -> Result<Option<i64>, ()> {
    let t: String = s
        .trim()
        .trim_end_matches(['人', '次', '份', '册', '个'])
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    if t.is_empty() {
        return Ok(None);
    }
    let t = t.strip_suffix(".0").unwrap_or(&t);
    t.parse::<i64>().map(Some).map_err(|_| ())
}

/// A village (or the township) the importer may record for.
#[derive(Debug, Clone)]
pub struct LedgerPlace {
    pub name: String,
}

/// The index of the place a ledger's village text names: the same name, else the one
/// place whose name begins with it or it begins with (“青石” for 青石村).
pub fn place_of_text(places: &[LedgerPlace], s: &str) -> Result<usize, String> {
    let s = s.trim();
    if let Some(i) = places.iter().position(|p| p.name == s) {
        return Ok(i);
    }
    let near: Vec<usize> = places
        .iter()
        .enumerate()
        .filter(|(_, p)| p.name.starts_with(s) || s.starts_with(p.name.as_str()))
        .map(|(i, _)| i)
        .collect();
    match near.as_slice() {
        [i] => Ok(*i),
        [] => Err(format!("村（社区）“{s}”不在本镇或不在您的管辖范围内")),
        _ => Err(format!("村（社区）“{s}”对应多个村（社区），请写全称")),
    }
}

/// What the importer confirmed and what a row is checked against.
pub struct LedgerContext<'a> {
    pub columns: &'a BTreeMap<LedgerField, usize>,
    /// The type of rows whose type column is empty or not mapped.
    pub default_kind: EventKind,
    /// Places by name; `default_place` is used when a row names none.
    pub places: &'a [LedgerPlace],
    pub default_place: usize,
    pub today: Date,
    pub calendar: &'a dyn Fn(i32) -> Vec<ThemeDay>,
}

/// A good row: the event, its place (index into the context's places), and the text
/// its key is made from (the ledger's 编号 when mapped, else the row's content).
#[derive(Debug, Clone)]
pub struct LedgerRow {
    pub fields: EventFields,
    pub place: usize,
    pub key_text: String,
}

/// Reads and checks one row (cells as text; dates already `YYYY-MM-DD` where the cell
/// was a date); every reason it cannot be imported, in Chinese.
pub fn ledger_row(ctx: &LedgerContext<'_>, cells: &[String]) -> Result<LedgerRow, Vec<String>> {
    let get = |f: LedgerField| {
        ctx.columns
            .get(&f)
            .and_then(|c| cells.get(*c))
            .map(|s| s.trim())
            .unwrap_or("")
    };
    let mut reasons = Vec::new();
    // Fields already reported in the ledger's words.
    let mut reported: Vec<&'static str> = Vec::new();
    let mut num = |f: LedgerField| match count_of(get(f)) {
        Ok(v) => v,
        Err(()) => {
            reasons.push(format!("{}“{}”不是整数", f.label_zh(), get(f)));
            reported.push(f.as_str());
            Some(0)
        }
    };
    let participants = num(LedgerField::Participants);
    let reached = num(LedgerField::Reached);
    let materials = num(LedgerField::Materials).or(Some(0));
    let kind = match get(LedgerField::Kind) {
        "" => Some(ctx.default_kind),
        t => {
            let k = kind_of_text(t);
            if k.is_none() {
                reasons.push(format!("活动类型“{t}”无法识别"));
            }
            k
        }
    };
    let place = match get(LedgerField::Village) {
        "" => Some(ctx.default_place),
        t => match place_of_text(ctx.places, t) {
            Ok(i) => Some(i),
            Err(m) => {
                reasons.push(m);
                None
            }
        },
    };
    let held_on = get(LedgerField::HeldOn);
    if held_on.is_empty() {
        reasons.push("活动日期为空".into());
    }
    // A theme-day activity is counted for the theme day its date falls on.
    let theme = match (
        kind,
        Date::parse(
            held_on,
            &time::macros::format_description!("[year]-[month]-[day]"),
        )
        .ok(),
    ) {
        (Some(EventKind::ThemeDay), Some(d)) => {
            let table = (ctx.calendar)(d.year());
            match themes_on(&table, d).first() {
                Some(t) => Some(t.key.clone()),
                None => {
                    reasons.push(format!(
                        "{d}不在主题日表中的任何主题日内，请改为其他活动类型"
                    ));
                    None
                }
            }
        }
        _ => None,
    };
    let draft = EventDraft {
        kind: kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
        theme,
        held_on: held_on.to_string(),
        title: get(LedgerField::Title).to_string(),
        place: get(LedgerField::Place).to_string(),
        participants,
        reached,
        materials,
        laws: split_laws(get(LedgerField::Laws)),
        summary: get(LedgerField::Summary).to_string(),
    };
    let fields = match check_event(&draft, ctx.today, ctx.calendar) {
        Ok(f) => Some(f),
        Err(e) => {
            for (field, m) in e.0 {
                // The type and theme were reported above in the ledger's words.
                if (field == "kind" && kind.is_none())
                    || (field == "theme" && !reasons.is_empty())
                    || reported.contains(&field.as_str())
                {
                    continue;
                }
                if !reasons.contains(&m) {
                    reasons.push(m);
                }
            }
            None
        }
    };
    match (fields, place) {
        (Some(fields), Some(place)) if reasons.is_empty() => {
            let number = get(LedgerField::Number);
            let key_text = if number.is_empty() {
                format!(
                    "row|{}|{}|{}|{}",
                    fields.held_on, ctx.places[place].name, fields.title, fields.participants
                )
            } else {
                format!("no|{number}")
            };
            Ok(LedgerRow {
                fields,
                place,
                key_text,
            })
        }
        _ => Err(reasons),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::education::default_theme_days;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn columns_are_suggested_by_their_names() {
        let m = suggest_ledger(&headers(&[
            "序号",
            "活动时间",
            "活动名称",
            "活动形式",
            "所在村（社区）",
            "参加人数",
            "受众人次",
            "发放资料(份)",
            "备注",
        ]));
        assert_eq!(m.get(&LedgerField::HeldOn), Some(&1));
        assert_eq!(m.get(&LedgerField::Title), Some(&2));
        assert_eq!(m.get(&LedgerField::Kind), Some(&3));
        assert_eq!(m.get(&LedgerField::Village), Some(&4));
        assert_eq!(m.get(&LedgerField::Participants), Some(&5));
        assert_eq!(m.get(&LedgerField::Reached), Some(&6));
        assert_eq!(m.get(&LedgerField::Materials), Some(&7));
        assert_eq!(m.get(&LedgerField::Summary), Some(&8));
        assert_eq!(m.get(&LedgerField::Number), None, "序号 is no key");
        assert!(check_ledger_mapping(&m, 9).is_ok());
        let mut bad = m.clone();
        bad.remove(&LedgerField::Title);
        bad.insert(LedgerField::Laws, 1);
        let e = check_ledger_mapping(&bad, 9).unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
    }

    #[test]
    fn rows_are_read_in_the_ledger_s_words_and_every_reason_is_given() {
        let columns = suggest_ledger(&headers(&["日期", "主题", "类型", "村", "人数", "资料"]));
        let places = vec![
            LedgerPlace {
                name: "青石镇".into(),
            },
            LedgerPlace {
                name: "青石村".into(),
            },
            LedgerPlace {
                name: "石桥社区".into(),
            },
        ];
        let today = Date::from_calendar_date(2026, time::Month::December, 6).unwrap();
        let calendar = |y: i32| default_theme_days(y);
        let ctx = LedgerContext {
            columns: &columns,
            default_kind: EventKind::Villages,
            places: &places,
            default_place: 0,
            today,
            calendar: &calendar,
        };
        let row = |c: &[&str]| ledger_row(&ctx, &headers(c));
        let ok = row(&[
            "2026-03-04",
            "民法典进院坝",
            "进村入户",
            "石桥",
            "45人",
            "100份",
        ])
        .unwrap();
        assert_eq!(ok.fields.kind, EventKind::Villages);
        assert_eq!(
            (ok.place, ok.fields.participants, ok.fields.materials),
            (2, 45, 100)
        );
        let theme = row(&["2026-12-04", "宪法日宣传", "主题日", "", "80", ""]).unwrap();
        assert_eq!(theme.place, 0, "no village: the default place");
        assert!(theme.fields.theme.is_some(), "the theme day of its date");
        let bad = row(&["2026-13-01", "", "跳广场舞", "白沙村", "很多", ""]).unwrap_err();
        assert!(bad.len() >= 4, "{bad:?}");
        assert!(bad.iter().any(|r| r.contains("跳广场舞")), "{bad:?}");
        assert!(bad.iter().any(|r| r.contains("白沙村")), "{bad:?}");
        assert!(bad.iter().any(|r| r.contains("很多")), "{bad:?}");
        // The same content gives the same key; another date another.
        let again = row(&["2026-03-04", "民法典进院坝", "", "石桥社区", "45", "100"]).unwrap();
        assert_eq!(again.key_text, ok.key_text);
        let other = row(&["2026-03-05", "民法典进院坝", "", "石桥社区", "45", "100"]).unwrap();
        assert_ne!(other.key_text, ok.key_text);
    }
}
