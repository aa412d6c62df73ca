//! `/annual`: the townships in scope with their drafts; `/annual/{code}/{year}`: the
//! draft with each figure linked to its records and an appendix of every figure;
//! `…/draft.md`: the same text as Markdown.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use fazhi_core::division::Level;
use fazhi_core::report::{Draft, Part, Slot};
use fazhi_core::role::Permission;
use fazhi_db::admin::divisions::{self, DivisionRow};

use super::app;
use crate::AppState;
use crate::auth::PageUser;
use crate::extract::ApiPath;
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/annual", get(index))
        .route("/annual/{code}/{year}", get(draft_page).post(save_submit))
        .route("/annual/{code}/{year}/draft.md", get(markdown))
        .route("/annual/{code}/{year}/draft.txt", get(plain))
        .route("/annual/{code}/{year}/draft.docx", get(word))
        .route("/annual/{code}/{year}/figures.xlsx", get(figures))
        .route(
            "/annual/{code}/{year}/step",
            axum::routing::post(step_submit),
        )
        .route("/public/annual/{code}/{year}", get(public_page))
}

/// (year, state of the report, submission deadline missed).
/// (year, status, a warning: late, or days left before the deadline).
type YearCell = (i32, String, Option<String>);

#[derive(Template)]
#[template(path = "annual/index.html")]
struct IndexPage {
    chrome: Chrome,
    /// Each township with, per year, its report's state and whether a deadline passed.
    rows: Vec<(DivisionRow, Vec<YearCell>)>,
    years: Vec<i32>,
    can_read_reports: bool,
    can_edit_template: bool,
}

