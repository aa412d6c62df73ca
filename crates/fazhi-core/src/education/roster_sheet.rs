//! Import of a township's rosters (法律明白人, 人民调解员, 网格员 名册, kept in Excel):
//! which column holds what, suggested from the header names (the platform's own export
//! reads back as it is); each row read into a roster entry and checked with the rules
//! of the form (`check_roster`), its village found by name among the importer's.

use std::collections::BTreeMap;

use time::Date;

use super::codes::RosterRole;
use super::columns::SheetField;
use super::input::{RosterDraft, RosterFields, check_roster};
use super::ledger::{LedgerPlace, place_of_text};
use crate::matter::code_enum;

code_enum! {
    /// One of the fields a roster column may hold.
    pub enum RosterField: "名册列" {
        Name = ("name", "姓名"),
        Role = ("role", "类别"),
        Village = ("village", "村（社区）"),
        Grid = ("grid", "网格"),
        Phone = ("phone", "联系电话"),
        IdNumber = ("id_number", "身份证号"),
        TrainingHours = ("training_hours", "培训学时"),
        Certificates = ("certificates", "证书"),
        Note = ("note", "备注"),
    }
}

impl SheetField for RosterField {
    fn all() -> &'static [Self] {
        RosterField::ALL
    }
    fn words(self) -> &'static [&'static str] {
        match self {
            RosterField::Name => &["姓名", "名字", "人员姓名"],
            RosterField::Role => &["类别", "人员类别", "队伍类别", "身份", "类型"],
            RosterField::Village => &["村（社区）", "所在村", "村居", "村社区", "社区", "村"],
            RosterField::Grid => &["网格", "所在网格", "网格名称"],
            RosterField::Phone => &["联系电话", "手机号码", "手机号", "手机", "电话"],
            RosterField::IdNumber => &["身份证号", "身份证号码", "公民身份号码", "身份证"],
            RosterField::TrainingHours => &["培训学时", "学时", "培训时长"],
            RosterField::Certificates => &["证书", "持有证书", "资格证书", "证书名称"],
            RosterField::Note => &["备注", "说明"],
        }
    }
    fn required(self) -> bool {
        matches!(self, RosterField::Name | RosterField::Village)
    }
    fn label(self) -> &'static str {
        self.label_zh()
    }
}

impl RosterField {
    /// Whether a mapping must name a column for it.
    pub fn required(self) -> bool {
        SheetField::required(self)
    }
}

/// Which column each field is probably in, by the header names (each column once).
pub fn suggest_roster(headers: &[String]) -> BTreeMap<RosterField, usize> {
    super::columns::suggest(headers)
}

/// What is wrong with a mapping.
pub fn check_roster_mapping(
    columns: &BTreeMap<RosterField, usize>,
    width: usize,
) -> Result<(), Vec<String>> {
    super::columns::check_mapping(columns, width)
}

/// The role a roster's text names: a code, a label or a telling word (“明白人”,
/// “调解”, “网格”); `None` when it names none.
pub fn roster_role_of_text(s: &str) -> Option<RosterRole> {
    let s = s.trim();
    if let Some(r) = RosterRole::ALL
        .iter()
        .find(|r| r.as_str() == s || r.label_zh() == s)
    {
        return Some(*r);
    }
    const WORDS: &[(&str, RosterRole)] = &[
        ("明白人", RosterRole::LegalLiterate),
        ("调解", RosterRole::Mediator),
        ("网格", RosterRole::GridWorker),
    ];
    WORDS.iter().find(|(w, _)| s.contains(w)).map(|(_, r)| *r)
}

/// What a roster row is read against.
pub struct RosterContext<'a> {
    pub columns: &'a BTreeMap<RosterField, usize>,
    /// The role of rows whose role column is empty or not mapped.
    pub default_role: RosterRole,
    /// The villages the importer may keep rosters for, by name.
    pub places: &'a [LedgerPlace],
    /// The grids of those villages: (index into `places`, grid name).
    pub grids: &'a [(usize, String)],
    pub today: Date,
}

/// A good row: the entry, its village (index into the context's places) and grid
/// (index into the context's grids).
#[derive(Debug, Clone, PartialEq)]
pub struct RosterLine {
    pub fields: RosterFields,
    pub place: usize,
    pub grid: Option<usize>,
}

/// The grid of a village a text names: the same name, else the one whose name begins
/// with it (“3” for 第3网格 is too short to tell; “第3” is not).
fn grid_of_text(ctx: &RosterContext, place: usize, s: &str) -> Result<usize, String> {
    let of_place = || ctx.grids.iter().enumerate().filter(|(_, g)| g.0 == place);
    if let Some((i, _)) = of_place().find(|(_, g)| g.1 == s) {
        return Ok(i);
    }
    let near: Vec<usize> = of_place()
        .filter(|(_, g)| g.1.starts_with(s) || s.starts_with(g.1.as_str()))
        .map(|(i, _)| i)
        .collect();
    match near.as_slice() {
        [i] => Ok(*i),
        [] => Err(format!("网格“{s}”不在{}", ctx.places[place].name)),
        _ => Err(format!("网格“{s}”对应多个网格，请写全称")),
    }
}

