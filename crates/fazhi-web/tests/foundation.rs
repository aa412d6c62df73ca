//! The foundation through the real router and a real database (SQLite always,
//! PostgreSQL when FAZHI_TEST_POSTGRES_URL is set): scoping, lock-out, CSRF,
//! session expiry, API tokens, bad input, XLSX import, audit.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use fazhi_core::division::Level;
use fazhi_core::role::Role;
use fazhi_db::admin::divisions::NewDivision;
use fazhi_db::admin::import::{self, NewGrid};
use fazhi_db::audit::Actor;
use fazhi_db::auth::users;
use fazhi_testkit::web::{Client, send};
use fazhi_web::{AppState, Settings};
use serde_json::{Value, json};

const PW: &str = "correct horse battery";

struct World {
    state: AppState,
    app: axum::Router,
    v2_grid: i64,
    _t: fazhi_testkit::db::TestDb,
}

/// County 500160 with townships 101 (villages 200, 201) and 102 (village 200).
async fn world(t: fazhi_testkit::db::TestDb) -> World {
    let db = t.db.clone();
    let a = Actor::system("test");
    let d = |code: &str, name: &str, level| NewDivision {
        code: code.into(),
        name: name.into(),
        level,
        parent_id: None,
        valid_from: None,
        valid_to: None,
    };
    let divisions = vec![
        (d("500160000000", "清溪区", Level::County), None),
        (
            d("500160101000", "青石镇", Level::Township),
            Some("500160000000".to_string()),
        ),
        (
            d("500160101200", "龙井村", Level::Village),
            Some("500160101000".to_string()),
        ),
        (
            d("500160101201", "石桥村", Level::Village),
            Some("500160101000".to_string()),
        ),
        (
            d("500160102000", "白沙镇", Level::Township),
            Some("500160000000".to_string()),
        ),
        (
            d("500160102200", "凤凰村", Level::Village),
            Some("500160102000".to_string()),
        ),
    ];
    let g = |v: &str, n: &str| NewGrid {
        village_code: v.into(),
        name: n.into(),
        households: Some(100),
    };
    let grids = vec![
        g("500160101200", "第一网格"),
        g("500160101201", "第一网格"),
        g("500160102200", "第一网格"),
    ];
    import::load(&db, &a, &divisions, &grids, &[])
        .await
        .unwrap();
    let hash = fazhi_web::auth::secrets::hash_password(PW.into())
        .await
        .unwrap();
    for (name, role, code) in [
        ("admin", Role::Admin, "500160000000"),
        ("townadmin", Role::Admin, "500160101000"),
        ("center", Role::CenterStaff, "500160101000"),
        ("grid01", Role::GridWorker, "500160101200"),
    ] {
        fazhi_testkit::web::add_user(&db, name, &hash, role, code).await;
    }
    let v2 = fazhi_db::admin::divisions::by_code(&db, "500160101201")
        .await
        .unwrap();
    let v2_grid =
        fazhi_db::admin::grids::list(&db, std::slice::from_ref(&v2.path), Some(v2.id), 0, 1)
            .await
            .unwrap()[0]
            .id;
    let state = AppState::new(db, Settings::default(), fazhi_testkit::web::vault());
    World {
        app: fazhi_web::app(state.clone()),
        state,
        v2_grid,
        _t: t,
    }
}

async fn login(w: &World, user: &str, pw: &str) -> Result<Client, (StatusCode, Value)> {
    Client::login(&w.app, user, pw).await
}

#[tokio::test]
async fn grid_worker_sees_only_their_village() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let c = login(&w, "grid01", PW).await.unwrap();
        let (s, v) = c.get("/api/v1/divisions").await;
        assert_eq!(s, StatusCode::OK, "{name}");
        let codes: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, vec!["500160101200"], "{name}");
        // Guessing ids or codes of the neighbouring village finds nothing.
        assert_eq!(
            c.get("/api/v1/divisions/500160101201").await.0,
            StatusCode::NOT_FOUND,
            "{name}"
        );
        assert_eq!(
            c.get(&format!("/api/v1/grids/{}", w.v2_grid)).await.0,
            StatusCode::NOT_FOUND,
            "{name}"
        );
        // A filter naming the other village is refused, not widened.
        let (s, v) = c.get("/api/v1/grids?division_code=500160101201").await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{name}");
        assert!(v["fields"]["division_code"].is_string());
        let (s, v) = c.get("/api/v1/grids?after=0&limit=500").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            v.as_array().unwrap().len(),
            1,
            "{name}: only the grid of the own village"
        );
        // Nor can they change it.
        let (s, _) = c
            .send_json(
                "PATCH",
                &format!("/api/v1/grids/{}", w.v2_grid),
                json!({"name": "改名"}),
                true,
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{name}");
        let (s, _) = c.get("/api/v1/users").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{name}");
    }
}

