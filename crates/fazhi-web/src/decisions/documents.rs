//! DOCX documents of the review desk, major decisions and normative documents, in the
//! 公文 layout (`fazhi_office::decisions`): the 合法性审查意见书, the 征求意见公告 and
//! 决策公告, the 规范性文件 with its number and its 备案报告. Each is read in the
//! caller's scope (404 outside it), answers 409 while the record's state does not
//! support it yet, and every download writes an audit row.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use fazhi_core::role::Permission;
use fazhi_db::decisions::{advisers, major, normative};
use fazhi_office::decisions as docs;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiPath;
use crate::matters::documents::{default_issuer, docx_response};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(review_opinion))
        .routes(routes!(consultation_notice))
        .routes(routes!(decision_notice))
        .routes(routes!(normative_document))
        .routes(routes!(filing_report))
}

fn not_yet(m: &str) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "invalid_state", m)
}

async fn build(f: impl FnOnce() -> Result<Vec<u8>, String> + Send + 'static) -> ApiResult<Vec<u8>> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}

async fn answer(
    state: &AppState,
    p: &Principal,
    (action, target): (&str, String),
    bytes: Vec<u8>,
    ascii: &str,
    name: &str,
) -> ApiResult<Response> {
    fazhi_db::audit::record(&state.db, &p.actor(), action, &target, name).await?;
    docx_response(bytes, ascii, name)
}

/// The 合法性审查意见书 of an item with its opinion (409 before the opinion).
pub(crate) async fn review_opinion_docx(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<Response> {
    let (_, row) = super::app::readable(state, p, id).await?;
    let s = row.state()?;
    let Some(o) = s.opinion.as_ref() else {
        return Err(not_yet("尚未出具审查意见，不能生成合法性审查意见书"));
    };
    let mut reviewer = fazhi_db::auth::users::get(&state.db, o.reviewer_id)
        .await
        .map(|u| u.display_name)
        .unwrap_or_default();
    if let Some(a) = advisers::assigned_adviser(&state.db, id).await? {
        let a = advisers::by_id(&state.db, a).await?;
        if a.user_id == Some(o.reviewer_id) {
            reviewer = format!("{}（{}律师，法律顾问）", a.lawyer, a.firm);
        }
    }
    let d = docs::ReviewOpinionDoc {
        issuer: default_issuer(state, row.division_id).await?,
        title: s.title.clone(),
        kind_label: s.kind.label_zh().into(),
        drafting_unit: s.drafting_unit.clone(),
        submitted_on: s.submitted_on,
        materials: s.materials.clone(),
        opinion_label: o.opinion.label_zh().into(),
        reasons: o.reasons.clone(),
        reviewer,
        reviewed_on: o.on,
    };
    let bytes = build(move || docs::review_opinion(&d)).await?;
    answer(
        state,
        p,
        ("legal_review.document", format!("legal_review:{id}")),
        bytes,
        &format!("legal-review-opinion-{id}.docx"),
        &format!("合法性审查意见书-{}.docx", s.title),
    )
    .await
}

async fn decision_of(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<(fazhi_core::decisions::DecisionState, String)> {
    let scope = p.require(Permission::ViewDecisions)?;
    let row = major::get(&state.db, &scope.roots, id).await?;
    let cat = major::catalogue(&state.db, &scope.roots, row.catalogue_id).await?;
    let issuer = default_issuer(state, cat.township_id).await?;
    Ok((row.state()?, issuer))
}

/// The 征求意见公告 of a decision whose draft was published.
pub(crate) async fn consultation_docx(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<Response> {
    let (s, issuer) = decision_of(state, p, id).await?;
    let title = major::by_id(&state.db, id).await?.title;
    let Some(c) = s.consultation.as_ref() else {
        return Err(not_yet("决策草案尚未公开征求意见，不能生成征求意见公告"));
    };
    let d = docs::ConsultationNoticeDoc {
        issuer,
        decision_title: title.clone(),
        draft: c.draft.clone(),
        explanation: c.explanation.clone(),
        published_on: c.published_on,
        closes_on: c.closes_on,
        shorter_reason: c.shorter_reason.clone(),
        hearing: c.hearing.as_ref().map(|h| (h.on, h.participants.clone())),
    };
    let bytes = build(move || docs::consultation_notice(&d)).await?;
    answer(
        state,
        p,
        ("major_decision.document", format!("major_decision:{id}")),
        bytes,
        &format!("consultation-notice-{id}.docx"),
        &format!("征求意见公告-{title}.docx"),
    )
    .await
}

/// The 决策公告 of a published decision.
pub(crate) async fn decision_notice_docx(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<Response> {
    let (s, issuer) = decision_of(state, p, id).await?;
    let title = major::by_id(&state.db, id).await?.title;
    let (Some(on), Some(x)) = (s.published_on, s.discussion.as_ref()) else {
        return Err(not_yet("决策尚未公布，不能生成决策公告"));
    };
    let d = docs::DecisionNoticeDoc {
        issuer,
        decision_title: title.clone(),
        text: s.published_text.clone(),
        discussed_on: x.on,
        published_on: on,
    };
    let bytes = build(move || docs::decision_notice(&d)).await?;
    answer(
        state,
        p,
        ("major_decision.document", format!("major_decision:{id}")),
        bytes,
        &format!("decision-notice-{id}.docx"),
        &format!("决策公告-{title}.docx"),
    )
    .await
}

async fn normative_of(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<(
    fazhi_db::decisions::normative::NormativeRow,
    fazhi_core::decisions::NormativeState,
    String,
)> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let row = normative::get(&state.db, &scope.roots, id).await?;
    let s = row.state()?;
    let issuer = default_issuer(state, row.division_id).await?;
    Ok((row, s, issuer))
}

/// The 规范性文件 with its number (once registered and numbered).
pub(crate) async fn normative_docx(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<Response> {
    let (_, s, issuer) = normative_of(state, p, id).await?;
    let (Some(issued), false) = (s.issued_on, s.number.trim().is_empty()) else {
        return Err(not_yet("规范性文件尚未统一登记编号，不能生成正式文本"));
    };
    let d = docs::NormativeDoc {
        issuer,
        number: s.number.clone(),
        title: s.title.clone(),
        text: s.text.clone(),
        issued_on: issued,
        effective_on: s.effective_on,
        expires_on: s.expires_on,
    };
    let bytes = build(move || docs::normative_document(&d)).await?;
    answer(
        state,
        p,
        ("normative.document", format!("normative:{id}")),
        bytes,
        &format!("normative-document-{id}.docx"),
        &format!("{}-{}.docx", s.number, s.title),
    )
    .await
}

/// The 备案报告 of a published document (filing follows publication).
pub(crate) async fn filing_docx(state: &AppState, p: &Principal, id: i64) -> ApiResult<Response> {
    let (row, s, issuer) = normative_of(state, p, id).await?;
    let (Some(issued), Some(published)) = (s.issued_on, s.published_on) else {
        return Err(not_yet("规范性文件尚未公布，不能生成备案报告"));
    };
    let filed_with = if s.filed_with.trim().is_empty() {
        let t = fazhi_db::admin::divisions::by_id(&state.db, row.division_id).await?;
        match t.parent_id {
            Some(pid) => format!(
                "{}人民政府",
                fazhi_db::admin::divisions::by_id(&state.db, pid)
                    .await?
                    .name
            ),
            None => "县（区）人民政府".into(),
        }
    } else {
        s.filed_with.clone()
    };
    let reviewed_on = match s.legal_review_id {
        Some(r) => {
            fazhi_db::decisions::reviews::by_id(&state.db, r)
                .await?
                .reviewed_on
        }
        None => None,
    };
    let d = docs::FilingReportDoc {
        issuer,
        filed_with,
        number: s.number.clone(),
        title: s.title.clone(),
        drafting_unit: s.drafting_unit.clone(),
        reviewed_on,
        deliberated_on: s.deliberation.as_ref().map(|x| x.on),
        issued_on: issued,
        published_on: published,
        published_via: s.published_via.clone(),
        effective_on: s.effective_on,
        date: s.filed_on.unwrap_or_else(|| state.clock.today()),
    };
    let bytes = build(move || docs::filing_report(&d)).await?;
    answer(
        state,
        p,
        ("normative.document", format!("normative:{id}")),
        bytes,
        &format!("filing-report-{id}.docx"),
        &format!("备案报告-{}.docx", s.title),
    )
    .await
}

/// The 合法性审查意见书 (409 before the opinion).
#[utoipa::path(get, path = "/api/v1/legal-reviews/{id}/documents/opinion.docx", tag = "decisions",
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn review_opinion(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    review_opinion_docx(&state, &p, id).await
}

/// The 征求意见公告 (409 before the draft is published).
#[utoipa::path(get, path = "/api/v1/decisions/{id}/documents/consultation-notice.docx", tag = "decisions",
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn consultation_notice(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    consultation_docx(&state, &p, id).await
}

/// The 决策公告 (409 before publication).
#[utoipa::path(get, path = "/api/v1/decisions/{id}/documents/decision-notice.docx", tag = "decisions",
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn decision_notice(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    decision_notice_docx(&state, &p, id).await
}

/// The 规范性文件 with its number (409 before registration).
#[utoipa::path(get, path = "/api/v1/normative-documents/{id}/documents/document.docx", tag = "decisions",
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn normative_document(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    normative_docx(&state, &p, id).await
}

/// The 备案报告 to the county government (409 before publication).
#[utoipa::path(get, path = "/api/v1/normative-documents/{id}/documents/filing-report.docx", tag = "decisions",
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn filing_report(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    filing_docx(&state, &p, id).await
}
