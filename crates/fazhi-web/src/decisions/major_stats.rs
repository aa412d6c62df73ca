//! The figures of major decisions (decisions by step and on time, `DecisionFigure`) with
//! their drill-down list, and the one statistics answer of the decisions stream
//! (`/api/v1/decisions/stats`, the page `/decisions/stats`): the desk, major decisions,
//! normative documents, contracts, the advisers' work and the 复议/诉讼 register, each
//! figure with the link to exactly the records it counts.

use fazhi_core::decisions::{DecisionFigure, DecisionStatus};
use fazhi_core::role::Permission;
use fazhi_db::decisions::major;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::adviser_wire::AdviserStatsOut;
use super::contract_wire::ContractStatsOut;
use super::litigation_wire::LitigationStatsOut;
use super::major_wire::DecisionOut;
use super::normative_wire::NormativeStatsOut;
use super::wire::ReviewStatsOut;
use crate::AppState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};

/// Query of `GET /api/v1/decisions`: the decisions of a year's catalogues.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
pub struct DecisionQuery {
    /// The catalogue's year (default this year).
    #[serde(default, deserialize_with = "super::blank_year")]
    pub year: Option<i32>,
    /// Only the decisions a figure counts (`DecisionFigure` code).
    pub figure: Option<String>,
    /// Only the decisions at this step (`DecisionStatus` code).
    pub status: Option<String>,
}

/// A count with the links to exactly the decisions it counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionCount {
    /// The figure's or the step's code.
    pub code: &'static str,
    pub label: &'static str,
    pub count: i64,
    pub list: String,
    pub api: String,
}

/// The major decisions' figures of a year's catalogues.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionStatsOut {
    pub year: i32,
    pub basis: &'static str,
    /// 按期决定率 in percent: decided within the year ÷ listed and not removed; none
    /// without a denominator.
    pub on_time_rate: Option<f64>,
    pub figures: Vec<DecisionCount>,
    /// By the step reached now.
    pub by_step: Vec<DecisionCount>,
}

/// Every figure of the decisions stream for a year: `GET /api/v1/decisions/stats`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionsStatsOut {
    pub year: i32,
    pub reviews: ReviewStatsOut,
    /// None for an account that may not read major decisions.
    pub major: Option<DecisionStatsOut>,
    pub normative: NormativeStatsOut,
    pub contracts: ContractStatsOut,
    pub advisers: AdviserStatsOut,
    pub litigation: LitigationStatsOut,
}

fn parse<T: std::str::FromStr<Err = fazhi_core::matter::UnknownCode>>(
    field: &str,
    v: &Option<String>,
) -> ApiResult<Option<T>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse::<T>()
            .map(Some)
            .map_err(|e| ApiError::field(field, e.to_string())),
    }
}

/// The decisions of the catalogues of `year` in scope, with their states.
async fn of_year(
    state: &AppState,
    p: &Principal,
    year: i32,
) -> ApiResult<Vec<(major::DecisionRow, fazhi_core::decisions::DecisionState)>> {
    let scope = p.require(Permission::ViewDecisions)?;
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::field("year", "年份须在2000到2100之间"));
    }
    let mut out = Vec::new();
    for c in major::catalogues(&state.db, &scope.roots).await? {
        if c.year != i64::from(year) {
            continue;
        }
        for d in major::of_catalogue(&state.db, c.id).await? {
            let s = d.state()?;
            out.push((d, s));
        }
    }
    Ok(out)
}

/// The decisions of a year's catalogues in scope; `figure` and `status` list exactly
/// the decisions a figure or a step counts.
pub(crate) async fn list(
    state: &AppState,
    p: &Principal,
    q: &DecisionQuery,
) -> ApiResult<Vec<DecisionOut>> {
    let year = q.year.unwrap_or_else(|| state.clock.today().year());
    let figure = parse::<DecisionFigure>("figure", &q.figure)?;
    let status = parse::<DecisionStatus>("status", &q.status)?;
    let today = state.clock.today();
    Ok(of_year(state, p, year)
        .await?
        .iter()
        .filter(|(_, s)| {
            figure.is_none_or(|f| f.counts(s, year, today)) && status.is_none_or(|x| s.status == x)
        })
        .map(|(r, s)| DecisionOut::of(r, s))
        .collect())
}

/// The figures of a year's catalogues: by step and on time.
pub(crate) async fn stats(
    state: &AppState,
    p: &Principal,
    year: i32,
) -> ApiResult<DecisionStatsOut> {
    let today = state.clock.today();
    let all = of_year(state, p, year).await?;
    let link = |k: &str, code: &str, api: bool| {
        if api {
            format!("/api/v1/decisions?year={year}&{k}={code}")
        } else {
            format!("/decisions/major/list?year={year}&{k}={code}")
        }
    };
    let count =
        |f: DecisionFigure| all.iter().filter(|(_, s)| f.counts(s, year, today)).count() as i64;
    let figures: Vec<DecisionCount> = DecisionFigure::ALL
        .iter()
        .map(|f| DecisionCount {
            code: f.as_str(),
            label: f.label_zh(),
            count: count(*f),
            list: link("figure", f.as_str(), false),
            api: link("figure", f.as_str(), true),
        })
        .collect();
    let by_step = DecisionStatus::ALL
        .iter()
        .map(|st| DecisionCount {
            code: st.as_str(),
            label: st.label_zh(),
            count: all.iter().filter(|(_, s)| s.status == *st).count() as i64,
            list: link("status", st.as_str(), false),
            api: link("status", st.as_str(), true),
        })
        .collect();
    let due = count(DecisionFigure::Listed) - count(DecisionFigure::Removed);
    let on_time = count(DecisionFigure::DecidedOnTime);
    Ok(DecisionStatsOut {
        year,
        basis: "统计口径：本年度决策事项目录中的事项（含调出目录的）；按期决定指在目录年度内经集体讨论决定，逾期指目录年度内未决定（年度未结束的不计）；按期决定率 = 按期决定 ÷ （列入目录 − 调出目录）",
        on_time_rate: (due > 0).then(|| (on_time as f64 * 10000.0 / due as f64).round() / 100.0),
        figures,
        by_step,
    })
}

/// Every figure of the year, as `/decisions/stats` shows them.
pub(crate) async fn all(
    state: &AppState,
    p: &Principal,
    year: i32,
) -> ApiResult<DecisionsStatsOut> {
    let reviews = super::app::stats(state, p, year).await?;
    let major = if p.can(Permission::ViewDecisions) {
        Some(stats(state, p, year).await?)
    } else {
        None
    };
    Ok(DecisionsStatsOut {
        year,
        reviews,
        major,
        normative: super::normative_app::stats(state, p, year).await?,
        contracts: super::contract_app::stats(state, p, year).await?,
        advisers: super::adviser_app::stats(state, p, year).await?,
        litigation: super::litigation_app::stats(state, p, year).await?,
    })
}
