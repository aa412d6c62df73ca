//! The upload page, the result page and the workbook download.
//!
//! `POST /reports` reads the uploaded files, analyses them on a blocking thread, keeps
//! the result in [`ResultStore`](super::ResultStore) and redirects to
//! `GET /reports/{id}`, so reloading the result page does not upload again.

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::multipart::MultipartError;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use fazhi_analyze::{Report, decode, dups};
use fazhi_core::role::Permission;
use fazhi_office::analysis::{AnalysisWorkbook, indicator_value, label_title};

use super::store::Stored;
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::page_error::forbidden;
use crate::pages::{Chrome, render};
use crate::store::Kept;

/// Largest upload, all files together.
pub const MAX_UPLOAD_BYTES: usize = 50 * 1024 * 1024;
/// Most a ZIP archive may unpack to: a small archive can hold gigabytes.
pub const MAX_UNPACKED_BYTES: u64 = 100 * 1024 * 1024;
/// Findings listed per report on the page; the workbook has them all.
const CHECKS_SHOWN: usize = 100;
/// Duplicate clusters listed on the page (the most townships first).
const CLUSTERS_SHOWN: usize = 50;
/// Differences shown per cluster; the workbook lists every member's changes.
const PAIRS_SHOWN: usize = 5;
/// Indicators in the comparison table; the workbook has all of them. Chosen for what
/// a district office compares first, and few enough to read on a phone.
const KEY_INDICATORS: [&str; 6] = [
    "disputes_handled",
    "dispute_resolution_rate",
    "petitions",
    "enforcement_cases",
    "publicity_events",
    "study_sessions",
];

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/reports",
            get(upload_page)
                .post(upload)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/reports/{id}", get(result_page))
        .route("/reports/{id}/analysis.xlsx", get(download))
}

// ---- view models --------------------------------------------------------------------

/// What the result page shows.
#[derive(Default)]
pub struct ResultView {
    /// Files uploaded (a ZIP counts once).
    pub uploaded: usize,
    /// One row per report read, in upload order.
    pub rows: Vec<RowView>,
    /// Files that could not be read, with the reason.
    pub failures: Vec<Failure>,
    /// The largest duplicate clusters.
    pub clusters: Vec<ClusterView>,
    /// All clusters found.
    pub clusters_total: usize,
    /// Findings of severity error, over all reports.
    pub errors: usize,
    /// Other findings.
    pub warnings: usize,
}

impl ResultView {
    /// Rough heap size, for the cache's memory budget.
    pub fn approx_bytes(&self) -> usize {
        let rows: usize = self
            .rows
            .iter()
            .map(|r| {
                200 + r.file.len()
                    + r.issuer.len()
                    + r.place.len()
                    + r.doc_number.len()
                    + r.checks.iter().map(|c| 64 + c.message.len()).sum::<usize>()
            })
            .sum();
        let failures: usize = self
            .failures
            .iter()
            .map(|f| 64 + f.file.len() + f.reason.len())
            .sum();
        let clusters: usize = self
            .clusters
            .iter()
            .map(|c| {
                64 + c.text.len()
                    + c.members
                        .iter()
                        .map(|m| 96 + m.file.len() + m.township.len() + m.date.len())
                        .sum::<usize>()
                    + c.pairs
                        .iter()
                        .map(|p| {
                            64 + p.from.len()
                                + p.to.len()
                                + p.segments.iter().map(|s| 48 + s.text.len()).sum::<usize>()
                        })
                        .sum::<usize>()
            })
            .sum();
        rows + failures + clusters
    }
}

/// One report in the comparison table, with its findings.
pub struct RowView {
    pub file: String,
    pub issuer: String,
    /// How sure, and from which line: shown beside the issuer and the year.
    pub issuer_basis: String,
    /// Where the national township list places the issuer (省市县 and code), or why
    /// it does not; empty without an issuer.
    pub place: String,
    pub year: String,
    pub year_basis: String,
    pub date: String,
    pub doc_number: String,
    /// 主要举措和成效, 第一责任人职责, 不足和原因, 下一年安排.
    pub required: [bool; 4],
    /// Values of [`KEY_INDICATORS`], formatted, "—" when absent.
    pub indicators: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
    /// The first [`CHECKS_SHOWN`] findings.
    pub checks: Vec<CheckView>,
    /// Findings not listed.
    pub more_checks: usize,
}

/// One finding.
pub struct CheckView {
    pub error: bool,
    pub kind: &'static str,
    pub message: String,
    pub line: usize,
    pub column: usize,
}

