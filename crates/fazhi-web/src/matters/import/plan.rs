//! From ledger rows to matters, without I/O: which of our fields each column holds
//! (suggested from the headers, confirmed by the user), and every row checked against
//! the same rules as intake. A row passes only whole; a bad row is reported with its
//! row number and every reason, in Chinese. The state of an imported matter is built
//! through the real state machine (register → accept → close when the ledger shows a
//! result), so every invariant of a matter holds for it.

use std::collections::{BTreeMap, HashMap};

use fazhi_core::calendar::Calendar;
use fazhi_core::matter::{
    Action, ActionCode, Channel, ClosureType, DeadlineRules, Kind, MatterState, MediationOutcome,
    Route, Status, apply,
};
use fazhi_core::party::{self, PartyRole};
use fazhi_db::audit::Actor;
use fazhi_db::matters::{NewEvent, NewMatter, NewParty};
use fazhi_office::import::{Cell, Sheet, SheetRow};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::Date;

use crate::matters::intake::default_role;

/// Longest summary, in characters (as at intake).
const MAX_SUMMARY: usize = 2000;
/// Most parties one row may name.
const MAX_PARTIES: usize = 20;

macro_rules! fields {
    ($($v:ident = ($code:literal, $label:literal, $required:literal)),+ $(,)?) => {
        /// One of our fields a ledger column may hold.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum Field { $($v),+ }

        impl Field {
            /// Every field, in form order.
            pub const ALL: &'static [Field] = &[$(Field::$v),+];

            /// Stable code (JSON key of a mapping).
            pub const fn as_str(self) -> &'static str {
                match self { $(Field::$v => $code),+ }
            }

            /// Chinese label.
            pub const fn label_zh(self) -> &'static str {
                match self { $(Field::$v => $label),+ }
            }

            /// Whether a mapping must name a column for it.
            pub const fn required(self) -> bool {
                match self { $(Field::$v => $required),+ }
            }

            /// The field with code `s`.
            pub fn parse(s: &str) -> Option<Field> {
                match s { $($code => Some(Field::$v),)+ _ => None }
            }
        }
    };
}

fields! {
    LegacyNo = ("legacy_no", "原编号（全镇唯一）", false),
    ReceivedOn = ("received_on", "登记日期", true),
    Kind = ("kind", "事项类型", false),
    Category = ("category", "类别", false),
    Channel = ("channel", "来源渠道", false),
    Village = ("village", "村（社区）", true),
    Summary = ("summary", "事由（主要内容）", true),
    PartyName = ("party_name", "当事人姓名", true),
    IdNumber = ("id_number", "身份证号", false),
    Phone = ("phone", "联系电话", false),
    Address = ("address", "地址", false),
    Result = ("result", "办理结果（化解情况）", false),
    ClosedOn = ("closed_on", "办结日期", false),
}

/// How header names suggest a field: exact names, parts of names, and words that rule
/// a header out (办结日期 is not the registration date).
struct Rule {
    field: Field,
    exact: &'static [&'static str],
    contains: &'static [&'static str],
    not: &'static [&'static str],
}

