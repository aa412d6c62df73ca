//! A village's standing: 民主法治示范村, 村规民约 review, its legal adviser.

use time::Date;

use super::optional_past;
use crate::education::codes::ModelLevel;
use crate::education::input::{FieldErrors, code_of, optional_text};

/// A village's standing as entered.
#[derive(Debug, Clone, Default)]
pub struct VillageDraft {
    /// Empty: no 民主法治示范村 title.
    pub model_level: String,
    pub model_year: Option<i32>,
    pub rules_reviewed_on: String,
    pub rules_reviewed_by: String,
    pub adviser_name: String,
    pub adviser_firm: String,
}

/// A checked village standing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VillageFields {
    /// 民主法治示范村（社区）: level and year named.
    pub model: Option<(ModelLevel, i32)>,
    /// 村规民约（居民公约） last reviewed: day and by whom.
    pub rules_review: Option<(Date, String)>,
    /// 一村（社区）一法律顾问: name, and firm or office.
    pub adviser: Option<(String, Option<String>)>,
}

/// Checks a village's standing: a title needs its level and year, a review its day and
/// reviewer, an adviser a name.
pub fn check_village(d: &VillageDraft, today: Date) -> Result<VillageFields, FieldErrors> {
    let mut e = FieldErrors::default();
    let level = match d.model_level.trim() {
        "" => None,
        _ => code_of::<ModelLevel>(&mut e, "model_level", &d.model_level),
    };
    let model = match (level, d.model_year, d.model_level.trim().is_empty()) {
        (Some(l), Some(y), _) if (1990..=today.year()).contains(&y) => Some((l, y)),
        (Some(_), Some(_), _) => {
            e.add("model_year", "命名年度须在1990年至今年之间");
            None
        }
        (Some(_), None, _) => {
            e.add("model_year", "请填写示范村命名年度");
            None
        }
        (None, Some(_), true) => {
            e.add("model_level", "填写了命名年度，请选择示范村级别");
            None
        }
        _ => None,
    };
    let on = optional_past(
        &mut e,
        "rules_reviewed_on",
        "村规民约审查日期",
        &d.rules_reviewed_on,
        today,
    );
    let by = optional_text(
        &mut e,
        "rules_reviewed_by",
        "审查单位或人员",
        &d.rules_reviewed_by,
        50,
    );
    let rules_review = match (on, by) {
        (Some(on), Some(by)) => Some((on, by)),
        (Some(_), None) => {
            e.add("rules_reviewed_by", "请填写审查单位或人员");
            None
        }
        (None, Some(_)) if d.rules_reviewed_on.trim().is_empty() => {
            e.add("rules_reviewed_on", "请填写村规民约审查日期");
            None
        }
        _ => None,
    };
    let name = optional_text(&mut e, "adviser_name", "法律顾问姓名", &d.adviser_name, 30);
    let firm = optional_text(
        &mut e,
        "adviser_firm",
        "所在律所或单位",
        &d.adviser_firm,
        60,
    );
    let adviser = match (name, firm) {
        (Some(n), f) => Some((n, f)),
        (None, Some(_)) => {
            e.add("adviser_name", "填写了律所或单位，请填写法律顾问姓名");
            None
        }
        (None, None) => None,
    };
    e.or(|| VillageFields {
        model,
        rules_review,
        adviser,
    })
}

/// What the village table shows of one village: its standing and its 法律明白人.
#[derive(Debug, Clone, PartialEq)]
pub struct VillageFacts {
    pub code: String,
    pub fields: VillageFields,
    pub legal_literate: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 06 - 30);

    #[test]
    fn a_village_title_needs_level_and_year() {
        let ok = check_village(
            &VillageDraft {
                model_level: "provincial".into(),
                model_year: Some(2021),
                rules_reviewed_on: "2026-03-01".into(),
                rules_reviewed_by: "司法所".into(),
                adviser_name: "林律师".into(),
                ..VillageDraft::default()
            },
            TODAY,
        )
        .unwrap();
        assert_eq!(ok.model, Some((ModelLevel::Provincial, 2021)));
        assert_eq!(ok.adviser, Some(("林律师".into(), None)));
        let e = check_village(
            &VillageDraft {
                model_level: "county".into(),
                rules_reviewed_on: "2026-03-01".into(),
                adviser_firm: "某律所".into(),
                ..VillageDraft::default()
            },
            TODAY,
        )
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["model_year", "rules_reviewed_by", "adviser_name"]);
        assert_eq!(
            check_village(&VillageDraft::default(), TODAY).unwrap(),
            VillageFields::default()
        );
    }
}
