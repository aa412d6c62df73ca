//! Major administrative decisions (重大行政决策, 国务院令第713号, applied by townships by
//! reference, Art 42): the yearly catalogue (决策事项目录) and each decision's walk
//! through the steps. The order is enforced here: no discussion without a passed
//! legality review (Arts 25–28), no publication before the discussion and the report
//! to the Party committee (Arts 30–32). Every refusal names its article.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use super::ReviewError;
use crate::calendar::date_format;
use crate::enforcement::check_text;
use crate::matter::code_enum;

code_enum! {
    /// Where a decision stands: the last step completed.
    pub enum DecisionStatus: "决策进度" {
        Planned = ("planned", "列入目录"),
        Started = ("started", "已启动"),
        Consulting = ("consulting", "公开征求意见"),
        Consulted = ("consulted", "公众参与完成"),
        InReview = ("in_review", "合法性审查"),
        Discussed = ("discussed", "集体讨论决定"),
        Reported = ("reported", "已报告党委"),
        Published = ("published", "已公布"),
        Archived = ("archived", "已归档"),
        /// 调出目录: dropped from the catalogue with a recorded reason.
        Removed = ("removed", "已调出目录"),
    }
}

code_enum! {
    /// The code of an action on a decision, as stored on its timeline.
    pub enum DecisionActionCode: "决策操作" {
        Plan = ("plan", "列入目录"),
        Start = ("start", "决策启动"),
        PublishDraft = ("publish_draft", "公开征求意见"),
        RecordComment = ("record_comment", "登记公众意见"),
        AnswerComment = ("answer_comment", "反馈意见采纳情况"),
        ScheduleHearing = ("schedule_hearing", "安排听证会"),
        CloseConsultation = ("close_consultation", "结束征求意见"),
        RecordExperts = ("record_experts", "专家论证"),
        RecordRisk = ("record_risk", "风险评估"),
        SubmitReview = ("submit_review", "送合法性审查"),
        Discuss = ("discuss", "集体讨论决定"),
        ReportToParty = ("report_to_party", "报告党委"),
        Publish = ("publish", "公布"),
        Archive = ("archive", "归档"),
        Evaluate = ("evaluate", "决策后评估"),
        Remove = ("remove", "调出目录"),
    }
}

/// The rules with the national defaults (settings where provinces differ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionRules {
    /// Comment period, calendar days (Art 15: normally ≥ 30日).
    pub comment_days: u32,
    /// Hearing materials reach participants this many days before (Art 18: 7日).
    pub hearing_materials_days: u32,
}

impl Default for DecisionRules {
    fn default() -> Self {
        DecisionRules {
            comment_days: 30,
            hearing_materials_days: 7,
        }
    }
}

/// A decision as the catalogue plans it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionPlan {
    pub title: String,
    /// 承办单位.
    pub lead_unit: String,
    /// Professional or technical: 专家论证 required (Art 19).
    #[serde(default)]
    pub needs_experts: bool,
    /// May harm social stability or public safety: 风险评估 required (Art 22).
    #[serde(default)]
    pub needs_risk: bool,
    /// Lawfully secret: no public participation (Art 14).
    #[serde(default)]
    pub secret: bool,
    /// The planned steps and timing, as the catalogue states them.
    #[serde(default)]
    pub planned_steps: String,
}

/// One public comment and the answer to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    #[serde(with = "date_format")]
    pub on: Date,
    /// Who sent it, as they wish to be shown (may be "匿名").
    pub author: String,
    pub content: String,
    #[serde(default)]
    pub answer: String,
}

/// The 听证会.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hearing {
    #[serde(with = "date_format")]
    pub on: Date,
    /// Participants and how they were chosen, published in advance.
    pub participants: String,
    #[serde(with = "date_format")]
    pub materials_sent_on: Date,
}

/// Public participation (公众参与).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consultation {
    #[serde(with = "date_format")]
    pub published_on: Date,
    pub draft: String,
    pub explanation: String,
    #[serde(with = "date_format")]
    pub closes_on: Date,
    /// Why the period is shorter than the rule's (Art 15).
    #[serde(default)]
    pub shorter_reason: String,
    #[serde(default)]
    pub comments: Vec<Comment>,
    #[serde(default)]
    pub hearing: Option<Hearing>,
    #[serde(default, with = "date_format::option")]
    pub closed_on: Option<Date>,
}

