//! The detail page of a matter: fields, parties (masked, with an audited reveal),
//! photos, timeline, matters of the same people, the QR code of the public page, and
//! the action forms the current status allows. Actions go through `app::run_action`.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_core::matter::{
    ActionCode, ClosureType, Kind, MediationOutcome, PetitionOpinion, Route, Satisfaction, Status,
    SupervisionLevel,
};
use fazhi_core::role::Permission;
use fazhi_db::matters::parties;
use fazhi_db::pii::PiiKind;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Flash, Row, error_page, error_text, forbidden, labels, rows, see_other};
use crate::AppState;
use crate::admin::pages::beijing_time;
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::extract::ApiPath;
use crate::matters::app;
use crate::matters::documents::{self, AgreementIn};
use crate::matters::wire::{CodeLabel, EventOut, MatterDetail, MatterOut, PartyOut, parse_date};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/matters/{id}", get(detail_page))
        .route("/matters/{id}/act", post(act_submit))
        .route(
            "/matters/{id}/parties/{party_id}/reveal",
            post(reveal_submit),
        )
        .route("/matters/{id}/mediation-agreement", post(agreement_submit))
        .route(
            "/matters/{id}/confirmation-application",
            post(confirmation_submit),
        )
        .route(
            "/matters/{id}/attachments",
            post(attach_submit).layer(axum::extract::DefaultBodyLimit::max(
                crate::matters::attachments::MAX_ATTACHMENT_BYTES as usize + (1 << 20),
            )),
        )
}

/// A file added from the page (multipart, the CSRF token in the query string).
async fn attach_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    form: axum::extract::Multipart,
) -> Response {
    match crate::matters::attachments::upload(&state, &p, id, form).await {
        Ok(a) => see_other(&format!(
            "/matters/{id}?ok={}",
            url_encode(&format!("已添加附件：{}", a.name))
        )),
        Err(e) if e.status.is_client_error() && e.status != StatusCode::NOT_FOUND => see_other(
            &format!("/matters/{id}?err={}", url_encode(&error_text(&e))),
        ),
        Err(e) => error_page(e, &p),
    }
}

/// Which action forms to show: allowed by the status and held permissions. The
/// workflow in `fazhi-core` still decides; this only hides forms that cannot work.
#[derive(Default)]
struct Avail {
    register: bool,
    accept: bool,
    reject: bool,
    assign: bool,
    acknowledge: bool,
    transfer: bool,
    ret: bool,
    escalate: bool,
    mediation: bool,
    extend: bool,
    pause: bool,
    resume: bool,
    supervise: bool,
    close: bool,
    follow_up: bool,
    reopen: bool,
    archive: bool,
    feedback: bool,
    approve_closure: bool,
    reject_closure: bool,
    assess: bool,
}

impl Avail {
    /// The buttons: exactly the actions core offers this user on this matter.
    fn of(allowed: &[ActionCode]) -> Avail {
        let has = |c| allowed.contains(&c);
        Avail {
            register: has(ActionCode::Register),
            accept: has(ActionCode::Accept),
            reject: has(ActionCode::Reject),
            assign: has(ActionCode::Assign),
            acknowledge: has(ActionCode::Acknowledge),
            transfer: has(ActionCode::Transfer),
            ret: has(ActionCode::Return),
            escalate: has(ActionCode::Escalate),
            mediation: has(ActionCode::RecordMediation),
            extend: has(ActionCode::Extend),
            pause: has(ActionCode::Pause),
            resume: has(ActionCode::Resume),
            supervise: has(ActionCode::Supervise),
            close: has(ActionCode::Close),
            follow_up: has(ActionCode::FollowUp),
            reopen: has(ActionCode::Reopen),
            archive: has(ActionCode::Archive),
            feedback: has(ActionCode::Feedback),
            approve_closure: has(ActionCode::ApproveClosure),
            reject_closure: has(ActionCode::RejectClosure),
            assess: has(ActionCode::Assess),
        }
    }

