//! Opening a case, and the case page with the forms its state allows.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_core::enforcement::{
    CaseOutcome, CaseState, EvidenceKind, Grade, PartyKind, PauseReason, PenaltyKind, ReviewCheck,
    ReviewOpinion, Rubric, ServiceMethod,
};
use fazhi_core::role::Permission;

use super::form::{self, Fields};
use super::{Flash, require};
use crate::AppState;
use crate::auth::PageUser;
use crate::enforcement::wire::{
    CaseActionBody, CaseCreate, CaseDetail, FileReviewIn, FileReviewOut, ItemOut, OfficerOut,
};
use crate::enforcement::{app, evidence};
use crate::extract::ApiPath;
use crate::matters::pages::see_other;
use crate::page_error::{OrPage, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/enforcement/cases/new", get(new_page).post(new_submit))
        .route("/enforcement/cases/{id}", get(case_page))
        .route("/enforcement/cases/{id}/act", post(act_submit))
        .route(
            "/enforcement/cases/{id}/file-review",
            post(file_review_submit),
        )
        .route(
            "/enforcement/cases/{id}/evidence/{file_id}/supersede",
            post(supersede_submit),
        )
        .route(
            "/enforcement/cases/{id}/evidence",
            post(evidence_submit).layer(axum::extract::DefaultBodyLimit::max(
                evidence::MAX_EVIDENCE_BYTES as usize + (1 << 20),
            )),
        )
}

async fn evidence_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    form: axum::extract::Multipart,
) -> PageResult<Response> {
    require(&p, Permission::HandleCase)?;
    let here = format!("/enforcement/cases/{id}");
    match evidence::upload(&state, &p, id, form).await {
        Ok(f) => Ok(see_other(&format!(
            "{here}?ok={}",
            url_encode(&format!(
                "已上传证据：{}（SHA-256 {}…）",
                f.name,
                &f.sha256[..12]
            ))
        ))),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            Ok(see_other(&format!(
                "{here}?err={}",
                url_encode(&crate::matters::pages::error_text(&e))
            )))
        }
        Err(e) => Err(crate::page_error::PageError::of(
            e,
            &p,
            "/enforcement/cases",
        )),
    }
}

async fn supersede_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath((id, file_id)): ApiPath<(i64, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    require(&p, Permission::HandleCase)?;
    let f = Fields(fields);
    let here = format!("/enforcement/cases/{id}");
    let body = evidence::SupersedeIn {
        reason: f.text("reason"),
        by: None,
    };
    match evidence::supersede(&state, &p, id, file_id, &body).await {
        Ok(()) => Ok(see_other(&format!(
            "{here}?ok={}",
            url_encode("已标记为被替代")
        ))),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            Ok(see_other(&format!(
                "{here}?err={}",
                url_encode(&crate::matters::pages::error_text(&e))
            )))
        }
        Err(e) => Err(crate::page_error::PageError::of(
            e,
            &p,
            "/enforcement/cases",
        )),
    }
}

type Options = Vec<(&'static str, &'static str)>;

fn options<T: Copy>(all: &[T], f: impl Fn(T) -> (&'static str, &'static str)) -> Options {
    all.iter().map(|v| f(*v)).collect()
}

#[derive(Template)]
#[template(path = "enforcement/new.html")]
struct NewPage {
    chrome: Chrome,
    items: Vec<ItemOut>,
    officers: Vec<OfficerOut>,
    party_kinds: Options,
    kinds_simple: Options,
    today: String,
    error: Option<String>,
    matter_id: String,
}

#[derive(serde::Deserialize, Default)]
struct NewQuery {
    err: Option<String>,
    matter_id: Option<i64>,
}

async fn new_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<NewQuery>,
) -> PageResult<Response> {
    require(&p, Permission::HandleCase)?;
    let active = "/enforcement";
    let items = app::list_items(&state, &p).await.page(&p, active)?;
    let officers = app::list_officers(&state, &p).await.page(&p, active)?;
    Ok(render(&NewPage {
        chrome: Chrome::new(&p, active),
        items,
        officers: officers.into_iter().filter(|o| o.valid).collect(),
        party_kinds: options(PartyKind::ALL, |k| (k.as_str(), k.label_zh())),
        kinds_simple: vec![
            (
                PenaltyKind::Warning.as_str(),
                PenaltyKind::Warning.label_zh(),
            ),
            (PenaltyKind::Fine.as_str(), PenaltyKind::Fine.label_zh()),
        ],
        today: state.clock.today().to_string(),
        error: q.err,
        matter_id: q.matter_id.map(|m| m.to_string()).unwrap_or_default(),
    }))
}

async fn new_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    require(&p, Permission::HandleCase)?;
    let f = Fields(fields);
    let back = |m: &str| see_other(&format!("/enforcement/cases/new?err={}", url_encode(m)));
    let body: CaseCreate = match form::new_case(&f).and_then(form::parse) {
        Ok(b) => b,
        Err(m) => return Ok(back(&m)),
    };
    match app::create_case(&state, &p, &body).await {
        Ok(d) => Ok(see_other(&format!(
            "/enforcement/cases/{}?ok={}",
            d.case.id,
            url_encode(&format!(
                "已{}，案号 {}",
                if d.case.procedure == fazhi_core::enforcement::Procedure::Simple {
                    "作出当场处罚决定"
                } else {
                    "立案"
                },
                d.case.number
            ))
        ))),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::FORBIDDEN => {
            Ok(back(&crate::matters::pages::error_text(&e)))
        }
        Err(e) => Err(crate::page_error::PageError::of(e, &p, "/enforcement")),
    }
}

