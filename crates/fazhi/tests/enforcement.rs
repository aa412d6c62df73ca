//! Enforcement through the real router and a real database (SQLite always, PostgreSQL
//! when FAZHI_TEST_POSTGRES_URL is set): the law's gates cannot be bypassed through the
//! API, each role holds only its own hand, scope holds, figures match their lists.

use crate::common::enforcement::{case, setup};
use crate::common::world;
use fazhi_testkit::web::Client;
use serde_json::{Value, json};

/// Every point of the legal review (118号).
const CHECKS: [&str; 7] = [
    "body",
    "procedure",
    "facts",
    "law",
    "power",
    "documents",
    "crime",
];

async fn act(c: &Client, id: i64, body: Value) -> (u16, Value) {
    let (s, v) = c
        .post(&format!("/api/v1/enforcement/cases/{id}/actions"), body)
        .await;
    (s.as_u16(), v)
}

#[tokio::test]
async fn the_simple_procedure_keeps_to_the_article_51_limits() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (e, a, b, small, _) = setup(&w).await;
        let mut body = case(small, &[a, b], "citizen", "simple");
        body["party"]["name"] = json!("张三丰");
        body["on_spot"] =
            json!({"penalty": {"kinds": ["fine"], "fine_fen": 20100}, "reasons": "占道"});
        let (s, r) = e.post("/api/v1/enforcement/cases", body.clone()).await;
        assert_eq!(s, 409, "{name}: {r}");
        assert!(
            r["message"].as_str().unwrap().contains("第51条"),
            "{name}: {r}"
        );
        body["on_spot"]["penalty"]["fine_fen"] = json!(20000);
        body["on_spot"]["collected_on_spot"] = json!(true);
        let (s, r) = e.post("/api/v1/enforcement/cases", body.clone()).await;
        assert_eq!(
            s, 409,
            "{name}: 200 元 cannot be collected on the spot: {r}"
        );
        body["on_spot"]["collected_on_spot"] = json!(false);
        let (s, r) = e.post("/api/v1/enforcement/cases", body.clone()).await;
        assert_eq!(s, 201, "{name}: {r}");
        assert_eq!(r["case"]["status"], "served");
        assert!(
            r["case"]["number"]
                .as_str()
                .unwrap()
                .starts_with("青石当罚〔"),
            "{r}"
        );
        // 公示: listed as to do, published with the person's name reduced, revoked on
        // review, then withdrawn within its deadline.
        let id = r["case"]["id"].as_i64().unwrap();
        let (_, todo) = e.get("/api/v1/enforcement/to-publish").await;
        assert!(
            todo.as_array().unwrap().iter().any(|c| c["id"] == id),
            "{name}: {todo}"
        );
        let public = "/api/v1/public/enforcement/500160101000";
        let (s, p) = fazhi_testkit::web::send_anon(&w.app, "GET", public, Value::Null).await;
        assert_eq!(s, 200, "{name}: {p}");
        assert!(
            p["decisions"].as_array().unwrap().is_empty(),
            "{name}: nothing published yet"
        );
        assert_eq!(p["officers"].as_array().unwrap().len(), 2, "{name}: {p}");
        assert_eq!(
            act(&e, id, json!({"action": "publish"})).await.0,
            200,
            "{name}"
        );
        let (_, p) = fazhi_testkit::web::send_anon(&w.app, "GET", public, Value::Null).await;
        let text = p.to_string();
        assert!(text.contains("\"party\":\"张某\""), "{name}: {p}");
        assert!(
            !text.contains("张三丰"),
            "{name}: a person's full name is never published"
        );
        let (s, _) = act(
            &e,
            id,
            json!({"action": "record_revocation", "reason": "复议撤销"}),
        )
        .await;
        assert_eq!(s, 403, "{name}: the head records a revocation");
        let leader = w.login("leader").await;
        let revoke = json!({"action": "record_revocation", "reason": "区政府复议决定撤销"});
        let (s, r) = act(&leader, id, revoke).await;
        assert_eq!(s, 200, "{name}: {r}");
        assert!(r["state"]["withdraw_due"].is_string(), "{name}: {r}");
        let (_, todo) = e.get("/api/v1/enforcement/to-publish").await;
        let row = todo
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .cloned();
        assert_eq!(
            row.map(|c| c["next_due"].clone()),
            Some(json!("撤回公示")),
            "{name}: {todo}"
        );
        assert_eq!(
            act(&e, id, json!({"action": "withdraw", "reason": ""}))
                .await
                .0,
            400
        );
        let withdraw = json!({"action": "withdraw", "reason": "决定已被复议机关撤销"});
        assert_eq!(act(&e, id, withdraw).await.0, 200, "{name}");
        let (_, p) = fazhi_testkit::web::send_anon(&w.app, "GET", public, Value::Null).await;
        assert!(
            p["decisions"].as_array().unwrap().is_empty(),
            "{name}: withdrawn"
        );
        let (_, todo) = e.get("/api/v1/enforcement/to-publish").await;
        assert!(
            !todo.as_array().unwrap().iter().any(|c| c["id"] == id),
            "{name}: done"
        );
        let village = "/api/v1/public/enforcement/500160101001";
        let (s, _) = fazhi_testkit::web::send_anon(&w.app, "GET", village, Value::Null).await;
        assert_eq!(s, 404, "{name}: a village is not an enforcement body");
        // One officer is not enough; nor is an account without a certificate.
        let mut one = body.clone();
        one["officers"] = json!([a]);
        let (s, r) = e.post("/api/v1/enforcement/cases", one).await;
        assert_eq!(s, 409, "{name}: {r}");
        let leader = fazhi_db::auth::users::by_username(&w.state.db, "leader")
            .await
            .unwrap();
        let mut uncertified = body.clone();
        uncertified["officers"] = json!([a, leader.id]);
        let (s, r) = e.post("/api/v1/enforcement/cases", uncertified).await;
        assert_eq!(s, 409, "{name}: {r}");
        // Inspections: two certified officers, counted by outcome (纠违).
        let insp = json!({"kind": "routine", "outcome": "corrected", "target": "主街商户",
            "findings": "占道经营，责令当场改正", "officers": [a]});
        let (s, r) = e
            .post("/api/v1/enforcement/inspections", insp.clone())
            .await;
        assert_eq!(s, 409, "{name}: {r}");
        let mut insp = insp;
        insp["officers"] = json!([a, b]);
        let (s, r) = e.post("/api/v1/enforcement/inspections", insp).await;
        assert_eq!(s, 201, "{name}: {r}");
        let (_, st) = e.get("/api/v1/stats/enforcement").await;
        let corrected = st["inspections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["outcome"] == "corrected")
            .unwrap()
            .clone();
        assert_eq!(corrected["count"], 1, "{name}: {st}");
        let (_, l) = e
            .get("/api/v1/enforcement/inspections?outcome=corrected")
            .await;
        assert_eq!(l.as_array().unwrap().len(), 1, "{name}: {l}");
        // Malformed input is a 400 with a message, never a 5xx.
        let (s, r) = e
            .post("/api/v1/enforcement/cases", json!({"item_id": "x"}))
            .await;
        assert_eq!(s, 422, "{name}: {r}");
    }
}

