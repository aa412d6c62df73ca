//! Units at work (issue 14): the permission to act follows the assignment, units sign
//! for, report on and return their matters, and a handler's closing waits for the
//! centre's review before it counts. Real router, real database (SQLite always,
//! PostgreSQL when FAZHI_TEST_POSTGRES_URL is set), the demo's accounts.

use crate::common::{unit_of, villages, world};
use fazhi_testkit::web::Client;
use serde_json::{Value, json};

fn dispute(village: &str) -> Value {
    json!({"kind": "dispute", "channel": "visit", "category": "neighbour",
        "division_code": village, "summary": "邻里因排水沟发生争执",
        "parties": [{"name": "甲"}, {"name": "乙", "role": "respondent"}]})
}

fn close() -> Value {
    json!({"action": "close", "closure_type": "substantive", "resolved": true, "outcome": "success"})
}

async fn act(c: &Client, id: i64, body: Value) -> (u16, Value) {
    let (s, r) = c.post(&format!("/api/v1/matters/{id}/actions"), body).await;
    (s.as_u16(), r)
}

/// A dispute in village01's village, accepted and assigned by the centre.
async fn assigned(c: &Client, village: &str, assign: Value) -> i64 {
    let (s, m) = c.post("/api/v1/matters", dispute(village)).await;
    assert_eq!(s, 201, "{m}");
    let id = m["id"].as_i64().unwrap();
    assert_eq!(act(c, id, json!({"action": "accept"})).await.0, 200);
    let (s, r) = act(c, id, assign).await;
    assert_eq!(s, 200, "{r}");
    id
}

/// A page as the client sees it.
async fn html(c: &Client, path: &str) -> String {
    let (s, _, body) = c.get_bytes(path).await;
    assert_eq!(s, 200, "{path}");
    String::from_utf8(body).unwrap()
}

fn task_ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn only_the_assignee_or_the_centre_acts_on_a_matter() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, _) = villages(&w).await;
        let c = w.login("center").await;
        let sifasuo = unit_of(&c, "司法所").await;
        let id = assigned(
            &c,
            &own,
            json!({"action": "assign", "assignee": {"kind": "unit", "id": sifasuo}}),
        )
        .await;
        let village = w.login("village01").await;
        let member = w.login("sifasuo").await;

        // The village mediator reads it (it is in his village) but is offered nothing.
        let (s, d) = village.get(&format!("/api/v1/matters/{id}")).await;
        assert_eq!(s, 200, "{name}: {d}");
        assert_eq!(d["allowed_actions"], json!([]), "{name}");
        let (s, d) = member.get(&format!("/api/v1/matters/{id}")).await;
        assert_eq!(s, 200, "{name}: the unit member opens his unit's matter");
        assert!(
            d["allowed_actions"].to_string().contains("acknowledge"),
            "{name}: {d}"
        );

        // The pages draw the same buttons.
        let page = format!("/matters/{id}");
        assert!(
            !html(&village, &page).await.contains("name=\"action\""),
            "{name}"
        );
        let own_page = html(&member, &page).await;
        assert!(own_page.contains("value=\"acknowledge\""), "{name}");
        assert!(own_page.contains("办结（报综治中心审核）"), "{name}");

        let pause = json!({"action": "pause", "reason": "等待司法鉴定"});
        let (s, r) = act(&village, id, pause.clone()).await;
        assert_eq!(s, 403, "{name}: village pause {r}");
        assert_eq!(r["code"], "not_assignee");
        assert!(r["message"].as_str().unwrap().contains("承办单位"), "{r}");
        assert_eq!(act(&member, id, pause).await.0, 200, "{name}");
        let (s, _) = act(&village, id, json!({"action": "resume"})).await;
        assert_eq!(s, 403, "{name}: village resume");
        assert_eq!(act(&member, id, json!({"action": "resume"})).await.0, 200);
        let (s, _) = act(&village, id, close()).await;
        assert_eq!(s, 403, "{name}: village close");
        // Another unit's member cannot touch the 司法所's matter either.
        let enforcer = w.login("enforcer").await;
        let (s, _) = act(&enforcer, id, json!({"action": "feedback", "summary": "x"})).await;
        assert_eq!(s, 403, "{name}: not a co-handler");
        let (s, r) = act(&member, id, close()).await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(r["matter"]["status"], "reviewing", "{name}");
        let centre_page = html(&c, &page).await;
        assert!(centre_page.contains("value=\"approve_closure\""), "{name}");
        assert!(centre_page.contains("value=\"reject_closure\""), "{name}");
        assert!(
            centre_page.contains("待审核办结"),
            "{name}: the reviewer sees the closing"
        );
        let (_, d) = c.get(&format!("/api/v1/matters/{id}")).await;
        assert_eq!(
            d["closing_under_review"]["outcome"], "success",
            "{name}: {d}"
        );
        let overdue = html(&c, "/matters/overdue").await;
        assert!(
            overdue.contains("青石镇司法所") && overdue.contains("待审核"),
            "{name}"
        );

        // Nor can a grid worker (no handling permission at all).
        let grid = w.login("grid01").await;
        assert_eq!(act(&grid, id, close()).await.0, 403, "{name}");
    }
}