    fn any(&self) -> bool {
        [
            self.register,
            self.accept,
            self.reject,
            self.assign,
            self.acknowledge,
            self.transfer,
            self.ret,
            self.escalate,
            self.mediation,
            self.extend,
            self.pause,
            self.resume,
            self.supervise,
            self.close,
            self.follow_up,
            self.reopen,
            self.archive,
            self.feedback,
            self.approve_closure,
            self.reject_closure,
            self.assess,
        ]
        .contains(&true)
    }
}

/// A revealed value, shown once on the response to the reveal.
struct Revealed {
    party_id: i64,
    field: &'static str,
    value: String,
}

/// One line of the timeline: a step of the workflow, or a file added (一事一档).
struct EventView {
    at_ms: i64,
    at: String,
    action: String,
    status_label: &'static str,
    actor: String,
    note: String,
    /// The file's download, for a file.
    link: Option<String>,
}

impl EventView {
    fn of(e: EventOut) -> EventView {
        EventView {
            at_ms: e.at,
            at: beijing_time(e.at),
            action: e.action_label.to_string(),
            status_label: e.to_status.label_zh(),
            actor: e.actor,
            note: e.note,
            link: None,
        }
    }

    fn file(a: &crate::matters::attachments::AttachmentOut) -> EventView {
        EventView {
            at_ms: a.uploaded_at,
            at: beijing_time(a.uploaded_at),
            action: format!("添加附件（{}）", a.kind_label),
            status_label: a.step_label,
            actor: a.uploader.clone(),
            note: if a.description.is_empty() {
                a.name.clone()
            } else {
                format!("{}：{}", a.name, a.description)
            },
            link: Some(a.download.clone()),
        }
    }
}

/// The 人民调解协议书 form as posted (all text; empty optional fields mean "default").
#[derive(Deserialize, Default, Clone)]
struct AgreementForm {
    #[serde(default)]
    facts: String,
    #[serde(default)]
    responsibilities: String,
    #[serde(default)]
    terms: String,
    #[serde(default)]
    performance: String,
    #[serde(default)]
    mediator: String,
    #[serde(default)]
    committee: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    date: String,
    /// For the 司法确认申请书.
    #[serde(default)]
    court: String,
}

impl AgreementForm {
    fn of(a: AgreementIn) -> AgreementForm {
        AgreementForm {
            facts: a.facts,
            responsibilities: a.responsibilities.unwrap_or_default(),
            terms: a.terms,
            performance: a.performance,
            mediator: a.mediator,
            committee: a.committee.unwrap_or_default(),
            number: a.number.unwrap_or_default(),
            date: a.date.unwrap_or_default(),
            court: a.court.unwrap_or_default(),
        }
    }

    fn body(&self) -> AgreementIn {
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        AgreementIn {
            facts: self.facts.clone(),
            responsibilities: opt(&self.responsibilities),
            terms: self.terms.clone(),
            performance: self.performance.clone(),
            mediator: self.mediator.clone(),
            committee: opt(&self.committee),
            number: opt(&self.number),
            date: opt(&self.date),
            court: opt(&self.court),
        }
    }
}

/// The agreement form on the page: values, field messages, and the last day for
/// 司法确认 of an agreement signed on its date.
struct AgreementView {
    f: AgreementForm,
    errors: BTreeMap<String, String>,
    open: bool,
    signed_on: String,
    confirmation_due: String,
}

impl AgreementView {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }
}

/// What a response adds to the plain page: a revealed value, or a refused agreement
/// form to show again.
#[derive(Default)]
struct Extra {
    revealed: Option<Revealed>,
    agreement: Option<(AgreementForm, BTreeMap<String, String>)>,
}

/// The vocabularies of the action forms.
struct Choices {
    kinds: Vec<CodeLabel>,
    closure_types: Vec<CodeLabel>,
    outcomes: Vec<CodeLabel>,
    routes: Vec<CodeLabel>,
    opinions: Vec<CodeLabel>,
    satisfactions: Vec<CodeLabel>,
    levels: Vec<CodeLabel>,
    /// `unit:ID` or `division:ID`, with a label.
    assignees: Vec<CodeLabel>,
}