/// A dated written record (expert opinion, risk assessment, evaluation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    #[serde(with = "date_format")]
    pub on: Date,
    pub summary: String,
    #[serde(default)]
    pub dissent: String,
}

/// The collective discussion (集体讨论决定, Arts 29–30).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discussion {
    #[serde(with = "date_format")]
    pub on: Date,
    pub attendees: String,
    pub majority_view: String,
    /// Dissent, minuted.
    #[serde(default)]
    pub dissent: String,
    /// The head's decision (the head speaks last and decides).
    pub head_decision: String,
    pub head_against_majority: bool,
    #[serde(default)]
    pub head_reasons: String,
    /// The roster advisers (法律顾问) who attended, picked from the roster. `None` on
    /// records from before the link: those are matched by the lawyer's name.
    #[serde(default)]
    pub adviser_ids: Option<Vec<i64>>,
}

/// A decision, kept as JSON beside its row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionState {
    pub year: i32,
    pub status: DecisionStatus,
    pub plan: DecisionPlan,
    #[serde(default, with = "date_format::option")]
    pub started_on: Option<Date>,
    #[serde(default)]
    pub consultation: Option<Consultation>,
    #[serde(default)]
    pub experts: Option<Record>,
    #[serde(default)]
    pub risk: Option<Record>,
    /// The item on the review desk.
    #[serde(default)]
    pub legal_review_id: Option<i64>,
    #[serde(default)]
    pub discussion: Option<Discussion>,
    #[serde(default, with = "date_format::option")]
    pub reported_on: Option<Date>,
    #[serde(default, with = "date_format::option")]
    pub published_on: Option<Date>,
    /// The decision as published.
    #[serde(default)]
    pub published_text: String,
    #[serde(default, with = "date_format::option")]
    pub archived_on: Option<Date>,
    #[serde(default)]
    pub evaluation: Option<Record>,
}

/// One action on a decision; JSON form `{"action": "<code>", ...}`. Days are the server's
/// unless the action names a meeting day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum DecisionAction {
    Start,
    PublishDraft {
        draft: String,
        explanation: String,
        /// Calendar days the comments stay open (default: the rule's 30).
        #[serde(default)]
        days: Option<u32>,
        #[serde(default)]
        shorter_reason: String,
    },
    RecordComment {
        #[serde(default)]
        author: String,
        content: String,
    },
    /// Answer comment number `index` (from 0).
    AnswerComment {
        index: usize,
        answer: String,
    },
    ScheduleHearing {
        #[serde(with = "date_format")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
        on: Date,
        participants: String,
        #[serde(with = "date_format")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
        materials_sent_on: Date,
    },
    CloseConsultation,
    RecordExperts {
        summary: String,
        #[serde(default)]
        dissent: String,
    },
    RecordRisk {
        summary: String,
    },
    /// Puts the draft on the review desk; the caller creates the item and passes its id.
    SubmitReview {
        #[serde(default)]
        materials: String,
    },
    Discuss {
        #[serde(with = "date_format")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
        on: Date,
        attendees: String,
        majority_view: String,
        #[serde(default)]
        dissent: String,
        head_decision: String,
        #[serde(default)]
        head_against_majority: bool,
        #[serde(default)]
        head_reasons: String,
        /// Roster advisers who attended (ids of the township's 法律顾问); left out, the
        /// adviser's work log falls back to finding the lawyer's name in `attendees`.
        #[serde(default)]
        adviser_ids: Option<Vec<i64>>,
    },
    ReportToParty,
    Publish {
        text: String,
    },
    Archive,
    Evaluate {
        summary: String,
    },
    /// Drops the decision from the catalogue (before it is decided); the reason goes to
    /// the catalogue's adjustments.
    Remove {
        reason: String,
    },
}

