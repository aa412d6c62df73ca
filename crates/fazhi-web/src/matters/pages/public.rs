//! Public pages, no login: look a matter up by its tracking code (status and dates
//! only, never names, places or notes), and the public form (rate-limited, with a
//! honeypot field that people never see and bots fill in).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use fazhi_core::matter::TrackingCode;
use fazhi_db::admin::divisions::{self, DivisionRow};
use serde::Deserialize;

use super::public_error_page;
use super::{field_errors, see_other};
use crate::AppState;
use crate::error::ApiError;
use crate::matters::ClientAddr;
use crate::matters::app;
use crate::matters::wire::{Options, PublicSubmit, SubmitOut, TrackOut};
use crate::pages::render;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/track", get(track_form))
        .route("/track/{code}", get(track_page))
        .route("/submit", get(submit_form).post(submit_post))
}

#[derive(Template)]
#[template(path = "matters/track_form.html")]
struct TrackFormPage {
    code: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct CodeQuery {
    code: Option<String>,
}

async fn track_form(Query(q): Query<CodeQuery>) -> Response {
    let code = q.code.unwrap_or_default();
    if code.trim().is_empty() {
        return render(&TrackFormPage { code, error: None });
    }
    match TrackingCode::parse(&code) {
        Ok(c) => see_other(&format!("/track/{}", c.as_str())),
        Err(_) => {
            let mut r = render(&TrackFormPage {
                error: Some("查询码应为10位字母和数字，请核对后重新输入".into()),
                code,
            });
            *r.status_mut() = StatusCode::BAD_REQUEST;
            r
        }
    }
}

#[derive(Template)]
#[template(path = "matters/track.html")]
struct TrackPage {
    t: TrackOut,
    grouped: String,
}

async fn track_page(
    State(state): State<AppState>,
    client: ClientAddr,
    crate::extract::ApiPath(code): crate::extract::ApiPath<String>,
) -> Response {
    match app::track_view(&state, &client.0, &code).await {
        Ok(t) => render(&TrackPage {
            grouped: TrackingCode::parse(&t.tracking_code)
                .map(|c| c.display_grouped())
                .unwrap_or_else(|_| t.tracking_code.clone()),
            t,
        }),
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            let mut r = render(&TrackFormPage {
                code,
                error: Some("没有找到该查询码对应的事项，请核对后重新输入".into()),
            });
            *r.status_mut() = StatusCode::NOT_FOUND;
            r
        }
        Err(e) => public_error_page(e),
    }
}

/// The public form as posted; `website` is the honeypot.
#[derive(Deserialize, Default)]
struct SubmitForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    division_code: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    website: String,
}

/// A township with its villages, for the place select.
struct Place {
    name: String,
    villages: Vec<DivisionRow>,
}

#[derive(Template)]
#[template(path = "matters/submit.html")]
struct SubmitPage {
    f: SubmitForm,
    options: Options,
    places: Vec<Place>,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    done: Option<SubmitOut>,
    qr_svg: String,
}

impl SubmitPage {
    /// The 查询码 as people read it.
    fn shown(code: &str) -> String {
        fazhi_core::matter::tracking_shown(code)
    }
}

impl SubmitPage {
    fn err(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

async fn places(state: &AppState) -> Result<Vec<Place>, ApiError> {
    let all = divisions::tree(&state.db, &["/".to_string()]).await?;
    Ok(all
        .iter()
        .filter(|d| d.level == fazhi_core::division::Level::Township)
        .map(|t| Place {
            name: t.name.clone(),
            villages: all
                .iter()
                .filter(|v| {
                    v.level == fazhi_core::division::Level::Village && v.parent_id == Some(t.id)
                })
                .cloned()
                .collect(),
        })
        .filter(|p| !p.villages.is_empty())
        .collect())
}

async fn submit_page(
    state: &AppState,
    f: SubmitForm,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    done: Option<SubmitOut>,
    qr_svg: String,
) -> Response {
    render(&SubmitPage {
        qr_svg,
        f,
        options: app::options_of(state),
        places: match places(state).await {
            Ok(p) => p,
            Err(e) => return public_error_page(e),
        },
        errors,
        message,
        done,
    })
}

async fn submit_form(State(state): State<AppState>) -> Response {
    let f = SubmitForm {
        kind: "complaint".into(),
        ..SubmitForm::default()
    };
    submit_page(&state, f, BTreeMap::new(), None, None, String::new()).await
}

async fn submit_post(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    Form(f): Form<SubmitForm>,
) -> Response {
    if !f.website.is_empty() {
        // Only robots fill the hidden field: nothing is stored.
        return public_error_page(ApiError::bad_request(
            "提交未被接受。如需反映问题，请拨打服务热线或到镇（街道）综治中心当面反映。",
        ));
    }
    let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let body = PublicSubmit {
        kind: f.kind.clone(),
        division_code: f.division_code.clone(),
        category: f.category.clone(),
        summary: f.summary.clone(),
        name: f.name.clone(),
        phone: opt(&f.phone),
        id_number: opt(&f.id_number),
    };
    match app::public_submit(&state, &client.0, &body).await {
        Ok(done) => {
            let qr = super::detail::qr_svg(&super::detail::public_url(
                &state,
                &headers,
                &done.track_url,
            ));
            let f = SubmitForm::default();
            submit_page(&state, f, BTreeMap::new(), None, Some(done), qr).await
        }
        Err(e) if e.status.is_client_error() => {
            let mut errors = field_errors(&e);
            for (from, to) in [
                ("parties[0].name", "name"),
                ("parties[0].phone", "phone"),
                ("parties[0].id_number", "id_number"),
            ] {
                if let Some(v) = errors.remove(from) {
                    errors.insert(to.into(), v);
                }
            }
            let msg = Some(e.body.message);
            let mut r = submit_page(&state, f, errors, msg, None, String::new()).await;
            *r.status_mut() = e.status;
            r
        }
        Err(e) => public_error_page(e),
    }
}