/// A paragraph copied across reports, also with edits.
pub struct ClusterView {
    /// The paragraph as its source (or first member) wrote it, shortened.
    pub text: String,
    /// Reports it occurs in.
    pub reports: usize,
    /// Townships among them.
    pub townships: usize,
    /// Some member is from a template or an earlier year.
    pub template: bool,
    /// Every occurrence.
    pub members: Vec<MemberView>,
    /// The source against the first few others, with the differences marked.
    pub pairs: Vec<PairView>,
    /// Members whose differences are not shown.
    pub more_pairs: usize,
}

/// One occurrence of a copied paragraph.
pub struct MemberView {
    pub file: String,
    pub line: usize,
    /// Township, "" when unknown.
    pub township: String,
    /// Issue date, "" when unknown.
    pub date: String,
    /// 可能的来源 / 模板 …, "" for an ordinary copy.
    pub role: &'static str,
    /// Similarity to the source in per cent.
    pub similarity: String,
}

/// The source paragraph against one copy.
pub struct PairView {
    pub from: String,
    pub to: String,
    pub similarity: String,
    /// The two lines are the same, character for character.
    pub identical: bool,
    pub segments: Vec<SegmentView>,
}

/// A run of the difference: `tag` is "" (in both), "del" (only in the source) or
/// "ins" (only in the copy); `class` marks names and numbers.
pub struct SegmentView {
    pub tag: &'static str,
    pub class: &'static str,
    pub text: String,
}

fn percent(x: f32) -> String {
    format!("{:.0}%", x * 100.0)
}

impl ClusterView {
    fn new(c: dups::Cluster) -> ClusterView {
        let mut text: String = c.text.chars().take(120).collect();
        if c.text.chars().count() > 120 {
            text.push('…');
        }
        let hub = c.source.unwrap_or(0);
        let label = |m: &dups::Member| format!("{} 第{}行", m.file, m.line);
        // Copies that differ first: an identical line says nothing more.
        let mut order: Vec<&dups::Pair> = c.pairs.iter().collect();
        order.sort_by_key(|p| p.diff.iter().all(|g| g.op == dups::Op::Same));
        let pairs: Vec<PairView> = order
            .into_iter()
            .take(PAIRS_SHOWN)
            .map(|p| PairView {
                from: label(&c.members[p.a]),
                to: label(&c.members[p.b]),
                similarity: percent(p.similarity),
                identical: p.diff.iter().all(|g| g.op == dups::Op::Same),
                segments: p
                    .diff
                    .iter()
                    .map(|g| SegmentView {
                        tag: match g.op {
                            dups::Op::Same => "",
                            dups::Op::Old => "del",
                            dups::Op::New => "ins",
                        },
                        class: match g.kind {
                            dups::Kind::Text => "",
                            dups::Kind::Name => "name",
                            dups::Kind::Number => "number",
                        },
                        text: g.text.clone(),
                    })
                    .collect(),
            })
            .collect();
        let members = c
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| MemberView {
                file: m.file.clone(),
                line: m.line,
                township: m.township.clone().unwrap_or_default(),
                date: m.date.clone().unwrap_or_default(),
                role: match (c.source == Some(i), m.reference) {
                    (true, true) => "来源（模板或往年报告）",
                    (true, false) => "可能的来源（成文最早）",
                    (false, true) => "模板或往年报告",
                    (false, false) if i == hub => "对照段落",
                    _ => "",
                },
                similarity: percent(m.similarity),
            })
            .collect();
        ClusterView {
            text,
            reports: c.reports,
            townships: c.townships,
            template: c.template,
            more_pairs: c.members.len().saturating_sub(1 + pairs.len()),
            members,
            pairs,
        }
    }
}

/// A file that was not read.
pub struct Failure {
    pub file: String,
    pub reason: String,
}

fn or_dash(s: Option<&str>) -> String {
    s.filter(|s| !s.is_empty()).unwrap_or("—").to_string()
}

/// A value for the table; rate columns say (%) in their title.
fn format_value(v: Option<f64>) -> String {
    match v {
        None => "—".into(),
        Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.1}"),
    }
}

/// Chinese name of a finding's kind.
fn kind_zh(kind: &str) -> &'static str {
    match kind {
        "missing_section" => "缺少必备部分",
        "heading_numbering" => "标题序号",
        "unbalanced_bracket" => "括号引号不配对",
        "missing_punctuation" => "缺少标点",
        "rate_over_100" => "比率超过100%",
        "rate_mismatch" => "比率与数字不符",
        "yoy_mismatch" => "同比计算有误",
        "year_mismatch" => "年份不符",
        "web_chrome" => "网页内容混入",
        "spam" => "疑似网站被篡改",
        _ => "其他",
    }
}

