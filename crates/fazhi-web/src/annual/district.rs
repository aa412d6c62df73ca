//! The district's view of its townships' reports for a year (issue 18 §6, §7): where
//! each stands, what the reader finds in the text as submitted (or as uploaded by a
//! township not on the platform), the figures it claims beside the district's own
//! records, paragraphs shared between townships, and the 督办 notices.

use fazhi_core::division::Level;
use fazhi_core::report::workflow::{publish_due, submit_due};
use fazhi_core::role::Permission;
use fazhi_core::validate::required_text;
use fazhi_db::admin::divisions::{self, DivisionRow};
use fazhi_db::annual::notices::{self, NewNotice, Notice};
use time::Date;

use super::app;
use crate::AppState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};

/// The indicators compared, with the words a supervisor reads. Counts only: a rate
/// written with two decimals would differ from the records' by rounding.
pub const COMPARED: &[(&str, &str)] = &[
    ("disputes_handled", "矛盾纠纷"),
    ("petitions", "信访"),
    ("enforcement_cases", "执法案件"),
    ("inspections", "执法检查"),
    ("publicity_events", "普法活动"),
    ("people_reached", "普法受众"),
    ("publicity_materials", "宣传资料"),
    ("study_sessions", "学法"),
    ("legal_reviews", "合法性审查"),
];

/// One indicator of one township: what its report claims and what the records give,
/// both read by the same reader under the same conventions.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Compared {
    pub indicator: String,
    pub label: String,
    pub claimed: Option<f64>,
    pub records: Option<f64>,
    /// The report claims a figure the records do not give.
    pub differs: bool,
}

/// Where a township's report text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Drafted on the platform and submitted: the text as submitted.
    Platform,
    /// Uploaded: a township that writes its report elsewhere.
    Uploaded,
    /// Nothing submitted or uploaded yet.
    None,
}

/// A township's row in the district's view.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TownshipRow {
    pub code: String,
    pub name: String,
    pub status: String,
    #[schema(value_type = Option<String>)]
    pub submitted_on: Option<Date>,
    #[schema(value_type = Option<String>)]
    pub published_on: Option<Date>,
    pub submit_late: bool,
    pub publish_late: bool,
    pub source: Source,
    /// The uploaded file's name.
    pub file_name: Option<String>,
    /// The reader's proofreading: errors, warnings, and the first findings.
    pub errors: usize,
    pub warnings: usize,
    pub findings: Vec<String>,
    /// The township and year the reader found in the text, when they disagree.
    pub identity_note: Option<String>,
    pub compared: Vec<Compared>,
    pub differences: usize,
    pub notices: Vec<NoticeView>,
}

/// A 督办 notice as shown to both sides.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct NoticeView {
    pub id: i64,
    pub subject: String,
    pub body: String,
    #[schema(value_type = String)]
    pub due_on: Date,
    pub sent_by: String,
    #[schema(value_type = String)]
    pub sent_on: Date,
    pub reply: Option<String>,
    pub replied_by: Option<String>,
    #[schema(value_type = Option<String>)]
    pub replied_on: Option<Date>,
    /// No reply by the due day.
    pub overdue: bool,
}

impl NoticeView {
    fn new(n: Notice, today: Date) -> NoticeView {
        NoticeView {
            overdue: n.reply.is_none() && today > n.due_on,
            id: n.id,
            subject: n.subject,
            body: n.body,
            due_on: n.due_on,
            sent_by: n.sent_by,
            sent_on: n.sent_on,
            reply: n.reply,
            replied_by: n.replied_by,
            replied_on: n.replied_on,
        }
    }
}

/// A paragraph found in the reports of two townships or more.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Shared {
    pub text: String,
    pub townships: Vec<String>,
}

/// The district's view of a year.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DistrictView {
    pub year: i32,
    pub rows: Vec<TownshipRow>,
    pub shared: Vec<Shared>,
    /// The viewer may send 督办 notices.
    pub can_supervise: bool,
}