#[derive(Template)]
#[template(path = "matters/detail.html")]
struct DetailPage {
    chrome: Chrome,
    m: MatterOut,
    /// The township of the matter's village (names repeat across townships).
    township: String,
    parties: Vec<PartyOut>,
    events: Vec<EventView>,
    photos: Vec<i64>,
    related: Vec<Row>,
    revealed: Option<Revealed>,
    can_reveal: bool,
    agreement: Option<AgreementView>,
    avail: Avail,
    any_action: bool,
    /// The user's 办结 goes to the centre's review first.
    closing_reviewed: bool,
    /// 协办 names, 签收 day, a closing waiting for review.
    co_handlers: String,
    /// （…签收） or （待签收） beside the handler.
    sign_note: String,
    review: Option<String>,
    /// The centre's assessment (研判) in words, and the levels to choose from.
    assessment: Option<String>,
    risks: Vec<(&'static str, &'static str, &'static str)>,
    c: Choices,
    today: String,
    max_extension: u32,
    track_url: String,
    qr_svg: String,
    flash_ok: Option<String>,
    flash_err: Option<String>,
    /// Enforcement cases opened from this matter, and whether the user may open one.
    cases: Vec<crate::enforcement::app::LinkedCase>,
    can_hand_over: bool,
    /// Files kept with the matter, and whether the user may add one.
    attachments: Vec<crate::matters::attachments::AttachmentOut>,
    can_attach: bool,
    attachment_kinds: Vec<(&'static str, &'static str)>,
}

impl DetailPage {
    fn shown(&self, party_id: &i64, field: &str) -> Option<&str> {
        self.revealed
            .as_ref()
            .filter(|r| r.party_id == *party_id && r.field == field)
            .map(|r| r.value.as_str())
    }

    fn due_kind_label(&self) -> &'static str {
        self.m.due_kind.map_or("期限", |k| k.label_zh())
    }

    fn supervision_label(&self) -> &'static str {
        self.m.supervision.map_or("", SupervisionLevel::label_zh)
    }

    fn closure_label(&self) -> &'static str {
        self.m.closure_type.map_or("", ClosureType::label_zh)
    }

    fn outcome_label(&self) -> &'static str {
        self.m.outcome.map_or("", MediationOutcome::label_zh)
    }

    fn satisfaction_label(&self) -> &'static str {
        self.m.satisfaction.map_or("", Satisfaction::label_zh)
    }

    /// Whether `code` (an option of the kind list) is this matter's kind.
    fn kind_selected(&self, code: &str) -> bool {
        code.parse::<Kind>() == Ok(self.m.kind)
    }

    fn is_dispute(&self) -> bool {
        self.m.kind == Kind::Dispute
    }

    fn is_petition(&self) -> bool {
        self.m.kind == Kind::Petition
    }

    fn is_pending(&self) -> bool {
        self.m.status == Status::Pending
    }

    /// The 受理告知书 exists once a petition was accepted or refused.
    fn notice_ready(&self) -> bool {
        self.is_petition() && (self.m.accepted_on.is_some() || self.m.status == Status::NotAccepted)
    }
}

/// The public page's absolute URL (for the QR code): under the configured public
/// address, else as the visitor reached this site.
pub(super) fn public_url(state: &AppState, headers: &HeaderMap, path: &str) -> String {
    if let Some(base) = &state.settings.public_url {
        return format!("{base}{path}");
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        });
    match host {
        Some(h) => {
            let scheme = if state.settings.secure_cookies {
                "https"
            } else {
                "http"
            };
            format!("{scheme}://{h}{path}")
        }
        None => path.to_string(),
    }
}

/// The QR code of `text` as inline SVG (black on white, no external resources).
pub(crate) fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(168, 168)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

