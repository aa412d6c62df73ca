//! Legal education through the real router and a real database (SQLite always,
//! PostgreSQL when FAZHI_TEST_POSTGRES_URL is set), on the demo organisation: events,
//! study sessions, rosters, theme days, the figures, scoping and validation.

use crate::common::{unit_of, villages, world};
use fazhi_testkit::web::Client;
use serde_json::{Value, json};

fn event(village: &str, title: &str, participants: i64) -> Value {
    json!({
        "kind": "villages",
        "division_code": village,
        "title": title,
        "participants": participants,
        "materials": 100,
        "laws": ["民法典", "《反电信网络诈骗法》"]
    })
}

async fn count(c: &Client, path: &str) -> usize {
    let (s, v) = c.get(path).await;
    assert_eq!(s, 200, "{path}: {v}");
    v.as_array().unwrap().len()
}

#[tokio::test]
async fn events_are_checked_scoped_and_versioned() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, other) = villages(&w).await;
        let village = w.login("village01").await;
        let center = w.login("center").await;
        let today = w.state.clock.today().to_string();

        // A village account records in its own village without naming it.
        let mut body = event(&own, "反诈宣传进村", 45);
        body.as_object_mut().unwrap().remove("division_code");
        let (s, mine) = village.post("/api/v1/education/events", body).await;
        assert_eq!(s, 201, "{name}: {mine}");
        assert_eq!(mine["division_code"], own.as_str(), "{name}");
        assert_eq!(
            mine["reached"], 45,
            "{name}: reached defaults to participants"
        );
        assert_eq!(mine["held_on"], today.as_str(), "{name}");
        assert_eq!(
            mine["laws"],
            json!(["民法典", "反电信网络诈骗法"]),
            "{name}"
        );
        let mine_id = mine["id"].as_i64().unwrap();

        // The centre records a theme-day event in another village, organised by 司法所.
        let unit = unit_of(&center, "司法所").await;
        let mut body = event(&other, "国家宪法日宣传", 120);
        body["kind"] = json!("theme_day");
        body["theme"] = json!("constitution_day");
        body["unit_id"] = json!(unit);
        body["reached"] = json!(800);
        let (s, theirs) = center.post("/api/v1/education/events", body).await;
        assert_eq!(s, 201, "{name}: {theirs}");
        assert_eq!(theirs["theme_name"], "12·4国家宪法日", "{name}");
        assert_eq!(theirs["unit_id"], unit, "{name}");
        let theirs_id = theirs["id"].as_i64().unwrap();

        // Out of scope is 404, for reading and for changing.
        let (s, _) = village
            .get(&format!("/api/v1/education/events/{theirs_id}"))
            .await;
        assert_eq!(s, 404, "{name}");
        let mut change = event(&own, "改到本村", 1);
        change["version"] = json!(1);
        let (s, _) = village
            .send_json(
                "PUT",
                &format!("/api/v1/education/events/{theirs_id}"),
                change.clone(),
                true,
            )
            .await;
        assert_eq!(s, 404, "{name}");
        assert_eq!(
            count(&village, "/api/v1/education/events").await,
            1,
            "{name}"
        );
        assert_eq!(
            count(&center, "/api/v1/education/events").await,
            2,
            "{name}"
        );
        // Recording in another village is refused on the field.
        let (s, e) = village
            .post("/api/v1/education/events", event(&other, "越界", 1))
            .await;
        assert_eq!(s, 400, "{name}");
        assert!(e["fields"]["division_code"].is_string(), "{name}: {e}");

        // The district reads but does not change.
        let district = w.login("district").await;
        let (s, d) = district
            .get(&format!("/api/v1/education/events/{mine_id}"))
            .await;
        assert_eq!(
            (s.as_u16(), d["can_edit"].as_bool()),
            (200, Some(false)),
            "{name}"
        );
        let (s, _) = district
            .send_json(
                "PUT",
                &format!("/api/v1/education/events/{mine_id}"),
                change.clone(),
                true,
            )
            .await;
        assert_eq!(s, 403, "{name}");

        // Changing needs the version read; a stale one is 409.
        let (s, r) = center
            .send_json(
                "PUT",
                &format!("/api/v1/education/events/{mine_id}"),
                change.clone(),
                true,
            )
            .await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(
            (r["title"].as_str(), r["version"].as_i64()),
            (Some("改到本村"), Some(2))
        );
        let (s, r) = center
            .send_json(
                "PUT",
                &format!("/api/v1/education/events/{mine_id}"),
                change,
                true,
            )
            .await;
        assert_eq!(
            (s.as_u16(), r["code"].as_str()),
            (409, Some("stale_version")),
            "{name}"
        );

        // Every problem at once, in Chinese, and nothing written.
        let (s, e) = village
            .post(
                "/api/v1/education/events",
                json!({"kind": "party", "participants": -3, "reached": 1, "held_on": "2999-01-01", "theme": "nope"}),
            )
            .await;
        assert_eq!(s, 400, "{name}");
        for f in ["kind", "title", "participants", "held_on", "theme"] {
            assert!(e["fields"][f].is_string(), "{name}: {f} in {e}");
        }
        assert!(
            e["message"].as_str().unwrap().contains("活动主题不能为空"),
            "{name}: {e}"
        );
        let mut grid_elsewhere = event(&own, "网格不对", 3);
        grid_elsewhere["grid_id"] = json!(999_999);
        let (s, e) = village
            .post("/api/v1/education/events", grid_elsewhere)
            .await;
        assert_eq!(s, 400, "{name}");
        assert!(e["fields"]["grid_id"].is_string(), "{name}: {e}");
        assert_eq!(
            count(&center, "/api/v1/education/events").await,
            2,
            "{name}"
        );

        // Grid workers record events too; enforcement officers (谁执法谁普法) as well.
        let grid = w.login("grid01").await;
        let (s, r) = grid
            .post("/api/v1/education/events", event(&own, "网格普法", 12))
            .await;
        assert_eq!(s, 201, "{name}: {r}");
        let enforcer = w.login("enforcer").await;
        let (s, r) = enforcer
            .post("/api/v1/education/events", event(&other, "执法普法", 30))
            .await;
        assert_eq!(s, 201, "{name}: {r}");
        // Filters: by kind and by theme.
        let (_, v) = center
            .get("/api/v1/education/events?theme=constitution_day")
            .await;
        assert_eq!(v.as_array().unwrap().len(), 1, "{name}");
        let (_, v) = center.get("/api/v1/education/events?theme=none").await;
        assert_eq!(v.as_array().unwrap().len(), 3, "{name}");
        let (s, _) = center.get("/api/v1/education/events?kind=party").await;
        assert_eq!(s, 400, "{name}");
        let (s, _) = village
            .get(&format!("/api/v1/education/events?division={other}"))
            .await;
        assert_eq!(s, 400, "{name}: a filter outside the scope is refused");
    }
}

