//! Pages of the report's review and of the district's supervision:
//! `/annual/district/{year}` (every township's report, figures beside the records,
//! shared paragraphs, uploads and 督办), `/annual/{code}/{year}/versions` (two
//! versions side by side), and the forms for comments and replies.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::response::Response;
use axum::routing::{get, post};

use super::district::{self, DistrictView, NoticeIn};
use super::review::{self, CommentIn, SideBySide, VersionView};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiPath;
use crate::matters::pages::{error_text, see_other};
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

/// Largest uploaded report (a Word file with pictures).
const MAX_UPLOAD: usize = 20 * 1024 * 1024;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/annual/district/{year}", get(district_page))
        .route(
            "/annual/district/{year}/upload",
            post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
        .route("/annual/district/{year}/notices", post(send_notice))
        .route("/annual/template", get(template_page).post(template_submit))
        .route("/annual/{code}/{year}/versions", get(versions_page))
        .route("/annual/{code}/{year}/comments", post(add_comment))
        .route("/annual/{code}/{year}/comments/{id}", post(resolve_comment))
        .route("/annual/{code}/{year}/notices/{id}", post(reply_notice))
}

/// Where a form goes back to, with its message: a refused input is shown on the page
/// it came from; anything else is an error page.
pub(super) fn back(p: &Principal, to: &str, done: ApiResult<String>) -> PageResult<Response> {
    let go = |k: &str, m: &str| see_other(&format!("{to}?{k}={}", url_encode(m)));
    match done {
        Ok(m) => Ok(go("ok", &m)),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            Ok(go("err", &error_text(&e)))
        }
        Err(e) => Err(PageError::of(e, p, "/annual")),
    }
}

#[derive(serde::Deserialize, Default)]
struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

#[derive(Template)]
#[template(path = "annual/district.html")]
struct DistrictPage {
    chrome: Chrome,
    v: DistrictView,
    tomorrow: String,
    flash: Flash,
}

async fn district_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(year): ApiPath<i32>,
    Query(flash): Query<Flash>,
) -> PageResult<Response> {
    let v = district::view(&state, &p, year).await.page(&p, "/annual")?;
    Ok(render(&DistrictPage {
        chrome: Chrome::new(&p, "/annual"),
        tomorrow: state
            .clock
            .today()
            .next_day()
            .map(|d| d.to_string())
            .unwrap_or_default(),
        v,
        flash,
    }))
}

async fn upload(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(year): ApiPath<i32>,
    mut mp: Multipart,
) -> PageResult<Response> {
    let to = format!("/annual/district/{year}");
    let mut code = String::new();
    let mut file: Option<(String, axum::body::Bytes)> = None;
    let read = async {
        while let Some(field) = mp.next_field().await? {
            match field.name() {
                Some("code") => code = field.text().await?,
                Some("file") => {
                    let name = crate::reports::pages::file_name(field.file_name().unwrap_or(""));
                    file = Some((name, field.bytes().await?));
                }
                _ => {}
            }
        }
        Ok::<_, axum::extract::multipart::MultipartError>(())
    };
    let done = match read.await {
        Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => Err(ApiError::field(
            "file",
            format!("文件超过{}MB上限", MAX_UPLOAD >> 20),
        )),
        Err(_) => Err(ApiError::field(
            "file",
            "上传中断或内容无法读取，请重新选择文件",
        )),
        Ok(()) => match file {
            Some((name, bytes)) if !bytes.is_empty() => {
                district::upload(&state, &p, code.trim(), year, &name, &bytes)
                    .await
                    .map(|r| {
                        let (e, w) = r.check_counts();
                        format!(
                            "已上传{name}：读出数字{}个，错误{e}处，提示{w}处",
                            r.figures.len()
                        )
                    })
            }
            _ => Err(ApiError::field("file", "请选择报告文件")),
        },
    };
    back(&p, &to, done)
}

#[derive(serde::Deserialize)]
struct NoticeForm {
    code: String,
    subject: String,
    body: String,
    due_on: String,
}

async fn send_notice(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(year): ApiPath<i32>,
    axum::Form(f): axum::Form<NoticeForm>,
) -> PageResult<Response> {
    let n = NoticeIn {
        code: f.code,
        year,
        subject: f.subject,
        body: f.body,
        due_on: f.due_on,
    };
    let done = district::send_notice(&state, &p, &n)
        .await
        .map(|_| format!("督办已发出，回复期限{}", n.due_on.trim()));
    back(&p, &format!("/annual/district/{year}"), done)
}

#[derive(serde::Deserialize)]
struct Compare {
    a: Option<i64>,
    b: Option<i64>,
}

#[derive(Template)]
#[template(path = "annual/versions.html")]
struct VersionsPage {
    chrome: Chrome,
    code: String,
    year: i32,
    versions: Vec<VersionView>,
    side: Option<SideBySide>,
}