#[tokio::test]
async fn an_ordinary_case_passes_every_gate_in_order() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (e, a, b, _, big) = setup(&w).await;
        let leader = w.login("leader").await;
        let reviewer = w.login("reviewer").await;
        let (s, d) = e
            .post(
                "/api/v1/enforcement/cases",
                case(big, &[a, b], "organisation", "ordinary"),
            )
            .await;
        assert_eq!(s, 201, "{name}: {d}");
        let id = d["case"]["id"].as_i64().unwrap();
        assert_eq!(d["case"]["status"], "opened");
        assert_eq!(
            d["review_required"], true,
            "{name}: the item is in the catalogue"
        );
        let notify = json!({"action": "notify", "grade": "ordinary", "officers": [a, b],
            "penalty": {"kinds": ["fine"], "fine_fen": 2_000_000}});
        // No notice before any evidence.
        let (s, r) = act(&e, id, notify.clone()).await;
        assert_eq!(s, 409, "{name}: {r}");
        let evidence = json!({"action": "record_evidence", "kind": "inspection",
            "description": "现场检查并拍照", "officers": [a, b]});
        assert_eq!(act(&e, id, evidence).await.0, 200, "{name}");
        let (s, r) = act(&e, id, notify).await;
        assert_eq!(s, 200, "{name}: {r}");
        // The officer may not decide; the head may not decide yet.
        let decide = |fine: i64| {
            json!({"action": "decide", "outcome": "penalty",
            "penalty": {"kinds": ["fine"], "fine_fen": fine}, "reasons": "违反某条例第十条"})
        };
        let (s, r) = act(&e, id, decide(2_000_000)).await;
        assert_eq!(s, 403, "{name}: {r}");
        let (s, r) = act(&leader, id, decide(2_000_000)).await;
        assert_eq!(s, 409, "{name}: defence period runs: {r}");
        // The attempt is kept in the audit log although nothing changed.
        let log = fazhi_db::audit::recent(&w.state.db, None, 20)
            .await
            .unwrap();
        assert!(
            log.iter().any(|r| r.action == "enforcement.refused"
                && r.target == format!("enforcement_case:{id}")
                && r.detail.contains("陈述申辩")),
            "{name}: the refused shortcut is on file"
        );
        assert!(r["message"].as_str().unwrap().contains("陈述申辩"), "{r}");
        let (s, _) = act(
            &e,
            id,
            json!({"action": "record_defence", "summary": "", "waived": true}),
        )
        .await;
        assert_eq!(s, 200, "{name}");
        let (s, r) = act(&leader, id, decide(2_000_000)).await;
        assert_eq!(s, 409, "{name}: hearing period runs: {r}");
        assert_eq!(act(&e, id, json!({"action": "waive_hearing"})).await.0, 200);
        let (s, r) = act(&leader, id, decide(2_000_000)).await;
        assert_eq!(s, 409, "{name}: review required: {r}");
        assert!(r["message"].as_str().unwrap().contains("法制审核"), "{r}");
        // The head cannot hold the collective discussion before the review passes.
        let (s, _) = act(
            &leader,
            id,
            json!({"action": "discuss", "conclusion": "同意"}),
        )
        .await;
        assert_eq!(s, 409, "{name}");
        // The reviewer reviews only what was submitted, and only reviews.
        let (s, _) = act(
            &reviewer,
            id,
            json!({"action": "review", "opinion": "approved"}),
        )
        .await;
        assert_eq!(s, 409, "{name}: nothing submitted");
        assert_eq!(act(&e, id, json!({"action": "submit_review"})).await.0, 200);
        let (s, _) = act(&e, id, json!({"action": "review", "opinion": "approved"})).await;
        assert_eq!(s, 403, "{name}: officers do not review");
        let (_, q) = reviewer.get("/api/v1/enforcement/queue").await;
        assert!(
            q.as_array().unwrap().iter().any(|c| c["id"] == id),
            "{name}: {q}"
        );
        let (s, r) = act(
            &reviewer,
            id,
            json!({"action": "review", "opinion": "returned"}),
        )
        .await;
        assert_eq!(s, 400, "{name}: a return needs its reasons: {r}");
        let partial = json!({"action": "review", "opinion": "approved", "checks": ["body"]});
        let (s, r) = act(&reviewer, id, partial).await;
        assert_eq!(s, 400, "{name}: approval confirms every point: {r}");
        let (s, _) = act(
            &reviewer,
            id,
            json!({"action": "review", "opinion": "approved", "note": "同意", "checks": CHECKS}),
        )
        .await;
        assert_eq!(s, 200, "{name}");
        // 督办 by the head, with instructions; officers cannot.
        let sup = json!({"action": "supervise", "note": "请于本周内作出决定"});
        assert_eq!(act(&e, id, sup.clone()).await.0, 403, "{name}");
        assert_eq!(
            act(&leader, id, json!({"action": "supervise", "note": ""}))
                .await
                .0,
            400
        );
        assert_eq!(act(&leader, id, sup).await.0, 200, "{name}");
        // No raise after the defence.
        let (s, r) = act(&leader, id, decide(2_500_000)).await;
        assert_eq!(s, 409, "{name}: {r}");
        assert!(r["message"].as_str().unwrap().contains("第45条"), "{r}");
        let (s, r) = act(&leader, id, decide(1_500_000)).await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(r["case"]["status"], "decided");
        assert_eq!(r["case"]["fine"], "15000");
        // Electronic service needs consent; a stale version is refused.
        let serve = json!({"action": "serve", "method": "electronic", "officers": [a, b]});
        assert_eq!(act(&e, id, serve).await.0, 409, "{name}");
        let mut serve =
            json!({"action": "serve", "method": "direct", "officers": [a, b], "version": 1});
        assert_eq!(
            act(&e, id, serve.clone()).await.0,
            409,
            "{name}: stale version"
        );
        serve["version"] = r["case"]["version"].clone();
        let (s, r) = act(&e, id, serve).await;
        assert_eq!(s, 200, "{name}: {r}");
        let (s, _) = act(
            &e,
            id,
            json!({"action": "record_payment", "amount_fen": 1_600_000}),
        )
        .await;
        assert_eq!(s, 400, "{name}: more than due");
        let (s, r) = act(
            &e,
            id,
            json!({"action": "record_payment", "amount_fen": 1_500_000}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(r["case"]["status"], "executed");
        assert_eq!(act(&e, id, json!({"action": "close"})).await.0, 200);
        assert_eq!(
            act(&e, id, json!({"action": "archive"})).await.0,
            403,
            "{name}: the head archives"
        );
        let (s, r) = act(&leader, id, json!({"action": "archive"})).await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(
            r["events"].as_array().unwrap().len(),
            13,
            "{name}: every step recorded: {r}"
        );
        // 案卷评查: reviewers score closed files; a veto zeroes the file.
        let fr = format!("/api/v1/enforcement/cases/{id}/file-review");
        let (s, _) = e.post(&fr, json!({})).await;
        assert_eq!(s, 403, "{name}: officers do not score their own files");
        let no_note = json!({"deductions": [{"item": "file", "points": 5}]});
        let (s, r) = reviewer.post(&fr, no_note).await;
        assert_eq!(s, 400, "{name}: a deduction names its problem: {r}");
        let noted = json!({"deductions": [{"item": "file", "points": 5, "note": "缺页码"}]});
        let (s, r) = reviewer.post(&fr, noted).await;
        assert_eq!(s, 201, "{name}: {r}");
        assert_eq!(
            (r["score"].as_i64(), r["grade"].as_str()),
            (Some(95), Some("excellent"))
        );
        let (s, r) = reviewer.post(&fr, json!({"vetoes": ["v_staff"]})).await;
        assert_eq!(s, 201, "{name}: {r}");
        assert_eq!(
            (r["score"].as_i64(), r["grade"].as_str()),
            (Some(0), Some("fail"))
        );
        let (_, y) = leader.get("/api/v1/enforcement/file-reviews").await;
        assert_eq!(y["files"].as_array().unwrap().len(), 2, "{name}: {y}");
        assert_eq!(
            y["by_officer"].as_array().unwrap().len(),
            2,
            "{name}: both officers: {y}"
        );
        assert_eq!(y["by_officer"][0]["average"], 47.5, "{name}: {y}");
        assert_eq!(y["by_township"][0]["officer"], "青石镇", "{name}: {y}");
        assert_eq!(y["by_township"][0]["files"], 2, "{name}: {y}");

        // The figures count it, and each links to exactly the cases it counts.
        let (s, st) = leader.get("/api/v1/stats/enforcement").await;
        assert_eq!(s, 200, "{name}: {st}");
        for f in st["figures"].as_array().unwrap() {
            let (_, list) = leader.get(f["api"].as_str().unwrap()).await;
            assert_eq!(list["total"], f["count"], "{name}: {}", f["figure"]);
        }
        let count = |code: &str| {
            st["figures"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["figure"] == code)
                .unwrap()["count"]
                .as_i64()
                .unwrap()
        };
        assert_eq!(count("reviewed"), 1);
        assert_eq!(count("supervised"), 1);
        assert_eq!(count("penalised"), 1);
        assert_eq!(st["fines_collected"], "15000");
    }
}