const RULES: &[Rule] = &[
    Rule {
        field: Field::ClosedOn,
        exact: &[
            "办结日期",
            "办结时间",
            "化解日期",
            "化解时间",
            "结案日期",
            "调处日期",
            "办结",
        ],
        contains: &[
            "办结日期",
            "办结时间",
            "化解时间",
            "化解日期",
            "结案",
            "完成时间",
        ],
        not: &[],
    },
    Rule {
        field: Field::ReceivedOn,
        exact: &[
            "登记日期",
            "受理时间",
            "受理日期",
            "登记时间",
            "收到日期",
            "反映时间",
            "来访日期",
            "来访时间",
            "排查日期",
            "排查时间",
            "日期",
            "时间",
        ],
        contains: &[
            "登记日期",
            "受理日期",
            "受理时间",
            "登记时间",
            "日期",
            "时间",
        ],
        not: &["办结", "化解", "结案", "期限", "回访", "完成", "调处"],
    },
    Rule {
        field: Field::LegacyNo,
        exact: &[
            "编号",
            "案件编号",
            "登记编号",
            "台账编号",
            "受理编号",
            "案号",
            "纠纷编号",
            "信访编号",
        ],
        contains: &["编号"],
        not: &["序号"],
    },
    Rule {
        field: Field::Kind,
        exact: &["事项类型", "事项性质"],
        contains: &[],
        not: &[],
    },
    Rule {
        field: Field::Category,
        exact: &[
            "纠纷类型",
            "类别",
            "纠纷类别",
            "类型",
            "问题类别",
            "事项类别",
            "矛盾类型",
            "信访类别",
        ],
        contains: &["类别", "类型"],
        not: &["事项类型", "渠道", "来源"],
    },
    Rule {
        field: Field::Channel,
        exact: &[
            "来源",
            "渠道",
            "来源渠道",
            "信访形式",
            "反映方式",
            "来访方式",
            "登记方式",
        ],
        contains: &["来源", "渠道", "方式", "形式"],
        not: &["联系方式"],
    },
    Rule {
        field: Field::Village,
        exact: &[
            "村(社区)",
            "村社区",
            "村居",
            "所属村",
            "所在村",
            "村",
            "社区",
            "发生地",
            "发生地点",
            "所属村(社区)",
            "村(居)",
        ],
        contains: &["村(社区)", "村", "社区", "发生地"],
        not: &["村民", "矫正"],
    },
    Rule {
        field: Field::Summary,
        exact: &[
            "事由",
            "主要内容",
            "事项摘要",
            "简要案情",
            "纠纷简要情况",
            "反映问题",
            "主要诉求",
            "信访事项",
            "纠纷内容",
            "内容",
            "摘要",
            "基本情况",
            "主要问题",
        ],
        contains: &["事由", "内容", "案情", "摘要", "情况", "问题", "诉求"],
        not: &["办理", "化解", "结果", "处理", "办结"],
    },
    Rule {
        field: Field::PartyName,
        exact: &[
            "当事人",
            "反映人",
            "申请人",
            "信访人",
            "姓名",
            "当事人姓名",
            "来访人",
            "投诉人",
            "双方当事人",
        ],
        contains: &["当事人", "反映人", "申请人", "信访人", "姓名"],
        not: &["身份证", "电话", "住址", "地址", "证件"],
    },
    Rule {
        field: Field::IdNumber,
        exact: &["身份证号", "身份证号码", "证件号码", "公民身份号码"],
        contains: &["身份证", "证件号", "身份号码"],
        not: &[],
    },
    Rule {
        field: Field::Phone,
        exact: &["联系电话", "电话", "手机", "手机号", "联系方式", "电话号码"],
        contains: &["电话", "手机", "联系方式"],
        not: &[],
    },
    Rule {
        field: Field::Address,
        exact: &["地址", "住址", "家庭住址", "详细地址"],
        contains: &["住址", "地址"],
        not: &[],
    },
    Rule {
        field: Field::Result,
        exact: &[
            "办理结果",
            "化解情况",
            "处理结果",
            "调处结果",
            "调解结果",
            "办结情况",
            "处理情况",
            "结果",
            "办理情况",
        ],
        contains: &["结果", "化解情况", "办理情况", "处理情况", "办结情况"],
        not: &["日期", "时间"],
    },
];

/// A header as compared: no spaces, half-width brackets.
fn norm_header(h: &str) -> String {
    h.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

/// Which column each field is probably in, judged by the header names; each column
/// is used once, the best match first.
pub fn suggest(headers: &[String]) -> BTreeMap<Field, usize> {
    let mut scored = Vec::new();
    for (col, h) in headers.iter().enumerate() {
        let h = norm_header(h);
        if h.is_empty() {
            continue;
        }
        for r in RULES {
            if r.not.iter().any(|n| h.contains(n)) {
                continue;
            }
            let score = if r.exact.contains(&h.as_str()) {
                100
            } else if let Some(m) = r
                .contains
                .iter()
                .filter(|c| h.contains(*c))
                .max_by_key(|c| c.chars().count())
            {
                50 + m.chars().count()
            } else {
                continue;
            };
            scored.push((score, r.field, col));
        }
    }
    // Best score first; ties go to the earlier column and the earlier rule.
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
    let mut out = BTreeMap::new();
    let mut used = Vec::new();
    for (_, field, col) in scored {
        if !out.contains_key(&field) && !used.contains(&col) {
            out.insert(field, col);
            used.push(col);
        }
    }
    out
}

/// What the user confirmed: the column of each field, the kind of rows that do not
/// say, and where categories the list does not know go (none: such rows are bad).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Mapping {
    /// Field code → column index (0 = column A). Unmapped fields are left out.
    #[schema(value_type = BTreeMap<String, usize>)]
    pub columns: BTreeMap<Field, usize>,
    /// Kind code (`dispute`, `petition` …) for rows without a kind column.
    pub default_kind: String,
    /// Category code for rows whose category is empty or unknown; none rejects them.
    #[serde(default)]
    pub category_fallback: Option<String>,
}

/// A village or community the importer may register in.
#[derive(Debug, Clone)]
pub struct VillageRef {
    pub id: i64,
    pub name: String,
    pub path: String,
    /// The township it belongs to (scopes ledger numbers).
    pub township_id: i64,
}

