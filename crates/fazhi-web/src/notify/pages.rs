//! `/notifications` (the user's list, mark all read) and `/settings/webhook` (the
//! webhook and its delivery log, administrators).

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;

use super::api::{self, NotificationOut};
use super::webhook::WebhookConfig;
use crate::AppState;
use crate::auth::PageUser;
use crate::matters::pages::{error_text, see_other};
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list_page).post(read_all))
        .route("/settings/webhook", get(webhook_page).post(webhook_save))
}

#[derive(serde::Deserialize, Default)]
struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct ListPage {
    chrome: Chrome,
    items: Vec<(NotificationOut, String)>,
}

async fn list_page(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult<Response> {
    let items = api::list(&state, &p)
        .await
        .page(&p, "/notifications")?
        .into_iter()
        .map(|n| {
            let at = crate::admin::pages::beijing_time(n.created_at);
            (n, at)
        })
        .collect();
    Ok(render(&ListPage {
        chrome: Chrome::new(&p, "/notifications"),
        items,
    }))
}

async fn read_all(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult<Response> {
    fazhi_db::notify::mark_read(&state.db, p.user_id, None)
        .await
        .page(&p, "/notifications")?;
    Ok(see_other("/notifications"))
}

#[derive(Template)]
#[template(path = "settings/webhook.html")]
struct WebhookPage {
    chrome: Chrome,
    url: String,
    log: Vec<(fazhi_db::notify::DeliveryRow, String)>,
    flash: Flash,
}

async fn webhook_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(flash): Query<Flash>,
) -> PageResult<Response> {
    if !crate::auth::is_global(&state, &p)
        .await
        .page(&p, "/settings/webhook")?
    {
        return Err(PageError::forbidden(&p));
    }
    let url = super::webhook::config(&state)
        .await
        .page(&p, "/settings/webhook")?
        .map(|c| c.url)
        .unwrap_or_default();
    let log = fazhi_db::notify::deliveries(&state.db, 100)
        .await
        .page(&p, "/settings/webhook")?
        .into_iter()
        .map(|d| {
            let at = crate::admin::pages::beijing_time(d.created_at);
            (d, at)
        })
        .collect();
    Ok(render(&WebhookPage {
        chrome: Chrome::new(&p, "/settings/webhook"),
        url,
        log,
        flash,
    }))
}

async fn webhook_save(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    axum::Form(f): axum::Form<WebhookConfig>,
) -> PageResult<Response> {
    match api::save(&state, &p, &f).await {
        Ok(c) => Ok(see_other(&format!(
            "/settings/webhook?ok={}",
            url_encode(if c.url.is_empty() {
                "已关闭推送"
            } else {
                "已保存"
            })
        ))),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::FORBIDDEN => {
            Ok(see_other(&format!(
                "/settings/webhook?err={}",
                url_encode(&error_text(&e))
            )))
        }
        Err(e) => Err(PageError::of(e, &p, "/settings/webhook")),
    }
}
