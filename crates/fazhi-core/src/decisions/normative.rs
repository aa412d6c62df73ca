//! Normative documents (行政规范性文件, 国办发〔2018〕37号 and 115号): drafting →
//! 合法性审核 from the review desk (an unreviewed or failed document cannot go to
//! collective deliberation) → 集体审议 → 统一登记、编号、印发 → publication (no effect
//! unless published) → 备案 with the county within the configured period → validity (5
//! years, 暂行/试行 2) with a reminder 6 months before expiry → 清理 (keep, revise or
//! repeal), from which the public lists of valid, repealed and expired documents come.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use super::{Comment, ReviewError};
use crate::calendar::{Calendar, Period, date_format};
use crate::enforcement::check_text;
use crate::matter::code_enum;

code_enum! {
    /// The last step a document completed.
    pub enum NormativeStatus: "规范性文件进度" {
        Drafting = ("drafting", "起草"),
        InReview = ("in_review", "合法性审核"),
        Deliberated = ("deliberated", "已集体审议"),
        Issued = ("issued", "已登记编号印发"),
        Published = ("published", "已公布"),
        Repealed = ("repealed", "已废止"),
        /// Dropped before publication.
        Dropped = ("dropped", "已终止制定"),
    }
}

code_enum! {
    /// Whether a published document is in force on a day (the public lists).
    pub enum Validity: "效力状态" {
        NotPublished = ("not_published", "未公布"),
        /// Published, not yet in force.
        Pending = ("pending", "尚未施行"),
        Valid = ("valid", "有效"),
        Expired = ("expired", "已失效"),
        Repealed = ("repealed", "已废止"),
    }
}

code_enum! {
    /// The outcome of a clean-up (清理) for one document.
    pub enum CleanupDecision: "清理结果" {
        Keep = ("keep", "继续有效"),
        Revise = ("revise", "拟修改"),
        Repeal = ("repeal", "废止"),
    }
}

code_enum! {
    /// The code of an action on a document, as stored on its timeline.
    pub enum NormativeActionCode: "规范性文件操作" {
        Draft = ("draft", "起草"),
        RecordComments = ("record_comments", "征求意见"),
        RecordComment = ("record_comment", "登记意见"),
        AnswerComment = ("answer_comment", "答复意见"),
        SubmitReview = ("submit_review", "送合法性审核"),
        Deliberate = ("deliberate", "集体审议"),
        Issue = ("issue", "登记编号印发"),
        Publish = ("publish", "公布"),
        File = ("file", "报送备案"),
        CleanUp = ("clean_up", "清理"),
        /// Re-registered, re-numbered and re-published for a new validity period.
        Renew = ("renew", "评估后延续施行"),
        /// Decided to let the document lapse at its expiry.
        Lapse = ("lapse", "到期不再延续"),
        Drop = ("drop", "终止制定"),
    }
}

/// The periods, with the defaults (local settings: filing periods differ by province).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NormativeRules {
    /// Filing with the county after publication (备案).
    pub filing: Period,
    /// Validity in years (5), and of 暂行/试行 documents (2).
    pub validity_years: u32,
    pub provisional_years: u32,
    /// The reminder before expiry, in months (6: evaluate whether to renew).
    pub reminder_months: u32,
    /// Default days from publication to entry into force (30).
    pub effective_after_days: u32,
}

impl Default for NormativeRules {
    fn default() -> Self {
        NormativeRules {
            filing: Period::calendar_days(30),
            validity_years: 5,
            provisional_years: 2,
            reminder_months: 6,
            effective_after_days: 30,
        }
    }
}

/// What is entered to start a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NormativeSpec {
    pub title: String,
    /// 起草单位.
    pub drafting_unit: String,
    /// The full text of the draft.
    pub text: String,
    /// 起草说明.
    #[serde(default)]
    pub explanation: String,
}

/// The collective deliberation (集体审议).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deliberation {
    #[serde(with = "date_format")]
    pub on: Date,
    /// 会议名称 (e.g. 镇政府常务会议 2026年第5次).
    pub meeting: String,
    pub conclusion: String,
    /// The roster advisers (法律顾问) who attended, picked from the roster.
    #[serde(default)]
    pub adviser_ids: Option<Vec<i64>>,
}

/// One clean-up decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cleanup {
    #[serde(with = "date_format")]
    pub on: Date,
    pub decision: CleanupDecision,
    #[serde(default)]
    pub note: String,
    /// The clean-up round (清理) this decision was taken in, if any.
    #[serde(default)]
    pub round_id: Option<i64>,
}

/// A renewal: the document was evaluated before expiry, reviewed again and
/// re-registered, re-numbered and re-published for a new period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Renewal {
    #[serde(with = "date_format")]
    pub on: Date,
    /// The number and period the document had before.
    pub old_number: String,
    #[serde(default, with = "date_format::option")]
    pub old_published_on: Option<Date>,
    #[serde(with = "date_format")]
    pub old_expires_on: Date,
    /// The desk item of the renewal review.
    #[serde(default)]
    pub review_id: Option<i64>,
}