async fn choices(state: &AppState, p: &Principal) -> crate::error::ApiResult<Choices> {
    let scope = p.scope(Permission::ManageMatters);
    let mut assignees = Vec::new();
    if !scope.is_empty() {
        for u in fazhi_db::admin::units::list(&state.db, &scope.roots, None, 0, 2000).await? {
            assignees.push(CodeLabel {
                code: format!("unit:{}", u.id),
                label: format!("{}（{}）", u.name, u.division_name),
            });
        }
        for g in super::villages_in(state, &scope).await? {
            for d in g.villages {
                assignees.push(CodeLabel {
                    code: format!("division:{}", d.id),
                    label: format!("{}（{}）", d.name, g.township),
                });
            }
        }
    }
    Ok(Choices {
        kinds: labels(Kind::ALL, |v| (v.as_str(), v.label_zh())),
        closure_types: labels(ClosureType::ALL, |v| (v.as_str(), v.label_zh())),
        outcomes: labels(MediationOutcome::ALL, |v| (v.as_str(), v.label_zh())),
        routes: labels(Route::ALL, |v| (v.as_str(), v.label_zh())),
        opinions: labels(PetitionOpinion::ALL, |v| (v.as_str(), v.label_zh())),
        satisfactions: labels(Satisfaction::ALL, |v| (v.as_str(), v.label_zh())),
        levels: labels(SupervisionLevel::ALL, |v| (v.as_str(), v.label_zh())),
        assignees,
    })
}

/// Renders the detail page; `status` is the response status (a refused action keeps its 4xx).
async fn show(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: i64,
    flash: Flash,
    extra: Extra,
    status: StatusCode,
) -> Response {
    let d: MatterDetail = match app::detail(state, p, id).await {
        Ok(d) => d,
        Err(e) => return error_page(e, p),
    };
    let rules = state.matters.rules();
    let max_extension = rules
        .for_kind(d.matter.kind)
        .max_extension_days
        .unwrap_or(0);
    let avail = Avail::of(&d.allowed_actions);
    // The agreement form, only where the document can be made now.
    let defaults = match documents::agreement_defaults(state, p, id).await {
        Ok(d) => d,
        Err(e) => return error_page(e, p),
    };
    let agreement = defaults.map(|defaults| {
        let (f, errors, open) = match extra.agreement {
            Some((f, errors)) => (f, errors, true),
            None => (AgreementForm::of(defaults), BTreeMap::new(), false),
        };
        let signed = parse_date(f.date.trim()).unwrap_or_else(|| state.clock.today());
        AgreementView {
            signed_on: signed.to_string(),
            confirmation_due: documents::confirmation_due(state, signed).to_string(),
            f,
            errors,
            open,
        }
    });
    let attachments = match crate::matters::attachments::list(state, p, id).await {
        Ok(a) => a,
        Err(e) => return error_page(e, p),
    };
    let can_attach = crate::matters::attachments::may_add(state, p, id).await;
    let cases = match crate::enforcement::app::linked_cases(state, id).await {
        Ok(c) => c,
        Err(e) => return error_page(e, p),
    };
    // The new-case page checks the matter's scope again.
    let can_hand_over = p.can(Permission::HandleCase);
    let township = township_of(state, &d.matter.division_code).await;
    let track_path = format!("/track/{}", d.matter.tracking_code);
    let track_url = public_url(state, headers, &track_path);
    let page = DetailPage {
        township,
        cases,
        can_hand_over,
        chrome: Chrome::new(p, "/matters"),
        qr_svg: qr_svg(&track_url),
        track_url,
        parties: d.parties,
        events: {
            let mut ev: Vec<EventView> = d.events.into_iter().map(EventView::of).collect();
            ev.extend(attachments.iter().map(EventView::file));
            // Stable: a file added in the same millisecond stays after the step.
            ev.sort_by_key(|e| e.at_ms);
            ev
        },
        attachments,
        can_attach,
        attachment_kinds: fazhi_core::matter::AttachmentKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        photos: d.photos,
        related: rows(d.related),
        revealed: extra.revealed,
        can_reveal: p.can(Permission::RevealPersonalData),
        agreement,
        any_action: avail.any(),
        closing_reviewed: d.closing_reviewed,
        co_handlers: d
            .co_handlers
            .iter()
            .filter_map(|c| c.name.clone())
            .collect::<Vec<_>>()
            .join("、"),
        sign_note: match (&d.acknowledged_on, d.matter.status) {
            (Some(day), _) => format!("（{day} 签收）"),
            (None, fazhi_core::matter::Status::Assigned) => "（待签收）".into(),
            (None, _) => String::new(),
        },
        assessment: d.matter.risk.map(|r| {
            let mut t = format!("{}（{}）", r.label_zh(), r.definition_zh());
            if d.matter.urgent && r != fazhi_core::matter::RiskLevel::Red {
                t.push_str("，紧急");
            }
            if let Some(n) = d.group_people {
                t.push_str(&format!("，群体性（涉及{n}人）"));
            }
            t
        }),
        risks: fazhi_core::matter::RiskLevel::ALL
            .iter()
            .map(|r| (r.as_str(), r.label_zh(), r.definition_zh()))
            .collect(),
        review: d.closing_under_review.as_ref().map(|c| {
            let mut t = format!(
                "{} {}，{}",
                c.closed_on,
                c.closure_type.label_zh(),
                if c.resolved { "已化解" } else { "未化解" }
            );
            if let Some(o) = c.outcome {
                t.push('，');
                t.push_str(o.label_zh());
            }
            if !c.on_time {
                t.push_str("（超期办结）");
            }
            t
        }),
        avail,
        c: match choices(state, p).await {
            Ok(c) => c,
            Err(e) => return error_page(e, p),
        },
        today: state.clock.today().to_string(),
        max_extension,
        flash_ok: flash.ok,
        flash_err: flash.err,
        m: d.matter,
    };
    let mut res = render(&page);
    if res.status() == StatusCode::OK {
        *res.status_mut() = status;
    }
    res
}

