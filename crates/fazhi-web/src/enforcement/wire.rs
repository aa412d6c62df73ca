//! The JSON shapes of the enforcement API.

use fazhi_core::calendar::{Warning, date_format};
use fazhi_core::enforcement::{
    CaseAction, CaseActionCode, CaseFigure, CaseOutcome, CaseSpec, CaseState, CaseStatus,
    InspectionKind, InspectionOutcome, InspectionSpec, ItemSpec, OnSpot, PowerSource, Procedure,
    money::yuan,
};
use fazhi_db::enforcement::cases::{CaseEventRow, CaseRow};
use fazhi_db::enforcement::items::ItemRow;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

/// An item of the list (one version).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemOut {
    pub id: i64,
    pub version: i64,
    /// Whether this is the version new cases use.
    pub latest: bool,
    pub township_id: i64,
    #[serde(flatten)]
    pub spec: ItemSpec,
}

impl ItemOut {
    pub(crate) fn of(r: &ItemRow) -> fazhi_db::Result<ItemOut> {
        let item = r.item()?;
        Ok(ItemOut {
            id: r.id,
            version: r.version,
            latest: r.latest,
            township_id: r.township_id,
            spec: item.spec,
        })
    }
}

/// Body of `POST /api/v1/enforcement/items`: a new item, or a new version of one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ItemSave {
    /// The township's 12-digit code; may be left out by a user of one township.
    #[serde(default)]
    pub township_code: Option<String>,
    #[serde(flatten)]
    pub spec: ItemSpec,
}

/// Body of `POST /api/v1/enforcement/cases`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CaseCreate {
    /// The item (any version in scope; the latest of its code is used).
    pub item_id: i64,
    /// Where the violation happened: a township or village code (defaults to the item's township).
    #[serde(default)]
    pub division_code: Option<String>,
    pub procedure: Procedure,
    #[serde(flatten)]
    pub spec: CaseSpec,
    /// The decision, for the simple procedure (当场处罚).
    #[serde(default)]
    pub on_spot: Option<OnSpot>,
    /// The matter (complaint, grid report) the case comes from.
    #[serde(default)]
    pub matter_id: Option<i64>,
}

/// A case in lists.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseOut {
    pub id: i64,
    /// 案号.
    pub number: String,
    pub procedure: Procedure,
    pub status: CaseStatus,
    pub status_label: &'static str,
    pub item_id: i64,
    pub item_name: String,
    pub division_name: String,
    pub matter_id: Option<i64>,
    pub party_name: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub opened_on: Date,
    /// The next thing due and its day (作出决定, 送达, 缴纳罚款).
    pub next_due: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub next_due_on: Option<Date>,
    /// Days left until `next_due_on` (negative when late).
    pub days_left: Option<i64>,
    pub warning: Warning,
    pub paused: bool,
    pub outcome: Option<CaseOutcome>,
    /// Fine decided, in yuan ("200", "12.50").
    pub fine: String,
    pub paid: String,
    pub version: i64,
}

impl CaseOut {
    pub(crate) fn of(r: &CaseRow, s: &CaseState, today: Date, yellow: u32) -> CaseOut {
        let due = s.next_due();
        CaseOut {
            id: r.id,
            number: r.number.clone(),
            procedure: r.procedure,
            status: r.status,
            status_label: r.status.label_zh(),
            item_id: r.item_id,
            item_name: r.item_name.clone(),
            division_name: r.division_name.clone(),
            matter_id: r.matter_id,
            party_name: r.party_name.clone(),
            opened_on: r.opened_on,
            next_due: due.map(|(w, _)| w.to_string()),
            next_due_on: due.map(|(_, d)| d),
            days_left: due.map(|(_, d)| (d - today).whole_days()),
            warning: s.warning(today, yellow),
            paused: r.paused,
            outcome: r.outcome,
            fine: yuan(r.fine_fen),
            paid: yuan(r.paid_fen),
            version: r.version,
        }
    }
}

/// One timeline entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseEventOut {
    pub at: i64,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub on_date: Date,
    pub actor: String,
    pub action: CaseActionCode,
    pub action_label: &'static str,
    pub from_status: Option<CaseStatus>,
    pub to_status: CaseStatus,
    pub note: String,
}

impl From<CaseEventRow> for CaseEventOut {
    fn from(e: CaseEventRow) -> CaseEventOut {
        CaseEventOut {
            at: e.at,
            on_date: e.on_date,
            actor: e.actor,
            action: e.action,
            action_label: e.action.label_zh(),
            from_status: e.from_status,
            to_status: e.to_status,
            note: e.note,
        }
    }
}