/// "可信度高：第3行「……」", or the note when there is no value.
fn basis_text(b: &fazhi_analyze::meta::Basis) -> String {
    let level = match b.confidence {
        Some("high") => "可信度高",
        Some("medium") => "可信度中",
        Some("low") => "可信度低",
        _ => "未能确定",
    };
    match (b.line, &b.text, &b.note) {
        (Some(line), Some(text), _) => format!("{level}：第{line}行「{text}」"),
        (_, _, Some(note)) => format!("{level}（{note}）"),
        _ => level.to_string(),
    }
}

/// 浙江省金华市东阳市（区划代码330783123）, or why the issuer has no code.
fn place_text(r: &Report) -> String {
    let Some(issuer) = r.issuer.as_deref() else {
        return String::new();
    };
    match (&r.issuer_code, &r.province, &r.county) {
        (Some(code), Some(province), Some(county)) => format!(
            "{province}{}{county}（区划代码{code}）",
            r.city.as_deref().unwrap_or("")
        ),
        _ => match fazhi_analyze::gazetteer::townships_named(issuer).len() {
            0 => "全国区划代码表（2023年）中无此乡镇名称".to_string(),
            n => format!("全国区划代码表中有{n}个同名乡镇，文中未指明所在区县"),
        },
    }
}

impl RowView {
    fn new(r: &Report) -> RowView {
        let rs = r.required_sections;
        let (errors, warnings) = r.check_counts();
        RowView {
            file: r.file.clone(),
            issuer: or_dash(r.issuer.as_deref()),
            issuer_basis: basis_text(&r.issuer_basis),
            place: place_text(r),
            year_basis: basis_text(&r.year_basis),
            year: r.year.map_or("—".into(), |y| y.to_string()),
            date: or_dash(r.date.as_deref()),
            doc_number: or_dash(r.doc_number.as_deref()),
            required: [
                rs.measures,
                rs.first_responsible,
                rs.shortcomings,
                rs.next_year,
            ],
            indicators: KEY_INDICATORS
                .iter()
                .map(|l| format_value(indicator_value(r, l)))
                .collect(),
            errors,
            warnings,
            checks: r
                .checks
                .iter()
                .take(CHECKS_SHOWN)
                .map(|c| CheckView {
                    error: c.severity == "error",
                    kind: kind_zh(c.kind),
                    message: c.message.clone(),
                    line: c.line,
                    column: c.column,
                })
                .collect(),
            more_checks: r.checks.len().saturating_sub(CHECKS_SHOWN),
        }
    }
}

// ---- analysis -----------------------------------------------------------------------

/// Reads every uploaded file (ZIP archives unpacked), analyses it, and builds the page
/// and the workbook. Reports are handed to the workbook one at a time and dropped, so
/// memory holds the upload, the workbook and the page, not every figure of every report.
/// CPU-heavy: runs on a blocking thread.
fn analyze_upload(files: Vec<(String, Bytes)>) -> Result<(ResultView, Vec<u8>), String> {
    let mut a = Analysis {
        view: ResultView {
            uploaded: files.len(),
            ..ResultView::default()
        },
        workbook: AnalysisWorkbook::new()?,
        dups: dups::DupIndex::new(),
    };
    for (name, bytes) in files {
        if bytes.is_empty() {
            a.fail(&name, "文件为空");
        } else if name.to_lowercase().ends_with(".zip") {
            a.read_zip(&name, &bytes)?;
        } else if decode::is_report_name(&name) {
            a.read_file(&name, &bytes)?;
        } else {
            a.fail(
                &name,
                "不支持的文件类型：仅支持 .txt、.html、.htm、.docx、.doc、.wps、.pdf 文件和 .zip 压缩包",
            );
        }
    }
    let Analysis {
        mut view,
        workbook,
        dups,
    } = a;
    let clusters = dups.clusters();
    let mut workbook = workbook;
    workbook.add_clusters(&clusters)?;
    view.clusters_total = clusters.len();
    view.clusters = clusters
        .into_iter()
        .take(CLUSTERS_SHOWN)
        .map(ClusterView::new)
        .collect();
    view.errors = view.rows.iter().map(|r| r.errors).sum();
    view.warnings = view.rows.iter().map(|r| r.warnings).sum();
    Ok((view, workbook.finish()?))
}

struct Analysis {
    view: ResultView,
    workbook: AnalysisWorkbook,
    dups: dups::DupIndex,
}

