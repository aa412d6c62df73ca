//! The 复议 and 诉讼 register: cases where the township is the respondent (行政复议) or
//! the defendant (行政诉讼). Each case records the challenged act, the deadlines the
//! law sets (computed on the holiday calendar), the hearings and who attended them
//! (负责人出庭应诉), the outcome, and for a 复议意见书 the correction within 60 days.
//! The rates (纠错率, 败诉率, 负责人出庭应诉率) are computed here from the records.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::ReviewError;
use crate::calendar::{Calendar, Period, date_format};
use crate::enforcement::check_text;
use crate::matter::code_enum;

code_enum! {
    /// 复议 (the township is the respondent) or 诉讼 (the defendant).
    pub enum LitigationKind: "案件类型" {
        /// 行政复议 (行政复议法 2023).
        Reconsideration = ("reconsideration", "行政复议"),
        /// 行政诉讼 (行政诉讼法).
        Lawsuit = ("lawsuit", "行政诉讼"),
    }
}

code_enum! {
    /// The instance of a lawsuit (审级); 复议 has none.
    pub enum Instance: "审级" {
        First = ("first", "一审"),
        Second = ("second", "二审"),
        Retrial = ("retrial", "再审"),
    }
}

code_enum! {
    /// How the case ended (复议法 Arts 63–74; 行诉法 Arts 69–77).
    pub enum LitigationOutcome: "结案方式" {
        Upheld = ("upheld", "维持"),
        Dismissed = ("dismissed", "驳回"),
        Changed = ("changed", "变更"),
        Revoked = ("revoked", "撤销"),
        DeclaredUnlawful = ("declared_unlawful", "确认违法"),
        DeclaredVoid = ("declared_void", "确认无效"),
        OrderedToPerform = ("ordered_to_perform", "责令履行"),
        Mediated = ("mediated", "调解"),
        Withdrawn = ("withdrawn", "撤回"),
        Other = ("other", "其他"),
    }
}

impl LitigationOutcome {
    /// The act was corrected (复议 纠错) or the suit lost (诉讼 败诉): 撤销, 变更, 确认违法,
    /// 确认无效, 责令履行 (rules-2.md §7).
    pub fn corrective(self) -> bool {
        matches!(
            self,
            LitigationOutcome::Changed
                | LitigationOutcome::Revoked
                | LitigationOutcome::DeclaredUnlawful
                | LitigationOutcome::DeclaredVoid
                | LitigationOutcome::OrderedToPerform
        )
    }
}

code_enum! {
    /// Who appeared for the township at a hearing (负责人出庭应诉).
    pub enum AttendeeRole: "出庭人员" {
        /// 主要负责人 (the township head).
        PrincipalHead = ("principal_head", "主要负责人"),
        /// 分管负责人 (a deputy head, including the one in charge of the act).
        DeputyHead = ("deputy_head", "分管负责人"),
        /// 工作人员: the head did not attend.
        Staff = ("staff", "工作人员"),
        /// Nobody appeared.
        Absent = ("absent", "无人出庭"),
    }
}

impl AttendeeRole {
    /// A head (负责人) appeared: the chief or a deputy (SPC 规定 Art 2).
    pub fn is_head(self) -> bool {
        matches!(self, AttendeeRole::PrincipalHead | AttendeeRole::DeputyHead)
    }
}

code_enum! {
    /// Where a case stands.
    pub enum LitigationStatus: "办理状态" {
        /// 已收到副本, the answer is being prepared.
        Received = ("received", "待答复（答辩）"),
        /// 已提交答复（答辩状）和证据.
        Answered = ("answered", "已答复（答辩）"),
        /// 已结案.
        Concluded = ("concluded", "已结案"),
    }
}

code_enum! {
    /// The code of an action on a case, as stored on its timeline.
    pub enum LitigationActionCode: "复议诉讼操作" {
        Register = ("register", "登记"),
        Answer = ("answer", "提交答复（答辩状）及证据"),
        ScheduleHearing = ("schedule_hearing", "登记开庭（听证）日期"),
        RecordAttendance = ("record_attendance", "登记出庭应诉情况"),
        Conclude = ("conclude", "登记结案"),
        RecordOpinionLetter = ("record_opinion_letter", "收到复议意见书"),
        RecordCorrection = ("record_correction", "登记整改情况"),
    }
}

