//! Legal advisers (法律顾问): the roster entry (firm, lawyer, licence number, contract
//! term, scope, fee), the villages an adviser covers (一村一法律顾问), the consultations
//! and mediation logged by hand, and the yearly assessment by the township's leader.
//! The rest of an adviser's work log is read from the records where they acted.

use serde::{Deserialize, Serialize};
use time::Date;

use super::ReviewError;
use crate::calendar::date_format;
use crate::enforcement::check_text;
use crate::matter::code_enum;

code_enum! {
    /// The yearly assessment of an adviser (年度考核).
    pub enum AdviserRating: "考核等次" {
        Excellent = ("excellent", "优秀"),
        Competent = ("competent", "称职"),
        BasicallyCompetent = ("basically_competent", "基本称职"),
        Incompetent = ("incompetent", "不称职"),
    }
}

impl AdviserRating {
    /// The lower two ratings need a note saying why.
    pub fn needs_note(self) -> bool {
        matches!(
            self,
            AdviserRating::BasicallyCompetent | AdviserRating::Incompetent
        )
    }
}

code_enum! {
    /// Work logged by hand in an adviser's log (what no other record holds).
    pub enum AdviserLogKind: "工作类型" {
        /// 法律咨询 (for the township or a village committee).
        Consultation = ("consultation", "法律咨询"),
        /// 参与人民调解.
        Mediation = ("mediation", "参与矛盾纠纷调解"),
        /// 参与信访事项处理.
        Petition = ("petition", "参与信访事项处理"),
        /// 法治讲座 and other work.
        Other = ("other", "其他"),
    }
}

code_enum! {
    /// Where an entry of the work log comes from.
    pub enum AdviserWorkKind: "履职记录类型" {
        /// An opinion the adviser gave on the review desk (its kind says what was reviewed).
        ReviewOpinion = ("review_opinion", "出具合法性审查意见"),
        /// A contract reviewed on the desk.
        ContractReview = ("contract_review", "审查合同"),
        /// A collective discussion of a major decision, or the deliberation of a
        /// normative document, the adviser attended (picked from the roster; discussions
        /// recorded before the link: whose attendees name the lawyer).
        DecisionMeeting = ("decision_meeting", "列席集体讨论、审议"),
        /// A 复议/诉讼 hearing the adviser attended for the township.
        Hearing = ("hearing", "代理出庭（复议、诉讼）"),
        /// Logged by hand.
        Logged = ("logged", "登记的工作"),
    }
}

/// What is entered for an adviser on the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdviserSpec {
    /// 律师事务所.
    pub firm: String,
    /// 律师姓名.
    pub lawyer: String,
    /// 律师执业证号 (17 digits).
    pub licence_no: String,
    /// 聘用合同期限：起.
    #[serde(with = "date_format")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub term_from: Date,
    /// 聘用合同期限：止.
    #[serde(with = "date_format")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub term_to: Date,
    /// 服务范围.
    pub service_scope: String,
    /// 年服务费, in fen.
    pub fee_fen: i64,
    /// The township's own adviser (政府法律顾问), besides any villages.
    #[serde(default)]
    pub serves_township: bool,
}

fn invalid(m: impl Into<String>) -> ReviewError {
    ReviewError::Invalid(m.into())
}

/// Checks an entry of the roster; the trimmed copy to store.
pub fn check_adviser(s: &AdviserSpec) -> Result<AdviserSpec, ReviewError> {
    check_text(&s.firm, "律师事务所", 100)?;
    check_text(&s.lawyer, "律师姓名", 30)?;
    check_text(&s.service_scope, "服务范围", 1000)?;
    let licence = s.licence_no.trim();
    if licence.chars().count() != 17 || !licence.chars().all(|c| c.is_ascii_digit()) {
        return Err(invalid("律师执业证号应为17位数字"));
    }
    if s.term_to < s.term_from {
        return Err(invalid("聘用合同的终止日期不能早于起始日期"));
    }
    if s.term_from.year() < 2000 || s.term_to.year() > 2100 {
        return Err(invalid("聘用合同期限超出范围"));
    }
    if !(0..=10_000_000_000).contains(&s.fee_fen) {
        return Err(invalid("服务费应为0至1亿元之间的金额"));
    }
    Ok(AdviserSpec {
        firm: s.firm.trim().into(),
        lawyer: s.lawyer.trim().into(),
        licence_no: licence.into(),
        service_scope: s.service_scope.trim().into(),
        ..s.clone()
    })
}

