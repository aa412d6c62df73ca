//! Matter pages: the ledger, intake and grid reports, my tasks, the detail page with
//! its action forms, overdue lists, public tracking and the public form, and the
//! holiday calendar. Every form goes through the API's functions (`super::api`), so
//! validation, scoping and the workflow rules are written once.

mod dashboard;
mod detail;
mod import;
mod intake;
mod public;
mod saved;
mod settings;
mod sweeps;

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use fazhi_core::division::Level;
use fazhi_core::matter::{Kind, Status};
use fazhi_core::role::{Permission, Scope};
use fazhi_db::admin::divisions::{self, DivisionRow};
use fazhi_db::matters::{self as store, MatterFilter, MatterSort, OPEN_STATUSES};
use serde::Deserialize;

use super::app;
use super::wire::{CodeLabel, MatterOut, MatterQuery};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::error::{ApiError, ApiResult};
use crate::page_error::PageError;
use crate::pages::{Chrome, Figure, render, url_encode};

const MATTERS_JS: &str = include_str!("../../../static/matters.js");

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/matters", get(list_page))
        .route("/matters/overdue", get(overdue_page))
        .route("/tasks", get(tasks_page))
        .route(
            "/static/matters.js",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                        (header::CACHE_CONTROL, "max-age=3600"),
                    ],
                    MATTERS_JS,
                )
            }),
        )
        .merge(intake::routes())
        .merge(saved::routes())
        .merge(import::routes())
        .merge(detail::routes())
        .merge(public::routes())
        .merge(settings::routes())
        .merge(sweeps::routes())
        .merge(dashboard::routes())
}

// ---- shared helpers ----------------------------------------------------------------

/// Flash messages travel in the query string after a redirect.
#[derive(Deserialize, Default)]
pub(crate) struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

/// An HTML page for a failure (pages never answer JSON).
pub(crate) fn error_page(e: impl Into<ApiError>, p: &Principal) -> Response {
    PageError::of(e, p, "").into_response()
}

pub(crate) use crate::page_error::forbidden;

/// An error on a public page (no login, no navigation).
pub(crate) fn public_error_page(e: ApiError) -> Response {
    PageError::from(e).into_response()
}

/// One line for a failure: the message, plus field messages that say more.
pub(crate) fn error_text(e: &ApiError) -> String {
    let extra: Vec<&String> = e
        .body
        .fields
        .values()
        .filter(|m| **m != e.body.message)
        .collect();
    if extra.is_empty() {
        e.body.message.clone()
    } else {
        let extra: Vec<&str> = extra.iter().map(|s| s.as_str()).collect();
        format!("{}：{}", e.body.message, extra.join("；"))
    }
}

/// Redirect after a successful post (303, so a reload does not post again).
pub(crate) fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// Villages and communities in a scope, for selects.
pub(crate) async fn villages_in(state: &AppState, scope: &Scope) -> ApiResult<Vec<PlaceGroup>> {
    let all = divisions::tree(&state.db, &scope.roots).await?;
    let mut groups: Vec<PlaceGroup> = Vec::new();
    for v in all.iter().filter(|d| d.level == Level::Village) {
        // Villages of the same name in two townships: each shows under its own.
        let township = all
            .iter()
            .find(|d| Some(d.id) == v.parent_id)
            .map_or_else(String::new, |t| t.name.clone());
        match groups.iter_mut().find(|g| g.township == township) {
            Some(g) => g.villages.push(v.clone()),
            None => groups.push(PlaceGroup {
                township,
                villages: vec![v.clone()],
            }),
        }
    }
    Ok(groups)
}

/// A township's (code, name) and its villages' (code, name).
pub(crate) type PlaceChoice = (String, String, Vec<(String, String)>);

/// The places in scope to pick an area from, townships with their villages (the
/// dashboard's and the sweep page's area), instead of a typed 12-digit code.
pub(crate) async fn place_choices(state: &AppState, scope: &Scope) -> ApiResult<Vec<PlaceChoice>> {
    let groups = villages_in(state, scope).await?;
    let tree = divisions::tree(&state.db, &scope.roots).await?;
    Ok(groups
        .into_iter()
        .map(|g| {
            let code = g
                .villages
                .first()
                .and_then(|v| v.parent_id)
                .and_then(|pid| tree.iter().find(|d| d.id == pid))
                .map(|t| t.code.clone())
                .unwrap_or_default();
            let villages = g.villages.into_iter().map(|v| (v.code, v.name)).collect();
            (code, g.township, villages)
        })
        .collect())
}