impl DecisionAction {
    pub fn code(&self) -> DecisionActionCode {
        use DecisionActionCode as C;
        match self {
            DecisionAction::Start => C::Start,
            DecisionAction::PublishDraft { .. } => C::PublishDraft,
            DecisionAction::RecordComment { .. } => C::RecordComment,
            DecisionAction::AnswerComment { .. } => C::AnswerComment,
            DecisionAction::ScheduleHearing { .. } => C::ScheduleHearing,
            DecisionAction::CloseConsultation => C::CloseConsultation,
            DecisionAction::RecordExperts { .. } => C::RecordExperts,
            DecisionAction::RecordRisk { .. } => C::RecordRisk,
            DecisionAction::SubmitReview { .. } => C::SubmitReview,
            DecisionAction::Discuss { .. } => C::Discuss,
            DecisionAction::ReportToParty => C::ReportToParty,
            DecisionAction::Publish { .. } => C::Publish,
            DecisionAction::Archive => C::Archive,
            DecisionAction::Evaluate { .. } => C::Evaluate,
            DecisionAction::Remove { .. } => C::Remove,
        }
    }
}

/// What an action needs besides the decision.
pub struct DecisionContext<'a> {
    pub today: Date,
    pub rules: &'a DecisionRules,
    /// The review desk's verdict on the linked item: lawful, or amend with adoption.
    pub review_passed: bool,
    /// The linked item has its opinion (or was withdrawn): a failed one may be redone.
    pub review_settled: bool,
    /// The id of the desk item just created (for `SubmitReview`).
    pub new_review_id: Option<i64>,
}

impl DecisionState {
    /// A planned decision of the catalogue of `year`.
    pub fn plan(year: i32, plan: &DecisionPlan) -> Result<DecisionState, ReviewError> {
        check_text(&plan.title, "决策事项名称", 200)?;
        check_text(&plan.lead_unit, "承办单位", 100)?;
        opt(&plan.planned_steps, "计划步骤", 2000)?;
        Ok(DecisionState {
            year,
            status: DecisionStatus::Planned,
            plan: DecisionPlan {
                title: plan.title.trim().into(),
                lead_unit: plan.lead_unit.trim().into(),
                ..plan.clone()
            },
            started_on: None,
            consultation: None,
            experts: None,
            risk: None,
            legal_review_id: None,
            discussion: None,
            reported_on: None,
            published_on: None,
            published_text: String::new(),
            archived_on: None,
            evaluation: None,
        })
    }

    /// What the public may see: the steps of public participation and publication.
    pub fn public_steps(&self) -> Vec<(&'static str, Date, String)> {
        let mut v = Vec::new();
        if let Some(c) = &self.consultation {
            v.push((
                "公开征求意见",
                c.published_on,
                format!("征求意见截止 {}", c.closes_on),
            ));
            if let Some(h) = &c.hearing {
                v.push(("听证会", h.on, format!("参加人：{}", h.participants)));
            }
        }
        if let Some(p) = self.published_on {
            v.push(("决策公布", p, String::new()));
        }
        v
    }
}

fn opt(v: &str, what: &str, max: usize) -> Result<(), ReviewError> {
    if v.trim().is_empty() {
        Ok(())
    } else {
        Ok(check_text(v, what, max)?)
    }
}

fn refused(m: impl Into<String>) -> ReviewError {
    ReviewError::Refused(m.into())
}

/// Whether the action is possible in the decision's state.
fn possible(code: DecisionActionCode, s: &DecisionState) -> bool {
    use DecisionActionCode as C;
    use DecisionStatus as S;
    let consulting = s.status == S::Consulting;
    let before_review = matches!(s.status, S::Started | S::Consulting | S::Consulted);
    match code {
        C::Plan => false,
        C::Start => s.status == S::Planned,
        C::PublishDraft => s.status == S::Started && !s.plan.secret,
        C::RecordComment | C::ScheduleHearing | C::CloseConsultation => consulting,
        C::AnswerComment => matches!(s.status, S::Consulting | S::Consulted),
        C::RecordExperts => before_review && s.experts.is_none(),
        C::RecordRisk => before_review && s.risk.is_none(),
        C::SubmitReview => s.status == S::Consulted || (s.status == S::Started && s.plan.secret),
        C::Discuss => s.status == S::InReview,
        C::ReportToParty => s.status == S::Discussed,
        C::Publish => s.status == S::Reported,
        C::Archive => s.status == S::Published,
        C::Evaluate => matches!(s.status, S::Published | S::Archived) && s.evaluation.is_none(),
        C::Remove => matches!(
            s.status,
            S::Planned | S::Started | S::Consulting | S::Consulted | S::InReview
        ),
    }
}

