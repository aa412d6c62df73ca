//! `/education/rescue`: rescue teams (the leader's phone masked, revealed with an audit
//! row) and the year's campaigns, with the phone forms to record them.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_core::role::Permission;
use serde::Deserialize;

use super::form::{FormValues, redisplay};
use super::{Choice, can_view, field_errors, form_error, places_in, see_other, with_status, years};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::education::app::{
    self, CampaignIn, CampaignOut, RescueQuery, RescueTeamIn, RescueTeamOut,
};
use crate::error::ApiError;
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

const ACTIVE: &str = "/education";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/education/rescue", get(show))
        .route("/education/rescue/teams", post(team_submit))
        .route("/education/rescue/teams/{id}/reveal", post(reveal))
        .route("/education/rescue/campaigns", post(campaign_submit))
}

#[derive(Deserialize, Default)]
struct ShowQuery {
    division: Option<String>,
    year: Option<i32>,
    ok: Option<String>,
}

#[derive(Template)]
#[template(path = "education/rescue.html")]
struct RescuePage {
    chrome: Chrome,
    sub: &'static str,
    teams: Vec<RescueTeamOut>,
    campaigns: Vec<CampaignOut>,
    places: Vec<Choice>,
    years: Vec<i32>,
    year: i32,
    division: String,
    can_manage: bool,
    today: String,
    flash: Option<String>,
    message: Option<String>,
    /// Which form was refused (kept open): "team" or "campaign".
    open: &'static str,
    f: FormValues,
    g: FormValues,
    errors: BTreeMap<String, String>,
    revealed_id: Option<i64>,
    revealed: String,
}

impl RescuePage {
    fn err(&self, field: &str) -> Option<&String> {
        (self.open == "team")
            .then(|| self.errors.get(field))
            .flatten()
    }
    fn is_revealed(&self, id: &i64) -> bool {
        self.revealed_id == Some(*id)
    }
    fn gerr(&self, field: &str) -> Option<&String> {
        (self.open == "campaign")
            .then(|| self.errors.get(field))
            .flatten()
    }
}

/// What a page shows beside the lists.
#[derive(Default)]
struct Extra {
    flash: Option<String>,
    refused: Option<(&'static str, FormValues, ApiError)>,
    revealed: Option<(i64, String)>,
}

async fn page(state: &AppState, p: &Principal, q: &RescueQuery, x: Extra) -> PageResult {
    let today = state.clock.today();
    let year = app::year_param(q.year, today).page(p, ACTIVE)?;
    let teams = app::list_rescue_teams(state, p, q).await.page(p, ACTIVE)?;
    let campaigns = app::list_campaigns(state, p, q).await.page(p, ACTIVE)?;
    let manage = p.scope(Permission::ManageEducation);
    let places = places_in(state, &manage, false).await.page(p, ACTIVE)?;
    let view = p.scope(Permission::ViewEducation);
    let (open, f, g, errors, message) = match x.refused {
        Some(("team", f, e)) => (
            "team",
            f,
            FormValues::default(),
            field_errors(&e),
            Some(e.body.message),
        ),
        Some((_, g, e)) => (
            "campaign",
            FormValues::default(),
            g,
            field_errors(&e),
            Some(e.body.message),
        ),
        None => (
            "",
            FormValues::default(),
            FormValues::default(),
            BTreeMap::new(),
            None,
        ),
    };
    let (revealed_id, revealed) = match x.revealed {
        Some((id, ph)) => (Some(id), ph),
        None => (None, String::new()),
    };
    Ok(render(&RescuePage {
        chrome: Chrome::new(p, ACTIVE),
        sub: "emergency",
        teams,
        campaigns,
        can_manage: !places.is_empty(),
        places: if places.is_empty() {
            places_in(state, &view, false).await.page(p, ACTIVE)?
        } else {
            places
        },
        years: years(today),
        year,
        division: q.division.clone().unwrap_or_default(),
        today: today.to_string(),
        flash: x.flash,
        message,
        open,
        f,
        g,
        errors,
        revealed_id,
        revealed,
    }))
}

async fn show(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    if !can_view(&p) {
        return Err(PageError::forbidden(&p));
    }
    let rq = RescueQuery {
        division: q.division,
        year: q.year,
    };
    page(
        &state,
        &p,
        &rq,
        Extra {
            flash: q.ok,
            ..Extra::default()
        },
    )
    .await
}

async fn team_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = FormValues::parse(pairs);
    let mut errors = BTreeMap::new();
    let members = f.num(&mut errors, "members");
    let result = if errors.is_empty() {
        let b = RescueTeamIn {
            division_code: f.opt("division_code"),
            name: f.get("name").into(),
            members,
            leader: f.get("leader").into(),
            leader_phone: f.opt("leader_phone"),
            specialty: f.opt("specialty"),
            formed_on: f.opt("formed_on"),
            version: None,
        };
        app::create_rescue_team(&state, &p, &b).await.map(|_| ())
    } else {
        Err(form_error(errors))
    };
    done(&state, &p, result, "team", f, "已登记救援队伍").await
}

async fn campaign_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let g = FormValues::parse(pairs);
    let b = CampaignIn {
        division_code: g.opt("division_code"),
        name: g.get("name").into(),
        starts_on: g.get("starts_on").into(),
        ends_on: g.opt("ends_on"),
        results: g.opt("results"),
        version: None,
    };
    let result = app::create_campaign(&state, &p, &b).await.map(|_| ());
    done(&state, &p, result, "campaign", g, "已登记专项行动").await
}

async fn done(
    state: &AppState,
    p: &Principal,
    result: Result<(), ApiError>,
    which: &'static str,
    values: FormValues,
    ok: &str,
) -> PageResult {
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/education/rescue?ok={}",
            url_encode(ok)
        ))),
        Err(e) if redisplay(&e) => {
            let status = e.status;
            let x = Extra {
                refused: Some((which, values, e)),
                ..Extra::default()
            };
            let shown = page(state, p, &RescueQuery::default(), x).await?;
            Ok(with_status(shown, status))
        }
        Err(e) => Err(PageError::of(e, p, ACTIVE)),
    }
}

async fn reveal(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
) -> PageResult {
    let id: i64 = id
        .parse()
        .map_err(|_| PageError::of(ApiError::not_found(), &p, ACTIVE))?;
    let phone = app::reveal_rescue_phone(&state, &p, id)
        .await
        .page(&p, ACTIVE)?;
    let x = Extra {
        revealed: Some((id, phone.phone.unwrap_or_else(|| "未登记电话".into()))),
        ..Extra::default()
    };
    let shown = page(&state, &p, &RescueQuery::default(), x).await?;
    Ok(([(header::CACHE_CONTROL, "no-store")], shown).into_response())
}