impl Analysis {
    fn fail(&mut self, file: &str, reason: &str) {
        self.view.failures.push(Failure {
            file: file.to_string(),
            reason: reason.to_string(),
        });
    }

    /// One report file: the same reading as `fazhi analyze`, plus its paragraphs for
    /// the duplicate finder.
    fn read_file(&mut self, name: &str, bytes: &[u8]) -> Result<(), String> {
        let kind = decode::kind_of(name, bytes);
        let container = matches!(
            kind,
            decode::Kind::Docx | decode::Kind::Doc | decode::Kind::Pdf
        );
        if !container && decode::looks_binary(bytes) {
            self.fail(
                name,
                "无法识别为文本：文件含有二进制内容，或不是UTF-8、GBK/GB18030编码",
            );
            return Ok(());
        }
        let text = match decode::to_text(name, bytes) {
            Ok(t) => t,
            Err(fazhi_analyze::Error::TooLarge(n)) => {
                tracing::info!(file = name, "uploaded DOCX or PDF expands too far");
                let what = match kind {
                    decode::Kind::Pdf => "PDF",
                    decode::Kind::Doc => "Word",
                    _ => "DOCX",
                };
                self.fail(
                    name,
                    &format!(
                        "{what}文件正文解压后超过{}MB上限（可能是异常文件），未读取",
                        n >> 20
                    ),
                );
                return Ok(());
            }
            Err(fazhi_analyze::Error::NoText) => {
                self.fail(
                    name,
                    "PDF文件没有文字层（可能是扫描件），无法读取文字：请先进行文字识别（OCR），或上传原始的Word文件",
                );
                return Ok(());
            }
            Err(e) => {
                tracing::info!(file = name, error = %e, "uploaded report not readable");
                let reason = match kind {
                    decode::Kind::Pdf => "无法读取PDF文件：文件已损坏、已加密或不是PDF文档",
                    decode::Kind::Doc => {
                        "无法读取Word文件：文件已损坏、已加密，或不是Word 97–2003格式（.doc/.wps），可另存为.docx后上传"
                    }
                    _ => "无法读取DOCX文件：文件已损坏或不是Word文档（.docx）",
                };
                self.fail(name, reason);
                return Ok(());
            }
        };
        let report = fazhi_analyze::analyze_text(name, &text);
        let info = dups::ReportInfo {
            file: name.to_string(),
            township: report.issuer.clone(),
            date: report.date.clone(),
            reference: false,
        };
        let fp = dups::fingerprint_with(info, &text, self.dups.settings());
        self.dups.add_text(fp, text);
        self.workbook.add(&report)?;
        self.view.rows.push(RowView::new(&report));
        Ok(())
    }

    fn read_zip(&mut self, zip_name: &str, bytes: &[u8]) -> Result<(), String> {
        let mut found = 0;
        let mut failed: Result<(), String> = Ok(());
        let read = fazhi_analyze::zip_reports(bytes, MAX_UNPACKED_BYTES, |entry, data| {
            found += 1;
            let name = format!("{zip_name}/{entry}");
            match data {
                Ok(b) if b.is_empty() => self.fail(&name, "文件为空"),
                Ok(b) => {
                    if let Err(e) = self.read_file(&name, &b) {
                        failed = Err(e);
                    }
                }
                Err(_) => self.fail(&name, "压缩包中的此文件已损坏，无法解压"),
            }
        });
        failed?;
        match read {
            Err(fazhi_analyze::Error::TooLarge(_)) => self.fail(
                zip_name,
                &format!(
                    "压缩包解压后超过{}MB上限，其余文件未读取，请分成几个压缩包上传",
                    MAX_UNPACKED_BYTES / 1024 / 1024
                ),
            ),
            Err(_) => self.fail(zip_name, "无法打开ZIP压缩包：文件已损坏或不是ZIP格式"),
            Ok(()) if found == 0 => self.fail(
                zip_name,
                "压缩包中没有可读取的报告（.txt、.html、.htm、.docx、.doc、.wps、.pdf）",
            ),
            Ok(()) => {}
        }
        Ok(())
    }
}

// ---- handlers -----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "reports/upload.html")]
struct UploadPage {
    chrome: Chrome,
    error: Option<String>,
    max_mb: usize,
}

#[derive(Template)]
#[template(path = "reports/result.html")]
struct ResultPage<'a> {
    chrome: Chrome,
    /// Id for the download link; None when the result was too large to keep.
    id: Option<&'a str>,
    v: &'a ResultView,
    indicator_titles: Vec<&'static str>,
    required_titles: [&'static str; 4],
}