#[tokio::test]
async fn scope_roles_and_item_versions_hold() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (e, a, b, small, _) = setup(&w).await;
        let (_, d) = e
            .post(
                "/api/v1/enforcement/cases",
                case(small, &[a, b], "citizen", "ordinary"),
            )
            .await;
        let id = d["case"]["id"].as_i64().unwrap();
        let path = format!("/api/v1/enforcement/cases/{id}");
        // An officer of another township sees nothing: 404, like a missing case.
        let other = crate::common::enforcement::other_officer(&w).await;
        assert_eq!(other.get(&path).await.0, 404, "{name}");
        let ev = json!({"action": "record_evidence", "kind": "photo", "description": "x", "officers": [a, b]});
        assert_eq!(act(&other, id, ev.clone()).await.0, 404, "{name}");
        let (_, list) = other.get("/api/v1/enforcement/cases").await;
        assert_eq!(list["total"], 0, "{name}");
        let (s, _) = w
            .login("reviewer")
            .await
            .post(&format!("{path}/file-review"), json!({}))
            .await;
        assert_eq!(s, 409, "{name}: only closed files are scored");
        // The district reads but does not act; matter staff have no hand at all.
        let district = w.login("district").await;
        assert_eq!(district.get(&path).await.0, 200, "{name}");
        assert_eq!(act(&district, id, ev.clone()).await.0, 403, "{name}");
        assert_eq!(w.login("village01").await.get(&path).await.0, 403, "{name}");
        // Without the CSRF header a cookie call is refused.
        let (s, _) = e
            .send_json("POST", &format!("{path}/actions"), ev, false)
            .await;
        assert_eq!(s, 403, "{name}");
        // A new version of the item leaves the open case on the old one.
        let mut spec = json!({
            "code": "T-1", "name": "事项T-1（修订）", "source": "empowered",
            "deciding_document": "省政府赋权决定", "legal_basis": "某条例第十条",
            "penalty_basis": "某条例第三十条", "penalty_kinds": ["warning", "fine"],
            "fine_min_fen": 0, "fine_max_fen": 300_000
        });
        let (s, v2) = e.post("/api/v1/enforcement/items", spec.clone()).await;
        assert_eq!(s, 201, "{name}: {v2}");
        assert_eq!(v2["version"], 2);
        let (_, d) = e.get(&path).await;
        assert_eq!(d["state"]["item"]["version"], 1, "{name}");
        assert_eq!(d["state"]["item"]["fine_max_fen"], 200_000, "{name}");
        let (_, items) = e.get("/api/v1/enforcement/items").await;
        assert_eq!(
            items.as_array().unwrap().len(),
            2,
            "{name}: latest versions only"
        );
        // A case is opened under the latest version only; an invalid item is refused.
        let (s, _) = e
            .post(
                "/api/v1/enforcement/cases",
                case(small, &[a, b], "citizen", "ordinary"),
            )
            .await;
        assert_eq!(s, 400, "{name}: old version");
        spec["source"] = json!("entrusted");
        spec["deciding_document"] = json!("");
        let (s, r) = e.post("/api/v1/enforcement/items", spec).await;
        assert_eq!(s, 400, "{name}: {r}");
    }
}