/// What rows are checked against.
pub struct Context<'a> {
    pub villages: &'a [VillageRef],
    /// (code, label) of the live category list.
    pub categories: &'a [(String, String)],
    pub today: Date,
    pub calendar: &'a Calendar,
    pub rules: &'a DeadlineRules,
    pub actor: &'a Actor,
}

/// A row that cannot be imported, with every reason.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct BadRow {
    /// Row number as Excel shows it.
    pub row: usize,
    pub reason: String,
}

/// A row ready to store.
#[derive(Debug, Clone)]
pub struct Planned {
    pub row: usize,
    pub matter: NewMatter,
}

/// The outcome of checking a sheet.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    pub rows: Vec<Planned>,
    pub bad: Vec<BadRow>,
    /// Rows repeating an earlier row of the same file (same key), with the reason.
    pub repeated: Vec<BadRow>,
}

/// Problems with the mapping itself (before any row is looked at).
pub fn check_mapping(
    m: &Mapping,
    columns: usize,
    categories: &[(String, String)],
) -> Result<Kind, Vec<String>> {
    let mut errors = Vec::new();
    for f in Field::ALL.iter().filter(|f| f.required()) {
        if !m.columns.contains_key(f) {
            errors.push(format!("请为“{}”选择一列", f.label_zh()));
        }
    }
    let mut seen: HashMap<usize, Field> = HashMap::new();
    for (f, c) in &m.columns {
        if *c >= columns {
            errors.push(format!("“{}”所选的列不存在", f.label_zh()));
        } else if let Some(other) = seen.insert(*c, *f) {
            errors.push(format!(
                "“{}”和“{}”选了同一列",
                other.label_zh(),
                f.label_zh()
            ));
        }
    }
    if let Some(fb) = &m.category_fallback
        && !categories.iter().any(|(c, _)| c == fb)
    {
        errors.push(format!("未知的类别代码“{fb}”"));
    }
    if !m.columns.contains_key(&Field::Category) && m.category_fallback.is_none() {
        errors.push("请为“类别”选择一列，或选择无法识别时归入的类别".into());
    }
    let kind = m.default_kind.trim().parse::<Kind>();
    if kind.is_err() {
        errors.push("请选择默认的事项类型".into());
    }
    match kind {
        Ok(k) if errors.is_empty() => Ok(k),
        _ => Err(errors),
    }
}

fn kind_of(s: &str) -> Option<Kind> {
    let s = s.trim();
    s.parse::<Kind>().ok().or_else(|| {
        Kind::ALL.iter().copied().find(|k| {
            let l = k.label_zh();
            s == l || s.contains(l) || (l == "矛盾纠纷" && s.contains("纠纷"))
        })
    })
}

/// A channel from the ledger's wording; unknown or empty wording is 其他.
pub fn channel_of(s: &str) -> Channel {
    let s = s.trim();
    if let Ok(c) = s.parse::<Channel>() {
        return c;
    }
    if let Some(c) = Channel::ALL.iter().copied().find(|c| c.label_zh() == s) {
        return c;
    }
    const WORDS: &[(&str, Channel)] = &[
        ("12345", Channel::Hotline12345),
        ("民呼我为", Channel::Minhu),
        ("信访系统", Channel::PetitionSystem),
        ("网上信访", Channel::PetitionSystem),
        ("派出所", Channel::PoliceReferral),
        ("公安", Channel::PoliceReferral),
        ("法院", Channel::CourtReferral),
        ("网格", Channel::GridReport),
        ("排查", Channel::GridReport),
        ("来访", Channel::Visit),
        ("走访", Channel::Visit),
        ("接访", Channel::Visit),
        ("来电", Channel::Phone),
        ("电话", Channel::Phone),
        ("来信", Channel::Letter),
        ("信件", Channel::Letter),
        ("网上", Channel::Online),
        ("网络", Channel::Online),
    ];
    WORDS
        .iter()
        .find(|(w, _)| s.contains(w))
        .map_or(Channel::Other, |(_, c)| *c)
}

/// A category code from the ledger's wording: the code, the label, or the longest
/// label contained in the text (婚姻家庭纠纷 → 婚姻家庭) or containing it (邻里 → 邻里纠纷).
fn category_of(s: &str, cats: &[(String, String)]) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some((c, _)) = cats.iter().find(|(c, l)| c == s || l == s) {
        return Some(c.clone());
    }
    cats.iter()
        .filter(|(_, l)| s.contains(l.as_str()) || (s.chars().count() >= 2 && l.contains(s)))
        .max_by_key(|(_, l)| l.chars().count())
        .map(|(c, _)| c.clone())
}

