//! Registering at the centre (`/matters/new`) and reporting from a grid (`/matters/report`).
//! Both build the API's `MatterCreate` and go through `app::register`, so the checks are
//! the API's; a failed check redisplays the form with the message next to the field.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use fazhi_core::role::{Permission, Scope};
use fazhi_db::admin::grids::{self, GridRow};
use fazhi_db::matters::{NewPhoto, parties};

use super::{Row, error_page, field_errors, forbidden, rows, see_other, villages_in};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::error::{ApiError, ApiResult};
use crate::matters::app;
use crate::matters::wire::{MatterCreate, MatterOut, Options, PartyIn};
use crate::pages::{Chrome, render, url_encode};

/// Largest photo a grid worker may attach.
pub const MAX_PHOTO_BYTES: usize = 8 * 1024 * 1024;
/// Photos per report.
pub const MAX_PHOTOS: usize = 3;
/// Body limit of the report form: the photos and a little text.
const MAX_REPORT_BYTES: usize = MAX_PHOTOS * MAX_PHOTO_BYTES + 256 * 1024;
/// Party rows the intake form shows at first (JS adds more).
const PARTY_ROWS: usize = 2;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/matters/new", get(new_page).post(new_submit))
        .route(
            "/matters/report",
            get(report_page)
                .post(report_submit)
                .layer(DefaultBodyLimit::max(MAX_REPORT_BYTES)),
        )
}

/// A grid in a select, with its village.
struct GridOption {
    id: i64,
    label: String,
    village_code: String,
}

async fn grids_in(state: &AppState, scope: &Scope) -> ApiResult<Vec<GridOption>> {
    Ok(grids::list(&state.db, &scope.roots, None, 0, 10_000)
        .await?
        .into_iter()
        .map(|g: GridRow| GridOption {
            id: g.id,
            label: format!("{} {}", g.division_name, g.name),
            village_code: g.division_code,
        })
        .collect())
}

// ---- centre intake -----------------------------------------------------------------

/// One party row of the form, with its input and messages.
#[derive(Default)]
struct PartyView {
    name: String,
    id_number: String,
    phone: String,
    address: String,
    role: String,
    errors: BTreeMap<String, String>,
}