/// The villages of one township, for grouped choices.
pub(crate) struct PlaceGroup {
    pub township: String,
    pub villages: Vec<DivisionRow>,
}

fn labels<T: Copy>(all: &[T], f: impl Fn(T) -> (&'static str, &'static str)) -> Vec<CodeLabel> {
    all.iter()
        .map(|v| {
            let (code, label) = f(*v);
            CodeLabel {
                code: code.into(),
                label: label.into(),
            }
        })
        .collect()
}

/// A matter in a list, with the step it waits for.
pub(crate) struct Row {
    pub m: MatterOut,
    pub next: &'static str,
    /// Where it arose as the list shows it: the village, with its township when the
    /// list spans several (villages of the same name exist in two townships).
    pub place: String,
    /// The handler's name, a village's with its township as `place`.
    pub handler: Option<String>,
}

impl Row {
    /// The summary cut to a list cell.
    pub fn short(&self) -> String {
        let s = &self.m.summary;
        if s.chars().count() > 40 {
            format!("{}…", s.chars().take(40).collect::<String>())
        } else {
            s.clone()
        }
    }

    pub fn supervision_label(&self) -> &'static str {
        self.m.supervision.map_or("督办", |l| l.label_zh())
    }
}

fn rows(items: Vec<MatterOut>) -> Vec<Row> {
    items
        .into_iter()
        .map(|m| Row {
            next: m.status.next_step_zh(),
            place: m.division_name.clone(),
            handler: m.assignee.as_ref().and_then(|a| a.name.clone()),
            m,
        })
        .collect()
}

/// Names each row's village with its township when `groups` (the places in scope)
/// span several townships.
fn with_townships(mut rows: Vec<Row>, groups: &[PlaceGroup]) -> Vec<Row> {
    if groups.len() > 1 {
        for r in &mut rows {
            let town = groups
                .iter()
                .find(|g| g.villages.iter().any(|v| v.code == r.m.division_code));
            if let Some(g) = town.filter(|g| !g.township.is_empty()) {
                r.place = format!("{}（{}）", r.m.division_name, g.township);
            }
            let village =
                r.m.assignee
                    .as_ref()
                    .filter(|a| a.kind == fazhi_core::matter::AssigneeKind::Division);
            let handler_town = village.and_then(|a| {
                groups
                    .iter()
                    .find(|g| g.villages.iter().any(|v| v.id == a.id))
            });
            if let (Some(g), Some(n)) = (handler_town, &r.handler)
                && !g.township.is_empty()
            {
                r.handler = Some(format!("{n}（{}）", g.township));
            }
        }
    }
    rows
}

// ---- the ledger --------------------------------------------------------------------

/// Filters of the ledger page (all text, so an empty field is simply "any").
#[derive(Deserialize, Default, Clone)]
pub(crate) struct ListForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    division_code: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    assignee_kind: String,
    #[serde(default)]
    assignee_id: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    after: String,
    #[serde(default)]
    before: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    figure: String,
    #[serde(default)]
    risk: String,
    #[serde(default)]
    closure_type: String,
    #[serde(default)]
    urgent: String,
    #[serde(default)]
    repeat: String,
    /// The page's number, carried by the links (the pages are keyset pages).
    #[serde(default)]
    page: String,
    /// After saving this query: its name; a refusal's message.
    #[serde(default)]
    saved: String,
    #[serde(default)]
    saved_err: String,
}