/// The periods of the register, with the national defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LitigationRules {
    /// 复议 answer and evidence (复议法 Art 48, working days by Art 88): 10个工作日.
    pub reconsideration_answer: Period,
    /// 复议 simple procedure (Art 54): 5个工作日.
    pub simple_answer: Period,
    /// 诉讼 答辩状 and evidence (行诉法 Art 67): 15日.
    pub lawsuit_answer: Period,
    /// 复议 decision after acceptance (Art 62): 60日.
    pub reconsideration_decision: Period,
    /// First-instance judgment after filing (行诉法 Art 81): 6 months.
    pub first_instance_months: u32,
    /// Report of the correction after a 复议意见书 (Art 76): 60日.
    pub correction: Period,
}

impl Default for LitigationRules {
    fn default() -> Self {
        LitigationRules {
            reconsideration_answer: Period::working_days(10),
            simple_answer: Period::working_days(5),
            lawsuit_answer: Period::calendar_days(15),
            reconsideration_decision: Period::calendar_days(60),
            first_instance_months: 6,
            correction: Period::calendar_days(60),
        }
    }
}

/// The last day of a period of `months` months from `start` (民法典 Arts 201–203): the
/// matching day of the month, or the month's last day when it has none; a rest day
/// moves to the next working day.
pub fn add_months(start: Date, months: u32, cal: &Calendar) -> Date {
    let total = start.year() * 12 + (start.month() as i32 - 1) + months as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = Month::try_from(month0 as u8 + 1).expect("month in 1..=12");
    let day = start.day().min(month.length(year));
    let end = Date::from_calendar_date(year, month, day).unwrap_or(start);
    cal.working_day_on_or_after(end)
}

/// What is entered to register a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LitigationSpec {
    pub kind: LitigationKind,
    /// Required for a lawsuit; none for 复议.
    #[serde(default)]
    pub instance: Option<Instance>,
    /// 复议 under the simple procedure (Art 54: answer within 5 working days).
    #[serde(default)]
    pub simple: bool,
    /// 案号 of the 复议机关 or the court, when known.
    #[serde(default)]
    pub case_number: String,
    /// 申请人 / 原告.
    pub claimant: String,
    /// 复议机关 / 人民法院.
    pub body: String,
    /// The challenged act (被申请（被诉）行政行为).
    pub challenged_act: String,
    #[serde(default)]
    pub enforcement_case_id: Option<i64>,
    #[serde(default)]
    pub major_decision_id: Option<i64>,
    /// The day the copy of the application or complaint was received (the answer runs
    /// from it).
    #[serde(with = "date_format")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub received_on: Date,
    /// The day the 复议 was accepted or the suit filed (default: `received_on`).
    #[serde(
        default,
        serialize_with = "date_format::option::serialize",
        deserialize_with = "crate::enforcement::nullable_date"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub filed_on: Option<Date>,
}

/// The answer (答复 / 答辩状) with the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerRecord {
    #[serde(with = "date_format")]
    pub on: Date,
    pub evidence_submitted: bool,
    #[serde(default)]
    pub note: String,
}

/// One hearing (开庭 / 听证) and who attended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingRecord {
    #[serde(with = "date_format")]
    pub on: Date,
    /// The court summoned the head (SPC 规定 Art 4).
    #[serde(default)]
    pub summoned: bool,
    /// None until the attendance is recorded.
    #[serde(default)]
    pub attendee: Option<AttendeeRole>,
    #[serde(default)]
    pub attendee_name: String,
    /// The user account of the head who attended (for the annual report's 第一责任人).
    #[serde(default)]
    pub head_user_id: Option<i64>,
    /// Why the head did not attend, and the proof (Arts 8–9).
    #[serde(default)]
    pub excuse: String,
    #[serde(default)]
    pub proof: String,
    /// The head spoke on resolving the dispute (Art 11).
    #[serde(default)]
    pub spoke_on_resolution: bool,
    /// The roster advisers (法律顾问) who attended, picked from the roster. `None` on
    /// records from before the link: those are matched by the attendee's name.
    #[serde(default)]
    pub adviser_ids: Option<Vec<i64>>,
}

impl HearingRecord {
    /// The attendance was recorded and a head appeared.
    pub fn head_attended(&self) -> bool {
        self.attendee.is_some_and(AttendeeRole::is_head)
    }
}

/// The 复议意见书 and the correction reported after it (Art 76).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionLetter {
    #[serde(with = "date_format")]
    pub received_on: Date,
    pub content: String,
    #[serde(with = "date_format")]
    pub correction_due: Date,
    #[serde(default, with = "date_format::option")]
    pub corrected_on: Option<Date>,
    #[serde(default)]
    pub correction: String,
}

