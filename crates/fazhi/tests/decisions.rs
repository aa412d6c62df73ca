//! The review desk (合法性审查) through the real router and a real database (SQLite
//! always, PostgreSQL when FAZHI_TEST_POSTGRES_URL is set): the periods and gates hold
//! through the API, each side holds only its own hand, scope holds, and 审查率 and the
//! skipped list are computed from the records.

mod common;

use common::{World, world};
use fazhi_testkit::web::Client;
use serde_json::{Value, json};
use time::{Date, Weekday};

async fn act(c: &Client, id: i64, body: Value) -> (u16, Value) {
    let (s, v) = c
        .post(&format!("/api/v1/legal-reviews/{id}/actions"), body)
        .await;
    (s.as_u16(), v)
}

fn item(kind: &str, title: &str) -> Value {
    json!({"kind": kind, "title": title, "drafting_unit": "党政办公室",
        "materials": "草案全文、起草说明、法律依据、征求意见情况"})
}

async fn submit(c: &Client, body: Value) -> i64 {
    let (s, v) = c.post("/api/v1/legal-reviews", body).await;
    assert_eq!(s, 201, "{v}");
    v["review"]["id"].as_i64().unwrap()
}

fn today(w: &World) -> Date {
    w.state.clock.today()
}

/// The day `n` working days after `from`, counted by hand: Monday to Friday, not in `rest`.
fn by_hand(from: Date, n: u32, rest: &[Date]) -> Date {
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d = d.next_day().unwrap();
        let weekend = matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
        if !weekend && !rest.contains(&d) {
            left -= 1;
        }
    }
    d
}

#[tokio::test]
async fn an_item_walks_the_desk_and_the_gates_hold() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let leader = w.login("leader").await;
        let reviewer = w.login("reviewer").await;
        let now = today(&w);
        // Normative documents: 5 to 15 working days (115号).
        let mut short = item("normative_document", "关于规范农村建房管理的通知");
        short["due_on"] = json!(by_hand(now, 2, &[]).to_string());
        let (s, v) = leader.post("/api/v1/legal-reviews", short.clone()).await;
        assert_eq!(s, 409, "{name}: {v}");
        assert!(v["message"].as_str().unwrap().contains("115号"), "{v}");
        let mut long = short.clone();
        long["due_on"] = json!(now.saturating_add(time::Duration::days(60)).to_string());
        let (s, v) = leader.post("/api/v1/legal-reviews", long).await;
        assert_eq!(s, 409, "{name}: {v}");
        short["urgent_reason"] = json!("上级要求三日内印发");
        submit(&leader, short).await;
        // A reviewer does not submit; a drafter does not review.
        let (s, _) = reviewer
            .post("/api/v1/legal-reviews", item("contract", "x"))
            .await;
        assert_eq!(s, 403, "{name}");
        let id = submit(
            &leader,
            item("normative_document", "关于村庄保洁收费的规定"),
        )
        .await;
        let (_, d) = leader.get(&format!("/api/v1/legal-reviews/{id}")).await;
        assert_eq!(d["review"]["status"], "pending");
        assert_eq!(d["allowed_actions"], json!(["sign", "withdraw"]), "{d}");
        let (s, _) = act(
            &leader,
            id,
            json!({"action": "review", "opinion": "lawful"}),
        )
        .await;
        assert_eq!(s, 403, "{name}");
        // Reasons are required unless lawful.
        let (s, v) = act(
            &reviewer,
            id,
            json!({"action": "review", "opinion": "amend"}),
        )
        .await;
        assert_eq!(s, 400, "{name}: {v}");
        let (s, v) = act(
            &reviewer,
            id,
            json!({"action": "review", "opinion": "amend", "reasons": "收费无法律依据，删除第五条", "version": 1}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["review"]["opinion"], "amend");
        // The version read must be current.
        let (s, v) = act(&leader, id, json!({"action": "sign", "version": 1})).await;
        assert_eq!(s, 409, "{name}: {v}");
        assert_eq!(v["code"], "stale_version", "{v}");
        // Amend: the adoption comes before the signing.
        let (s, v) = act(&leader, id, json!({"action": "sign"})).await;
        assert_eq!(s, 409, "{name}: {v}");
        let (s, v) = act(
            &leader,
            id,
            json!({"action": "record_adoption", "adoption": "partly"}),
        )
        .await;
        assert_eq!(s, 400, "{name}: {v}");
        let (s, v) = act(
            &leader,
            id,
            json!({"action": "record_adoption", "adoption": "partly", "reason": "第五条删除，第七条保留"}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["passed"], true);
        let (s, v) = act(&leader, id, json!({"action": "sign"})).await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["review"]["status"], "signed");
        assert_eq!(v["review"]["skipped"], false);
        assert_eq!(v["events"].as_array().unwrap().len(), 4, "{v}");
        // Unlawful: never signed.
        let bad = submit(&leader, item("contract", "某工程施工合同")).await;
        let (s, _) = act(
            &reviewer,
            bad,
            json!({"action": "review", "opinion": "unlawful", "reasons": "未经招标"}),
        )
        .await;
        assert_eq!(s, 200, "{name}");
        let (s, v) = act(&leader, bad, json!({"action": "sign"})).await;
        assert_eq!(s, 409, "{name}: {v}");
        assert!(v["message"].as_str().unwrap().contains("不合法"), "{v}");
        // Every write is audited.
        let audit = fazhi_db::audit::recent(&w.state.db, None, 500)
            .await
            .unwrap();
        let on_item = |a: &str| {
            audit
                .iter()
                .filter(|r| r.action == a && r.target == format!("legal_review:{id}"))
                .count()
        };
        assert_eq!(on_item("legal_review.submit"), 1, "{name}");
        assert_eq!(on_item("legal_review.review"), 1, "{name}");
        assert_eq!(on_item("legal_review.sign"), 1, "{name}");
    }
}