async fn detail_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
    Query(flash): Query<Flash>,
) -> Response {
    show(
        &state,
        &p,
        &headers,
        id,
        flash,
        Extra::default(),
        StatusCode::OK,
    )
    .await
}

/// Turns the posted form into the action's JSON: `assignee` and `co_handlers` are
/// `unit:ID` / `division:ID`, `days` a number, `resolved` a boolean; empty fields are
/// left out so optional values stay absent.
fn action_json(
    pairs: Vec<(String, String)>,
) -> Result<(Option<i64>, Map<String, Value>), ApiError> {
    fn assignee(field: &str, v: &str) -> Result<Value, ApiError> {
        let (kind, id) = v
            .split_once(':')
            .and_then(|(k, id)| Some((k, id.parse::<i64>().ok()?)))
            .filter(|(k, _)| matches!(*k, "unit" | "division"))
            .ok_or_else(|| ApiError::field(field, "请选择承办单位"))?;
        Ok(serde_json::json!({"kind": kind, "id": id}))
    }
    let mut version = None;
    let mut map = Map::new();
    let mut co = Vec::new();
    for (k, v) in pairs {
        let v = v.trim().to_string();
        if v.is_empty() || k == "_csrf" {
            continue;
        }
        match k.as_str() {
            "version" => {
                version = Some(
                    v.parse()
                        .map_err(|_| ApiError::bad_request("版本号不正确，请刷新页面"))?,
                )
            }
            "assignee" => {
                map.insert(k.clone(), assignee(&k, &v)?);
            }
            "co_handlers" => co.push(assignee(&k, &v)?),
            "days" => {
                let n: u32 = v
                    .parse()
                    .map_err(|_| ApiError::field("days", "延期天数须为正整数"))?;
                map.insert(k, n.into());
            }
            "resolved" | "result" | "urgent" => {
                map.insert(k, (v == "true").into());
            }
            "group_people" => {
                let n: u32 = v
                    .parse()
                    .map_err(|_| ApiError::field("group_people", "涉及人数须为正整数"))?;
                map.insert(k, n.into());
            }
            _ => {
                map.insert(k, v.into());
            }
        }
    }
    if !co.is_empty() {
        map.insert("co_handlers".into(), Value::Array(co));
    }
    Ok((version, map))
}