#[tokio::test]
async fn study_sessions_take_attendance_from_the_townships_accounts() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let center = w.login("center").await;
        let (s, cands) = center.get("/api/v1/education/attendees").await;
        assert_eq!(s, 200, "{name}: {cands}");
        let cands = cands.as_array().unwrap().clone();
        let id_of = |who: &str| {
            cands
                .iter()
                .find(|c| c["name"].as_str().unwrap().contains(who))
                .unwrap_or_else(|| panic!("{who} in {cands:?}"))["user_id"]
                .as_i64()
                .unwrap()
        };
        assert!(
            cands
                .iter()
                .all(|c| !c["name"].as_str().unwrap().contains("区依法治区办")),
            "{name}: district accounts are not the township's"
        );
        let (leader, me, enforcer, reviewer) =
            (id_of("王强"), id_of("张丽"), id_of("赵刚"), id_of("孙静"));
        let village_acct = id_of("陈国华");
        assert!(
            cands
                .iter()
                .any(|c| c["user_id"] == leader && c["default_expected"] == true),
            "{name}"
        );
        assert!(
            cands
                .iter()
                .any(|c| c["user_id"] == village_acct && c["default_expected"] == false),
            "{name}: village accounts are offered, not expected by default"
        );
        let body = json!({
            "kind": "pre_meeting",
            "topic": "学习《中华人民共和国行政复议法》",
            "speaker": "司法所所长",
            "hours": 1.5,
            "laws": ["行政复议法"],
            "attendees": [
                {"user_id": leader, "present": true},
                {"user_id": me, "present": true},
                {"user_id": enforcer, "present": true},
                {"user_id": reviewer, "present": false},
            ]
        });
        let (s, r) = center
            .post("/api/v1/education/study-sessions", body.clone())
            .await;
        assert_eq!(s, 201, "{name}: {r}");
        assert_eq!(
            (r["expected"].as_i64(), r["present"].as_i64()),
            (Some(4), Some(3))
        );
        assert_eq!(r["attendance_rate"], 75.0, "{name}");
        assert_eq!(r["hours"], 1.5, "{name}");
        assert_eq!(
            r["division_code"], "500160101000",
            "{name}: the centre's township"
        );
        let id = r["id"].as_i64().unwrap();
        let (_, d) = center
            .get(&format!("/api/v1/education/study-sessions/{id}"))
            .await;
        let absent: Vec<&Value> = d["attendees"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["present"] == false)
            .collect();
        assert_eq!(absent.len(), 1, "{name}");
        assert!(
            absent[0]["name"].as_str().unwrap().contains("孙静"),
            "{name}"
        );

        // Accounts of another township, repeats and an empty list are refused; nothing written.
        let (_, admin) = center
            .get("/api/v1/education/attendees?division=500160101000")
            .await;
        assert_eq!(admin.as_array().unwrap().len(), cands.len(), "{name}");
        let mut bad = body.clone();
        bad["attendees"] = json!([{"user_id": 1, "present": true}, {"user_id": leader, "present": true}, {"user_id": leader, "present": false}]);
        bad["hours"] = json!(0);
        let (s, e) = center.post("/api/v1/education/study-sessions", bad).await;
        assert_eq!(s, 400, "{name}: {e}");
        assert!(
            e["fields"]["attendees"].is_string() && e["fields"]["hours"].is_string(),
            "{name}: {e}"
        );
        let mut none = body.clone();
        none["attendees"] = json!([]);
        let (s, _) = center.post("/api/v1/education/study-sessions", none).await;
        assert_eq!(s, 400, "{name}");
        assert_eq!(
            count(&center, "/api/v1/education/study-sessions").await,
            1,
            "{name}"
        );

        // Grid workers neither record sessions nor see the attendee list; the village does
        // not see the township's sessions.
        let grid = w.login("grid01").await;
        let (s, _) = grid
            .post("/api/v1/education/study-sessions", body.clone())
            .await;
        assert_eq!(s, 403, "{name}");
        let village = w.login("village01").await;
        let (s, _) = village
            .get(&format!("/api/v1/education/study-sessions/{id}"))
            .await;
        assert_eq!(s, 404, "{name}");

        // Change the list: the reviewer came after all.
        let mut change = body.clone();
        change["attendees"][3]["present"] = json!(true);
        change["version"] = json!(1);
        let (s, r) = center
            .send_json(
                "PUT",
                &format!("/api/v1/education/study-sessions/{id}"),
                change,
                true,
            )
            .await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(r["attendance_rate"], 100.0, "{name}");
    }
}

