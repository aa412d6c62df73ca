//! `/settings/calendar`: the holiday calendar, one year at a time in a form
//! (`/settings/calendar/{year}`), or as TOML text; both saved through
//! `settings_api::save_calendar` (which checks it and recomputes open deadlines).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use fazhi_core::role::Permission;
use serde::Deserialize;

use super::{Flash, error_page, error_text, forbidden, see_other};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::matters::settings_api::{calendar_doc, save_calendar};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings/calendar", get(calendar_page).post(calendar_save))
        .route("/settings/calendar/{year}", get(year_page).post(year_save))
        .route("/settings/synonyms", get(synonyms_page).post(synonyms_save))
}

#[derive(Template)]
#[template(path = "matters/calendar.html")]
struct CalendarPage {
    chrome: Chrome,
    text: String,
    years: String,
    /// Years to edit in the form: those with data, and the next one.
    edit_years: Vec<i32>,
    next_year_missing: Option<i32>,
    flash_ok: Option<String>,
    flash_err: Option<String>,
}

fn page(state: &AppState, p: &Principal, text: Option<String>, flash: Flash) -> Response {
    let doc = calendar_doc(state);
    render(&CalendarPage {
        chrome: Chrome::new(p, "/settings/calendar"),
        text: text.unwrap_or(doc.text),
        years: doc
            .years
            .iter()
            .map(|y| format!("{y}年"))
            .collect::<Vec<_>>()
            .join("、"),
        edit_years: {
            let mut y = doc.years.clone();
            let next = state.clock.today().year() + 1;
            if !y.contains(&next) {
                y.push(next);
            }
            y
        },
        next_year_missing: doc.next_year_missing,
        flash_ok: flash.ok,
        flash_err: flash.err,
    })
}

async fn calendar_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(flash): Query<Flash>,
) -> Response {
    if !p.can(Permission::ManageSettings) {
        return forbidden(&p);
    }
    page(&state, &p, None, flash)
}

#[derive(Deserialize)]
struct CalendarForm {
    text: String,
}

async fn calendar_save(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<CalendarForm>,
) -> Response {
    if !p.can(Permission::ManageSettings) {
        return forbidden(&p);
    }
    match save_calendar(&state, &p, &f.text).await {
        Ok(n) => see_other(&format!(
            "/settings/calendar?ok={}",
            url_encode(&format!("已保存。{n}件在办事项的期限已按新日历重新计算。"))
        )),
        Err(e) if e.status.is_client_error() => {
            let flash = Flash {
                ok: None,
                err: Some(format!("未保存：{}", error_text(&e))),
            };
            let mut r = page(&state, &p, Some(f.text), flash);
            *r.status_mut() = e.status;
            r
        }
        Err(e) => error_page(e, &p),
    }
}

/// One holiday row of the year form, as typed.
#[derive(Debug, Clone, Default)]
struct Row {
    name: String,
    from: String,
    to: String,
    workdays: String,
}

#[derive(Template)]
#[template(path = "matters/calendar_year.html")]
struct YearPage {
    chrome: Chrome,
    year: i32,
    source: String,
    rows: Vec<Row>,
    flash_err: Option<String>,
}

/// Blank rows offered below the holidays already entered.
const BLANK_ROWS: usize = 3;

fn year_form(
    p: &Principal,
    year: i32,
    source: String,
    mut rows: Vec<Row>,
    err: Option<String>,
) -> Response {
    rows.extend(std::iter::repeat_n(Row::default(), BLANK_ROWS));
    render(&YearPage {
        chrome: Chrome::new(p, "/settings/calendar"),
        year,
        source,
        rows,
        flash_err: err,
    })
}

async fn year_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    crate::extract::ApiPath(year): crate::extract::ApiPath<i32>,
) -> Response {
    if !p.can(Permission::ManageSettings) {
        return forbidden(&p);
    }
    if !(2000..=2100).contains(&year) {
        return error_page(crate::error::ApiError::not_found(), &p);
    }
    let cal = state.matters.calendar();
    let (source, rows) = match cal.schedule(year) {
        Some(s) => (
            s.source.clone().unwrap_or_default(),
            s.holidays
                .iter()
                .map(|h| Row {
                    name: h.name.clone(),
                    from: h.from.to_string(),
                    to: h.to.to_string(),
                    workdays: h
                        .workdays
                        .iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join("、"),
                })
                .collect(),
        ),
        None => (String::new(), vec![]),
    };
    year_form(&p, year, source, rows, None)
}

/// The rows as holidays; a row left empty is skipped, a row half filled is refused.
fn holidays(rows: &[Row]) -> Result<Vec<fazhi_core::calendar::Holiday>, String> {
    let date = |v: &str, what: &str, n: usize| {
        time::Date::parse(
            v.trim(),
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .map_err(|_| format!("第{n}行{what}应为日期，如 2027-01-01"))
    };
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let n = i + 1;
        if [&r.name, &r.from, &r.to, &r.workdays]
            .iter()
            .all(|v| v.trim().is_empty())
        {
            continue;
        }
        let name = fazhi_core::validate::required_text(&format!("第{n}行假期名称"), &r.name, 30)?;
        let from = date(&r.from, "放假开始日期", n)?;
        let to = if r.to.trim().is_empty() {
            from
        } else {
            date(&r.to, "放假结束日期", n)?
        };
        let workdays = r
            .workdays
            .split(['、', ',', '，', ' ', ';', '；'])
            .filter(|w| !w.trim().is_empty())
            .map(|w| date(w, "调休上班日期", n))
            .collect::<Result<Vec<_>, _>>()?;
        out.push(fazhi_core::calendar::Holiday {
            name,
            from,
            to,
            workdays,
        });
    }
    Ok(out)
}