/// A case with everything recorded, its timeline and what the caller may do next.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseDetail {
    pub case: CaseOut,
    /// The whole recorded state (item copy, evidence, notice, hearing, reviews, decision …).
    #[schema(value_type = Object)]
    pub state: serde_json::Value,
    pub events: Vec<CaseEventOut>,
    /// Actions the caller may take now, in display order.
    pub allowed_actions: Vec<CaseActionCode>,
    /// Legal review is required before the decision (Art 58 or the catalogue).
    pub review_required: bool,
    /// Discovered after the 2-/5-year limitation (Art 36): no penalty possible.
    pub limitation_expired: bool,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub limitation_end: Date,
    /// Late-payment surcharge as of today, in yuan.
    pub surcharge: String,
    /// The caller may score the closed file (案卷评查).
    pub can_review_file: bool,
    /// The documents the case's state supports now, in the order of the file.
    pub documents: Vec<DocumentOut>,
}

/// A document of a case that can be downloaded now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentOut {
    /// `filing`, `inquiry-record`, `inspection-record`, `notice`, `hearing-notice`,
    /// `hearing-record`, `review-opinion`, `decision`, `no-penalty-decision`,
    /// `service-receipt`, `closing`, `on-the-spot` or `cover`.
    pub kind: String,
    /// For the 笔录, one entry per evidence record: its 1-based number among the
    /// records of its kind (`?n=` in the URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<usize>,
    pub title: String,
    /// `GET` this for the DOCX.
    pub url: String,
}

impl DocumentOut {
    pub fn list(case_id: i64, s: &fazhi_core::enforcement::CaseState) -> Vec<DocumentOut> {
        fazhi_office::enforcement::DocKind::entries(s)
            .into_iter()
            .map(|e| DocumentOut {
                kind: e.kind.slug().to_string(),
                n: e.n,
                url: format!(
                    "/api/v1/enforcement/cases/{case_id}/documents/{}.docx{}",
                    e.kind.slug(),
                    e.n.map(|n| format!("?n={n}")).unwrap_or_default()
                ),
                title: e.title,
            })
            .collect()
    }
}

/// Body of `POST /api/v1/enforcement/cases/{id}/actions`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CaseActionBody {
    /// The version read; another stored version answers 409 `stale_version`.
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(flatten)]
    pub action: CaseAction,
}

/// Query of the case list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
pub struct CaseQuery {
    pub status: Option<String>,
    pub procedure: Option<String>,
    pub outcome: Option<String>,
    pub item_id: Option<i64>,
    /// Opened in this year.
    pub year: Option<i32>,
    /// Only the cases a figure counts (with `year`): the drill-down of the statistics.
    pub figure: Option<String>,
    /// Before a decision and past the 90-day period.
    pub overdue: Option<bool>,
    /// Only cases of this township or village (12-digit code, in scope).
    pub division_code: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

/// A page of cases.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CasePage {
    pub items: Vec<CaseOut>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// An officer who may be named on an act.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OfficerOut {
    pub user_id: i64,
    pub name: String,
    /// 执法证号.
    pub number: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub valid_until: Date,
    pub valid: bool,
}

/// Body of `PUT /api/v1/enforcement/officers/{user_id}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CertificateIn {
    pub number: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub valid_until: Date,
}

/// One figure with its link to the cases it counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FigureOut {
    pub figure: CaseFigure,
    pub label: &'static str,
    pub count: i64,
    /// The page listing exactly these cases.
    pub cases: String,
    /// The same list through the API.
    pub api: String,
}

/// The enforcement figures of a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseStatsOut {
    pub year: i32,
    /// What is counted: cases opened (or decided on the spot) in the year, in scope.
    pub basis: &'static str,
    pub figures: Vec<FigureOut>,
    /// 罚没金额 decided, in yuan.
    pub fines_imposed: String,
    pub fines_collected: String,
    /// Cases per source of power (法定 / 赋权 / 委托).
    pub by_source: Vec<SourceCount>,
    /// Legal reviewers as a share of officers (118号: at least 5 %), in percent.
    pub reviewer_share: Option<f64>,
    pub officers: i64,
    pub reviewers: i64,
    /// Inspections of the year by outcome (纠违 = corrected without a penalty).
    pub inspections: Vec<InspectionFigure>,
    /// Cases per item of the list.
    pub by_item: Vec<ItemCount>,
}