#[tokio::test]
async fn rosters_seal_phones_and_show_the_gap_of_legal_literate_people() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, other) = villages(&w).await;
        let village = w.login("village01").await;
        let person = |n: &str, phone: &str| json!({"role": "legal_literate", "name": n, "phone": phone, "note": "村民小组长"});
        for (n, phone) in [("王一", "13800000001"), ("王二", "")] {
            let (s, r) = village
                .post("/api/v1/education/roster", person(n, phone))
                .await;
            assert_eq!(s, 201, "{name}: {r}");
            assert_eq!(r["division_code"], own.as_str(), "{name}");
        }
        let (_, list) = village.get("/api/v1/education/roster").await;
        assert_eq!(list[0]["phone"], "138****0001", "{name}: masked");
        assert!(!list.to_string().contains("13800000001"), "{name}");
        let id = list[0]["id"].as_i64().unwrap();

        // Another village, a township, a bad phone: refused, nothing written.
        let mut elsewhere = person("李三", "13800000003");
        elsewhere["division_code"] = json!(other);
        let (s, e) = village.post("/api/v1/education/roster", elsewhere).await;
        assert_eq!(s, 400, "{name}: {e}");
        let center = w.login("center").await;
        let mut township = person("李四", "");
        township["division_code"] = json!("500160101000");
        let (s, e) = center.post("/api/v1/education/roster", township).await;
        assert_eq!(s, 400, "{name}");
        assert!(
            e["fields"]["division_code"]
                .as_str()
                .unwrap()
                .contains("村（社区）"),
            "{name}"
        );
        let (s, e) = village
            .post("/api/v1/education/roster", person("李五", "123"))
            .await;
        assert_eq!(s, 400, "{name}");
        assert!(e["fields"]["phone"].is_string(), "{name}");
        assert_eq!(
            count(&village, "/api/v1/education/roster").await,
            2,
            "{name}"
        );

        // The gap: two of three in the own village, none in the other.
        let (s, st) = center.get("/api/v1/stats/education").await;
        assert_eq!(s, 200, "{name}: {st}");
        let short = |st: &Value, code: &str| {
            st["villages"]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["code"] == code)
                .unwrap()["short_by"]
                .as_i64()
                .unwrap()
        };
        assert_eq!((short(&st, &own), short(&st, &other)), (1, 3), "{name}");

        // Revealing the phone is audited; a grid worker may not.
        let (s, r) = village
            .post(&format!("/api/v1/education/roster/{id}/reveal"), json!({}))
            .await;
        assert_eq!(
            (s.as_u16(), r["phone"].as_str()),
            (200, Some("13800000001")),
            "{name}"
        );
        let (s, _) = w
            .login("grid01")
            .await
            .post(&format!("/api/v1/education/roster/{id}/reveal"), json!({}))
            .await;
        assert_eq!(s, 403, "{name}");
        let audit = fazhi_db::audit::recent(&w.state.db, None, 20)
            .await
            .unwrap();
        assert!(
            audit
                .iter()
                .any(|a| a.action == "roster.reveal" && a.target == format!("roster_person:{id}")),
            "{name}"
        );

        // An update without a phone keeps it; someone who leaves no longer counts.
        let mut keep = person("王一", "");
        keep.as_object_mut().unwrap().remove("phone");
        keep["version"] = json!(1);
        let (s, r) = village
            .send_json(
                "PUT",
                &format!("/api/v1/education/roster/{id}"),
                keep.clone(),
                true,
            )
            .await;
        assert_eq!(
            (s.as_u16(), r["phone"].as_str()),
            (200, Some("138****0001")),
            "{name}: {r}"
        );
        keep["version"] = json!(2);
        keep["active"] = json!(false);
        let (s, _) = village
            .send_json("PUT", &format!("/api/v1/education/roster/{id}"), keep, true)
            .await;
        assert_eq!(s, 200, "{name}");
        let (_, st) = center.get("/api/v1/stats/education").await;
        assert_eq!(short(&st, &own), 2, "{name}");
        assert_eq!(
            count(&village, "/api/v1/education/roster?all=true").await,
            2,
            "{name}"
        );
        let (s, _) = w
            .login("grid01")
            .await
            .get(&format!("/api/v1/education/roster/{id}"))
            .await;
        assert_eq!(
            s, 200,
            "{name}: the grid worker of the village reads its roster"
        );
    }
}

