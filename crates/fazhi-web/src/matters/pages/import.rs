//! `/matters/import`: upload a legacy ledger → map its columns (prefilled with the
//! suggestion) → dry run with every bad row and its reason → confirm → progress page.
//! `/jobs/{id}` shows any background job (imports, exports) and polls it; the ledger's
//! "导出Excel（后台）" button posts to `/matters/export-job`. All steps call the API's
//! functions (`super::super::import`, `super::super::export`).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::header;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_core::matter::Kind;
use fazhi_core::role::Permission;

use super::super::export::{self, ExportOptions};
use super::super::import::{self as imp, DryRunOut, MAX_IMPORT_BYTES, plan::Mapping};
use super::{ListForm, error_page, error_text, forbidden, see_other};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::jobs::{JobOut, JobState};
use crate::pages::{Chrome, render};

const JOBS_JS: &str = include_str!("../../../static/jobs.js");

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/matters/import",
            get(upload_page)
                .post(upload)
                .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        )
        .route("/matters/import/{token}", get(mapping_page).post(step))
        .route("/matters/export-job", post(export_job))
        .route("/jobs/{id}", get(job_page))
        .route(
            "/static/jobs.js",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                        (header::CACHE_CONTROL, "max-age=3600"),
                    ],
                    JOBS_JS,
                )
            }),
        )
}

#[derive(Template)]
#[template(path = "matters/import_upload.html")]
struct UploadPage {
    chrome: Chrome,
    error: Option<String>,
}

async fn upload_page(PageUser(p): PageUser) -> Response {
    if !p.can(Permission::RegisterMatter) {
        return forbidden(&p);
    }
    render(&UploadPage {
        chrome: Chrome::new(&p, "/matters"),
        error: None,
    })
}

async fn upload(State(state): State<AppState>, PageUser(p): PageUser, mp: Multipart) -> Response {
    if !p.can(Permission::RegisterMatter) {
        return forbidden(&p);
    }
    let mut mp = mp;
    let result = async {
        let (name, bytes) = imp::file_part(&mut mp).await?;
        imp::upload(&state, &p, name, bytes).await
    }
    .await;
    match result {
        Ok(u) => see_other(&format!("/matters/import/{}", u.token)),
        Err(e) if e.status.is_client_error() => render(&UploadPage {
            chrome: Chrome::new(&p, "/matters"),
            error: Some(error_text(&e)),
        }),
        Err(e) => error_page(e, &p),
    }
}

/// One field of the mapping form with its options: (value, text, selected).
struct FieldRow {
    code: &'static str,
    label: &'static str,
    required: bool,
    options: Vec<(usize, String, bool)>,
}

#[derive(Template)]
#[template(path = "matters/import_mapping.html")]
struct MappingPage {
    chrome: Chrome,
    error: Option<String>,
    token: String,
    file_name: String,
    sheet: String,
    header_row: usize,
    rows: usize,
    fields: Vec<FieldRow>,
    kinds: Vec<(&'static str, &'static str)>,
    default_kind: String,
    categories: Vec<(String, String)>,
    fallback: String,
}

fn mapping_page_of(
    state: &AppState,
    p: &Principal,
    token: &str,
    mapping: Option<Mapping>,
    error: Option<String>,
) -> Result<MappingPage, ApiError> {
    let (sheet, file_name) = imp::sheet_of(state, p, token)?;
    let columns = imp::columns(&sheet);
    let mapping = mapping.unwrap_or_else(|| Mapping {
        columns: imp::plan::suggest(&sheet.headers),
        default_kind: "dispute".into(),
        category_fallback: None,
    });
    let fields = imp::plan::Field::ALL
        .iter()
        .map(|f| FieldRow {
            code: f.as_str(),
            label: f.label_zh(),
            required: f.required(),
            options: columns
                .iter()
                .map(|c| {
                    let sample = c
                        .samples
                        .iter()
                        .find(|s| !s.is_empty())
                        .cloned()
                        .unwrap_or_default();
                    let sample: String = sample.chars().take(16).collect();
                    let header = if c.header.is_empty() {
                        "（无列名）"
                    } else {
                        &c.header
                    };
                    let text = if sample.is_empty() {
                        format!("{} {header}", c.letter)
                    } else {
                        format!("{} {header}（如：{sample}）", c.letter)
                    };
                    (c.index, text, mapping.columns.get(f) == Some(&c.index))
                })
                .collect(),
        })
        .collect();
    Ok(MappingPage {
        chrome: Chrome::new(p, "/matters"),
        error,
        token: token.to_string(),
        file_name,
        sheet: sheet.name.clone(),
        header_row: sheet.header_row,
        rows: sheet.rows.len(),
        fields,
        kinds: Kind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        default_kind: mapping.default_kind.clone(),
        categories: state
            .matters
            .categories()
            .into_iter()
            .map(|c| (c.code, c.label))
            .collect(),
        fallback: mapping.category_fallback.clone().unwrap_or_default(),
    })
}

