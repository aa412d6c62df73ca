//! One error type for the API: a stable `code`, a Chinese `message`, per-field errors.
//! 4xx for the caller's mistakes; 5xx only for ours (logged, shown generically).

use std::collections::BTreeMap;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fazhi_db::DbError;
use serde::Serialize;
use utoipa::ToSchema;

/// The JSON body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `invalid_input`, `not_found`.
    pub code: &'static str,
    /// Message in Simplified Chinese for people.
    pub message: String,
    /// Field name → message, for input errors.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

/// An API failure.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: ErrorBody {
                code,
                message: message.into(),
                fields: BTreeMap::new(),
            },
        }
    }

    /// Bad input in one field.
    pub fn field(field: &str, message: impl Into<String>) -> ApiError {
        let message = message.into();
        let mut e = ApiError::new(StatusCode::BAD_REQUEST, "invalid_input", message.clone());
        e.body.fields.insert(field.to_string(), message);
        e
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_input", message)
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "请先登录")
    }

    pub fn forbidden() -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", "没有执行此操作的权限")
    }

    /// Also used for records outside the caller's scope, so ids cannot be probed.
    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "记录不存在或无权查看")
    }

    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "服务器内部错误，请稍后重试",
        )
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> ApiError {
        match e {
            DbError::NotFound => ApiError::not_found(),
            DbError::Conflict { field, message } => {
                let mut err = ApiError::new(StatusCode::CONFLICT, "conflict", message.clone());
                if !field.is_empty() {
                    err.body.fields.insert(field.to_string(), message);
                }
                err
            }
            DbError::Stale => ApiError::new(
                StatusCode::CONFLICT,
                "stale_version",
                "记录已被他人修改，请刷新后重试",
            ),
            DbError::Unavailable(why) => {
                tracing::error!(error = %why, "a write was refused by the database");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "storage_unavailable",
                    "服务器暂时无法保存数据（存储空间不足或磁盘故障），本次操作未保存，请稍后再试，并请联系系统管理员",
                )
            }
            other => ApiError::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// Unknown API path: JSON 404 rather than an HTML page.
pub async fn api_not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "接口不存在")
}

/// Result of an API handler.
pub type ApiResult<T> = Result<T, ApiError>;
