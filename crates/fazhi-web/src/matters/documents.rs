//! Documents of a matter as DOCX in the 公文 layout: the 人民调解协议书 of a mediated
//! matter (with the parties' full ID numbers and phones, opened from the vault and
//! audited) and the 信访事项受理告知书 of a petition once accepted or not accepted.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fazhi_core::matter::{AssigneeKind, Kind, MatterState, MediationOutcome, Status};
use fazhi_core::party::PartyRole;
use fazhi_core::role::{Permission, Scope};
use fazhi_db::matters::{self, MatterRow, parties};
use fazhi_office::mediation::{self, Agreement, AgreementParty};
use fazhi_office::notice::{self, AcceptanceNotice, Decision};
use serde::Deserialize;
use time::Date;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::wire::parse_date;
use crate::AppState;
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// Longest free text accepted in one field of a document.
const MAX_TEXT: usize = 5000;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(mediation_agreement))
        .routes(routes!(confirmation_application))
        .routes(routes!(acceptance_notice))
}

/// What the mediator writes into the agreement; the parties come from the matter.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AgreementIn {
    /// 纠纷主要事实、争议事项.
    #[serde(default)]
    pub facts: String,
    /// 各方当事人的责任 (optional).
    pub responsibilities: Option<String>,
    /// 协议内容: the agreed terms, one per line.
    #[serde(default)]
    pub terms: String,
    /// 履行方式、时限.
    #[serde(default)]
    pub performance: String,
    /// 人民调解员 name.
    #[serde(default)]
    pub mediator: String,
    /// 人民调解委员会 name; defaults to the village that handled the matter, else its township.
    pub committee: Option<String>,
    /// 编号; defaults to the matter's 查询码.
    pub number: Option<String>,
    /// Date of the agreement, `YYYY-MM-DD`; defaults to today.
    pub date: Option<String>,
    /// For the 司法确认申请书: the court; defaults to the county's 人民法院.
    #[serde(default)]
    pub court: Option<String>,
}

/// Options of the acceptance notice.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeQuery {
    /// The issuing body; defaults to the township's government (or street office).
    pub issuer: Option<String>,
    /// Date of the notice, `YYYY-MM-DD`; defaults to today.
    pub date: Option<String>,
}

/// Matters the caller may make documents for: where they handle or manage matters.
fn document_scope(p: &Principal) -> ApiResult<Scope> {
    let mut roots = p.scope(Permission::HandleMatter).roots;
    roots.extend(p.scope(Permission::ManageMatters).roots);
    roots.sort();
    roots.dedup();
    if roots.is_empty() {
        return Err(ApiError::forbidden());
    }
    Ok(Scope { roots })
}

/// Documents of a matter are made by those who act on it: its current handler or the
/// centre (fazhi_core::matter::Hands), not everyone who works somewhere in its place.
fn may_document(p: &Principal, row: &matters::MatterRow) -> ApiResult<()> {
    let h = super::app::hands_on(p, row)?;
    if h.handle || h.manage {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "not_assignee",
            "您不是该事项当前的承办人员：只有承办单位的人员或综治中心可以制作其文书",
        ))
    }
}

fn conflict(message: &str) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "invalid_state", message)
}

fn date_or_today(state: &AppState, field: &str, v: Option<&str>) -> ApiResult<Date> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(state.clock.today()),
        Some(s) => parse_date(s).ok_or_else(|| ApiError::field(field, "日期格式须为YYYY-MM-DD")),
    }
}

/// The township (镇/乡/街道) a division lies in, or the division itself above that level.
pub(crate) async fn township_name(state: &AppState, division_id: i64) -> ApiResult<String> {
    let mut d = fazhi_db::admin::divisions::by_id(&state.db, division_id).await?;
    for _ in 0..4 {
        if d.level != fazhi_core::division::Level::Village {
            break;
        }
        let Some(parent) = d.parent_id else { break };
        d = fazhi_db::admin::divisions::by_id(&state.db, parent).await?;
    }
    Ok(d.name)
}

