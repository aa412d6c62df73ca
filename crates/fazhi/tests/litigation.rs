//! The 复议 and 诉讼 register through the real router and a real database (SQLite
//! always, PostgreSQL when FAZHI_TEST_POSTGRES_URL is set): deadlines on the holiday
//! calendar, the attendance and step gates, validation with nothing written, scope
//! (out of scope is 404), the rates and their drill-down, the heads' attendance for the
//! annual report, and the pages.

use crate::common::{World, world};
use fazhi_testkit::web::Client;
use serde_json::{Value, json};
use time::{Date, Duration, Month, Weekday};

fn today(w: &World) -> Date {
    w.state.clock.today()
}

fn working(d: Date, rest: &[Date]) -> bool {
    !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) && !rest.contains(&d)
}

/// `n` working days after `from`, counted by hand.
fn by_hand(from: Date, n: u32, rest: &[Date]) -> Date {
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d = d.next_day().unwrap();
        if working(d, rest) {
            left -= 1;
        }
    }
    d
}

/// `d`, or the first working day after it.
fn on_or_after(mut d: Date, rest: &[Date]) -> Date {
    while !working(d, rest) {
        d = d.next_day().unwrap();
    }
    d
}

/// Six months after `d` by hand: the same day, or the month's last day.
fn six_months(d: Date) -> Date {
    let m0 = d.month() as i32 - 1 + 6;
    let (y, m) = (
        d.year() + m0 / 12,
        Month::try_from((m0 % 12 + 1) as u8).unwrap(),
    );
    Date::from_calendar_date(y, m, d.day().min(m.length(y))).unwrap()
}

fn case(kind: &str, act: &str, received: Date) -> Value {
    let mut v = json!({"kind": kind, "claimant": "某建材公司", "body": "清溪区人民政府",
        "challenged_act": act, "received_on": received.to_string()});
    if kind == "lawsuit" {
        v["instance"] = json!("first");
        v["body"] = json!("清溪区人民法院");
    }
    v
}

async fn register(c: &Client, body: Value) -> Value {
    let (s, v) = c.post("/api/v1/litigation", body).await;
    assert_eq!(s, 201, "{v}");
    v
}

async fn act(c: &Client, id: i64, body: Value) -> (u16, Value) {
    let (s, v) = c
        .post(&format!("/api/v1/litigation/{id}/actions"), body)
        .await;
    (s.as_u16(), v)
}

async fn count_audit(w: &World, action: &str) -> usize {
    fazhi_db::audit::recent(&w.state.db, None, 1000)
        .await
        .unwrap()
        .iter()
        .filter(|r| r.action == action)
        .count()
}

