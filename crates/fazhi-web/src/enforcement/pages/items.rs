//! The item list page: the latest version of every item, its versions, and the form
//! that adds an item or a new version of one.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use fazhi_core::enforcement::{PenaltyKind, PowerSource};
use fazhi_core::role::Permission;

use super::form::{self, Fields};
use super::{Flash, require};
use crate::AppState;
use crate::auth::PageUser;
use crate::enforcement::app;
use crate::enforcement::wire::{ItemOut, ItemSave};
use crate::matters::pages::see_other;
use crate::page_error::{OrPage, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/enforcement/items", get(items_page).post(item_submit))
        .route(
            "/enforcement/items/import",
            axum::routing::post(import_submit)
                .layer(axum::extract::DefaultBodyLimit::max(10 << 20)),
        )
}

async fn import_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    form: axum::extract::Multipart,
) -> PageResult<Response> {
    require(&p, Permission::ManageItems)?;
    let back = |k: &str, m: &str| see_other(&format!("/enforcement/items?{k}={}", url_encode(m)));
    let done = match crate::enforcement::api::items_upload(form).await {
        Ok((code, bytes)) => app::import_items(&state, &p, code.as_deref(), bytes).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(r) => Ok(back(
            "ok",
            &format!("已导入清单：共{}项，其中新增或修改{}项", r.items, r.changed),
        )),
        Err(e) if e.status.is_client_error() => {
            Ok(back("err", &crate::matters::pages::error_text(&e)))
        }
        Err(e) => Err(crate::page_error::PageError::of(
            e,
            &p,
            "/enforcement/items",
        )),
    }
}

#[derive(Template)]
#[template(path = "enforcement/items.html")]
struct ItemsPage {
    chrome: Chrome,
    items: Vec<ItemOut>,
    can_edit: bool,
    sources: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    flash: Flash,
}

impl ItemsPage {
    fn kinds_of(&self, i: &ItemOut) -> String {
        i.spec
            .penalty_kinds
            .iter()
            .map(|k| k.label_zh())
            .collect::<Vec<_>>()
            .join("、")
    }
}

async fn items_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(flash): Query<Flash>,
) -> PageResult<Response> {
    if !p.can(Permission::ManageItems) {
        require(&p, Permission::ViewCases)?;
    }
    let items = app::list_items(&state, &p)
        .await
        .page(&p, "/enforcement/items")?;
    Ok(render(&ItemsPage {
        chrome: Chrome::new(&p, "/enforcement/items"),
        items,
        can_edit: p.can(Permission::ManageItems),
        sources: PowerSource::ALL
            .iter()
            .map(|s| (s.as_str(), s.label_zh()))
            .collect(),
        kinds: PenaltyKind::ALL
            .iter()
            .map(|s| (s.as_str(), s.label_zh()))
            .collect(),
        flash,
    }))
}

async fn item_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    require(&p, Permission::ManageItems)?;
    let back = |k: &str, m: &str| see_other(&format!("/enforcement/items?{k}={}", url_encode(m)));
    let body: ItemSave = match form::item(&Fields(fields)).and_then(form::parse) {
        Ok(b) => b,
        Err(m) => return Ok(back("err", &m)),
    };
    match app::save_item(&state, &p, &body).await {
        Ok(i) => Ok(back(
            "ok",
            &format!("已保存执法事项 {}（第{}版）", i.spec.code, i.version),
        )),
        Err(e) if e.status.is_client_error() => {
            Ok(back("err", &crate::matters::pages::error_text(&e)))
        }
        Err(e) => Err(crate::page_error::PageError::of(
            e,
            &p,
            "/enforcement/items",
        )),
    }
}