/// Whether a failed legality review may be followed by a new one (the draft amended).
fn resubmittable(s: &DecisionState, settled: bool, passed: bool) -> bool {
    s.status == DecisionStatus::InReview && settled && !passed
}

/// The actions possible now, in display order (the caller checks the role), given the
/// state of the linked review.
pub fn allowed_decision_actions(
    s: &DecisionState,
    review_settled: bool,
    review_passed: bool,
) -> Vec<DecisionActionCode> {
    DecisionActionCode::ALL
        .iter()
        .copied()
        .filter(|c| {
            (possible(*c, s) && (*c != DecisionActionCode::Discuss || review_passed))
                || (*c == DecisionActionCode::SubmitReview
                    && resubmittable(s, review_settled, review_passed))
        })
        .collect()
}

/// Applies one action; the new state or why it is refused.
pub fn apply_decision(
    s: &DecisionState,
    action: &DecisionAction,
    ctx: &DecisionContext,
) -> Result<DecisionState, ReviewError> {
    use DecisionStatus as S;
    let code = action.code();
    let today = ctx.today;
    // The gates the issue names, with their articles, before the generic refusal.
    match code {
        DecisionActionCode::Discuss if !ctx.review_passed || s.status != S::InReview => {
            return Err(refused(
                "未经合法性审查或者经审查不合法的，不得提交集体讨论（《重大行政决策程序暂行条例》第25条至第28条）",
            ));
        }
        DecisionActionCode::Publish if s.discussion.is_none() => {
            return Err(refused(
                "重大行政决策须经集体讨论决定后方可公布（《重大行政决策程序暂行条例》第30条、第32条）",
            ));
        }
        DecisionActionCode::Publish if s.reported_on.is_none() => {
            return Err(refused(
                "决策公布前须向同级党委请示报告（《重大行政决策程序暂行条例》第31条）",
            ));
        }
        DecisionActionCode::SubmitReview if s.plan.needs_experts && s.experts.is_none() => {
            return Err(refused(
                "专业性、技术性较强的决策事项须先组织专家论证（《重大行政决策程序暂行条例》第19条）",
            ));
        }
        DecisionActionCode::SubmitReview if s.plan.needs_risk && s.risk.is_none() => {
            return Err(refused(
                "可能影响社会稳定、公共安全的决策事项须先进行风险评估（《重大行政决策程序暂行条例》第22条）",
            ));
        }
        _ => {}
    }
    let again = code == DecisionActionCode::SubmitReview
        && resubmittable(s, ctx.review_settled, ctx.review_passed);
    if !possible(code, s) && !again {
        return Err(refused(format!(
            "决策事项当前为「{}」，不能{}",
            s.status.label_zh(),
            code.label_zh()
        )));
    }
    let mut n = s.clone();
    match action {
        DecisionAction::Start => {
            n.started_on = Some(today);
            n.status = S::Started;
        }
        DecisionAction::PublishDraft {
            draft,
            explanation,
            days,
            shorter_reason,
        } => {
            check_text(draft, "决策草案", 100_000)?;
            check_text(explanation, "起草说明", 20_000)?;
            let days = days.unwrap_or(ctx.rules.comment_days);
            if days == 0 || days > 365 {
                return Err(ReviewError::Invalid("征求意见期限须为1到365日".into()));
            }
            if days < ctx.rules.comment_days && shorter_reason.trim().is_empty() {
                return Err(refused(format!(
                    "征求意见期限一般不少于{}日，期限较短的须予以说明（《重大行政决策程序暂行条例》第15条）",
                    ctx.rules.comment_days
                )));
            }
            opt(shorter_reason, "缩短期限的说明", 500)?;
            n.consultation = Some(Consultation {
                published_on: today,
                draft: draft.trim().into(),
                explanation: explanation.trim().into(),
                closes_on: today + Duration::days(i64::from(days)),
                shorter_reason: shorter_reason.trim().into(),
                comments: Vec::new(),
                hearing: None,
                closed_on: None,
            });
            n.status = S::Consulting;
        }
        DecisionAction::RecordComment { author, content } => {
            check_text(content, "意见内容", 5000)?;
            opt(author, "提出人", 100)?;
            let c = n
                .consultation
                .as_mut()
                .expect("consulting has a consultation");
            c.comments.push(Comment {
                on: today,
                author: if author.trim().is_empty() {
                    "匿名".into()
                } else {
                    author.trim().into()
                },
                content: content.trim().into(),
                answer: String::new(),
            });
        }
        DecisionAction::AnswerComment { index, answer } => {
            check_text(answer, "采纳情况", 2000)?;
            let c = n
                .consultation
                .as_mut()
                .expect("consulted has a consultation");
            let Some(cm) = c.comments.get_mut(*index) else {
                return Err(ReviewError::Invalid("没有这条意见".into()));
            };
            cm.answer = answer.trim().into();
        }
        DecisionAction::ScheduleHearing {
            on,
            participants,
            materials_sent_on,
        } => {
            check_text(participants, "听证参加人及产生方式", 2000)?;
            let lead = i64::from(ctx.rules.hearing_materials_days);
            if *on - *materials_sent_on < Duration::days(lead) {
                return Err(refused(format!(
                    "听证材料须于听证会{lead}日前送达听证参加人（《重大行政决策程序暂行条例》第18条）"
                )));
            }
            if *materials_sent_on < today - Duration::days(30) || *on < today {
                return Err(ReviewError::Invalid("听证日期不能早于今天".into()));
            }
            let c = n
                .consultation
                .as_mut()
                .expect("consulting has a consultation");
            c.hearing = Some(Hearing {
                on: *on,
                participants: participants.trim().into(),
                materials_sent_on: *materials_sent_on,
            });
        }
        DecisionAction::CloseConsultation => {
            let c = n
                .consultation
                .as_mut()
                .expect("consulting has a consultation");
            if today < c.closes_on {
                return Err(refused(format!(
                    "征求意见期限至{}，期满前不能结束（《重大行政决策程序暂行条例》第15条）",
                    c.closes_on
                )));
            }
            if let Some(h) = &c.hearing
                && today < h.on
            {
                return Err(refused(format!(
                    "听证会定于{}，举行后方可结束公众参与",
                    h.on
                )));
            }
            if c.comments.iter().any(|m| m.answer.is_empty()) {
                return Err(refused(
                    "尚有公众意见未反馈采纳情况，请逐条答复后再结束征求意见",
                ));
            }
            c.closed_on = Some(today);
            n.status = S::Consulted;
        }
        DecisionAction::RecordExperts { summary, dissent } => {
            check_text(summary, "专家论证意见", 10_000)?;
            opt(dissent, "不同意见", 5000)?;
            n.experts = Some(Record {
                on: today,
                summary: summary.trim().into(),
                dissent: dissent.trim().into(),
            });
        }
        DecisionAction::RecordRisk { summary } => {
            check_text(summary, "风险评估报告", 10_000)?;
            n.risk = Some(Record {
                on: today,
                summary: summary.trim().into(),
                dissent: String::new(),
            });
        }
        DecisionAction::SubmitReview { .. } => {
            n.legal_review_id = ctx.new_review_id;
            n.status = S::InReview;
        }
        DecisionAction::Discuss {
            on,
            attendees,
            majority_view,
            dissent,
            head_decision,
            head_against_majority,
            head_reasons,
            adviser_ids,
        } => {
            check_text(attendees, "出席人员", 2000)?;
            check_text(majority_view, "多数意见", 5000)?;
            check_text(head_decision, "行政首长的决定", 5000)?;
            opt(dissent, "不同意见", 5000)?;
            if *head_against_majority && head_reasons.trim().is_empty() {
                return Err(refused(
                    "行政首长拟作出的决定与会议组成人员多数人的意见不一致的，应当在会上说明理由（《重大行政决策程序暂行条例》第30条）",
                ));
            }
            opt(head_reasons, "理由", 5000)?;
            if *on > today {
                return Err(ReviewError::Invalid("会议日期不能晚于今天".into()));
            }
            n.discussion = Some(Discussion {
                on: *on,
                attendees: attendees.trim().into(),
                majority_view: majority_view.trim().into(),
                dissent: dissent.trim().into(),
                head_decision: head_decision.trim().into(),
                head_against_majority: *head_against_majority,
                head_reasons: head_reasons.trim().into(),
                adviser_ids: adviser_ids.clone(),
            });
            n.status = S::Discussed;
        }
        DecisionAction::ReportToParty => {
            n.reported_on = Some(today);
            n.status = S::Reported;
        }
        DecisionAction::Publish { text } => {
            check_text(text, "决策公布内容", 100_000)?;
            n.published_on = Some(today);
            n.published_text = text.trim().into();
            n.status = S::Published;
        }
        DecisionAction::Archive => {
            n.archived_on = Some(today);
            n.status = S::Archived;
        }
        DecisionAction::Remove { reason } => {
            check_text(reason, "调出目录的理由", 1000)?;
            n.status = S::Removed;
        }
        DecisionAction::Evaluate { summary } => {
            check_text(summary, "后评估报告", 10_000)?;
            n.evaluation = Some(Record {
                on: today,
                summary: summary.trim().into(),
                dissent: String::new(),
            });
        }
    }
    Ok(n)
}