/// A case, kept as JSON beside its row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LitigationState {
    pub kind: LitigationKind,
    #[serde(default)]
    pub instance: Option<Instance>,
    #[serde(default)]
    pub simple: bool,
    pub status: LitigationStatus,
    #[serde(default)]
    pub case_number: String,
    pub claimant: String,
    pub body: String,
    pub challenged_act: String,
    #[serde(default)]
    pub enforcement_case_id: Option<i64>,
    #[serde(default)]
    pub major_decision_id: Option<i64>,
    #[serde(with = "date_format")]
    pub received_on: Date,
    #[serde(with = "date_format")]
    pub filed_on: Date,
    /// Last day for the answer and evidence.
    #[serde(with = "date_format")]
    pub answer_due: Date,
    /// Last day for the 复议 decision or the first-instance judgment (none on appeal).
    #[serde(default, with = "date_format::option")]
    pub decision_due: Option<Date>,
    #[serde(default)]
    pub answer: Option<AnswerRecord>,
    #[serde(default)]
    pub hearings: Vec<HearingRecord>,
    #[serde(default)]
    pub outcome: Option<LitigationOutcome>,
    #[serde(default, with = "date_format::option")]
    pub concluded_on: Option<Date>,
    #[serde(default)]
    pub outcome_note: String,
    #[serde(default)]
    pub opinion_letter: Option<OpinionLetter>,
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

impl LitigationState {
    /// The answer came after its last day, or has not come and the day has passed.
    pub fn answer_overdue(&self, today: Date) -> bool {
        match &self.answer {
            Some(a) => a.on > self.answer_due,
            None => self.status == LitigationStatus::Received && today > self.answer_due,
        }
    }

    /// The correction after a 复议意见书 came late, or has not come and the day passed.
    pub fn correction_overdue(&self, today: Date) -> bool {
        self.opinion_letter
            .as_ref()
            .is_some_and(|o| match o.corrected_on {
                Some(c) => c > o.correction_due,
                None => today > o.correction_due,
            })
    }

    /// Any of the township's own deadlines is missed.
    pub fn overdue(&self, today: Date) -> bool {
        self.answer_overdue(today) || self.correction_overdue(today)
    }

    /// The next deadline the township must meet, if any is open.
    pub fn next_due(&self) -> Option<(&'static str, Date)> {
        if self.answer.is_none() && self.status == LitigationStatus::Received {
            let what = match self.kind {
                LitigationKind::Reconsideration => "提交答复及证据",
                LitigationKind::Lawsuit => "提交答辩状及证据",
            };
            return Some((what, self.answer_due));
        }
        self.opinion_letter
            .as_ref()
            .filter(|o| o.corrected_on.is_none())
            .map(|o| ("报送整改情况", o.correction_due))
    }

    /// Concluded with an outcome that corrects the act (撤销, 变更, 确认违法/无效, 责令履行).
    pub fn corrected(&self) -> bool {
        self.outcome.is_some_and(LitigationOutcome::corrective)
    }

    /// The next hearing not yet held (on or after `today`) without attendance recorded.
    pub fn next_hearing(&self, today: Date) -> Option<Date> {
        self.hearings
            .iter()
            .filter(|h| h.attendee.is_none() && h.on >= today)
            .map(|h| h.on)
            .min()
    }
}

/// Registers a case on `today`, computing its deadlines on the calendar.
pub fn open_litigation(
    spec: &LitigationSpec,
    today: Date,
    cal: &Calendar,
    rules: &LitigationRules,
) -> Result<LitigationState, ReviewError> {
    check_text(&spec.claimant, "申请人（原告）", 200)?;
    check_text(&spec.body, "复议机关（人民法院）", 100)?;
    check_text(&spec.challenged_act, "被申请（被诉）行政行为", 2000)?;
    opt(&spec.case_number, "案号", 100)?;
    if spec.received_on > today {
        return Err(invalid("收到副本日期不能晚于今天"));
    }
    if spec.received_on.year() < 2000 {
        return Err(invalid("收到副本日期不能早于2000年"));
    }
    let filed = spec.filed_on.unwrap_or(spec.received_on);
    if filed > spec.received_on {
        return Err(invalid("受理（立案）日期不能晚于收到副本日期"));
    }
    let (instance, answer_period, decision_due) = match spec.kind {
        LitigationKind::Reconsideration => {
            if spec.instance.is_some() {
                return Err(invalid("行政复议不分审级，请不要选择审级"));
            }
            let p = if spec.simple {
                rules.simple_answer
            } else {
                rules.reconsideration_answer
            };
            (
                None,
                p,
                Some(rules.reconsideration_decision.due(filed, cal)),
            )
        }
        LitigationKind::Lawsuit => {
            let Some(i) = spec.instance else {
                return Err(invalid("行政诉讼请选择审级（一审、二审或再审）"));
            };
            if spec.simple {
                return Err(invalid("简易程序答复期限仅适用于行政复议"));
            }
            let due =
                (i == Instance::First).then(|| add_months(filed, rules.first_instance_months, cal));
            (Some(i), rules.lawsuit_answer, due)
        }
    };
    Ok(LitigationState {
        kind: spec.kind,
        instance,
        simple: spec.simple,
        status: LitigationStatus::Received,
        case_number: spec.case_number.trim().into(),
        claimant: spec.claimant.trim().into(),
        body: spec.body.trim().into(),
        challenged_act: spec.challenged_act.trim().into(),
        enforcement_case_id: spec.enforcement_case_id,
        major_decision_id: spec.major_decision_id,
        received_on: spec.received_on,
        filed_on: filed,
        answer_due: answer_period.due(spec.received_on, cal),
        decision_due,
        answer: None,
        hearings: Vec::new(),
        outcome: None,
        concluded_on: None,
        outcome_note: String::new(),
        opinion_letter: None,
    })
}