#[tokio::test]
async fn figures_are_counted_from_the_records_of_the_place_and_year() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, other) = villages(&w).await;
        let center = w.login("center").await;
        let year = w.state.clock.today().year();
        for (v, title, n, theme) in [
            (&own, "宪法日进村", 100, Some("constitution_day")),
            (&own, "宪法宣传周", 50, Some("constitution_week")),
            (&other, "普通讲座", 30, None),
        ] {
            let mut b = event(v, title, n);
            if let Some(t) = theme {
                b["kind"] = json!("theme_day");
                b["theme"] = json!(t);
            }
            b["reached"] = json!(n * 3);
            let (s, r) = center.post("/api/v1/education/events", b).await;
            assert_eq!(s, 201, "{name}: {r}");
        }
        let (_, cands) = center.get("/api/v1/education/attendees").await;
        let ids: Vec<i64> = cands
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["default_expected"] == true)
            .map(|c| c["user_id"].as_i64().unwrap())
            .take(4)
            .collect();
        assert_eq!(ids.len(), 4, "{name}: the township's own accounts: {cands}");
        let attendees: Vec<Value> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| json!({"user_id": id, "present": i != 0}))
            .collect();
        let (s, r) = center
            .post(
                "/api/v1/education/study-sessions",
                json!({"kind": "central_group", "topic": "习近平法治思想", "hours": 2, "attendees": attendees}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {r}");

        let (s, st) = center
            .get(&format!(
                "/api/v1/stats/education?division=500160101000&year={year}"
            ))
            .await;
        assert_eq!(s, 200, "{name}: {st}");
        let fig = |k: &str| {
            st["figures"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["key"] == k)
                .unwrap()
                .clone()
        };
        assert_eq!(fig("events")["value"], 3.0, "{name}");
        assert_eq!(fig("participants")["value"], 180.0, "{name}");
        assert_eq!(fig("reached")["value"], 540.0, "{name}");
        assert_eq!(fig("materials")["value"], 300.0, "{name}");
        assert_eq!(fig("study_sessions")["value"], 1.0, "{name}");
        assert_eq!(fig("study_hours")["value"], 2.0, "{name}");
        assert_eq!(fig("attendance_rate")["value"], 75.0, "{name}");
        assert_eq!(fig("events")["unit"], "场", "{name}");
        assert_eq!(
            fig("events")["href"],
            format!("/education?division=500160101000&year={year}"),
            "{name}"
        );
        let theme_day = st["by_kind"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["key"] == "theme_day")
            .unwrap();
        assert_eq!(theme_day["events"], 2, "{name}");
        let themes: Vec<&str> = st["by_theme"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["key"].as_str().unwrap())
            .collect();
        assert_eq!(
            themes,
            ["constitution_week", "constitution_day", ""],
            "{name}: calendar order, none last"
        );
        let by_own = st["by_division"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["key"] == own.as_str())
            .unwrap();
        assert_eq!(by_own["reached"], 450, "{name}");

        // The drill-down list counts the same records.
        assert_eq!(
            count(
                &center,
                &format!("/api/v1/education/events?division=500160101000&year={year}")
            )
            .await,
            3,
            "{name}"
        );
        // A village's figures are its own; another year is empty; out of scope is refused.
        let village = w.login("village01").await;
        let (_, st) = village.get("/api/v1/stats/education").await;
        assert_eq!(st["division_code"], own.as_str(), "{name}");
        assert_eq!(st["figures"][0]["value"], 2.0, "{name}");
        assert_eq!(
            st["figures"][4]["value"], 0.0,
            "{name}: the township's study is not the village's"
        );
        let (s, _) = village
            .get("/api/v1/stats/education?division=500160101000")
            .await;
        assert_eq!(s, 400, "{name}");
        let (_, st) = center
            .get(&format!("/api/v1/stats/education?year={}", year - 1))
            .await;
        assert_eq!(st["figures"][0]["value"], 0.0, "{name}");
        assert!(
            st["figures"][6]["value"].is_null(),
            "{name}: no rate without sessions"
        );
        // The core function the annual report will call gives the same numbers.
        let d = fazhi_db::admin::divisions::by_code(&w.state.db, "500160101000")
            .await
            .unwrap();
        let tally = fazhi_db::education::stats::tally(&w.state.db, &d.path, year)
            .await
            .unwrap();
        assert_eq!(
            (tally.events, tally.reached, tally.study_minutes),
            (3, 540, 120),
            "{name}"
        );
    }
}