#[tokio::test]
async fn the_case_pages_work_through_forms() {
    let t = fazhi_testkit::db::sqlite().await.unwrap();
    let w = world(t).await;
    let (e, a, b, small, _) = setup(&w).await;
    let (s, _, body) = e.get_bytes("/enforcement/cases/new").await;
    assert_eq!(s, 200);
    assert!(String::from_utf8_lossy(&body).contains("事项T-1"));
    let (a, b, small) = (a.to_string(), b.to_string(), small.to_string());
    let form = [
        ("procedure", "ordinary"),
        ("item_id", small.as_str()),
        ("party_kind", "citizen"),
        ("party_name", "张某"),
        ("facts", "占道经营"),
        ("act_on", "2026-01-05"),
        ("officers", a.as_str()),
        ("officers", b.as_str()),
    ];
    let (s, h, _) = e
        .post_form_bytes("/enforcement/cases/new", &form, true)
        .await;
    assert_eq!(s, 303);
    let to = h["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/enforcement/cases/"), "{to}");
    let (s, _, page) = e.get_bytes(&to).await;
    assert_eq!(s, 200);
    let page = String::from_utf8_lossy(&page);
    assert!(
        page.contains("已立案，案号 青石执罚"),
        "flash shown: {page}"
    );
    assert!(page.contains("调查取证"), "the evidence form is offered");
    assert!(
        !page.contains("作出决定</summary>"),
        "an officer is not offered the decision"
    );
    // A form without its CSRF field is refused; one officer is refused with a message.
    let id = to
        .trim_start_matches("/enforcement/cases/")
        .split('?')
        .next()
        .unwrap();
    let act_path = format!("/enforcement/cases/{id}/act");
    let ev = [
        ("action", "record_evidence"),
        ("kind", "photo"),
        ("description", "照片"),
        ("officers", a.as_str()),
    ];
    let (s, _, _) = e.post_form_bytes(&act_path, &ev, false).await;
    assert_eq!(s, 403);
    let (s, h, _) = e.post_form_bytes(&act_path, &ev, true).await;
    assert_eq!(s, 303);
    let back = h["location"].to_str().unwrap();
    assert!(back.contains("err="), "{back}");
    let (s, _, page) = e.get_bytes("/enforcement/cases/99999").await;
    assert_eq!(s, 404);
    assert!(
        String::from_utf8_lossy(&page).contains("<html"),
        "an HTML page, not JSON"
    );
    for p in [
        "/enforcement",
        "/enforcement/cases",
        "/enforcement/items",
        "/enforcement/stats",
        "/",
    ] {
        let (s, _, _) = e.get_bytes(p).await;
        assert_eq!(s, 200, "{p}");
    }
    // The timeline names people, not login names; the header's role label is styled by
    // the stylesheet (an inline style is blocked by the site's CSP); the site has an icon.
    let (_, d) = e.get(&format!("/api/v1/enforcement/cases/{id}")).await;
    assert_eq!(d["events"][0]["actor"], "执法队员 赵刚", "{d}");
    let (_, _, page) = e.get_bytes(&format!("/enforcement/cases/{id}")).await;
    let page = String::from_utf8_lossy(&page);
    assert!(page.contains("class=\"roles\"") && !page.contains("style=\"color"));
    let (s, h, _) = e.get_bytes("/favicon.ico").await;
    assert_eq!(s, 200);
    assert_eq!(h["content-type"], "image/svg+xml");
}