#[tokio::test]
async fn deadlines_count_on_the_holiday_calendar() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let now = today(&w);
        // A three-day holiday starting tomorrow, on top of the weekends.
        let rest: Vec<Date> = (1..=3).map(|i| now + Duration::days(i)).collect();
        let text = format!(
            "[[year]]\nyear = {}\nsource = \"测试\"\nholidays = [\n  {{ name = \"测试假期\", from = \"{}\", to = \"{}\" }},\n]\n",
            rest[0].year(),
            rest[0],
            rest[2]
        );
        let admin = w.login("admin").await;
        let (s, v) = admin
            .send_json(
                "PUT",
                "/api/v1/settings/calendar",
                json!({"text": text}),
                true,
            )
            .await;
        assert_eq!(s, 200, "{name}: {v}");
        let leader = w.login("leader").await;
        // 复议: answer and evidence within 10 working days (复议法 Arts 48, 88).
        let v = register(&leader, case("reconsideration", "某处罚决定", now)).await;
        assert_eq!(
            v["case"]["answer_due"],
            by_hand(now, 10, &rest).to_string(),
            "{name}: {v}"
        );
        assert_eq!(
            v["case"]["decision_due"],
            on_or_after(now + Duration::days(60), &rest).to_string(),
            "{name}"
        );
        // Simple procedure: 5 working days (Art 54).
        let mut simple = case("reconsideration", "某简易复议", now);
        simple["simple"] = json!(true);
        let v = register(&leader, simple).await;
        assert_eq!(v["case"]["answer_due"], by_hand(now, 5, &rest).to_string());
        // 诉讼: 答辩状 within 15 days, a last day on a rest day moves on (民法典 203).
        let received = now - Duration::days(12);
        let v = register(&leader, case("lawsuit", "某拆除决定", received)).await;
        let due = on_or_after(received + Duration::days(15), &rest);
        assert!(
            due > received + Duration::days(15),
            "{name}: the holiday moved it"
        );
        assert_eq!(v["case"]["answer_due"], due.to_string(), "{name}: {v}");
        // First instance: 6 months from filing (行诉法 Art 81).
        let mut filed = case("lawsuit", "某强制拆除", now);
        filed["filed_on"] = json!((now - Duration::days(3)).to_string());
        let v = register(&leader, filed).await;
        let want = on_or_after(six_months(now - Duration::days(3)), &rest);
        assert_eq!(v["case"]["decision_due"], want.to_string(), "{name}: {v}");
        // On appeal the township's court deadline is not ours to count.
        let mut appeal = case("lawsuit", "某二审", now);
        appeal["instance"] = json!("second");
        let v = register(&leader, appeal).await;
        assert_eq!(v["case"]["decision_due"], Value::Null);
        // The list shows the nearest open deadline first, with its countdown.
        let (_, list) = leader.get("/api/v1/litigation").await;
        let first = &list.as_array().unwrap()[0];
        assert_eq!(first["next_due"], due.to_string(), "{name}: {list}");
        assert_eq!(
            first["days_left"].as_i64().unwrap(),
            (due - now).whole_days()
        );
    }
}