#[tokio::test]
async fn theme_days_are_a_yearly_table_that_administrators_edit() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let year = w.state.clock.today().year();
        let center = w.login("center").await;
        let (s, y) = center
            .get(&format!("/api/v1/education/theme-days/{year}"))
            .await;
        assert_eq!(s, 200, "{name}");
        assert_eq!(y["edited"], false, "{name}");
        assert!(y["days"].as_array().unwrap().len() >= 8, "{name}");
        let mut days = y["days"].as_array().unwrap().clone();
        days.push(json!({"key": "anti_fraud", "name": "反诈宣传周", "starts_on": format!("{year}-01-10"), "ends_on": format!("{year}-01-16")}));
        let path = format!("/api/v1/education/theme-days/{year}");
        let (s, _) = center
            .send_json("PUT", &path, json!({"days": days.clone()}), true)
            .await;
        assert_eq!(s, 403, "{name}: the table is installation-wide");
        let admin = w.login("admin").await;
        let mut bad = days.clone();
        bad.push(json!({"key": "Bad Key", "name": "x", "starts_on": "2001-01-01", "ends_on": "2001-01-01"}));
        let (s, e) = admin
            .send_json("PUT", &path, json!({"days": bad}), true)
            .await;
        assert_eq!(s, 400, "{name}");
        assert!(
            e["message"].as_str().unwrap().contains("第10行"),
            "{name}: {e}"
        );
        let (s, y) = admin
            .send_json("PUT", &path, json!({"days": days}), true)
            .await;
        assert_eq!(s, 200, "{name}: {y}");
        assert_eq!(
            (y["edited"].as_bool(), y["days"][0]["key"].as_str()),
            (Some(true), Some("anti_fraud"))
        );
        // An event may now name the new day; an unknown key is refused.
        let (own, _) = villages(&w).await;
        let mut b = event(&own, "反诈", 10);
        b["theme"] = json!("anti_fraud");
        let (s, r) = center.post("/api/v1/education/events", b.clone()).await;
        assert_eq!(
            (s.as_u16(), r["theme_name"].as_str()),
            (201, Some("反诈宣传周")),
            "{name}: {r}"
        );
        b["theme"] = json!("no_such_day");
        let (s, _) = center.post("/api/v1/education/events", b).await;
        assert_eq!(s, 400, "{name}");
        // An empty table restores the built-in one.
        let (_, y) = admin
            .send_json("PUT", &path, json!({"days": []}), true)
            .await;
        assert_eq!(y["edited"], false, "{name}");
    }
}

async fn html(c: &Client, path: &str) -> (u16, String) {
    let (s, _, b) = c.get_bytes(path).await;
    (s.as_u16(), String::from_utf8(b).unwrap())
}

async fn post_page(c: &Client, path: &str, pairs: &[(&str, &str)]) -> (u16, String, String) {
    let (s, h, b) = c.post_form_bytes(path, pairs, true).await;
    let loc = h
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (s.as_u16(), loc, String::from_utf8(b).unwrap())
}

#[tokio::test]
async fn pages_record_an_event_redisplay_errors_and_count_it() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, other) = villages(&w).await;
        let grid = w.login("grid01").await;

        // The phone form: own village preselected, today's date, the nav link.
        let (s, page) = html(&grid, "/education/events/new").await;
        assert_eq!(s, 200, "{name}");
        assert!(
            page.contains("登记普法活动") && page.contains("href=\"/education\""),
            "{name}"
        );
        assert!(
            page.contains(&format!("value=\"{own}\" selected")),
            "{name}"
        );
        assert!(
            !page.contains(&other),
            "{name}: only places in scope are offered"
        );
        assert!(page.contains(&w.state.clock.today().to_string()), "{name}");

        // Refused: the messages next to the fields, the input kept, nothing written.
        let bad = [
            ("kind", "villages"),
            ("title", ""),
            ("held_on", ""),
            ("division_code", own.as_str()),
            ("participants", "很多"),
            ("materials", "20"),
            ("laws", "民法典"),
        ];
        let (s, _, page) = post_page(&grid, "/education/events/new", &bad).await;
        assert_eq!(s, 400, "{name}");
        assert!(
            page.contains("field-error") && page.contains("请填写整数"),
            "{name}"
        );
        assert!(page.contains("value=\"民法典\""), "{name}: input kept");
        assert_eq!(count(&grid, "/api/v1/education/events").await, 0, "{name}");
        let (s, _, page) = post_page(
            &grid,
            "/education/events/new",
            &[("kind", "villages"), ("title", "")],
        )
        .await;
        assert_eq!(s, 400, "{name}");
        assert!(page.contains("活动主题不能为空"), "{name}");

        // Without the CSRF field the post is refused.
        let (s, _, _) = grid
            .post_form_bytes("/education/events/new", &[("title", "x")], false)
            .await;
        assert_eq!(s.as_u16(), 403, "{name}");

        // Saved: redirected to the record.
        let good = [
            ("kind", "villages"),
            ("theme", ""),
            ("title", "网格员入户普法"),
            ("held_on", ""),
            ("division_code", own.as_str()),
            ("participants", "35"),
            ("reached", ""),
            ("materials", "60"),
            ("laws", "民法典、反家庭暴力法"),
            ("summary", ""),
            ("grid_id", ""),
            ("unit_id", ""),
            ("place", "村委会"),
        ];
        let (s, loc, _) = post_page(&grid, "/education/events/new", &good).await;
        assert_eq!(s, 303, "{name}");
        assert!(loc.starts_with("/education/events/"), "{name}: {loc}");
        let (s, page) = html(&grid, &loc).await;
        assert_eq!(s, 200, "{name}");
        assert!(
            page.contains("网格员入户普法") && page.contains("反家庭暴力法"),
            "{name}"
        );
        let id = loc
            .trim_start_matches("/education/events/")
            .split('?')
            .next()
            .unwrap()
            .to_string();

        // Another village's account gets the 404 page, never JSON.
        let center = w.login("center").await;
        let mut body = event(&other, "别村活动", 5);
        body["kind"] = json!("lecture");
        let (_, r) = center.post("/api/v1/education/events", body).await;
        let (s, page) = html(&grid, &format!("/education/events/{}", r["id"])).await;
        assert_eq!(s, 404, "{name}");
        assert!(
            page.contains("<html") && page.contains("普法学法"),
            "{name}"
        );
        let (s, _) = html(&grid, "/education/events/abc").await;
        assert_eq!(s, 404, "{name}");

        // Editing through the page keeps the version check.
        let mut edit: Vec<(&str, &str)> = good.to_vec();
        edit.retain(|(k, _)| *k != "title");
        edit.push(("title", "网格员入户普法（更正）"));
        edit.push(("version", "1"));
        let (s, loc, _) = post_page(&grid, &format!("/education/events/{id}"), &edit).await;
        assert_eq!((s, loc.contains("ok=")), (303, true), "{name}");
        let (s, _, page) = post_page(&grid, &format!("/education/events/{id}"), &edit).await;
        assert_eq!(s, 409, "{name}");
        assert!(page.contains("已被他人修改"), "{name}");

        // Lists, figures and the gap list as pages.
        let (s, page) = html(&center, "/education").await;
        assert_eq!(s, 200, "{name}");
        assert!(
            page.contains("网格员入户普法（更正）") && page.contains("别村活动"),
            "{name}"
        );
        let (s, page) = html(&center, "/education/stats").await;
        assert_eq!(s, 200, "{name}");
        assert!(
            page.contains("data-figure=\"events\"") && page.contains("普法活动"),
            "{name}"
        );
        assert!(
            page.contains("/education?division=500160101000&amp;year="),
            "{name}: drill-down"
        );
        let (s, page) = html(&center, "/education/roster").await;
        assert_eq!(s, 200, "{name}");
        assert!(
            page.contains("id=\"gaps\"") && page.contains("class=\"gap\""),
            "{name}"
        );
        let (s, page) = html(&center, "/education/theme-days").await;
        assert_eq!(s, 200, "{name}");
        assert!(
            page.contains("国家宪法日") && !page.contains("<textarea"),
            "{name}: only admins edit"
        );
        let (s, _) = html(&w.login("reviewer").await, "/education/study/new").await;
        assert_eq!(s, 403, "{name}");
    }
}