#[tokio::test]
async fn the_item_list_and_the_annual_statistics_go_through_excel() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (e, a, b, small, _) = setup(&w).await;
        // Export the list, open it back, change one item, import: one new version.
        let (s, _, xlsx) = e.get_bytes("/api/v1/enforcement/items.xlsx").await;
        assert_eq!(s, 200, "{name}");
        let mut specs = fazhi_office::items::read(&xlsx).expect("the export reads back");
        assert_eq!(specs.len(), 2, "{name}");
        specs[0].fine_max_fen = 300_000;
        let changed = fazhi_office::items::write(&specs).unwrap();
        let (s, r) = e
            .post_multipart(
                "/api/v1/enforcement/items/import",
                &[("file", Some("清单.xlsx"), &changed)],
                true,
            )
            .await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(
            (r["items"].as_i64(), r["changed"].as_i64()),
            (Some(2), Some(1)),
            "{name}"
        );
        // A bad row: nothing is imported, and the row is named.
        specs[1].penalty_kinds.clear();
        specs[0].fine_max_fen = 400_000;
        let bad = fazhi_office::items::write(&specs).unwrap();
        let (s, r) = e
            .post_multipart(
                "/api/v1/enforcement/items/import",
                &[("file", Some("清单.xlsx"), &bad)],
                true,
            )
            .await;
        assert_eq!(s, 400, "{name}: {r}");
        assert!(
            r["message"].as_str().unwrap().contains("第3行"),
            "{name}: {r}"
        );
        let (_, items) = e.get("/api/v1/enforcement/items").await;
        let t1 = items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["code"] == "T-1")
            .unwrap()
            .clone();
        assert_eq!(
            t1["fine_max_fen"], 300_000,
            "{name}: the bad import wrote nothing"
        );
        // A complaint registered at the centre is handed to enforcement: the case
        // points back to it, and the matter's page shows the case and its outcome.
        let center = w.login("center").await;
        let (village, _) = crate::common::villages(&w).await;
        let (s, m) = center
            .post(
                "/api/v1/matters",
                json!({"kind": "complaint", "channel": "phone", "category": "other",
                    "division_code": village, "summary": "反映有人在路边倾倒建筑垃圾",
                    "parties": [{"name": "王五"}]}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {m}");
        let mid = m["id"].as_i64().unwrap();
        // T-1 has a second version now: cases open under the latest.
        let latest = t1["id"].as_i64().unwrap();
        assert_ne!(latest, small);
        let mut body = case(latest, &[a, b], "citizen", "simple");
        body["matter_id"] = json!(mid);
        body["on_spot"] = json!({"penalty": {"kinds": ["warning"]}, "reasons": "初次违法"});
        let (s, c) = e.post("/api/v1/enforcement/cases", body).await;
        assert_eq!(s, 201, "{name}: {c}");
        assert_eq!(c["case"]["matter_id"], mid, "{name}");
        let (_, _, page) = center.get_bytes(&format!("/matters/{mid}")).await;
        let page = String::from_utf8_lossy(&page);
        assert!(
            page.contains(c["case"]["number"].as_str().unwrap()) && page.contains("警告"),
            "{name}: the matter's page shows the case and its outcome"
        );
        // The 统计年报 workbook opens and carries the year's figures.
        let (s, h, book) = e
            .get_bytes("/api/v1/stats/enforcement.xlsx?year=2026")
            .await;
        assert_eq!(s, 200, "{name}");
        assert!(
            h["content-disposition"]
                .to_str()
                .unwrap()
                .contains("filename*=UTF-8''")
        );
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(book)).unwrap();
        let sheets = wb.sheet_names();
        assert_eq!(
            sheets,
            ["统计", "罚没与人员", "职权来源", "执法事项"],
            "{name}"
        );
        let range = wb.worksheet_range("统计").unwrap();
        assert_eq!(range.get((2, 0)).unwrap().to_string(), "办理案件", "{name}");
    }
}

