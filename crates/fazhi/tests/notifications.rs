//! Notifications from the records (SQLite, and PostgreSQL when FAZHI_TEST_POSTGRES_URL
//! is set): a matter assigned to a unit tells its members once, a 督办 and an overdue
//! deadline tell them again, the centre hears of overdue matters, each person sees only
//! their own and marks them read; the webhook delivers HMAC-signed JSON to a real local
//! receiver, and a failure is retried later and logged.

use std::sync::{Arc, Mutex};

use crate::common::{unit_of, world};
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

/// A receiver on a free local port: answers with the statuses given, in turn (then
/// 200), and keeps every (signature, body) it got.
async fn receiver(answers: Vec<u16>) -> (String, Arc<Mutex<Vec<(String, String)>>>) {
    let got: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let answers = Arc::new(Mutex::new(answers));
    let (g, a) = (got.clone(), answers.clone());
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let (g, a) = (g.clone(), a.clone());
            async move {
                let sig = headers
                    .get("x-fazhi-signature")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                g.lock()
                    .unwrap()
                    .push((sig, String::from_utf8_lossy(&body).into_owned()));
                let mut a = a.lock().unwrap();
                let code = if a.is_empty() { 200 } else { a.remove(0) };
                StatusCode::from_u16(code).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, got)
}

fn kinds(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn people_hear_of_their_matters_once_and_the_webhook_delivers() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let center = w.login("center").await;
        let admin = w.login("admin").await;
        let (url, got) = receiver(vec![500]).await;
        // The webhook: only http on the intranet, a real secret, administrators only.
        let secret = "0123456789abcdef-secret";
        let hook = |u: &str, s: &str| json!({"url": u, "secret": s});
        assert_eq!(
            center
                .send_json("PUT", "/api/v1/settings/webhook", hook(&url, secret), true)
                .await
                .0,
            403,
            "{name}"
        );
        let (s, _) = admin
            .send_json(
                "PUT",
                "/api/v1/settings/webhook",
                hook("https://x.example/h", secret),
                true,
            )
            .await;
        assert_eq!(s, 400, "{name}");
        let (s, _) = admin
            .send_json("PUT", "/api/v1/settings/webhook", hook(&url, "short"), true)
            .await;
        assert_eq!(s, 400, "{name}");
        let (s, r) = admin
            .send_json("PUT", "/api/v1/settings/webhook", hook(&url, secret), true)
            .await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(r["secret"], "", "{name}: the secret is not shown again");

        // A matter assigned to the 司法所: its member hears of it.
        let (village, _) = crate::common::villages(&w).await;
        let (s, m) = center
            .post(
                "/api/v1/matters",
                json!({"kind": "dispute", "channel": "visit", "category": "neighbour",
                    "division_code": village, "summary": "邻里因排水沟发生争执",
                    "parties": [{"name": "某甲"}]}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {m}");
        let id = m["id"].as_i64().unwrap();
        let act = |body: Value| {
            let c = &center;
            async move { c.post(&format!("/api/v1/matters/{id}/actions"), body).await }
        };
        act(json!({"action": "accept"})).await;
        let unit = unit_of(&center, "司法所").await;
        let (s, r) =
            act(json!({"action": "assign", "assignee": {"kind": "unit", "id": unit}})).await;
        assert_eq!(s, 200, "{name}: {r}");
        let first = fazhi_web::notify::sweep(&w.state).await.unwrap();
        assert!(first >= 2, "{name}: the assignment and a digest");
        assert_eq!(
            fazhi_web::notify::sweep(&w.state).await.unwrap(),
            0,
            "{name}: nothing twice"
        );
        let sifasuo = w.login("sifasuo").await;
        let (_, v) = sifasuo.get("/api/v1/notifications").await;
        let k = kinds(&v);
        assert!(
            k.contains(&"assigned".into()) && k.contains(&"digest".into()),
            "{name}: {v}"
        );
        assert!(
            v[0]["link"] == format!("/matters/{id}") || v[1]["link"] == format!("/matters/{id}"),
            "{name}: {v}"
        );
        // Not the village mediator's business.
        let (_, v) = w
            .login("village01")
            .await
            .get("/api/v1/notifications")
            .await;
        assert!(!kinds(&v).contains(&"assigned".into()), "{name}: {v}");

        // A 督办, then the clock past the deadline: told again, the centre too.
        let leader = w.login("leader").await;
        let (s, r) = leader
            .post(
                &format!("/api/v1/matters/{id}/actions"),
                json!({"action": "supervise", "level": "yellow_card", "reason": "请加快办理"}),
            )
            .await;
        assert_eq!(s, 200, "{name}: {r}");
        w.state.clock.advance_minutes(60 * 24 * 70);
        fazhi_web::notify::sweep(&w.state).await.unwrap();
        // Sessions ended with the days gone by: sign in again.
        let (sifasuo, center, admin) = (
            w.login("sifasuo").await,
            w.login("center").await,
            w.login("admin").await,
        );
        let (_, v) = sifasuo.get("/api/v1/notifications").await;
        let k = kinds(&v);
        assert!(
            k.contains(&"supervised".into()) && k.contains(&"overdue".into()),
            "{name}: {v}"
        );
        let (_, v) = center.get("/api/v1/notifications").await;
        assert!(kinds(&v).contains(&"overdue".into()), "{name}: {v}");

        // Read: one person's count, not another's.
        let (_, u) = sifasuo.get("/api/v1/notifications/unread").await;
        assert!(u["count"].as_i64().unwrap() >= 4, "{name}: {u}");
        let (_, u) = sifasuo.post("/api/v1/notifications/read", json!({})).await;
        assert_eq!(u["count"], 0, "{name}");
        let (_, u) = center.get("/api/v1/notifications/unread").await;
        assert!(u["count"].as_i64().unwrap() > 0, "{name}");
        let (s, _, page) = center.get_bytes("/notifications").await;
        assert_eq!(s, 200);
        assert!(String::from_utf8_lossy(&page).contains("已超期"), "{name}");

        // The webhook: the first answer fails (500), retried later; then all arrive signed.
        let sent = fazhi_web::notify::webhook::deliver(&w.state).await.unwrap();
        let (_, _, log) = admin.get_bytes("/settings/webhook").await;
        let log = String::from_utf8(log).unwrap();
        assert!(
            log.contains("对方答复 500") && log.contains("待重试"),
            "{name}"
        );
        let queued = got.lock().unwrap().len();
        assert_eq!(sent + 1, queued, "{name}: one failed, the rest delivered");
        w.state.clock.advance_minutes(2);
        assert_eq!(
            fazhi_web::notify::webhook::deliver(&w.state).await.unwrap(),
            1,
            "{name}: the failed one again"
        );
        for (sig, body) in got.lock().unwrap().iter() {
            assert_eq!(
                *sig,
                fazhi_web::notify::webhook::signature(secret, body.as_bytes()),
                "{name}"
            );
            let v: Value = serde_json::from_str(body).unwrap();
            assert!(
                v["title"].is_string() && v["user_id"].is_i64(),
                "{name}: {body}"
            );
        }
        assert_eq!(
            fazhi_web::notify::webhook::deliver(&w.state).await.unwrap(),
            0,
            "{name}: nothing twice"
        );
    }
}
