//! `/api/v1/education/…` and `/api/v1/stats/education`: publicity events, study
//! sessions, rosters, theme days and the figures. Thin adapters over `app/`; every
//! read and write is limited to the caller's scope (out of scope answers 404).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::app;
use super::wire::*;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_events, create_event))
        .routes(routes!(get_event, update_event))
        .routes(routes!(list_study, create_study))
        .routes(routes!(get_study, update_study))
        .routes(routes!(attendees))
        .routes(routes!(list_roster, create_person))
        .routes(routes!(get_person, update_person))
        .routes(routes!(reveal_phone))
        .routes(routes!(get_theme_days, put_theme_days))
        .routes(routes!(options))
        .routes(routes!(education_stats))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import_exam))
                .layer(axum::extract::DefaultBodyLimit::max(MAX_EXAM_BYTES)),
        )
        .routes(routes!(list_exams))
        .routes(routes!(get_exam))
        .routes(routes!(get_bands, put_bands))
        .merge(super::api_duties::routes())
        .merge(super::files::routes())
        .merge(super::api_ledger::routes())
        .merge(super::api_points::routes())
        .merge(super::api_rescue::routes())
        .merge(super::api_roster::routes())
}

/// Largest exam export accepted.
pub(crate) const MAX_EXAM_BYTES: usize = 10 * 1024 * 1024;

/// Reads the parts of an exam upload: `file`, `title`, `held_on`, `division_code`, `commit`.
pub(crate) async fn exam_upload(
    mut mp: axum::extract::Multipart,
) -> crate::error::ApiResult<app::ExamUpload> {
    let unreadable = || crate::error::ApiError::bad_request("上传内容无法读取（文件可能超过10MB）");
    let mut u = app::ExamUpload {
        file_name: String::new(),
        bytes: Vec::new(),
        title: String::new(),
        held_on: String::new(),
        division_code: None,
        commit: false,
    };
    while let Some(field) = mp.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            u.file_name = field.file_name().unwrap_or("成绩.xlsx").to_string();
            u.bytes = field.bytes().await.map_err(|_| unreadable())?.to_vec();
            continue;
        }
        let text = field.text().await.map_err(|_| unreadable())?;
        match name.as_str() {
            "title" => u.title = text,
            "held_on" => u.held_on = text,
            "division_code" => u.division_code = Some(text),
            "commit" => u.commit = matches!(text.trim(), "1" | "true"),
            _ => {}
        }
    }
    if u.bytes.is_empty() {
        return Err(crate::error::ApiError::field(
            "file",
            "请选择考试平台导出的XLSX成绩文件",
        ));
    }
    Ok(u)
}

/// Import exam results exported by the provincial exam platform (multipart: `file`
/// XLSX with 姓名, 单位, 成绩 columns; `title`; `held_on`; `division_code`; `commit`).
/// Without `commit` it only checks and lists bad rows; with it, a file with any bad row
/// writes nothing.
#[utoipa::path(post, path = "/api/v1/education/exams/import", tag = "education",
    request_body(content_type = "multipart/form-data", description = "file, title, held_on, division_code, commit"),
    responses((status = 200, body = ExamImportOut), (status = 201, body = ExamImportOut),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub(crate) async fn import_exam(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    mp: axum::extract::Multipart,
) -> ApiResult<(StatusCode, Json<ExamImportOut>)> {
    let u = exam_upload(mp).await?;
    let out = app::import_exam(&state, &p, u).await?;
    let status = if out.exam_id.is_some() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(out)))
}

/// Exams in scope held in a year, with 参考率, 合格率, 优秀率 of everyone listed.
#[utoipa::path(get, path = "/api/v1/education/exams", tag = "education", params(ExamQuery),
    responses((status = 200, body = Vec<ExamOut>), (status = 400, body = ErrorBody)))]
pub(crate) async fn list_exams(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<ExamQuery>,
) -> ApiResult<Json<Vec<ExamOut>>> {
    Ok(Json(app::list_exams(&state, &p, &q).await?))
}

