//! `/dashboard`: the figures of a township or the district for a period, with charts
//! drawn on the server as SVG (charts-rs) and every figure linking to the matters it
//! counts. The district view puts its townships side by side.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use charts_rs::{BarChart, HorizontalBarChart, LineChart, Series};
use fazhi_core::role::Permission;

use super::super::stats_api::{self, Figures, MatterStats, StatsQuery};
use super::{error_page, forbidden};
use crate::AppState;
use crate::auth::PageUser;
use crate::pages::{Chrome, render, url_encode};

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/dashboard", get(page))
}

/// One key figure with its explanation and the list it counts.
struct Card {
    label: &'static str,
    value: String,
    rule: String,
    href: String,
}

#[derive(Template)]
#[template(path = "matters/dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    stats: MatterStats,
    cards: Vec<Card>,
    charts: Vec<ChartView>,
    townships: Vec<(Figures, String)>,
    division: String,
    /// The places to pick the area from: townships, and villages under them.
    places: Vec<super::PlaceChoice>,
}

/// A chart with the numbers it draws, as a table beside it.
struct ChartView {
    name: String,
    svg: String,
    headers: Vec<&'static str>,
    rows: Vec<(String, Vec<String>)>,
}

fn rate(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |r| format!("{r:.2}%"))
}

const FONT: &str = "sans-serif";

/// A horizontal bar chart of one value per label (the largest `top`).
fn hbar(title: &str, rows: &[(String, f32)], top: usize) -> Option<String> {
    let mut rows: Vec<&(String, f32)> = rows.iter().filter(|(_, v)| *v > 0.0).collect();
    if rows.is_empty() {
        return None;
    }
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    rows.truncate(top);
    rows.reverse(); // largest at the top
    let labels = rows.iter().map(|(l, _)| l.clone()).collect();
    let values: Vec<f32> = rows.iter().map(|(_, v)| *v).collect();
    let mut c = HorizontalBarChart::new(vec![Series::from(("件数", values))], labels);
    // Room for the longest label in full (about 15 px per Chinese character).
    let longest = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(4);
    c.margin.left = (16.0 * longest as f32 + 12.0).clamp(90.0, 300.0);
    c.width = 560.0 + c.margin.left;
    c.height = 60.0 + 28.0 * rows.len() as f32;
    c.font_family = FONT.into();
    c.title.text = title.into();
    c.series_label_position = Some(charts_rs::Position::Right);
    c.svg().ok()
}

fn trend(stats: &MatterStats) -> Option<String> {
    if stats.by_month.is_empty() {
        return None;
    }
    let months = stats.by_month.iter().map(|m| m.label.clone()).collect();
    let received: Vec<f32> = stats.by_month.iter().map(|m| m.received as f32).collect();
    let resolved: Vec<f32> = stats.by_month.iter().map(|m| m.resolved as f32).collect();
    let mut c = LineChart::new(
        vec![
            Series::from(("受理登记", received)),
            Series::from(("化解", resolved)),
        ],
        months,
    );
    c.width = 640.0;
    c.height = 320.0;
    c.font_family = FONT.into();
    c.title.text = "月度趋势".into();
    c.svg().ok()
}

fn townships_chart(stats: &MatterStats) -> Option<String> {
    if stats.by_township.is_empty() {
        return None;
    }
    let names = stats.by_township.iter().map(|t| t.label.clone()).collect();
    let get = |f: fn(&Figures) -> i64| -> Vec<f32> {
        stats.by_township.iter().map(|t| f(t) as f32).collect()
    };
    let mut c = BarChart::new(
        vec![
            Series::from(("受理登记", get(|t| t.received))),
            Series::from(("化解", get(|t| t.resolved))),
            Series::from(("办结", get(|t| t.closed))),
        ],
        names,
    );
    c.width = 640.0;
    c.height = 320.0;
    c.font_family = FONT.into();
    c.title.text = "各镇街对比".into();
    c.svg().ok()
}

