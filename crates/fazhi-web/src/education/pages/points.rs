//! `/education/points`: a township's villages' 普法积分 of a year, counted from their
//! events, and the setting (on/off, points per event type) for those who manage it.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Form, Router};
use fazhi_core::division::Level;
use fazhi_core::education::EventKind;
use fazhi_core::role::Permission;
use serde::Deserialize;

use super::{Choice, can_view, see_other, with_status, years};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::education::app::{self, PointsIn, PointsOut};
use crate::error::ApiError;
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

const ACTIVE: &str = "/education";

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/education/points", get(show).post(save))
}

#[derive(Deserialize, Default)]
struct PointsQuery {
    division: Option<String>,
    year: Option<i32>,
    ok: Option<String>,
}

#[derive(Template)]
#[template(path = "education/points.html")]
struct PointsPage {
    chrome: Chrome,
    sub: &'static str,
    t: PointsOut,
    places: Vec<Choice>,
    years: Vec<i32>,
    flash: Option<String>,
    message: Option<String>,
}

/// Townships in the caller's view scope (or the township of their village).
async fn townships(state: &AppState, p: &Principal) -> Result<Vec<Choice>, PageError> {
    let scope = p.scope(Permission::ViewEducation);
    let tree = fazhi_db::admin::divisions::tree(&state.db, &scope.roots)
        .await
        .map_err(|e| PageError::of(e, p, ACTIVE))?;
    Ok(tree
        .into_iter()
        .filter(|d| d.level == Level::Township)
        .map(|d| Choice {
            value: d.code,
            label: d.name,
        })
        .collect())
}

async fn render_page(
    state: &AppState,
    p: &Principal,
    t: PointsOut,
    flash: Option<String>,
    message: Option<String>,
) -> PageResult {
    let mut places = townships(state, p).await?;
    if !places.iter().any(|c| c.value == t.township_code) {
        places.insert(
            0,
            Choice {
                value: t.township_code.clone(),
                label: t.township_name.clone(),
            },
        );
    }
    Ok(render(&PointsPage {
        chrome: Chrome::new(p, ACTIVE),
        sub: "villages",
        years: years(state.clock.today()),
        t,
        places,
        flash,
        message,
    }))
}

async fn show(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<PointsQuery>,
) -> PageResult {
    if !can_view(&p) {
        return Err(PageError::forbidden(&p));
    }
    let t = app::points_table(&state, &p, q.division.as_deref(), q.year)
        .await
        .page(&p, ACTIVE)?;
    render_page(&state, &p, t, q.ok, None).await
}

async fn save(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let get = |k: &str| {
        form.get(k)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let mut points = BTreeMap::new();
    let mut bad = None;
    for k in EventKind::ALL {
        let raw = get(&format!("points_{}", k.as_str()));
        if raw.is_empty() {
            continue;
        }
        match raw.parse::<i64>() {
            Ok(n) => {
                points.insert(k.as_str().to_string(), n);
            }
            Err(_) => {
                bad.get_or_insert_with(|| format!("{}的积分须为整数", k.label_zh()));
            }
        }
    }
    let code = get("division_code");
    let year = get("year").parse().ok();
    let body = PointsIn {
        division_code: code.clone(),
        enabled: form.contains_key("enabled"),
        // Every type left empty earns none (an empty map would mean the default).
        points: if points.is_empty() {
            EventKind::ALL
                .iter()
                .map(|k| (k.as_str().to_string(), 0))
                .collect()
        } else {
            points
        },
        version: get("version").parse().ok(),
    };
    let result = match bad {
        Some(m) => Err(ApiError::bad_request(m)),
        None => app::save_points(&state, &p, &body).await,
    };
    match result {
        Ok(t) => Ok(see_other(&format!(
            "/education/points?division={}&year={}&ok={}",
            t.township_code,
            year.unwrap_or(t.year),
            url_encode("已保存积分制设置")
        ))),
        Err(e) if e.status.is_client_error() && e.status.as_u16() != 404 => {
            let t = app::points_table(&state, &p, Some(&code), year)
                .await
                .page(&p, ACTIVE)?;
            let page = render_page(&state, &p, t, None, Some(e.body.message.clone())).await?;
            Ok(with_status(page, e.status))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}
