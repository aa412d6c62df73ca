//! 行政处罚 documents (rules.md §2, rules-2.md §3) in the 公文 layout, filled from a
//! case: 立案审批表, 行政处罚事先告知书, 听证通知书, 法制审核意见书, 行政处罚决定书,
//! 送达回证, 结案审批表, 当场处罚决定书 and the 案卷封面及目录.
//!
//! The input is the case's state (`fazhi_core`) with the names the web layer looks
//! up (officers and their certificates, the agency, the 复议机关); nothing here reads
//! the database. [`DocKind::check`] says which documents the case's state supports,
//! so a 决定书 is never printed before there is a decision.

mod cover;
mod decision;
mod procedure;

use std::collections::BTreeMap;

use fazhi_core::enforcement::{CaseOutcome, CaseState, CaseStatus, EnforcementRules, Procedure};
use time::Date;

use crate::gongwen::Gongwen;
use crate::mediation::count_zh;

/// A person named in the documents: an officer with their certificate number, or a
/// reviewer or leader (no number).
#[derive(Debug, Clone, Default)]
pub struct Person {
    pub name: String,
    /// 执法证号, for officers.
    pub number: Option<String>,
}

/// Everything the documents of one case are filled from.
#[derive(Debug, Clone)]
pub struct CaseFile {
    /// 案号, e.g. 青石执罚〔2026〕7号; the documents' numbers derive from it.
    pub number: String,
    /// The enforcing agency (执法主体), e.g. 青石镇人民政府.
    pub agency: String,
    /// The seal's text as printed where the seal goes, e.g. 青石镇人民政府.
    pub seal: String,
    /// Where to apply for 行政复议 (行政复议法 Art 24: the government above a township).
    pub review_body: String,
    /// Where the violation happened (village or township name).
    pub place: String,
    pub state: CaseState,
    /// Names (and certificate numbers) by user id.
    pub people: BTreeMap<i64, Person>,
    pub rules: EnforcementRules,
    /// Today: the date of documents that no act of the case dates.
    pub today: Date,
}

impl CaseFile {
    /// "张三（执法证号Z-0001）、李四（执法证号Z-0002）".
    fn officers_zh(&self, ids: &[i64]) -> String {
        ids.iter()
            .map(|id| match self.people.get(id) {
                Some(Person {
                    name,
                    number: Some(n),
                }) => format!("{name}（执法证号{n}）"),
                Some(p) => p.name.clone(),
                None => format!("（人员编号{id}）"),
            })
            .collect::<Vec<_>>()
            .join("、")
    }

    fn name_of(&self, id: Option<i64>) -> String {
        id.and_then(|i| self.people.get(&i))
            .map(|p| p.name.clone())
            .unwrap_or_default()
    }

    /// The party as addressed: 你 for a person, 你单位 for an organisation.
    fn you(&self) -> &'static str {
        match self.state.party.kind {
            fazhi_core::enforcement::PartyKind::Citizen => "你",
            fazhi_core::enforcement::PartyKind::Organisation => "你单位",
        }
    }

    fn address(&self) -> &str {
        let a = self.state.party.address.trim();
        if a.is_empty() { "（未登记）" } else { a }
    }

    /// The facts without a final stop, to sit inside a sentence.
    fn facts(&self) -> &str {
        self.state
            .facts
            .trim()
            .trim_end_matches(['。', '.', '；', ';'])
    }

    /// A document number derived from the case number: 青石执罚〔2026〕7号 with 决 →
    /// 青石执罚决〔2026〕7号, so every document of the case is traceable to it.
    fn doc_number(&self, mark: &str) -> String {
        match self.number.split_once('〔') {
            Some((head, tail)) => format!("{head}{mark}〔{tail}"),
            None => format!("{}-{mark}", self.number),
        }
    }

    /// The case's opening lines every form repeats: number, 案由, party.
    fn header(&self, doc: Gongwen) -> Gongwen {
        let s = &self.state;
        doc.line(&format!("案号：{}", self.number))
            .line(&format!(
                "案由：{}（事项编码{}）",
                s.item.spec.name, s.item.spec.code
            ))
            .line(&format!(
                "当事人：{}（{}）",
                s.party.name,
                s.party.kind.label_zh()
            ))
            .line(&format!("住所（住址）：{}", self.address()))
    }

    /// The seal line and the agency with the date (GB/T 9704 7.3.5).
    fn sign_off(&self, doc: Gongwen, date: Date) -> Gongwen {
        doc.blank()
            .right(&format!("（{}印章）", self.seal), 4)
            .issuer_and_date(&self.agency, date)
    }
}

/// The documents of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Filing,
    Notice,
    HearingNotice,
    ReviewOpinion,
    Decision,
    ServiceReceipt,
    Closing,
    OnSpot,
    Cover,
}