impl ListForm {
    fn query(&self) -> Result<MatterQuery, ApiError> {
        let num = |field: &str, v: &str| -> Result<Option<i64>, ApiError> {
            match v.trim() {
                "" => Ok(None),
                s => s
                    .parse()
                    .map(Some)
                    .map_err(|_| ApiError::field(field, "须为整数")),
            }
        };
        let text = |v: &str| Some(v.trim().to_string()).filter(|s| !s.is_empty());
        Ok(MatterQuery {
            status: text(&self.status),
            kind: text(&self.kind),
            division_code: text(&self.division_code),
            overdue: (!self.overdue.is_empty()).then_some(true),
            q: text(&self.q),
            assignee_kind: text(&self.assignee_kind),
            assignee_id: num("assignee_id", &self.assignee_id)?,
            sort: text(&self.sort),
            after: text(&self.after),
            before: num("before", &self.before)?,
            category: text(&self.category),
            from: text(&self.from),
            to: text(&self.to),
            figure: text(&self.figure),
            risk: text(&self.risk),
            closure_type: text(&self.closure_type),
            urgent: (!self.urgent.is_empty()).then_some(true),
            repeat: match self.repeat.as_str() {
                "1" | "true" => Some(true),
                "0" | "false" => Some(false),
                _ => None,
            },
            ..MatterQuery::default()
        })
    }

    /// The filters that are set, as (name, value), without the order.
    fn filters(&self) -> impl Iterator<Item = (&'static str, &String)> {
        [
            ("status", &self.status),
            ("kind", &self.kind),
            ("division_code", &self.division_code),
            ("overdue", &self.overdue),
            ("q", &self.q),
            ("assignee_kind", &self.assignee_kind),
            ("assignee_id", &self.assignee_id),
            ("category", &self.category),
            ("from", &self.from),
            ("to", &self.to),
            ("figure", &self.figure),
            ("risk", &self.risk),
            ("closure_type", &self.closure_type),
            ("urgent", &self.urgent),
            ("repeat", &self.repeat),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
    }

    /// The filters and order that are set, as (name, value), for hidden form fields.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        self.filters()
            .chain(
                [("sort", &self.sort)]
                    .into_iter()
                    .filter(|(_, v)| !v.is_empty()),
            )
            .map(|(k, v)| (k, v.clone()))
            .collect()
    }

    /// The query string of these filters and order with another cursor.
    fn with_cursor(&self, sort: MatterSort, cursor: &str) -> String {
        let mut s: String = self
            .filters()
            .map(|(k, v)| format!("{k}={}&", url_encode(v)))
            .collect();
        s.push_str(&format!(
            "sort={}&after={}&page={}",
            sort.as_str(),
            url_encode(cursor),
            self.page_number() + 1
        ));
        s
    }

    /// The number of this page (1 without a cursor).
    fn page_number(&self) -> i64 {
        if self.after.is_empty() && self.before.is_empty() {
            return 1;
        }
        self.page.parse().ok().filter(|n| *n >= 1).unwrap_or(2)
    }