#[tokio::test]
async fn bad_input_writes_nothing_and_the_gates_hold() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let leader = w.login("leader").await;
        let now = today(&w);
        let before = count_audit(&w, "litigation.register").await;
        let mut bad = Vec::new();
        let mut v = case("lawsuit", "某决定", now);
        v["instance"] = Value::Null;
        bad.push((v, "审级"));
        bad.push((
            case("lawsuit", "某决定", now + Duration::days(1)),
            "晚于今天",
        ));
        let mut v = case("reconsideration", "某决定", now);
        v["claimant"] = json!(" ");
        bad.push((v, "申请人"));
        let mut v = case("reconsideration", "某决定", now);
        v["instance"] = json!("first");
        bad.push((v, "审级"));
        let mut v = case("reconsideration", "某决定", now);
        v["outcome"] = json!("x");
        v["kind"] = json!("appeal");
        bad.push((v, ""));
        for (body, want) in bad {
            let (s, v) = leader.post("/api/v1/litigation", body).await;
            assert!(s == 400 || s == 422, "{name}: {s} {v}");
            assert!(v["message"].as_str().unwrap().contains(want), "{name}: {v}");
        }
        // A linked case must exist in scope.
        let mut v = case("reconsideration", "某决定", now);
        v["enforcement_case_id"] = json!(999_999);
        let (s, v) = leader.post("/api/v1/litigation", v).await;
        assert_eq!(s, 400, "{name}: {v}");
        assert!(v["fields"]["enforcement_case_id"].is_string(), "{v}");
        let (_, list) = leader.get("/api/v1/litigation").await;
        assert_eq!(list.as_array().unwrap().len(), 0, "{name}: nothing written");
        assert_eq!(count_audit(&w, "litigation.register").await, before);

        let received = now - Duration::days(40);
        let v = register(&leader, case("lawsuit", "某处罚决定", received)).await;
        let id = v["case"]["id"].as_i64().unwrap();
        assert_eq!(
            v["case"]["answer_overdue"], true,
            "{name}: 15 days long gone"
        );
        assert_eq!(v["case"]["warning"], "red");
        // Attendance only after a hearing was held.
        let future = now + Duration::days(10);
        let (s, _) = act(
            &leader,
            id,
            json!({"action": "schedule_hearing", "on": future.to_string(), "summoned": true}),
        )
        .await;
        assert_eq!(s, 200, "{name}");
        let staff = json!({"action": "record_attendance", "index": 0, "attendee": "staff", "attendee_name": "李四"});
        let (s, v) = act(&leader, id, staff.clone()).await;
        assert_eq!(s, 409, "{name}: {v}");
        let held = now - Duration::days(5);
        let (s, v) = act(
            &leader,
            id,
            json!({"action": "schedule_hearing", "on": held.to_string()}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["hearings"][0]["on"], held.to_string(), "sorted by day");
        // Staff attending needs the head's excuse and its proof (SPC 规定 Arts 8–9).
        let (s, v) = act(&leader, id, staff.clone()).await;
        assert_eq!(s, 400, "{name}: {v}");
        assert!(v["message"].as_str().unwrap().contains("第8条"), "{v}");
        // A head's account must be a leader of the township.
        let reviewer_id = fazhi_db::auth::users::by_username(&w.state.db, "reviewer")
            .await
            .unwrap()
            .id;
        let leader_id = fazhi_db::auth::users::by_username(&w.state.db, "leader")
            .await
            .unwrap()
            .id;
        let head = |uid: i64| json!({"action": "record_attendance", "index": 0, "attendee": "principal_head", "head_user_id": uid, "spoke_on_resolution": true});
        let (s, v) = act(&leader, id, head(reviewer_id)).await;
        assert_eq!(s, 400, "{name}: {v}");
        let (s, v) = act(&leader, id, json!({"action": "record_attendance", "index": 0, "attendee": "deputy_head", "attendee_name": "某副镇长"})).await;
        assert_eq!(s, 400, "{name}: a head needs the account: {v}");
        let (s, v) = act(&leader, id, head(leader_id)).await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["hearings"][0]["head_user_id"], leader_id);
        assert_eq!(v["hearings"][0]["attendee_name"], "青石镇镇长 王强", "{v}");
        let (s, _) = act(&leader, id, head(leader_id)).await;
        assert_eq!(s, 409, "{name}: recorded once");
        // An opinion letter is for 复议 only.
        let (s, _) = act(
            &leader,
            id,
            json!({"action": "record_opinion_letter", "content": "x"}),
        )
        .await;
        assert_eq!(s, 409, "{name}");
        // A stale version is refused.
        let (s, v) = act(&leader, id, json!({"action": "answer", "version": 1})).await;
        assert_eq!(s, 409, "{name}");
        assert_eq!(v["code"], "stale_version", "{v}");
        let (s, v) = act(
            &leader,
            id,
            json!({"action": "answer", "evidence_submitted": true}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["case"]["answer_overdue"], true, "{name}: answered late");
        let (s, v) = act(
            &leader,
            id,
            json!({"action": "conclude", "outcome": "other"}),
        )
        .await;
        assert_eq!(s, 400, "{name}: 其他 needs a note: {v}");
        let (s, _) = act(
            &leader,
            id,
            json!({"action": "conclude", "outcome": "revoked"}),
        )
        .await;
        assert_eq!(s, 200, "{name}");
        let (s, _) = act(
            &leader,
            id,
            json!({"action": "conclude", "outcome": "upheld"}),
        )
        .await;
        assert_eq!(s, 409, "{name}");
        // Every write is audited.
        let audit = fazhi_db::audit::recent(&w.state.db, None, 1000)
            .await
            .unwrap();
        let on = |a: &str| {
            audit
                .iter()
                .filter(|r| r.action == a && r.target == format!("litigation:{id}"))
                .count()
        };
        assert_eq!(on("litigation.register"), 1, "{name}");
        assert_eq!(on("litigation.schedule_hearing"), 2, "{name}");
        assert_eq!(on("litigation.record_attendance"), 1, "{name}");
        assert_eq!(on("litigation.answer"), 1, "{name}");
        assert_eq!(on("litigation.conclude"), 1, "{name}");
        let (_, d) = leader.get(&format!("/api/v1/litigation/{id}")).await;
        assert_eq!(d["events"].as_array().unwrap().len(), 6, "{name}: {d}");
        // 复议意见书: correction within 60 days (复议法 Art 76).
        let v = register(&leader, case("reconsideration", "某复议", received)).await;
        let rid = v["case"]["id"].as_i64().unwrap();
        let letter_on = now - Duration::days(70);
        let (s, v) = act(&leader, rid, json!({"action": "record_opinion_letter", "on": (received - Duration::days(1)).to_string(), "content": "规范送达"})).await;
        assert_eq!(s, 400, "{name}: before the case: {v}");
        let v2 = register(
            &leader,
            case("reconsideration", "某早期复议", now - Duration::days(90)),
        )
        .await;
        let old = v2["case"]["id"].as_i64().unwrap();
        let (s, v) = act(&leader, old, json!({"action": "record_opinion_letter", "on": letter_on.to_string(), "content": "规范送达程序"})).await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["case"]["correction_overdue"], true, "{name}: {v}");
        let (_, late) = leader.get("/api/v1/litigation?overdue=true").await;
        let ids: Vec<i64> = late
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        assert!(ids.contains(&old) && ids.contains(&id), "{name}: {ids:?}");
    }
}