/// A document, kept as JSON beside its row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NormativeState {
    pub status: NormativeStatus,
    pub title: String,
    pub drafting_unit: String,
    pub text: String,
    #[serde(default)]
    pub explanation: String,
    /// 暂行 / 试行: the shorter validity.
    pub provisional: bool,
    /// How public comments were gathered and used (a summary).
    #[serde(default)]
    pub comments: String,
    /// The comments one by one: who, what, and the answer.
    #[serde(default)]
    pub comment_records: Vec<Comment>,
    #[serde(default)]
    pub legal_review_id: Option<i64>,
    #[serde(default)]
    pub deliberation: Option<Deliberation>,
    /// 文号 (统一编号).
    #[serde(default)]
    pub number: String,
    #[serde(default, with = "date_format::option")]
    pub issued_on: Option<Date>,
    #[serde(default, with = "date_format::option")]
    pub published_on: Option<Date>,
    #[serde(default)]
    pub published_via: String,
    #[serde(default, with = "date_format::option")]
    pub effective_on: Option<Date>,
    /// Last day in force.
    #[serde(default, with = "date_format::option")]
    pub expires_on: Option<Date>,
    #[serde(default, with = "date_format::option")]
    pub filing_due: Option<Date>,
    #[serde(default, with = "date_format::option")]
    pub filed_on: Option<Date>,
    #[serde(default)]
    pub filed_with: String,
    #[serde(default)]
    pub cleanups: Vec<Cleanup>,
    #[serde(default, with = "date_format::option")]
    pub repealed_on: Option<Date>,
    #[serde(default)]
    pub drop_reason: String,
    /// A renewal review is on the desk (`legal_review_id` is then that item).
    #[serde(default)]
    pub renewal_pending: bool,
    /// Desk items of earlier rounds (the first review before a renewal review).
    #[serde(default)]
    pub earlier_review_ids: Vec<i64>,
    #[serde(default)]
    pub renewals: Vec<Renewal>,
    /// The day it was decided to let the document lapse at expiry, and why.
    #[serde(default, with = "date_format::option")]
    pub lapse_decided_on: Option<Date>,
    #[serde(default)]
    pub lapse_note: String,
}

impl NormativeState {
    /// Whether the document is in force on `today`.
    pub fn validity(&self, today: Date) -> Validity {
        if self.status == NormativeStatus::Repealed {
            return Validity::Repealed;
        }
        // A renewed document stays in force under its old period until the new one starts.
        let old_period = self
            .renewals
            .last()
            .is_some_and(|r| today <= r.old_expires_on);
        match (self.effective_on, self.expires_on) {
            (Some(e), _) if self.status == NormativeStatus::Published && today < e => {
                if old_period {
                    Validity::Valid
                } else {
                    Validity::Pending
                }
            }
            (Some(_), Some(x)) if self.status == NormativeStatus::Published && today > x => {
                Validity::Expired
            }
            (Some(_), _) if self.status == NormativeStatus::Published => Validity::Valid,
            _ => Validity::NotPublished,
        }
    }

    /// The day the expiry reminder starts (6 months before by default).
    pub fn reminder_from(&self, rules: &NormativeRules) -> Option<Date> {
        self.expires_on.map(|x| {
            let m = rules.reminder_months as i32;
            let total = x.year() * 12 + x.month() as i32 - 1 - m;
            let (y, mo) = (total.div_euclid(12), total.rem_euclid(12) as u8 + 1);
            let month = time::Month::try_from(mo).expect("1..=12");
            Date::from_calendar_date(y, month, x.day().min(month.length(y))).unwrap_or(x)
        })
    }

    /// In force and within the reminder window before expiry (or past it, unrepealed),
    /// with neither a renewal nor the lapse decided yet.
    pub fn expiring(&self, today: Date, rules: &NormativeRules) -> bool {
        self.lapse_decided_on.is_none()
            && matches!(self.validity(today), Validity::Valid | Validity::Expired)
            && self.reminder_from(rules).is_some_and(|r| today >= r)
    }

    /// Comments recorded without an answer yet.
    pub fn unanswered_comments(&self) -> usize {
        self.comment_records
            .iter()
            .filter(|c| c.answer.trim().is_empty())
            .count()
    }

    /// Filed after the period, or not filed and the period has passed.
    pub fn filing_overdue(&self, today: Date) -> bool {
        match (self.filing_due, self.filed_on) {
            (Some(due), Some(f)) => f > due,
            (Some(due), None) => today > due,
            _ => false,
        }
    }
}

fn invalid(m: impl Into<String>) -> ReviewError {
    ReviewError::Invalid(m.into())
}

fn refused(m: impl Into<String>) -> ReviewError {
    ReviewError::Refused(m.into())
}

fn opt(v: &str, what: &str, max: usize) -> Result<(), ReviewError> {
    if v.trim().is_empty() {
        Ok(())
    } else {
        Ok(check_text(v, what, max)?)
    }
}

