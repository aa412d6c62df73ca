//! 积分制: a township's points per event type (on/off, kept by those who manage its
//! education work) and its villages' points of a year, computed from the events
//! recorded at each village. Read with `ViewEducation` (a village account sees its own
//! row); the township must be in scope (404 outside).

use std::collections::BTreeMap;

use fazhi_core::division::Level;
use fazhi_core::education::{EventKind, PointsRule, check_points, village_points};
use fazhi_db::education::points;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::*;

/// Points of one event type.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindPoints {
    pub kind: EventKind,
    pub label: &'static str,
    /// Points per event (the setting), or points earned (in a village's row).
    pub points: i64,
    /// Events of the type (in a village's row; 0 in the setting).
    pub events: i64,
}

/// A village's points of the year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VillagePointsOut {
    pub code: String,
    pub name: String,
    pub events: i64,
    pub points: i64,
    pub by_kind: Vec<KindPoints>,
    /// The village's events of the year (the records the points count).
    pub link: String,
}

/// A township's setting and its villages' points of a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PointsOut {
    pub township_code: String,
    pub township_name: String,
    pub year: i32,
    pub enabled: bool,
    pub points: Vec<KindPoints>,
    /// Absent before the first save.
    pub version: Option<i64>,
    /// Whether the caller may change the setting.
    pub can_edit: bool,
    /// Villages in the caller's scope, most points first (empty while off).
    pub villages: Vec<VillagePointsOut>,
}

/// A township's setting as sent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PointsIn {
    /// The township (镇/街道).
    pub division_code: String,
    pub enabled: bool,
    /// Points per event type code; types left out earn none; empty gives the default.
    #[serde(default)]
    pub points: BTreeMap<String, i64>,
    /// The version read; absent for the first save.
    pub version: Option<i64>,
}

/// The township of a code in scope (a village's code gives its township).
async fn township_of(
    state: &AppState,
    scope: &Scope,
    code: Option<&str>,
    field: Option<&str>,
) -> ApiResult<DivisionRow> {
    let d = match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => division_in_scope(state, scope, c, field).await?,
        None => divisions::tree(&state.db, &scope.roots)
            .await?
            .into_iter()
            .find(|d| matches!(d.level, Level::Township | Level::Village))
            .ok_or_else(|| ApiError::field(field.unwrap_or("division"), "请选择镇（街道）"))?,
    };
    match d.level {
        Level::Township => Ok(d),
        Level::Village => Ok(divisions::by_id(&state.db, d.parent_id.unwrap_or(d.id)).await?),
        // Reading at the district (the statistics' drill-down): its first township,
        // with the page's picker for the others. A setting is never saved on it.
        _ if field.is_none() => divisions::tree(&state.db, std::slice::from_ref(&d.path))
            .await?
            .into_iter()
            .find(|t| t.level == Level::Township)
            .ok_or_else(|| ApiError::field("division", "该区划下没有镇（街道）")),
        _ => Err(ApiError::field(
            field.unwrap_or("division"),
            "积分制按镇（街道）设置，请选择镇（街道）或村（社区）",
        )),
    }
}

/// A township's setting and its villages' points of `year`.
pub(crate) async fn points_table(
    state: &AppState,
    p: &Principal,
    code: Option<&str>,
    year: Option<i32>,
) -> ApiResult<PointsOut> {
    let scope = p.require(Permission::ViewEducation)?;
    let year = year_param(year, state.clock.today())?;
    let town = township_of(state, &scope, code, None).await?;
    let (rule, version) = points::rule(&state.db, town.id).await?;
    let mut villages = Vec::new();
    if rule.enabled {
        let counts: Vec<(i64, EventKind, i64)> =
            points::village_counts(&state.db, &town.path, year)
                .await?
                .into_iter()
                .map(|c| (c.division_id, c.kind, c.n))
                .collect();
        let per = village_points(&rule, &counts);
        for d in divisions::tree(&state.db, std::slice::from_ref(&town.path)).await? {
            if d.parent_id != Some(town.id) || d.level != Level::Village || !scope.covers(&d.path) {
                continue;
            }
            let v = per.get(&d.id).cloned().unwrap_or_default();
            villages.push(VillagePointsOut {
                link: format!("/education?division={}&year={year}", d.code),
                code: d.code,
                name: d.name,
                events: v.events,
                points: v.points,
                by_kind: v
                    .by_kind
                    .iter()
                    .map(|(k, (n, pts))| KindPoints {
                        kind: *k,
                        label: k.label_zh(),
                        points: *pts,
                        events: *n,
                    })
                    .collect(),
            });
        }
        villages.sort_by(|a, b| b.points.cmp(&a.points).then(a.code.cmp(&b.code)));
    }
    Ok(PointsOut {
        can_edit: edit_scope(p, Permission::ManageEducation, &town.path),
        township_code: town.code,
        township_name: town.name,
        year,
        enabled: rule.enabled,
        points: EventKind::ALL
            .iter()
            .map(|k| KindPoints {
                kind: *k,
                label: k.label_zh(),
                points: rule.points.get(k).copied().unwrap_or(0),
                events: 0,
            })
            .collect(),
        version,
        villages,
    })
}

/// Saves a township's setting (ManageEducation over the township), at the version read.
pub(crate) async fn save_points(
    state: &AppState,
    p: &Principal,
    b: &PointsIn,
) -> ApiResult<PointsOut> {
    let scope = p.require(Permission::ManageEducation)?;
    let town = township_of(state, &scope, Some(&b.division_code), Some("division_code")).await?;
    if !scope.covers(&town.path) {
        return Err(ApiError::field(
            "division_code",
            "只有镇（街道）的管理人员可以设置积分制",
        ));
    }
    let points = if b.points.is_empty() {
        PointsRule::default().points
    } else {
        check_points(&b.points).map_err(invalid)?
    };
    let rule = PointsRule {
        enabled: b.enabled,
        points,
    };
    points::save(&state.db, &p.actor(), town.id, b.version, &rule).await?;
    points_table(state, p, Some(&town.code), None).await
}