#[tokio::test]
async fn the_settings_change_the_limits_and_are_checked() {
    let t = fazhi_testkit::db::sqlite().await.unwrap();
    let w = world(t).await;
    let (e, a, b, small, _) = setup(&w).await;
    let admin = w.login("admin").await;
    let (s, mut cur) = admin.get("/api/v1/settings/enforcement").await;
    assert_eq!(s, 200, "{cur}");
    assert_eq!(cur["rules"]["simple_fine_citizen_fen"], 20_000);
    // Officers read them but cannot change them.
    assert_eq!(
        e.send_json("PUT", "/api/v1/settings/enforcement", cur.clone(), true)
            .await
            .0,
        403
    );
    // A sheet that does not add up to 100 is refused, and nothing changes.
    let mut bad = cur.clone();
    bad["rubric"]["items"][6]["points"] = json!(11);
    let (s, r) = admin
        .send_json("PUT", "/api/v1/settings/enforcement", bad, true)
        .await;
    assert_eq!(s, 400, "{r}");
    // A lower local limit for on-the-spot fines applies at once.
    cur["rules"]["simple_fine_citizen_fen"] = json!(10_000);
    let (s, r) = admin
        .send_json("PUT", "/api/v1/settings/enforcement", cur, true)
        .await;
    assert_eq!(s, 200, "{r}");
    let mut body = case(small, &[a, b], "citizen", "simple");
    body["on_spot"] =
        json!({"penalty": {"kinds": ["fine"], "fine_fen": 15_000}, "reasons": "占道"});
    let (s, r) = e.post("/api/v1/enforcement/cases", body).await;
    assert_eq!(s, 409, "{r}");
    assert!(r["message"].as_str().unwrap().contains("100元"), "{r}");
}

