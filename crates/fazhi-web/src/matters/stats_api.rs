//! `GET /api/v1/stats/matters`: the figures townships print in their annual reports
//! (化解率, 办结率, 满意率 …), computed from the records with the definitions of
//! `fazhi_core::stats`, with breakdowns by channel, category, kind, village and month.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use fazhi_core::matter::{Channel, Kind};
use fazhi_core::role::Permission;
use fazhi_core::stats::{DEFINITIONS, MatterCounts, MatterRates};
use fazhi_db::matters::stats::tallies;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::wire::parse_date;
use crate::AppState;
use crate::admin::api::division_in_scope;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiQuery;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(matter_stats))
}

/// Query of the statistics.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// 12-digit division code (township, district, village); defaults to the caller's area.
    pub division: Option<String>,
    /// First day received (YYYY-MM-DD); defaults to 1 January of this year.
    pub from: Option<String>,
    /// Last day received; defaults to today.
    pub to: Option<String>,
}

/// Counts and rates of one group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Figures {
    /// Group key (a code, a month `YYYY-MM` or a division code); empty for the total.
    pub key: String,
    /// Chinese label of the group.
    pub label: String,
    pub received: i64,
    pub accepted: i64,
    pub resolved: i64,
    pub closed: i64,
    pub closed_on_time: i64,
    pub evaluated: i64,
    pub satisfied: i64,
    pub repeats: i64,
    /// 重新办理: sent back after a dissatisfied follow-up.
    pub reopened: i64,
    /// Percent, two decimals; null when nothing to divide by.
    pub resolution_rate: Option<f64>,
    pub completion_rate: Option<f64>,
    pub on_time_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
    pub evaluated_rate: Option<f64>,
}

impl Figures {
    fn new(key: String, label: String, c: MatterCounts) -> Figures {
        let MatterRates {
            resolution_rate,
            completion_rate,
            on_time_rate,
            satisfaction_rate,
            evaluated_rate,
        } = c.rates();
        Figures {
            key,
            label,
            received: c.received,
            accepted: c.accepted,
            resolved: c.resolved,
            closed: c.closed,
            closed_on_time: c.closed_on_time,
            evaluated: c.evaluated,
            satisfied: c.satisfied,
            repeats: c.repeats,
            reopened: c.reopened,
            resolution_rate,
            completion_rate,
            on_time_rate,
            satisfaction_rate,
            evaluated_rate,
        }
    }
}

/// How a figure is counted.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Definition {
    pub key: String,
    pub name: String,
    pub rule: String,
}

/// The statistics of one area and period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatterStats {
    pub division_code: String,
    pub division_name: String,
    pub from: String,
    pub to: String,
    /// The totals (the same fields as every breakdown row).
    #[serde(flatten)]
    pub total: Figures,
    pub by_channel: Vec<Figures>,
    pub by_category: Vec<Figures>,
    pub by_kind: Vec<Figures>,
    /// Per village or community (the matter's place); over several townships labelled
    /// with its township, 东山村（青石镇）, as names repeat across townships.
    pub by_village: Vec<Figures>,
    /// Per township, when the area holds several.
    pub by_township: Vec<Figures>,
    pub by_month: Vec<Figures>,
    pub definitions: Vec<Definition>,
}

/// Statistics of matters received in a period in one area, with breakdowns.
#[utoipa::path(get, path = "/api/v1/stats/matters", tag = "statistics", params(StatsQuery),
    responses((status = 200, body = MatterStats), (status = 400, body = ErrorBody)))]