/// Townships in the caller's scope of reports.
async fn townships(state: &AppState, p: &Principal) -> ApiResult<Vec<DivisionRow>> {
    let scope = p.require(Permission::ReadReports)?;
    Ok(divisions::tree(&state.db, &scope.roots)
        .await?
        .into_iter()
        .filter(|d| d.level == Level::Township)
        .collect())
}

/// Whether something done on `done` (or still not done) (or still missing past it) is late.
fn late(due: Option<Date>, done: Option<Date>, today: Date) -> bool {
    match (due, done) {
        (Some(due), Some(done)) => done > due,
        (Some(due), None) => today > due,
        _ => false,
    }
}

/// The Beijing day of Unix milliseconds.
fn day_of(ms: i64) -> Date {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000) + 8 * 3600)
        .map_or(Date::MIN, |t| t.date())
}

/// Compares what `claimed` reads with what `records` (the platform's draft from the
/// records) reads, indicator by indicator.
pub fn compare(claimed: &fazhi_analyze::Report, records: &fazhi_analyze::Report) -> Vec<Compared> {
    COMPARED
        .iter()
        .map(|(key, label)| {
            let c = claimed.indicator_value(key);
            let r = records.indicator_value(key);
            Compared {
                indicator: (*key).into(),
                label: (*label).into(),
                differs: c.is_some_and(|c| r.is_none_or(|r| (c - r).abs() > 0.5)),
                claimed: c,
                records: r,
            }
        })
        .collect()
}

/// The district's view of `year` over the townships in the caller's scope.
pub(crate) async fn view(state: &AppState, p: &Principal, year: i32) -> ApiResult<DistrictView> {
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::not_found());
    }
    let towns = townships(state, p).await?;
    let ids: Vec<i64> = towns.iter().map(|t| t.id).collect();
    let saved = fazhi_db::annual::reports::of_year(&state.db, &ids, year).await?;
    let uploaded = fazhi_db::annual::outside::of_year(&state.db, &ids, year).await?;
    let sent = notices::of_year(&state.db, &ids, year).await?;
    let today = state.clock.today();
    let (sdue, pdue) = (submit_due(year), publish_due(year));
    let mut rows = Vec::new();
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut platform: Vec<(String, String)> = Vec::new();
    for t in &towns {
        let r = saved.iter().find(|r| r.township_id == t.id);
        let up = uploaded.iter().find(|u| u.township_id == t.id);
        let submitted = r.and_then(|r| r.submitted_on);
        let (source, text) = match (r.and_then(|r| r.submitted_text.clone()), up) {
            (Some(text), _) => (Source::Platform, Some(text)),
            (None, Some(u)) => (Source::Uploaded, Some(u.body.clone())),
            (None, None) => (Source::None, None),
        };
        let mut row = TownshipRow {
            code: t.code.clone(),
            name: t.name.clone(),
            status: match (r, up) {
                (Some(r), _) => r.status.label_zh().into(),
                (None, Some(_)) => "已上传".into(),
                (None, None) => "未起草".into(),
            },
            submitted_on: submitted,
            published_on: r.and_then(|r| r.published_on),
            // An uploaded report was handed in the day it was uploaded.
            submit_late: late(
                sdue,
                submitted.or(up
                    .filter(|_| source == Source::Uploaded)
                    .map(|u| day_of(u.uploaded_at))),
                today,
            ),
            publish_late: source != Source::Uploaded
                && late(pdue, r.and_then(|r| r.published_on), today),
            source,
            file_name: up
                .filter(|_| source == Source::Uploaded)
                .map(|u| u.file_name.clone()),
            errors: 0,
            warnings: 0,
            findings: vec![],
            identity_note: None,
            compared: vec![],
            differences: 0,
            notices: sent
                .iter()
                .filter(|n| n.township_id == t.id)
                .cloned()
                .map(|n| NoticeView::new(n, today))
                .collect(),
        };
        if let Some(text) = text {
            let claimed = fazhi_analyze::analyze_text(&t.name, &text);
            let (e, w) = claimed.check_counts();
            row.errors = e;
            row.warnings = w;
            row.findings = claimed
                .checks
                .iter()
                .take(3)
                .map(|c| format!("第{}行：{}", c.line, c.message))
                .collect();
            let mut notes = Vec::new();
            if claimed
                .issuer
                .as_deref()
                .is_some_and(|i| !t.name.contains(i) && !i.contains(&t.name))
            {
                notes.push(format!(
                    "正文署名为{}",
                    claimed.issuer.clone().unwrap_or_default()
                ));
            }
            if claimed.year.is_some_and(|y| y != year) {
                notes.push(format!(
                    "正文所述年度为{}年",
                    claimed.year.unwrap_or_default()
                ));
            }
            row.identity_note = (!notes.is_empty()).then(|| notes.join("；"));
            // The records' side: the platform's draft of the same township and year.
            let fresh = app::draft_of(state, t, year).await?.plain_text();
            let records = fazhi_analyze::analyze_text(&t.name, &fresh);
            row.compared = compare(&claimed, &records);
            row.differences = row.compared.iter().filter(|c| c.differs).count();
            texts.push((t.name.clone(), text));
            platform.push((format!("平台模板（{}）", t.name), fresh));
        }
        rows.push(row);
    }
    let shared = shared_paragraphs(texts, platform).await?;
    Ok(DistrictView {
        year,
        rows,
        shared,
        can_supervise: p.can(Permission::SuperviseReports),
    })
}

