//! Driving the real router in tests (this crate's and the binary's): log in, send
//! JSON with the session cookie and CSRF token, read JSON back. No server, no mocks.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// A personal-data vault with a fixed test key.
pub fn vault() -> fazhi_db::pii::Vault {
    fazhi_db::pii::Vault::from_key_text("fazhi-test-key-0123456789abcdefghijklmnopqrstuvwxyz")
        .expect("the test key is long enough")
}

/// Creates a user (display name = username) holding `role` on the division `code`.
pub async fn add_user(
    db: &fazhi_db::Db,
    username: &str,
    password_hash: &str,
    role: fazhi_core::role::Role,
    code: &str,
) -> i64 {
    let actor = fazhi_db::audit::Actor::system("test");
    let u = fazhi_db::auth::users::create(
        db,
        &actor,
        &fazhi_db::auth::users::NewUser {
            username: username.into(),
            display_name: username.into(),
            phone: None,
            password_hash: password_hash.into(),
            grid_id: None,
            unit_id: None,
        },
    )
    .await
    .expect("user created");
    let div = fazhi_db::admin::divisions::by_code(db, code)
        .await
        .expect("division exists");
    fazhi_db::auth::grants::add(db, &actor, u.id, role, div.id)
        .await
        .expect("grant added");
    u.id
}

/// Sends one request through `app`; the body is parsed as JSON, or kept as a string.
pub async fn send(app: &Router, req: Request<Body>) -> (StatusCode, Value, HeaderMap) {
    let res = app
        .clone()
        .oneshot(req)
        .await
        .expect("router is infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res
        .into_body()
        .collect()
        .await
        .expect("body is readable")
        .to_bytes();
    let v = serde_json::from_slice(&bytes)
        .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, v, headers)
}

/// Sends JSON without a session (public endpoints, login).
pub async fn send_anon(app: &Router, method: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("valid request");
    let (s, v, _) = send(app, req).await;
    (s, v)
}

/// A logged-in API client: its session cookie and CSRF token.
pub struct Client {
    pub app: Router,
    pub cookie: String,
    pub csrf: String,
}

impl Client {
    /// Logs in through `POST /api/v1/session`; the error is the refused response.
    pub async fn login(app: &Router, user: &str, pw: &str) -> Result<Client, (StatusCode, Value)> {
        let req = Request::post("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({"username": user, "password": pw}).to_string(),
            ))
            .expect("valid request");
        let (s, v, h) = send(app, req).await;
        if s != StatusCode::OK {
            return Err((s, v));
        }
        let cookie = h
            .get(header::SET_COOKIE)
            .and_then(|c| c.to_str().ok())
            .and_then(|c| c.split(';').next())
            .expect("login sets a cookie")
            .to_string();
        Ok(Client {
            app: app.clone(),
            cookie,
            csrf: v["csrf_token"].as_str().unwrap_or_default().to_string(),
        })
    }

    /// GET with the session cookie.
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let req = Request::get(path)
            .header(header::COOKIE, &self.cookie)
            .body(Body::empty())
            .expect("valid request");
        let (s, v, _) = send(&self.app, req).await;
        (s, v)
    }

    /// POST `multipart/form-data` parts `(name, file name, bytes)` with the cookie and,
    /// when `with_csrf`, the CSRF header; the body parsed as JSON.
    pub async fn post_multipart(
        &self,
        path: &str,
        parts: &[(&str, Option<&str>, &[u8])],
        with_csrf: bool,
    ) -> (StatusCode, Value) {
        let boundary = "fazhi-test-boundary-7d1f";
        let mut body = Vec::new();
        for (name, file, bytes) in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match file {
                Some(f) => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
                ),
                None => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                ),
            }
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut b = Request::post(path)
            .header(header::COOKIE, &self.cookie)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            );
        if with_csrf {
            b = b.header("x-csrf-token", &self.csrf);
        }
        let (s, v, _) = send(&self.app, b.body(Body::from(body)).expect("valid")).await;
        (s, v)
    }

    /// Sends a request, returning status, headers and the raw body.
    async fn raw(&self, req: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let res = self
            .app
            .clone()
            .oneshot(req)
            .await
            .expect("router is infallible");
        let (status, headers) = (res.status(), res.headers().clone());
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        (status, headers, bytes.to_vec())
    }

    /// GET with the session cookie, returning the raw body (downloads).
    pub async fn get_bytes(&self, path: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
        let req = Request::get(path)
            .header(header::COOKIE, &self.cookie)
            .body(Body::empty())
            .expect("valid request");
        self.raw(req).await
    }

    /// POST JSON with cookie and CSRF header, returning the raw body (generated files).
    pub async fn post_bytes(&self, path: &str, body: Value) -> (StatusCode, HeaderMap, Vec<u8>) {
        let req = Request::post(path)
            .header(header::COOKIE, &self.cookie)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", &self.csrf)
            .body(Body::from(body.to_string()))
            .expect("valid request");
        self.raw(req).await
    }

    /// POST a urlencoded page form with the cookie, and the session's `_csrf` field when
    /// `with_csrf`, returning the raw body (pages and downloads).
    pub async fn post_form_bytes(
        &self,
        path: &str,
        pairs: &[(&str, &str)],
        with_csrf: bool,
    ) -> (StatusCode, HeaderMap, Vec<u8>) {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.extend_pairs(pairs);
        if with_csrf {
            form.append_pair("_csrf", &self.csrf);
        }
        let req = Request::post(path)
            .header(header::COOKIE, &self.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form.finish()))
            .expect("valid request");
        self.raw(req).await
    }

    /// Sends JSON with the cookie, and the CSRF header when `with_csrf`.
    pub async fn send_json(
        &self,
        method: &str,
        path: &str,
        body: Value,
        with_csrf: bool,
    ) -> (StatusCode, Value) {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::COOKIE, &self.cookie)
            .header(header::CONTENT_TYPE, "application/json");
        if with_csrf {
            b = b.header("x-csrf-token", &self.csrf);
        }
        let (s, v, _) = send(
            &self.app,
            b.body(Body::from(body.to_string())).expect("valid"),
        )
        .await;
        (s, v)
    }

    /// POST JSON with cookie and CSRF header.
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send_json("POST", path, body, true).await
    }
}