#[derive(Template)]
#[template(path = "enforcement/case.html")]
struct CasePage {
    chrome: Chrome,
    d: CaseDetail,
    s: CaseState,
    officers: Vec<OfficerOut>,
    flash: Flash,
    today: String,
    evidence_kinds: Options,
    grades: Options,
    penalty_kinds: Options,
    outcomes: Options,
    opinions: Options,
    methods: Options,
    pause_reasons: Options,
    checks: Options,
    file_reviews: Vec<FileReviewOut>,
    rubric: Rubric,
    can_score: bool,
    evidence: Vec<evidence::EvidenceOut>,
    can_upload: bool,
}

impl CasePage {
    fn can(&self, code: &str) -> bool {
        self.d.allowed_actions.iter().any(|a| a.as_str() == code)
    }
    fn any_form(&self) -> bool {
        !self.d.allowed_actions.is_empty()
    }
    fn officer_name(&self, id: &i64) -> String {
        self.officers
            .iter()
            .find(|o| o.user_id == *id)
            .map(|o| format!("{}（{}）", o.name, o.number))
            .unwrap_or_else(|| format!("#{id}"))
    }
    fn officer_names(&self, ids: &[i64]) -> String {
        ids.iter()
            .map(|i| self.officer_name(i))
            .collect::<Vec<_>>()
            .join("、")
    }
}

async fn case_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Query(flash): Query<Flash>,
) -> PageResult<Response> {
    require(&p, Permission::ViewCases)?;
    let active = "/enforcement/cases";
    let d = app::detail(&state, &p, id).await.page(&p, active)?;
    let s: CaseState = serde_json::from_value(d.state.clone())
        .map_err(crate::error::ApiError::internal)
        .page(&p, active)?;
    let officers = app::list_officers(&state, &p).await.page(&p, active)?;
    let file_reviews = app::case_file_reviews(&state, &p, id)
        .await
        .page(&p, active)?;
    let rubric = app::rubric(&state).await.page(&p, active)?;
    let can_score = d.can_review_file;
    // Only the kinds the item allows.
    let penalty_kinds = s
        .item
        .spec
        .penalty_kinds
        .iter()
        .map(|k| (k.as_str(), k.label_zh()))
        .collect();
    let evidence = evidence::list(&state, &p, id).await.page(&p, active)?;
    let can_upload =
        p.can(Permission::HandleCase) && s.status != fazhi_core::enforcement::CaseStatus::Archived;
    Ok(render(&CasePage {
        chrome: Chrome::new(&p, active),
        d,
        s,
        officers,
        flash,
        today: state.clock.today().to_string(),
        evidence_kinds: options(EvidenceKind::ALL, |k| (k.as_str(), k.label_zh())),
        grades: options(Grade::ALL, |k| (k.as_str(), k.label_zh())),
        penalty_kinds,
        outcomes: options(CaseOutcome::ALL, |k| (k.as_str(), k.label_zh())),
        opinions: options(ReviewOpinion::ALL, |k| (k.as_str(), k.label_zh())),
        methods: options(ServiceMethod::ALL, |k| (k.as_str(), k.label_zh())),
        pause_reasons: options(PauseReason::ALL, |k| (k.as_str(), k.label_zh())),
        checks: options(ReviewCheck::ALL, |k| (k.as_str(), k.label_zh())),
        file_reviews,
        rubric,
        can_score,
        evidence,
        can_upload,
    }))
}

async fn file_review_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    require(&p, Permission::ReviewCase)?;
    let f = Fields(fields);
    let here = format!("/enforcement/cases/{id}");
    let rubric = app::rubric(&state).await.page(&p, "/enforcement/cases")?;
    let mut deductions = Vec::new();
    for i in rubric.items.iter().filter(|i| !i.veto) {
        let points = match f.one(&format!("deduct_{}", i.code)) {
            None => 0,
            Some(v) => match v.parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    let m = format!("「{}」扣分须为整数", i.label);
                    return Ok(see_other(&format!("{here}?err={}", url_encode(&m))));
                }
            },
        };
        deductions.push(fazhi_core::enforcement::Deduction {
            item: i.code.clone(),
            points,
            note: f.text(&format!("note_{}", i.code)),
        });
    }
    let body = FileReviewIn {
        vetoes: f.all("vetoes").into_iter().map(String::from).collect(),
        deductions,
    };
    match app::review_file(&state, &p, id, &body).await {
        Ok(r) => Ok(see_other(&format!(
            "{here}?ok={}",
            url_encode(&format!("评查完成：{}分，{}", r.score, r.grade_label))
        ))),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            Ok(see_other(&format!(
                "{here}?err={}",
                url_encode(&crate::matters::pages::error_text(&e))
            )))
        }
        Err(e) => Err(crate::page_error::PageError::of(
            e,
            &p,
            "/enforcement/cases",
        )),
    }
}

async fn act_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    require(&p, Permission::ViewCases)?;
    let f = Fields(fields);
    let here = format!("/enforcement/cases/{id}");
    let body: CaseActionBody = match form::action(&f).and_then(form::parse) {
        Ok(b) => b,
        Err(m) => return Ok(see_other(&format!("{here}?err={}", url_encode(&m)))),
    };
    let label = body.action.code().label_zh();
    match app::act(&state, &p, id, &body).await {
        Ok(_) => Ok(see_other(&format!(
            "{here}?ok={}",
            url_encode(&format!("已{label}"))
        ))),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            Ok(see_other(&format!(
                "{here}?err={}",
                url_encode(&crate::matters::pages::error_text(&e))
            )))
        }
        Err(e) => Err(crate::page_error::PageError::of(
            e,
            &p,
            "/enforcement/cases",
        )),
    }
}