/// One action on a case; JSON form `{"action": "<code>", ...}`. Days left out are the
/// server's today; a day given must not be in the future (except a hearing's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum LitigationAction {
    /// 答复书 / 答辩状 submitted, with or without the evidence.
    Answer {
        #[serde(
            default,
            serialize_with = "date_format::option::serialize",
            deserialize_with = "crate::enforcement::nullable_date"
        )]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
        on: Option<Date>,
        #[serde(default)]
        evidence_submitted: bool,
        #[serde(default)]
        note: String,
    },
    /// A hearing day set by the court or the 复议机关.
    ScheduleHearing {
        #[serde(with = "date_format")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
        on: Date,
        #[serde(default)]
        summoned: bool,
    },
    /// Who attended hearing number `index` (from 0). A head gives `head_user_id`; staff
    /// or nobody needs the head's excuse and its proof.
    RecordAttendance {
        index: usize,
        attendee: AttendeeRole,
        #[serde(default)]
        attendee_name: String,
        #[serde(default)]
        head_user_id: Option<i64>,
        #[serde(default)]
        excuse: String,
        #[serde(default)]
        proof: String,
        #[serde(default)]
        spoke_on_resolution: bool,
        /// Roster advisers who attended with the township (as its agents); left out, the
        /// adviser's work log falls back to finding the lawyer's name in `attendee_name`.
        #[serde(default)]
        adviser_ids: Option<Vec<i64>>,
    },
    /// The decision or judgment.
    Conclude {
        outcome: LitigationOutcome,
        #[serde(
            default,
            serialize_with = "date_format::option::serialize",
            deserialize_with = "crate::enforcement::nullable_date"
        )]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
        on: Option<Date>,
        #[serde(default)]
        note: String,
    },
    /// A 复议意见书 received (复议 only): the correction is due in 60 days.
    RecordOpinionLetter {
        #[serde(
            default,
            serialize_with = "date_format::option::serialize",
            deserialize_with = "crate::enforcement::nullable_date"
        )]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
        on: Option<Date>,
        content: String,
    },
    /// The correction made and reported.
    RecordCorrection {
        #[serde(
            default,
            serialize_with = "date_format::option::serialize",
            deserialize_with = "crate::enforcement::nullable_date"
        )]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
        on: Option<Date>,
        summary: String,
    },
}

impl LitigationAction {
    pub fn code(&self) -> LitigationActionCode {
        use LitigationActionCode as C;
        match self {
            LitigationAction::Answer { .. } => C::Answer,
            LitigationAction::ScheduleHearing { .. } => C::ScheduleHearing,
            LitigationAction::RecordAttendance { .. } => C::RecordAttendance,
            LitigationAction::Conclude { .. } => C::Conclude,
            LitigationAction::RecordOpinionLetter { .. } => C::RecordOpinionLetter,
            LitigationAction::RecordCorrection { .. } => C::RecordCorrection,
        }
    }

