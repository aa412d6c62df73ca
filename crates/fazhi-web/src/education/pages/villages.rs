//! `/education/villages`: the village table (示范村, 村规民约, 法律顾问, 法律明白人 coverage)
//! with the counts per township for the district's comparison; `/education/villages/{code}`
//! shows a village's row and, for its township's staff, the form to keep it.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Form, Router};
use fazhi_core::education::{LEGAL_LITERATE_TARGET, ModelLevel};
use fazhi_core::role::Permission;
use serde::Deserialize;

use super::form::{FormValues, redisplay};
use super::{Choice, can_view, field_errors, form_error, places_in, see_other, with_status};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::education::app;
use crate::education::wire::{TownshipVillages, VillageIn, VillageOut};
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/education/villages", get(list_page))
        .route(
            "/education/villages/{code}",
            get(detail_page).post(save_submit),
        )
}

const ACTIVE: &str = "/education";

#[derive(Deserialize, Default)]
struct ListQuery {
    division: Option<String>,
}

#[derive(Template)]
#[template(path = "education/villages.html")]
struct ListPage {
    chrome: Chrome,
    sub: &'static str,
    townships: Vec<TownshipVillages>,
    rows: Vec<VillageOut>,
    target: i64,
    division: String,
    places: Vec<Choice>,
}

async fn list_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<ListQuery>,
) -> PageResult {
    if !can_view(&p) {
        return Err(PageError::forbidden(&p));
    }
    let table = app::village_table(&state, &p, q.division.as_deref())
        .await
        .page(&p, ACTIVE)?;
    let scope = p.scope(Permission::ViewEducation);
    Ok(render(&ListPage {
        chrome: Chrome::new(&p, ACTIVE),
        sub: "villages",
        townships: table.townships,
        rows: table.villages,
        target: LEGAL_LITERATE_TARGET,
        division: q.division.unwrap_or_default(),
        places: places_in(&state, &scope, false).await.page(&p, ACTIVE)?,
    }))
}

#[derive(Template)]
#[template(path = "education/village_form.html")]
struct FormPage {
    chrome: Chrome,
    sub: &'static str,
    v: VillageOut,
    f: FormValues,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    flash: Option<String>,
    levels: &'static [ModelLevel],
    target: i64,
}

impl FormPage {
    fn err(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

fn values_of(v: &VillageOut) -> FormValues {
    let mut f = FormValues::default();
    f.set("model_level", v.model_level.map_or("", |l| l.as_str()));
    f.set(
        "model_year",
        v.model_year.map(|y| y.to_string()).unwrap_or_default(),
    );
    f.set(
        "rules_reviewed_on",
        v.rules_reviewed_on.clone().unwrap_or_default(),
    );
    f.set(
        "rules_reviewed_by",
        v.rules_reviewed_by.clone().unwrap_or_default(),
    );
    f.set("adviser_name", v.adviser_name.clone().unwrap_or_default());
    f.set("adviser_firm", v.adviser_firm.clone().unwrap_or_default());
    f.set(
        "version",
        v.version.map(|x| x.to_string()).unwrap_or_default(),
    );
    f
}

#[derive(Deserialize, Default)]
struct Flash {
    ok: Option<String>,
}

fn page(
    p: &Principal,
    v: VillageOut,
    f: FormValues,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    flash: Option<String>,
) -> PageResult {
    Ok(render(&FormPage {
        chrome: Chrome::new(p, ACTIVE),
        sub: "villages",
        v,
        f,
        errors,
        message,
        flash,
        levels: ModelLevel::ALL,
        target: LEGAL_LITERATE_TARGET,
    }))
}

async fn detail_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(code): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let v = app::village_detail(&state, &p, &code)
        .await
        .page(&p, ACTIVE)?;
    let f = values_of(&v);
    page(&p, v, f, BTreeMap::new(), None, flash.ok)
}

async fn save_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = FormValues::parse(pairs);
    let mut errors = BTreeMap::new();
    let model_year = f.num(&mut errors, "model_year");
    let version = f.num(&mut errors, "version");
    let result = if errors.is_empty() {
        let body = VillageIn {
            model_level: f.opt("model_level"),
            model_year,
            rules_reviewed_on: f.opt("rules_reviewed_on"),
            rules_reviewed_by: f.opt("rules_reviewed_by"),
            adviser_name: f.opt("adviser_name"),
            adviser_firm: f.opt("adviser_firm"),
            version,
        };
        app::save_village(&state, &p, &code, &body).await
    } else {
        Err(form_error(errors))
    };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/education/villages/{code}?ok={}",
            url_encode("已保存")
        ))),
        Err(e) if redisplay(&e) => {
            let v = app::village_detail(&state, &p, &code)
                .await
                .page(&p, ACTIVE)?;
            let shown = page(
                &p,
                v,
                f,
                field_errors(&e),
                Some(e.body.message.clone()),
                None,
            )?;
            Ok(with_status(shown, e.status))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}