impl PartyView {
    fn err(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

/// What the intake form holds (kept on redisplay).
#[derive(Default)]
struct IntakeForm {
    kind: String,
    channel: String,
    category: String,
    division_code: String,
    grid_id: String,
    summary: String,
    address: String,
    received_on: String,
    repeat_of: String,
    parties: Vec<PartyView>,
    op: String,
}

impl IntakeForm {
    fn parse(pairs: Vec<(String, String)>) -> IntakeForm {
        let mut f = IntakeForm::default();
        for (k, v) in pairs {
            if let Some(rest) = k.strip_prefix("parties[") {
                let Some((i, field)) = rest.split_once("].") else {
                    continue;
                };
                let Ok(i) = i.parse::<usize>() else { continue };
                if i >= 50 {
                    continue;
                }
                while f.parties.len() <= i {
                    f.parties.push(PartyView::default());
                }
                let p = &mut f.parties[i];
                match field {
                    "name" => p.name = v,
                    "id_number" => p.id_number = v,
                    "phone" => p.phone = v,
                    "address" => p.address = v,
                    "role" => p.role = v,
                    _ => {}
                }
                continue;
            }
            let slot = match k.as_str() {
                "kind" => &mut f.kind,
                "channel" => &mut f.channel,
                "category" => &mut f.category,
                "division_code" => &mut f.division_code,
                "grid_id" => &mut f.grid_id,
                "summary" => &mut f.summary,
                "address" => &mut f.address,
                "received_on" => &mut f.received_on,
                "repeat_of" => &mut f.repeat_of,
                "op" => &mut f.op,
                _ => continue,
            };
            *slot = v;
        }
        // Blank rows are dropped, so row numbers in messages match what is shown.
        f.parties.retain(|p| {
            [&p.name, &p.id_number, &p.phone, &p.address]
                .iter()
                .any(|s| !s.trim().is_empty())
        });
        f
    }

    fn pad(&mut self) {
        while self.parties.len() < PARTY_ROWS {
            self.parties.push(PartyView::default());
        }
    }

    fn body(&self) -> ApiResult<MatterCreate> {
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let id = |field: &str, s: &str| -> ApiResult<Option<i64>> {
            match s.trim() {
                "" => Ok(None),
                v => v
                    .parse()
                    .map(Some)
                    .map_err(|_| ApiError::field(field, "请从列表中选择")),
            }
        };
        Ok(MatterCreate {
            kind: self.kind.clone(),
            channel: self.channel.clone(),
            category: self.category.clone(),
            division_code: self.division_code.clone(),
            grid_id: id("grid_id", &self.grid_id)?,
            summary: self.summary.clone(),
            address: opt(&self.address),
            received_on: opt(&self.received_on),
            parties: self
                .parties
                .iter()
                .map(|p| PartyIn {
                    name: p.name.clone(),
                    id_number: opt(&p.id_number),
                    phone: opt(&p.phone),
                    address: opt(&p.address),
                    role: opt(&p.role),
                })
                .collect(),
            repeat_of: id("repeat_of", &self.repeat_of)?,
        })
    }

    /// Puts field messages next to their fields; returns those that have no field.
    fn place_errors(&mut self, errors: BTreeMap<String, String>) -> BTreeMap<String, String> {
        let mut rest = BTreeMap::new();
        for (k, v) in errors {
            if let Some(r) = k.strip_prefix("parties[")
                && let Some((i, field)) = r.split_once("].")
                && let Ok(i) = i.parse::<usize>()
                && i < self.parties.len()
            {
                self.parties[i].errors.insert(field.to_string(), v);
            } else {
                rest.insert(k, v);
            }
        }
        rest
    }
}

#[derive(Template)]
#[template(path = "matters/new.html")]
struct NewPage {
    chrome: Chrome,
    f: IntakeForm,
    options: Options,
    villages: Vec<super::PlaceGroup>,
    grids: Vec<GridOption>,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    /// Other matters of the same people (after 查重, or from the JS lookup).
    same: Option<Vec<Row>>,
    today: String,
}

impl NewPage {
    fn err(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

async fn new_form(
    state: &AppState,
    p: &Principal,
    mut f: IntakeForm,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    same: Option<Vec<MatterOut>>,
) -> Response {
    let scope = p.scope(Permission::RegisterMatter);
    f.pad();
    let errors = f.place_errors(errors);
    render(&NewPage {
        chrome: Chrome::new(p, "/matters/new"),
        options: app::options_of(state),
        villages: match villages_in(state, &scope).await {
            Ok(v) => v,
            Err(e) => return error_page(e, p),
        },
        grids: match grids_in(state, &scope).await {
            Ok(g) => g,
            Err(e) => return error_page(e, p),
        },
        errors,
        message,
        same: same.map(rows),
        today: state.clock.today().to_string(),
        f,
    })
}

async fn new_page(State(state): State<AppState>, PageUser(p): PageUser) -> Response {
    if !p.can(Permission::RegisterMatter) {
        if p.can(Permission::ReportMatter) {
            return see_other("/matters/report");
        }
        return forbidden(&p);
    }
    let f = IntakeForm {
        kind: "dispute".into(),
        channel: "visit".into(),
        ..IntakeForm::default()
    };
    new_form(&state, &p, f, BTreeMap::new(), None, None).await
}

/// Other matters in scope of the people named on the form (by ID number or phone).
async fn same_person(state: &AppState, p: &Principal, f: &IntakeForm) -> ApiResult<Vec<MatterOut>> {
    let scope = p.require(Permission::ViewMatters)?;
    let today = state.clock.today();
    let mut ids = Vec::new();
    let mut phones = Vec::new();
    for (i, party) in f.parties.iter().enumerate() {
        if !party.id_number.trim().is_empty() {
            ids.push(
                fazhi_core::party::check_id_number(party.id_number.trim(), today).map_err(|e| {
                    ApiError::field(&format!("parties[{i}].id_number"), e.to_string())
                })?,
            );
        }
        if !party.phone.trim().is_empty() {
            phones.push(
                fazhi_core::party::check_phone(party.phone.trim())
                    .map_err(|e| ApiError::field(&format!("parties[{i}].phone"), e.to_string()))?,
            );
        }
    }
    let keys = parties::lookup_keys(&state.vault, &ids, &phones);
    Ok(MatterOut::many(
        fazhi_db::matters::read::with_person(&state.db, &scope.roots, &keys, None, 50).await?,
        &state.matters,
        today,
    ))
}

async fn new_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if !p.can(Permission::RegisterMatter) {
        return forbidden(&p);
    }
    let f = IntakeForm::parse(pairs);
    if f.op == "check" {
        return match same_person(&state, &p, &f).await {
            Ok(same) => new_form(&state, &p, f, BTreeMap::new(), None, Some(same)).await,
            Err(e) if e.status.is_client_error() => {
                let errs = field_errors(&e);
                new_form(&state, &p, f, errs, Some(e.body.message), None).await
            }
            Err(e) => error_page(e, &p),
        };
    }
    let result = async {
        let mut body = f.body()?;
        let scope = app::registration_scope(&state, &p, &mut body).await?;
        app::register(&state, &p.actor(), &scope, &body, false, Vec::new()).await
    }
    .await;
    match result {
        Ok(m) => see_other(&format!(
            "/matters/{}?ok={}",
            m.id,
            url_encode(&format!(
                "已登记，查询码 {}",
                fazhi_core::matter::tracking_shown(&m.tracking_code)
            ))
        )),
        Err(e) if e.status.is_client_error() => {
            let errs = field_errors(&e);
            let mut page = new_form(&state, &p, f, errs, Some(e.body.message), None).await;
            *page.status_mut() = e.status;
            page
        }
        Err(e) => error_page(e, &p),
    }
}

// ---- grid report -------------------------------------------------------------------

#[derive(Default)]
struct ReportForm {
    kind: String,
    category: String,
    grid_id: String,
    summary: String,
    name: String,
    phone: String,
}

#[derive(Template)]
#[template(path = "matters/report.html")]
struct ReportPage {
    chrome: Chrome,
    f: ReportForm,
    options: Options,
    grids: Vec<GridOption>,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    max_mb: usize,
    max_photos: usize,
}

impl ReportPage {
    fn err(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

/// Who may report, and where: grid workers report, registrars may use the form too.
fn report_scope(p: &Principal) -> Option<Scope> {
    [Permission::ReportMatter, Permission::RegisterMatter]
        .into_iter()
        .map(|perm| p.scope(perm))
        .find(|s| !s.is_empty())
}

async fn report_form(
    state: &AppState,
    p: &Principal,
    scope: &Scope,
    f: ReportForm,
    errors: BTreeMap<String, String>,
    message: Option<String>,
) -> Response {
    // A grid worker reports for their own grid only (the API refuses any other).
    let own = match crate::matters::sweeps_api::own_grid(state, p).await {
        Ok(o) => o,
        Err(e) => return error_page(e, p),
    };
    render(&ReportPage {
        chrome: Chrome::new(p, "/matters/report"),
        options: app::options_of(state),
        grids: match grids_in(state, scope).await {
            Ok(g) => g
                .into_iter()
                .filter(|g| own.is_none_or(|o| o == g.id))
                .collect(),
            Err(e) => return error_page(e, p),
        },
        errors,
        message,
        max_mb: MAX_PHOTO_BYTES / (1024 * 1024),
        max_photos: MAX_PHOTOS,
        f,
    })
}

async fn report_page(State(state): State<AppState>, PageUser(p): PageUser) -> Response {
    let Some(scope) = report_scope(&p) else {
        return forbidden(&p);
    };
    let own_grid = fazhi_db::auth::users::get(&state.db, p.user_id)
        .await
        .ok()
        .and_then(|u| u.grid_id);
    let f = ReportForm {
        kind: "dispute".into(),
        grid_id: own_grid.map(|g| g.to_string()).unwrap_or_default(),
        ..ReportForm::default()
    };
    report_form(&state, &p, &scope, f, BTreeMap::new(), None).await
}

/// The image type of a photo from its first bytes (never from what the client says).
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

fn too_large() -> ApiError {
    ApiError::field(
        "photo",
        format!(
            "照片过大：每张不能超过{}MB，最多{}张。可在手机相机设置中降低分辨率后重拍",
            MAX_PHOTO_BYTES / (1024 * 1024),
            MAX_PHOTOS
        ),
    )
}

/// Reads the multipart form: text fields and checked photos.
async fn read_report(mp: &mut Multipart) -> (ReportForm, ApiResult<Vec<NewPhoto>>) {
    let mut f = ReportForm::default();
    let mut photos = Vec::new();
    let mut failure = None;
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                failure = Some(if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    too_large()
                } else {
                    ApiError::bad_request("表单内容不完整，请重新提交")
                });
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "photo" {
            let mut bytes = Vec::new();
            loop {
                match field.chunk().await {
                    Ok(Some(c)) => {
                        bytes.extend_from_slice(&c);
                        if bytes.len() > MAX_PHOTO_BYTES {
                            failure.get_or_insert_with(too_large);
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(_) => {
                        failure.get_or_insert_with(too_large);
                        break;
                    }
                }
            }
            if failure.is_some() {
                break;
            }
            // An empty file input sends an empty part: no photo.
            if bytes.is_empty() {
                continue;
            }
            match image_type(&bytes) {
                Some(ct) if photos.len() < MAX_PHOTOS => photos.push(NewPhoto {
                    content_type: ct.into(),
                    bytes,
                }),
                Some(_) => {
                    failure = Some(too_large());
                    break;
                }
                None => {
                    failure = Some(ApiError::field(
                        "photo",
                        "照片须为JPEG、PNG或WebP格式的图片",
                    ));
                    break;
                }
            }
            continue;
        }
        let Ok(text) = field.text().await else {
            failure = Some(ApiError::bad_request("表单内容不完整，请重新提交"));
            break;
        };
        let slot = match name.as_str() {
            "kind" => &mut f.kind,
            "category" => &mut f.category,
            "grid_id" => &mut f.grid_id,
            "summary" => &mut f.summary,
            "name" => &mut f.name,
            "phone" => &mut f.phone,
            _ => continue,
        };
        *slot = text;
    }
    (f, failure.map_or(Ok(photos), Err))
}

async fn report_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    mut mp: Multipart,
) -> Response {
    let Some(scope) = report_scope(&p) else {
        return forbidden(&p);
    };
    let (f, photos) = read_report(&mut mp).await;
    let result = async {
        let photos = photos?;
        let grid_id: i64 = f
            .grid_id
            .trim()
            .parse()
            .map_err(|_| ApiError::field("grid_id", "请选择网格"))?;
        let grid = grids::by_id(&state.db, grid_id)
            .await
            .ok()
            .filter(|g| scope.covers(&g.division_path))
            .ok_or_else(|| ApiError::field("grid_id", "网格不存在或不在管辖范围内"))?;
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let mut body = MatterCreate {
            kind: f.kind.clone(),
            channel: "grid_report".into(),
            category: f.category.clone(),
            division_code: grid.division_code,
            grid_id: Some(grid.id),
            summary: f.summary.clone(),
            parties: vec![PartyIn {
                name: f.name.clone(),
                phone: opt(&f.phone),
                ..PartyIn::default()
            }],
            ..MatterCreate::default()
        };
        let reg_scope = app::registration_scope(&state, &p, &mut body).await?;
        body.channel = "grid_report".into();
        app::register(&state, &p.actor(), &reg_scope, &body, false, photos).await
    }
    .await;
    match result {
        Ok(m) => see_other(&format!(
            "/matters/{}?ok={}",
            m.id,
            url_encode(&format!(
                "已上报，查询码 {}",
                fazhi_core::matter::tracking_shown(&m.tracking_code)
            ))
        )),
        Err(e) if e.status.is_client_error() => {
            let mut errors = field_errors(&e);
            // The party is one row here.
            for (from, to) in [("parties[0].name", "name"), ("parties[0].phone", "phone")] {
                if let Some(v) = errors.remove(from) {
                    errors.insert(to.into(), v);
                }
            }
            let mut page = report_form(&state, &p, &scope, f, errors, Some(e.body.message)).await;
            *page.status_mut() = e.status;
            page.into_response()
        }
        Err(e) => error_page(e, &p),
    }
}