async fn index(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult<Response> {
    let scope = p.scope(Permission::ViewMatters);
    if scope.is_empty() {
        return Err(PageError::forbidden(&p));
    }
    let townships: Vec<DivisionRow> = divisions::tree(&state.db, &scope.roots)
        .await
        .page(&p, "/annual")?
        .into_iter()
        .filter(|d| d.level == Level::Township)
        .collect();
    let today = state.clock.today();
    let y = today.year();
    let years = vec![y, y - 1];
    let ids: Vec<i64> = townships.iter().map(|t| t.id).collect();
    let mut saved = Vec::new();
    for year in &years {
        saved.extend(
            fazhi_db::annual::reports::of_year(&state.db, &ids, *year)
                .await
                .page(&p, "/annual")?,
        );
    }
    use fazhi_core::report::workflow::{ReportStatus, submit_due};
    let rows = townships
        .into_iter()
        .map(|t| {
            let cells = years
                .iter()
                .map(|year| {
                    let r = saved
                        .iter()
                        .find(|r| r.township_id == t.id && r.year == i64::from(*year));
                    let status = r.map_or("未起草", |r| r.status.label_zh());
                    // Not submitted by 1 March (or submitted after it).
                    let submitted = r.and_then(|r| r.submitted_on);
                    let late = submit_due(*year).is_some_and(|due| match submitted {
                        Some(on) => on > due,
                        None => today > due && r.is_none_or(|r| r.status < ReportStatus::Submitted),
                    });
                    let current = r.map_or(ReportStatus::Draft, |r| r.status);
                    let note = if late {
                        Some("逾期未报送".to_string())
                    } else {
                        fazhi_core::report::workflow::days_left(submit_due(*year), current, today)
                            .map(|n| format!("距报送期限{n}天"))
                    };
                    (*year, status.to_string(), note)
                })
                .collect();
            (t, cells)
        })
        .collect();
    Ok(render(&IndexPage {
        chrome: Chrome::new(&p, "/annual"),
        rows,
        can_read_reports: p.can(Permission::ReadReports),
        can_edit_template: super::template::may_edit(&state, &p)
            .await
            .page(&p, "/annual")?,
        years,
    }))
}

#[derive(Template)]
#[template(path = "annual/draft.html")]
struct DraftPage {
    chrome: Chrome,
    d: Draft,
    code: String,
    traced: usize,
    slots: usize,
    moved: Vec<app::Moved>,
    version: i64,
    status: fazhi_core::report::workflow::ReportStatus,
    status_label: &'static str,
    checked: Option<String>,
    signed: Option<String>,
    submitted_on: Option<time::Date>,
    published_on: Option<time::Date>,
    findings: Vec<fazhi_core::report::secrecy::Finding>,
    unfilled: Vec<String>,
    submit_due: Option<time::Date>,
    publish_due: Option<time::Date>,
    submit_late: bool,
    publish_late: bool,
    submit_days_left: Option<i64>,
    checklist: Vec<(&'static str, &'static str)>,
    saved: Option<String>,
    /// Each part's paragraphs as editable text (figures as 〔tokens〕), blank-line separated.
    editable: Vec<(String, String)>,
    can_edit: bool,
    /// Review comments, and whether the viewer may write one.
    comments: Vec<super::review::CommentView>,
    can_review: bool,
    /// The district's 督办 notices about this report.
    notices: Vec<super::district::NoticeView>,
    flash: Flash,
}

#[derive(serde::Deserialize, Default)]
struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

impl DraftPage {
    fn all_slots(&self) -> Vec<&Slot> {
        self.d.slots()
    }
    fn is_text(p: &Part) -> Option<&str> {
        match p {
            Part::Text { text } => Some(text),
            Part::Figure(_) => None,
        }
    }
    fn is_slot(p: &Part) -> Option<&Slot> {
        match p {
            Part::Figure(s) => Some(s),
            Part::Text { .. } => None,
        }
    }
}

async fn draft_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath((code, year)): ApiPath<(String, i32)>,
    axum::extract::Query(flash): axum::extract::Query<Flash>,
) -> PageResult<Response> {
    let v = app::view(&state, &p, &code, year)
        .await
        .page(&p, "/annual")?;
    let t = app::township(&state, &p, &code).await.page(&p, "/annual")?;
    let (traced, slots) = v.draft.traced();
    let comments = super::review::comments(&state, &p, &code, year, &v.draft)
        .await
        .page(&p, "/annual")?;
    let notices = super::district::notices_of(&state, &t, year)
        .await
        .page(&p, "/annual")?;
    let editable = v
        .draft
        .sections
        .iter()
        .zip(v.draft.editable())
        .map(|(s, paras)| (s.title.clone(), paras.join("\n\n")))
        .collect();
    Ok(render(&DraftPage {
        chrome: Chrome::new(&p, "/annual"),
        can_edit: p.scope(Permission::ManageMatters).covers(&t.path),
        can_review: super::review::may_review(&p, &t.path),
        comments,
        notices,
        saved: v
            .saved_by
            .zip(v.saved_at)
            .map(|(who, at)| format!("{who} 于 {} 保存", crate::admin::pages::beijing_time(at))),
        status: v.status,
        status_label: v.status_label,
        checked: v.checked,
        signed: v.signed,
        submitted_on: v.submitted_on,
        published_on: v.published_on,
        findings: v.findings,
        unfilled: v.unfilled,
        submit_due: v.submit_due,
        publish_due: v.publish_due,
        submit_late: v.submit_late,
        submit_days_left: v.submit_days_left,
        publish_late: v.publish_late,
        checklist: fazhi_core::report::workflow::CHECKLIST.to_vec(),
        d: v.draft,
        moved: v.moved,
        version: v.version,
        editable,
        code,
        traced,
        slots,
        flash,
    }))
}

async fn save_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath((code, year)): ApiPath<(String, i32)>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let here = format!("/annual/{code}/{year}");
    let version = fields
        .iter()
        .find(|(k, _)| k == "version")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(-1);
    // One textarea per part, paragraphs separated by a blank line.
    let text: Vec<Vec<String>> = fields
        .iter()
        .filter(|(k, _)| k == "part")
        .map(|(_, v)| {
            v.replace("\r\n", "\n")
                .split("\n\n")
                .map(|p| p.trim().replace('\n', ""))
                .filter(|p| !p.is_empty())
                .collect()
        })
        .collect();
    let done = app::save(&state, &p, &code, year, version, &text).await;
    super::district_pages::back(&p, &here, done.map(|v| format!("已保存（第{v}版）")))
}