#[tokio::test]
async fn periods_count_working_days_across_a_holiday() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let now = today(&w);
        // A three-day holiday starting tomorrow, on top of the weekends.
        let rest: Vec<Date> = (1..=3)
            .map(|i| now.saturating_add(time::Duration::days(i)))
            .collect();
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
        let (_, v) = leader
            .post(
                "/api/v1/legal-reviews",
                item("major_decision", "镇区停车规划"),
            )
            .await;
        let want = by_hand(now, 7, &rest);
        assert_eq!(v["review"]["due_on"], want.to_string(), "{name}: {v}");
        let (_, v) = leader
            .post(
                "/api/v1/legal-reviews",
                item("normative_document", "某规定"),
            )
            .await;
        assert_eq!(
            v["review"]["due_on"],
            by_hand(now, 15, &rest).to_string(),
            "{name}: {v}"
        );
        // Asking for less than 7 working days needs a reason (713号 Art 27).
        let mut early = item("major_decision", "某决策");
        early["due_on"] = json!(by_hand(now, 6, &rest).to_string());
        let (s, v) = leader.post("/api/v1/legal-reviews", early).await;
        assert_eq!(s, 409, "{name}: {v}");
        assert!(v["message"].as_str().unwrap().contains("第27条"), "{v}");
        // The periods are settings: a township may ask for 10.
        let (_, r) = admin.get("/api/v1/legal-reviews/rules").await;
        let mut rules = r["rules"].clone();
        rules["major_decision"]["min"]["days"] = json!(10);
        let (s, v) = admin
            .send_json(
                "PUT",
                "/api/v1/legal-reviews/rules",
                json!({"rules": rules}),
                true,
            )
            .await;
        assert_eq!(s, 200, "{name}: {v}");
        let (_, v) = leader
            .post("/api/v1/legal-reviews", item("major_decision", "另一决策"))
            .await;
        assert_eq!(v["review"]["due_on"], by_hand(now, 10, &rest).to_string());
        let (s, _) = leader
            .send_json(
                "PUT",
                "/api/v1/legal-reviews/rules",
                json!({"rules": rules}),
                true,
            )
            .await;
        assert_eq!(s, 403, "{name}");
    }
}