#[tokio::test]
async fn scope_holds_and_pages_work() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let leader = w.login("leader").await;
        let now = today(&w);
        let v = register(&leader, case("lawsuit", "青石镇某拆除决定", now)).await;
        let id = v["case"]["id"].as_i64().unwrap();
        let hash = fazhi_web::auth::secrets::hash_password(fazhi_demo::DEMO_PASSWORD.into())
            .await
            .unwrap();
        for (user, role) in [
            ("other-reviewer", fazhi_core::role::Role::LegalReviewer),
            ("other-leader", fazhi_core::role::Role::TownshipLeader),
        ] {
            fazhi_testkit::web::add_user(&w.state.db, user, &hash, role, "500160001000").await;
            let other = w.login(user).await;
            let path = format!("/api/v1/litigation/{id}");
            assert_eq!(other.get(&path).await.0, 404, "{name}: {user}");
            let body = json!({"action": "answer"});
            assert_eq!(act(&other, id, body).await.0, 404, "{name}: {user}");
            let (_, list) = other.get("/api/v1/litigation").await;
            assert_eq!(list.as_array().unwrap().len(), 0, "{name}");
            let (s, _, _) = other
                .get_bytes(&format!("/decisions/litigation/{id}"))
                .await;
            assert_eq!(s, 404, "{name}: {user}");
        }
        // The district reads but does not act; the reviewer (legal adviser) acts.
        let district = w.login("district").await;
        let (s, d) = district.get(&format!("/api/v1/litigation/{id}")).await;
        assert_eq!(s, 200, "{name}");
        assert_eq!(d["allowed_actions"], json!([]), "{name}");
        assert_eq!(act(&district, id, json!({"action": "answer"})).await.0, 403);
        assert_eq!(
            district
                .post("/api/v1/litigation", case("lawsuit", "x", now))
                .await
                .0,
            403
        );
        let reviewer = w.login("reviewer").await;
        let (s, v) = act(
            &reviewer,
            id,
            json!({"action": "answer", "evidence_submitted": true}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {v}");
        // Pages: the list, a form through CSRF, the case page.
        let (s, _, html) = leader.get_bytes("/decisions/litigation").await;
        assert_eq!(s, 200);
        assert!(
            String::from_utf8(html)
                .unwrap()
                .contains("青石镇某拆除决定")
        );
        let form = [
            ("kind", "reconsideration"),
            ("instance", "first"),
            ("claimant", "张某"),
            ("body", "清溪区人民政府"),
            ("challenged_act", "不予公开政府信息告知书"),
            ("received_on", &now.to_string()),
        ];
        let (s, _, _) = leader
            .post_form_bytes("/decisions/litigation/new", &form, false)
            .await;
        assert_eq!(s, 403, "{name}: no CSRF token, no write");
        let (s, h, _) = leader
            .post_form_bytes("/decisions/litigation/new", &form, true)
            .await;
        assert_eq!(s, 303, "{name}");
        let to = h["location"].to_str().unwrap().to_string();
        assert!(
            to.starts_with("/decisions/litigation/") && to.contains("ok="),
            "{to}"
        );
        let (s, _, html) = leader.get_bytes(&to).await;
        assert_eq!(s, 200);
        let html = String::from_utf8(html).unwrap();
        assert!(
            html.contains("不予公开政府信息告知书") && html.contains("提交答复书及证据"),
            "{name}"
        );
        // A refused form comes back with the reason.
        let new_id: i64 = to
            .trim_start_matches("/decisions/litigation/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let (s, h, _) = leader
            .post_form_bytes(
                &format!("/decisions/litigation/{new_id}/act"),
                &[("action", "record_opinion_letter"), ("content", "")],
                true,
            )
            .await;
        assert_eq!(s, 303);
        assert!(h["location"].to_str().unwrap().contains("err="), "{name}");
        let (s, _, html) = leader
            .post_form_bytes("/decisions/litigation/new", &[("kind", "lawsuit")], true)
            .await;
        assert_eq!(s, 303, "{name}: {}", String::from_utf8_lossy(&html));
    }
}

#[tokio::test]
async fn rates_and_head_attendance_come_from_the_records() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let leader = w.login("leader").await;
        let now = today(&w);
        let year = now.year();
        let received = Date::from_calendar_date(year, Month::January, 5).unwrap();
        let leader_id = fazhi_db::auth::users::by_username(&w.state.db, "leader")
            .await
            .unwrap()
            .id;
        // 复议: one revoked, one upheld, one withdrawn (调撤, not 纠错).
        for outcome in ["revoked", "upheld", "withdrawn"] {
            let v = register(&leader, case("reconsideration", outcome, received)).await;
            let id = v["case"]["id"].as_i64().unwrap();
            let (s, v) = act(
                &leader,
                id,
                json!({"action": "conclude", "outcome": outcome}),
            )
            .await;
            assert_eq!(s, 200, "{name}: {v}");
        }
        // 诉讼: lost (确认违法) with a head at one hearing and staff at the other; won
        // (驳回) with staff; one still open.
        let hearing = received + Duration::days(30);
        let mut lawsuits = Vec::new();
        for (outcome, heads) in [
            ("declared_unlawful", [true, false]),
            ("dismissed", [false, false]),
        ] {
            let v = register(&leader, case("lawsuit", outcome, received)).await;
            let id = v["case"]["id"].as_i64().unwrap();
            for (i, head) in heads.iter().enumerate() {
                let on = hearing + Duration::days(i as i64);
                let (s, _) = act(
                    &leader,
                    id,
                    json!({"action": "schedule_hearing", "on": on.to_string()}),
                )
                .await;
                assert_eq!(s, 200);
                let body = if *head {
                    json!({"action": "record_attendance", "index": i, "attendee": "principal_head", "head_user_id": leader_id})
                } else {
                    json!({"action": "record_attendance", "index": i, "attendee": "staff", "attendee_name": "司法所 周敏",
                        "excuse": "同日出席区政府常务会议", "proof": "区政府会议通知（加盖公章）"})
                };
                let (s, v) = act(&leader, id, body).await;
                assert_eq!(s, 200, "{name}: {v}");
            }
            let (s, _) = act(
                &leader,
                id,
                json!({"action": "conclude", "outcome": outcome}),
            )
            .await;
            assert_eq!(s, 200);
            lawsuits.push(id);
        }
        register(&leader, case("lawsuit", "未结", received)).await;
        let (s, st) = leader
            .get(&format!("/api/v1/litigation/stats?year={year}"))
            .await;
        assert_eq!(s, 200, "{st}");
        let fig = |code: &str| {
            st["figures"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["figure"] == code)
                .unwrap()["count"]
                .as_i64()
                .unwrap()
        };
        assert_eq!(fig("received"), 6, "{name}: {st}");
        assert_eq!(fig("reconsiderations_concluded"), 3, "{name}");
        assert_eq!(fig("corrected"), 1, "{name}");
        assert_eq!(fig("lawsuits_concluded"), 2, "{name}");
        assert_eq!(fig("lost"), 1, "{name}");
        assert_eq!(fig("mediated_or_withdrawn"), 1, "{name}");
        assert_eq!(fig("pending"), 1, "{name}");
        assert_eq!(st["correction_rate"], 33.33, "{name}: {st}");
        assert_eq!(st["loss_rate"], 50.0, "{name}");
        assert_eq!(st["hearings"], 4, "{name}");
        assert_eq!(st["head_hearings"], 1, "{name}");
        assert_eq!(st["head_attendance_rate"], 25.0, "{name}");
        // Each figure's drill-down lists exactly what it counts.
        for f in st["figures"].as_array().unwrap() {
            let (_, list) = leader.get(f["api"].as_str().unwrap()).await;
            assert_eq!(
                list.as_array().unwrap().len() as i64,
                f["count"].as_i64().unwrap(),
                "{name}: {}",
                f["figure"]
            );
        }
        let (_, lost) = leader
            .get(&format!("/api/v1/litigation?year={year}&figure=lost"))
            .await;
        assert_eq!(lost[0]["id"], lawsuits[0], "{name}");
        // The annual report's source: the hearings a head attended, with the account.
        let town = fazhi_db::admin::divisions::by_code(&w.state.db, "500160101000")
            .await
            .unwrap();
        let rows = fazhi_db::decisions::litigation::head_attendance(&w.state.db, town.id, year)
            .await
            .unwrap();
        assert_eq!(rows.len(), 1, "{name}: {rows:?}");
        assert_eq!(rows[0].user_id, Some(leader_id));
        assert_eq!(rows[0].on, hearing);
        assert_eq!(rows[0].litigation_id, lawsuits[0]);
        let none = fazhi_db::decisions::litigation::head_attendance(&w.state.db, town.id, year - 1)
            .await
            .unwrap();
        assert!(none.is_empty(), "{name}");
        let (s, v) = leader
            .get(&format!("/api/v1/litigation/head-attendance?year={year}"))
            .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v[0]["user_id"], leader_id, "{v}");
        // The figures page shows the rates.
        let (s, _, html) = leader
            .get_bytes(&format!("/decisions/stats?year={year}"))
            .await;
        assert_eq!(s, 200);
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains("33.33%") && html.contains("25%"), "{name}");
    }
}