/// Starts a document; 暂行/试行 in the title gives the shorter validity.
pub fn open_normative(spec: &NormativeSpec) -> Result<NormativeState, ReviewError> {
    check_text(&spec.title, "文件名称", 200)?;
    check_text(&spec.drafting_unit, "起草单位", 100)?;
    check_text(&spec.text, "文件正文", 200_000)?;
    opt(&spec.explanation, "起草说明", 20_000)?;
    let title = spec.title.trim().to_string();
    Ok(NormativeState {
        status: NormativeStatus::Drafting,
        provisional: title.contains("暂行") || title.contains("试行"),
        title,
        drafting_unit: spec.drafting_unit.trim().into(),
        text: spec.text.trim().into(),
        explanation: spec.explanation.trim().into(),
        comments: String::new(),
        comment_records: Vec::new(),
        legal_review_id: None,
        deliberation: None,
        number: String::new(),
        issued_on: None,
        published_on: None,
        published_via: String::new(),
        effective_on: None,
        expires_on: None,
        filing_due: None,
        filed_on: None,
        filed_with: String::new(),
        cleanups: Vec::new(),
        repealed_on: None,
        drop_reason: String::new(),
        renewal_pending: false,
        earlier_review_ids: Vec::new(),
        renewals: Vec::new(),
        lapse_decided_on: None,
        lapse_note: String::new(),
    })
}

/// One action on a document; JSON form `{"action": "<code>", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum NormativeAction {
    /// How comments were gathered and used, in summary (before the review).
    RecordComments { summary: String },
    /// One comment received: who sent it, what it says, and the answer if given now.
    RecordComment {
        #[serde(default)]
        author: String,
        content: String,
        #[serde(default)]
        answer: String,
    },
    /// Answers comment `n` (1-based, in the order recorded).
    AnswerComment { n: usize, answer: String },
    /// Puts the draft on the review desk (kind 行政规范性文件); the caller creates the item.
    /// On a published document near expiry this is the renewal review.
    SubmitReview {
        #[serde(default)]
        materials: String,
    },
    /// 集体审议: only after a passed legality review.
    Deliberate {
        #[serde(with = "date_format")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
        on: Date,
        meeting: String,
        conclusion: String,
        /// Roster advisers who attended (ids of the township's 法律顾问).
        #[serde(default)]
        adviser_ids: Option<Vec<i64>>,
    },
    /// 统一登记、编号、印发 with the document number.
    Issue { number: String },
    /// 公布; in force from `effective_on` (default 30 days after publication).
    Publish {
        via: String,
        #[serde(
            default,
            serialize_with = "date_format::option::serialize",
            deserialize_with = "crate::enforcement::nullable_date"
        )]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
        effective_on: Option<Date>,
    },
    /// 报送备案 with the county government.
    File { with: String },
    /// 清理: keep, revise or repeal.
    CleanUp {
        decision: CleanupDecision,
        #[serde(default)]
        note: String,
    },
    /// After a passed renewal review: re-registered with a new number and re-published
    /// for a new validity period (from the day after the old expiry by default).
    Renew {
        number: String,
        via: String,
        #[serde(
            default,
            serialize_with = "date_format::option::serialize",
            deserialize_with = "crate::enforcement::nullable_date"
        )]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
        effective_on: Option<Date>,
    },
    /// Lets the document lapse at its expiry (evaluated, not renewed).
    Lapse { note: String },
    /// Drops the draft before publication.
    Drop { reason: String },
}

impl NormativeAction {
    pub fn code(&self) -> NormativeActionCode {
        use NormativeActionCode as C;
        match self {
            NormativeAction::RecordComments { .. } => C::RecordComments,
            NormativeAction::RecordComment { .. } => C::RecordComment,
            NormativeAction::AnswerComment { .. } => C::AnswerComment,
            NormativeAction::Renew { .. } => C::Renew,
            NormativeAction::Lapse { .. } => C::Lapse,
            NormativeAction::SubmitReview { .. } => C::SubmitReview,
            NormativeAction::Deliberate { .. } => C::Deliberate,
            NormativeAction::Issue { .. } => C::Issue,
            NormativeAction::Publish { .. } => C::Publish,
            NormativeAction::File { .. } => C::File,
            NormativeAction::CleanUp { .. } => C::CleanUp,
            NormativeAction::Drop { .. } => C::Drop,
        }
    }

    /// Text for the timeline.
    pub fn note(&self) -> String {
        match self {
            NormativeAction::RecordComments { summary } => summary.clone(),
            NormativeAction::RecordComment {
                author, content, ..
            } => format!("{}：{content}", author_or_anonymous(author)),
            NormativeAction::AnswerComment { n, answer } => format!("第{n}条：{answer}"),
            NormativeAction::Renew { number, via, .. } => format!("{number}，{via}"),
            NormativeAction::Lapse { note } => note.clone(),
            NormativeAction::Deliberate {
                meeting,
                conclusion,
                ..
            } => format!("{meeting}：{conclusion}"),
            NormativeAction::Issue { number } => number.clone(),
            NormativeAction::Publish { via, .. } => via.clone(),
            NormativeAction::File { with } => with.clone(),
            NormativeAction::CleanUp { decision, note } => {
                format!("{}。{note}", decision.label_zh())
            }
            NormativeAction::Drop { reason } => reason.clone(),
            NormativeAction::SubmitReview { .. } => String::new(),
        }
    }
}