    /// Text for the timeline.
    pub fn note(&self) -> String {
        match self {
            LitigationAction::Answer {
                evidence_submitted,
                note,
                ..
            } => format!(
                "{}。{note}",
                if *evidence_submitted {
                    "已同时提交证据、依据"
                } else {
                    "未提交证据"
                }
            ),
            LitigationAction::ScheduleHearing { on, summoned } => {
                format!(
                    "{on}{}",
                    if *summoned {
                        "，法院通知负责人出庭"
                    } else {
                        ""
                    }
                )
            }
            LitigationAction::RecordAttendance {
                attendee,
                attendee_name,
                excuse,
                ..
            } => {
                let mut s = format!("{} {attendee_name}", attendee.label_zh());
                if !excuse.trim().is_empty() {
                    s.push_str(&format!("；负责人未出庭理由：{excuse}"));
                }
                s
            }
            LitigationAction::Conclude { outcome, note, .. } => {
                format!("{}。{note}", outcome.label_zh())
            }
            LitigationAction::RecordOpinionLetter { content, .. } => content.clone(),
            LitigationAction::RecordCorrection { summary, .. } => summary.clone(),
        }
    }
}

fn possible(code: LitigationActionCode, s: &LitigationState) -> bool {
    use LitigationActionCode as C;
    use LitigationStatus as S;
    match code {
        C::Register => false,
        C::Answer => s.status == S::Received,
        C::ScheduleHearing => s.status != S::Concluded,
        C::RecordAttendance => s.hearings.iter().any(|h| h.attendee.is_none()),
        C::Conclude => s.status != S::Concluded,
        C::RecordOpinionLetter => {
            s.kind == LitigationKind::Reconsideration && s.opinion_letter.is_none()
        }
        C::RecordCorrection => s
            .opinion_letter
            .as_ref()
            .is_some_and(|o| o.corrected_on.is_none()),
    }
}

/// The actions possible now, in display order (the caller checks the role).
pub fn allowed_litigation_actions(s: &LitigationState) -> Vec<LitigationActionCode> {
    LitigationActionCode::ALL
        .iter()
        .copied()
        .filter(|c| possible(*c, s))
        .collect()
}

fn past_day(
    on: Option<Date>,
    today: Date,
    what: &str,
    not_before: Date,
) -> Result<Date, ReviewError> {
    let d = on.unwrap_or(today);
    if d > today {
        return Err(invalid(format!("{what}不能晚于今天")));
    }
    if d < not_before {
        return Err(invalid(format!("{what}不能早于{not_before}")));
    }
    Ok(d)
}