#[tokio::test]
async fn township_admin_is_confined_to_the_township() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let c = login(&w, "townadmin", PW).await.unwrap();
        let (s, v) = c.get("/api/v1/divisions").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            v.as_array().unwrap().len(),
            3,
            "{name}: township and its two villages"
        );
        // Cannot create under the other township, nor see the district admin.
        let (s, v) = c.send_json(
                "POST", "/api/v1/divisions", json!({"code": "500160102201", "name": "新村", "level": "village", "parent_code": "500160102000"}), true).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{name}");
        assert!(v["fields"]["parent_code"].is_string());
        let (_, v) = c.get("/api/v1/users").await;
        let names: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["username"].as_str().unwrap())
            .collect();
        assert!(!names.contains(&"admin"), "{name}: {names:?}");
        let admin_id = users::by_username(&w.state.db, "admin").await.unwrap().id;
        let (s, _) = c
            .send_json(
                "POST",
                &format!("/api/v1/users/{admin_id}/password"),
                json!({"password": "taken over 12345"}),
                true,
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{name}");
        // Inside the township it works, with the code checked against the parent.
        let (s, v) = c.send_json(
                "POST", "/api/v1/divisions", json!({"code": "500160101202", "name": "新华村", "level": "village", "parent_code": "500160101000"}), true).await;
        assert_eq!(s, StatusCode::CREATED, "{name}: {v}");
        let (s, v) = c.send_json(
                "POST", "/api/v1/divisions", json!({"code": "500160102203", "name": "错村", "level": "village", "parent_code": "500160101000"}), true).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{name}: {v}");
        assert!(v["fields"]["code"].is_string());
    }
}

#[tokio::test]
async fn lockout_after_five_failures_and_no_user_enumeration() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (s_unknown, v_unknown) = login(&w, "nobody", "whatever-123").await.err().unwrap();
        for _ in 0..5 {
            let (s, v) = login(&w, "center", "wrong password!").await.err().unwrap();
            assert_eq!(
                (s, &v),
                (s_unknown, &v_unknown),
                "{name}: wrong password and unknown user answer alike"
            );
        }
        // Locked: even the right password is refused, with the same answer.
        let (s, v) = login(&w, "center", PW).await.err().unwrap();
        assert_eq!((s, &v), (s_unknown, &v_unknown), "{name}");
        w.state.clock.advance_minutes(14);
        assert!(
            login(&w, "center", PW).await.is_err(),
            "{name}: still locked at 14 minutes"
        );
        w.state.clock.advance_minutes(2);
        assert!(
            login(&w, "center", PW).await.is_ok(),
            "{name}: unlocked after 15 minutes"
        );
        let audit = fazhi_db::audit::recent(&w.state.db, None, 100)
            .await
            .unwrap();
        assert!(
            audit
                .iter()
                .any(|r| r.action == "login.failed" && r.detail.contains("locked")),
            "{name}"
        );
        assert!(
            audit
                .iter()
                .any(|r| r.action == "login" && r.target == "user:center")
        );
        assert_eq!(
            fazhi_db::audit::verify(&w.state.db, None)
                .await
                .unwrap()
                .first_bad,
            None
        );
    }
}