/// The yearly catalogue: published after the Party committee's agreement, adjusted with
/// a recorded reason (Art 3 ¶3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CatalogueState {
    /// 党委同意日期.
    #[serde(default, with = "date_format::option")]
    pub agreed_on: Option<Date>,
    #[serde(default, with = "date_format::option")]
    pub published_on: Option<Date>,
    /// Changes after publication, each with its reason.
    #[serde(default)]
    pub adjustments: Vec<Adjustment>,
}

/// One change of a published catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    #[serde(with = "date_format")]
    pub on: Date,
    pub change: String,
    pub reason: String,
}

impl CatalogueState {
    /// Records the Party committee's agreement (a past or present day).
    pub fn agree(&mut self, on: Date, today: Date) -> Result<(), ReviewError> {
        if on > today {
            return Err(ReviewError::Invalid("党委同意日期不能晚于今天".into()));
        }
        self.agreed_on = Some(on);
        Ok(())
    }

    /// Publishes the catalogue; only after the agreement.
    pub fn publish(&mut self, today: Date) -> Result<(), ReviewError> {
        if self.agreed_on.is_none() {
            return Err(refused(
                "决策事项目录须经同级党委同意后方可公布（《重大行政决策程序暂行条例》第3条第3款），请先登记党委同意日期",
            ));
        }
        if self.published_on.is_some() {
            return Err(refused("决策事项目录已公布"));
        }
        self.published_on = Some(today);
        Ok(())
    }