/// Applies one action on `today`; the new state or why it is refused. The caller has
/// checked that a `head_user_id` names a head of the township.
pub fn apply_litigation(
    s: &LitigationState,
    action: &LitigationAction,
    today: Date,
    cal: &Calendar,
    rules: &LitigationRules,
) -> Result<LitigationState, ReviewError> {
    let code = action.code();
    if !possible(code, s) {
        return Err(refused(format!(
            "该案件当前为「{}」，不能{}",
            s.status.label_zh(),
            code.label_zh()
        )));
    }
    let mut n = s.clone();
    match action {
        LitigationAction::Answer {
            on,
            evidence_submitted,
            note,
        } => {
            let d = past_day(*on, today, "答复（答辩）日期", s.received_on)?;
            opt(note, "说明", 2000)?;
            n.answer = Some(AnswerRecord {
                on: d,
                evidence_submitted: *evidence_submitted,
                note: note.trim().into(),
            });
            n.status = LitigationStatus::Answered;
        }
        LitigationAction::ScheduleHearing { on, summoned } => {
            if *on < s.received_on {
                return Err(invalid("开庭（听证）日期不能早于收到副本日期"));
            }
            if s.hearings.iter().any(|h| h.on == *on) {
                return Err(invalid(format!("{on}的开庭（听证）已登记")));
            }
            n.hearings.push(HearingRecord {
                on: *on,
                summoned: *summoned,
                attendee: None,
                attendee_name: String::new(),
                head_user_id: None,
                excuse: String::new(),
                proof: String::new(),
                spoke_on_resolution: false,
                adviser_ids: None,
            });
            n.hearings.sort_by_key(|h| h.on);
        }
        LitigationAction::RecordAttendance {
            index,
            attendee,
            attendee_name,
            head_user_id,
            excuse,
            proof,
            spoke_on_resolution,
            adviser_ids,
        } => {
            let Some(h) = n.hearings.get_mut(*index) else {
                return Err(invalid("没有这次开庭（听证）"));
            };
            if h.attendee.is_some() {
                return Err(refused("该次开庭（听证）的出庭情况已登记"));
            }
            if h.on > today {
                return Err(refused(format!(
                    "开庭（听证）定于{}，举行后方可登记出庭情况",
                    h.on
                )));
            }
            if *attendee == AttendeeRole::Absent {
                opt(attendee_name, "出庭人员姓名", 50)?;
            } else {
                check_text(attendee_name, "出庭人员姓名", 50)?;
            }
            if attendee.is_head() {
                if head_user_id.is_none() {
                    return Err(invalid(
                        "负责人出庭的，请选择出庭的负责人（用于年度报告第一责任人履职情况）",
                    ));
                }
            } else {
                if head_user_id.is_some() {
                    return Err(invalid("出庭人员不是负责人的，不登记负责人账号"));
                }
                check_text(excuse, "负责人不能出庭的理由", 1000).map_err(|_| {
                    invalid("负责人未出庭的，须说明理由（《最高人民法院关于行政机关负责人出庭应诉若干问题的规定》第8条、第9条）")
                })?;
                check_text(proof, "证明材料", 1000).map_err(|_| {
                    invalid("负责人未出庭的，须登记加盖公章的证明材料（《最高人民法院关于行政机关负责人出庭应诉若干问题的规定》第9条）")
                })?;
            }
            h.attendee = Some(*attendee);
            h.attendee_name = attendee_name.trim().into();
            h.head_user_id = *head_user_id;
            if attendee.is_head() {
                h.excuse.clear();
                h.proof.clear();
            } else {
                h.excuse = excuse.trim().into();
                h.proof = proof.trim().into();
            }
            h.spoke_on_resolution = attendee.is_head() && *spoke_on_resolution;
            h.adviser_ids = adviser_ids.clone();
        }
        LitigationAction::Conclude { outcome, on, note } => {
            let d = past_day(*on, today, "结案日期", s.received_on)?;
            if *outcome == LitigationOutcome::Other {
                check_text(note, "结案情况说明", 2000)
                    .map_err(|_| invalid("结案方式为“其他”的，请说明结案情况"))?;
            } else {
                opt(note, "说明", 2000)?;
            }
            n.outcome = Some(*outcome);
            n.concluded_on = Some(d);
            n.outcome_note = note.trim().into();
            n.status = LitigationStatus::Concluded;
        }
        LitigationAction::RecordOpinionLetter { on, content } => {
            let d = past_day(*on, today, "收到意见书日期", s.received_on)?;
            check_text(content, "意见书内容", 5000)?;
            n.opinion_letter = Some(OpinionLetter {
                received_on: d,
                content: content.trim().into(),
                correction_due: rules.correction.due(d, cal),
                corrected_on: None,
                correction: String::new(),
            });
        }
        LitigationAction::RecordCorrection { on, summary } => {
            let o = n
                .opinion_letter
                .as_mut()
                .expect("possible checked the letter");
            let d = past_day(*on, today, "整改日期", o.received_on)?;
            check_text(summary, "整改情况", 5000)?;
            o.corrected_on = Some(d);
            o.correction = summary.trim().into();
        }
    }
    Ok(n)
}

code_enum! {
    /// A count of cases of the register, over the cases received in a period.
    pub enum LitigationFigure: "复议诉讼统计项" {
        Received = ("received", "收案"),
        Reconsiderations = ("reconsiderations", "行政复议案件"),
        Lawsuits = ("lawsuits", "行政诉讼案件"),
        /// 纠错率 denominator: concluded 复议.
        ReconsiderationsConcluded = ("reconsiderations_concluded", "行政复议结案"),
        /// 纠错率 numerator.
        Corrected = ("corrected", "复议被纠错"),
        /// 败诉率 denominator: concluded lawsuits.
        LawsuitsConcluded = ("lawsuits_concluded", "行政诉讼结案"),
        /// 败诉率 numerator.
        Lost = ("lost", "诉讼败诉"),
        /// 调解 or 撤回 (调撤, counted apart).
        MediatedOrWithdrawn = ("mediated_or_withdrawn", "调解、撤回"),
        Pending = ("pending", "未结案"),
        /// The answer came late or is late (复议法 Art 70: the act counts as unsupported).
        AnswerOverdue = ("answer_overdue", "答复（答辩）超期"),
        /// 复议意见书 received; correction late or still open past its day.
        CorrectionOverdue = ("correction_overdue", "意见书整改超期"),
    }
}