#[tokio::test]
async fn csrf_is_required_for_cookie_writes_and_forms() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let c = login(&w, "admin", PW).await.unwrap();
        let body = json!({"division_code": "500160101200", "name": "第二网格"});
        let (s, v) = c
            .send_json("POST", "/api/v1/grids", body.clone(), false)
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{name}");
        assert_eq!(v["code"], "csrf");
        let (s, _) = c.send_json("POST", "/api/v1/grids", body, true).await;
        assert_eq!(s, StatusCode::CREATED, "{name}");
        // Page forms: without _csrf refused, with it accepted.
        let form = |csrf: &str| {
            format!("username=newuser&display_name=%E6%96%B0&password=long+enough+pw&_csrf={csrf}")
        };
        let post = |b: String| {
            Request::post("/admin/users/new")
                .header(header::COOKIE, &c.cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(b))
                .unwrap()
        };
        let (s, _, _) = send(&w.app, post(form("forged"))).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{name}");
        assert!(
            users::by_username(&w.state.db, "newuser").await.is_err(),
            "{name}: nothing written"
        );
        let (s, _, h) = send(&w.app, post(form(&c.csrf))).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{name}");
        assert!(
            h.get(header::LOCATION)
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("/admin/users/")
        );
        assert!(users::by_username(&w.state.db, "newuser").await.is_ok());
        // The login form needs its double-submit cookie.
        let req = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "username=admin&password={}&_csrf=x",
                PW.replace(' ', "+")
            )))
            .unwrap();
        assert_eq!(send(&w.app, req).await.0, StatusCode::FORBIDDEN, "{name}");
        let req = Request::post("/login")
            .header(header::COOKIE, "fazhi_login_csrf=x")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "username=admin&password={}&_csrf=x",
                PW.replace(' ', "+")
            )))
            .unwrap();
        let (s, _, h) = send(&w.app, req).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{name}");
        let cookie = h.get(header::SET_COOKIE).unwrap().to_str().unwrap();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
    }
}

#[tokio::test]
async fn sessions_expire_when_idle_and_absolutely() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let c = login(&w, "center", PW).await.unwrap();
        assert_eq!(c.get("/api/v1/session").await.0, StatusCode::OK);
        w.state.clock.advance_minutes(31);
        assert_eq!(
            c.get("/api/v1/session").await.0,
            StatusCode::UNAUTHORIZED,
            "{name}: idle timeout"
        );
        // Active all day: still ends after 12 hours.
        let c = login(&w, "center", PW).await.unwrap();
        for _ in 0..35 {
            w.state.clock.advance_minutes(20);
            assert_eq!(c.get("/api/v1/session").await.0, StatusCode::OK, "{name}");
        }
        w.state.clock.advance_minutes(20);
        assert_eq!(
            c.get("/api/v1/session").await.0,
            StatusCode::UNAUTHORIZED,
            "{name}: absolute timeout"
        );
        // Logout ends the session at once.
        let c = login(&w, "center", PW).await.unwrap();
        assert_eq!(
            c.send_json("DELETE", "/api/v1/session", json!({}), true)
                .await
                .0,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            c.get("/api/v1/session").await.0,
            StatusCode::UNAUTHORIZED,
            "{name}"
        );
        // Pages send anonymous visitors to the login page.
        let (s, _, h) = send(
            &w.app,
            Request::get("/admin/users").body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert!(
            h.get(header::LOCATION)
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("/login?next=")
        );
    }
}

#[tokio::test]
async fn api_tokens_act_as_their_user_until_revoked() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let c = login(&w, "admin", PW).await.unwrap();
        let center = users::by_username(&w.state.db, "center").await.unwrap().id;
        let (s, v) = c
            .send_json(
                "POST",
                "/api/v1/tokens",
                json!({"name": "12345热线", "user_id": center}),
                true,
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{name}: {v}");
        let token = v["token"].as_str().unwrap().to_string();
        let id = v["id"].as_i64().unwrap();
        let bearer = |path: &str| {
            Request::get(path)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap()
        };
        let (s, v, _) = send(&w.app, bearer("/api/v1/session")).await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert_eq!(v["username"], "center");
        // The token is stored hashed only.
        let listed = fazhi_db::auth::tokens::list(&w.state.db).await.unwrap();
        assert!(!format!("{listed:?}").contains(&token));
        assert_eq!(
            c.send_json("DELETE", &format!("/api/v1/tokens/{id}"), json!({}), true)
                .await
                .0,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            send(&w.app, bearer("/api/v1/session")).await.0,
            StatusCode::UNAUTHORIZED,
            "{name}"
        );
    }
}