    /// A change to the list: before publication free, after it with a recorded reason.
    pub fn change(&mut self, change: &str, reason: &str, today: Date) -> Result<(), ReviewError> {
        if self.published_on.is_some() {
            check_text(reason, "调整理由", 1000)
                .map_err(|_| ReviewError::Invalid("已公布的决策事项目录调整时须说明理由".into()))?;
            self.adjustments.push(Adjustment {
                on: today,
                change: change.into(),
                reason: reason.trim().into(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn ctx(today: Date, passed: bool, rules: &DecisionRules) -> DecisionContext<'_> {
        DecisionContext {
            today,
            rules,
            review_passed: passed,
            review_settled: passed,
            new_review_id: Some(9),
        }
    }

    #[test]
    fn the_steps_come_in_order() {
        let rules = DecisionRules::default();
        let p = DecisionPlan {
            title: "方案".into(),
            lead_unit: "办".into(),
            needs_experts: true,
            needs_risk: false,
            secret: false,
            planned_steps: String::new(),
        };
        let d0 = date!(2026 - 03 - 02);
        let s = DecisionState::plan(2026, &p).unwrap();
        let s = apply_decision(&s, &DecisionAction::Start, &ctx(d0, false, &rules)).unwrap();
        let draft = DecisionAction::PublishDraft {
            draft: "草案".into(),
            explanation: "说明".into(),
            days: Some(29),
            shorter_reason: String::new(),
        };
        let e = apply_decision(&s, &draft, &ctx(d0, false, &rules)).unwrap_err();
        assert!(e.message().contains("第15条"));
        let draft = DecisionAction::PublishDraft {
            draft: "草案".into(),
            explanation: "说明".into(),
            days: Some(29),
            shorter_reason: "上级限期".into(),
        };
        let s = apply_decision(&s, &draft, &ctx(d0, false, &rules)).unwrap();
        let late = d0 + Duration::days(29);
        let s = apply_decision(
            &s,
            &DecisionAction::CloseConsultation,
            &ctx(late, false, &rules),
        )
        .unwrap();
        let submit = DecisionAction::SubmitReview {
            materials: String::new(),
        };
        let e = apply_decision(&s, &submit, &ctx(late, false, &rules)).unwrap_err();
        assert!(e.message().contains("第19条"), "{e}");
        let experts = DecisionAction::RecordExperts {
            summary: "可行".into(),
            dissent: String::new(),
        };
        let s = apply_decision(&s, &experts, &ctx(late, false, &rules)).unwrap();
        let s = apply_decision(&s, &submit, &ctx(late, false, &rules)).unwrap();
        assert_eq!(s.legal_review_id, Some(9));
        let discuss = DecisionAction::Discuss {
            on: late,
            attendees: "9人".into(),
            majority_view: "同意".into(),
            dissent: String::new(),
            head_decision: "通过".into(),
            head_against_majority: false,
            head_reasons: String::new(),
            adviser_ids: None,
        };
        let e = apply_decision(&s, &discuss, &ctx(late, false, &rules)).unwrap_err();
        assert!(e.message().contains("第25条至第28条"));
        // A failed review: a new one after the draft is amended, not a discussion.
        let failed = DecisionContext {
            review_settled: true,
            new_review_id: Some(10),
            ..ctx(late, false, &rules)
        };
        assert!(
            allowed_decision_actions(&s, true, false).contains(&DecisionActionCode::SubmitReview)
        );
        assert!(!allowed_decision_actions(&s, false, false).contains(&DecisionActionCode::Discuss));
        let again = apply_decision(&s, &submit, &failed).unwrap();
        assert_eq!(again.legal_review_id, Some(10));
        assert!(apply_decision(&s, &submit, &ctx(late, false, &rules)).is_err());
        let publish = DecisionAction::Publish {
            text: "全文".into(),
        };
        let e = apply_decision(&s, &publish, &ctx(late, true, &rules)).unwrap_err();
        assert!(e.message().contains("第30条"));
        let s = apply_decision(&s, &discuss, &ctx(late, true, &rules)).unwrap();
        let e = apply_decision(&s, &publish, &ctx(late, true, &rules)).unwrap_err();
        assert!(e.message().contains("第31条"));
        let s =
            apply_decision(&s, &DecisionAction::ReportToParty, &ctx(late, true, &rules)).unwrap();
        let s = apply_decision(&s, &publish, &ctx(late, true, &rules)).unwrap();
        assert_eq!(s.status, DecisionStatus::Published);
        assert_eq!(s.public_steps().len(), 2);
    }

    #[test]
    fn the_catalogue_waits_for_the_party_committee() {
        let mut c = CatalogueState::default();
        let d = date!(2026 - 01 - 10);
        assert!(c.publish(d).unwrap_err().message().contains("第3条"));
        assert!(c.change("增加", "", d).is_ok(), "free before publication");
        c.agree(d, d).unwrap();
        c.publish(d).unwrap();
        assert!(c.change("增加", "", d).is_err());
        c.change("增加", "县里部署", d).unwrap();
        assert_eq!(c.adjustments.len(), 1);
    }
}