#[tokio::test]
async fn pages_take_study_attendance_and_keep_rosters() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, _) = villages(&w).await;
        let center = w.login("center").await;
        let (s, page) = html(&center, "/education/study/new").await;
        assert_eq!(s, 200, "{name}");
        assert!(page.contains("签到") && page.contains("王强"), "{name}");
        let (_, cands) = center.get("/api/v1/education/attendees").await;
        let ids: Vec<String> = cands
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["default_expected"] == true)
            .map(|c| format!("att_{}", c["user_id"]))
            .take(4)
            .collect();
        let mut form: Vec<(&str, &str)> = vec![
            ("kind", "central_group"),
            ("topic", "学习法治宣传教育法"),
            ("held_on", ""),
            ("hours", "2"),
            ("division_code", "500160101000"),
            ("speaker", ""),
            ("laws", "法治宣传教育法"),
            ("summary", ""),
        ];
        for (i, k) in ids.iter().enumerate() {
            form.push((k.as_str(), if i == 0 { "absent" } else { "present" }));
        }
        let (s, loc, _) = post_page(&center, "/education/study/new", &form).await;
        assert_eq!(s, 303, "{name}");
        let (_, page) = html(&center, &loc).await;
        assert!(page.contains("参学率 75%"), "{name}");
        let mut bad = form.clone();
        bad.retain(|(k, _)| *k != "hours");
        bad.push(("hours", "两小时"));
        let (s, _, page) = post_page(&center, "/education/study/new", &bad).await;
        assert_eq!(s, 400, "{name}");
        assert!(page.contains("学时请填写数字"), "{name}");

        // A roster entry from the page; the phone is revealed once, audited, not cached.
        let village = w.login("village01").await;
        let (s, loc, _) = post_page(
            &village,
            "/education/roster/new",
            &[
                ("role", "legal_literate"),
                ("name", "赵六"),
                ("division_code", own.as_str()),
                ("grid_id", ""),
                ("phone", "13900000009"),
                ("note", "五老"),
            ],
        )
        .await;
        assert_eq!(s, 303, "{name}");
        let (_, page) = html(&village, &loc).await;
        assert!(
            page.contains("139****0009") && !page.contains("13900000009"),
            "{name}"
        );
        let id = loc
            .trim_start_matches("/education/roster/")
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let (s, h, b) = village
            .post_form_bytes(&format!("/education/roster/{id}/reveal"), &[], true)
            .await;
        assert_eq!(s.as_u16(), 200, "{name}");
        assert_eq!(h.get("cache-control").unwrap(), "no-store", "{name}");
        assert!(
            String::from_utf8(b).unwrap().contains("13900000009"),
            "{name}"
        );
        // Leaving the roster through the page (the box unticked), phone kept.
        let (s, _, _) = post_page(
            &village,
            &format!("/education/roster/{id}"),
            &[
                ("role", "legal_literate"),
                ("name", "赵六"),
                ("division_code", own.as_str()),
                ("phone", ""),
                ("version", "1"),
            ],
        )
        .await;
        assert_eq!(s, 303, "{name}");
        let (_, r) = village.get(&format!("/api/v1/education/roster/{id}")).await;
        assert_eq!(
            (r["active"].as_bool(), r["phone"].as_str()),
            (Some(false), Some("139****0009"))
        );

        // Theme days: the administrator's form refuses bad lines and saves good ones.
        let admin = w.login("admin").await;
        let year = w.state.clock.today().year().to_string();
        let (s, _, page) = post_page(
            &admin,
            "/education/theme-days",
            &[("year", year.as_str()), ("text", "bad line")],
        )
        .await;
        assert_eq!(s, 400, "{name}");
        assert!(page.contains("第1行"), "{name}");
        let text = format!("law_day 法治宣传日 {year}-11-09");
        let (s, _, _) = post_page(
            &admin,
            "/education/theme-days",
            &[("year", year.as_str()), ("text", text.as_str())],
        )
        .await;
        assert_eq!(s, 303, "{name}");
        let (_, y) = admin
            .get(&format!("/api/v1/education/theme-days/{year}"))
            .await;
        assert_eq!(y["days"][0]["name"], "法治宣传日", "{name}");
    }
}