async fn versions_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath((code, year)): ApiPath<(String, i32)>,
    Query(q): Query<Compare>,
) -> PageResult<Response> {
    let versions = review::versions(&state, &p, &code, year)
        .await
        .page(&p, "/annual")?;
    // By default the two newest versions.
    let (a, b) = match (q.a, q.b) {
        (Some(a), Some(b)) => (Some(a), Some(b)),
        _ => (
            versions.get(1).map(|v| v.version),
            versions.first().map(|v| v.version),
        ),
    };
    let side = match (a, b) {
        (Some(a), Some(b)) => Some(
            review::compare(&state, &p, &code, year, a, b)
                .await
                .page(&p, "/annual")?,
        ),
        _ => None,
    };
    Ok(render(&VersionsPage {
        chrome: Chrome::new(&p, "/annual"),
        code,
        year,
        versions,
        side,
    }))
}

#[derive(serde::Deserialize)]
struct CommentForm {
    section: String,
    paragraph: String,
    body: String,
}

async fn add_comment(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath((code, year)): ApiPath<(String, i32)>,
    axum::Form(f): axum::Form<CommentForm>,
) -> PageResult<Response> {
    let to = format!("/annual/{code}/{year}");
    let num = |field: &str, v: &str| {
        v.trim()
            .parse::<i64>()
            .map_err(|_| ApiError::field(field, "请填写数字"))
    };
    let done = async {
        let c = CommentIn {
            section: num("section", &f.section)?,
            paragraph: num("paragraph", &f.paragraph)?,
            body: f.body.clone(),
        };
        review::add_comment(&state, &p, &code, year, &c).await?;
        Ok("审阅意见已记录".to_string())
    }
    .await;
    back(&p, &to, done)
}

#[derive(serde::Deserialize)]
struct AnswerForm {
    answer: String,
}

async fn resolve_comment(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath((code, year, id)): ApiPath<(String, i32, i64)>,
    axum::Form(f): axum::Form<AnswerForm>,
) -> PageResult<Response> {
    let done = review::resolve_comment(&state, &p, &code, year, id, &f.answer)
        .await
        .map(|()| "意见已处理".to_string());
    back(&p, &format!("/annual/{code}/{year}"), done)
}

#[derive(serde::Deserialize)]
struct ReplyForm {
    reply: String,
}

async fn reply_notice(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath((code, year, id)): ApiPath<(String, i32, i64)>,
    axum::Form(f): axum::Form<ReplyForm>,
) -> PageResult<Response> {
    let done = district::reply_notice(&state, &p, &code, id, &f.reply)
        .await
        .map(|()| "已回复督办".to_string());
    back(&p, &format!("/annual/{code}/{year}"), done)
}

#[derive(Template)]
#[template(path = "annual/template.html")]
struct TemplatePage {
    chrome: Chrome,
    parts: Vec<(String, String, String)>,
    flash: Flash,
}

async fn template_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(flash): Query<Flash>,
) -> PageResult<Response> {
    if !super::template::may_edit(&state, &p)
        .await
        .page(&p, "/annual")?
    {
        return Err(PageError::forbidden(&p));
    }
    let t = super::app::template(&state).await.page(&p, "/annual")?;
    Ok(render(&TemplatePage {
        chrome: Chrome::new(&p, "/annual"),
        parts: t
            .parts
            .iter()
            .map(|(k, title)| {
                (
                    k.as_str().to_string(),
                    k.default_title().to_string(),
                    title.clone(),
                )
            })
            .collect(),
        flash,
    }))
}

async fn template_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    use fazhi_core::report::template::PartKey;
    // Fields in the form's order: part (key), title, order (1–5).
    let keys: Vec<&String> = fields
        .iter()
        .filter(|(k, _)| k == "part")
        .map(|(_, v)| v)
        .collect();
    let titles: Vec<&String> = fields
        .iter()
        .filter(|(k, _)| k == "title")
        .map(|(_, v)| v)
        .collect();
    let orders: Vec<&String> = fields
        .iter()
        .filter(|(k, _)| k == "order")
        .map(|(_, v)| v)
        .collect();
    let done = async {
        if keys.len() != 5 || titles.len() != 5 || orders.len() != 5 {
            return Err(ApiError::field("parts", "请填写五个部分的顺序和标题"));
        }
        let mut parts = Vec::new();
        for ((k, t), o) in keys.iter().zip(&titles).zip(&orders) {
            let key = PartKey::ALL
                .into_iter()
                .find(|p| p.as_str() == k.as_str())
                .ok_or_else(|| ApiError::field("parts", "未知的部分"))?;
            let order: u8 = o
                .trim()
                .parse()
                .ok()
                .filter(|n| (1..=5).contains(n))
                .ok_or_else(|| ApiError::field("parts", "顺序应为1至5"))?;
            parts.push((order, key, t.to_string()));
        }
        parts.sort_by_key(|(o, _, _)| *o);
        if parts.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err(ApiError::field("parts", "五个部分的顺序不能重复"));
        }
        super::template::put(
            &state,
            &p,
            parts.into_iter().map(|(_, k, t)| (k, t)).collect(),
        )
        .await
        .map(|_| "模板已保存，新生成的报告稿按此顺序和标题编排".to_string())
    }
    .await;
    back(&p, "/annual/template", done)
}