#[tokio::test]
async fn bad_input_gets_a_clear_4xx() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let c = login(&w, "admin", PW).await.unwrap();
        let raw = |body: &'static str, ct: &'static str| {
            Request::post("/api/v1/grids")
                .header(header::COOKIE, &c.cookie)
                .header("x-csrf-token", &c.csrf)
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap()
        };
        let (s, v, _) = send(&w.app, raw("{\"division_code\": ", "application/json")).await;
        assert_eq!(
            (s, v["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_json")),
            "{name}"
        );
        let (s, v, _) = send(
            &w.app,
            raw("{\"division_code\": 5, \"name\": []}", "application/json"),
        )
        .await;
        assert_eq!(
            (s, v["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_body")),
            "{name}"
        );
        assert!(v["message"].as_str().unwrap().contains("请求内容"));
        let (s, _, _) = send(&w.app, raw("name=x", "text/plain")).await;
        assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let (s, v) = c
            .send_json(
                "POST",
                "/api/v1/grids",
                json!({"division_code": "999999999999", "name": "x"}),
                true,
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{name}");
        assert!(
            v["fields"]["division_code"]
                .as_str()
                .unwrap()
                .contains("999999999999")
        );
        let (s, v) = c
            .send_json(
                "POST",
                "/api/v1/grids",
                json!({"division_code": "12ab", "name": "x"}),
                true,
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(
            v["fields"]["division_code"]
                .as_str()
                .unwrap()
                .contains("12位")
        );
        let (s, _) = c
            .send_json(
                "POST",
                "/api/v1/grids",
                json!({"division_code": "500160101000", "name": "x"}),
                true,
            )
            .await;
        assert_eq!(
            s,
            StatusCode::BAD_REQUEST,
            "{name}: grids only under villages"
        );
        let (s, v) = c
            .send_json(
                "POST",
                "/api/v1/users",
                json!({"username": "shorty", "display_name": "x", "password": "shorty"}),
                true,
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(v["fields"]["password"].is_string());
        let (s, v) = c
            .send_json(
                "POST",
                "/api/v1/users",
                json!({"username": "grid01", "display_name": "x", "password": "long enough pw"}),
                true,
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{name}");
        assert!(v["fields"]["username"].is_string());
        let big = format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
        let req = Request::post("/api/v1/grids")
            .header(header::COOKIE, &c.cookie)
            .header("x-csrf-token", &c.csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(big))
            .unwrap();
        assert_eq!(
            send(&w.app, req).await.0,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{name}"
        );
        assert_eq!(c.get("/api/v1/grids/abc").await.0, StatusCode::BAD_REQUEST);
        assert_eq!(
            c.get("/api/v1/grids?limit=lots").await.0,
            StatusCode::BAD_REQUEST
        );
        let (s, v) = c.get("/api/v1/nothing-here").await;
        assert_eq!(
            (s, v["code"].as_str()),
            (StatusCode::NOT_FOUND, Some("not_found"))
        );
    }
}

fn multipart(csrf: &str, cookie: &str, path: &str, bytes: Vec<u8>) -> Request<Body> {
    let boundary = "fazhiboundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"org.xlsx\"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n").into_bytes();
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    Request::post(path)
        .header(header::COOKIE, cookie)
        .header("x-csrf-token", csrf)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn xlsx_import_is_all_or_nothing_and_idempotent() {
    use fazhi_office::org::{DivisionLine, GridLine, OrgList};
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let c = login(&w, "admin", PW).await.unwrap();
        let good = OrgList {
            divisions: vec![
                DivisionLine {
                    row: 2,
                    code: "500160103000".into(),
                    name: "新桥镇".into(),
                    level: "镇".into(),
                    parent_code: Some("500160000000".into()),
                },
                DivisionLine {
                    row: 3,
                    code: "500160103200".into(),
                    name: "新桥村".into(),
                    level: "村".into(),
                    parent_code: Some("500160103000".into()),
                },
            ],
            grids: vec![GridLine {
                row: 2,
                village_code: "500160103200".into(),
                name: "第一网格".into(),
                households: Some(88),
            }],
        };
        let bytes = fazhi_office::org::write(&good).unwrap();
        let (s, v, _) = send(
            &w.app,
            multipart(
                &c.csrf,
                &c.cookie,
                "/api/v1/divisions/import",
                bytes.clone(),
            ),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{name}: {v}");
        assert_eq!(
            (v["divisions"].as_u64(), v["grids"].as_u64()),
            (Some(2), Some(1))
        );
        let (s, v, _) = send(
            &w.app,
            multipart(&c.csrf, &c.cookie, "/api/v1/divisions/import", bytes),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            (
                v["divisions"].as_u64(),
                v["grids"].as_u64(),
                v["skipped"].as_u64()
            ),
            (Some(0), Some(0), Some(3)),
            "{name}: re-import adds nothing"
        );
        // One bad row among good ones: nothing is written and every problem is listed.
        let mut bad = good.clone();
        bad.divisions[0].code = "500160104000".into();
        bad.divisions[1] = DivisionLine {
            row: 3,
            code: "500160104201".into(),
            name: "坏村".into(),
            level: "村".into(),
            parent_code: Some("500160199000".into()),
        };
        bad.divisions.push(DivisionLine {
            row: 4,
            code: "50016010420X".into(),
            name: "错码".into(),
            level: "村".into(),
            parent_code: Some("500160104000".into()),
        });
        let (s, v, _) = send(
            &w.app,
            multipart(
                &c.csrf,
                &c.cookie,
                "/api/v1/divisions/import",
                fazhi_office::org::write(&bad).unwrap(),
            ),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{name}: {v}");
        assert_eq!(v["fields"].as_object().unwrap().len(), 2, "{name}: {v}");
        assert!(
            fazhi_db::admin::divisions::by_code(&w.state.db, "500160104000")
                .await
                .is_err(),
            "{name}: all or nothing"
        );
        let (s, _, _) = send(
            &w.app,
            multipart(
                &c.csrf,
                &c.cookie,
                "/api/v1/divisions/import",
                b"not xlsx".to_vec(),
            ),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn pages_render_in_chinese_for_each_role() {
    for t in fazhi_testkit::db::all().await {
        let w = world(t).await;
        for (user, must_see, must_not) in [
            ("admin", "用户与授权", "NOTHING"),
            ("grid01", "首页", "用户与授权"),
        ] {
            let c = login(&w, user, PW).await.unwrap();
            let (s, v) = c.get("/").await;
            assert_eq!(s, StatusCode::OK);
            let html = v.as_str().unwrap();
            assert!(
                html.contains("lang=\"zh-CN\"") && html.contains(must_see),
                "{user}"
            );
            assert!(
                !html.contains(must_not),
                "{user}: navigation shows only what the role allows"
            );
        }
        let c = login(&w, "admin", PW).await.unwrap();
        for page in [
            "/admin/divisions",
            "/admin/units",
            "/admin/users",
            "/admin/tokens",
            "/admin/audit",
            "/admin/import",
        ] {
            let (s, v) = c.get(page).await;
            assert_eq!(s, StatusCode::OK, "{page}");
            assert!(
                v.as_str().unwrap().contains("_csrf") || page == "/admin/audit",
                "{page} forms carry the CSRF token"
            );
        }
        // The page does not walk the chain on every view: a check runs as a job with
        // its progress page, and the page then shows its outcome.
        let (s, v) = c.get("/admin/audit").await;
        assert_eq!(s, StatusCode::OK);
        assert!(v.as_str().unwrap().contains("尚未校验"));
        let (s, headers, _) = c.post_form_bytes("/admin/audit/verify", &[], true).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let job = headers["location"].to_str().unwrap().to_string();
        let id = job.trim_start_matches("/jobs/");
        let mut state = Value::Null;
        for _ in 0..100_000 {
            let (_, j) = c.get(&format!("/api/v1/jobs/{id}")).await;
            if j["state"] != "running" {
                state = j;
                break;
            }
            tokio::task::yield_now().await;
        }
        assert_eq!(state["state"], "done", "{state}");
        assert!(
            state["message"].as_str().unwrap().contains("哈希链完整"),
            "{state}"
        );
        let (s, v) = c.get(&job).await;
        assert_eq!(s, StatusCode::OK);
        assert!(v.as_str().unwrap().contains("返回审计日志"));
        let (_, v) = c.get("/admin/audit").await;
        assert!(v.as_str().unwrap().contains("哈希链完整"));
        // Without the CSRF token the check is refused.
        let (s, _, _) = c.post_form_bytes("/admin/audit/verify", &[], false).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let g = login(&w, "grid01", PW).await.unwrap();
        assert_eq!(g.get("/admin/users").await.0, StatusCode::FORBIDDEN);
        let (s, v, _) = send(
            &w.app,
            Request::get("/api/v1/openapi.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert!(v["paths"]["/api/v1/session"]["post"].is_object());
        assert!(v["paths"]["/api/v1/divisions/{code}"]["get"].is_object());
    }
}

/// A user with no grant is not "inside" every administrator's scope: only the one who
/// created it, or an administrator of the whole installation, may manage it.
#[tokio::test]
async fn an_account_without_grants_belongs_to_its_creator() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let admin = login(&w, "admin", PW).await.unwrap();
        let town = login(&w, "townadmin", PW).await.unwrap();
        let new_user = |u: &str| json!({"username": u, "display_name": "新同志", "password": "first password 1"});
        let (s, v) = admin.post("/api/v1/users", new_user("fresh")).await;
        assert_eq!(s, StatusCode::CREATED, "{name}: {v}");
        let fresh = v["id"].as_i64().unwrap();
        let (_, v) = town.get("/api/v1/users").await;
        assert!(
            !v.as_array().unwrap().iter().any(|u| u["id"] == fresh),
            "{name}: listed to the township admin"
        );
        for (method, path, body) in [
            ("GET", format!("/api/v1/users/{fresh}"), Value::Null),
            (
                "POST",
                format!("/api/v1/users/{fresh}/password"),
                json!({"password": "taken over 12345"}),
            ),
            (
                "PATCH",
                format!("/api/v1/users/{fresh}"),
                json!({"display_name": "改名"}),
            ),
        ] {
            let (s, _) = town.send_json(method, &path, body, true).await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{name}: {method} {path}");
        }
        assert!(login(&w, "fresh", "taken over 12345").await.is_err());
        // The township admin's own new account, and the district admin, are fine.
        let (s, v) = town.post("/api/v1/users", new_user("mine")).await;
        assert_eq!(s, StatusCode::CREATED, "{name}: {v}");
        let mine = v["id"].as_i64().unwrap();
        let (s, _) = town
            .post(
                &format!("/api/v1/users/{mine}/password"),
                json!({"password": "second password 2"}),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{name}");
        for id in [fresh, mine] {
            let (s, _) = admin
                .post(
                    &format!("/api/v1/users/{id}/password"),
                    json!({"password": "district password 3"}),
                )
                .await;
            assert_eq!(s, StatusCode::NO_CONTENT, "{name}: user {id}");
        }
        // A staff phone is a phone number.
        let (s, v) = admin
            .send_json(
                "PATCH",
                &format!("/api/v1/users/{mine}"),
                json!({"phone": "请打电话"}),
                true,
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{name}");
        assert!(v["fields"]["phone"].is_string(), "{v}");
        let (s, v) = admin
            .send_json(
                "PATCH",
                &format!("/api/v1/users/{mine}"),
                json!({"phone": "023-6555 1234"}),
                true,
            )
            .await;
        assert_eq!(
            (s, v["phone"].as_str()),
            (StatusCode::OK, Some("02365551234")),
            "{name}"
        );
    }
}

/// A failed login keeps at most 64 characters of the name in the audit log, and one
/// address gets 20 failures per 10 minutes, whichever accounts it tries.
#[tokio::test]
async fn failed_logins_are_capped_in_the_log_and_limited_per_address() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let long = "x".repeat(500_000);
        let (s, _) = login(&w, &long, "whatever-123").await.err().unwrap();
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{name}");
        let rows = fazhi_db::audit::recent(&w.state.db, None, 1).await.unwrap();
        assert_eq!(rows[0].action, "login.failed");
        assert!(
            rows[0].target.chars().count() <= "user:".len() + 65,
            "{name}: {} characters logged",
            rows[0].target.len()
        );
        for i in 1..20 {
            let (s, _) = login(&w, &format!("nobody{i}"), "whatever-123")
                .await
                .err()
                .unwrap();
            assert_eq!(s, StatusCode::UNAUTHORIZED, "{name}: attempt {i}");
        }
        let (s, v) = login(&w, "center", PW).await.err().unwrap();
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{name}: {v}");
        assert_eq!(v["code"], "rate_limited");
        w.state.clock.advance_minutes(11);
        assert!(login(&w, "center", PW).await.is_ok(), "{name}");
    }
}

/// Tracking codes cannot be enumerated: 60 lookups per address per 10 minutes.
#[tokio::test]
async fn tracking_lookups_are_rate_limited() {
    let t = fazhi_testkit::db::sqlite().await.unwrap();
    let w = world(t).await;
    for i in 0..60 {
        let (s, _) = fazhi_testkit::web::send_anon(
            &w.app,
            "GET",
            "/api/v1/public/track/ABCD2345EFGH",
            Value::Null,
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "lookup {i}");
    }
    let (s, v) =
        fazhi_testkit::web::send_anon(&w.app, "GET", "/track/ABCD2345EFGH", Value::Null).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{v}");
}

/// Deadline rules are replaced whole and checked: an empty object does not fall back
/// to the defaults, and no period may be zero days.
#[tokio::test]
async fn deadline_rules_are_checked_not_defaulted() {
    let t = fazhi_testkit::db::sqlite().await.unwrap();
    let w = world(t).await;
    let admin = login(&w, "admin", PW).await.unwrap();
    let (s, v) = admin
        .send_json("PUT", "/api/v1/settings/deadline-rules", json!({}), true)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (_, mut rules) = admin.get("/api/v1/settings/deadline-rules").await;
    rules["petition"]["acceptance"]["days"] = json!(0);
    let (s, v) = admin
        .send_json(
            "PUT",
            "/api/v1/settings/deadline-rules",
            rules.clone(),
            true,
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(v["fields"]["petition"].is_string(), "{v}");
    rules["petition"]["acceptance"]["days"] = json!(15);
    let (s, v) = admin
        .send_json("PUT", "/api/v1/settings/deadline-rules", rules, true)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

/// Sessions are kept in memory for a second (fazhi-db `auth::cache`); a change made
/// through the server still counts from the very next request: a revoked grant, a
/// disabled account, a new password.
#[tokio::test]
async fn account_changes_take_effect_on_the_next_request() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let admin = login(&w, "admin", PW).await.unwrap();
        let center = login(&w, "center", PW).await.unwrap();
        let id = users::by_username(&w.state.db, "center").await.unwrap().id;
        // Twice, so the second answer comes from the cache.
        for _ in 0..2 {
            let (s, v) = center.get("/api/v1/matters").await;
            assert_eq!(s, StatusCode::OK, "{name}: {v}");
        }
        let (_, grants) = admin.get(&format!("/api/v1/users/{id}/grants")).await;
        let grant = grants[0]["id"].as_i64().unwrap();
        let (s, _) = admin
            .send_json(
                "DELETE",
                &format!("/api/v1/users/{id}/grants/{grant}"),
                Value::Null,
                true,
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{name}");
        let (s, _) = center.get("/api/v1/matters").await;
        assert_eq!(
            s,
            StatusCode::FORBIDDEN,
            "{name}: the revoked grant still counted"
        );
        let (s, _) = admin
            .post(
                &format!("/api/v1/users/{id}/grants"),
                json!({"role": "center_staff", "division_code": "500160101000"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{name}");
        assert_eq!(
            center.get("/api/v1/matters").await.0,
            StatusCode::OK,
            "{name}"
        );

        // Disabled (the session ends at once), then enabled again.
        for disabled in [true, false] {
            let (s, _) = admin
                .send_json(
                    "PATCH",
                    &format!("/api/v1/users/{id}"),
                    json!({"disabled": disabled}),
                    true,
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{name}");
            if disabled {
                assert_eq!(
                    center.get("/api/v1/session").await.0,
                    StatusCode::UNAUTHORIZED,
                    "{name}: a disabled account kept its session"
                );
            }
        }
        let center = login(&w, "center", PW).await.unwrap();
        assert_eq!(center.get("/api/v1/session").await.0, StatusCode::OK);
        let (s, _) = admin
            .post(
                &format!("/api/v1/users/{id}/password"),
                json!({"password": "a new password 77"}),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{name}");
        assert_eq!(
            center.get("/api/v1/session").await.0,
            StatusCode::UNAUTHORIZED,
            "{name}: the old session outlived a new password"
        );
    }
}

/// An installation may hold two districts. Each district's admin is confined to its own:
/// an account without grants that the other created is not theirs, and the
/// installation's rules are set only by someone over both (or the command line).
#[tokio::test]
async fn one_district_admin_among_two_is_not_the_installation() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let db = &w.state.db;
        fazhi_db::admin::divisions::create(
            db,
            &Actor::system("test"),
            &NewDivision {
                code: "500170000000".into(),
                name: "东岭区".into(),
                level: Level::County,
                parent_id: None,
                valid_from: None,
                valid_to: None,
            },
        )
        .await
        .unwrap();
        let hash = fazhi_web::auth::secrets::hash_password(PW.into())
            .await
            .unwrap();
        fazhi_testkit::web::add_user(db, "admin2", &hash, Role::Admin, "500170000000").await;
        let admin = login(&w, "admin", PW).await.unwrap();
        let admin2 = login(&w, "admin2", PW).await.unwrap();
        let (s, v) = admin
            .post(
                "/api/v1/users",
                json!({"username": "fresh2", "display_name": "新同志", "password": "first password 1"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{name}: {v}");
        let fresh = v["id"].as_i64().unwrap();
        let (s, _) = admin2.get(&format!("/api/v1/users/{fresh}")).await;
        assert_eq!(
            s,
            StatusCode::NOT_FOUND,
            "{name}: the other district's new account"
        );
        let (s, _) = admin2
            .post(
                &format!("/api/v1/users/{fresh}/password"),
                json!({"password": "taken over 12345"}),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{name}");
        assert!(login(&w, "fresh2", "taken over 12345").await.is_err());
        // Its creator keeps it.
        let (s, _) = admin.get(&format!("/api/v1/users/{fresh}")).await;
        assert_eq!(s, StatusCode::OK, "{name}");

        let (s, rules) = admin.get("/api/v1/settings/deadline-rules").await;
        assert_eq!(s, StatusCode::OK, "{name}");
        for c in [&admin, &admin2] {
            let (s, _) = c
                .send_json(
                    "PUT",
                    "/api/v1/settings/deadline-rules",
                    rules.clone(),
                    true,
                )
                .await;
            assert_eq!(
                s,
                StatusCode::FORBIDDEN,
                "{name}: one district set the rules of both"
            );
        }
    }
}

/// A township's administrator holds ManageSettings for the township, but settings that
/// hold for the whole installation are not theirs: the webhook (where notifications of
/// every township go), the grading bands, the theme-day table, the report template.
#[tokio::test]
async fn a_township_admin_does_not_set_installation_settings() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let admin = login(&w, "admin", PW).await.unwrap();
        let town = login(&w, "townadmin", PW).await.unwrap();
        let (_, days) = admin.get("/api/v1/education/theme-days/2026").await;
        let (_, template) = admin.get("/api/v1/annual/template").await;
        let puts = [
            (
                "/api/v1/settings/webhook",
                json!({"url": "http://10.0.0.9/hook", "secret": "0123456789abcdef"}),
            ),
            (
                "/api/v1/education/exam-bands",
                json!({"excellent": 90.0, "good": 80.0, "pass": 60.0}),
            ),
            (
                "/api/v1/education/theme-days/2026",
                json!({"days": days["days"]}),
            ),
            ("/api/v1/annual/template", template),
        ];
        for (path, body) in &puts {
            let (s, v) = town.send_json("PUT", path, body.clone(), true).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{name}: {path} {v}");
        }
        let (s, _) = town.get("/api/v1/settings/webhook").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{name}");
        // The district's administrator may (the bodies are valid).
        for (path, body) in &puts {
            let (s, v) = admin.send_json("PUT", path, body.clone(), true).await;
            assert_eq!(s, StatusCode::OK, "{name}: {path} {v}");
        }
    }
}