/// What an action needs besides the document.
pub struct NormativeContext<'a> {
    pub today: Date,
    pub rules: &'a NormativeRules,
    pub cal: &'a Calendar,
    /// The linked desk item passed (lawful, or amend with adoption).
    pub review_passed: bool,
    /// The linked desk item has its opinion or was withdrawn (a failed one may be redone).
    pub review_settled: bool,
}

fn author_or_anonymous(a: &str) -> &str {
    if a.trim().is_empty() {
        "匿名"
    } else {
        a.trim()
    }
}

/// What `possible` needs to know of the review and the day.
#[derive(Clone, Copy)]
struct Facts {
    settled: bool,
    passed: bool,
    /// Published, near or past expiry, and no lapse decided: may be renewed.
    renewable: bool,
}

fn possible(code: NormativeActionCode, s: &NormativeState, f: Facts) -> bool {
    use NormativeActionCode as C;
    use NormativeStatus as S;
    let Facts {
        settled,
        passed,
        renewable,
    } = f;
    match code {
        C::Draft => false,
        C::RecordComments | C::RecordComment => s.status == S::Drafting,
        C::AnswerComment => s.status == S::Drafting && s.unanswered_comments() > 0,
        C::SubmitReview => {
            s.status == S::Drafting
                || (s.status == S::InReview && settled && !passed)
                || (renewable && (!s.renewal_pending || (settled && !passed)))
        }
        C::Renew => renewable && s.renewal_pending && passed,
        C::Lapse => renewable,
        C::Deliberate => s.status == S::InReview,
        C::Issue => s.status == S::Deliberated,
        C::Publish => s.status == S::Issued,
        C::File => s.status == S::Published && s.filed_on.is_none(),
        C::CleanUp => s.status == S::Published,
        C::Drop => matches!(s.status, S::Drafting | S::InReview | S::Deliberated),
    }
}

fn renewable(s: &NormativeState, today: Date, rules: &NormativeRules) -> bool {
    s.status == NormativeStatus::Published && s.expiring(today, rules)
}

/// The actions possible now, in display order, given the linked review.
pub fn allowed_normative_actions(
    s: &NormativeState,
    review_settled: bool,
    review_passed: bool,
    today: Date,
    rules: &NormativeRules,
) -> Vec<NormativeActionCode> {
    let f = Facts {
        settled: review_settled,
        passed: review_passed,
        renewable: renewable(s, today, rules),
    };
    NormativeActionCode::ALL
        .iter()
        .copied()
        .filter(|c| possible(*c, s, f) && (*c != NormativeActionCode::Deliberate || review_passed))
        .collect()
}

/// The first day after `years` years from `from` (the matching day, or the month's end).
fn years_after(from: Date, years: u32) -> Date {
    let y = from.year() + years as i32;
    let m = from.month();
    Date::from_calendar_date(y, m, from.day().min(m.length(y))).unwrap_or(from)
}