const VILLAGE_SUFFIXES: &[&str] = &["村民委员会", "居民委员会", "村委会", "居委会", "社区", "村"];

fn village_key(name: &str) -> &str {
    let n = name.trim();
    VILLAGE_SUFFIXES
        .iter()
        .find_map(|s| n.strip_suffix(s).filter(|r| !r.is_empty()))
        .unwrap_or(n)
}

/// The village named `s` among those in scope: its full name, the name without 村 /
/// 社区 / 村委会, or a longer text ending in a full name (青石镇龙井村).
fn village_of<'a>(s: &str, villages: &'a [VillageRef]) -> Result<&'a VillageRef, String> {
    let s = s.trim();
    if let Some(v) = villages.iter().find(|v| v.name == s) {
        return Ok(v);
    }
    let key = village_key(s);
    let by_key: Vec<&VillageRef> = villages
        .iter()
        .filter(|v| village_key(&v.name) == key)
        .collect();
    match by_key.as_slice() {
        [v] => return Ok(v),
        [_, _, ..] => return Err(format!("村（社区）“{s}”对应多个村（社区），请填写全称")),
        [] => {}
    }
    let ends: Vec<&VillageRef> = villages.iter().filter(|v| s.ends_with(&v.name)).collect();
    match ends.as_slice() {
        [v] => Ok(v),
        _ => Err(format!("村（社区）“{s}”不存在或不在您的管辖范围内")),
    }
}

/// What the ledger says became of a matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    Open,
    Resolved,
    Partial,
    Failed,
}

fn ending_of(result: &str) -> Ending {
    let r = result.trim();
    let any = |ws: &[&str]| ws.iter().any(|w| r.contains(w));
    if r.is_empty() || any(&["未办结", "办理中", "正在", "在办", "未结", "跟进", "待处理"])
    {
        Ending::Open
    } else if any(&[
        "未化解",
        "调解不成",
        "调解失败",
        "不成功",
        "未达成",
        "失败",
        "无法调解",
    ]) {
        Ending::Failed
    } else if any(&["部分"]) {
        Ending::Partial
    } else {
        Ending::Resolved
    }
}

fn route_of(result: &str) -> Option<Route> {
    let any = |ws: &[&str]| ws.iter().any(|w| result.contains(w));
    if any(&["仲裁"]) {
        Some(Route::Arbitration)
    } else if any(&["诉讼", "起诉", "法院"]) {
        Some(Route::Litigation)
    } else if any(&["行政", "复议"]) {
        Some(Route::Administrative)
    } else {
        None
    }
}