#[tokio::test]
async fn the_review_rate_and_the_skipped_list_come_from_the_records() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let leader = w.login("leader").await;
        let reviewer = w.login("reviewer").await;
        let now = today(&w);
        let year = now.year();
        let mut reviewed = Vec::new();
        for title in ["合同一", "合同二"] {
            let id = submit(&leader, item("contract", title)).await;
            let (s, _) = act(
                &reviewer,
                id,
                json!({"action": "review", "opinion": "lawful"}),
            )
            .await;
            assert_eq!(s, 200);
            let (s, _) = act(&leader, id, json!({"action": "sign"})).await;
            assert_eq!(s, 200);
            reviewed.push(id);
        }
        // Signed while still waiting for the reviewer: skipped.
        let hurried = submit(&leader, item("petition_reply", "信访答复一")).await;
        let (s, v) = act(&leader, hurried, json!({"action": "sign"})).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["review"]["skipped"], true);
        // Registered after the fact: signed without any review.
        let mut late = item("other", "某行政行为");
        late["signed_on"] = json!(now.to_string());
        late["materials"] = json!("");
        let registered = submit(&leader, late).await;
        // Waiting: counted as pending, not in the rate.
        let waiting = submit(&leader, item("major_decision", "待审决策")).await;
        let (s, st) = leader
            .get(&format!("/api/v1/legal-reviews/stats?year={year}"))
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
        assert_eq!(fig("received"), 5, "{name}: {st}");
        assert_eq!(fig("needed_review"), 4, "{name}");
        assert_eq!(fig("reviewed_before_signing"), 2, "{name}");
        assert_eq!(fig("skipped"), 2, "{name}");
        assert_eq!(fig("pending"), 1, "{name}");
        assert_eq!(st["review_rate"], 50.0, "{name}: {st}");
        let mut skipped: Vec<i64> = st["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        skipped.sort();
        assert_eq!(skipped, vec![hurried, registered], "{name}");
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
        let (_, list) = leader
            .get(&format!(
                "/api/v1/legal-reviews?year={year}&figure=reviewed_before_signing"
            ))
            .await;
        let mut ids: Vec<i64> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        ids.sort();
        assert_eq!(ids, reviewed, "{name}");
        // The reviewer's queue: the waiting item, with its countdown.
        let (_, q) = reviewer.get("/api/v1/legal-reviews/queue").await;
        let q = q.as_array().unwrap();
        assert_eq!(q.len(), 1, "{name}: {q:?}");
        assert_eq!(q[0]["id"], waiting);
        assert!(q[0]["days_left"].as_i64().unwrap() >= 7, "{:?}", q[0]);
        // The figures page shows the rate and the skipped list.
        let (s, _, html) = leader
            .get_bytes(&format!("/decisions/stats?year={year}"))
            .await;
        assert_eq!(s, 200);
        let html = String::from_utf8(html).unwrap();
        assert!(html.contains("50%"), "{name}");
        assert!(
            html.contains("信访答复一") && html.contains("某行政行为"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn scope_holds_and_pages_work() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let leader = w.login("leader").await;
        let id = submit(&leader, item("major_decision", "青石镇集镇改造")).await;
        let hash = fazhi_web::auth::secrets::hash_password(fazhi_demo::DEMO_PASSWORD.into())
            .await
            .unwrap();
        for (user, role) in [
            ("other-reviewer", fazhi_core::role::Role::LegalReviewer),
            ("other-leader", fazhi_core::role::Role::TownshipLeader),
        ] {
            fazhi_testkit::web::add_user(&w.state.db, user, &hash, role, "500160001000").await;
            let other = w.login(user).await;
            let path = format!("/api/v1/legal-reviews/{id}");
            assert_eq!(other.get(&path).await.0, 404, "{name}: {user}");
            let body = json!({"action": "review", "opinion": "lawful"});
            assert_eq!(act(&other, id, body).await.0, 404, "{name}: {user}");
            assert_eq!(act(&other, id, json!({"action": "sign"})).await.0, 404);
            let (_, list) = other.get("/api/v1/legal-reviews").await;
            assert_eq!(list.as_array().unwrap().len(), 0, "{name}");
            let (s, _, _) = other.get_bytes(&format!("/decisions/reviews/{id}")).await;
            assert_eq!(s, 404, "{name}: {user}");
        }
        // The district reads but does not act.
        let district = w.login("district").await;
        assert_eq!(
            district.get(&format!("/api/v1/legal-reviews/{id}")).await.0,
            200
        );
        assert_eq!(
            act(
                &district,
                id,
                json!({"action": "review", "opinion": "lawful"})
            )
            .await
            .0,
            403
        );
        // Pages: the reviewer's queue, the item page, a form through CSRF.
        let reviewer = w.login("reviewer").await;
        let (s, _, html) = reviewer.get_bytes("/decisions").await;
        assert_eq!(s, 200);
        let html = String::from_utf8(html).unwrap();
        assert!(
            html.contains("青石镇集镇改造") && html.contains("剩"),
            "{name}"
        );
        let path = format!("/decisions/reviews/{id}/act");
        let form = [
            ("action", "review"),
            ("opinion", "lawful"),
            ("version", "1"),
        ];
        let (s, _, _) = reviewer.post_form_bytes(&path, &form, false).await;
        assert_eq!(s, 403, "{name}: no CSRF token, no write");
        let (s, h, _) = reviewer.post_form_bytes(&path, &form, true).await;
        assert_eq!(s, 303, "{name}");
        assert!(h["location"].to_str().unwrap().contains("ok="), "{h:?}");
        let (_, d) = leader.get(&format!("/api/v1/legal-reviews/{id}")).await;
        assert_eq!(d["review"]["opinion"], "lawful", "{name}");
        let (s, h, _) = leader
            .post_form_bytes(
                "/decisions/reviews/new",
                &[
                    ("kind", "contract"),
                    ("title", "保洁服务合同"),
                    ("drafting_unit", "环卫所"),
                    ("materials", "合同文本"),
                ],
                true,
            )
            .await;
        assert_eq!(s, 303, "{name}");
        let to = h["location"].to_str().unwrap().to_string();
        assert!(to.starts_with("/decisions/reviews/"), "{to}");
        let (s, _, html) = leader.get_bytes(&to).await;
        assert_eq!(s, 200);
        assert!(String::from_utf8(html).unwrap().contains("保洁服务合同"));
    }
}

#[tokio::test]
async fn the_demo_year_has_every_kind_and_some_skipped_reviews() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let now = today(&w);
        fazhi_demo::enforcement::seed(&w.state.db, now, 10)
            .await
            .unwrap();
        let n = fazhi_demo::decisions::seed(&w.state.db, now).await.unwrap();
        assert_eq!(n, 18, "{name}");
        let leader = w.login("leader").await;
        let (_, all) = leader.get("/api/v1/legal-reviews").await;
        let all = all.as_array().unwrap();
        assert_eq!(all.len(), 18, "{name}");
        for kind in [
            "major_decision",
            "normative_document",
            "contract",
            "enforcement_decision",
            "petition_reply",
            "other",
        ] {
            assert!(all.iter().any(|r| r["kind"] == kind), "{name}: {kind}");
        }
        assert!(
            all.iter()
                .any(|r| r["kind"] == "enforcement_decision" && r["enforcement_case_id"].is_i64()),
            "{name}"
        );
        let mut skipped = 0;
        let mut before = 0;
        for r in all {
            skipped += i64::from(r["skipped"] == true);
            before += i64::from(r["signed_on"].is_string() && r["skipped"] == false);
        }
        assert!(skipped >= 2 && before >= 5, "{name}: {skipped} {before}");
        // The figures agree with the list, whichever year the items fell in.
        let mut needed = 0;
        let mut reviewed = 0;
        for y in [now.year() - 1, now.year()] {
            let (_, st) = leader
                .get(&format!("/api/v1/legal-reviews/stats?year={y}"))
                .await;
            needed += st["by_kind"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k["needed_review"].as_i64().unwrap())
                .sum::<i64>();
            reviewed += st["figures"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["figure"] == "reviewed_before_signing")
                .unwrap()["count"]
                .as_i64()
                .unwrap();
        }
        assert_eq!(needed, skipped + before, "{name}");
        assert_eq!(reviewed, before, "{name}");
    }
}