/// Applies one action; the new state or why it is refused. `SubmitReview` leaves the
/// link to the caller, who creates the desk item.
pub fn apply_normative(
    s: &NormativeState,
    action: &NormativeAction,
    ctx: &NormativeContext,
) -> Result<NormativeState, ReviewError> {
    use NormativeStatus as S;
    let code = action.code();
    let today = ctx.today;
    if code == NormativeActionCode::Deliberate
        && (!ctx.review_passed || s.status != S::InReview)
        && matches!(s.status, S::Drafting | S::InReview)
    {
        return Err(refused(
            "未经合法性审核或者经审核不合法的规范性文件，不得提交集体审议（国办发〔2018〕115号）",
        ));
    }
    if code == NormativeActionCode::Publish && s.status != S::Issued && s.status != S::Published {
        return Err(refused(
            "规范性文件须经集体审议并统一登记、编号、印发后方可公布（国办发〔2018〕37号）",
        ));
    }
    if code == NormativeActionCode::Renew
        && s.status == S::Published
        && !(s.renewal_pending && ctx.review_passed)
    {
        return Err(refused(
            "规范性文件延续施行须先经评估并重新经合法性审核通过（国办发〔2018〕37号、115号）",
        ));
    }
    if code == NormativeActionCode::SubmitReview && s.unanswered_comments() > 0 {
        return Err(refused(format!(
            "尚有{}条意见未答复，逐条答复后方可送合法性审核",
            s.unanswered_comments()
        )));
    }
    let facts = Facts {
        settled: ctx.review_settled,
        passed: ctx.review_passed,
        renewable: renewable(s, today, ctx.rules),
    };
    if !possible(code, s, facts) {
        return Err(refused(format!(
            "该文件当前为「{}」，不能{}",
            s.status.label_zh(),
            code.label_zh()
        )));
    }
    let mut n = s.clone();
    match action {
        NormativeAction::RecordComments { summary } => {
            check_text(summary, "征求意见及采纳情况", 20_000)?;
            n.comments = summary.trim().into();
        }
        NormativeAction::RecordComment {
            author,
            content,
            answer,
        } => {
            opt(author, "提出意见的单位或个人", 100)?;
            check_text(content, "意见内容", 5000)?;
            opt(answer, "答复", 5000)?;
            if n.comment_records.len() >= 500 {
                return Err(invalid("意见条数过多"));
            }
            n.comment_records.push(Comment {
                on: today,
                author: author_or_anonymous(author).into(),
                content: content.trim().into(),
                answer: answer.trim().into(),
            });
        }
        NormativeAction::AnswerComment { n: i, answer } => {
            check_text(answer, "答复", 5000)?;
            let Some(c) = i.checked_sub(1).and_then(|i| n.comment_records.get_mut(i)) else {
                return Err(invalid(format!("没有第{i}条意见")));
            };
            if !c.answer.is_empty() {
                return Err(refused(format!("第{i}条意见已答复")));
            }
            c.answer = answer.trim().into();
        }
        NormativeAction::SubmitReview { materials } => {
            if materials.chars().count() > 100_000 {
                return Err(invalid("审核材料不能超过10万字"));
            }
            if s.status == S::Published {
                // The renewal review: the earlier desk item stays on file.
                if let Some(old) = s.legal_review_id {
                    n.earlier_review_ids.push(old);
                }
                n.renewal_pending = true;
            } else {
                n.status = S::InReview;
            }
        }
        NormativeAction::Renew {
            number,
            via,
            effective_on,
        } => {
            check_text(number, "文号", 60)?;
            check_text(via, "公布载体", 200)?;
            if number.trim() == s.number {
                return Err(invalid("延续施行的文件须重新编号"));
            }
            let old_expiry = s.expires_on.unwrap_or(today);
            let eff = effective_on.unwrap_or((old_expiry + Duration::days(1)).max(today));
            if eff < today {
                return Err(invalid("施行日期不能早于公布日期"));
            }
            let years = if s.provisional {
                ctx.rules.provisional_years
            } else {
                ctx.rules.validity_years
            };
            n.renewals.push(Renewal {
                on: today,
                old_number: s.number.clone(),
                old_published_on: s.published_on,
                old_expires_on: old_expiry,
                review_id: s.legal_review_id,
            });
            n.number = number.trim().into();
            n.issued_on = Some(today);
            n.published_on = Some(today);
            n.published_via = via.trim().into();
            n.effective_on = Some(eff);
            n.expires_on = Some(years_after(eff, years) - Duration::days(1));
            n.filing_due = Some(ctx.rules.filing.due(today, ctx.cal));
            n.filed_on = None;
            n.filed_with.clear();
            n.renewal_pending = false;
        }
        NormativeAction::Lapse { note } => {
            check_text(note, "评估意见", 2000)
                .map_err(|_| invalid("请写明到期不再延续的评估意见"))?;
            n.lapse_decided_on = Some(today);
            n.lapse_note = note.trim().into();
            n.renewal_pending = false;
        }
        NormativeAction::Deliberate {
            on,
            meeting,
            conclusion,
            adviser_ids,
        } => {
            check_text(meeting, "会议名称", 200)?;
            check_text(conclusion, "审议结论", 5000)?;
            if *on > today {
                return Err(invalid("审议日期不能晚于今天"));
            }
            n.deliberation = Some(Deliberation {
                on: *on,
                meeting: meeting.trim().into(),
                conclusion: conclusion.trim().into(),
                adviser_ids: adviser_ids.clone(),
            });
            n.status = S::Deliberated;
        }
        NormativeAction::Issue { number } => {
            check_text(number, "文号", 60)?;
            n.number = number.trim().into();
            n.issued_on = Some(today);
            n.status = S::Issued;
        }
        NormativeAction::Publish { via, effective_on } => {
            check_text(via, "公布载体", 200)?;
            let eff = effective_on
                .unwrap_or(today + Duration::days(i64::from(ctx.rules.effective_after_days)));
            if eff < today {
                return Err(invalid(
                    "施行日期不能早于公布日期（未经公布的不得作为行政管理依据）",
                ));
            }
            let years = if s.provisional {
                ctx.rules.provisional_years
            } else {
                ctx.rules.validity_years
            };
            n.published_on = Some(today);
            n.published_via = via.trim().into();
            n.effective_on = Some(eff);
            n.expires_on = Some(years_after(eff, years) - Duration::days(1));
            n.filing_due = Some(ctx.rules.filing.due(today, ctx.cal));
            n.status = S::Published;
        }
        NormativeAction::File { with } => {
            check_text(with, "备案机关", 100)?;
            n.filed_on = Some(today);
            n.filed_with = with.trim().into();
        }
        NormativeAction::CleanUp { decision, note } => {
            if *decision != CleanupDecision::Keep {
                check_text(note, "清理意见", 2000)
                    .map_err(|_| invalid("拟修改或废止的，请写明理由"))?;
            } else {
                opt(note, "清理意见", 2000)?;
            }
            n.cleanups.push(Cleanup {
                on: today,
                decision: *decision,
                note: note.trim().into(),
                round_id: None,
            });
            if *decision == CleanupDecision::Repeal {
                n.repealed_on = Some(today);
                n.status = S::Repealed;
            }
        }
        NormativeAction::Drop { reason } => {
            check_text(reason, "终止理由", 1000)?;
            n.drop_reason = reason.trim().into();
            n.status = S::Dropped;
        }
    }
    Ok(n)
}

