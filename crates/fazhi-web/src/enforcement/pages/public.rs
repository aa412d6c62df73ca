//! The public enforcement page of a township (no login): 事前公开 (the body, officers
//! and certificates, items, procedure, remedies) and 事后公开 (published decisions).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::enforcement::app;
use crate::enforcement::wire::PublicEnforcement;
use crate::page_error::PageResult;
use crate::pages::render;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/public/enforcement/{code}", get(public_page))
}

#[derive(Template)]
#[template(path = "enforcement/public.html")]
struct PublicPage {
    v: PublicEnforcement,
}

impl PublicPage {
    fn kinds(&self, i: &crate::enforcement::wire::ItemOut) -> String {
        i.spec
            .penalty_kinds
            .iter()
            .map(|k| k.label_zh())
            .collect::<Vec<_>>()
            .join("、")
    }
}

async fn public_page(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> PageResult<Response> {
    let v = app::public_view(&state, &code).await?;
    Ok(render(&PublicPage { v }))
}
