//! Errors on pages. A browser gets an HTML page with the user's navigation and a
//! Chinese message, with the status of the cause — never a JSON body, and never an
//! empty list standing in for a database that failed.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::pages::{Chrome, message_page};

/// A failed page, rendered as HTML.
#[derive(Debug)]
pub struct PageError {
    status: StatusCode,
    message: String,
    /// Boxed: errors are rare, and a small `Err` keeps every `PageResult` small.
    chrome: Option<Box<Chrome>>,
}

/// What a page handler returns.
pub type PageResult<T = Response> = Result<T, PageError>;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: &'a Chrome,
    title: &'a str,
    message: &'a str,
}

impl PageError {
    /// The error for a user's page (with their navigation).
    pub fn of(e: impl Into<ApiError>, p: &Principal, active: &'static str) -> PageError {
        let e: ApiError = e.into();
        PageError {
            status: e.status,
            message: e.body.message,
            chrome: Some(Box::new(Chrome::new(p, active))),
        }
    }

    /// 403 for a page the user's roles do not open.
    pub fn forbidden(p: &Principal) -> PageError {
        PageError::of(ApiError::forbidden(), p, "")
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    fn title(&self) -> &'static str {
        match self.status {
            StatusCode::NOT_FOUND => "未找到",
            StatusCode::FORBIDDEN => "没有权限",
            StatusCode::TOO_MANY_REQUESTS => "操作过于频繁",
            StatusCode::SERVICE_UNAVAILABLE => "暂时无法服务",
            s if s.is_server_error() => "出错了",
            _ => "无法完成",
        }
    }
}

/// Without a user (public pages), the bare message page.
impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        PageError {
            status: e.status,
            message: e.body.message,
            chrome: None,
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = self.title();
        let html = match &self.chrome {
            Some(chrome) => ErrorPage {
                chrome,
                title,
                message: &self.message,
            }
            .render()
            .unwrap_or_else(|_| message_page(title, &self.message)),
            None => message_page(title, &self.message),
        };
        (self.status, Html(html)).into_response()
    }
}

/// The 403 page, for handlers that answer a `Response`.
pub fn forbidden(p: &Principal) -> Response {
    PageError::forbidden(p).into_response()
}

/// `result.page(&p, "/matters")?` in a page handler: a failure becomes the error page
/// (database errors are logged by the conversion to [`ApiError`]).
pub trait OrPage<T> {
    fn page(self, p: &Principal, active: &'static str) -> PageResult<T>;
}

impl<T, E: Into<ApiError>> OrPage<T> for Result<T, E> {
    fn page(self, p: &Principal, active: &'static str) -> PageResult<T> {
        self.map_err(|e| PageError::of(e, p, active))
    }
}