/// One document's decision in a clean-up round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundDecision {
    pub document_id: i64,
    pub decision: CleanupDecision,
    #[serde(default)]
    pub note: String,
}

/// A clean-up round (定期清理) as entered: its day, what it covered, and a decision for
/// each document that is not simply kept (documents in force not named are kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CleanupRoundSpec {
    #[serde(with = "date_format")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub on: Date,
    /// 清理范围 (e.g. 本镇2021年以来制定的行政规范性文件).
    pub scope: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub decisions: Vec<RoundDecision>,
}

/// Checks a round's fields; the documents are checked by the caller against the
/// township's published ones.
pub fn check_round(spec: &CleanupRoundSpec, today: Date) -> Result<(), ReviewError> {
    check_text(&spec.scope, "清理范围", 200)?;
    opt(&spec.note, "清理说明", 5000)?;
    if spec.on > today || spec.on.year() < 2000 {
        return Err(invalid("清理日期须在2000年以后，且不能晚于今天"));
    }
    let mut seen = Vec::new();
    for d in &spec.decisions {
        if seen.contains(&d.document_id) {
            return Err(invalid("同一文件在一次清理中只能有一个结论"));
        }
        seen.push(d.document_id);
    }
    Ok(())
}

/// Applies a round's decision to one published document, as the single clean-up does,
/// dated the round's day.
pub fn apply_round_decision(
    s: &NormativeState,
    d: &RoundDecision,
    on: Date,
    round_id: i64,
) -> Result<NormativeState, ReviewError> {
    if s.status != NormativeStatus::Published {
        return Err(refused(format!(
            "「{}」当前为「{}」，不能清理",
            s.title,
            s.status.label_zh()
        )));
    }
    if d.decision != CleanupDecision::Keep {
        check_text(&d.note, "清理意见", 2000)
            .map_err(|_| invalid(format!("「{}」拟修改或废止的，请写明理由", s.title)))?;
    } else {
        opt(&d.note, "清理意见", 2000)?;
    }
    let mut n = s.clone();
    n.cleanups.push(Cleanup {
        on,
        decision: d.decision,
        note: d.note.trim().into(),
        round_id: Some(round_id),
    });
    if d.decision == CleanupDecision::Repeal {
        n.repealed_on = Some(on);
        n.status = NormativeStatus::Repealed;
    }
    Ok(n)
}

/// One document on a round's published lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundEntry {
    pub document_id: i64,
    pub number: String,
    pub title: String,
    /// The round's decision, when one was taken on it.
    #[serde(default)]
    pub decision: Option<CleanupDecision>,
    #[serde(default)]
    pub note: String,
}

/// The three lists a round publishes (继续有效、废止、失效).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundLists {
    pub valid: Vec<RoundEntry>,
    pub repealed: Vec<RoundEntry>,
    pub expired: Vec<RoundEntry>,
}

impl RoundLists {
    /// Puts each published document on its list by its validity on the round's day.
    pub fn of<'a>(
        docs: impl IntoIterator<Item = (i64, &'a NormativeState)>,
        on: Date,
        round_id: Option<i64>,
    ) -> RoundLists {
        let mut l = RoundLists::default();
        for (id, s) in docs {
            let here = s
                .cleanups
                .iter()
                .rev()
                .find(|c| round_id.is_some() && c.round_id == round_id);
            let e = RoundEntry {
                document_id: id,
                number: s.number.clone(),
                title: s.title.clone(),
                decision: here.map(|c| c.decision),
                note: here.map(|c| c.note.clone()).unwrap_or_default(),
            };
            match s.validity(on) {
                Validity::Valid | Validity::Pending => l.valid.push(e),
                Validity::Repealed => l.repealed.push(e),
                Validity::Expired => l.expired.push(e),
                Validity::NotPublished => {}
            }
        }
        l
    }
}

code_enum! {
    /// A count of normative documents for a year (规范性文件统计项).
    pub enum NormativeFigure: "规范性文件统计项" {
        /// Published in the year (each one reviewed: the gate holds).
        Published = ("published", "公布（均经合法性审核）"),
        /// Published in the year and filed (报备率 numerator).
        Filed = ("filed", "报送备案"),
        /// Published in the year and filed within the period (报备及时率 numerator).
        FiledOnTime = ("filed_on_time", "按期备案"),
        /// Published in the year, filed late or not filed past the period.
        FilingOverdue = ("filing_overdue", "备案超期"),
        /// Cleaned up in the year (any decision).
        CleanedUp = ("cleaned_up", "清理"),
        /// Repealed in the year.
        Repealed = ("repealed", "清理废止"),
        /// Renewed in the year (evaluated, reviewed again and re-published).
        Renewed = ("renewed", "评估后延续施行"),
        /// In force on `today` (whatever the year).
        Valid = ("valid", "现行有效"),
        /// In the expiry reminder window on `today`.
        Expiring = ("expiring", "即将到期"),
    }
}