impl DocKind {
    pub const ALL: &'static [DocKind] = &[
        DocKind::Cover,
        DocKind::Filing,
        DocKind::OnSpot,
        DocKind::Notice,
        DocKind::HearingNotice,
        DocKind::ReviewOpinion,
        DocKind::Decision,
        DocKind::ServiceReceipt,
        DocKind::Closing,
    ];

    /// The name in URLs (`…/documents/{slug}.docx`).
    pub const fn slug(self) -> &'static str {
        match self {
            DocKind::Filing => "filing",
            DocKind::Notice => "notice",
            DocKind::HearingNotice => "hearing-notice",
            DocKind::ReviewOpinion => "review-opinion",
            DocKind::Decision => "decision",
            DocKind::ServiceReceipt => "service-receipt",
            DocKind::Closing => "closing",
            DocKind::OnSpot => "on-the-spot",
            DocKind::Cover => "cover",
        }
    }

    /// The document's title.
    pub const fn title(self) -> &'static str {
        match self {
            DocKind::Filing => "立案审批表",
            DocKind::Notice => "行政处罚事先告知书",
            DocKind::HearingNotice => "听证通知书",
            DocKind::ReviewOpinion => "法制审核意见书",
            DocKind::Decision => "行政处罚决定书",
            DocKind::ServiceReceipt => "送达回证",
            DocKind::Closing => "结案审批表",
            DocKind::OnSpot => "当场处罚决定书",
            DocKind::Cover => "案卷封面及目录",
        }
    }

    pub fn from_slug(slug: &str) -> Option<DocKind> {
        DocKind::ALL.iter().copied().find(|k| k.slug() == slug)
    }

    /// Whether the case's state supports the document now; the reason, in Chinese,
    /// when it does not.
    pub fn check(self, s: &CaseState) -> Result<(), &'static str> {
        let ordinary = s.procedure == Procedure::Ordinary;
        let ok = |cond: bool, why: &'static str| if cond { Ok(()) } else { Err(why) };
        let ordinary_only = "简易程序案件当场作出决定，没有该文书，请使用当场处罚决定书";
        match self {
            DocKind::Cover => Ok(()),
            DocKind::Filing => ok(ordinary, ordinary_only),
            DocKind::OnSpot => ok(
                !ordinary,
                "普通程序案件不适用当场处罚决定书，请使用行政处罚决定书",
            ),
            DocKind::Notice => {
                ok(ordinary, ordinary_only)?;
                ok(
                    s.notice.is_some(),
                    "本案尚未告知拟作出的行政处罚，暂不能出具事先告知书",
                )
            }
            DocKind::HearingNotice => {
                ok(ordinary, ordinary_only)?;
                ok(
                    s.hearing.as_ref().is_some_and(|h| h.scheduled_on.is_some()),
                    "本案尚未确定听证日期（当事人申请听证后通知听证），暂不能出具听证通知书",
                )
            }
            DocKind::ReviewOpinion => {
                ok(ordinary, ordinary_only)?;
                ok(
                    s.reviews.iter().any(|r| r.opinion.is_some()),
                    "本案尚无法制审核意见，暂不能出具法制审核意见书",
                )
            }
            DocKind::Decision => {
                ok(ordinary, ordinary_only)?;
                let d = s
                    .decision
                    .as_ref()
                    .ok_or("本案尚未作出行政处罚决定，暂不能出具行政处罚决定书")?;
                ok(
                    d.outcome == CaseOutcome::Penalty,
                    "本案决定不给予行政处罚，不出具行政处罚决定书",
                )
            }
            DocKind::ServiceReceipt => {
                ok(ordinary, ordinary_only)?;
                ok(
                    s.decision.is_some(),
                    "本案尚未作出决定，没有需要送达的决定书",
                )
            }
            DocKind::Closing => ok(
                s.status.is_finished()
                    // An on-the-spot decision is closed once filed (Art 52), as the workflow has it.
                    || (s.status == CaseStatus::Executed && (ordinary || s.filed_on.is_some()))
                    || (matches!(s.status, CaseStatus::Decided | CaseStatus::Served)
                        && s.decision
                            .as_ref()
                            .is_some_and(|d| d.outcome != CaseOutcome::Penalty)),
                "本案尚未执行完毕，暂不能出具结案审批表",
            ),
        }
    }

    /// The documents the case's state supports now, in the order of the file.
    pub fn available(s: &CaseState) -> Vec<DocKind> {
        DocKind::ALL
            .iter()
            .copied()
            .filter(|k| k.check(s).is_ok())
            .collect()
    }

    /// Writes the document as DOCX; refuses one the state does not support.
    pub fn write(self, f: &CaseFile) -> Result<Vec<u8>, String> {
        self.check(&f.state).map_err(str::to_string)?;
        let doc = match self {
            DocKind::Filing => procedure::filing(f),
            DocKind::Notice => procedure::notice(f),
            DocKind::HearingNotice => procedure::hearing_notice(f),
            DocKind::ReviewOpinion => procedure::review_opinion(f),
            DocKind::Closing => procedure::closing(f),
            DocKind::Decision => decision::decision(f),
            DocKind::OnSpot => decision::on_the_spot(f),
            DocKind::ServiceReceipt => decision::service_receipt(f),
            DocKind::Cover => cover::cover(f),
        };
        doc.to_bytes()
    }
}

/// A text as a sentence: trimmed, with a full stop unless it ends in punctuation.
fn sentence(text: &str) -> String {
    let t = text.trim();
    if t.ends_with(['。', '！', '？', '.', '；', '）']) {
        t.to_string()
    } else {
        format!("{t}。")
    }
}

/// A period in Chinese numerals as the law writes it: 十五日, 六十日.
fn days_zh(days: u32) -> String {
    format!("{}日", count_zh(days as usize))
}

/// A period of the rules as the law writes it: 十五日, 五个工作日.
fn period_zh(p: fazhi_core::calendar::Period) -> String {
    match p.unit {
        fazhi_core::calendar::PeriodUnit::WorkingDays => {
            format!("{}个工作日", count_zh(p.days as usize))
        }
        _ => days_zh(p.days),
    }
}

/// A daily rate given in tenths of a percent: 30 → 百分之三.
fn permille_zh(permille: i64) -> String {
    let n = permille.unsigned_abs() as usize;
    if n.is_multiple_of(10) {
        format!("百分之{}", count_zh(n / 10))
    } else {
        format!("千分之{}", count_zh(n))
    }
}

#[cfg(test)]
mod tests;
