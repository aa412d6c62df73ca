//! 积分制 (issue 17 §2) through the real router and a real database (SQLite, and
//! PostgreSQL when FAZHI_TEST_POSTGRES_URL is set): off by default, turned on per
//! township with points per event type, villages' points computed from the events they
//! recorded (never typed), versions, checks with nothing written, scoping.

use crate::common::{villages, world};
use fazhi_testkit::web::Client;
use serde_json::{Value, json};

const QINGSHI: &str = "500160101000";

fn event(place: &str, kind: &str, title: &str) -> Value {
    json!({"kind": kind, "division_code": place, "title": title, "participants": 20})
}

async fn put(c: &Client, body: Value) -> (u16, Value) {
    let (s, v) = c
        .send_json("PUT", "/api/v1/education/points", body, true)
        .await;
    (s.as_u16(), v)
}

fn row<'a>(t: &'a Value, code: &str) -> Option<&'a Value> {
    t["villages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["code"] == code)
}

#[tokio::test]
async fn villages_earn_points_from_their_recorded_events() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, other) = villages(&w).await;
        let center = w.login("center").await;
        let village = w.login("village01").await;
        let url = format!("/api/v1/education/points?division={QINGSHI}");

        let (s, off) = center.get(&url).await;
        assert_eq!(s, 200, "{name}: {off}");
        assert_eq!(
            (off["enabled"].as_bool(), off["version"].is_null()),
            (Some(false), true),
            "{name}"
        );
        assert!(off["villages"].as_array().unwrap().is_empty(), "{name}");
        assert_eq!(off["can_edit"], true, "{name}");

        // The year's events (the demo has none in these villages' counts we rely on:
        // compare before and after).
        let before = {
            let (_, on) = put(
                &center,
                json!({"division_code": QINGSHI, "enabled": true,
                "points": {"villages": 3, "lecture": 5}}),
            )
            .await;
            on
        };
        assert_eq!(before["enabled"], true, "{name}: {before}");
        assert_eq!(before["version"], 1, "{name}");
        let base = |code: &str| {
            row(&before, code)
                .map(|v| (v["events"].as_i64().unwrap(), v["points"].as_i64().unwrap()))
                .unwrap_or((0, 0))
        };
        let (own0, other0) = (base(&own), base(&other));

        for (c, place, kind, title) in [
            (&village, own.as_str(), "villages", "民法典进院坝"),
            (&village, own.as_str(), "villages", "反诈宣传"),
            (&village, own.as_str(), "online", "微信普法"),
            (&center, other.as_str(), "lecture", "法治讲座"),
            (&center, QINGSHI, "lecture", "镇里的讲座"),
        ] {
            let (s, e) = c
                .post("/api/v1/education/events", event(place, kind, title))
                .await;
            assert_eq!(s, 201, "{name}: {e}");
        }
        let (_, t1) = center.get(&url).await;
        let own_row = row(&t1, &own).unwrap();
        assert_eq!(
            (
                own_row["events"].as_i64().unwrap() - own0.0,
                own_row["points"].as_i64().unwrap() - own0.1
            ),
            (3, 6),
            "{name}: two 进乡村 at 3, online earns none: {own_row}"
        );
        let other_row = row(&t1, &other).unwrap();
        assert_eq!(
            other_row["points"].as_i64().unwrap() - other0.1,
            5,
            "{name}"
        );
        assert!(
            row(&t1, QINGSHI).is_none(),
            "{name}: the township's own events are no village's"
        );
        assert!(
            own_row["link"].as_str().unwrap().contains(&own),
            "{name}: drill-down"
        );

        // A stale version, bad points: refused, nothing written.
        let (s, e) = put(
            &center,
            json!({"division_code": QINGSHI, "enabled": false, "points": {"lecture": 1}}),
        )
        .await;
        assert_eq!(s, 409, "{name}: {e}");
        let (s, e) = put(
            &center,
            json!({"division_code": QINGSHI, "enabled": true, "version": 1,
            "points": {"lecture": 101, "dancing": 1}}),
        )
        .await;
        assert_eq!(s, 400, "{name}: {e}");
        assert!(
            e["fields"]["points.lecture"].is_string() && e["fields"]["points.dancing"].is_string(),
            "{name}: {e}"
        );
        let (_, same) = center.get(&url).await;
        assert_eq!(same["version"], 1, "{name}");
        // A village may read its own row but not set the township's points.
        let (s, mine) = village
            .get(&format!("/api/v1/education/points?division={own}"))
            .await;
        assert_eq!(s, 200, "{name}: {mine}");
        assert_eq!(
            mine["villages"].as_array().unwrap().len(),
            1,
            "{name}: {mine}"
        );
        assert_eq!(mine["can_edit"], false, "{name}");
        let (s, _) = put(
            &village,
            json!({"division_code": own, "enabled": false, "version": 1}),
        )
        .await;
        assert_eq!(s, 400, "{name}");
        // Another township's leader: out of scope.
        let hash = fazhi_web::auth::secrets::hash_password(fazhi_demo::DEMO_PASSWORD.into())
            .await
            .unwrap();
        fazhi_testkit::web::add_user(
            &w.state.db,
            "qx-leader",
            &hash,
            fazhi_core::role::Role::TownshipLeader,
            "500160001000",
        )
        .await;
        let outsider = w.login("qx-leader").await;
        let (s, _) = outsider.get(&url).await;
        assert_eq!(s, 404, "{name}");

        // The page: the table, and the form turning it off.
        let (s, _, page) = center
            .get_bytes(&format!("/education/points?division={QINGSHI}"))
            .await;
        assert_eq!(s, 200, "{name}");
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains("points-table") && page.contains("启用积分制"),
            "{name}"
        );
        let (s, _, _) = center
            .post_form_bytes(
                "/education/points",
                &[
                    ("division_code", QINGSHI),
                    ("version", "1"),
                    ("points_lecture", "4"),
                ],
                true,
            )
            .await;
        assert_eq!(s, 303, "{name}");
        let (_, now) = center.get(&url).await;
        assert_eq!(
            (now["enabled"].as_bool(), now["version"].as_i64()),
            (Some(false), Some(2)),
            "{name}"
        );
        assert!(now["villages"].as_array().unwrap().is_empty(), "{name}");
        let audit = fazhi_db::audit::recent(&w.state.db, None, 100)
            .await
            .unwrap();
        assert_eq!(
            audit
                .iter()
                .filter(|a| a.action == "education.points.save")
                .count(),
            2,
            "{name}"
        );

        // The district's drill-down names the district: it shows a township of it, with
        // the picker; saving a setting on the district itself is refused.
        let district = w.login("district").await;
        let (s, v) = district
            .get("/api/v1/education/points?division=500160000000")
            .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert!(
            v["township_code"].as_str().unwrap().starts_with("500160"),
            "{name}: {v}"
        );
        let (s, _, page) = district
            .get_bytes("/education/points?division=500160000000")
            .await;
        assert_eq!(s, 200, "{name}");
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains("<select name=\"division\">") && !page.contains("请选择镇（街道）"),
            "{name}: {page}"
        );
        let (s, v) = put(
            &district,
            json!({"division_code": "500160000000", "enabled": true}),
        )
        .await;
        assert!(s == 400 || s == 403, "{name}: {s} {v}");
    }
}