#[tokio::test]
async fn the_demo_year_goes_through_the_rules() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let now = today(&w);
        fazhi_demo::enforcement::seed(&w.state.db, now, 10)
            .await
            .unwrap();
        let n = fazhi_demo::litigation::seed(&w.state.db, now)
            .await
            .unwrap();
        assert_eq!(n, 10, "{name}");
        let leader = w.login("leader").await;
        let (_, list) = leader.get("/api/v1/litigation").await;
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 10, "{name}");
        assert!(list.iter().any(|c| c["next_hearing"].is_string()), "{name}");
        assert!(
            list.iter().any(|c| c["enforcement_case_id"].is_i64()),
            "{name}"
        );
        assert!(
            list.iter().any(|c| c["outcome"] == "declared_unlawful"),
            "{name}"
        );
        assert!(
            list.iter().all(|c| c["overdue"] == false),
            "{name}: {list:?}"
        );
        let town = fazhi_db::admin::divisions::by_code(&w.state.db, "500160101000")
            .await
            .unwrap();
        let mut heads = 0;
        for y in [now.year() - 1, now.year()] {
            let (s, st) = leader
                .get(&format!("/api/v1/litigation/stats?year={y}"))
                .await;
            assert_eq!(s, 200, "{name}: {st}");
            heads += fazhi_db::decisions::litigation::head_attendance(&w.state.db, town.id, y)
                .await
                .unwrap()
                .len();
        }
        assert_eq!(
            heads, 3,
            "{name}: the head attended three hearings held so far"
        );
        // Every page of the register renders the demo year.
        for c in list {
            let (s, _, html) = leader
                .get_bytes(&format!("/decisions/litigation/{}", c["id"]))
                .await;
            assert_eq!(s, 200, "{name}");
            assert!(String::from_utf8(html).unwrap().contains("办理步骤"));
        }
        for page in ["/decisions/litigation", "/decisions/stats", "/decisions"] {
            let (s, _, _) = leader.get_bytes(page).await;
            assert_eq!(s, 200, "{name}: {page}");
        }
    }
}