/// Cases under one item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemCount {
    pub code: String,
    pub name: String,
    pub cases: i64,
    pub penalised: i64,
    /// Fines decided, in yuan.
    pub fines: String,
    #[serde(skip)]
    pub fines_fen: i64,
}

/// Inspections ending one way, with the link to them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InspectionFigure {
    pub outcome: InspectionOutcome,
    pub label: &'static str,
    pub count: i64,
    pub list: String,
}

/// Body of `POST /api/v1/enforcement/inspections`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct InspectionCreate {
    /// Where: a township or village code (defaults to the officer's township).
    #[serde(default)]
    pub division_code: Option<String>,
    #[serde(flatten)]
    pub spec: InspectionSpec,
    /// The case it led to, or the matter (complaint) it checked.
    #[serde(default)]
    pub case_id: Option<i64>,
    #[serde(default)]
    pub matter_id: Option<i64>,
}

/// One inspection.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InspectionOut {
    pub id: i64,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub on_date: Date,
    pub division_name: String,
    pub kind: InspectionKind,
    pub kind_label: &'static str,
    pub outcome: InspectionOutcome,
    pub outcome_label: &'static str,
    pub target: String,
    pub findings: String,
    pub officers: Vec<i64>,
    pub case_id: Option<i64>,
    pub matter_id: Option<i64>,
}

impl From<fazhi_db::enforcement::inspections::InspectionRow> for InspectionOut {
    fn from(r: fazhi_db::enforcement::inspections::InspectionRow) -> InspectionOut {
        InspectionOut {
            id: r.id,
            on_date: r.on_date,
            division_name: r.division_name,
            kind: r.kind,
            kind_label: r.kind.label_zh(),
            outcome: r.outcome,
            outcome_label: r.outcome.label_zh(),
            target: r.target,
            findings: r.findings,
            officers: serde_json::from_str(&r.officers).unwrap_or_default(),
            case_id: r.case_id,
            matter_id: r.matter_id,
        }
    }
}

/// Cases under items of one source of power.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceCount {
    pub source: PowerSource,
    pub label: &'static str,
    pub count: i64,
}

/// An officer as published (name and certificate number).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicOfficer {
    pub name: String,
    pub number: String,
}

/// A published decision: 执法机关、执法对象、执法类别、执法结论 (118号), a person's
/// name reduced to the surname.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicDecision {
    pub number: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub decided_on: Date,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub published_on: Date,
    pub party: String,
    pub item: String,
    pub conclusion: String,
    pub basis: String,
}

/// A township's public enforcement information.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicEnforcement {
    pub township: String,
    /// 执法主体.
    pub body: String,
    pub officers: Vec<PublicOfficer>,
    pub items: Vec<ItemOut>,
    pub decisions: Vec<PublicDecision>,
}

/// Body of `POST /api/v1/enforcement/cases/{id}/file-review`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct FileReviewIn {
    /// Veto items failed (any makes the file 不合格, 0 points).
    #[serde(default)]
    pub vetoes: Vec<String>,
    #[serde(default)]
    pub deductions: Vec<fazhi_core::enforcement::Deduction>,
}

/// One scored file.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FileReviewOut {
    pub case_id: i64,
    pub number: String,
    pub division_name: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub on_date: Date,
    pub score: i64,
    pub grade: fazhi_core::enforcement::FileGrade,
    pub grade_label: &'static str,
    pub reviewer: String,
    pub result: fazhi_core::enforcement::FileScore,
}

/// Scores of one officer's files (every officer named on the case).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OfficerScores {
    pub officer: String,
    pub files: i64,
    /// Average score, one decimal.
    pub average: f64,
    pub excellent: i64,
    pub pass: i64,
    pub fail: i64,
}

/// Files scored in one month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonthScores {
    pub month: u8,
    pub files: i64,
    pub average: f64,
}

/// The 案卷评查 results of a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FileReviewsOut {
    pub year: i32,
    pub rubric: fazhi_core::enforcement::Rubric,
    pub files: Vec<FileReviewOut>,
    pub by_officer: Vec<OfficerScores>,
    /// Per township (its enforcement unit), for the district.
    pub by_township: Vec<OfficerScores>,
    pub by_month: Vec<MonthScores>,
}

/// The result of an item-list import.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemImportOut {
    /// Items in the workbook.
    pub items: usize,
    /// Items added or given a new version (the others were unchanged).
    pub changed: usize,
}