/// Splits a names cell: 张三、李四 / 张三,李四 / 张三 李四.
fn names_of(s: &str) -> Vec<String> {
    s.split(['、', ',', '，', ';', '；', '/', ' ', '\u{3000}', '\n'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

/// 09:00 China time on `day`, in Unix milliseconds (timeline entries of old matters).
fn morning_ms(day: Date) -> i64 {
    let t = time::PrimitiveDateTime::new(day, time::Time::from_hms(9, 0, 0).expect("valid time"))
        .assume_offset(time::UtcOffset::from_hms(8, 0, 0).expect("valid offset"));
    t.unix_timestamp() * 1000
}

/// A hex digest of the parts, for a row without a ledger number.
fn digest(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.trim().as_bytes());
        h.update([0x1f]);
    }
    hex::encode(&h.finalize()[..16])
}

/// Checks every row; `tracking_code` gives each planned matter a fresh code.
pub fn check(
    sheet: &Sheet,
    m: &Mapping,
    default_kind: Kind,
    ctx: &Context,
    mut tracking_code: impl FnMut() -> String,
) -> Checked {
    let mut out = Checked::default();
    let mut keys: HashMap<String, usize> = HashMap::new();
    for row in &sheet.rows {
        match check_row(row, m, default_kind, ctx) {
            Ok(mut matter) => {
                let key = matter.source_ref.clone().unwrap_or_default();
                if let Some(first) = keys.get(&key) {
                    out.repeated.push(BadRow {
                        row: row.row,
                        reason: format!("与第{first}行相同，跳过"),
                    });
                    continue;
                }
                keys.insert(key, row.row);
                matter.tracking_code = tracking_code();
                out.rows.push(Planned {
                    row: row.row,
                    matter,
                });
            }
            Err(reasons) => out.bad.push(BadRow {
                row: row.row,
                reason: reasons.join("；"),
            }),
        }
    }
    out
}

fn check_row(
    row: &SheetRow,
    m: &Mapping,
    default_kind: Kind,
    ctx: &Context,
) -> Result<NewMatter, Vec<String>> {
    let cell = |f: Field| m.columns.get(&f).map_or(&Cell::Empty, |c| row.cell(*c));
    let text = |f: Field| cell(f).text().trim().to_string();
    let mut errors = Vec::new();

    let received_on = match cell(Field::ReceivedOn) {
        c if c.is_empty() => {
            errors.push("缺少登记日期".to_string());
            None
        }
        c => match c.date() {
            None => {
                errors.push(format!("登记日期“{}”无法识别", c.text()));
                None
            }
            Some(d) if d > ctx.today => {
                errors.push(format!("登记日期{d}晚于今天"));
                None
            }
            Some(d) if d < fazhi_core::validate::EARLIEST_DATE => {
                errors.push(format!("登记日期{d}早于2000年1月1日"));
                None
            }
            Some(d) => Some(d),
        },
    };
    let kind = match text(Field::Kind) {
        k if k.is_empty() => Some(default_kind),
        k => kind_of(&k).or_else(|| {
            errors.push(format!(
                "事项类型“{k}”无法识别（可填 矛盾纠纷、信访、投诉、建议、咨询）"
            ));
            None
        }),
    };
    let category_text = text(Field::Category);
    let category =
        category_of(&category_text, ctx.categories).or_else(|| m.category_fallback.clone());
    if category.is_none() {
        errors.push(if category_text.is_empty() {
            "缺少类别".to_string()
        } else {
            format!("类别“{category_text}”无法对应到类别表，可选择“无法识别时归入”的类别")
        });
    }
    let channel_text = text(Field::Channel);
    let channel = channel_of(&channel_text);
    let village_text = text(Field::Village);
    let village = if village_text.is_empty() {
        errors.push("缺少村（社区）".to_string());
        None
    } else {
        village_of(&village_text, ctx.villages)
            .map_err(|e| errors.push(e))
            .ok()
    };
    let summary = text(Field::Summary);
    if summary.is_empty() {
        errors.push("缺少事由".to_string());
    } else if summary.chars().count() > MAX_SUMMARY {
        errors.push(format!("事由超过{MAX_SUMMARY}个字"));
    } else if let Err(m) = fazhi_core::validate::no_control_chars("事由", &summary) {
        errors.push(m);
    }
    let names_text = text(Field::PartyName);
    let names = names_of(&names_text);
    if names.is_empty() {
        errors.push("缺少当事人姓名".to_string());
    } else if names.len() > MAX_PARTIES {
        errors.push(format!("当事人超过{MAX_PARTIES}名"));
    } else if let Some(n) = names.iter().find(|n| n.chars().count() > 50) {
        errors.push(format!("当事人姓名“{n}”超过50个字"));
    }
    let id_text = text(Field::IdNumber);
    let id_number = (!id_text.is_empty())
        .then(|| {
            party::check_id_number(&id_text, ctx.today)
                .map_err(|e| errors.push(format!("身份证号：{e}")))
                .ok()
        })
        .flatten();
    let phone_text = text(Field::Phone);
    let phone = (!phone_text.is_empty())
        .then(|| {
            party::check_phone(&phone_text)
                .map_err(|e| errors.push(format!("联系电话：{e}")))
                .ok()
        })
        .flatten();
    let address = Some(text(Field::Address)).filter(|a| !a.is_empty());
    if address.as_ref().is_some_and(|a| a.chars().count() > 200) {
        errors.push("地址超过200个字".to_string());
    }
    let result = text(Field::Result);
    let ending = ending_of(&result);
    let closed_on = match cell(Field::ClosedOn) {
        c if c.is_empty() => None,
        c => match c.date() {
            None => {
                errors.push(format!("办结日期“{}”无法识别", c.text()));
                None
            }
            Some(d) if d > ctx.today => {
                errors.push(format!("办结日期{d}晚于今天"));
                None
            }
            Some(d) if d < fazhi_core::validate::EARLIEST_DATE => {
                errors.push(format!("办结日期{d}早于2000年1月1日"));
                None
            }
            Some(d) if received_on.is_some_and(|r| d < r) => {
                errors.push("办结日期早于登记日期".to_string());
                None
            }
            Some(d) => Some(d),
        },
    };
    match (
        ending,
        closed_on.is_some() || !cell(Field::ClosedOn).is_empty(),
    ) {
        (Ending::Open, true) if result.is_empty() => errors.push("有办结日期但办理结果为空".into()),
        (Ending::Open, true) => {
            errors.push(format!("办理结果“{result}”表明尚未办结，但填有办结日期"))
        }
        (Ending::Open, false) => {}
        (_, false) => errors.push("办理结果表明已办结，但缺少办结日期".into()),
        (_, true) => {}
    }
    let (Some(received_on), Some(kind), Some(category), Some(village)) =
        (received_on, kind, category, village)
    else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let close = closed_on.map(|on| (on, close_action(kind, ending, &result)));
    let close = match close {
        Some((on, Ok(a))) => Some((on, a)),
        Some((_, Err(e))) => return Err(vec![e]),
        None => None,
    };

    // The life of the matter, through the state machine.
    let note = format!("由台账导入（第{}行）", row.row);
    let mut state = MatterState::register(kind, channel, received_on, ctx.calendar, ctx.rules);
    let event = |action: ActionCode,
                 from: Option<Status>,
                 to: Status,
                 note: String,
                 payload: String,
                 day: Date| {
        NewEvent {
            action,
            from,
            to,
            note,
            payload,
            on_date: day,
            at: morning_ms(day),
            actor: ctx.actor.clone(),
        }
    };
    let mut history = vec![event(
        ActionCode::Register,
        None,
        state.status,
        note.clone(),
        "{}".into(),
        received_on,
    )];
    let mut steps = vec![(received_on, Action::Accept, note)];
    if let Some((on, action)) = close {
        steps.push((on, action, result.clone()));
    }
    for (day, action, note) in steps {
        let t = apply(&state, &action, day, ctx.calendar, ctx.rules)
            .map_err(|e| vec![e.message().to_string()])?;
        history.push(event(
            t.action,
            Some(t.from),
            t.to,
            note,
            serde_json::to_string(&action).unwrap_or_else(|_| "{}".into()),
            day,
        ));
        state = t.state;
    }

    let role = default_role(kind);
    let parties = names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let first = i == 0;
            let (idn, ph) = if first {
                (id_number.clone(), phone.clone())
            } else {
                (None, None)
            };
            let role = if !first && kind == Kind::Dispute {
                PartyRole::Respondent
            } else {
                role
            };
            NewParty {
                role,
                name,
                id_number_mask: idn.as_deref().map(party::mask_id_number),
                phone_mask: ph.as_deref().map(party::mask_phone),
                id_number: idn,
                phone: ph,
                address: if first { address.clone() } else { None },
            }
        })
        .collect();
    let legacy = text(Field::LegacyNo);
    let source_ref = if legacy.is_empty() {
        let received = received_on.to_string();
        let village_id = village.id.to_string();
        let closed = closed_on.map(|d| d.to_string()).unwrap_or_default();
        let h = digest(&[
            &received,
            &village_id,
            &summary,
            &names_text,
            &id_text,
            &phone_text,
            &category_text,
            &channel_text,
            &result,
            &closed,
        ]);
        format!("t{}:h:{h}", village.township_id)
    } else {
        format!("t{}:{}:no:{legacy}", village.township_id, kind.as_str())
    };
    Ok(NewMatter {
        tracking_code: String::new(),
        category,
        division_id: village.id,
        division_path: village.path.clone(),
        grid_id: None,
        summary,
        address: None,
        state,
        repeat_of: None,
        parties,
        photos: Vec::new(),
        today: ctx.today,
        assignee_path: None,
        history,
        source_ref: Some(source_ref),
    })
}