/// The contract is in force on `day` (both ends included).
pub fn term_valid_on(from: Date, to: Date, day: Date) -> bool {
    from <= day && day <= to
}

/// Checks a hand-logged entry: a day from 2000 to today and a subject.
pub fn check_log(
    on: Date,
    subject: &str,
    note: &str,
    today: Date,
) -> Result<(String, String), ReviewError> {
    if on.year() < 2000 || on > today {
        return Err(invalid("日期应在2000年至今天之间"));
    }
    check_text(subject, "事项", 200)?;
    if !note.trim().is_empty() {
        check_text(note, "情况说明", 2000)?;
    }
    Ok((subject.trim().into(), note.trim().into()))
}

/// Checks a yearly assessment: a past or current year, and a note for the lower ratings.
pub fn check_assessment(
    year: i32,
    rating: AdviserRating,
    note: &str,
    today: Date,
) -> Result<String, ReviewError> {
    if year < 2000 || year > today.year() {
        return Err(invalid("考核年度应在2000年至今年之间"));
    }
    if note.trim().is_empty() {
        if rating.needs_note() {
            return Err(invalid(format!(
                "考核等次为{}时须说明理由",
                rating.label_zh()
            )));
        }
    } else {
        check_text(note, "考核意见", 1000)?;
    }
    Ok(note.trim().into())
}

/// Does a free-text list of attendees (集体讨论的出席、列席人员) name the lawyer?
pub fn names_lawyer(attendees: &str, lawyer: &str) -> bool {
    let lawyer = lawyer.trim();
    !lawyer.is_empty()
        && attendees
            .split(|c: char| "，,、；; \n（）()：:".contains(c))
            .map(|w| {
                let mut w = w
                    .trim()
                    .trim_start_matches("法律顾问")
                    .trim_start_matches("律师");
                for end in ["列席", "出席", "律师"] {
                    w = w.trim_end_matches(end);
                }
                w
            })
            .any(|w| w == lawyer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn spec() -> AdviserSpec {
        AdviserSpec {
            firm: "清溪律师事务所".into(),
            lawyer: "周明".into(),
            licence_no: "13301201910123456".into(),
            term_from: date!(2026 - 01 - 01),
            term_to: date!(2026 - 12 - 31),
            service_scope: "重大决策、合同审查".into(),
            fee_fen: 3_000_000,
            serves_township: true,
        }
    }

    #[test]
    fn roster_entry_checks() {
        assert!(check_adviser(&spec()).is_ok());
        let bad = AdviserSpec {
            licence_no: "1234".into(),
            ..spec()
        };
        assert!(
            check_adviser(&bad)
                .unwrap_err()
                .to_string()
                .contains("17位")
        );
        let back = AdviserSpec {
            term_to: date!(2025 - 12 - 31),
            ..spec()
        };
        assert!(check_adviser(&back).is_err());
        let neg = AdviserSpec {
            fee_fen: -1,
            ..spec()
        };
        assert!(check_adviser(&neg).is_err());
    }

    #[test]
    fn validity_and_names() {
        let (f, t) = (date!(2026 - 01 - 01), date!(2026 - 06 - 30));
        assert!(term_valid_on(f, t, date!(2026 - 06 - 30)));
        assert!(!term_valid_on(f, t, date!(2026 - 07 - 01)));
        assert!(names_lawyer("镇长王强，副镇长李红，法律顾问周明", "周明"));
        assert!(names_lawyer("王强、周明律师", "周明"));
        assert!(!names_lawyer("王强、周明亮", "周明"));
        assert!(names_lawyer("法律顾问 周明", "周明"));
        assert!(names_lawyer("副镇长等9人，法律顾问周明列席", "周明"));
        assert!(names_lawyer("周明律师列席", "周明"));
        assert!(!names_lawyer("法律顾问", "周明"));
    }

    #[test]
    fn assessment_needs_a_note_when_low() {
        let today = date!(2026 - 12 - 06);
        assert!(check_assessment(2026, AdviserRating::Excellent, "", today).is_ok());
        assert!(check_assessment(2026, AdviserRating::Incompetent, " ", today).is_err());
        assert!(check_assessment(2027, AdviserRating::Competent, "", today).is_err());
    }
}