#[tokio::test]
async fn units_sign_report_and_return_their_matters() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, _) = villages(&w).await;
        let c = w.login("center").await;
        let brigade = unit_of(&c, "综合执法大队").await;
        let sifasuo = unit_of(&c, "司法所").await;
        let id = assigned(
            &c,
            &own,
            json!({"action": "assign", "assignee": {"kind": "unit", "id": brigade},
                "co_handlers": [{"kind": "unit", "id": sifasuo}]}),
        )
        .await;
        let enforcer = w.login("enforcer").await;
        let member = w.login("sifasuo").await;

        // In the lead unit's and the supporting unit's 我的待办; the enforcer opens it.
        let (s, tasks) = enforcer.get("/api/v1/tasks").await;
        assert_eq!(s, 200, "{name}: {tasks}");
        assert!(task_ids(&tasks).contains(&id), "{name}: lead's tasks");
        let (_, tasks) = member.get("/api/v1/tasks").await;
        assert!(task_ids(&tasks).contains(&id), "{name}: co-handler's tasks");
        let (s, d) = enforcer.get(&format!("/api/v1/matters/{id}")).await;
        assert_eq!(s, 200, "{name}: {d}");

        // 签收 starts the unit's work and is a step on the timeline.
        let (s, r) = act(&enforcer, id, json!({"action": "acknowledge"})).await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(r["matter"]["status"], "in_progress");
        assert_eq!(r["event"]["action"], "acknowledge");
        let (_, d) = enforcer.get(&format!("/api/v1/matters/{id}")).await;
        assert!(d["acknowledged_on"].is_string(), "{name}: {d}");
        assert_eq!(d["co_handlers"][0]["name"], "青石镇司法所", "{name}");

        // Each unit gives its own feedback; the supporting unit cannot close.
        let (s, r) = act(
            &member,
            id,
            json!({"action": "feedback", "summary": "已核实当事人身份", "by": {"kind": "unit", "id": brigade}}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {r}");
        let note = r["event"]["note"].as_str().unwrap();
        assert!(
            note.contains("司法所"),
            "{name}: who speaks is the member's unit: {note}"
        );
        let (s, r) = act(
            &enforcer,
            id,
            json!({"action": "feedback", "summary": "已现场勘查", "result": true}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {r}");
        assert!(
            r["event"]["note"]
                .as_str()
                .unwrap()
                .contains("综合行政执法大队")
        );
        let (s, r) = act(&enforcer, id, json!({"action": "feedback", "summary": " "})).await;
        assert_eq!(s, 400, "{name}: empty feedback {r}");
        assert_eq!(act(&member, id, close()).await.0, 403, "{name}");

        // 退回 needs a reason; then it is the centre's again.
        let (s, r) = act(&enforcer, id, json!({"action": "return"})).await;
        assert_eq!(s, 400, "{name}: {r}");
        assert_eq!(r["fields"]["reason"], "请填写回退理由", "{r}");
        let (s, r) = act(
            &enforcer,
            id,
            json!({"action": "return", "reason": "不属于本单位职责"}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(r["matter"]["status"], "accepted");
        let (_, tasks) = enforcer.get("/api/v1/tasks").await;
        assert!(!task_ids(&tasks).contains(&id), "{name}");
        let (_, tasks) = member.get("/api/v1/tasks").await;
        assert!(
            !task_ids(&tasks).contains(&id),
            "{name}: co-handlers go too"
        );
        let (_, tasks) = c.get("/api/v1/tasks").await;
        assert!(task_ids(&tasks).contains(&id), "{name}: back at the centre");
        let (_, d) = c.get(&format!("/api/v1/matters/{id}")).await;
        let actions: Vec<&str> = d["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            [
                "register",
                "accept",
                "assign",
                "acknowledge",
                "feedback",
                "feedback",
                "return"
            ],
            "{name}"
        );

        // Work in hand per unit: on the overdue list's API.
        let id2 = assigned(
            &c,
            &own,
            json!({"action": "assign", "assignee": {"kind": "unit", "id": brigade}}),
        )
        .await;
        let (s, rows) = c.get("/api/v1/matters/overdue-by-handler").await;
        assert_eq!(s, 200, "{name}: {rows}");
        let row = rows
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["assignee_kind"] == "unit" && r["assignee_id"] == brigade)
            .unwrap_or_else(|| panic!("{name}: {rows}"));
        assert_eq!(
            (row["open"].as_i64(), row["unsigned"].as_i64()),
            (Some(1), Some(1))
        );
        let _ = id2;
    }
}

async fn closed_count(c: &Client) -> i64 {
    let (s, st) = c.get("/api/v1/stats/matters?division=500160101000").await;
    assert_eq!(s, 200, "{st}");
    st["closed"].as_i64().unwrap()
}

#[tokio::test]
async fn closings_by_handlers_count_only_once_the_centre_approves() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, _) = villages(&w).await;
        let c = w.login("center").await;
        let sifasuo = unit_of(&c, "司法所").await;
        let member = w.login("sifasuo").await;
        let id = assigned(
            &c,
            &own,
            json!({"action": "assign", "assignee": {"kind": "unit", "id": sifasuo}}),
        )
        .await;
        assert_eq!(
            act(&member, id, json!({"action": "acknowledge"})).await.0,
            200
        );
        let before = closed_count(&c).await;

        // The unit's 办结 waits for review: not counted, not closable twice.
        let (s, r) = act(&member, id, close()).await;
        assert_eq!(
            (s, r["matter"]["status"].as_str()),
            (200, Some("reviewing")),
            "{name}: {r}"
        );
        assert!(r["matter"]["closed_on"].is_null(), "{name}: {r}");
        assert_eq!(
            closed_count(&c).await,
            before,
            "{name}: pending review is not closed"
        );
        let (s, r) = act(&member, id, close()).await;
        assert_eq!(s, 409, "{name}: closed twice {r}");
        let (s, _) = act(&member, id, json!({"action": "approve_closure"})).await;
        assert_eq!(
            s, 403,
            "{name}: the handler does not approve his own closing"
        );
        let (_, tasks) = c.get("/api/v1/tasks").await;
        assert!(
            task_ids(&tasks).contains(&id),
            "{name}: review is the centre's task"
        );

        // Rejected with a reason (required): back to the unit, which must do more first.
        let (s, r) = act(&c, id, json!({"action": "reject_closure"})).await;
        assert_eq!(s, 400, "{name}: {r}");
        let (s, r) = act(
            &c,
            id,
            json!({"action": "reject_closure", "reason": "缺少调解协议书"}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(r["matter"]["status"], "in_progress");
        assert_eq!(r["event"]["note"], "缺少调解协议书");
        let (_, tasks) = member.get("/api/v1/tasks").await;
        assert!(task_ids(&tasks).contains(&id), "{name}: back with the unit");
        let (s, r) = act(&member, id, close()).await;
        assert_eq!(s, 409, "{name}: no second closing without a new step: {r}");
        assert!(r["message"].as_str().unwrap().contains("新的办理情况"));
        let (s, _) = act(
            &member,
            id,
            json!({"action": "feedback", "summary": "已补充调解协议书", "result": true}),
        )
        .await;
        assert_eq!(s, 200, "{name}");
        assert_eq!(act(&member, id, close()).await.0, 200, "{name}");
        assert_eq!(closed_count(&c).await, before, "{name}");

        // Approved: closed, and counted.
        let (s, r) = act(&c, id, json!({"action": "approve_closure"})).await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(r["matter"]["status"], "closed");
        assert!(r["matter"]["closed_on"].is_string());
        assert_eq!(
            closed_count(&c).await,
            before + 1,
            "{name}: approved counts"
        );
        let (s, _) = act(&member, id, close()).await;
        assert_eq!(s, 409, "{name}: closed matters are not closed again");

        // A dissatisfied follow-up sends it back; it needs a new step before closing.
        let (s, _) = act(
            &c,
            id,
            json!({"action": "follow_up", "satisfaction": "dissatisfied"}),
        )
        .await;
        assert_eq!(s, 200, "{name}");
        let (_, tasks) = c.get("/api/v1/tasks").await;
        assert!(
            task_ids(&tasks).contains(&id),
            "{name}: to send back for 重新办理"
        );
        let (_, st) = c.get("/api/v1/stats/matters?division=500160101000").await;
        let reopened = st["reopened"].as_i64().unwrap();
        let (s, r) = act(
            &c,
            id,
            json!({"action": "reopen", "reason": "当事人不满意"}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(r["matter"]["status"], "in_progress");
        assert_eq!(
            closed_count(&c).await,
            before,
            "{name}: reopened is not closed"
        );
        let (_, st) = c.get("/api/v1/stats/matters?division=500160101000").await;
        assert_eq!(
            st["reopened"].as_i64(),
            Some(reopened + 1),
            "{name}: 重新办理 counted"
        );
        assert_eq!(act(&c, id, close()).await.0, 409, "{name}");

        // The centre's own closing needs no review.
        let (s, _) = act(&c, id, json!({"action": "feedback", "summary": "再次调解"})).await;
        assert_eq!(s, 200, "{name}");
        let (s, r) = act(&c, id, close()).await;
        assert_eq!(
            (s, r["matter"]["status"].as_str()),
            (200, Some("closed")),
            "{name}: {r}"
        );
        assert_eq!(closed_count(&c).await, before + 1, "{name}");
    }
}

#[tokio::test]
async fn an_admin_makes_a_unit_member_who_gets_the_units_matters() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, _) = villages(&w).await;
        let admin = w.login("admin").await;
        let c = w.login("center").await;
        let police = unit_of(&c, "派出所").await;
        let users = html(&admin, "/admin/users").await;
        assert!(users.contains("青石镇派出所"), "{name}: units offered");
        let (s, _, _) = admin
            .post_form_bytes(
                "/admin/users/new",
                &[
                    ("username", "paichusuo"),
                    ("display_name", "派出所 吴军"),
                    ("password", "long-enough-pw"),
                    ("unit_id", &police.to_string()),
                ],
                true,
            )
            .await;
        assert_eq!(s, 303, "{name}");
        let (_, list) = admin.get("/api/v1/users").await;
        let uid = list
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["username"] == "paichusuo")
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let (s, r) = admin
            .post(
                &format!("/api/v1/users/{uid}/grants"),
                json!({"role": "unit_staff", "division_code": "500160101000"}),
            )
            .await;
        assert!(s.is_success(), "{name}: {r}");
        let id = assigned(
            &c,
            &own,
            json!({"action": "assign", "assignee": {"kind": "unit", "id": police}}),
        )
        .await;
        let member = Client::login(&w.app, "paichusuo", "long-enough-pw")
            .await
            .unwrap();
        let (_, tasks) = member.get("/api/v1/tasks").await;
        assert!(task_ids(&tasks).contains(&id), "{name}: {tasks}");
        assert_eq!(
            act(&member, id, json!({"action": "acknowledge"})).await.0,
            200
        );
    }
}

#[tokio::test]
async fn the_api_document_shows_the_new_codes() {
    let t = fazhi_testkit::db::sqlite().await.unwrap();
    let w = world(t).await;
    let (s, doc) =
        fazhi_testkit::web::send_anon(&w.app, "GET", "/api/v1/openapi.json", json!(null)).await;
    assert_eq!(s, 200);
    let text = doc.to_string();
    for code in [
        "\"reviewing\"",
        "\"feedback\"",
        "\"approve_closure\"",
        "\"reject_closure\"",
        "\"unit_staff\"",
        "ClosingOut",
        "closing_reviewed",
        "\"reopened\"",
    ] {
        assert!(text.contains(code), "{code} missing from the API document");
    }
}
