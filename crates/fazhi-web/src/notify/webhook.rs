//! The outgoing webhook: each notification as JSON, POSTed with an HMAC-SHA256 of the
//! body under a shared secret (`X-Fazhi-Signature: sha256=<hex>`), retried with backoff
//! (1 min, 5 min, 30 min, 2 h, 12 h) and then given up; every attempt is logged. Plain
//! HTTP only: on an intranet the receiver is a relay that forwards to 政务微信 or 钉钉.

use std::time::Duration;

use axum::http::{Request, header};
use fazhi_core::validate::required_text;
use fazhi_db::notify;
use hmac::{Hmac, KeyInit, Mac};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::AppState;
use crate::error::{ApiError, ApiResult};

/// The setting that holds the webhook.
pub const KEY: &str = "notify.webhook";

/// Waits before each retry; after the last, the delivery is given up.
const BACKOFF_SECS: [i64; 5] = [60, 300, 1800, 7200, 43200];

/// Where notifications go, and the secret they are signed with.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WebhookConfig {
    /// `http://host[:port]/path` on the intranet.
    pub url: String,
    /// Shared with the receiver, at least 16 characters.
    pub secret: String,
}

/// The webhook in force, if one is set.
pub async fn config(state: &AppState) -> ApiResult<Option<WebhookConfig>> {
    Ok(fazhi_db::admin::settings::get(&state.db, KEY)
        .await?
        .and_then(|j| serde_json::from_str::<WebhookConfig>(&j).ok())
        .filter(|c| !c.url.is_empty()))
}

/// Checks a configuration (an empty URL turns the webhook off).
pub fn check(c: &WebhookConfig) -> ApiResult<WebhookConfig> {
    let url = c.url.trim();
    if url.is_empty() {
        return Ok(WebhookConfig {
            url: String::new(),
            secret: String::new(),
        });
    }
    let u = url::Url::parse(url)
        .map_err(|_| ApiError::field("url", "地址格式不正确，如 http://10.1.2.3:8080/fazhi"))?;
    if u.scheme() != "http" || u.host_str().is_none() {
        return Err(ApiError::field(
            "url",
            "只支持内网 http 地址（由内网中转服务转发到政务微信或钉钉）",
        ));
    }
    let secret =
        required_text("签名密钥", &c.secret, 200).map_err(|m| ApiError::field("secret", m))?;
    if secret.chars().count() < 16 {
        return Err(ApiError::field("secret", "签名密钥至少16个字符"));
    }
    Ok(WebhookConfig {
        url: u.to_string(),
        secret,
    })
}

/// The signature of `body` under `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Sends the deliveries that are due; returns how many arrived.
pub async fn deliver(state: &AppState) -> ApiResult<usize> {
    let Some(cfg) = config(state).await? else {
        return Ok(0);
    };
    let now = state.clock.now_ms();
    let due = notify::due_deliveries(&state.db, now, 50).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let client: Client<_, Full<axum::body::Bytes>> =
        Client::builder(TokioExecutor::new()).build_http();
    let mut ok = 0;
    for d in due {
        let body = d.payload.clone().into_bytes();
        let req = Request::post(&cfg.url)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-fazhi-signature", signature(&cfg.secret, &body))
            .header("x-fazhi-delivery", d.id.to_string())
            .body(Full::new(axum::body::Bytes::from(body)))
            .map_err(ApiError::internal)?;
        let outcome = match tokio::time::timeout(Duration::from_secs(10), client.request(req)).await
        {
            Err(_) => Err("超时（10秒）".to_string()),
            Ok(Err(e)) => Err(format!("无法连接：{e}")),
            Ok(Ok(res)) => {
                let status = res.status();
                // Read the (small) answer so the connection is reusable.
                let _ = res.into_body().collect().await;
                if status.is_success() {
                    Ok(())
                } else {
                    Err(format!("对方答复 {}", status.as_u16()))
                }
            }
        };
        match outcome {
            Ok(()) => {
                notify::attempted(&state.db, d.id, true, None, None).await?;
                ok += 1;
            }
            Err(e) => {
                let next = BACKOFF_SECS
                    .get(usize::try_from(d.attempts).unwrap_or(usize::MAX))
                    .map(|s| now + s * 1000);
                notify::attempted(&state.db, d.id, false, Some(&e), next).await?;
            }
        }
    }
    Ok(ok)
}