/// Reads and checks one row; every reason it cannot be imported, in Chinese.
pub fn roster_line(ctx: &RosterContext, cells: &[String]) -> Result<RosterLine, Vec<String>> {
    let cell = |f: RosterField| {
        ctx.columns
            .get(&f)
            .and_then(|c| cells.get(*c))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let mut reasons = Vec::new();
    let role_text = cell(RosterField::Role);
    let role = if role_text.is_empty() {
        ctx.default_role
    } else {
        roster_role_of_text(&role_text).unwrap_or_else(|| {
            reasons.push(format!(
                "类别“{role_text}”无法识别（应为法律明白人、人民调解员或网格员）"
            ));
            ctx.default_role
        })
    };
    let village = cell(RosterField::Village);
    let place = if village.is_empty() {
        reasons.push("未填写村（社区）".to_string());
        None
    } else {
        place_of_text(ctx.places, &village)
            .map_err(|m| reasons.push(m))
            .ok()
    };
    let grid_text = cell(RosterField::Grid);
    let grid = match place {
        Some(p) if !grid_text.is_empty() => grid_of_text(ctx, p, &grid_text)
            .map_err(|m| reasons.push(m))
            .ok(),
        _ => None,
    };
    // A masked number (a masked export read back) says nothing: as if not given.
    let unmasked = |s: String| if s.contains('*') { String::new() } else { s };
    let draft = RosterDraft {
        role: role.as_str().into(),
        name: cell(RosterField::Name),
        phone: unmasked(cell(RosterField::Phone)),
        id_number: unmasked(cell(RosterField::IdNumber)),
        training_hours: cell(RosterField::TrainingHours),
        certificates: cell(RosterField::Certificates),
        note: cell(RosterField::Note),
    };
    let fields = match check_roster(&draft, ctx.today) {
        Ok(f) => Some(f),
        Err(e) => {
            reasons.extend(e.0.into_iter().map(|(_, m)| m));
            None
        }
    };
    match (fields, place) {
        (Some(fields), Some(place)) if reasons.is_empty() => Ok(RosterLine {
            fields,
            place,
            grid,
        }),
        _ => Err(reasons),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn reads_the_export_back_and_names_every_problem() {
        let headers: Vec<String> = [
            "姓名",
            "类别",
            "村（社区）",
            "网格",
            "联系电话",
            "身份证号",
            "培训学时",
            "证书",
            "状态",
            "备注",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let cols = suggest_roster(&headers);
        assert_eq!(cols.get(&RosterField::Name), Some(&0));
        assert_eq!(cols.get(&RosterField::Village), Some(&2));
        assert_eq!(cols.get(&RosterField::Grid), Some(&3));
        assert_eq!(cols.get(&RosterField::Phone), Some(&4));
        assert_eq!(cols.get(&RosterField::IdNumber), Some(&5));
        assert_eq!(cols.get(&RosterField::TrainingHours), Some(&6));
        assert_eq!(cols.get(&RosterField::Certificates), Some(&7));
        assert_eq!(cols.get(&RosterField::Note), Some(&9));
        assert!(check_roster_mapping(&cols, headers.len()).is_ok());
        let places = [
            LedgerPlace {
                name: "青石村".into(),
            },
            LedgerPlace {
                name: "石门村".into(),
            },
        ];
        let grids = [(0, "第1网格".to_string()), (1, "第1网格".to_string())];
        let ctx = RosterContext {
            columns: &cols,
            default_role: RosterRole::LegalLiterate,
            places: &places,
            grids: &grids,
            today: date!(2026 - 12 - 06),
        };
        let row = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let ok = roster_line(
            &ctx,
            &row(&[
                "王五",
                "调解员",
                "石门",
                "",
                "13812345678",
                "11010519491231002X",
                "16.5",
                "人民调解员培训合格证",
                "在册",
                "",
            ]),
        )
        .unwrap();
        assert_eq!((ok.place, ok.fields.role), (1, RosterRole::Mediator));
        assert_eq!(ok.fields.training_tenths, Some(165));
        assert_eq!(
            ok.fields.certificates.as_deref(),
            Some("人民调解员培训合格证")
        );
        let bad = roster_line(
            &ctx,
            &row(&["", "厨师", "东山村", "", "12", "110105194912310021"]),
        )
        .unwrap_err();
        assert_eq!(bad.len(), 5, "{bad:?}");
    }
}