#[tokio::test]
async fn the_registers_are_in_the_openapi_document() {
    let t = fazhi_testkit::db::all().await.remove(0);
    let w = world(t).await;
    let (s, doc) =
        fazhi_testkit::web::send_anon(&w.app, "GET", "/api/v1/openapi.json", Value::Null).await;
    assert_eq!(s, 200);
    for path in [
        "/api/v1/litigation",
        "/api/v1/litigation/{id}",
        "/api/v1/litigation/{id}/actions",
        "/api/v1/litigation/stats",
        "/api/v1/litigation/head-attendance",
        "/api/v1/contracts",
        "/api/v1/contracts/{id}/actions",
        "/api/v1/contracts/expiring",
        "/api/v1/normative-documents",
        "/api/v1/normative-documents/{id}/actions",
        "/api/v1/normative-documents/rules",
        "/api/v1/public/normative-documents/{code}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
    let outcome = &doc["components"]["schemas"]["LitigationOutcome"];
    assert!(
        outcome["enum"]
            .as_array()
            .is_some_and(|e| e.contains(&json!("declared_unlawful"))),
        "{outcome}"
    );
}

#[tokio::test]
async fn the_answer_skeleton_is_filled_from_the_register() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let leader = w.login("leader").await;
        let now = today(&w);
        for (kind, title) in [
            ("reconsideration", "行政复议答复书"),
            ("lawsuit", "行政诉讼答辩状"),
        ] {
            let mut body = case(kind, "青石执罚决〔2026〕7号行政处罚决定", now);
            body["case_number"] = json!("（2026）渝0160行初9号");
            let v = register(&leader, body).await;
            let id = v["case"]["id"].as_i64().unwrap();
            let path = format!("/api/v1/litigation/{id}/documents/answer.docx");
            let (s, h, bytes) = leader.get_bytes(&path).await;
            assert_eq!(s, 200, "{name}");
            assert!(
                h["content-type"]
                    .to_str()
                    .unwrap()
                    .contains("wordprocessingml"),
                "{h:?}"
            );
            let text = fazhi_analyze::decode::docx_to_text(&bytes).unwrap();
            for want in [
                title,
                "青石镇人民政府",
                "某建材公司",
                "青石执罚决〔2026〕7号行政处罚决定",
                "（2026）渝0160行初9号",
            ] {
                assert!(text.contains(want), "{name}: {want} in {text}");
            }
            let audit = fazhi_db::audit::recent(&w.state.db, None, 200)
                .await
                .unwrap();
            assert!(
                audit
                    .iter()
                    .any(|r| r.action == "litigation.document"
                        && r.target == format!("litigation:{id}")),
                "{name}"
            );
            let hash = fazhi_web::auth::secrets::hash_password(fazhi_demo::DEMO_PASSWORD.into())
                .await
                .unwrap();
            let user = format!("outsider-{kind}");
            fazhi_testkit::web::add_user(
                &w.state.db,
                &user,
                &hash,
                fazhi_core::role::Role::TownshipLeader,
                "500160001000",
            )
            .await;
            let other = w.login(&user).await;
            assert_eq!(other.get_bytes(&path).await.0, 404, "{name}");
        }
    }
}

/// The filter forms send their blank fields: a blank year is no year, not a refusal.
#[tokio::test]
async fn filter_forms_with_blank_fields_work() {
    let t = fazhi_testkit::db::all().await.remove(0);
    let w = world(t).await;
    let leader = w.login("leader").await;
    for page in [
        "/decisions/litigation?kind=&status=&year=",
        "/decisions/contracts?status=&year=",
        "/decisions/normative?status=",
        "/decisions/reviews?kind=&status=&year=",
    ] {
        let (s, _, _) = leader.get_bytes(page).await;
        assert_eq!(s, 200, "{page}");
    }
    let (s, v) = leader.get("/api/v1/litigation?year=abc").await;
    assert_eq!(s, 400, "{v}");
    let (s, v) = leader.get("/api/v1/litigation?year=1999").await;
    assert_eq!(s, 400, "{v}");
}