#[tokio::test]
async fn the_demo_year_fills_every_figure_and_leaves_one_village_short() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let today = w.state.clock.today();
        let added = fazhi_demo::education::seed(&w.state.db, &w.state.vault, today)
            .await
            .unwrap();
        assert!(
            added.events > 300 && added.people > 300,
            "{name}: {added:?}"
        );
        assert!(
            (10..=12).contains(&added.sessions),
            "{name}: monthly in 青石镇 only"
        );
        let center = w.login("center").await;
        let (_, st) = center.get("/api/v1/stats/education").await;
        for f in st["figures"].as_array().unwrap() {
            if f["key"] != "villages_short" {
                assert!(f["value"].as_f64().unwrap() > 0.0, "{name}: {f}");
            }
        }
        let short: Vec<&Value> = st["villages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["short_by"].as_i64().unwrap() > 0)
            .collect();
        assert_eq!(short.len(), 1, "{name}: {short:?}");
        assert_eq!(short[0]["legal_literate"], 2, "{name}");
        let exam = &st["exams"][0]["total"];
        assert!(exam["expected"].as_i64().unwrap() >= 60, "{name}: {exam}");
        assert!(
            exam["take_rate"].as_f64().unwrap() < 100.0,
            "{name}: someone was absent"
        );
        // The whole district is counted for the district's account.
        let (_, st) = w
            .login("district")
            .await
            .get("/api/v1/stats/education")
            .await;
        assert_eq!(st["division_code"], "500160000000", "{name}");
        assert_eq!(st["villages"].as_array().unwrap().len(), 47, "{name}");
    }
}

/// An export of the exam platform: a title row, then 序号/姓名/单位/成绩/是否参考.
fn exam_xlsx(rows: &[(&str, &str, &str, &str)]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "2026年度国家工作人员学法考试成绩").unwrap();
    for (c, h) in ["序号", "姓名", "单位", "成绩", "是否参考"]
        .iter()
        .enumerate()
    {
        ws.write(1, c as u16, *h).unwrap();
    }
    for (i, (name, unit, score, took)) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        ws.write(r, 0, i as u32 + 1).unwrap();
        ws.write(r, 1, *name).unwrap();
        ws.write(r, 2, *unit).unwrap();
        match score.parse::<f64>() {
            Ok(n) => ws.write(r, 3, n).unwrap(),
            Err(_) => ws.write(r, 3, *score).unwrap(),
        };
        ws.write(r, 4, *took).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

async fn import_exam(c: &Client, file: &[u8], commit: bool) -> (u16, Value) {
    use axum::body::Body;
    use axum::http::{Request, header};
    let boundary = "fazhiexam7f3";
    let mut body = Vec::new();
    for (k, v) in [
        ("title", "学法考试"),
        ("held_on", ""),
        ("commit", if commit { "1" } else { "0" }),
    ] {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .into_bytes(),
        );
    }
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"成绩.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes());
    body.extend_from_slice(file);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let req = Request::post("/api/v1/education/exams/import")
        .header(header::COOKIE, &c.cookie)
        .header("x-csrf-token", &c.csrf)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    let (s, v, _) = fazhi_testkit::web::send(&c.app, req).await;
    (s.as_u16(), v)
}