impl LitigationFigure {
    /// Whether case `s` counts in this figure on `today`: the one definition.
    pub fn counts(self, s: &LitigationState, today: Date) -> bool {
        use LitigationFigure as F;
        let concluded = s.status == LitigationStatus::Concluded;
        let recon = s.kind == LitigationKind::Reconsideration;
        match self {
            F::Received => true,
            F::Reconsiderations => recon,
            F::Lawsuits => !recon,
            F::ReconsiderationsConcluded => recon && concluded,
            F::Corrected => recon && concluded && s.corrected(),
            F::LawsuitsConcluded => !recon && concluded,
            F::Lost => !recon && concluded && s.corrected(),
            F::MediatedOrWithdrawn => matches!(
                s.outcome,
                Some(LitigationOutcome::Mediated | LitigationOutcome::Withdrawn)
            ),
            F::Pending => !concluded,
            F::AnswerOverdue => s.answer_overdue(today),
            F::CorrectionOverdue => s.correction_overdue(today),
        }
    }
}

/// The figures of a set of cases with the three rates.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LitigationTally {
    /// (figure, count), in [`LitigationFigure::ALL`] order.
    pub counts: Vec<(LitigationFigure, i64)>,
    /// Lawsuit hearings whose attendance was recorded (出庭应诉率 denominator).
    pub hearings: i64,
    /// Of those, hearings a head (主要或分管负责人) attended.
    pub head_hearings: i64,
}

fn percent(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| (num as f64 * 10000.0 / den as f64).round() / 100.0)
}

