//! Risk triage at intake (issue 14 point 3): the centre's 研判 as a step, pressing
//! matters first in 我的待办, a countdown instead of a bare date. Real router, real
//! database (SQLite always, PostgreSQL when FAZHI_TEST_POSTGRES_URL is set).

use crate::common::{villages, world};
use fazhi_testkit::web::Client;
use serde_json::{Value, json};

fn dispute(village: &str, summary: &str) -> Value {
    json!({"kind": "dispute", "channel": "visit", "category": "neighbour",
        "division_code": village, "summary": summary,
        "parties": [{"name": "甲"}, {"name": "乙", "role": "respondent"}]})
}

async fn act(c: &Client, id: i64, body: Value) -> (u16, Value) {
    let (s, r) = c.post(&format!("/api/v1/matters/{id}/actions"), body).await;
    (s.as_u16(), r)
}

async fn new_matter(c: &Client, village: &str, summary: &str, accept: bool) -> i64 {
    let (s, m) = c.post("/api/v1/matters", dispute(village, summary)).await;
    assert_eq!(s, 201, "{m}");
    let id = m["id"].as_i64().unwrap();
    if accept {
        assert_eq!(act(c, id, json!({"action": "accept"})).await.0, 200);
    }
    id
}

#[tokio::test]
async fn the_centre_assesses_risk_and_pressing_matters_come_first() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, _) = villages(&w).await;
        let c = w.login("center").await;
        let plain = new_matter(&c, &own, "邻里因排水沟发生争执", true).await;
        let fresh = new_matter(&c, &own, "楼上漏水渗到楼下", false).await;
        let red = new_matter(&c, &own, "当事人扬言采取极端行为", true).await;
        let urgent = new_matter(&c, &own, "三十余户村民联名反映征地补偿", true).await;

        // Only the centre assesses; the assessment is checked and recorded as a step.
        let village = w.login("village01").await;
        let assess =
            json!({"action": "assess", "risk": "red", "summary": "扬言极端行为，须立即处置"});
        let (s, r) = act(&village, red, assess.clone()).await;
        assert_eq!(s, 403, "{name}: {r}");
        let (s, r) = act(&c, red, json!({"action": "assess", "risk": "red"})).await;
        assert_eq!(s, 400, "{name}: {r}");
        assert!(r["fields"]["summary"].is_string(), "{name}: {r}");
        let (s, r) = act(&c, red, assess).await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(r["event"]["action"], "assess");
        assert_eq!(r["matter"]["risk"], "red");
        assert_eq!(r["matter"]["urgent"], true, "{name}: red is pressing");
        let (s, _) = act(
            &c,
            urgent,
            json!({"action": "assess", "risk": "yellow", "urgent": true, "group_people": 1, "summary": "群体"}),
        )
        .await;
        assert_eq!(s, 400, "{name}: a group is two people or more");
        let (s, r) = act(
            &c,
            urgent,
            json!({"action": "assess", "risk": "yellow", "urgent": true, "group_people": 35, "summary": "群体性诉求，情绪激动"}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {r}");
        let (_, d) = c.get(&format!("/api/v1/matters/{urgent}")).await;
        assert_eq!(d["group_people"], 35, "{name}");

        // 我的待办: pressing first, then new intake, then by deadline; with a countdown.
        let (_, tasks) = c.get("/api/v1/tasks").await;
        let order: Vec<i64> = tasks
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_i64().unwrap())
            .collect();
        let pos = |id| order.iter().position(|x| *x == id).unwrap();
        assert!(
            pos(red) < pos(fresh) && pos(urgent) < pos(fresh),
            "{name}: {order:?}"
        );
        assert!(
            pos(fresh) < pos(plain),
            "{name}: new intake before the rest"
        );
        let row = tasks
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == plain)
            .unwrap();
        assert!(row["days_left"].as_i64().unwrap() > 0, "{name}: {row}");
        let (s, _, page) = c.get_bytes("/tasks").await;
        assert_eq!(s, 200);
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains("剩") && page.contains("天"),
            "{name}: countdown"
        );
        assert!(page.contains("risk-red") && page.contains("紧急"), "{name}");
        let (_, _, home) = c.get_bytes("/").await;
        assert!(
            String::from_utf8(home).unwrap().contains("risk-red"),
            "{name}: home"
        );
        let (_, _, detail) = c.get_bytes(&format!("/matters/{urgent}")).await;
        let detail = String::from_utf8(detail).unwrap();
        assert!(detail.contains("群体性（涉及35人）"), "{name}");
    }
}
