//! `/education/events/import`: a township's existing 普法活动 ledger, uploaded
//! (multipart, the CSRF token in the query string), its columns confirmed, checked
//! (every bad row with its reasons) and imported (all good rows in one transaction).

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_core::education::{EventKind, LedgerField};
use fazhi_core::role::Permission;

use super::{Choice, places_in, with_status};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::education::app::{self, LedgerCheckOut, LedgerMapping, LedgerUploadOut};
use crate::error::ApiError;
use crate::matters::import::{columns, file_part, sheet_of};
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render};

const ACTIVE: &str = "/education";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/education/events/import",
            get(upload_page)
                .post(upload_submit)
                .layer(DefaultBodyLimit::max(app::MAX_LEDGER_BYTES + (1 << 20))),
        )
        .route("/education/events/import/{token}", post(check_submit))
}

#[derive(Template)]
#[template(path = "education/ledger.html")]
struct LedgerPage {
    chrome: Chrome,
    sub: &'static str,
    message: Option<String>,
    upload: Option<LedgerUploadOut>,
    result: Option<LedgerCheckOut>,
    chosen: BTreeMap<LedgerField, usize>,
    kinds: &'static [EventKind],
    default_kind: String,
    places: Vec<Choice>,
    division_code: String,
}

impl LedgerPage {
    fn chosen(&self, field: &str, col: &usize) -> bool {
        self.chosen
            .iter()
            .any(|(f, c)| f.as_str() == field && c == col)
    }
}

fn allowed(p: &Principal) -> Result<(), PageError> {
    if p.can(Permission::RecordEducation) {
        Ok(())
    } else {
        Err(PageError::forbidden(p))
    }
}

async fn page(
    state: &AppState,
    p: &Principal,
    upload: Option<LedgerUploadOut>,
    mapping: &LedgerMapping,
    result: Option<LedgerCheckOut>,
    message: Option<String>,
) -> PageResult {
    let scope = p.scope(Permission::RecordEducation);
    let places = places_in(state, &scope, false).await.page(p, ACTIVE)?;
    Ok(render(&LedgerPage {
        chrome: Chrome::new(p, ACTIVE),
        sub: "events",
        message,
        chosen: mapping.columns.clone(),
        default_kind: mapping
            .default_kind
            .clone()
            .unwrap_or_else(|| "villages".into()),
        division_code: mapping
            .division_code
            .clone()
            .or_else(|| places.first().map(|c| c.value.clone()))
            .unwrap_or_default(),
        kinds: EventKind::ALL,
        places,
        upload,
        result,
    }))
}

async fn upload_page(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    allowed(&p)?;
    page(&state, &p, None, &LedgerMapping::default(), None, None).await
}

async fn upload_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    mut mp: Multipart,
) -> PageResult {
    allowed(&p)?;
    let result = match file_part(&mut mp).await {
        Ok((name, bytes)) => app::ledger_upload(&state, &p, name, bytes).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(u) => {
            let mapping = LedgerMapping {
                columns: u.suggested.clone(),
                ..LedgerMapping::default()
            };
            page(&state, &p, Some(u), &mapping, None, None).await
        }
        Err(e) if e.status.is_client_error() => {
            let shown = page(
                &state,
                &p,
                None,
                &LedgerMapping::default(),
                None,
                Some(e.body.message.clone()),
            )
            .await?;
            Ok(with_status(shown, e.status))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}

/// The upload under `token` described again (its sheet is kept for the hour).
fn described(state: &AppState, p: &Principal, token: &str) -> Result<LedgerUploadOut, ApiError> {
    let (sheet, file_name) = sheet_of(state, p, token)?;
    Ok(LedgerUploadOut {
        token: token.to_string(),
        file_name,
        sheet: sheet.name.clone(),
        header_row: sheet.header_row,
        rows: sheet.rows.len(),
        columns: columns(&sheet),
        fields: app::ledger_fields(),
        suggested: fazhi_core::education::suggest_ledger(&sheet.headers),
    })
}

async fn check_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(token): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    allowed(&p)?;
    let upload = described(&state, &p, &token).page(&p, ACTIVE)?;
    let mapping = LedgerMapping {
        columns: LedgerField::ALL
            .iter()
            .filter_map(|f| {
                form.get(&format!("col_{}", f.as_str()))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .map(|c| (*f, c))
            })
            .collect(),
        default_kind: form.get("default_kind").cloned(),
        division_code: form.get("division_code").cloned(),
    };
    let commit = form.get("step").map(String::as_str) == Some("commit");
    match app::ledger_check(&state, &p, &token, &mapping, commit).await {
        Ok(r) => page(&state, &p, Some(upload), &mapping, Some(r), None).await,
        Err(e) if e.status.is_client_error() && e.status.as_u16() != 404 => {
            let shown = page(
                &state,
                &p,
                Some(upload),
                &mapping,
                None,
                Some(format!("未导入：{}", e.body.message)),
            )
            .await?;
            Ok(with_status(shown, e.status))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}
