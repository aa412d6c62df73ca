//! 案卷评查 results of a year: per officer, per month, and every scored file.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use fazhi_core::role::Permission;
use serde::Deserialize;

use super::require;
use crate::AppState;
use crate::auth::PageUser;
use crate::enforcement::app;
use crate::enforcement::wire::FileReviewsOut;
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/enforcement/file-reviews", get(page))
}

#[derive(Deserialize)]
struct YearQuery {
    year: Option<String>,
}

#[derive(Template)]
#[template(path = "enforcement/file_reviews.html")]
struct Page {
    chrome: Chrome,
    r: FileReviewsOut,
}

async fn page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<YearQuery>,
) -> PageResult<Response> {
    require(&p, Permission::ViewCases)?;
    let active = "/enforcement";
    let year = match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => state.clock.today().year(),
        Some(y) => y.parse().map_err(|_| {
            PageError::of(
                crate::error::ApiError::field("year", "年份须为四位数字"),
                &p,
                active,
            )
        })?,
    };
    let r = app::file_reviews_of_year(&state, &p, year)
        .await
        .page(&p, active)?;
    Ok(render(&Page {
        chrome: Chrome::new(&p, active),
        r,
    }))
}