/// The issuing body a township's documents name by default: its people's government,
/// or a street's office.
pub(crate) async fn default_issuer(state: &AppState, division_id: i64) -> ApiResult<String> {
    let t = township_name(state, division_id).await?;
    Ok(if t.ends_with("街道") {
        format!("{t}办事处")
    } else {
        format!("{t}人民政府")
    })
}

/// `attachment` with an ASCII fallback name and the Chinese name (RFC 6266 / 5987).
fn attachment(ascii: &str, name: &str) -> ApiResult<HeaderValue> {
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .map_err(ApiError::internal)
}

pub(crate) fn docx_response(bytes: Vec<u8>, ascii: &str, name: &str) -> ApiResult<Response> {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(DOCX));
    h.insert(header::CONTENT_DISPOSITION, attachment(ascii, name)?);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// Checks the mediator's input; every bad field is reported at once.
fn check_agreement(body: &AgreementIn) -> ApiResult<()> {
    let mut e = ApiError::bad_request("调解协议书内容不完整，请检查标出的项目");
    let mut need = |field: &str, v: &str, label: &str| {
        if v.trim().is_empty() {
            e.body.fields.insert(field.into(), format!("请填写{label}"));
        } else if v.chars().count() > MAX_TEXT {
            e.body
                .fields
                .insert(field.into(), format!("{label}不能超过{MAX_TEXT}字"));
        } else if let Err(m) = fazhi_core::validate::no_control_chars(label, v) {
            e.body.fields.insert(field.into(), m);
        }
    };
    need("facts", &body.facts, "纠纷主要事实和争议事项");
    need("terms", &body.terms, "协议内容");
    need("performance", &body.performance, "履行方式和期限");
    need("mediator", &body.mediator, "人民调解员姓名");
    for (field, v, label, max) in [
        (
            "responsibilities",
            &body.responsibilities,
            "当事人责任",
            MAX_TEXT,
        ),
        ("committee", &body.committee, "人民调解委员会名称", 60),
        ("number", &body.number, "编号", 60),
    ] {
        if v.as_deref().is_some_and(|s| s.chars().count() > max) {
            e.body
                .fields
                .insert(field.into(), format!("{label}不能超过{max}字"));
        } else if let Some(Err(m)) = v
            .as_deref()
            .map(|s| fazhi_core::validate::no_control_chars(label, s))
        {
            e.body.fields.insert(field.into(), m);
        }
    }
    if body.mediator.chars().count() > 30 && !e.body.fields.contains_key("mediator") {
        e.body
            .fields
            .insert("mediator".into(), "人民调解员姓名不能超过30字".into());
    }
    if e.body.fields.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

/// Whether an agreement can be written for the matter now.
fn check_mediable(row: &MatterRow, st: &MatterState) -> ApiResult<()> {
    if !row.kind.allows_mediation() {
        return Err(conflict("该类事项不适用人民调解，不能制作调解协议书"));
    }
    if matches!(
        row.status,
        Status::Pending | Status::Registered | Status::NotAccepted | Status::Rejected
    ) {
        return Err(conflict("事项尚未受理，不能制作调解协议书"));
    }
    if st
        .closure
        .as_ref()
        .is_some_and(|c| c.outcome == Some(MediationOutcome::Failed))
    {
        return Err(conflict("该事项调解不成，不能制作调解协议书"));
    }
    // Only for an agreement reached (decisions.md): a session recorded with 调解成功 or
    // 部分成功, or a closing that says so.
    let agreed = st.mediation_agreed
        || st.closure.as_ref().is_some_and(|c| {
            matches!(
                c.outcome,
                Some(MediationOutcome::Success | MediationOutcome::Partial)
            )
        });
    if !agreed {
        return Err(conflict(
            "尚未记录调解成功（达成协议），请先在“记录调解”中记录调解结果",
        ));
    }
    Ok(())
}

/// The 人民调解协议书 of a mediated matter as DOCX (人民调解法 Arts 28–33; GB/T 9704
/// layout), with the parties' full ID numbers and phones — opening them is written
/// to the audit log — and the 30-day window for 司法确认 with its last day.
#[utoipa::path(post, path = "/api/v1/matters/{id}/documents/mediation-agreement", tag = "matters",
    params(("id" = i64, Path, description = "matter id")), request_body = AgreementIn,
    responses((status = 200, description = "DOCX document", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn mediation_agreement(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AgreementIn>,
) -> ApiResult<Response> {
    agreement_docx(&state, &p, id, body).await
}

/// The 司法确认申请书 of the same agreement as DOCX: every party applying together to
/// the court (`court`, by default the county's 人民法院) within 30 days of the agreement
/// taking effect; the same checks and audit as the agreement.
#[utoipa::path(post, path = "/api/v1/matters/{id}/documents/confirmation-application", tag = "matters",
    params(("id" = i64, Path, description = "matter id")), request_body = AgreementIn,
    responses((status = 200, description = "DOCX document", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn confirmation_application(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AgreementIn>,
) -> ApiResult<Response> {
    confirmation_docx(&state, &p, id, body).await
}

/// The committee an agreement names by default: the village's the matter was handed
/// to, else the township's.
async fn default_committee(state: &AppState, row: &MatterRow) -> ApiResult<String> {
    let name = match (row.assignee_kind, row.assignee_id) {
        (Some(AssigneeKind::Division), Some(d)) => {
            fazhi_db::admin::divisions::by_id(&state.db, d).await?.name
        }
        _ => township_name(state, row.division_id).await?,
    };
    Ok(format!("{name}人民调解委员会"))
}

/// Last day to apply for 司法确认 of an agreement signed on `date`, on the holiday calendar.
pub(crate) fn confirmation_due(state: &AppState, date: Date) -> Date {
    mediation::confirmation_due(date, &state.matters.calendar())
}

/// What the agreement form of the detail page starts from, when the caller may write
/// an agreement for the matter now (`None` otherwise: the form is not shown).
/// `Ok(None)` when the form is not offered (no permission, not in scope, not mediable
/// now); a database failure is an error, not a missing form.
pub(crate) async fn agreement_defaults(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<Option<AgreementIn>> {
    let Ok(scope) = document_scope(p) else {
        return Ok(None);
    };
    let row = match matters::read::get(&state.db, &scope.roots, id).await {
        Ok(r) => r,
        Err(fazhi_db::DbError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if check_mediable(&row, &row.state()?).is_err() || may_document(p, &row).is_err() {
        return Ok(None);
    }
    Ok(Some(AgreementIn {
        facts: row.summary.clone(),
        mediator: p.display_name.clone(),
        committee: Some(default_committee(state, &row).await?),
        date: Some(state.clock.today().to_string()),
        ..AgreementIn::default()
    }))
}

/// The 人民调解协议书 of matter `id` as a DOCX download: checks the caller's scope, the
/// input and the matter's state, opens and audits personal data, builds the file. The
/// API and the detail page's form both come here.
pub(crate) async fn agreement_docx(
    state: &AppState,
    p: &Principal,
    id: i64,
    body: AgreementIn,
) -> ApiResult<Response> {
    let (agreement, row) = agreement_of(state, p, id, body).await?;
    // Building the document is CPU work: keep it off the async threads.
    let bytes = tokio::task::spawn_blocking(move || mediation::write(&agreement))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let code = fazhi_core::matter::tracking_shown(&row.tracking_code);
    docx_response(
        bytes,
        &format!("mediation-agreement-{code}.docx"),
        &format!("人民调解协议书-{code}.docx"),
    )
}

/// The 司法确认申请书 of the same agreement (the parties apply together within 30 days
/// of it taking effect), as DOCX, dated today.
pub(crate) async fn confirmation_docx(
    state: &AppState,
    p: &Principal,
    id: i64,
    body: AgreementIn,
) -> ApiResult<Response> {
    let court = body
        .court
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(String::from);
    if let Some(c) = &court {
        fazhi_core::validate::required_text("人民法院", c, 60)
            .map_err(|m| ApiError::field("court", m))?;
    }
    let (agreement, row) = agreement_of(state, p, id, body).await?;
    let court = match court {
        Some(c) => c,
        None => format!("{}人民法院", county_name(state, row.division_id).await?),
    };
    let today = state.clock.today();
    let bytes = tokio::task::spawn_blocking(move || {
        mediation::confirmation_application(&agreement, &court, today)
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)?;
    let code = fazhi_core::matter::tracking_shown(&row.tracking_code);
    docx_response(
        bytes,
        &format!("confirmation-application-{code}.docx"),
        &format!("司法确认申请书-{code}.docx"),
    )
}

/// The county (区/县) a division lies in.
async fn county_name(state: &AppState, division_id: i64) -> ApiResult<String> {
    let mut d = fazhi_db::admin::divisions::by_id(&state.db, division_id).await?;
    for _ in 0..4 {
        if d.level == fazhi_core::division::Level::County {
            break;
        }
        let Some(parent) = d.parent_id else { break };
        d = fazhi_db::admin::divisions::by_id(&state.db, parent).await?;
    }
    Ok(d.name)
}

/// The agreement of matter `id` from its record and the form: checks the caller's
/// scope, the input and the matter's state, opens (and audits) personal data.
async fn agreement_of(
    state: &AppState,
    p: &Principal,
    id: i64,
    body: AgreementIn,
) -> ApiResult<(Agreement, MatterRow)> {
    let scope = document_scope(p)?;
    let row = matters::read::get(&state.db, &scope.roots, id).await?;
    may_document(p, &row)?;
    check_agreement(&body)?;
    let st = row.state().map_err(ApiError::internal)?;
    check_mediable(&row, &st)?;
    let date = date_or_today(state, "date", body.date.as_deref())?;
    let committee = match body
        .committee
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(c) => c.to_string(),
        None => default_committee(state, &row).await?,
    };
    let listed = parties::of_matter(&state.db, id).await?;
    if listed.is_empty() {
        return Err(conflict("事项没有登记当事人，不能制作调解协议书"));
    }
    // Full ID numbers and phones only for those who may reveal them here; others get
    // the masked values and fill them in by hand on the printed agreement.
    let full = p
        .scope(fazhi_core::role::Permission::RevealPersonalData)
        .covers(&row.division_path);
    let opened = parties::for_export(&state.db, &state.vault, &[id], full).await?;
    if opened.len() != listed.len() {
        return Err(ApiError::internal("parties changed while reading"));
    }
    // The document discloses ID numbers and phones in full: record it before it leaves.
    let disclosed: Vec<&str> = [
        opened
            .iter()
            .any(|o| o.id_number.is_some())
            .then_some("id_number"),
        opened.iter().any(|o| o.phone.is_some()).then_some("phone"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if full && !disclosed.is_empty() {
        fazhi_db::audit::record(
            &state.db,
            &p.actor(),
            "party.reveal",
            &format!("matter:{id}"),
            &format!(
                "{}（人民调解协议书，{}名当事人）",
                disclosed.join(","),
                opened.len()
            ),
        )
        .await?;
    }
    let agreement_parties = listed
        .into_iter()
        .zip(opened)
        .map(|(l, o)| {
            let (sex, age) = o
                .id_number
                .as_deref()
                .and_then(|n| mediation::sex_and_age(n, date))
                .map_or((None, None), |(s, a)| (Some(s.to_string()), Some(a)));
            AgreementParty {
                role: l.role.label_zh().to_string(),
                name: l.name,
                sex,
                age,
                id_number: o.id_number,
                address: l.address,
                phone: o.phone,
                principal: !matches!(l.role, PartyRole::Agent | PartyRole::Guardian),
            }
        })
        .collect();
    let agreement = Agreement {
        committee,
        number: body
            .number
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map_or_else(|| row.tracking_code.clone(), str::to_string),
        parties: agreement_parties,
        facts: body.facts,
        responsibilities: body.responsibilities,
        terms: body.terms,
        performance: body.performance,
        mediator: body.mediator.trim().to_string(),
        confirmation_due: confirmation_due(state, date),
        date,
    };
    Ok((agreement, row))
}

/// The 信访事项受理告知书 (信访工作条例 Art 23) of a petition that was accepted (with the
/// route, procedure and 60-day handling period and its last day) or not accepted (with
/// the reason), as DOCX. 409 while the acceptance decision is still open.
#[utoipa::path(get, path = "/api/v1/matters/{id}/documents/acceptance-notice.docx", tag = "matters",
    params(("id" = i64, Path, description = "matter id"), NoticeQuery),
    responses((status = 200, description = "DOCX document", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn acceptance_notice(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<NoticeQuery>,
) -> ApiResult<Response> {
    let scope = document_scope(&p)?;
    let row = matters::read::get(&state.db, &scope.roots, id).await?;
    may_document(&p, &row)?;
    if row.kind != Kind::Petition {
        return Err(conflict("受理告知书只适用于信访事项"));
    }
    let date = date_or_today(&state, "date", q.date.as_deref())?;
    let st = row.state().map_err(ApiError::internal)?;
    let rules = state.matters.rules();
    let decision = match (st.status, st.accepted_on) {
        (Status::NotAccepted, _) => Decision::NotAccepted {
            reason: st
                .refusal_reason
                .clone()
                .unwrap_or_else(|| "不属于本机关受理范围".into()),
        },
        (_, Some(on)) => {
            let handling = st.handling.as_ref();
            let period = handling.map_or(rules.petition.handling, |h| h.period);
            let due = match handling {
                Some(h) => h.due,
                None => period.due(on, &state.matters.calendar()),
            };
            Decision::Accepted {
                on,
                period: period.label_zh(),
                due,
                max_extension_days: rules.petition.max_extension_days,
            }
        }
        _ => {
            return Err(conflict(
                "该信访事项尚未作出受理或者不予受理的决定，暂不能出具受理告知书",
            ));
        }
    };
    let issuer = match q.issuer.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(i) if i.chars().count() <= 60 => i.to_string(),
        Some(_) => return Err(ApiError::field("issuer", "发文机关名称不能超过60字")),
        None => default_issuer(&state, row.division_id).await?,
    };
    let listed = parties::of_matter(&state.db, id).await?;
    let petitioners: Vec<String> = {
        let own: Vec<String> = listed
            .iter()
            .filter(|l| l.role == PartyRole::Petitioner)
            .map(|l| l.name.clone())
            .collect();
        if own.is_empty() {
            listed.iter().map(|l| l.name.clone()).collect()
        } else {
            own
        }
    };
    let notice = AcceptanceNotice {
        issuer,
        petitioner: if petitioners.is_empty() {
            "信访人".into()
        } else {
            petitioners.join("、")
        },
        tracking_code: fazhi_core::matter::tracking_shown(&row.tracking_code),
        received_on: row.received_on,
        channel: row.channel.label_zh().to_string(),
        summary: row.summary.clone(),
        decision,
        date,
    };
    let bytes = tokio::task::spawn_blocking(move || notice::write(&notice))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let code = &row.tracking_code;
    docx_response(
        bytes,
        &format!("acceptance-notice-{code}.docx"),
        &format!("信访事项受理告知书-{code}.docx"),
    )
}
