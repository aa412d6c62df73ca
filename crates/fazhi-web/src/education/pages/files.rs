//! The photos and sign-in sheets box of an event's and a visit's page, and its upload
//! (`POST /education/events/{id}/files`, `/education/visits/{id}/files`: multipart,
//! the CSRF token in the query string).

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use fazhi_db::education::files::FileRecord;

use super::see_other;
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::education::files::{self, EduFileOut, MAX_FORM_BYTES};
use crate::error::{ApiError, ApiResult};
use crate::page_error::PageError;
use crate::pages::url_encode;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/education/events/{id}/files",
            post(event_files).layer(DefaultBodyLimit::max(MAX_FORM_BYTES)),
        )
        .route(
            "/education/visits/{id}/files",
            post(visit_files).layer(DefaultBodyLimit::max(MAX_FORM_BYTES)),
        )
}

/// What the page shows of a record's files.
pub(crate) struct FilesBox {
    pub files: Vec<EduFileOut>,
    pub can_add: bool,
    pub action: String,
}

fn page_of(r: FileRecord, id: i64) -> String {
    match r {
        FileRecord::Event => format!("/education/events/{id}"),
        FileRecord::Visit => format!("/education/visits/{id}"),
    }
}

/// The box of a record the caller may see.
pub(super) async fn files_box(
    state: &AppState,
    p: &Principal,
    r: FileRecord,
    id: i64,
) -> ApiResult<FilesBox> {
    Ok(FilesBox {
        files: files::list(state, p, r, id).await?,
        can_add: files::may_add(state, p, r, id).await,
        action: format!("{}/files", page_of(r, id)),
    })
}

async fn submit(
    state: AppState,
    p: Principal,
    r: FileRecord,
    raw: String,
    form: Multipart,
    active: &'static str,
) -> Response {
    let Ok(id) = raw.parse::<i64>() else {
        return PageError::of(ApiError::not_found(), &p, active).into_response();
    };
    match files::upload(&state, &p, r, id, form).await {
        Ok(added) => see_other(&format!(
            "{}?ok={}",
            page_of(r, id),
            url_encode(&format!("已添加{}个文件", added.len()))
        )),
        Err(e) if e.status.is_client_error() && e.status != StatusCode::NOT_FOUND => see_other(
            &format!("{}?err={}", page_of(r, id), url_encode(&e.body.message)),
        ),
        Err(e) => PageError::of(e, &p, active).into_response(),
    }
}

async fn event_files(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
    form: Multipart,
) -> Response {
    submit(state, p, FileRecord::Event, id, form, "/education").await
}

async fn visit_files(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
    form: Multipart,
) -> Response {
    submit(state, p, FileRecord::Visit, id, form, "/education").await
}