async fn act_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if !p.can(Permission::ViewMatters) {
        return forbidden(&p);
    }
    let result = match action_json(pairs) {
        Ok((version, map)) => {
            let label = map
                .get("action")
                .and_then(Value::as_str)
                .and_then(|a| a.parse::<fazhi_core::matter::ActionCode>().ok())
                .map_or("操作", |a| a.label_zh());
            app::run_action(&state, &p, id, version, map)
                .await
                .map(|r| match r.matter.status {
                    // A handler's 办结 is not closed yet: say where it went.
                    fazhi_core::matter::Status::Reviewing => "已办结，待综治中心审核".to_string(),
                    _ => format!("已{label}"),
                })
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(message) => see_other(&format!("/matters/{id}?ok={}", url_encode(&message))),
        Err(e) if e.status.is_client_error() => {
            let msg = error_text(&e);
            let flash = Flash {
                ok: None,
                err: Some(msg),
            };
            show(&state, &p, &headers, id, flash, Extra::default(), e.status).await
        }
        Err(e) => error_page(e, &p),
    }
}

#[derive(Deserialize)]
struct RevealForm {
    field: String,
}

async fn reveal_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    headers: HeaderMap,
    ApiPath((id, party_id)): ApiPath<(i64, i64)>,
    Form(f): Form<RevealForm>,
) -> Response {
    let Ok(scope) = p.require(Permission::RevealPersonalData) else {
        return forbidden(&p);
    };
    let (kind, field) = match f.field.as_str() {
        "id_number" => (PiiKind::IdNumber, "id_number"),
        "phone" => (PiiKind::Phone, "phone"),
        _ => return error_page(ApiError::field("field", "只能查看身份证号或电话"), &p),
    };
    let value = match parties::reveal(
        &state.db,
        &state.vault,
        &p.actor(),
        &scope.roots,
        id,
        party_id,
        kind,
    )
    .await
    {
        Ok(v) => v,
        Err(e) => return error_page(e, &p),
    };
    let revealed = value.map(|value| Revealed {
        party_id,
        field,
        value,
    });
    let mut res = show(
        &state,
        &p,
        &headers,
        id,
        Flash {
            ok: Some("已显示完整信息，此次查看已记入审计日志".into()),
            err: None,
        },
        Extra {
            revealed,
            agreement: None,
        },
        StatusCode::OK,
    )
    .await;
    // The value is shown once: never cached, never kept in history.
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The agreement form: the DOCX download, or the page again with the form and messages.
async fn agreement_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
    Form(f): Form<AgreementForm>,
) -> Response {
    match documents::agreement_docx(&state, &p, id, f.body()).await {
        Ok(res) => res,
        Err(e) if e.status.is_client_error() => {
            let flash = Flash {
                ok: None,
                err: Some(format!("未生成调解协议书：{}", error_text(&e))),
            };
            let extra = Extra {
                revealed: None,
                agreement: Some((f, super::field_errors(&e))),
            };
            show(&state, &p, &headers, id, flash, extra, e.status).await
        }
        Err(e) => error_page(e, &p),
    }
}

/// The 司法确认申请书 from the same form.
async fn confirmation_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
    Form(f): Form<AgreementForm>,
) -> Response {
    match documents::confirmation_docx(&state, &p, id, f.body()).await {
        Ok(res) => res,
        Err(e) if e.status.is_client_error() => {
            let flash = Flash {
                ok: None,
                err: Some(format!("未生成司法确认申请书：{}", error_text(&e))),
            };
            let extra = Extra {
                revealed: None,
                agreement: Some((f, super::field_errors(&e))),
            };
            show(&state, &p, &headers, id, flash, extra, e.status).await
        }
        Err(e) => error_page(e, &p),
    }
}

/// The name of the township above a village (empty for a matter placed at a township).
async fn township_of(state: &AppState, village_code: &str) -> String {
    let Ok(v) = fazhi_db::admin::divisions::by_code(&state.db, village_code).await else {
        return String::new();
    };
    match v
        .parent_id
        .filter(|_| v.level == fazhi_core::division::Level::Village)
    {
        Some(t) => fazhi_db::admin::divisions::by_id(&state.db, t)
            .await
            .map(|t| t.name)
            .unwrap_or_default(),
        None => String::new(),
    }
}
