//! Rescue teams (应急救援队伍) and campaigns (专项行动) of a township or village, kept by
//! `ManageEducation` like the emergency plans; the leader's phone sealed and revealed
//! with an audit row (as a visit's contact phone); reads scoped (404 outside).

use fazhi_core::education::{CampaignDraft, RescueTeamDraft, check_campaign, check_rescue_team};
use fazhi_db::education::rescue::{self, At, CampaignRow, NewCampaign, NewTeam, TeamRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::*;

/// A rescue team as sent.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct RescueTeamIn {
    /// The township or village (default: the caller's own place).
    pub division_code: Option<String>,
    pub name: String,
    pub members: Option<i64>,
    pub leader: String,
    /// On update, absent or empty keeps the stored phone.
    pub leader_phone: Option<String>,
    pub specialty: Option<String>,
    pub formed_on: Option<String>,
    pub version: Option<i64>,
}

/// A rescue team (the phone masked).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RescueTeamOut {
    pub id: i64,
    pub division_code: String,
    pub division_name: String,
    pub name: String,
    pub members: i64,
    pub leader: String,
    pub leader_phone: Option<String>,
    pub specialty: Option<String>,
    pub formed_on: Option<String>,
    pub version: i64,
    pub can_edit: bool,
}

/// A campaign as sent.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CampaignIn {
    pub division_code: Option<String>,
    pub name: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub results: Option<String>,
    pub version: Option<i64>,
}

/// A campaign.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampaignOut {
    pub id: i64,
    pub division_code: String,
    pub division_name: String,
    pub name: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub results: Option<String>,
    pub version: i64,
    pub can_edit: bool,
}

/// Filters of the two lists.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
pub struct RescueQuery {
    /// A township or village in scope.
    pub division: Option<String>,
    /// Campaigns started this year (default this year).
    pub year: Option<i32>,
}

fn team_out(p: &Principal, r: TeamRow) -> RescueTeamOut {
    RescueTeamOut {
        can_edit: edit_scope(p, Permission::ManageEducation, &r.division_path),
        id: r.id,
        division_code: r.division_code,
        division_name: r.division_name,
        name: r.name,
        members: r.members,
        leader: r.leader,
        leader_phone: r.phone_mask,
        specialty: r.specialty,
        formed_on: r.formed_on.map(|d| d.to_string()),
        version: r.version,
    }
}

fn campaign_out(p: &Principal, r: CampaignRow) -> CampaignOut {
    CampaignOut {
        can_edit: edit_scope(p, Permission::ManageEducation, &r.division_path),
        id: r.id,
        division_code: r.division_code,
        division_name: r.division_name,
        name: r.name,
        starts_on: r.starts_on.to_string(),
        ends_on: r.ends_on.map(|d| d.to_string()),
        results: r.results,
        version: r.version,
    }
}

/// The checked place of a body, gathering its error with the fields'.
async fn at_of(
    state: &AppState,
    p: &Principal,
    code: Option<&str>,
    errors: &mut FieldErrors,
) -> ApiResult<Option<At>> {
    let scope = p.require(Permission::ManageEducation)?;
    match place_in(
        state,
        p,
        &scope,
        Permission::ManageEducation,
        code,
        "division_code",
    )
    .await
    {
        Ok(d) => Ok(Some(At {
            division_id: d.id,
            division_path: d.path,
        })),
        Err(e) => {
            gather(errors, e)?;
            Ok(None)
        }
    }
}

async fn prepare_team(
    state: &AppState,
    p: &Principal,
    b: &RescueTeamIn,
    updating: bool,
) -> ApiResult<NewTeam> {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let phone = s(&b.leader_phone);
    let keep_phone = updating && phone.trim().is_empty();
    let draft = RescueTeamDraft {
        name: b.name.clone(),
        members: b.members,
        leader: b.leader.clone(),
        leader_phone: phone,
        specialty: s(&b.specialty),
        formed_on: s(&b.formed_on),
    };
    let (fields, mut errors) = match check_rescue_team(&draft, state.clock.today()) {
        Ok(f) => (Some(f), FieldErrors::default()),
        Err(e) => (None, e),
    };
    let at = at_of(state, p, b.division_code.as_deref(), &mut errors).await?;
    match (fields, at) {
        (Some(fields), Some(at)) if errors.is_empty() => Ok(NewTeam {
            fields,
            at,
            keep_phone,
        }),
        _ => Err(invalid(errors)),
    }
}

async fn visible_team(state: &AppState, p: &Principal, id: i64) -> ApiResult<TeamRow> {
    let scope = p.require(Permission::ViewEducation)?;
    let row = rescue::team(&state.db, id).await?;
    if !scope.covers(&row.division_path) {
        return Err(ApiError::not_found());
    }
    Ok(row)
}

/// Records a rescue team.
pub(crate) async fn create_rescue_team(
    state: &AppState,
    p: &Principal,
    b: &RescueTeamIn,
) -> ApiResult<RescueTeamOut> {
    let n = prepare_team(state, p, b, false).await?;
    let row = rescue::create_team(&state.db, &state.vault, &p.actor(), &n).await?;
    Ok(team_out(p, row))
}