impl LitigationTally {
    pub fn of<'a>(
        cases: impl IntoIterator<Item = &'a LitigationState>,
        today: Date,
    ) -> LitigationTally {
        let mut t = LitigationTally {
            counts: LitigationFigure::ALL.iter().map(|f| (*f, 0)).collect(),
            ..LitigationTally::default()
        };
        for s in cases {
            for (f, n) in &mut t.counts {
                if f.counts(s, today) {
                    *n += 1;
                }
            }
            if s.kind == LitigationKind::Lawsuit {
                for h in s.hearings.iter().filter(|h| h.attendee.is_some()) {
                    t.hearings += 1;
                    t.head_hearings += i64::from(h.head_attended());
                }
            }
        }
        t
    }

    pub fn get(&self, f: LitigationFigure) -> i64 {
        self.counts
            .iter()
            .find(|(g, _)| *g == f)
            .map_or(0, |(_, n)| *n)
    }

    /// 复议纠错率 in percent: corrected ÷ concluded 复议; none without a denominator.
    pub fn correction_rate(&self) -> Option<f64> {
        percent(
            self.get(LitigationFigure::Corrected),
            self.get(LitigationFigure::ReconsiderationsConcluded),
        )
    }

    /// 诉讼败诉率 in percent: lost ÷ concluded lawsuits.
    pub fn loss_rate(&self) -> Option<f64> {
        percent(
            self.get(LitigationFigure::Lost),
            self.get(LitigationFigure::LawsuitsConcluded),
        )
    }

    /// 负责人出庭应诉率 in percent: lawsuit hearings a head attended ÷ lawsuit hearings.
    pub fn head_attendance_rate(&self) -> Option<f64> {
        percent(self.head_hearings, self.hearings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn spec(kind: LitigationKind, received_on: Date) -> LitigationSpec {
        LitigationSpec {
            kind,
            instance: (kind == LitigationKind::Lawsuit).then_some(Instance::First),
            simple: false,
            case_number: String::new(),
            claimant: "某建材公司".into(),
            body: "清溪区人民政府".into(),
            challenged_act: "青石执罚决〔2026〕7号行政处罚决定".into(),
            enforcement_case_id: None,
            major_decision_id: None,
            received_on,
            filed_on: None,
        }
    }

    #[test]
    fn deadlines_follow_the_calendar() {
        let cal = Calendar::builtin();
        let rules = LitigationRules::default();
        // 2026-09-28 (Mon): 国庆 1–7 Oct are rest days, 10 Oct (Sat) a make-up working day.
        let d = date!(2026 - 09 - 28);
        let s =
            open_litigation(&spec(LitigationKind::Reconsideration, d), d, &cal, &rules).unwrap();
        // 29, 30 Sep, 8, 9, 10 (Sat, worked), 12, 13, 14, 15, 16 Oct.
        assert_eq!(s.answer_due, date!(2026 - 10 - 16));
        assert_eq!(s.decision_due, Some(date!(2026 - 11 - 27)));
        // 15 calendar days from 2026-09-20 end on 5 Oct, a rest day: moved to 8 Oct.
        let d = date!(2026 - 09 - 20);
        let s = open_litigation(&spec(LitigationKind::Lawsuit, d), d, &cal, &rules).unwrap();
        assert_eq!(s.answer_due, date!(2026 - 10 - 08));
        // Six months from 20 Sep: 20 Mar 2027 (a Saturday), moved to Monday 22 Mar.
        assert_eq!(s.decision_due, Some(date!(2027 - 03 - 22)));
        // The month's last day when the matching day is missing.
        assert_eq!(
            add_months(date!(2026 - 08 - 31), 6, &cal),
            date!(2027 - 03 - 01)
        );
        // 28 Feb 2026 is a Saturday made a working day (调休 for 春节).
        assert_eq!(
            add_months(date!(2025 - 08 - 28), 6, &cal),
            date!(2026 - 02 - 28)
        );
        let mut simple = spec(LitigationKind::Reconsideration, date!(2026 - 03 - 02));
        simple.simple = true;
        let s = open_litigation(&simple, date!(2026 - 03 - 02), &cal, &rules).unwrap();
        assert_eq!(s.answer_due, date!(2026 - 03 - 09));
    }

    #[test]
    fn attendance_rules_and_rates() {
        let cal = Calendar::builtin();
        let rules = LitigationRules::default();
        let d = date!(2026 - 03 - 02);
        let today = date!(2026 - 06 - 01);
        let mut bad = spec(LitigationKind::Lawsuit, d);
        bad.instance = None;
        assert!(open_litigation(&bad, today, &cal, &rules).is_err());
        let s = open_litigation(&spec(LitigationKind::Lawsuit, d), today, &cal, &rules).unwrap();
        assert!(s.answer_overdue(today));
        let sched = |on| LitigationAction::ScheduleHearing { on, summoned: true };
        let s = apply_litigation(&s, &sched(date!(2026 - 04 - 10)), today, &cal, &rules).unwrap();
        let s = apply_litigation(&s, &sched(date!(2026 - 05 - 10)), today, &cal, &rules).unwrap();
        let staff = LitigationAction::RecordAttendance {
            index: 0,
            attendee: AttendeeRole::Staff,
            attendee_name: "李四".into(),
            head_user_id: None,
            excuse: String::new(),
            proof: String::new(),
            spoke_on_resolution: false,
            adviser_ids: None,
        };
        let e = apply_litigation(&s, &staff, today, &cal, &rules).unwrap_err();
        assert!(e.message().contains("第8条"), "{e}");
        let head = LitigationAction::RecordAttendance {
            index: 1,
            attendee: AttendeeRole::PrincipalHead,
            attendee_name: "王强".into(),
            head_user_id: None,
            excuse: String::new(),
            proof: String::new(),
            spoke_on_resolution: true,
            adviser_ids: None,
        };
        assert!(apply_litigation(&s, &head, today, &cal, &rules).is_err());
        let head = LitigationAction::RecordAttendance {
            index: 1,
            attendee: AttendeeRole::PrincipalHead,
            attendee_name: "王强".into(),
            head_user_id: Some(7),
            excuse: String::new(),
            proof: String::new(),
            spoke_on_resolution: true,
            adviser_ids: None,
        };
        let s = apply_litigation(&s, &head, today, &cal, &rules).unwrap();
        let staff = LitigationAction::RecordAttendance {
            index: 0,
            attendee: AttendeeRole::Staff,
            attendee_name: "李四".into(),
            head_user_id: None,
            excuse: "参加防汛紧急会议".into(),
            proof: "镇政府盖章说明".into(),
            spoke_on_resolution: false,
            adviser_ids: None,
        };
        let s = apply_litigation(&s, &staff, today, &cal, &rules).unwrap();
        let lost = LitigationAction::Conclude {
            outcome: LitigationOutcome::Revoked,
            on: None,
            note: String::new(),
        };
        let s = apply_litigation(&s, &lost, today, &cal, &rules).unwrap();
        let r = open_litigation(
            &spec(LitigationKind::Reconsideration, d),
            today,
            &cal,
            &rules,
        )
        .unwrap();
        let upheld = LitigationAction::Conclude {
            outcome: LitigationOutcome::Upheld,
            on: None,
            note: String::new(),
        };
        let r = apply_litigation(&r, &upheld, today, &cal, &rules).unwrap();
        let letter = LitigationAction::RecordOpinionLetter {
            on: Some(date!(2026 - 03 - 20)),
            content: "规范送达程序".into(),
        };
        let r = apply_litigation(&r, &letter, today, &cal, &rules).unwrap();
        assert!(r.correction_overdue(today));
        let t = LitigationTally::of([&s, &r], today);
        assert_eq!(t.loss_rate(), Some(100.0));
        assert_eq!(t.correction_rate(), Some(0.0));
        assert_eq!(t.head_attendance_rate(), Some(50.0));
        assert_eq!(t.get(LitigationFigure::CorrectionOverdue), 1);
    }
}