fn upload_form(p: &Principal, status: StatusCode, error: Option<String>) -> Response {
    let page = render(&UploadPage {
        chrome: Chrome::new(p, "/reports"),
        error,
        max_mb: MAX_UPLOAD_BYTES / 1024 / 1024,
    });
    (status, page).into_response()
}

fn result(p: &Principal, id: Option<&str>, v: &ResultView) -> Response {
    render(&ResultPage {
        chrome: Chrome::new(p, "/reports"),
        id,
        v,
        indicator_titles: KEY_INDICATORS.iter().map(|l| label_title(l)).collect(),
        required_titles: ["举措成效", "第一责任人", "不足原因", "下年安排"],
    })
}

async fn upload_page(PageUser(p): PageUser) -> Response {
    if !p.can(Permission::ReadReports) {
        return forbidden(&p);
    }
    upload_form(&p, StatusCode::OK, None)
}

fn upload_failed(p: &Principal, e: MultipartError) -> Response {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        let mb = MAX_UPLOAD_BYTES / 1024 / 1024;
        return upload_form(
            p,
            StatusCode::PAYLOAD_TOO_LARGE,
            Some(format!(
                "上传的文件总大小超过{mb}MB上限，未进行分析。请分批上传，或压缩为ZIP后再上传。"
            )),
        );
    }
    tracing::info!(error = %e, "report upload not readable");
    upload_form(
        p,
        StatusCode::BAD_REQUEST,
        Some("上传中断或内容无法读取，请重新选择文件后再试。".into()),
    )
}

/// The name of an uploaded file without any folder a browser may send.
pub(crate) fn file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw).trim();
    base.chars().take(200).collect()
}

async fn upload(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    mut mp: Multipart,
) -> Response {
    if !p.can(Permission::ReadReports) {
        return forbidden(&p);
    }
    let mut files = Vec::new();
    loop {
        match mp.next_field().await {
            Ok(Some(field)) => {
                if field.name() != Some("files") {
                    continue;
                }
                let name = file_name(field.file_name().unwrap_or(""));
                match field.bytes().await {
                    // An empty file input still sends one part without name or content.
                    Ok(b) if name.is_empty() && b.is_empty() => {}
                    Ok(b) if name.is_empty() => files.push(("（未命名文件）".to_string(), b)),
                    Ok(b) => files.push((name, b)),
                    Err(e) => return upload_failed(&p, e),
                }
            }
            Ok(None) => break,
            Err(e) => return upload_failed(&p, e),
        }
    }
    if files.is_empty() {
        return upload_form(
            &p,
            StatusCode::BAD_REQUEST,
            Some("请选择要分析的报告文件。".into()),
        );
    }
    let (view, xlsx) = match tokio::task::spawn_blocking(move || analyze_upload(files)).await {
        Ok(Ok(done)) => done,
        Ok(Err(e)) => return ApiError::internal(e).into_response(),
        Err(e) => return ApiError::internal(e).into_response(),
    };
    let stored = Stored { view, xlsx };
    if stored.bytes() > state.reports.limits().max_bytes {
        // Too large to keep: shown once, without the download.
        return result(&p, None, &stored.view);
    }
    match state.reports.put(p.user_id, state.clock.now_ms(), stored) {
        Ok((id, _)) => Redirect::to(&format!("/reports/{id}")).into_response(),
        Err(_) => upload_form(
            &p,
            StatusCode::SERVICE_UNAVAILABLE,
            Some("分析结果暂时无法保存，请稍后再试。".into()),
        ),
    }
}

fn gone(p: &Principal) -> Response {
    upload_form(
        p,
        StatusCode::NOT_FOUND,
        Some(format!(
            "分析结果不存在或已过期（结果保留{}分钟），请重新上传。",
            super::store::LIMITS.ttl_minutes
        )),
    )
}

async fn result_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
) -> Response {
    if !p.can(Permission::ReadReports) {
        return forbidden(&p);
    }
    match state.reports.get(&id, p.user_id, state.clock.now_ms()) {
        Some(s) => result(&p, Some(&id), &s.view),
        None => gone(&p),
    }
}

async fn download(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
) -> Response {
    if !p.can(Permission::ReadReports) {
        return forbidden(&p);
    }
    let Some(s) = state.reports.get(&id, p.user_id, state.clock.now_ms()) else {
        return gone(&p);
    };
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"report-analysis.xlsx\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%E5%88%86%E6%9E%90.xlsx",
            ),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        s.xlsx.clone(),
    )
        .into_response()
}