pub(crate) async fn matter_stats(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Json<MatterStats>> {
    let scope = p.require(Permission::ViewMatters)?;
    Ok(Json(compute(&state, &scope, &q).await?))
}

pub(crate) async fn compute(
    state: &AppState,
    scope: &fazhi_core::role::Scope,
    q: &StatsQuery,
) -> ApiResult<MatterStats> {
    let today = state.clock.today();
    let date = |field: &str, v: &Option<String>, default: time::Date| match v
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        None => Ok(default),
        Some(s) => {
            parse_date(s.trim()).ok_or_else(|| ApiError::field(field, "日期格式须为YYYY-MM-DD"))
        }
    };
    let jan1 =
        time::Date::from_calendar_date(today.year(), time::Month::January, 1).unwrap_or(today);
    let from = date("from", &q.from, jan1)?;
    let to = date("to", &q.to, today)?;
    if from > to {
        return Err(ApiError::field("from", "开始日期不能晚于结束日期"));
    }
    let all_divisions = fazhi_db::admin::divisions::tree(&state.db, &scope.roots).await?;
    let area = match q.division.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(code) => division_in_scope(state, scope, code.trim(), Some("division")).await?,
        None => all_divisions
            .iter()
            .filter(|d| scope.roots.contains(&d.path))
            .min_by_key(|d| d.path.len())
            .cloned()
            .ok_or_else(ApiError::forbidden)?,
    };
    let (f, t) = (from.to_string(), to.to_string());
    let tally = tallies(&state.db, &scope.roots, Some(&area.path), &f, &t, true).await?;
    // Each breakdown sums the tallies over the other keys.
    fn sum<K: Ord>(rows: impl Iterator<Item = (K, MatterCounts)>) -> Vec<(K, MatterCounts)> {
        let mut out = BTreeMap::<K, MatterCounts>::new();
        for (k, c) in rows {
            *out.entry(k).or_default() += c;
        }
        out.into_iter().collect()
    }
    let place_month = &tally.by_place_month;
    let class = &tally.by_class;
    let by_division = sum(place_month.iter().map(|((d, _), c)| (d.to_string(), *c)));
    let mut total = MatterCounts::default();
    let names: BTreeMap<String, &fazhi_db::admin::divisions::DivisionRow> = all_divisions
        .iter()
        .map(|d| (d.id.to_string(), d))
        .collect();
    let mut townships: BTreeMap<String, (String, MatterCounts)> = BTreeMap::new();
    let mut by_village = Vec::new();
    for (id, c) in &by_division {
        total += *c;
        let Some(d) = names.get(id) else { continue };
        let township = if d.level == fazhi_core::division::Level::Village {
            d.parent_id.and_then(|p| names.get(&p.to_string())).copied()
        } else {
            Some(*d)
        };
        let tw_name = township.map(|t| t.name.clone()).unwrap_or_default();
        by_village.push((Figures::new(d.code.clone(), d.name.clone(), *c), tw_name));
        if let Some(tw) = township {
            let e = townships
                .entry(tw.code.clone())
                .or_insert_with(|| (tw.name.clone(), MatterCounts::default()));
            e.1 += *c;
        }
    }
    // Over more than one township a village is named with its own: names repeat.
    let by_village: Vec<Figures> = by_village
        .into_iter()
        .map(|(mut f, tw)| {
            if townships.len() > 1 && !tw.is_empty() && tw != f.label {
                f.label = format!("{}（{tw}）", f.label);
            }
            f
        })
        .collect();
    let by_township = if townships.len() > 1 {
        townships
            .into_iter()
            .map(|(code, (name, c))| Figures::new(code, name, c))
            .collect()
    } else {
        Vec::new()
    };
    let label_with = |rows: Vec<(String, MatterCounts)>, f: &dyn Fn(&str) -> String| {
        rows.into_iter()
            .map(|(k, c)| {
                let l = f(&k);
                Figures::new(k, l, c)
            })
            .collect::<Vec<_>>()
    };
    let by_channel = label_with(
        sum(class.iter().map(|((ch, _, _), c)| (ch.clone(), *c))),
        &|k| {
            k.parse::<Channel>()
                .map_or_else(|_| k.to_string(), |c| c.label_zh().to_string())
        },
    );
    let by_kind = label_with(
        sum(class.iter().map(|((_, k, _), c)| (k.clone(), *c))),
        &|k| {
            k.parse::<Kind>()
                .map_or_else(|_| k.to_string(), |c| c.label_zh().to_string())
        },
    );
    let by_category = label_with(
        sum(class.iter().map(|((_, _, cat), c)| (cat.clone(), *c))),
        &|k| state.matters.category_label(k),
    );
    // A month the period cuts (the current one, most often) says so: its count is partial.
    let (first_day, last_day) = (f.get(8..10).unwrap_or("01"), t.get(8..10).unwrap_or(""));
    let (first_month, last_month) = (f.get(..7).unwrap_or(""), t.get(..7).unwrap_or(""));
    let last_is_end = parse_date(&t)
        .and_then(|d| d.next_day())
        .is_some_and(|n| n.day() == 1);
    let by_month = label_with(
        sum(place_month.iter().map(|((_, m), c)| (m.clone(), *c))),
        &|k| {
            let base = k.split_once('-').map_or_else(
                || k.to_string(),
                |(y, m)| format!("{y}年{}月", m.trim_start_matches('0')),
            );
            if k == last_month && !last_is_end {
                format!(
                    "{base}（截至{}日，未满月）",
                    last_day.trim_start_matches('0')
                )
            } else if k == first_month && first_day != "01" {
                format!(
                    "{base}（自{}日起，未满月）",
                    first_day.trim_start_matches('0')
                )
            } else {
                base
            }
        },
    );
    Ok(MatterStats {
        division_code: area.code.clone(),
        division_name: area.name.clone(),
        from: f,
        to: t,
        total: Figures::new(String::new(), "合计".into(), total),
        by_channel,
        by_category,
        by_kind,
        by_village,
        by_township,
        by_month,
        definitions: DEFINITIONS
            .iter()
            .map(|(k, n, r)| Definition {
                key: (*k).into(),
                name: (*n).into(),
                rule: (*r).into(),
            })
            .collect(),
    })
}