async fn page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<StatsQuery>,
) -> Response {
    let Ok(scope) = p.require(Permission::ViewMatters) else {
        return forbidden(&p);
    };
    let stats = match stats_api::compute(&state, &scope, &q).await {
        Ok(s) => s,
        Err(e) => return error_page(e, &p),
    };
    let list = |figure: &str, extra: &str| {
        format!(
            "/matters?division_code={}&from={}&to={}&figure={figure}{extra}",
            url_encode(&stats.division_code),
            url_encode(&stats.from),
            url_encode(&stats.to)
        )
    };
    let rule = |key: &str| {
        stats
            .definitions
            .iter()
            .find(|d| d.key == key)
            .map(|d| d.rule.clone())
            .unwrap_or_default()
    };
    let t = &stats.total;
    let cards = vec![
        Card {
            label: "受理登记",
            value: t.received.to_string(),
            rule: rule("received"),
            href: list("received", ""),
        },
        Card {
            label: "化解率",
            value: rate(t.resolution_rate),
            rule: rule("resolution_rate"),
            href: list("resolved", ""),
        },
        Card {
            label: "办结率",
            value: rate(t.completion_rate),
            rule: rule("completion_rate"),
            href: list("closed", ""),
        },
        Card {
            label: "按期办结率",
            value: rate(t.on_time_rate),
            rule: rule("on_time_rate"),
            href: list("closed_on_time", ""),
        },
        Card {
            label: "满意率",
            value: rate(t.satisfaction_rate),
            rule: rule("satisfaction_rate"),
            href: list("satisfied", ""),
        },
        Card {
            label: "参评率",
            value: rate(t.evaluated_rate),
            rule: rule("evaluated_rate"),
            href: list("evaluated", ""),
        },
        Card {
            label: "重复信访",
            value: t.repeats.to_string(),
            rule: rule("repeats"),
            href: list("repeats", ""),
        },
        Card {
            label: "重新办理",
            value: t.reopened.to_string(),
            rule: rule("reopened"),
            href: list("reopened", ""),
        },
    ];
    let pairs = |rows: &[Figures]| -> Vec<(String, f32)> {
        rows.iter()
            .map(|r| (r.label.clone(), r.received as f32))
            .collect()
    };
    let today = state.clock.today().to_string();
    let workload =
        match fazhi_db::matters::read::workload_by_handler(&state.db, &scope.roots, &today).await {
            Ok(o) => o,
            Err(e) => return error_page(e, &p),
        };
    // Over several townships a handler is named with its township (villages repeat).
    let several = workload
        .iter()
        .filter_map(|o| o.township_name.as_deref())
        .collect::<std::collections::BTreeSet<_>>()
        .len()
        > 1;
    let name = |o: &fazhi_db::matters::WorkloadRow| {
        let own = o
            .assignee_name
            .clone()
            .unwrap_or_else(|| format!("#{}", o.assignee_id));
        match o.township_name.as_deref() {
            Some(t) if several && !own.starts_with(t) => format!("{own}（{t}）"),
            _ => own,
        }
    };
    let overdue = workload
        .iter()
        .filter(|o| o.overdue > 0)
        .map(|o| (name(o), o.overdue as f32))
        .collect::<Vec<_>>();
    let mut busiest: Vec<_> = workload.iter().collect();
    busiest.sort_by_key(|o| std::cmp::Reverse(o.open));
    let in_hand = busiest
        .into_iter()
        .map(|o| (name(o), o.open as f32))
        .collect::<Vec<_>>();
    let counts = |rows: &[(String, f32)]| -> Vec<(String, Vec<String>)> {
        rows.iter()
            .map(|(l, v)| (l.clone(), vec![format!("{v}")]))
            .collect()
    };
    let figs = |rows: &[Figures]| -> Vec<(String, Vec<String>)> {
        rows.iter()
            .map(|r| {
                (
                    r.label.clone(),
                    vec![
                        r.received.to_string(),
                        r.resolved.to_string(),
                        r.closed.to_string(),
                    ],
                )
            })
            .collect()
    };
    let three = vec!["受理登记", "化解", "办结"];
    let one = vec!["件数"];
    let charts = [
        (
            "月度趋势",
            trend(&stats),
            three.clone(),
            figs(&stats.by_month),
        ),
        (
            "各镇街对比",
            townships_chart(&stats),
            three.clone(),
            figs(&stats.by_township),
        ),
        (
            "按来源渠道",
            hbar("按来源渠道（件）", &pairs(&stats.by_channel), 12),
            three.clone(),
            figs(&stats.by_channel),
        ),
        (
            "按事项类别",
            hbar("按事项类别（件）", &pairs(&stats.by_category), 12),
            three.clone(),
            figs(&stats.by_category),
        ),
        (
            "按村（社区）",
            hbar("按村（社区）前15位（件）", &pairs(&stats.by_village), 15),
            three,
            figs(&stats.by_village),
        ),
        (
            "在办工作量（按承办单位）",
            hbar("当前在办（件，含待签收、待审核）", &in_hand, 12),
            one.clone(),
            counts(&in_hand),
        ),
        (
            "超期在办（按承办单位）",
            hbar("当前超期在办（件）", &overdue, 12),
            one,
            counts(&overdue),
        ),
    ]
    .into_iter()
    .filter_map(|(name, svg, headers, rows)| {
        svg.map(|svg| ChartView {
            name: name.to_string(),
            svg,
            headers,
            rows,
        })
    })
    .collect();
    let places = match super::place_choices(&state, &scope).await {
        Ok(places) => places,
        Err(e) => return error_page(e, &p),
    };
    let townships = stats
        .by_township
        .iter()
        .map(|f| {
            let href = format!(
                "/dashboard?division={}&from={}&to={}",
                url_encode(&f.key),
                url_encode(&stats.from),
                url_encode(&stats.to)
            );
            (f.clone(), href)
        })
        .collect();
    render(&DashboardPage {
        chrome: Chrome::new(&p, "/dashboard"),
        division: q.division.clone().unwrap_or_default(),
        cards,
        charts,
        townships,
        places,
        stats,
    })
}