async fn year_save(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    crate::extract::ApiPath(year): crate::extract::ApiPath<i32>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    if !p.can(Permission::ManageSettings) {
        return forbidden(&p);
    }
    if !(2000..=2100).contains(&year) {
        return error_page(crate::error::ApiError::not_found(), &p);
    }
    let col = |k: &str| -> Vec<String> {
        fields
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let (names, froms, tos, works) = (col("name"), col("from"), col("to"), col("workdays"));
    let rows: Vec<Row> = (0..names
        .len()
        .min(froms.len())
        .min(tos.len())
        .min(works.len())
        .min(60))
        .map(|i| Row {
            name: names[i].clone(),
            from: froms[i].clone(),
            to: tos[i].clone(),
            workdays: works[i].clone(),
        })
        .collect();
    let source = col("source").into_iter().next().unwrap_or_default();
    let refuse = |m: String, rows: Vec<Row>| {
        let kept: Vec<Row> = rows
            .into_iter()
            .filter(|r| {
                ![&r.name, &r.from, &r.to, &r.workdays]
                    .iter()
                    .all(|v| v.trim().is_empty())
            })
            .collect();
        let mut r = year_form(&p, year, source.clone(), kept, Some(format!("未保存：{m}")));
        *r.status_mut() = axum::http::StatusCode::BAD_REQUEST;
        r
    };
    let list = match holidays(&rows) {
        Ok(l) => l,
        Err(m) => return refuse(m, rows),
    };
    if let Some(h) = list
        .iter()
        .find(|h| h.from.year() != year && h.to.year() != year)
    {
        return refuse(format!("{}的放假日期不在{year}年", h.name), rows);
    }
    let src = source.trim();
    if let Err(m) = fazhi_core::validate::no_control_chars("来源", src) {
        return refuse(m, rows);
    }
    let schedule = fazhi_core::calendar::YearSchedule {
        year,
        source: (!src.is_empty()).then(|| src.chars().take(200).collect()),
        holidays: list,
    };
    let cal = match state.matters.calendar().with_year(schedule) {
        Ok(c) => c,
        Err(e) => return refuse(e.message, rows),
    };
    match save_calendar(&state, &p, &cal.to_text()).await {
        Ok(n) => see_other(&format!(
            "/settings/calendar?ok={}",
            url_encode(&format!(
                "{year}年的节假日已保存。{n}件在办事项的期限已按新日历重新计算。"
            ))
        )),
        Err(e) if e.status.is_client_error() => refuse(error_text(&e), rows),
        Err(e) => error_page(e, &p),
    }
}

#[derive(Template)]
#[template(path = "matters/synonyms.html")]
struct SynonymsPage {
    chrome: Chrome,
    text: String,
    categories: Vec<crate::matters::config::CategoryItem>,
    flash_ok: Option<String>,
    flash_err: Option<String>,
}

/// Who keeps the synonym list: administrators and the centres' staff.
fn may_edit_synonyms(p: &Principal) -> bool {
    p.can(Permission::ManageSettings) || p.can(Permission::ManageMatters)
}

async fn synonyms_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(flash): Query<Flash>,
) -> Response {
    if !may_edit_synonyms(&p) {
        return forbidden(&p);
    }
    let text = match crate::matters::app::synonyms(&state).await {
        Ok(s) => s.to_text(),
        Err(e) => return error_page(e, &p),
    };
    render(&SynonymsPage {
        chrome: Chrome::new(&p, "/matters"),
        text,
        categories: state.matters.categories(),
        flash_ok: flash.ok,
        flash_err: flash.err,
    })
}

#[derive(Deserialize)]
struct SynonymsForm {
    text: String,
}

async fn synonyms_save(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<SynonymsForm>,
) -> Response {
    if !may_edit_synonyms(&p) {
        return forbidden(&p);
    }
    match save_synonyms(&state, &p, &f.text).await {
        Ok(n) => see_other(&format!(
            "/settings/synonyms?ok={}",
            url_encode(&format!("已保存{n}组同义词"))
        )),
        Err(e) if e.status.is_client_error() => {
            let mut r = render(&SynonymsPage {
                chrome: Chrome::new(&p, "/matters"),
                text: f.text,
                categories: state.matters.categories(),
                flash_ok: None,
                flash_err: Some(format!("未保存：{}", error_text(&e))),
            });
            *r.status_mut() = e.status;
            r
        }
        Err(e) => error_page(e, &p),
    }
}

/// Checks and stores the synonym list; returns the number of groups.
pub(crate) async fn save_synonyms(
    state: &AppState,
    p: &Principal,
    text: &str,
) -> crate::error::ApiResult<usize> {
    if !may_edit_synonyms(p) {
        return Err(crate::error::ApiError::forbidden());
    }
    if text.chars().count() > 20_000 {
        return Err(crate::error::ApiError::field(
            "text",
            "同义词表过长（不超过2万字）",
        ));
    }
    let cats = state.matters.categories();
    let s = fazhi_core::search::Synonyms::parse(text, &|c| cats.iter().any(|k| k.code == c))
        .map_err(|m| crate::error::ApiError::field("text", m))?;
    fazhi_db::admin::settings::put(
        &state.db,
        &p.actor(),
        crate::matters::app::SYNONYMS_KEY,
        &s.to_text(),
    )
    .await?;
    Ok(s.groups.len())
}