impl NormativeFigure {
    /// Whether document `s` counts in this figure for `year` on `today`: the one definition.
    pub fn counts(
        self,
        s: &NormativeState,
        year: i32,
        today: Date,
        rules: &NormativeRules,
    ) -> bool {
        let published = s.published_on.is_some_and(|d| d.year() == year);
        match self {
            NormativeFigure::Published => published,
            NormativeFigure::Filed => published && s.filed_on.is_some(),
            NormativeFigure::FiledOnTime => {
                published && s.filed_on.is_some() && !s.filing_overdue(today)
            }
            NormativeFigure::FilingOverdue => published && s.filing_overdue(today),
            NormativeFigure::CleanedUp => s.cleanups.iter().any(|c| c.on.year() == year),
            NormativeFigure::Repealed => s.repealed_on.is_some_and(|d| d.year() == year),
            NormativeFigure::Renewed => s.renewals.iter().any(|r| r.on.year() == year),
            NormativeFigure::Valid => s.validity(today) == Validity::Valid,
            NormativeFigure::Expiring => s.expiring(today, rules),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn ctx<'a>(
        today: Date,
        passed: bool,
        rules: &'a NormativeRules,
        cal: &'a Calendar,
    ) -> NormativeContext<'a> {
        NormativeContext {
            today,
            rules,
            cal,
            review_passed: passed,
            review_settled: passed,
        }
    }

    #[test]
    fn the_steps_hold_and_validity_runs() {
        let cal = Calendar::builtin();
        let rules = NormativeRules::default();
        let d = date!(2026 - 03 - 02);
        let s = open_normative(&NormativeSpec {
            title: "青石镇农村建房管理暂行办法".into(),
            drafting_unit: "规划建设办".into(),
            text: "第一条 为规范……".into(),
            explanation: String::new(),
        })
        .unwrap();
        assert!(s.provisional);
        let meet = NormativeAction::Deliberate {
            on: d,
            meeting: "镇政府常务会议".into(),
            conclusion: "原则通过".into(),
            adviser_ids: None,
        };
        let e = apply_normative(&s, &meet, &ctx(d, false, &rules, &cal)).unwrap_err();
        assert!(e.message().contains("115号"), "{e}");
        let s = apply_normative(
            &s,
            &NormativeAction::SubmitReview {
                materials: String::new(),
            },
            &ctx(d, false, &rules, &cal),
        )
        .unwrap();
        let e = apply_normative(&s, &meet, &ctx(d, false, &rules, &cal)).unwrap_err();
        assert!(e.message().contains("115号"), "{e}");
        let publish = NormativeAction::Publish {
            via: "镇政府网站".into(),
            effective_on: None,
        };
        assert!(apply_normative(&s, &publish, &ctx(d, true, &rules, &cal)).is_err());
        let s = apply_normative(&s, &meet, &ctx(d, true, &rules, &cal)).unwrap();
        let s = apply_normative(
            &s,
            &NormativeAction::Issue {
                number: "青石府规〔2026〕1号".into(),
            },
            &ctx(d, true, &rules, &cal),
        )
        .unwrap();
        let s = apply_normative(&s, &publish, &ctx(d, true, &rules, &cal)).unwrap();
        assert_eq!(s.effective_on, Some(date!(2026 - 04 - 01)));
        assert_eq!(s.expires_on, Some(date!(2028 - 03 - 31)), "暂行: 2 years");
        assert_eq!(s.filing_due, Some(date!(2026 - 04 - 01)));
        assert_eq!(s.validity(d), Validity::Pending);
        assert_eq!(s.validity(date!(2027 - 01 - 01)), Validity::Valid);
        assert_eq!(s.validity(date!(2028 - 04 - 01)), Validity::Expired);
        assert!(!s.expiring(date!(2027 - 09 - 29), &rules));
        assert!(s.expiring(date!(2027 - 09 - 30), &rules));
        assert!(s.filing_overdue(date!(2026 - 04 - 02)));
        let e = apply_normative(
            &s,
            &NormativeAction::CleanUp {
                decision: CleanupDecision::Repeal,
                note: String::new(),
            },
            &ctx(d, true, &rules, &cal),
        )
        .unwrap_err();
        assert!(e.message().contains("理由"));
        let r = apply_normative(
            &s,
            &NormativeAction::CleanUp {
                decision: CleanupDecision::Repeal,
                note: "上位法已修改".into(),
            },
            &ctx(date!(2027 - 01 - 01), true, &rules, &cal),
        )
        .unwrap();
        assert_eq!(r.validity(date!(2027 - 01 - 02)), Validity::Repealed);
    }