async fn mapping_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(token): Path<String>,
) -> Response {
    if !p.can(Permission::RegisterMatter) {
        return forbidden(&p);
    }
    match mapping_page_of(&state, &p, &token, None, None) {
        Ok(page) => render(&page),
        Err(e) => error_page(e, &p),
    }
}

#[derive(Template)]
#[template(path = "matters/import_check.html")]
struct CheckPage {
    chrome: Chrome,
    token: String,
    r: DryRunOut,
    /// The mapping again, for the confirm form.
    hidden: Vec<(String, String)>,
}

/// The mapping form posts here: `op=check` shows the dry run, `op=commit` starts the job.
async fn step(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(token): Path<String>,
    Form(form): Form<BTreeMap<String, String>>,
) -> Response {
    if !p.can(Permission::RegisterMatter) {
        return forbidden(&p);
    }
    let mapping = imp::mapping_from_form(&form);
    let again = |e: ApiError| match mapping_page_of(
        &state,
        &p,
        &token,
        Some(mapping.clone()),
        Some(error_text(&e)),
    ) {
        Ok(page) => render(&page),
        Err(e2) => error_page(e2, &p),
    };
    if form.get("op").map(String::as_str) == Some("commit") {
        return match imp::commit(&state, &p, &token, mapping.clone()).await {
            Ok(job) => see_other(&format!("/jobs/{}", job.id)),
            Err(e)
                if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND =>
            {
                again(e)
            }
            Err(e) => error_page(e, &p),
        };
    }
    match imp::dry_run(&state, &p, &token, mapping.clone()).await {
        Ok(r) => {
            let mut hidden: Vec<(String, String)> = mapping
                .columns
                .iter()
                .map(|(f, c)| (format!("col_{}", f.as_str()), c.to_string()))
                .collect();
            hidden.push(("default_kind".into(), mapping.default_kind.clone()));
            if let Some(fb) = &mapping.category_fallback {
                hidden.push(("category_fallback".into(), fb.clone()));
            }
            render(&CheckPage {
                chrome: Chrome::new(&p, "/matters"),
                token,
                r,
                hidden,
            })
        }
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            again(e)
        }
        Err(e) => error_page(e, &p),
    }
}

/// The ledger's filters (as on `/matters`) and the export option.
async fn export_job(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<ListForm>,
) -> Response {
    if !p.can(Permission::ViewMatters) {
        return forbidden(&p);
    }
    let result = async {
        let q = f.query()?;
        export::start_job(&state, &p, &q, &ExportOptions::default()).await
    }
    .await;
    match result {
        Ok(job) => see_other(&format!("/jobs/{}", job.id)),
        Err(e) => error_page(e, &p),
    }
}

#[derive(Template)]
#[template(path = "matters/job.html")]
struct JobPage {
    chrome: Chrome,
    title: &'static str,
    /// Where the job came from, to go back: (path, words).
    back: (&'static str, &'static str),
    j: JobOut,
    running: bool,
    failed: bool,
    is_import: bool,
    /// Bad rows an import left out: (row, reason).
    bad: Vec<(u64, String)>,
}

async fn job_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
) -> Response {
    let Some(job) = state.jobs.get(&id, p.user_id) else {
        return error_page(
            ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "not_found",
                "任务不存在或已过期（结果保留30分钟）",
            ),
            &p,
        );
    };
    let j = job.view();
    let is_import = j.kind == "import";
    let bad = j
        .result
        .as_ref()
        .and_then(|r| r["bad"].as_array().cloned())
        .unwrap_or_default()
        .into_iter()
        .map(|b| {
            (
                b["row"].as_u64().unwrap_or(0),
                b["reason"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let (title, back, active) = match j.kind.as_str() {
        "import" => ("导入台账", ("/matters", "返回事项台账"), "/matters"),
        "audit" => (
            "校验审计日志",
            ("/admin/audit", "返回审计日志"),
            "/admin/audit",
        ),
        _ => ("导出Excel", ("/matters", "返回事项台账"), "/matters"),
    };
    render(&JobPage {
        chrome: Chrome::new(&p, active),
        title,
        back,
        running: j.state == JobState::Running,
        failed: j.state == JobState::Failed,
        is_import,
        bad,
        j,
    })
}
