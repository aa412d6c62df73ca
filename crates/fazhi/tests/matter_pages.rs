//! Matter pages through the real router and a real database (SQLite always, PostgreSQL
//! when FAZHI_TEST_POSTGRES_URL is set), on the demo district's organisation and accounts.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};

use crate::common::{World, id_number, unit_of, world};
use fazhi_testkit::web::{Client, send};
use serde_json::{Value, json};

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A form body from pairs, with the session's CSRF token unless `csrf` is None.
fn form_body(pairs: &[(&str, &str)], csrf: Option<&str>) -> String {
    let mut parts: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect();
    if let Some(t) = csrf {
        parts.push(format!("_csrf={}", enc(t)));
    }
    parts.join("&")
}

/// GET a page with the session; the body as text.
async fn page(app: &axum::Router, cookie: Option<&str>, path: &str) -> (StatusCode, String) {
    let mut b = Request::get(path);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    let (s, v, _) = send(app, b.body(Body::empty()).unwrap()).await;
    (s, text(v))
}

fn text(v: Value) -> String {
    match v {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// POST a urlencoded form; status, body text, headers.
async fn post_form(
    app: &axum::Router,
    cookie: Option<&str>,
    path: &str,
    body: String,
) -> (StatusCode, String, HeaderMap) {
    let mut b =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    let (s, v, h) = send(app, b.body(Body::from(body)).unwrap()).await;
    (s, text(v), h)
}

fn location(h: &HeaderMap) -> String {
    h.get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The id in a `/matters/{id}?…` redirect.
fn matter_id(loc: &str) -> i64 {
    loc.trim_start_matches("/matters/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("not a matter location: {loc}"))
}

/// The first village of 青石镇 (where village01 and grid01 work).
async fn own_village(w: &World) -> String {
    let (_, me) = w.login("village01").await.get("/api/v1/divisions").await;
    me[0]["code"].as_str().unwrap().to_string()
}

async fn matter_count(c: &Client) -> usize {
    let (_, v) = c.get("/api/v1/matters?limit=200").await;
    v["items"].as_array().unwrap().len()
}

fn intake<'a>(village: &'a str, summary: &'a str, phone: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", "dispute"),
        ("channel", "visit"),
        ("category", "neighbour"),
        ("division_code", village),
        ("grid_id", ""),
        ("received_on", ""),
        ("summary", summary),
        ("address", ""),
        ("parties[0].name", "李四"),
        ("parties[0].role", ""),
        ("parties[0].id_number", ""),
        ("parties[0].phone", phone),
        ("parties[0].address", ""),
        ("parties[1].name", ""),
        ("parties[1].role", ""),
        ("parties[1].id_number", ""),
        ("parties[1].phone", ""),
        ("parties[1].address", ""),
        ("op", "register"),
    ]
}

#[tokio::test]
async fn intake_form_registers_redisplays_errors_and_needs_csrf() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let village = own_village(&w).await;
        let c = w.login("center").await;
        let ck = Some(c.cookie.as_str());

        let (s, html) = page(&w.app, ck, "/matters/new").await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert!(
            html.contains("登记事项") && html.contains(&c.csrf),
            "{name}"
        );
        assert!(html.contains(&village), "{name}: villages in scope offered");

        // A missing summary: the message next to the field, the input kept.
        let body = form_body(&intake(&village, "", "13812345678"), Some(&c.csrf));
        let (s, html, _) = post_form(&w.app, ck, "/matters/new", body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{name}");
        assert!(html.contains("field-error"), "{name}: {html}");
        assert!(html.contains("事项摘要"), "{name}");
        assert!(
            html.contains("value=\"李四\"") && html.contains("value=\"13812345678\""),
            "{name}: input kept"
        );
        // A bad phone: the message in the party's row.
        let body = form_body(&intake(&village, "邻居装修噪音", "12345"), Some(&c.csrf));
        let (s, html, _) = post_form(&w.app, ck, "/matters/new", body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{name}");
        let row = html.split("当事人1").nth(1).unwrap_or_default();
        assert!(
            row.split("</fieldset>")
                .next()
                .unwrap()
                .contains("field-error"),
            "{name}: the phone message sits in the first party row"
        );
        assert!(html.contains("邻居装修噪音"), "{name}: summary kept");
        assert_eq!(matter_count(&c).await, 0, "{name}: nothing written");

        // Without the CSRF token: refused, nothing written.
        let body = form_body(&intake(&village, "邻居装修噪音", "13812345678"), None);
        let (s, _, _) = post_form(&w.app, ck, "/matters/new", body).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{name}");
        let body = form_body(
            &intake(&village, "邻居装修噪音", "13812345678"),
            Some("forged"),
        );
        let (s, _, _) = post_form(&w.app, ck, "/matters/new", body).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{name}");
        assert_eq!(matter_count(&c).await, 0, "{name}");

        // The happy path: registered, then shown with the phone masked.
        let body = form_body(
            &intake(&village, "邻居装修噪音扰民", "13812345678"),
            Some(&c.csrf),
        );
        let (s, _, h) = post_form(&w.app, ck, "/matters/new", body).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{name}");
        let loc = location(&h);
        let id = matter_id(&loc);
        let (s, html) = page(&w.app, ck, &loc).await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert!(html.contains("已登记，查询码"), "{name}");
        assert!(html.contains("邻居装修噪音扰民"), "{name}");
        assert!(html.contains("138****5678"), "{name}: masked");
        assert!(!html.contains("13812345678"), "{name}: not in clear");
        assert!(html.contains("<svg"), "{name}: QR code of the public page");

        // It is in the ledger (keyword filter) and in my tasks and on the home page.
        let (_, html) = page(&w.app, ck, &format!("/matters?q={}", enc("装修"))).await;
        assert!(html.contains(&format!("/matters/{id}")), "{name}");
        let (_, html) = page(&w.app, ck, &format!("/matters?q={}", enc("没有的词"))).await;
        assert!(!html.contains(&format!("/matters/{id}\"")), "{name}");
        let (_, html) = page(&w.app, ck, "/tasks").await;
        assert!(html.contains(&format!("/matters/{id}")), "{name}");
        let (_, html) = page(&w.app, ck, "/").await;
        assert!(
            html.contains("我的待办") && html.contains(&format!("/matters/{id}")),
            "{name}"
        );
        assert!(html.contains("在办事项"), "{name}: key figures");
    }
}

#[tokio::test]
async fn intake_shows_the_same_person_and_links_a_repeat_petition() {
    let w = world(fazhi_testkit::db::sqlite().await.unwrap()).await;
    let village = own_village(&w).await;
    let c = w.login("center").await;
    let ck = Some(c.cookie.as_str());
    let idn = id_number("51010519800101123");
    let mut first = intake(&village, "承包地边界争议", "");
    first[0] = ("kind", "petition");
    first[10] = ("parties[0].id_number", &idn);
    let (s, _, h) = post_form(&w.app, ck, "/matters/new", form_body(&first, Some(&c.csrf))).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let first_id = matter_id(&location(&h));

    // 查重: the server lists the other matters of the person, with a repeat choice.
    let mut check = first.clone();
    check[18] = ("op", "check");
    let (s, html, _) =
        post_form(&w.app, ck, "/matters/new", form_body(&check, Some(&c.csrf))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(&format!("name=\"repeat_of\" value=\"{first_id}\"")));
    assert_eq!(matter_count(&c).await, 1, "查重 registers nothing");

    let rep = first_id.to_string();
    let mut again = first.clone();
    again.push(("repeat_of", &rep));
    let (s, _, h) = post_form(&w.app, ck, "/matters/new", form_body(&again, Some(&c.csrf))).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = page(&w.app, ck, &location(&h)).await;
    assert!(html.contains("重复信访") && html.contains(&format!("/matters/{first_id}")));
    assert!(html.contains("同一当事人的其他事项"));
}

/// The smallest valid PNG: one transparent pixel.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

fn multipart(cookie: &str, path: &str, fields: &[(&str, &str)], photo: &[u8]) -> Request<Body> {
    let boundary = "fazhiboundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .into_bytes(),
        );
    }
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n").into_bytes());
    body.extend_from_slice(photo);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    Request::post(path)
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn grid_report_with_a_photo_from_the_phone() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let g = w.login("grid01").await;
        let (s, html) = page(&w.app, Some(&g.cookie), "/matters/report").await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert!(html.contains("capture=\"environment\""), "{name}");
        let user = fazhi_db::auth::users::by_username(&w.state.db, "grid01")
            .await
            .unwrap();
        let grid = user.grid_id.unwrap().to_string();
        assert!(
            html.contains(&format!("value=\"{grid}\" selected")),
            "{name}: own grid preselected"
        );
        let fields = [
            ("grid_id", grid.as_str()),
            ("kind", "dispute"),
            ("category", "neighbour"),
            ("summary", "两户因排水沟堵塞发生争吵"),
            ("name", "赵六"),
            ("phone", ""),
        ];
        let path = format!("/matters/report?_csrf={}", g.csrf);
        // Without the token in the query string: refused.
        let (s, _, _) = send(
            &w.app,
            multipart(&g.cookie, "/matters/report", &fields, PNG),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{name}");
        // Not an image: refused with a clear message, input kept.
        let (s, v, _) = send(
            &w.app,
            multipart(&g.cookie, &path, &fields, b"%PDF-1.4 not a photo"),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{name}");
        let html = text(v);
        assert!(html.contains("JPEG、PNG或WebP"), "{name}");
        assert!(html.contains("两户因排水沟堵塞发生争吵"), "{name}");
        // Too large: a clear message.
        let mut big = PNG.to_vec();
        big.resize(8 * 1024 * 1024 + 10, 0);
        let (s, v, _) = send(&w.app, multipart(&g.cookie, &path, &fields, &big)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{name}");
        assert!(text(v).contains("8MB"), "{name}");

        let (s, _, h) = send(&w.app, multipart(&g.cookie, &path, &fields, PNG)).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{name}");
        let loc = location(&h);
        let id = matter_id(&loc);
        let (_, m) = g.get(&format!("/api/v1/matters/{id}")).await;
        assert_eq!(m["channel"], "grid_report", "{name}");
        assert_eq!(m["grid_id"].as_i64(), user.grid_id, "{name}");
        let photo = m["photos"][0].as_i64().unwrap();
        let (s, html) = page(&w.app, Some(&g.cookie), &loc).await;
        assert_eq!(s, StatusCode::OK, "{name}");
        let src = format!("/api/v1/matters/{id}/photos/{photo}");
        assert!(html.contains(&src), "{name}");
        let req = Request::get(&src)
            .header(header::COOKIE, &g.cookie)
            .body(Body::empty())
            .unwrap();
        let (s, _, h) = send(&w.app, req).await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert_eq!(h.get(header::CONTENT_TYPE).unwrap(), "image/png", "{name}");
    }
}

async fn register_with_personal_data(w: &World, c: &Client, idn: &str) -> i64 {
    let village = own_village(w).await;
    let (s, m) = c
        .post(
            "/api/v1/matters",
            json!({"kind": "dispute", "channel": "visit", "category": "neighbour",
                "division_code": village, "summary": "宅基地边界纠纷",
                "parties": [{"name": "张三", "id_number": idn, "phone": "13812345678"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    m["id"].as_i64().unwrap()
}

#[tokio::test]
async fn detail_masks_personal_data_and_reveal_is_audited() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let c = w.login("center").await;
        let idn = id_number("51010519800101123");
        let id = register_with_personal_data(&w, &c, &idn).await;
        let (_, d) = c.get(&format!("/api/v1/matters/{id}")).await;
        let party = d["parties"][0]["id"].as_i64().unwrap();

        let (s, html) = page(&w.app, Some(&c.cookie), &format!("/matters/{id}")).await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert!(
            html.contains("138****5678") && !html.contains("13812345678"),
            "{name}"
        );
        assert!(!html.contains(&idn), "{name}");
        assert!(html.contains("查看完整"), "{name}");

        let reveal = format!("/matters/{id}/parties/{party}/reveal");
        let (s, html, h) = post_form(
            &w.app,
            Some(&c.cookie),
            &reveal,
            form_body(&[("field", "id_number")], Some(&c.csrf)),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert!(html.contains(&idn), "{name}: shown once");
        assert!(
            !html.contains("13812345678"),
            "{name}: only the asked field"
        );
        assert_eq!(h.get(header::CACHE_CONTROL).unwrap(), "no-store");
        let rows = fazhi_db::audit::recent(&w.t.db, None, 5).await.unwrap();
        assert!(
            rows.iter().any(|r| r.action == "party.reveal"
                && r.target == format!("matter:{id}/party:{party}")
                && r.detail == "id_number"),
            "{name}: audited"
        );
        // Reloading the detail page masks it again.
        let (_, html) = page(&w.app, Some(&c.cookie), &format!("/matters/{id}")).await;
        assert!(!html.contains(&idn), "{name}");

        // A grid worker sees the matter but may not reveal.
        let g = w.login("grid01").await;
        let (s, html) = page(&w.app, Some(&g.cookie), &format!("/matters/{id}")).await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert!(!html.contains("查看完整"), "{name}");
        let (s, _, _) = post_form(
            &w.app,
            Some(&g.cookie),
            &reveal,
            form_body(&[("field", "phone")], Some(&g.csrf)),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{name}");
    }
}

#[tokio::test]
async fn action_forms_walk_the_workflow_and_show_conflicts() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let c = w.login("center").await;
        let ck = Some(c.cookie.as_str());
        let id = register_with_personal_data(&w, &c, &id_number("51010519800101123")).await;
        let act = format!("/matters/{id}/act");
        let version = |v: &Value| v["version"].as_i64().unwrap().to_string();
        let unit = format!("unit:{}", unit_of(&c, "司法所").await);

        let (_, m) = c.get(&format!("/api/v1/matters/{id}")).await;
        let (_, html) = page(&w.app, ck, &format!("/matters/{id}")).await;
        assert!(html.contains("value=\"accept\""), "{name}: accept offered");
        assert!(!html.contains("value=\"close\""), "{name}: close not yet");
        let v0 = version(&m);
        let (s, _, h) = post_form(
            &w.app,
            ck,
            &act,
            form_body(&[("action", "accept"), ("version", &v0)], Some(&c.csrf)),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{name}");
        assert!(location(&h).contains("ok="), "{name}");

        // A stale version: 409 shown as a message on the page.
        let (s, html, _) = post_form(
            &w.app,
            ck,
            &act,
            form_body(
                &[("action", "assign"), ("assignee", &unit), ("version", &v0)],
                Some(&c.csrf),
            ),
        )
        .await;
        assert_eq!(s, StatusCode::CONFLICT, "{name}");
        assert!(html.contains("记录已被他人修改"), "{name}");

        let (_, m) = c.get(&format!("/api/v1/matters/{id}")).await;
        let (s, _, _) = post_form(
            &w.app,
            ck,
            &act,
            form_body(
                &[
                    ("action", "assign"),
                    ("assignee", &unit),
                    ("due", ""),
                    ("note", "请一周内调处"),
                    ("version", &version(&m)),
                ],
                Some(&c.csrf),
            ),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{name}");
        // An action the status does not allow: 409 with the reason.
        let (s, html, _) = post_form(
            &w.app,
            ck,
            &act,
            form_body(&[("action", "accept")], Some(&c.csrf)),
        )
        .await;
        assert_eq!(s, StatusCode::CONFLICT, "{name}");
        assert!(html.contains("不能受理"), "{name}: {html}");

        for step in [
            vec![("action", "acknowledge")],
            vec![
                ("action", "close"),
                ("closure_type", "substantive"),
                ("resolved", "true"),
                ("outcome", "success"),
                ("directed_to", ""),
            ],
        ] {
            let (_, m) = c.get(&format!("/api/v1/matters/{id}")).await;
            let v = version(&m);
            let mut pairs = step.clone();
            pairs.push(("version", &v));
            let (s, html, _) = post_form(&w.app, ck, &act, form_body(&pairs, Some(&c.csrf))).await;
            assert_eq!(s, StatusCode::SEE_OTHER, "{name}: {step:?} {html}");
        }
        let (_, m) = c.get(&format!("/api/v1/matters/{id}")).await;
        assert_eq!(m["status"], "closed", "{name}");
        assert_eq!(m["outcome"], "success", "{name}");
        let (_, html) = page(&w.app, ck, &format!("/matters/{id}")).await;
        assert!(html.contains("value=\"follow_up\""), "{name}");
        assert!(
            html.contains("请一周内调处"),
            "{name}: the note is in the timeline"
        );
    }
}

#[tokio::test]
async fn public_tracking_page_shows_no_personal_data() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let c = w.login("center").await;
        let idn = id_number("51010519800101123");
        let id = register_with_personal_data(&w, &c, &idn).await;
        let (_, m) = c.get(&format!("/api/v1/matters/{id}")).await;
        let code = m["tracking_code"].as_str().unwrap().to_string();
        let village = m["division_name"].as_str().unwrap().to_string();

        let (s, html) = page(&w.app, None, &format!("/track/{code}")).await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert!(
            html.contains("已登记") && html.contains("办理过程"),
            "{name}"
        );
        for secret in [
            "张三",
            "13812345678",
            "138****5678",
            &idn,
            "宅基地",
            &village,
        ] {
            assert!(
                !html.contains(secret),
                "{name}: {secret} on the public page"
            );
        }
        // Codes are read forgivingly and canonicalised.
        let lower = format!("{}-{}", &code[..5], &code[5..]).to_lowercase();
        let (s, _, h) = send(
            &w.app,
            Request::get(format!("/track?code={lower}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{name}");
        assert_eq!(location(&h), format!("/track/{code}"), "{name}");
        let (s, _) = page(&w.app, None, "/track/2345678923").await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{name}");
    }
}

#[tokio::test]
async fn public_form_gives_a_code_ignores_robots_and_is_rate_limited() {
    let w = world(fazhi_testkit::db::sqlite().await.unwrap()).await;
    let village = own_village(&w).await;
    let (s, html) = page(&w.app, None, "/submit").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("name=\"website\"") && html.contains(&village));
    let fields = |honey: &'static str| {
        vec![
            ("kind", "complaint".to_string()),
            ("division_code", village.clone()),
            ("category", "environment".to_string()),
            ("summary", "夜间工地噪音扰民".to_string()),
            ("name", "王五".to_string()),
            ("phone", "13800001234".to_string()),
            ("id_number", String::new()),
            ("website", honey.to_string()),
        ]
    };
    let body = |honey: &'static str| {
        let f = fields(honey);
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        form_body(&pairs, None)
    };
    let c = w.login("center").await;

    // A robot fills the hidden field: nothing is stored.
    let (s, _, _) = post_form(&w.app, None, "/submit", body("http://spam.example")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(matter_count(&c).await, 0);

    let (s, html, _) = post_form(&w.app, None, "/submit", body("")).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("您的查询码是"));
    let (_, list) = c.get("/api/v1/matters?status=pending").await;
    let code = list["items"][0]["tracking_code"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(html.contains(&code) && html.contains(&format!("/track/{code}")));
    assert!(html.contains("<svg"));

    // Field errors come back next to the field.
    let (s, html, _) = post_form(&w.app, None, "/submit", "kind=complaint".to_string()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(html.contains("field-error"));

    let mut last = StatusCode::OK;
    let mut html = String::new();
    for _ in 0..6 {
        (last, html, _) = post_form(&w.app, None, "/submit", body("")).await;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    assert!(html.contains("提交过于频繁"));
}

#[tokio::test]
async fn calendar_page_saves_and_rejects_bad_toml() {
    let w = world(fazhi_testkit::db::sqlite().await.unwrap()).await;
    let a = w.login("admin").await;
    let ck = Some(a.cookie.as_str());
    let (s, html) = page(&w.app, ck, "/settings/calendar").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("2025年、2026年") && html.contains("<textarea"));

    let (s, html, _) = post_form(
        &w.app,
        ck,
        "/settings/calendar",
        form_body(&[("text", "[2027\nbroken = ")], Some(&a.csrf)),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("未保存") && html.contains("[2027"),
        "text kept"
    );

    let text = w.state.matters.calendar().to_text();
    let (s, _, h) = post_form(
        &w.app,
        ck,
        "/settings/calendar",
        form_body(&[("text", &text)], Some(&a.csrf)),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = page(&w.app, ck, &location(&h)).await;
    assert!(html.contains("已保存"));

    // Next year in the form: a bad row is refused with its row named, nothing saved.
    let (s, html) = page(&w.app, ck, "/settings/calendar/2027").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        html.matches("name=\"name\"").count(),
        3,
        "blank rows to fill"
    );
    let row = |from: &str, work: &str| {
        form_body(
            &[
                ("source", "国务院办公厅关于2027年部分节假日安排的通知"),
                ("name", "春节"),
                ("from", from),
                ("to", "2027-02-13"),
                ("workdays", work),
                ("name", ""),
                ("from", ""),
                ("to", ""),
                ("workdays", ""),
            ],
            Some(&a.csrf),
        )
    };
    let (s, html, _) = post_form(&w.app, ck, "/settings/calendar/2027", row("2027-2-30", "")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(html.contains("第1行放假开始日期应为日期"), "{html}");
    let (s, html, _) = post_form(
        &w.app,
        ck,
        "/settings/calendar/2027",
        row("2027-02-05", "2027-02-01"),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "a Monday is no make-up workday");
    assert!(
        html.contains("未保存") && html.contains("value=\"春节\""),
        "row kept"
    );
    assert!(!w.state.matters.calendar().has_year(2027));
    let (s, _, _) = post_form(
        &w.app,
        ck,
        "/settings/calendar/2027",
        row("2027-02-05", "2027-01-31"),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let cal = w.state.matters.calendar();
    assert!(cal.has_year(2027) && cal.is_working_day(time::macros::date!(2027 - 01 - 31)));

    // Centre staff may not change it.
    let c = w.login("center").await;
    let (s, _) = page(&w.app, Some(&c.cookie), "/settings/calendar").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = page(&w.app, Some(&c.cookie), "/settings/calendar/2027").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn every_role_gets_its_matter_pages() {
    let w = world(fazhi_testkit::db::sqlite().await.unwrap()).await;
    for (user, pages) in [
        (
            "center",
            &[
                "/",
                "/matters",
                "/matters/new",
                "/tasks",
                "/matters/overdue",
            ][..],
        ),
        ("grid01", &["/", "/matters", "/matters/report"][..]),
        (
            "village01",
            &["/", "/matters", "/matters/new", "/tasks"][..],
        ),
        (
            "leader",
            &["/", "/matters", "/tasks", "/matters/overdue"][..],
        ),
        ("admin", &["/", "/matters", "/settings/calendar"][..]),
    ] {
        let c = w.login(user).await;
        for p in pages {
            let (s, html) = page(&w.app, Some(&c.cookie), p).await;
            assert_eq!(s, StatusCode::OK, "{user} {p}");
            assert!(html.contains("<nav>"), "{user} {p}");
        }
    }
    // Anonymous visitors are sent to the login page, except for the public pages.
    let (s, _) = page(&w.app, None, "/matters").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _) = page(&w.app, None, "/track").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn sweep_page_takes_a_zero_report_and_shows_the_missing_grids() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let g = w.login("grid01").await;
        let (s, html) = page(&w.app, Some(&g.cookie), "/sweeps").await;
        assert_eq!(s, 200, "{name}");
        assert!(
            html.contains("提交零报告") && html.contains("未报告"),
            "{name}"
        );
        let (s, _, _) = post_form(
            &w.app,
            Some(&g.cookie),
            "/sweeps",
            form_body(&[("zero_report", "1")], None),
        )
        .await;
        assert_eq!(s, 403, "{name}: no CSRF token");
        let (s, _, h) = post_form(
            &w.app,
            Some(&g.cookie),
            "/sweeps",
            form_body(&[("zero_report", "1")], Some(&g.csrf)),
        )
        .await;
        assert_eq!(s, 303, "{name}");
        assert!(location(&h).contains("ok="), "{name}");
        let (_, _, h) = post_form(
            &w.app,
            Some(&g.cookie),
            "/sweeps",
            form_body(&[("zero_report", "1")], Some(&g.csrf)),
        )
        .await;
        assert!(
            location(&h).contains("err="),
            "{name}: a second report for the month is refused"
        );
        let c = w.login("center").await;
        let (s, html) = page(&w.app, Some(&c.cookie), "/sweeps?division=500160101000").await;
        assert_eq!(s, 200, "{name}");
        assert!(html.contains("零报告"), "{name}");
        assert!(html.contains("已报告 <strong>1</strong>"), "{name}");
    }
}

#[tokio::test]
async fn dashboard_draws_charts_and_links_every_figure() {
    let t = fazhi_testkit::db::sqlite().await.unwrap();
    let w = world(t).await;
    let today = w.state.clock.today();
    fazhi_demo::matters::seed(&w.t.db, &fazhi_testkit::web::vault(), today, 150)
        .await
        .unwrap();
    let d = w.login("district").await;
    let from = (today - time::Duration::days(730)).to_string();
    let (s, html) = page(&w.app, Some(&d.cookie), &format!("/dashboard?from={from}")).await;
    assert_eq!(s, 200, "{html}");
    assert!(
        html.matches("<svg").count() >= 5,
        "charts are drawn on the server"
    );
    for want in [
        "化解率",
        "满意率",
        "青石镇",
        "清溪街道",
        "白沙镇",
        "figure=resolved",
        "figure=satisfied",
        "各镇街对比",
    ] {
        assert!(html.contains(want), "{want} missing");
    }
    // A figure's link lists exactly the matters it counts: the ledger's total is the
    // statistic's number for the same period and place.
    let link = html
        .split("href=\"")
        .find(|h| h.starts_with("/matters?") && h.contains("figure=resolved"))
        .and_then(|h| h.split('"').next())
        .unwrap()
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    let qs = link.trim_start_matches("/matters?");
    let (_, stats) = d.get(&format!("/api/v1/stats/matters?{qs}")).await;
    let resolved = stats["resolved"].as_i64().unwrap();
    assert!(resolved > 0, "{stats}");
    let (s, ledger) = page(&w.app, Some(&d.cookie), &link).await;
    assert_eq!(s, 200);
    assert!(
        ledger.contains(&format!("共{resolved}件")) && ledger.contains("统计口径"),
        "{link}: the ledger says {}",
        ledger.split("<strong>").nth(1).unwrap_or("")
    );
    // Every chart has its numbers as a table; the area is picked from the places.
    assert_eq!(
        html.matches("<figure class=\"chart\"").count(),
        html.matches("查看数据表").count(),
        "a table for each chart"
    );
    assert!(html.contains("（全镇街）") && html.contains("<select name=\"division\">"));
    // The current month is marked as partial (unless today is its last day).
    let last_day = today.next_day().is_some_and(|d| d.day() == 1);
    assert_eq!(
        html.contains("未满月"),
        !last_day,
        "the partial month is said"
    );
    // Villages are chosen under their township (the same name can exist in two).
    assert!(
        ledger.contains("<optgroup label=\"青石镇\">")
            && ledger.contains("<optgroup label=\"白沙镇\">"),
        "villages grouped by township"
    );
    // The township view has no side-by-side table; a bad date is a page, not a 500.
    let c = w.login("center").await;
    let (s, html) = page(&w.app, Some(&c.cookie), &format!("/dashboard?from={from}")).await;
    assert_eq!(s, 200);
    assert!(!html.contains("各镇街对比") && html.contains("<svg"));
    let (s, _) = page(&w.app, Some(&c.cookie), "/dashboard?from=2026-02-30").await;
    assert_eq!(s, 400);
}

/// A page that fails is an HTML page with the user's navigation and the status of the
/// cause: 404 for a matter out of scope, 403 for a page the role does not open, and 500
/// when the database fails — never JSON to a browser, never an empty list instead.
#[tokio::test]
async fn page_errors_are_pages_with_navigation() {
    let w = world(fazhi_testkit::db::sqlite().await.unwrap()).await;
    let village = w.login("village01").await;
    for (path, status, words) in [
        ("/matters/999999", StatusCode::NOT_FOUND, "未找到"),
        ("/matters/abc", StatusCode::NOT_FOUND, "网址有误"),
        ("/annual/abc/x", StatusCode::NOT_FOUND, "网址有误"),
        ("/admin/users", StatusCode::FORBIDDEN, "没有权限"),
        ("/admin/audit", StatusCode::FORBIDDEN, "没有权限"),
    ] {
        let (s, body) = page(&w.app, Some(&village.cookie), path).await;
        assert_eq!(s, status, "{path}");
        assert!(body.starts_with("<!doctype html>"), "{path}: {body}");
        assert!(
            body.contains(words) && body.contains("事项台账"),
            "{path}: no navigation"
        );
    }
    // A mistyped address under an admin page is a page too, not the API's JSON.
    let admin = w.login("admin").await;
    let (s, body) = page(&w.app, Some(&admin.cookie), "/admin/users/abc").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{body}");
    assert!(
        body.starts_with("<!doctype html>") && body.contains("未找到"),
        "{body}"
    );
    // The database fails under a page: an error page, not an empty table.
    w.t.execute_raw("ALTER TABLE grids RENAME TO grids_gone")
        .await
        .unwrap();
    let (s, body) = page(&w.app, Some(&admin.cookie), "/admin/divisions").await;
    assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert!(
        body.contains("出错了") && body.contains("审计日志"),
        "{body}"
    );
    let (s, body) = page(&w.app, Some(&admin.cookie), "/").await;
    assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR, "home: {body}");
}

#[tokio::test]
async fn the_qr_code_uses_the_configured_public_address() {
    let t = fazhi_testkit::db::sqlite().await.unwrap();
    fazhi_demo::seed(&t.db).await.unwrap();
    let settings = fazhi_web::Settings {
        public_url: Some("https://fz.example.gov.cn".into()),
        ..fazhi_web::Settings::default()
    };
    let state = fazhi_web::AppState::new(t.db.clone(), settings, fazhi_testkit::web::vault());
    let w = World {
        app: fazhi_web::app(state.clone()),
        state,
        t,
    };
    let c = w.login("center").await;
    let (village, _) = crate::common::villages(&w).await;
    let (s, m) = c
        .post(
            "/api/v1/matters",
            json!({"kind": "dispute", "channel": "visit", "category": "neighbour",
                "division_code": village, "summary": "邻里纠纷",
                "parties": [{"name": "某甲"}]}),
        )
        .await;
    assert_eq!(s, 201, "{m}");
    // A forged Host header does not reach the QR code or the link.
    let req = Request::get(format!("/matters/{}", m["id"]))
        .header(header::COOKIE, &c.cookie)
        .header(header::HOST, "evil.example")
        .body(Body::empty())
        .unwrap();
    let (s, v, _) = send(&w.app, req).await;
    assert_eq!(s, StatusCode::OK);
    let html = text(v);
    let code = m["tracking_code"].as_str().unwrap();
    assert!(
        html.contains(&format!("https://fz.example.gov.cn/track/{code}")),
        "{html}"
    );
    assert!(!html.contains("evil.example"));
    // The code reads in its one grouped form (K7M3P-X9QRT) on the page.
    let grouped = fazhi_core::matter::tracking_shown(code);
    assert!(
        grouped.contains('-') && html.contains(&format!("查询码 {grouped}")),
        "{html}"
    );
}

/// The user list shows each account's roles and where; the audit log reads in Chinese
/// and filters by person, kind of action and days.
#[tokio::test]
async fn users_and_audit_pages_read_in_chinese_with_filters() {
    let w = world(fazhi_testkit::db::sqlite().await.unwrap()).await;
    let _center = w.login("center").await;
    let admin = w.login("admin").await;
    let ck = Some(admin.cookie.as_str());
    let (s, html) = page(&w.app, ck, "/admin/users").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("综治中心工作人员（青石镇）") && html.contains("区依法治区办（清溪区）"),
        "roles and scope listed"
    );
    let (s, html) = page(&w.app, ck, "/admin/audit?actor=center&category=login").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("<td data-label=\"操作\" title=\"login\">登录</td>"),
        "{html}"
    );
    assert!(html.contains(">center<"), "the centre's login");
    assert!(
        !html.contains(">admin<"),
        "another person's rows are filtered out"
    );
    let (_, html) = page(&w.app, ck, "/admin/audit?category=user.").await;
    assert!(html.contains("用户·新建"), "account creation in Chinese");
    let (s, html) = page(&w.app, ck, "/admin/audit?from=2026-13-01").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("起始日期应为日期"), "a bad date is said");
    let (_, html) = page(&w.app, ck, "/admin/audit?from=2999-01-01").await;
    assert!(html.contains("没有符合条件的记录"));
}

/// A user keeps ledger queries under names; another user does not see them.
#[tokio::test]
async fn ledger_queries_are_saved_per_user() {
    let w = world(fazhi_testkit::db::sqlite().await.unwrap()).await;
    let c = w.login("center").await;
    let ck = Some(c.cookie.as_str());
    let body = form_body(
        &[("name", "超期纠纷"), ("query", "kind=dispute&overdue=1")],
        Some(&c.csrf),
    );
    let (s, _, h) = post_form(&w.app, ck, "/matters/saved", body).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(location(&h).starts_with("/matters?kind=dispute&overdue=1&saved="));
    let (_, html) = page(&w.app, ck, "/matters").await;
    assert!(html.contains("超期纠纷") && html.contains("/matters?kind=dispute&#38;overdue=1"));
    // A query that is not one the page writes is refused.
    let body = form_body(
        &[("name", "坏的"), ("query", "x=\"><script>")],
        Some(&c.csrf),
    );
    let (_, _, h) = post_form(&w.app, ck, "/matters/saved", body).await;
    assert!(location(&h).contains("saved_err="));
    // Another person's ledger does not list it, nor can they delete it.
    let l = w.login("leader").await;
    let (_, html) = page(&w.app, Some(&l.cookie), "/matters").await;
    assert!(!html.contains("超期纠纷"));
    let center_id = fazhi_db::auth::users::by_username(&w.state.db, "center")
        .await
        .unwrap()
        .id;
    let id = fazhi_db::matters::saved::of_user(&w.state.db, center_id)
        .await
        .unwrap()[0]
        .id;
    let body = form_body(&[], Some(&l.csrf));
    let (s, _, _) = post_form(
        &w.app,
        Some(&l.cookie),
        &format!("/matters/saved/{id}/delete"),
        body,
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let body = form_body(&[], Some(&c.csrf));
    let (s, _, _) = post_form(&w.app, ck, &format!("/matters/saved/{id}/delete"), body).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = page(&w.app, ck, "/matters").await;
    assert!(!html.contains("超期纠纷"));
}

/// The divisions page offers townships from the national list instead of typed codes.
#[tokio::test]
async fn townships_are_picked_from_the_national_list() {
    let w = world(fazhi_testkit::db::sqlite().await.unwrap()).await;
    let admin = w.login("admin").await;
    let ck = Some(admin.cookie.as_str());
    let (s, html) = page(&w.app, ck, "/admin/divisions?find=合心镇").await;
    assert_eq!(s, StatusCode::OK);
    let place = fazhi_analyze::gazetteer::townships_named("合心镇");
    assert!(!place.is_empty(), "the list holds it");
    let code = format!("{}000", place[0].code);
    assert!(
        html.contains("填入上表") && html.contains(&code),
        "found with its code"
    );
    let (_, html) = page(
        &w.app,
        ck,
        &format!("/admin/divisions?code={code}&name=%E5%90%88%E5%BF%83%E9%95%87"),
    )
    .await;
    assert!(
        html.contains(&format!("value=\"{code}\"")) && html.contains("value=\"合心镇\""),
        "the form is filled"
    );
    // A village mediator sees no such list.
    let v = w.login("village01").await;
    let (_, html) = page(&w.app, Some(&v.cookie), "/admin/divisions?find=合心镇").await;
    assert!(!html.contains("填入上表"));
}