async fn markdown(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath((code, year)): ApiPath<(String, i32)>,
) -> PageResult<Response> {
    // The words as saved, with today's figures.
    let d = app::view(&state, &p, &code, year)
        .await
        .page(&p, "/annual")?
        .draft;
    let name = format!(
        "attachment; filename*=UTF-8''{}",
        url_encode(&format!("{}.md", d.title))
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_string(),
            ),
            (header::CONTENT_DISPOSITION, name),
        ],
        d.markdown(),
    )
        .into_response())
}

async fn plain(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath((code, year)): ApiPath<(String, i32)>,
) -> PageResult<Response> {
    // The words as saved, with today's figures.
    let d = app::view(&state, &p, &code, year)
        .await
        .page(&p, "/annual")?
        .draft;
    let name = format!(
        "attachment; filename*=UTF-8''{}",
        url_encode(&format!("{}.txt", d.title))
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/plain; charset=utf-8".to_string(),
            ),
            (header::CONTENT_DISPOSITION, name),
        ],
        d.plain_text(),
    )
        .into_response())
}

async fn word(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath((code, year)): ApiPath<(String, i32)>,
) -> PageResult<Response> {
    // The words as saved, with today's figures.
    let d = app::view(&state, &p, &code, year)
        .await
        .page(&p, "/annual")?
        .draft;
    let issuer = d
        .title
        .split_once("关于")
        .map_or(d.township.clone(), |(who, _)| who.to_string());
    let today = state.clock.today();
    let name = format!(
        "attachment; filename*=UTF-8''{}",
        url_encode(&format!("{}.docx", d.title))
    );
    let bytes = tokio::task::spawn_blocking(move || fazhi_office::annual::docx(&d, &issuer, today))
        .await
        .map_err(crate::error::ApiError::internal)
        .and_then(|r| r.map_err(crate::error::ApiError::internal))
        .page(&p, "/annual")?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_string(),
            ),
            (header::CONTENT_DISPOSITION, name),
        ],
        bytes,
    )
        .into_response())
}

/// The appendix table of every figure as a workbook.
async fn figures(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath((code, year)): ApiPath<(String, i32)>,
) -> PageResult<Response> {
    let d = app::view(&state, &p, &code, year)
        .await
        .page(&p, "/annual")?
        .draft;
    // Absolute links when the public address is configured, else the platform's paths.
    let base = state.settings.public_url.clone().unwrap_or_default();
    let name = format!(
        "attachment; filename*=UTF-8''{}",
        url_encode(&format!("{}·数字来源表.xlsx", d.title))
    );
    let bytes = tokio::task::spawn_blocking(move || fazhi_office::annual::figures_xlsx(&d, &base))
        .await
        .map_err(crate::error::ApiError::internal)
        .and_then(|r| r.map_err(crate::error::ApiError::internal))
        .page(&p, "/annual")?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (header::CONTENT_DISPOSITION, name),
        ],
        bytes,
    )
        .into_response())
}

async fn step_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath((code, year)): ApiPath<(String, i32)>,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let here = format!("/annual/{code}/{year}");
    fn values<'a>(f: &'a [(String, String)], k: &'a str) -> impl Iterator<Item = String> + 'a {
        f.iter()
            .filter(move |(n, _)| n == k)
            .map(|(_, v)| v.clone())
    }
    let get = |k: &'static str| values(&fields, k);
    let to = get("to").next().and_then(|v| v.parse().ok());
    let Some(to) = to else {
        return Ok(crate::matters::pages::see_other(&format!(
            "{here}?err={}",
            url_encode("操作有误")
        )));
    };
    let step = app::StepIn {
        to,
        version: get("version")
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1),
        checklist: get("checklist").collect(),
        signers: get("signers").collect(),
    };
    let done = app::advance(&state, &p, &code, year, &step).await;
    super::district_pages::back(&p, &here, done.map(|_| format!("报告{}", to.label_zh())))
}

#[derive(Template)]
#[template(path = "annual/public.html")]
struct PublicPage {
    township: String,
    year: i32,
    paragraphs: Vec<String>,
}

async fn public_page(
    State(state): State<AppState>,
    ApiPath((code, year)): ApiPath<(String, i32)>,
) -> PageResult<Response> {
    let (township, text) = app::published(&state, &code, year).await?;
    Ok(render(&PublicPage {
        township,
        year,
        paragraphs: text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
    }))
}