/// One exam with the rates per unit.
#[utoipa::path(get, path = "/api/v1/education/exams/{id}", tag = "education",
    params(("id" = i64, Path)), responses((status = 200, body = ExamDetail), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_exam(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ExamDetail>> {
    Ok(Json(app::exam_detail(&state, &p, id).await?))
}

/// The grading bands (lowest scores of 优秀, 良好, 合格).
#[utoipa::path(get, path = "/api/v1/education/exam-bands", tag = "education",
    responses((status = 200, body = fazhi_core::education::Bands)))]
pub(crate) async fn get_bands(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<fazhi_core::education::Bands>> {
    Ok(Json(app::bands(&state, &p).await?))
}

/// Set the grading bands (system administrators).
#[utoipa::path(put, path = "/api/v1/education/exam-bands", tag = "education", request_body = BandsIn,
    responses((status = 200, body = fazhi_core::education::Bands), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn put_bands(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<BandsIn>,
) -> ApiResult<Json<fazhi_core::education::Bands>> {
    Ok(Json(app::set_bands(&state, &p, &body).await?))
}

/// Record a publicity event (普法活动).
#[utoipa::path(post, path = "/api/v1/education/events", tag = "education", request_body = EventIn,
    responses((status = 201, body = EventOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn create_event(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<EventIn>,
) -> ApiResult<(StatusCode, Json<EventOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::create_event(&state, &p, &body).await?),
    ))
}

/// Publicity events in scope, the latest first.
#[utoipa::path(get, path = "/api/v1/education/events", tag = "education", params(EventQuery),
    responses((status = 200, body = Vec<EventOut>), (status = 400, body = ErrorBody)))]
pub(crate) async fn list_events(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<EventQuery>,
) -> ApiResult<Json<Vec<EventOut>>> {
    Ok(Json(app::list_events(&state, &p, &q).await?))
}

/// One publicity event.
#[utoipa::path(get, path = "/api/v1/education/events/{id}", tag = "education",
    params(("id" = i64, Path)), responses((status = 200, body = EventOut), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_event(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<EventOut>> {
    Ok(Json(app::event_detail(&state, &p, id).await?))
}

/// Replace a publicity event (with the `version` read; 409 `stale_version` otherwise).
#[utoipa::path(put, path = "/api/v1/education/events/{id}", tag = "education",
    params(("id" = i64, Path)), request_body = EventIn,
    responses((status = 200, body = EventOut), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn update_event(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<EventIn>,
) -> ApiResult<Json<EventOut>> {
    Ok(Json(app::update_event(&state, &p, id, &body).await?))
}

/// Record a study session (学法) with its attendance.
#[utoipa::path(post, path = "/api/v1/education/study-sessions", tag = "education", request_body = StudyIn,
    responses((status = 201, body = StudyOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn create_study(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<StudyIn>,
) -> ApiResult<(StatusCode, Json<StudyOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::create_study(&state, &p, &body).await?),
    ))
}

/// Study sessions in scope, the latest first.
#[utoipa::path(get, path = "/api/v1/education/study-sessions", tag = "education", params(StudyQuery),
    responses((status = 200, body = Vec<StudyOut>), (status = 400, body = ErrorBody)))]
pub(crate) async fn list_study(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<StudyQuery>,
) -> ApiResult<Json<Vec<StudyOut>>> {
    Ok(Json(app::list_study(&state, &p, &q).await?))
}

/// One study session with who was expected and present.
#[utoipa::path(get, path = "/api/v1/education/study-sessions/{id}", tag = "education",
    params(("id" = i64, Path)), responses((status = 200, body = StudyOut), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_study(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<StudyOut>> {
    Ok(Json(app::study_detail(&state, &p, id).await?))
}

/// Replace a study session and its attendance (with the `version` read).
#[utoipa::path(put, path = "/api/v1/education/study-sessions/{id}", tag = "education",
    params(("id" = i64, Path)), request_body = StudyIn,
    responses((status = 200, body = StudyOut), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn update_study(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<StudyIn>,
) -> ApiResult<Json<StudyOut>> {
    Ok(Json(app::update_study(&state, &p, id, &body).await?))
}

/// Query of the attendee candidates.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttendeeQuery {
    /// Code of the session's place; the caller's own by default.
    pub division: Option<String>,
}

/// Accounts that may be on a session's list: those of the township of the place.
#[utoipa::path(get, path = "/api/v1/education/attendees", tag = "education", params(AttendeeQuery),
    responses((status = 200, body = Vec<Candidate>), (status = 400, body = ErrorBody)))]