#[tokio::test]
async fn exam_results_are_imported_whole_and_rated_by_the_bands() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let center = w.login("center").await;
        let good = exam_xlsx(&[
            ("甲", "司法所", "95", "是"),
            ("乙", "司法所", "59", "是"),
            ("丙", "司法所", "", "缺考"),
            ("丁", "派出所", "85", "是"),
            ("戊", "派出所", "70", "是"),
        ]);
        let bad = exam_xlsx(&[
            ("甲", "司法所", "95", "是"),
            ("乙", "司法所", "一百", "是"),
            ("", "派出所", "80", "是"),
        ]);

        // The dry run lists the bad rows by their Excel row number; importing such a
        // file writes nothing.
        let (s, r) = import_exam(&center, &bad, false).await;
        assert_eq!(s, 200, "{name}: {r}");
        let rows: Vec<i64> = r["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["row"].as_i64().unwrap())
            .collect();
        assert_eq!(rows, [4, 5], "{name}: {r}");
        let (s, e) = import_exam(&center, &bad, true).await;
        assert_eq!(s, 400, "{name}");
        assert!(
            e["message"].as_str().unwrap().contains("全部未写入"),
            "{name}: {e}"
        );
        assert_eq!(count(&center, "/api/v1/education/exams").await, 0, "{name}");
        let (s, e) = import_exam(&center, b"not a workbook", true).await;
        assert_eq!(s, 400, "{name}");
        assert!(e["fields"]["file"].is_string(), "{name}");

        // A good file: 参考率, 合格率, 优秀率 per unit and in all.
        let (s, r) = import_exam(&center, &good, true).await;
        assert_eq!(s, 201, "{name}: {r}");
        let id = r["exam_id"].as_i64().unwrap();
        let (_, d) = center.get(&format!("/api/v1/education/exams/{id}")).await;
        let total = &d["exam"]["total"];
        assert_eq!(
            (total["expected"].as_i64(), total["took"].as_i64()),
            (Some(5), Some(4)),
            "{name}"
        );
        assert_eq!(total["take_rate"], 80.0, "{name}");
        assert_eq!(total["pass_rate"], 75.0, "{name}");
        assert_eq!(total["excellent_rate"], 25.0, "{name}");
        assert_eq!(d["units"][0]["unit"], "司法所", "{name}");
        assert_eq!(d["units"][0]["take_rate"], 66.67, "{name}");

        // The bands are a setting: stricter bands, other rates; bad bands are refused.
        let (s, _) = center
            .send_json(
                "PUT",
                "/api/v1/education/exam-bands",
                json!({"excellent": 95, "good": 85, "pass": 80}),
                true,
            )
            .await;
        assert_eq!(s, 403, "{name}");
        let admin = w.login("admin").await;
        let (s, e) = admin
            .send_json(
                "PUT",
                "/api/v1/education/exam-bands",
                json!({"excellent": 50, "good": 85, "pass": 80}),
                true,
            )
            .await;
        assert_eq!(s, 400, "{name}: {e}");
        let (s, _) = admin
            .send_json(
                "PUT",
                "/api/v1/education/exam-bands",
                json!({"excellent": 95, "good": 85, "pass": 80}),
                true,
            )
            .await;
        assert_eq!(s, 200, "{name}");
        let (_, d) = center.get(&format!("/api/v1/education/exams/{id}")).await;
        assert_eq!(d["exam"]["total"]["pass_rate"], 50.0, "{name}");
        assert_eq!(d["bands"]["pass"], 80.0, "{name}");

        // Scope: a village account neither sees the township's exam nor imports.
        let village = w.login("village01").await;
        let (s, _) = village.get(&format!("/api/v1/education/exams/{id}")).await;
        assert_eq!(s, 404, "{name}");
        let (s, _) = import_exam(&w.login("grid01").await, &good, true).await;
        assert_eq!(s, 403, "{name}");
        let (s, page) = html(&center, "/education/exams").await;
        assert_eq!(s, 200, "{name}");
        assert!(page.contains("学法考试") && page.contains("80%"), "{name}");
        let (s, page) = html(&center, &format!("/education/exams/{id}")).await;
        assert_eq!(s, 200, "{name}");
        assert!(page.contains("司法所") && page.contains("66.67%"), "{name}");
        let (_, st) = center.get("/api/v1/stats/education").await;
        assert_eq!(
            st["exams"][0]["total"]["take_rate"], 80.0,
            "{name}: in the figures"
        );

        // The page: 检查 shows the result and writes nothing; 导入 redirects to the exam.
        let page_upload = |commit: &'static str| {
            use axum::body::Body;
            use axum::http::{Request, header};
            let boundary = "fazhipage1";
            let mut body = Vec::new();
            for (k, v) in [("title", "补考"), ("held_on", ""), ("commit", commit)] {
                body.extend(
                    format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                        .into_bytes(),
                );
            }
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.xlsx\"\r\n\r\n").into_bytes());
            body.extend_from_slice(&good);
            body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
            Request::post(format!("/education/exams?_csrf={}", center.csrf))
                .header(header::COOKIE, &center.cookie)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap()
        };
        let (s, v, _) = fazhi_testkit::web::send(&center.app, page_upload("0")).await;
        assert_eq!(s, 200, "{name}");
        assert!(v.as_str().unwrap().contains("检查结果"), "{name}");
        assert_eq!(count(&center, "/api/v1/education/exams").await, 1, "{name}");
        let (s, _, h) = fazhi_testkit::web::send(&center.app, page_upload("1")).await;
        assert_eq!(s, 303, "{name}");
        assert!(
            h["location"]
                .to_str()
                .unwrap()
                .starts_with("/education/exams/"),
            "{name}"
        );
        assert_eq!(count(&center, "/api/v1/education/exams").await, 2, "{name}");
    }
}
