//! `/education/exams`: the exams of a year with 参考率, 合格率, 优秀率, the upload of an
//! export from the exam platform (检查 first, then 导入: all rows or none), and the
//! grading bands (edited by system administrators); `/education/exams/{id}` per unit.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_core::education::Bands;
use fazhi_core::role::Permission;
use serde::Deserialize;

use super::{Choice, can_view, places_in, see_other, with_status, years};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::education::api::{MAX_EXAM_BYTES, exam_upload};
use crate::education::app;
use crate::education::wire::{BandsIn, ExamDetail, ExamImportOut, ExamOut, ExamQuery};
use crate::error::ApiError;
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/education/exams",
            get(list_page)
                .post(upload)
                .layer(DefaultBodyLimit::max(MAX_EXAM_BYTES + 64 * 1024)),
        )
        .route("/education/exams/bands", post(save_bands))
        .route("/education/exams/{id}", get(detail_page))
}

const ACTIVE: &str = "/education";

#[derive(Deserialize, Default)]
struct ListQuery {
    division: Option<String>,
    year: Option<i32>,
    ok: Option<String>,
}

#[derive(Template)]
#[template(path = "education/exams.html")]
struct ListPage {
    chrome: Chrome,
    sub: &'static str,
    rows: Vec<ExamOut>,
    year: i32,
    years: Vec<i32>,
    division: String,
    places: Vec<Choice>,
    can_import: bool,
    can_set_bands: bool,
    bands: Bands,
    today: String,
    checked: Option<ExamImportOut>,
    message: Option<String>,
    flash: Option<String>,
}

async fn list_view(
    state: &AppState,
    p: &Principal,
    q: ListQuery,
    checked: Option<ExamImportOut>,
    message: Option<String>,
) -> PageResult {
    if !can_view(p) {
        return Err(PageError::forbidden(p));
    }
    let today = state.clock.today();
    let year = app::year_param(q.year, today).page(p, ACTIVE)?;
    let eq = ExamQuery {
        division: q.division.clone(),
        year: Some(year),
    };
    let rows = app::list_exams(state, p, &eq).await.page(p, ACTIVE)?;
    let scope = p.scope(Permission::ManageEducation);
    Ok(render(&ListPage {
        chrome: Chrome::new(p, ACTIVE),
        sub: "exams",
        rows,
        year,
        years: years(today),
        division: q.division.unwrap_or_default(),
        places: places_in(state, &p.scope(Permission::ViewEducation), false)
            .await
            .page(p, ACTIVE)?,
        can_import: !scope.is_empty(),
        can_set_bands: crate::auth::is_global(state, p).await.page(p, ACTIVE)?,
        bands: app::bands(state, p).await.page(p, ACTIVE)?,
        today: today.to_string(),
        checked,
        message,
        flash: q.ok,
    }))
}

async fn list_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<ListQuery>,
) -> PageResult {
    list_view(&state, &p, q, None, None).await
}

async fn upload(State(state): State<AppState>, PageUser(p): PageUser, mp: Multipart) -> PageResult {
    if !p.can(Permission::ManageEducation) {
        return Err(PageError::forbidden(&p));
    }
    let result = match exam_upload(mp).await {
        Ok(u) => app::import_exam(&state, &p, u).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(out) => match out.exam_id {
            Some(id) => Ok(see_other(&format!(
                "/education/exams/{id}?ok={}",
                url_encode(&format!("已导入{}条成绩", out.rows))
            ))),
            None => list_view(&state, &p, ListQuery::default(), Some(out), None).await,
        },
        Err(e) if e.status.is_client_error() => {
            let page = list_view(
                &state,
                &p,
                ListQuery::default(),
                None,
                Some(e.body.message.clone()),
            )
            .await?;
            Ok(with_status(page, e.status))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}

#[derive(Deserialize)]
struct BandsForm {
    excellent: String,
    good: String,
    pass: String,
}

async fn save_bands(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<BandsForm>,
) -> PageResult {
    let num = |s: &str| s.trim().parse::<f64>().unwrap_or(f64::NAN);
    let b = BandsIn {
        excellent: num(&f.excellent),
        good: num(&f.good),
        pass: num(&f.pass),
    };
    match app::set_bands(&state, &p, &b).await {
        Ok(_) => Ok(see_other(&format!(
            "/education/exams?ok={}",
            url_encode("分数线已保存")
        ))),
        Err(e) if e.status == axum::http::StatusCode::BAD_REQUEST => {
            let page = list_view(
                &state,
                &p,
                ListQuery::default(),
                None,
                Some(e.body.message.clone()),
            )
            .await?;
            Ok(with_status(page, e.status))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}

#[derive(Template)]
#[template(path = "education/exam.html")]
struct DetailPage {
    chrome: Chrome,
    sub: &'static str,
    d: ExamDetail,
    flash: Option<String>,
}

#[derive(Deserialize, Default)]
struct Flash {
    ok: Option<String>,
}

async fn detail_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let id: i64 = id
        .parse()
        .map_err(|_| PageError::of(ApiError::not_found(), &p, ACTIVE))?;
    let d = app::exam_detail(&state, &p, id).await.page(&p, ACTIVE)?;
    Ok(render(&DetailPage {
        chrome: Chrome::new(&p, ACTIVE),
        sub: "exams",
        d,
        flash: flash.ok,
    }))
}