/// Paragraphs two townships or more wrote alike, leaving out the platform's own
/// phrasing (the drafts from records are the templates every platform report shares).
async fn shared_paragraphs(
    texts: Vec<(String, String)>,
    platform: Vec<(String, String)>,
) -> ApiResult<Vec<Shared>> {
    if texts.len() < 2 {
        return Ok(vec![]);
    }
    let clusters = tokio::task::spawn_blocking(move || {
        fazhi_analyze::dups::near_duplicates_with(
            &texts,
            &platform,
            fazhi_analyze::dups::Settings::default(),
        )
    })
    .await
    .map_err(ApiError::internal)?;
    Ok(clusters
        .into_iter()
        .filter(|c| !c.template && c.townships >= 2)
        .take(20)
        .map(|c| {
            let mut townships: Vec<String> = c
                .members
                .iter()
                .filter(|m| !m.reference)
                .map(|m| m.file.clone())
                .collect();
            townships.dedup();
            Shared {
                text: c.text.chars().take(200).collect(),
                townships,
            }
        })
        .collect())
}

/// A township in the caller's scope of reports.
async fn township_for_reports(
    state: &AppState,
    p: &Principal,
    perm: Permission,
    code: &str,
) -> ApiResult<DivisionRow> {
    let scope = p.require(perm)?;
    let d = crate::admin::api::division_in_scope(state, &scope, code, None).await?;
    if d.level != Level::Township {
        return Err(ApiError::not_found());
    }
    Ok(d)
}

/// Most characters of an uploaded report's text.
const MAX_UPLOAD_CHARS: usize = 400_000;