/// One rescue team.
pub(crate) async fn rescue_team_detail(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<RescueTeamOut> {
    Ok(team_out(p, visible_team(state, p, id).await?))
}

/// Changes a rescue team at the version read.
pub(crate) async fn update_rescue_team(
    state: &AppState,
    p: &Principal,
    id: i64,
    b: &RescueTeamIn,
) -> ApiResult<RescueTeamOut> {
    let row = visible_team(state, p, id).await?;
    if !edit_scope(p, Permission::ManageEducation, &row.division_path) {
        return Err(ApiError::forbidden());
    }
    let version = b
        .version
        .ok_or_else(|| ApiError::field("version", "缺少版本号，请刷新后重试"))?;
    let n = prepare_team(state, p, b, true).await?;
    let row = rescue::update_team(&state.db, &state.vault, &p.actor(), id, version, &n).await?;
    Ok(team_out(p, row))
}

/// The leader's full phone (those who may reveal personal data or manage the team),
/// audited.
pub(crate) async fn reveal_rescue_phone(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<PhoneOut> {
    let row = visible_team(state, p, id).await?;
    let may = reveal_scope(p);
    let roots = &may.roots;
    if !may.covers(&row.division_path) {
        return Err(ApiError::forbidden());
    }
    let phone = rescue::reveal_team_phone(&state.db, &state.vault, &p.actor(), roots, id).await?;
    Ok(PhoneOut { phone })
}

/// Rescue teams in scope.
pub(crate) async fn list_rescue_teams(
    state: &AppState,
    p: &Principal,
    q: &RescueQuery,
) -> ApiResult<Vec<RescueTeamOut>> {
    let scope = p.require(Permission::ViewEducation)?;
    let path = filter_path(state, &scope, q.division.as_deref()).await?;
    Ok(rescue::teams(&state.db, &scope.roots, path.as_deref())
        .await?
        .into_iter()
        .map(|r| team_out(p, r))
        .collect())
}

async fn prepare_campaign(
    state: &AppState,
    p: &Principal,
    b: &CampaignIn,
) -> ApiResult<NewCampaign> {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let draft = CampaignDraft {
        name: b.name.clone(),
        starts_on: b.starts_on.clone(),
        ends_on: s(&b.ends_on),
        results: s(&b.results),
    };
    let (fields, mut errors) = match check_campaign(&draft, state.clock.today()) {
        Ok(f) => (Some(f), FieldErrors::default()),
        Err(e) => (None, e),
    };
    let at = at_of(state, p, b.division_code.as_deref(), &mut errors).await?;
    match (fields, at) {
        (Some(fields), Some(at)) if errors.is_empty() => Ok(NewCampaign { fields, at }),
        _ => Err(invalid(errors)),
    }
}

async fn visible_campaign(state: &AppState, p: &Principal, id: i64) -> ApiResult<CampaignRow> {
    let scope = p.require(Permission::ViewEducation)?;
    let row = rescue::campaign(&state.db, id).await?;
    if !scope.covers(&row.division_path) {
        return Err(ApiError::not_found());
    }
    Ok(row)
}

/// Records a campaign.
pub(crate) async fn create_campaign(
    state: &AppState,
    p: &Principal,
    b: &CampaignIn,
) -> ApiResult<CampaignOut> {
    let n = prepare_campaign(state, p, b).await?;
    let row = rescue::create_campaign(&state.db, &p.actor(), &n).await?;
    Ok(campaign_out(p, row))
}

/// One campaign.
pub(crate) async fn campaign_detail(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<CampaignOut> {
    Ok(campaign_out(p, visible_campaign(state, p, id).await?))
}

/// Changes a campaign at the version read (its results when it ends).
pub(crate) async fn update_campaign(
    state: &AppState,
    p: &Principal,
    id: i64,
    b: &CampaignIn,
) -> ApiResult<CampaignOut> {
    let row = visible_campaign(state, p, id).await?;
    if !edit_scope(p, Permission::ManageEducation, &row.division_path) {
        return Err(ApiError::forbidden());
    }
    let version = b
        .version
        .ok_or_else(|| ApiError::field("version", "缺少版本号，请刷新后重试"))?;
    let n = prepare_campaign(state, p, b).await?;
    let row = rescue::update_campaign(&state.db, &p.actor(), id, version, &n).await?;
    Ok(campaign_out(p, row))
}

/// Campaigns in scope started in a year.
pub(crate) async fn list_campaigns(
    state: &AppState,
    p: &Principal,
    q: &RescueQuery,
) -> ApiResult<Vec<CampaignOut>> {
    let scope = p.require(Permission::ViewEducation)?;
    let year = year_param(q.year, state.clock.today())?;
    let path = filter_path(state, &scope, q.division.as_deref()).await?;
    Ok(
        rescue::campaigns(&state.db, &scope.roots, path.as_deref(), year)
            .await?
            .into_iter()
            .map(|r| campaign_out(p, r))
            .collect(),
    )
}
