//! `/education/rescue`: rescue teams (the leader's phone masked, revealed with an audit
//! row) and the year's campaigns, with the phone forms to record them;
//! `/education/rescue/{teams,campaigns}/{id}` correct one at the version read.

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
        .route(
            "/education/rescue/teams/{id}",
            get(team_edit_page).post(team_edit_submit),
        )
        .route(
            "/education/rescue/campaigns/{id}",
            get(campaign_edit_page).post(campaign_edit_submit),
        )
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
    let result = match team_body(&f, false) {
        Ok(b) => app::create_rescue_team(&state, &p, &b).await.map(|_| ()),
        Err(e) => Err(e),
    };
    done(&state, &p, result, "team", f, "已登记救援队伍").await
}

/// A team's form as the API's body; on a change an empty phone keeps the stored one
/// (the form only ever shows its mask).
fn team_body(f: &FormValues, updating: bool) -> Result<RescueTeamIn, ApiError> {
    let mut errors = BTreeMap::new();
    let members = f.num(&mut errors, "members");
    if !errors.is_empty() {
        return Err(form_error(errors));
    }
    Ok(RescueTeamIn {
        division_code: f.opt("division_code"),
        name: f.get("name").into(),
        members,
        leader: f.get("leader").into(),
        leader_phone: f
            .opt("leader_phone")
            .filter(|ph| !(updating && ph.trim().is_empty())),
        specialty: f.opt("specialty"),
        formed_on: f.opt("formed_on"),
        version: updating
            .then(|| f.get("version").trim().parse().ok())
            .flatten(),
    })
}

/// A campaign's form as the API's body.
fn campaign_body(g: &FormValues, updating: bool) -> CampaignIn {
    CampaignIn {
        division_code: g.opt("division_code"),
        name: g.get("name").into(),
        starts_on: g.get("starts_on").into(),
        ends_on: g.opt("ends_on"),
        results: g.opt("results"),
        version: updating
            .then(|| g.get("version").trim().parse().ok())
            .flatten(),
    }
}

async fn campaign_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let g = FormValues::parse(pairs);
    let b = campaign_body(&g, false);
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

#[derive(Template)]
#[template(path = "education/rescue_edit.html")]
struct EditPage {
    chrome: Chrome,
    sub: &'static str,
    heading: String,
    action: String,
    /// "team" or "campaign": which fields the form holds.
    open: &'static str,
    version: i64,
    masked_phone: Option<String>,
    message: Option<String>,
    f: FormValues,
    g: FormValues,
    places: Vec<Choice>,
    today: String,
    errors: BTreeMap<String, String>,
}

impl EditPage {
    fn err(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
    fn gerr(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

fn id_of(raw: &str, p: &Principal) -> Result<i64, PageError> {
    raw.parse()
        .map_err(|_| PageError::of(ApiError::not_found(), p, ACTIVE))
}

/// The values a stored team fills its form with.
fn team_values(t: &RescueTeamOut) -> FormValues {
    let mut f = FormValues::default();
    f.set("division_code", &t.division_code);
    f.set("name", &t.name);
    f.set("members", t.members);
    f.set("leader", &t.leader);
    f.set("specialty", t.specialty.as_deref().unwrap_or_default());
    f.set("formed_on", t.formed_on.as_deref().unwrap_or_default());
    f
}

/// The values a stored campaign fills its form with.
fn campaign_values(c: &CampaignOut) -> FormValues {
    let mut g = FormValues::default();
    g.set("division_code", &c.division_code);
    g.set("name", &c.name);
    g.set("starts_on", &c.starts_on);
    g.set("ends_on", c.ends_on.as_deref().unwrap_or_default());
    g.set("results", c.results.as_deref().unwrap_or_default());
    g
}

/// One form to correct a team or a campaign; refused values are shown as typed.
#[allow(clippy::too_many_arguments)]
async fn edit_page(
    state: &AppState,
    p: &Principal,
    open: &'static str,
    id: i64,
    heading: String,
    version: i64,
    masked_phone: Option<String>,
    values: FormValues,
    refused: Option<ApiError>,
) -> PageResult {
    let manage = p.scope(Permission::ManageEducation);
    let (errors, message) = match refused {
        Some(e) => (field_errors(&e), Some(e.body.message)),
        None => (BTreeMap::new(), None),
    };
    let (f, g) = if open == "team" {
        (values, FormValues::default())
    } else {
        (FormValues::default(), values)
    };
    Ok(render(&EditPage {
        chrome: Chrome::new(p, ACTIVE),
        sub: "emergency",
        heading,
        action: format!(
            "/education/rescue/{}/{id}",
            if open == "team" { "teams" } else { "campaigns" }
        ),
        open,
        version,
        masked_phone,
        message,
        f,
        g,
        places: places_in(state, &manage, false).await.page(p, ACTIVE)?,
        today: state.clock.today().to_string(),
        errors,
    }))
}

async fn team_edit_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
) -> PageResult {
    let id = id_of(&id, &p)?;
    let t = app::rescue_team_detail(&state, &p, id)
        .await
        .page(&p, ACTIVE)?;
    if !t.can_edit {
        return Err(PageError::forbidden(&p));
    }
    let values = team_values(&t);
    edit_page(
        &state,
        &p,
        "team",
        id,
        format!("修改救援队伍：{}", t.name),
        t.version,
        t.leader_phone,
        values,
        None,
    )
    .await
}

async fn team_edit_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let id = id_of(&id, &p)?;
    let f = FormValues::parse(pairs);
    let result = match team_body(&f, true) {
        Ok(b) => app::update_rescue_team(&state, &p, id, &b)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/education/rescue?ok={}",
            url_encode("已保存救援队伍的修改")
        ))),
        Err(e) if redisplay(&e) => {
            let t = app::rescue_team_detail(&state, &p, id)
                .await
                .page(&p, ACTIVE)?;
            let status = e.status;
            let shown = edit_page(
                &state,
                &p,
                "team",
                id,
                format!("修改救援队伍：{}", t.name),
                t.version,
                t.leader_phone,
                f,
                Some(e),
            )
            .await?;
            Ok(with_status(shown, status))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}

async fn campaign_edit_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
) -> PageResult {
    let id = id_of(&id, &p)?;
    let c = app::campaign_detail(&state, &p, id)
        .await
        .page(&p, ACTIVE)?;
    if !c.can_edit {
        return Err(PageError::forbidden(&p));
    }
    let values = campaign_values(&c);
    edit_page(
        &state,
        &p,
        "campaign",
        id,
        format!("修改专项行动：{}", c.name),
        c.version,
        None,
        values,
        None,
    )
    .await
}

async fn campaign_edit_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let id = id_of(&id, &p)?;
    let g = FormValues::parse(pairs);
    let b = campaign_body(&g, true);
    match app::update_campaign(&state, &p, id, &b).await {
        Ok(_) => Ok(see_other(&format!(
            "/education/rescue?ok={}",
            url_encode("已保存专项行动的修改")
        ))),
        Err(e) if redisplay(&e) => {
            let c = app::campaign_detail(&state, &p, id)
                .await
                .page(&p, ACTIVE)?;
            let status = e.status;
            let shown = edit_page(
                &state,
                &p,
                "campaign",
                id,
                format!("修改专项行动：{}", c.name),
                c.version,
                None,
                g,
                Some(e),
            )
            .await?;
            Ok(with_status(shown, status))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}
