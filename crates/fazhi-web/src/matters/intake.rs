//! Checking a new matter (from staff, a grid worker or the public form) and turning it
//! into what the database stores: one set of rules for every door.

use fazhi_core::matter::{Channel, Kind, MatterState, TrackingCode};
use fazhi_core::party::{self, PartyRole};
use fazhi_core::role::Scope;
use fazhi_core::validate;
use fazhi_db::matters::{self, NewMatter, NewParty, NewPhoto, Place};

use super::wire::{MatterCreate, PartyIn, parse_date};
use crate::AppState;
use crate::admin::api::division_in_scope;
use crate::error::{ApiError, ApiResult};

/// Most parties one matter may list.
const MAX_PARTIES: usize = 20;
/// Longest summary, in characters.
const MAX_SUMMARY: usize = 2000;

/// The default party role for a kind of matter.
pub fn default_role(kind: Kind) -> PartyRole {
    match kind {
        Kind::Dispute => PartyRole::Applicant,
        Kind::Petition => PartyRole::Petitioner,
        Kind::Complaint => PartyRole::Complainant,
        Kind::Suggestion | Kind::Consultation => PartyRole::Reporter,
    }
}

fn optional_text(field: &str, v: &Option<String>, max: usize) -> ApiResult<Option<String>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if s.chars().count() > max => {
            Err(ApiError::field(field, format!("不能超过{max}个字符")))
        }
        Some(s) => {
            validate::no_control_chars("该项", s).map_err(|m| ApiError::field(field, m))?;
            Ok(Some(s.to_string()))
        }
    }
}

/// Checks one party; field names are `parties[i].…`.
pub fn check_party(i: usize, p: &PartyIn, kind: Kind, today: time::Date) -> ApiResult<NewParty> {
    let f = |name: &str| format!("parties[{i}].{name}");
    let name = validate::required_text("当事人姓名", &p.name, 50)
        .map_err(|m| ApiError::field(&f("name"), m))?;
    let role = match p.role.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => default_role(kind),
        Some(r) => r
            .parse::<PartyRole>()
            .or_else(|e| {
                PartyRole::ALL
                    .iter()
                    .copied()
                    .find(|x| x.label_zh() == r)
                    .ok_or(e)
            })
            .map_err(|e| ApiError::field(&f("role"), e.to_string()))?,
    };
    let id_number = match p
        .id_number
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(raw) => Some(
            party::check_id_number(raw, today)
                .map_err(|e| ApiError::field(&f("id_number"), e.to_string()))?,
        ),
    };
    let phone = match p.phone.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => {
            Some(party::check_phone(raw).map_err(|e| ApiError::field(&f("phone"), e.to_string()))?)
        }
    };
    Ok(NewParty {
        role,
        name,
        id_number_mask: id_number.as_deref().map(party::mask_id_number),
        phone_mask: phone.as_deref().map(party::mask_phone),
        id_number,
        phone,
        address: optional_text(&f("address"), &p.address, 200)?,
    })
}

/// A fresh, unguessable tracking code.
pub fn new_tracking_code() -> String {
    TrackingCode::generate(&mut rand::rng())
        .as_str()
        .to_string()
}

/// Checks a registration against the caller's `scope` (of the permission used) and
/// builds the record, with the names of its place. `pending` marks a public submission
/// waiting for staff.
pub async fn build(
    state: &AppState,
    scope: &Scope,
    body: &MatterCreate,
    pending: bool,
    photos: Vec<NewPhoto>,
) -> ApiResult<(NewMatter, Place)> {
    let today = state.clock.today();
    let kind: Kind = body
        .kind
        .trim()
        .parse()
        .map_err(|e: fazhi_core::matter::UnknownCode| ApiError::field("kind", e.to_string()))?;
    let channel: Channel = if pending {
        Channel::Online
    } else {
        body.channel
            .trim()
            .parse()
            .map_err(|e: fazhi_core::matter::UnknownCode| {
                ApiError::field("channel", e.to_string())
            })?
    };
    let category = body.category.trim().to_string();
    if !state
        .matters
        .categories()
        .iter()
        .any(|c| c.code == category)
    {
        return Err(ApiError::field("category", "请选择事项类别"));
    }
    if body.division_code.trim().is_empty() {
        return Err(ApiError::field("division_code", "请选择发生地（村、社区）"));
    }
    let division = division_in_scope(
        state,
        scope,
        body.division_code.trim(),
        Some("division_code"),
    )
    .await?;
    let grid = match body.grid_id {
        None => None,
        Some(g) => {
            let grid = fazhi_db::admin::grids::by_id(&state.db, g)
                .await
                .ok()
                .filter(|grid| grid.division_id == division.id);
            Some(grid.ok_or_else(|| ApiError::field("grid_id", "网格不属于所选的村（社区）"))?)
        }
    };
    let summary = validate::required_text("事项摘要", &body.summary, MAX_SUMMARY)
        .map_err(|m| ApiError::field("summary", m))?;
    let received_on = match body.received_on.as_deref().filter(|s| !s.trim().is_empty()) {
        None => today,
        Some(s) => {
            let d = parse_date(s.trim())
                .ok_or_else(|| ApiError::field("received_on", "日期格式须为YYYY-MM-DD"))?;
            validate::record_date("收到日期", d, today)
                .map_err(|m| ApiError::field("received_on", m))?
        }
    };
    if body.parties.is_empty() {
        return Err(ApiError::field("parties", "至少填写一名当事人的姓名"));
    }
    if body.parties.len() > MAX_PARTIES {
        return Err(ApiError::field(
            "parties",
            format!("当事人不能超过{MAX_PARTIES}名"),
        ));
    }
    let parties = body
        .parties
        .iter()
        .enumerate()
        .map(|(i, p)| check_party(i, p, kind, today))
        .collect::<ApiResult<Vec<_>>>()?;
    if let Some(r) = body.repeat_of {
        matters::read::get(&state.db, &scope.roots, r)
            .await
            .map_err(|_| ApiError::field("repeat_of", "所关联的原事项不存在或不在管辖范围内"))?;
    }
    let cal = state.matters.calendar();
    let rules = state.matters.rules();
    let st = if pending {
        MatterState::submit(kind, received_on, &cal, &rules)
    } else {
        MatterState::register(kind, channel, received_on, &cal, &rules)
    };
    let place = Place {
        division_code: division.code,
        division_name: division.name,
        grid_name: grid.as_ref().map(|g| g.name.clone()),
    };
    let m = NewMatter {
        tracking_code: new_tracking_code(),
        category,
        division_id: division.id,
        division_path: division.path,
        grid_id: grid.map(|g| g.id),
        summary,
        address: optional_text("address", &body.address, 200)?,
        state: st,
        repeat_of: body.repeat_of,
        parties,
        photos,
        today,
        assignee_path: None,
        history: Vec::new(),
        source_ref: None,
    };
    Ok((m, place))
}