#[tokio::test]
async fn malformed_input_never_answers_5xx() {
    let t = fazhi_testkit::db::sqlite().await.unwrap();
    let w = world(t).await;
    let (e, a, b, small, _) = setup(&w).await;
    let (_, d) = e
        .post(
            "/api/v1/enforcement/cases",
            case(small, &[a, b], "citizen", "ordinary"),
        )
        .await;
    let id = d["case"]["id"].as_i64().unwrap();
    let bodies = [
        json!(null),
        json!([]),
        json!("x"),
        json!({}),
        json!({"action": "decide"}),
        json!({"action": "notify", "penalty": {"kinds": ["fine"], "fine_fen": -5}, "grade": "ordinary", "officers": [a, b]}),
        json!({"action": "notify", "penalty": {"kinds": ["fine"], "fine_fen": i64::MAX}, "grade": "ordinary", "officers": [a, b]}),
        json!({"action": "record_payment", "amount_fen": i64::MAX}),
        json!({"action": "extend", "days": u32::MAX, "reason": "x"}),
        json!({"action": "schedule_hearing", "on": "9999-99-99"}),
        json!({"action": "record_evidence", "kind": "photo", "description": "\u{0}", "officers": [a, b]}),
        json!({"action": "record_evidence", "kind": "photo", "description": "x".repeat(100_000), "officers": [a, b]}),
        json!({"item_id": i64::MAX, "procedure": "ordinary", "party": {"kind": "citizen", "name": "x"}, "facts": "x", "act_on": "2026-01-01", "officers": [a, b]}),
        json!({"item_id": small, "procedure": "simple", "party": {"kind": "citizen", "name": "x"}, "facts": "x", "act_on": "1900-01-01", "officers": [a, b], "on_spot": {"penalty": {"kinds": []}, "reasons": ""}}),
        json!({"item_id": small, "procedure": "ordinary", "party": {"kind": "citizen", "name": "x"}, "facts": "x", "act_on": "2026-01-01", "discovered_on": "", "officers": [i64::MAX, i64::MIN]}),
    ];
    let paths = [
        format!("/api/v1/enforcement/cases/{id}/actions"),
        "/api/v1/enforcement/cases".to_string(),
        "/api/v1/enforcement/items".to_string(),
        "/api/v1/enforcement/inspections".to_string(),
        format!("/api/v1/enforcement/cases/{id}/file-review"),
        format!("/api/v1/enforcement/cases/{id}/evidence/1/supersede"),
    ];
    for path in &paths {
        for body in &bodies {
            let (s, r) = e.post(path, body.clone()).await;
            assert!(s.as_u16() < 500, "{path} {body} → {s} {r}");
            assert!(
                r["message"].is_string() || s.is_success(),
                "{path} {body}: a message"
            );
        }
    }
    for q in [
        "/api/v1/enforcement/cases?year=99999",
        "/api/v1/enforcement/cases?page=0",
        "/api/v1/enforcement/cases?limit=100000",
        "/api/v1/enforcement/cases?figure=nothing",
        "/api/v1/enforcement/cases?status=nothing",
        "/api/v1/enforcement/cases/abc",
        "/api/v1/enforcement/cases/99999999999999999999",
        "/api/v1/stats/enforcement?year=-1",
        "/api/v1/stats/enforcement.xlsx?year=3000000",
        "/api/v1/public/enforcement/abc",
        "/api/v1/public/enforcement/5001601010009",
        "/enforcement/cases/abc",
        "/enforcement/stats?year=abc",
        "/enforcement/inspections?outcome=x",
    ] {
        let (s, _, _) = e.get_bytes(q).await;
        assert!(s.as_u16() < 500, "{q} → {s}");
        assert!(s.is_client_error(), "{q} → {s}");
    }
}