/// The closing action the ledger's result describes.
fn close_action(kind: Kind, ending: Ending, result: &str) -> Result<Action, String> {
    let (outcome, resolved, closure_type, directed_to) = match (kind, ending) {
        (Kind::Dispute, Ending::Failed) => {
            let route = route_of(result).ok_or_else(|| {
                format!(
                    "办理结果“{result}”为调解不成，须写明引导当事人的途径（诉讼、仲裁或行政途径）"
                )
            })?;
            (
                Some(MediationOutcome::Failed),
                false,
                ClosureType::Procedural,
                Some(route),
            )
        }
        (Kind::Dispute, Ending::Partial) => (
            Some(MediationOutcome::Partial),
            false,
            ClosureType::Interim,
            None,
        ),
        (Kind::Dispute, _) => (
            Some(MediationOutcome::Success),
            true,
            ClosureType::Substantive,
            None,
        ),
        (_, Ending::Failed) => (None, false, ClosureType::Procedural, None),
        (_, Ending::Partial) => (None, false, ClosureType::Interim, None),
        (_, _) => (None, true, ClosureType::Substantive, None),
    };
    Ok(Action::Close {
        closure_type,
        resolved,
        outcome,
        directed_to,
        opinion: None,
    })
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn headers(hs: &[&str]) -> Vec<String> {
        hs.iter().map(|h| h.to_string()).collect()
    }

    #[test]
    fn suggests_columns_from_township_headers() {
        let s = suggest(&headers(&[
            "序号",
            "编号",
            "登记日期",
            "当事人",
            "身份证号",
            "联系电话",
            "村（社区）",
            "纠纷类型",
            "事由",
            "来源",
            "办理结果",
            "办结日期",
        ]));
        let want = [
            (Field::LegacyNo, 1),
            (Field::ReceivedOn, 2),
            (Field::PartyName, 3),
            (Field::IdNumber, 4),
            (Field::Phone, 5),
            (Field::Village, 6),
            (Field::Category, 7),
            (Field::Summary, 8),
            (Field::Channel, 9),
            (Field::Result, 10),
            (Field::ClosedOn, 11),
        ];
        assert_eq!(s, want.into_iter().collect::<BTreeMap<_, _>>());
        let s = suggest(&headers(&[
            "受理时间",
            "反映人",
            "村居",
            "类别",
            "主要内容",
            "渠道",
            "化解情况",
            "化解时间",
        ]));
        assert_eq!(s[&Field::ReceivedOn], 0);
        assert_eq!(s[&Field::PartyName], 1);
        assert_eq!(s[&Field::Village], 2);
        assert_eq!(s[&Field::Category], 3);
        assert_eq!(s[&Field::Summary], 4);
        assert_eq!(s[&Field::Channel], 5);
        assert_eq!(s[&Field::Result], 6);
        assert_eq!(s[&Field::ClosedOn], 7);
    }

    fn cats() -> Vec<(String, String)> {
        fazhi_core::matter::DEFAULT_CATEGORIES
            .iter()
            .map(|c| (c.code.to_string(), c.label_zh.to_string()))
            .collect()
    }

    #[test]
    fn words_map_to_codes() {
        let c = cats();
        assert_eq!(
            category_of("婚姻家庭纠纷", &c).as_deref(),
            Some("marriage_family")
        );
        assert_eq!(category_of("邻里", &c).as_deref(), Some("neighbour"));
        assert_eq!(category_of("宅基地纠纷", &c).as_deref(), Some("homestead"));
        assert_eq!(category_of("外星人", &c), None);
        assert_eq!(channel_of("来访"), Channel::Visit);
        assert_eq!(channel_of("12345转办"), Channel::Hotline12345);
        assert_eq!(channel_of("群众来电"), Channel::Phone);
        assert_eq!(channel_of(""), Channel::Other);
        assert_eq!(ending_of("调解成功"), Ending::Resolved);
        assert_eq!(ending_of("调解不成，引导诉讼"), Ending::Failed);
        assert_eq!(ending_of("正在办理"), Ending::Open);
        assert_eq!(route_of("调解不成，引导诉讼"), Some(Route::Litigation));
        let vs = [
            VillageRef {
                id: 1,
                name: "龙井村".into(),
                path: "/1/2/3/".into(),
                township_id: 2,
            },
            VillageRef {
                id: 2,
                name: "石桥社区".into(),
                path: "/1/2/4/".into(),
                township_id: 2,
            },
        ];
        assert_eq!(village_of("龙井村", &vs).unwrap().id, 1);
        assert_eq!(village_of("龙井村委会", &vs).unwrap().id, 1);
        assert_eq!(village_of("青石镇石桥社区", &vs).unwrap().id, 2);
        assert!(village_of("白鹤村", &vs).is_err());
        assert_eq!(names_of("张三、李四"), ["张三", "李四"]);
    }

    #[test]
    fn every_bad_row_has_its_reasons_and_good_rows_get_a_lawful_state() {
        use fazhi_office::import::{Cell as C, SheetRow};
        let t = |s: &str| C::Text(s.into());
        let vs = [VillageRef {
            id: 1,
            name: "龙井村".into(),
            path: "/1/2/3/".into(),
            township_id: 2,
        }];
        let cats = cats();
        let cal = Calendar::builtin();
        let rules = DeadlineRules::default();
        let actor = Actor::system("test");
        let ctx = Context {
            villages: &vs,
            categories: &cats,
            today: date!(2026 - 03 - 01),
            calendar: &cal,
            rules: &rules,
            actor: &actor,
        };
        // 登记日期, 村, 类别, 事由, 当事人, 身份证号, 办理结果, 办结日期
        let row = |n: usize, cells: Vec<C>| SheetRow { row: n, cells };
        let d = |y, m, d| {
            C::Date(Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap())
        };
        let sheet = Sheet {
            name: "台账".into(),
            header_row: 1,
            headers: headers(&[
                "登记日期",
                "村",
                "类别",
                "事由",
                "当事人",
                "身份证号",
                "办理结果",
                "办结日期",
            ]),
            rows: vec![
                row(
                    2,
                    vec![
                        d(2025, 3, 4),
                        t("龙井村"),
                        t("邻里纠纷"),
                        t("排水沟纠纷"),
                        t("张三、李四"),
                        C::Empty,
                        t("调解成功"),
                        t("2025-03-10"),
                    ],
                ),
                row(
                    3,
                    vec![
                        C::Empty,
                        t("白鹤村"),
                        t("邻里纠纷"),
                        t("围墙"),
                        t("王五"),
                        t("510105198001011235"),
                        C::Empty,
                        C::Empty,
                    ],
                ),
                row(
                    4,
                    vec![
                        t("2025/3/5"),
                        t("龙井村"),
                        t("外星人"),
                        t("噪音"),
                        t("赵六"),
                        C::Empty,
                        C::Empty,
                        C::Empty,
                    ],
                ),
                row(
                    5,
                    vec![
                        d(2025, 3, 4),
                        t("龙井村"),
                        t("邻里纠纷"),
                        t("排水沟纠纷"),
                        t("张三、李四"),
                        C::Empty,
                        t("调解成功"),
                        t("2025-03-10"),
                    ],
                ),
                row(
                    6,
                    vec![
                        t("2025年4月1日"),
                        t("龙井"),
                        t("宅基地"),
                        t("宅基地界址"),
                        t("孙七"),
                        C::Empty,
                        t("正在办理"),
                        C::Empty,
                    ],
                ),
                row(
                    7,
                    vec![
                        t("2025-4-2"),
                        t("龙井村"),
                        t("土地"),
                        t("承包地"),
                        t("周八"),
                        C::Empty,
                        t("调解不成"),
                        t("2025-04-09"),
                    ],
                ),
            ],
        };
        let mapping = Mapping {
            columns: (0..8)
                .map(|i| {
                    let f = [
                        Field::ReceivedOn,
                        Field::Village,
                        Field::Category,
                        Field::Summary,
                        Field::PartyName,
                        Field::IdNumber,
                        Field::Result,
                        Field::ClosedOn,
                    ][i];
                    (f, i)
                })
                .collect(),
            default_kind: "dispute".into(),
            category_fallback: None,
        };
        let kind = check_mapping(&mapping, 8, &cats).unwrap();
        let mut n = 0;
        let out = check(&sheet, &mapping, kind, &ctx, || {
            n += 1;
            format!("CODE{n}")
        });
        let bad: Vec<(usize, &str)> = out.bad.iter().map(|b| (b.row, b.reason.as_str())).collect();
        assert_eq!(bad.len(), 3, "{bad:?}");
        assert_eq!(bad[0].0, 3);
        assert!(bad[0].1.contains("缺少登记日期"), "{bad:?}");
        assert!(bad[0].1.contains("白鹤村"), "{bad:?}");
        assert!(bad[0].1.contains("校验"), "{bad:?}");
        assert_eq!(bad[1].0, 4);
        assert!(bad[1].1.contains("外星人"), "{bad:?}");
        assert_eq!(bad[2].0, 7);
        assert!(bad[2].1.contains("引导"), "{bad:?}");
        assert_eq!(
            out.repeated,
            [BadRow {
                row: 5,
                reason: "与第2行相同，跳过".into()
            }]
        );
        assert_eq!(out.rows.len(), 2);
        let closed = &out.rows[0].matter;
        assert_eq!(closed.state.status.as_str(), "closed");
        assert_eq!(closed.parties.len(), 2);
        assert_eq!(closed.parties[1].role, PartyRole::Respondent);
        assert_eq!(closed.history.len(), 3, "register, accept, close");
        closed.state.check_invariants(&rules).unwrap();
        let open = &out.rows[1].matter;
        assert_eq!(open.state.status.as_str(), "accepted");
        assert_eq!(open.category, "homestead");
        assert!(open.source_ref.as_deref().unwrap().starts_with("t2:h:"));
        // With a fallback, the unknown category is accepted.
        let m2 = Mapping {
            category_fallback: Some("other".into()),
            ..mapping.clone()
        };
        let out = check(&sheet, &m2, kind, &ctx, String::new);
        assert_eq!(out.rows.len(), 3);
    }

    #[test]
    fn mapping_needs_the_required_columns() {
        let m = Mapping {
            columns: BTreeMap::new(),
            default_kind: "x".into(),
            category_fallback: None,
        };
        let e = check_mapping(&m, 3, &cats()).unwrap_err();
        assert!(e.iter().any(|e| e.contains("登记日期")));
        assert!(e.iter().any(|e| e.contains("事项类型")));
    }
}