    #[test]
    fn comments_one_by_one_and_renewal_after_review() {
        let cal = Calendar::builtin();
        let rules = NormativeRules::default();
        let d = date!(2026 - 03 - 02);
        let s = open_normative(&NormativeSpec {
            title: "青石镇农村建房管理办法".into(),
            drafting_unit: "规划建设办".into(),
            text: "第一条 为规范……".into(),
            explanation: String::new(),
        })
        .unwrap();
        let c = ctx(d, false, &rules, &cal);
        let s = apply_normative(
            &s,
            &NormativeAction::RecordComment {
                author: "石桥村村民委员会".into(),
                content: "建议明确宅基地面积上限".into(),
                answer: String::new(),
            },
            &c,
        )
        .unwrap();
        let submit = NormativeAction::SubmitReview {
            materials: String::new(),
        };
        let e = apply_normative(&s, &submit, &c).unwrap_err();
        assert!(e.message().contains("未答复"), "{e}");
        let s = apply_normative(
            &s,
            &NormativeAction::AnswerComment {
                n: 1,
                answer: "已采纳，见第五条".into(),
            },
            &c,
        )
        .unwrap();
        assert_eq!(s.comment_records[0].author, "石桥村村民委员会");
        let s = apply_normative(&s, &submit, &c).unwrap();
        let mut s = s;
        s.legal_review_id = Some(7);
        let s = apply_normative(
            &s,
            &NormativeAction::Deliberate {
                on: d,
                meeting: "镇政府常务会议".into(),
                conclusion: "通过".into(),
                adviser_ids: None,
            },
            &ctx(d, true, &rules, &cal),
        )
        .unwrap();
        let s = apply_normative(
            &s,
            &NormativeAction::Issue {
                number: "青石府规〔2026〕1号".into(),
            },
            &ctx(d, true, &rules, &cal),
        )
        .unwrap();
        let s = apply_normative(
            &s,
            &NormativeAction::Publish {
                via: "镇政府网站".into(),
                effective_on: None,
            },
            &ctx(d, true, &rules, &cal),
        )
        .unwrap();
        assert_eq!(s.expires_on, Some(date!(2031 - 03 - 31)));
        let renew = NormativeAction::Renew {
            number: "青石府规〔2030〕2号".into(),
            via: "镇政府网站".into(),
            effective_on: None,
        };
        // Not near expiry: neither renewal nor its review is possible.
        let early = date!(2030 - 01 - 01);
        assert!(apply_normative(&s, &submit, &ctx(early, true, &rules, &cal)).is_err());
        let near = date!(2030 - 11 - 02);
        let allowed = allowed_normative_actions(&s, true, true, near, &rules);
        assert!(allowed.contains(&NormativeActionCode::SubmitReview));
        assert!(allowed.contains(&NormativeActionCode::Lapse));
        assert!(!allowed.contains(&NormativeActionCode::Renew));
        // The old review does not count for the renewal.
        let e = apply_normative(&s, &renew, &ctx(near, true, &rules, &cal)).unwrap_err();
        assert!(e.message().contains("重新经合法性审核"), "{e}");
        let r = apply_normative(&s, &submit, &ctx(near, true, &rules, &cal)).unwrap();
        assert!(r.renewal_pending);
        assert_eq!(r.status, NormativeStatus::Published);
        assert_eq!(r.earlier_review_ids, vec![7]);
        let e = apply_normative(&r, &renew, &ctx(near, false, &rules, &cal)).unwrap_err();
        assert!(e.message().contains("重新经合法性审核"), "{e}");
        let r = apply_normative(&r, &renew, &ctx(near, true, &rules, &cal)).unwrap();
        assert_eq!(r.number, "青石府规〔2030〕2号");
        assert_eq!(r.effective_on, Some(date!(2031 - 04 - 01)));
        assert_eq!(r.expires_on, Some(date!(2036 - 03 - 31)));
        assert_eq!(r.filed_on, None);
        assert_eq!(r.renewals[0].old_number, "青石府规〔2026〕1号");
        assert_eq!(r.validity(near), Validity::Valid, "the old period runs on");
        assert!(!r.expiring(near, &rules));
        assert!(NormativeFigure::Renewed.counts(&r, 2030, near, &rules));
        // Letting it lapse instead: off the reminder list, expires as planned.
        let l = apply_normative(
            &s,
            &NormativeAction::Lapse {
                note: "上位法已废止，不再延续".into(),
            },
            &ctx(near, true, &rules, &cal),
        )
        .unwrap();
        assert!(!l.expiring(near, &rules));
        assert_eq!(l.validity(date!(2031 - 04 - 01)), Validity::Expired);
        // A round's decision and its lists.
        let rd = RoundDecision {
            document_id: 1,
            decision: CleanupDecision::Repeal,
            note: String::new(),
        };
        assert!(apply_round_decision(&s, &rd, near, 3).is_err());
        let rd = RoundDecision {
            note: "与上位法不一致".into(),
            ..rd
        };
        let x = apply_round_decision(&s, &rd, near, 3).unwrap();
        let lists = RoundLists::of([(1, &x), (2, &s), (3, &l)], near, Some(3));
        assert_eq!(lists.repealed.len(), 1);
        assert_eq!(lists.repealed[0].decision, Some(CleanupDecision::Repeal));
        assert_eq!(lists.valid.len(), 2);
    }
}