/// Keeps the report of a township not drafted on the platform (district staff with
/// ReadReports there, or the township's own staff).
pub(crate) async fn upload(
    state: &AppState,
    p: &Principal,
    code: &str,
    year: i32,
    file_name: &str,
    bytes: &[u8],
) -> ApiResult<fazhi_analyze::Report> {
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::field("year", "年度应在2000至2100之间"));
    }
    let t = match township_for_reports(state, p, Permission::ReadReports, code).await {
        Ok(t) => t,
        Err(_) => {
            let t = app::township(state, p, code).await?;
            if !p.scope(Permission::ManageMatters).covers(&t.path) {
                return Err(ApiError::forbidden());
            }
            t
        }
    };
    let name = file_name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::field(
            "file",
            "请选择报告文件（文件名不超过200字）",
        ));
    }
    use fazhi_analyze::decode::{self, Kind};
    let kind = decode::kind_of(name, bytes);
    let container = matches!(kind, Kind::Docx | Kind::Doc | Kind::Pdf);
    if !container && decode::looks_binary(bytes) {
        return Err(ApiError::field(
            "file",
            "无法识别为文本：请上传 .txt、.html、.docx、.doc 或 PDF 文件（文本为 UTF-8 或 GBK 编码）",
        ));
    }
    let text = decode::to_text(name, bytes).map_err(|e| match e {
        fazhi_analyze::Error::TooLarge(_) => {
            ApiError::field("file", "文件解压后过大（可能是异常文件），未读取")
        }
        fazhi_analyze::Error::NoText => ApiError::field(
            "file",
            "PDF文件没有文字层（可能是扫描件）：请先进行文字识别（OCR），或上传原始的Word文件",
        ),
        _ => ApiError::field("file", "无法读取该文件：文件已损坏、已加密或格式不受支持"),
    })?;
    if text.trim().is_empty() {
        return Err(ApiError::field(
            "file",
            "文件中没有可读的文字（扫描件须先识别文字）",
        ));
    }
    if text.chars().count() > MAX_UPLOAD_CHARS {
        return Err(ApiError::field("file", "报告过长（超过40万字），未保存"));
    }
    let report = fazhi_analyze::analyze_text(name, &text);
    fazhi_db::annual::outside::upload(&state.db, &p.actor(), t.id, year, name, &text).await?;
    Ok(report)
}

/// A 督办 notice as entered.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct NoticeIn {
    pub code: String,
    pub year: i32,
    pub subject: String,
    pub body: String,
    /// Reply due (YYYY-MM-DD), after today.
    #[schema(value_type = String)]
    pub due_on: String,
}

/// Sends a 督办 notice to a township (the district supervisor).
pub(crate) async fn send_notice(state: &AppState, p: &Principal, n: &NoticeIn) -> ApiResult<i64> {
    let t = township_for_reports(state, p, Permission::SuperviseReports, &n.code).await?;
    if !(2000..=2100).contains(&n.year) {
        return Err(ApiError::field("year", "年度应在2000至2100之间"));
    }
    let subject =
        required_text("督办事项", &n.subject, 100).map_err(|m| ApiError::field("subject", m))?;
    let body = required_text("督办内容", &n.body, 2000).map_err(|m| ApiError::field("body", m))?;
    let today = state.clock.today();
    let due = Date::parse(
        n.due_on.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| ApiError::field("due_on", "回复期限应为日期，如 2026-03-10"))?;
    if due <= today || due > today + time::Duration::days(366) {
        return Err(ApiError::field("due_on", "回复期限应在今天之后、一年之内"));
    }
    let notice = NewNotice {
        township_id: t.id,
        year: n.year,
        subject,
        body,
        due_on: due,
        sent_on: today,
    };
    Ok(notices::send(&state.db, &p.actor(), &notice).await?)
}

/// The notices to township `t` about `year`'s report.
pub(crate) async fn notices_of(
    state: &AppState,
    t: &DivisionRow,
    year: i32,
) -> ApiResult<Vec<NoticeView>> {
    let today = state.clock.today();
    Ok(notices::of_year(&state.db, &[t.id], year)
        .await?
        .into_iter()
        .map(|n| NoticeView::new(n, today))
        .collect())
}

/// The township's reply to a notice (its staff: ManageMatters there).
pub(crate) async fn reply_notice(
    state: &AppState,
    p: &Principal,
    code: &str,
    id: i64,
    text: &str,
) -> ApiResult<()> {
    let t = app::township(state, p, code).await?;
    if !p.scope(Permission::ManageMatters).covers(&t.path) {
        return Err(ApiError::forbidden());
    }
    let text = required_text("回复", text, 2000).map_err(|m| ApiError::field("reply", m))?;
    match fazhi_db::annual::notices::reply(
        &state.db,
        &p.actor(),
        t.id,
        id,
        &text,
        state.clock.today(),
    )
    .await
    {
        Err(fazhi_db::DbError::Stale) => Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "refused",
            "该督办已回复或不存在",
        )),
        other => Ok(other?),
    }
}