pub(crate) async fn attendees(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<AttendeeQuery>,
) -> ApiResult<Json<Vec<Candidate>>> {
    Ok(Json(
        app::candidates(&state, &p, q.division.as_deref()).await?,
    ))
}

/// Put a person on a village's roster (法律明白人, mediator, grid worker).
#[utoipa::path(post, path = "/api/v1/education/roster", tag = "education", request_body = RosterIn,
    responses((status = 201, body = RosterOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn create_person(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<RosterIn>,
) -> ApiResult<(StatusCode, Json<RosterOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::create_person(&state, &p, &body).await?),
    ))
}

/// People on the rosters in scope (phones masked).
#[utoipa::path(get, path = "/api/v1/education/roster", tag = "education", params(RosterQuery),
    responses((status = 200, body = Vec<RosterOut>), (status = 400, body = ErrorBody)))]
pub(crate) async fn list_roster(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<RosterQuery>,
) -> ApiResult<Json<Vec<RosterOut>>> {
    Ok(Json(app::list_roster(&state, &p, &q).await?))
}

/// One person on a roster.
#[utoipa::path(get, path = "/api/v1/education/roster/{id}", tag = "education",
    params(("id" = i64, Path)), responses((status = 200, body = RosterOut), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_person(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<RosterOut>> {
    Ok(Json(app::person_detail(&state, &p, id).await?))
}

/// Replace a roster entry (with the `version` read); `active: false` when someone leaves.
#[utoipa::path(put, path = "/api/v1/education/roster/{id}", tag = "education",
    params(("id" = i64, Path)), request_body = RosterIn,
    responses((status = 200, body = RosterOut), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn update_person(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RosterIn>,
) -> ApiResult<Json<RosterOut>> {
    Ok(Json(app::update_person(&state, &p, id, &body).await?))
}

/// Show a person's phone and ID number in full (audited).
#[utoipa::path(post, path = "/api/v1/education/roster/{id}/reveal", tag = "education",
    params(("id" = i64, Path)),
    responses((status = 200, body = PersonRevealOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn reveal_phone(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PersonRevealOut>> {
    Ok(Json(app::reveal_person(&state, &p, id).await?))
}

/// The theme-day table of a year (the built-in one until somebody edits the year).
#[utoipa::path(get, path = "/api/v1/education/theme-days/{year}", tag = "education",
    params(("year" = i32, Path)), responses((status = 200, body = ThemeYear), (status = 400, body = ErrorBody)))]
pub(crate) async fn get_theme_days(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(year): ApiPath<i32>,
) -> ApiResult<Json<ThemeYear>> {
    Ok(Json(app::theme_year(&state, &p, year).await?))
}

/// Replace the theme-day table of a year (system administrators); `[]` restores the built-in one.
#[utoipa::path(put, path = "/api/v1/education/theme-days/{year}", tag = "education",
    params(("year" = i32, Path)), request_body = ThemeYearIn,
    responses((status = 200, body = ThemeYear), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn put_theme_days(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(year): ApiPath<i32>,
    ApiJson(body): ApiJson<ThemeYearIn>,
) -> ApiResult<Json<ThemeYear>> {
    Ok(Json(
        app::put_theme_year(&state, &p, year, &body.days).await?,
    ))
}

/// Codes and labels of the education forms.
#[utoipa::path(get, path = "/api/v1/education/options", tag = "education",
    responses((status = 200, body = EduOptions)))]
pub(crate) async fn options(ApiUser(_p): ApiUser) -> Json<EduOptions> {
    Json(app::options())
}

/// The education figures of a place and year, each with its definition and the list of
/// the records it counts.
#[utoipa::path(get, path = "/api/v1/stats/education", tag = "education", params(EduStatsQuery),
    responses((status = 200, body = EduStats), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn education_stats(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<EduStatsQuery>,
) -> ApiResult<Json<EduStats>> {
    Ok(Json(app::figures(&state, &p, &q).await?))
}