    /// The query string of the filters and order, from the first page.
    fn first_page(&self) -> String {
        self.pairs()
            .iter()
            .map(|(k, v)| format!("{k}={}", url_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[derive(Template)]
#[template(path = "matters/list.html")]
struct ListPage {
    chrome: Chrome,
    f: ListForm,
    error: Option<String>,
    rows: Vec<Row>,
    next: Option<String>,
    /// The orders to choose from (the form keeps the one asked for).
    sorts: Vec<CodeLabel>,
    statuses: Vec<CodeLabel>,
    kinds: Vec<CodeLabel>,
    villages: Vec<PlaceGroup>,
    handler: Option<String>,
    can_register: bool,
    /// The user's saved queries.
    saved_queries: Vec<fazhi_db::matters::saved::SavedQuery>,
    /// The number of matters the filters give (counted up to [`COUNT_CAP`]).
    total: Option<i64>,
    total_capped: bool,
    page_no: i64,
    pages: Option<i64>,
    first_page: Option<String>,
    /// The statistic a drill-down link carried.
    figure_label: Option<String>,
    categories: Vec<crate::matters::config::CategoryItem>,
    risks: Vec<CodeLabel>,
    closure_types: Vec<CodeLabel>,
}

/// Page size of the ledger.
const PAGE: i64 = 50;

/// The ledger counts its matches up to this many.
const COUNT_CAP: i64 = 10_000;

async fn list_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(f): Query<ListForm>,
) -> Response {
    let Ok(scope) = p.require(Permission::ViewMatters) else {
        return forbidden(&p);
    };
    let result = async {
        let q = f.query()?;
        let (sort, after) = app::order_of(&q)?;
        let filter = app::filter_of(&state, &p, &scope, &q).await?;
        let items =
            store::read::list(&state.db, &scope.roots, &filter, sort, after.as_ref(), PAGE).await?;
        let total =
            store::read::count_up_to(&state.db, &scope.roots, &filter, Some(COUNT_CAP)).await?;
        Ok::<_, ApiError>((sort, items, total))
    }
    .await;
    let today = state.clock.today();
    let (sort, items, total, error) = match result {
        Ok((sort, items, total)) => (sort, items, Some(total), None),
        Err(e) if e.status.is_client_error() => (
            MatterSort::parse(f.sort.trim()).unwrap_or_default(),
            Vec::new(),
            None,
            Some(error_text(&e)),
        ),
        Err(e) => return error_page(e, &p),
    };
    let page_no = f.page_number();
    let pages = total.map(|t| ((t + PAGE - 1) / PAGE).max(1));
    let next = (items.len() as i64 == PAGE)
        .then(|| {
            items
                .last()
                .map(|r| f.with_cursor(sort, &sort.cursor_of(r).encode()))
        })
        .flatten();
    let handler = match (f.assignee_kind.as_str(), f.assignee_id.parse::<i64>()) {
        ("unit", Ok(id)) => fazhi_db::admin::units::by_id(&state.db, id)
            .await
            .ok()
            .map(|u| u.name),
        ("division", Ok(id)) => divisions::by_id(&state.db, id).await.ok().map(|d| d.name),
        _ => None,
    };
    let villages = match villages_in(&state, &scope).await {
        Ok(v) => v,
        Err(e) => return error_page(e, &p),
    };
    let figure_label = fazhi_core::stats::Figure::from_key(f.figure.trim()).map(|fig| {
        fazhi_core::stats::DEFINITIONS
            .iter()
            .find(|(k, _, _)| *k == fig.key())
            .map_or(fig.key().to_string(), |(_, label, _)| label.to_string())
    });
    render(&ListPage {
        chrome: Chrome::new(&p, "/matters"),
        saved_queries: match fazhi_db::matters::saved::of_user(&state.db, p.user_id).await {
            Ok(s) => s,
            Err(e) => return error_page(ApiError::from(e), &p),
        },
        total,
        total_capped: total.is_some_and(|t| t > COUNT_CAP),
        page_no,
        pages,
        first_page: (page_no > 1).then(|| f.first_page()),
        figure_label,
        categories: state.matters.categories(),
        risks: labels(fazhi_core::matter::RiskLevel::ALL, |r| {
            (r.as_str(), r.label_zh())
        }),
        closure_types: labels(fazhi_core::matter::ClosureType::ALL, |c| {
            (c.as_str(), c.label_zh())
        }),
        error,
        rows: with_townships(
            rows(MatterOut::many(items, &state.matters, today)),
            &villages,
        ),
        next,
        sorts: labels(&MatterSort::ALL, |s| (s.as_str(), s.label_zh())),
        statuses: labels(Status::ALL, |s| (s.as_str(), s.label_zh())),
        kinds: labels(Kind::ALL, |k| (k.as_str(), k.label_zh())),
        villages,
        handler,
        can_register: p.can(Permission::RegisterMatter),
        f,
    })
}

// ---- my tasks and the home page ----------------------------------------------------

/// My tasks, nearest deadline first.
pub(crate) async fn my_tasks(
    state: &AppState,
    p: &Principal,
    limit: i64,
) -> Result<Vec<MatterOut>, ApiError> {
    let t = app::task_query(p);
    let today = state.clock.today();
    let rows = store::read::tasks(&state.db, &t, limit).await?;
    Ok(MatterOut::many(rows, &state.matters, today))
}

#[derive(Template)]
#[template(path = "matters/tasks.html")]
struct TasksPage {
    chrome: Chrome,
    rows: Vec<Row>,
}

async fn tasks_page(State(state): State<AppState>, PageUser(p): PageUser) -> Response {
    let places = villages_in(&state, &p.scope(Permission::ViewMatters)).await;
    match (my_tasks(&state, &p, 200).await, places) {
        (Ok(items), Ok(places)) => render(&TasksPage {
            chrome: Chrome::new(&p, "/tasks"),
            rows: with_townships(rows(items), &places),
        }),
        (Err(e), _) | (_, Err(e)) => error_page(e, &p),
    }
}

/// What the home page shows of matters.
pub(crate) struct HomePanel {
    /// The first ten tasks (None: the user has no matter work).
    pub tasks: Option<Vec<Row>>,
    /// Open and overdue counts in scope.
    pub figures: Vec<Figure>,
    /// Next year's holiday calendar is missing (from 1 December), for those who care.
    pub calendar_missing: Option<i32>,
}

/// The matters part of the home page.
pub(crate) async fn home_panel(state: &AppState, p: &Principal) -> ApiResult<HomePanel> {
    let works = p.can(Permission::ManageMatters) || p.can(Permission::HandleMatter);
    let tasks = if works {
        Some(rows(my_tasks(state, p, 10).await?))
    } else {
        None
    };
    let mut figures = Vec::new();
    let scope = p.scope(Permission::ViewMatters);
    if !scope.is_empty() {
        let open = MatterFilter {
            statuses: OPEN_STATUSES.iter().map(|s| s.to_string()).collect(),
            ..MatterFilter::default()
        };
        let overdue = MatterFilter {
            overdue_on: Some(state.clock.today().to_string()),
            ..open.clone()
        };
        let o = store::read::count(&state.db, &scope.roots, &open).await?;
        let d = store::read::count(&state.db, &scope.roots, &overdue).await?;
        figures.push(Figure {
            label: "在办事项",
            value: o.to_string(),
            href: "/matters?status=pending,registered,accepted,assigned,in_progress,reviewing",
        });
        figures.push(Figure {
            label: "超期事项",
            value: d.to_string(),
            href: "/matters?overdue=1",
        });
    }
    let cares = p.can(Permission::ManageSettings) || p.can(Permission::ManageMatters);
    Ok(HomePanel {
        tasks,
        figures,
        calendar_missing: cares
            .then(|| {
                state
                    .matters
                    .calendar()
                    .next_year_missing(state.clock.today())
            })
            .flatten(),
    })
}

// ---- overdue lists -----------------------------------------------------------------

struct OverdueLine {
    name: String,
    /// Beside the name: villages of the same name lie in different townships.
    township: String,
    kind_label: &'static str,
    open: i64,
    unsigned: i64,
    reviewing: i64,
    overdue: i64,
    supervised: i64,
    /// The handler's open matters in the ledger.
    open_href: String,
    href: String,
}

#[derive(Template)]
#[template(path = "matters/overdue.html")]
struct OverduePage {
    chrome: Chrome,
    lines: Vec<OverdueLine>,
    total: i64,
}

async fn overdue_page(State(state): State<AppState>, PageUser(p): PageUser) -> Response {
    let Ok(scope) = p.require(Permission::ViewMatters) else {
        return forbidden(&p);
    };
    let today = state.clock.today().to_string();
    let rows = match store::read::workload_by_handler(&state.db, &scope.roots, &today).await {
        Ok(r) => r,
        Err(e) => return error_page(e, &p),
    };
    let lines: Vec<OverdueLine> = rows
        .into_iter()
        .map(|r| OverdueLine {
            href: format!(
                "/matters?overdue=1&assignee_kind={}&assignee_id={}",
                r.assignee_kind, r.assignee_id
            ),
            open_href: format!(
                "/matters?status=assigned,in_progress,reviewing&assignee_kind={}&assignee_id={}",
                r.assignee_kind, r.assignee_id
            ),
            kind_label: match r.assignee_kind {
                fazhi_core::matter::AssigneeKind::Unit => "部门单位",
                fazhi_core::matter::AssigneeKind::Division => "村（社区）",
            },
            open: r.open,
            unsigned: r.unsigned,
            reviewing: r.reviewing,
            name: r
                .assignee_name
                .unwrap_or_else(|| format!("#{}", r.assignee_id)),
            township: r.township_name.unwrap_or_default(),
            overdue: r.overdue,
            supervised: r.supervised,
        })
        .collect();
    render(&OverduePage {
        chrome: Chrome::new(&p, "/matters/overdue"),
        total: lines.iter().map(|l| l.overdue).sum(),
        lines,
    })
}

/// Field errors of a failed submission, by field name.
pub(crate) fn field_errors(e: &ApiError) -> BTreeMap<String, String> {
    e.body.fields.clone()
}
