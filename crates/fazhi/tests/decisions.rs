//! The review desk (合法性审查) through the real router and a real database (SQLite
//! always, PostgreSQL when FAZHI_TEST_POSTGRES_URL is set): the periods and gates hold
//! through the API, each side holds only its own hand, scope holds, and 审查率 and the
//! skipped list are computed from the records.

use crate::common::{World, world};
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
        // Optional days may be sent as null, as API clients do.
        let mut nulls = item("normative_document", "关于村庄保洁收费的规定");
        nulls["due_on"] = Value::Null;
        nulls["signed_on"] = Value::Null;
        nulls["enforcement_case_id"] = Value::Null;
        let id = submit(&leader, nulls).await;
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
        // The timeline names people, not their login names.
        assert_eq!(v["events"][3]["actor"], "青石镇镇长 王强", "{v}");
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
        assert_eq!(fazhi_demo::major::seed(&w.state.db, now).await.unwrap(), 4);
        // The catalogue: published, decisions at different steps, one with open comments.
        let leader = w.login("leader").await;
        let (_, cats) = leader.get("/api/v1/decisions/catalogues").await;
        let ds = cats[0]["decisions"].as_array().unwrap();
        let steps: Vec<&str> = ds.iter().map(|d| d["status"].as_str().unwrap()).collect();
        assert_eq!(
            steps,
            ["archived", "consulting", "in_review", "planned"],
            "{name}"
        );
        let (_, pv) = fazhi_testkit::web::send_anon(
            &w.app,
            "GET",
            "/api/v1/public/decisions/500160101000",
            Value::Null,
        )
        .await;
        let open = &pv["catalogues"][0]["decisions"][1];
        assert_eq!(open["comments"].as_array().unwrap().len(), 2, "{pv}");
        // The review desk now also holds the two decisions' reviews.
        let (_, all) = leader.get("/api/v1/legal-reviews").await;
        assert_eq!(all.as_array().unwrap().len(), 20, "{name}");
        let (_, all) = leader.get("/api/v1/legal-reviews").await;
        let all = all.as_array().unwrap();
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

        // Major decisions by step and on time, each figure listing exactly its decisions.
        let y = (now - time::Duration::days(200)).year();
        let (s, st) = leader
            .get(&format!("/api/v1/decisions/stats?year={y}"))
            .await;
        assert_eq!(s, 200, "{name}: {st}");
        let major = &st["major"];
        let count = |code: &str| {
            major["figures"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["code"] == code)
                .unwrap()["count"]
                .as_i64()
                .unwrap()
        };
        assert_eq!(count("listed"), 4, "{name}: {major}");
        assert_eq!(count("decided"), 1, "{name}: {major}");
        assert_eq!(count("published"), 1, "{name}: {major}");
        assert_eq!(count("reviewed"), 2, "{name}: {major}");
        let steps: i64 = major["by_step"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["count"].as_i64().unwrap())
            .sum();
        assert_eq!(steps, 4, "{name}");
        for c in major["figures"]
            .as_array()
            .unwrap()
            .iter()
            .chain(major["by_step"].as_array().unwrap())
        {
            let (s, list) = leader.get(c["api"].as_str().unwrap()).await;
            assert_eq!(s, 200, "{name}: {c}");
            assert_eq!(
                list.as_array().unwrap().len() as i64,
                c["count"].as_i64().unwrap(),
                "{name}: {c}"
            );
        }
        let (s, v) = leader.get("/api/v1/decisions?figure=nonsense").await;
        assert_eq!(s, 400, "{name}: {v}");
        // Another township counts none of them.
        let hash = fazhi_web::auth::secrets::hash_password(fazhi_demo::DEMO_PASSWORD.into())
            .await
            .unwrap();
        fazhi_testkit::web::add_user(
            &w.state.db,
            "other-leader",
            &hash,
            fazhi_core::role::Role::TownshipLeader,
            "500160001000",
        )
        .await;
        let other = w.login("other-leader").await;
        let (_, theirs) = other.get(&format!("/api/v1/decisions?year={y}")).await;
        assert_eq!(theirs.as_array().unwrap().len(), 0, "{name}");
        // The pages.
        for (page, text) in [
            (format!("/decisions/stats?year={y}"), "按期决定率"),
            (
                format!("/decisions/major/list?year={y}&figure=decided"),
                "青石镇集镇污水管网改造方案",
            ),
        ] {
            let (s, _, html) = leader.get_bytes(&page).await;
            assert_eq!(s, 200, "{name}: {page}");
            assert!(
                String::from_utf8(html).unwrap().contains(text),
                "{name}: {page} lacks {text}"
            );
        }
    }
}

async fn step(c: &Client, id: i64, body: Value) -> (u16, Value) {
    let (s, v) = c
        .post(&format!("/api/v1/decisions/{id}/actions"), body)
        .await;
    (s.as_u16(), v)
}

fn says(v: &Value, article: &str) -> bool {
    v["message"].as_str().unwrap_or_default().contains(article)
}

#[tokio::test]
async fn a_major_decision_walks_the_713_steps_and_the_gates_hold() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let leader = w.login("leader").await;
        let year = today(&w).year();
        let plan = json!({"title": "青石镇集镇停车收费方案", "lead_unit": "规划建设办",
            "needs_risk": true, "planned_steps": "二季度征求意见，三季度决定"});
        let (s, v) = leader
            .post(
                &format!("/api/v1/decisions/catalogues/{year}/decisions"),
                plan,
            )
            .await;
        assert_eq!(s, 201, "{name}: {v}");
        let id = v["decision"]["id"].as_i64().unwrap();
        let cat = v["decision"]["catalogue_id"].as_i64().unwrap();
        // The catalogue is published only after the Party committee agreed (Art 3).
        let pub_path = format!("/api/v1/decisions/catalogues/{cat}/publish");
        let (s, v) = leader.post(&pub_path, json!({})).await;
        assert_eq!(s, 409, "{name}: {v}");
        assert!(says(&v, "第3条"), "{v}");
        let (s, v) = leader
            .post(
                &format!("/api/v1/decisions/catalogues/{cat}/agreement"),
                json!({"on": today(&w).to_string()}),
            )
            .await;
        assert_eq!(s, 200, "{name}: {v}");
        let (s, _) = leader.post(&pub_path, json!({})).await;
        assert_eq!(s, 200, "{name}");
        // Adjusting a published catalogue needs a reason, which is recorded.
        let extra = json!({"title": "村级公益林管护办法", "lead_unit": "农业农村办"});
        let add = format!("/api/v1/decisions/catalogues/{year}/decisions");
        let (s, v) = leader.post(&add, extra.clone()).await;
        assert_eq!(s, 400, "{name}: {v}");
        let mut with_reason = extra.clone();
        with_reason["reason"] = json!("县政府部署新增");
        let (s, _) = leader.post(&add, with_reason).await;
        assert_eq!(s, 201, "{name}");
        let (_, cats) = leader.get("/api/v1/decisions/catalogues").await;
        assert_eq!(
            cats[0]["adjustments"][0]["reason"], "县政府部署新增",
            "{cats}"
        );
        // Dropping one is an adjustment too, with its reason; it leaves the public page.
        let dropped = cats[0]["decisions"][1]["id"].as_i64().unwrap();
        assert_eq!(
            step(
                &w.login("center").await,
                dropped,
                json!({"action": "remove", "reason": "x"})
            )
            .await
            .0,
            403
        );
        let (s, v) = step(&leader, dropped, json!({"action": "remove", "reason": ""})).await;
        assert_eq!(s, 400, "{name}: {v}");
        let (s, v) = step(
            &leader,
            dropped,
            json!({"action": "remove", "reason": "县里统一制定，本镇不再单独决策"}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["decision"]["status"], "removed");
        let (_, cats) = leader.get("/api/v1/decisions/catalogues").await;
        let adj = &cats[0]["adjustments"][1];
        assert_eq!(adj["reason"], "县里统一制定，本镇不再单独决策", "{cats}");
        assert_eq!(adj["change"], "调出：村级公益林管护办法", "{cats}");
        // A reviewer does not carry a decision; the lead unit does.
        let reviewer = w.login("reviewer").await;
        assert_eq!(step(&reviewer, id, json!({"action": "start"})).await.0, 403);
        let center = w.login("center").await;
        assert_eq!(step(&center, id, json!({"action": "start"})).await.0, 200);
        // Comments open ≥ 30 days unless a shorter period is explained (Art 15).
        let draft = json!({"action": "publish_draft", "draft": "收费标准草案全文",
            "explanation": "起草说明", "days": 10});
        let (s, v) = step(&center, id, draft.clone()).await;
        assert_eq!(s, 409, "{name}: {v}");
        assert!(says(&v, "第15条"), "{v}");
        let mut draft30 = draft.clone();
        draft30["days"] = json!(30);
        assert_eq!(step(&center, id, draft30).await.0, 200);
        let (s, _) = step(
            &center,
            id,
            json!({"action": "record_comment", "author": "李某", "content": "建议居民夜间免费"}),
        )
        .await;
        assert_eq!(s, 200);
        // Hearing materials 7 days before (Art 18).
        let day = |n: i64| (today(&w) + time::Duration::days(n)).to_string();
        let (s, v) = step(
            &center,
            id,
            json!({"action": "schedule_hearing", "on": day(10), "materials_sent_on": day(5), "participants": "居民代表12人，自愿报名随机抽取"}),
        )
        .await;
        assert_eq!(s, 409, "{name}: {v}");
        assert!(says(&v, "第18条"), "{v}");
        let (s, _) = step(
            &center,
            id,
            json!({"action": "schedule_hearing", "on": day(10), "materials_sent_on": day(1), "participants": "居民代表12人，自愿报名随机抽取"}),
        )
        .await;
        assert_eq!(s, 200, "{name}");
        // Not before the period ends; no discussion, no publication yet.
        assert_eq!(
            step(&center, id, json!({"action": "close_consultation"}))
                .await
                .0,
            409
        );
        let discuss = json!({"action": "discuss", "on": today(&w).to_string(),
            "attendees": "镇长、副镇长等9人", "majority_view": "同意", "dissent": "一人认为收费过高",
            "head_decision": "通过"});
        let (s, v) = step(&leader, id, discuss.clone()).await;
        assert_eq!(s, 409, "{name}: {v}");
        assert!(says(&v, "第25条至第28条"), "{v}");
        let (s, v) = step(&leader, id, json!({"action": "publish", "text": "x"})).await;
        assert_eq!(s, 409, "{name}: {v}");
        assert!(says(&v, "第30条"), "{v}");
        // The public sees the draft and the comment while it is open, nothing internal.
        let (s, pv) = fazhi_testkit::web::send_anon(
            &w.app,
            "GET",
            "/api/v1/public/decisions/500160101000",
            Value::Null,
        )
        .await;
        assert_eq!(s, 200, "{pv}");
        let d0 = &pv["catalogues"][0]["decisions"][0];
        assert_eq!(d0["draft"], "收费标准草案全文", "{pv}");
        assert_eq!(d0["comments"][0]["content"], "建议居民夜间免费");
        // A month later (and after the hearing) the consultation closes, once answered.
        w.state.clock.advance_minutes(31 * 24 * 60);
        let center = w.login("center").await;
        let leader = w.login("leader").await;
        let reviewer = w.login("reviewer").await;
        assert_eq!(
            step(&center, id, json!({"action": "close_consultation"}))
                .await
                .0,
            409
        );
        let (s, _) = step(
            &center,
            id,
            json!({"action": "answer_comment", "index": 0, "answer": "部分采纳：夜间22时后免费"}),
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(
            step(&center, id, json!({"action": "close_consultation"}))
                .await
                .0,
            200
        );
        // Risk assessment where required (Art 22), before the legal review.
        let (s, v) = step(&center, id, json!({"action": "submit_review"})).await;
        assert_eq!(s, 409, "{name}: {v}");
        assert!(says(&v, "第22条"), "{v}");
        let (s, _) = step(
            &center,
            id,
            json!({"action": "record_risk", "summary": "风险等级低，已调整收费时段"}),
        )
        .await;
        assert_eq!(s, 200);
        let (s, v) = step(&center, id, json!({"action": "submit_review"})).await;
        assert_eq!(s, 200, "{name}: {v}");
        let review = v["decision"]["legal_review_id"].as_i64().unwrap();
        // The review desk has it, with the draft and how comments were used.
        let (_, r) = reviewer
            .get(&format!("/api/v1/legal-reviews/{review}"))
            .await;
        assert_eq!(r["review"]["kind"], "major_decision");
        assert!(
            r["materials"].as_str().unwrap().contains("夜间22时后免费"),
            "{r}"
        );
        let (s, _, page) = reviewer
            .get_bytes(&format!("/decisions/reviews/{review}"))
            .await;
        assert_eq!(s, 200);
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains(&format!("/decisions/major/{id}")), "{name}");
        // The drafting side cannot sign it on the desk: the discussion closes it.
        assert!(
            !r["allowed_actions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a == "sign"),
            "{r}"
        );
        assert_eq!(act(&leader, review, json!({"action": "sign"})).await.0, 409);
        // Pending, then amend without adoption: still no discussion.
        assert_eq!(step(&leader, id, discuss.clone()).await.0, 409);
        let (s, _) = act(
            &reviewer,
            review,
            json!({"action": "review", "opinion": "amend", "reasons": "收费依据须列明"}),
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(step(&leader, id, discuss.clone()).await.0, 409);
        let (s, _) = act(
            &leader,
            review,
            json!({"action": "record_adoption", "adoption": "adopted"}),
        )
        .await;
        assert_eq!(s, 200);
        // The head against the majority gives reasons (Art 30).
        let mut against = discuss.clone();
        against["head_against_majority"] = json!(true);
        let (s, v) = step(&leader, id, against.clone()).await;
        assert_eq!(s, 409, "{name}: {v}");
        assert!(says(&v, "第30条"), "{v}");
        against["head_reasons"] = json!("群众意见较大，暂缓夜间收费");
        let (s, v) = step(&leader, id, against).await;
        assert_eq!(s, 200, "{name}: {v}");
        // The desk item is closed as signed after review: it counts in 审查率.
        let (_, r) = leader.get(&format!("/api/v1/legal-reviews/{review}")).await;
        assert_eq!(r["review"]["status"], "signed", "{r}");
        assert_eq!(r["review"]["skipped"], false, "{r}");
        // The lead unit does not decide.
        assert_eq!(
            step(&center, id, json!({"action": "report_to_party"}))
                .await
                .0,
            403
        );
        let (s, v) = step(
            &leader,
            id,
            json!({"action": "publish", "text": "决定全文"}),
        )
        .await;
        assert_eq!(s, 409, "{name}: {v}");
        assert!(says(&v, "第31条"), "{v}");
        assert_eq!(
            step(&leader, id, json!({"action": "report_to_party"}))
                .await
                .0,
            200
        );
        assert_eq!(
            step(
                &leader,
                id,
                json!({"action": "publish", "text": "青石镇集镇停车收费方案（全文）"})
            )
            .await
            .0,
            200
        );
        assert_eq!(step(&leader, id, json!({"action": "archive"})).await.0, 200);
        let (s, v) = step(
            &center,
            id,
            json!({"action": "evaluate", "summary": "运行良好"}),
        )
        .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["decision"]["status"], "archived");
        // The public page: catalogue, public steps, the decision — nothing internal.
        let (s, html) = fazhi_testkit::web::send_anon(
            &w.app,
            "GET",
            "/public/decisions/500160101000",
            Value::Null,
        )
        .await;
        assert_eq!(s, 200);
        let html = html.as_str().unwrap().to_string();
        for shown in [
            "青石镇集镇停车收费方案",
            "公开征求意见",
            "听证会",
            "决策公布",
            "夜间22时后免费",
        ] {
            assert!(html.contains(shown), "{name}: {shown}");
        }
        assert!(html.contains("调出：村级公益林管护办法"), "{name}");
        let (_, pv) = fazhi_testkit::web::send_anon(
            &w.app,
            "GET",
            "/api/v1/public/decisions/500160101000",
            Value::Null,
        )
        .await;
        assert_eq!(
            pv["catalogues"][0]["decisions"].as_array().unwrap().len(),
            1,
            "{pv}"
        );
        for hidden in [
            "风险等级低",
            "一人认为收费过高",
            "收费依据须列明",
            "群众意见较大",
        ] {
            assert!(
                !html.contains(hidden),
                "{name}: {hidden} must not be public"
            );
        }
        // Another township's head sees nothing.
        let hash = fazhi_web::auth::secrets::hash_password(fazhi_demo::DEMO_PASSWORD.into())
            .await
            .unwrap();
        fazhi_testkit::web::add_user(
            &w.state.db,
            "other-head",
            &hash,
            fazhi_core::role::Role::TownshipLeader,
            "500160001000",
        )
        .await;
        let other = w.login("other-head").await;
        assert_eq!(other.get(&format!("/api/v1/decisions/{id}")).await.0, 404);
        assert_eq!(
            step(&other, id, json!({"action": "evaluate", "summary": "x"}))
                .await
                .0,
            404
        );
        let (_, cats) = other.get("/api/v1/decisions/catalogues").await;
        assert_eq!(cats.as_array().unwrap().len(), 0, "{name}");
        // Pages render for staff.
        let (s, _, page) = leader.get_bytes(&format!("/decisions/major/{id}")).await;
        assert_eq!(s, 200);
        assert!(String::from_utf8(page).unwrap().contains("决策后评估"));
        let (s, _, _) = leader.get_bytes("/decisions/major").await;
        assert_eq!(s, 200);
    }
}

#[tokio::test]
async fn an_unpublished_catalogue_is_not_public() {
    for t in fazhi_testkit::db::all().await {
        let w = world(t).await;
        let leader = w.login("leader").await;
        let (s, _) = leader
            .post(
                "/api/v1/decisions/catalogues/2026/decisions",
                json!({"title": "未公布事项", "lead_unit": "党政办"}),
            )
            .await;
        assert_eq!(s, 201);
        let (s, v) = fazhi_testkit::web::send_anon(
            &w.app,
            "GET",
            "/api/v1/public/decisions/500160101000",
            Value::Null,
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(v["catalogues"].as_array().unwrap().len(), 0, "{v}");
        let (s, _) = fazhi_testkit::web::send_anon(
            &w.app,
            "GET",
            "/api/v1/public/decisions/999",
            Value::Null,
        )
        .await;
        assert_eq!(s, 404);
        // The same through the pages' forms (CSRF required).
        let form = [
            ("year", "2026"),
            ("title", "表单列入事项"),
            ("lead_unit", "党政办"),
        ];
        let (s, _, _) = leader
            .post_form_bytes("/decisions/major/plan", &form, false)
            .await;
        assert_eq!(s, 403);
        let (s, h, _) = leader
            .post_form_bytes("/decisions/major/plan", &form, true)
            .await;
        assert_eq!(s, 303);
        assert!(h["location"].to_str().unwrap().contains("ok="), "{h:?}");
        let (_, cats) = leader.get("/api/v1/decisions/catalogues").await;
        let d = &cats[0]["decisions"][1];
        assert_eq!(d["title"], "表单列入事项");
        let id = d["id"].as_i64().unwrap();
        let act = format!("/decisions/major/{id}/act");
        let (s, h, _) = leader
            .post_form_bytes(&act, &[("action", "start"), ("version", "1")], true)
            .await;
        assert_eq!(s, 303);
        assert!(h["location"].to_str().unwrap().contains("ok="), "{h:?}");
        let draft = [
            ("action", "publish_draft"),
            ("draft", "草案"),
            ("explanation", "说明"),
            ("days", "7"),
        ];
        let (_, h, _) = leader.post_form_bytes(&act, &draft, true).await;
        assert!(h["location"].to_str().unwrap().contains("err="), "{h:?}");
        let (_, d) = leader.get(&format!("/api/v1/decisions/{id}")).await;
        assert_eq!(d["decision"]["status"], "started");
        // The comment period is a setting (a province may shorten it): 7 days now pass.
        let admin = w.login("admin").await;
        let (_, r) = admin.get("/api/v1/decisions/rules").await;
        assert_eq!(r["rules"]["comment_days"], 30);
        let (s, _) = admin
            .send_json(
                "PUT",
                "/api/v1/decisions/rules",
                json!({"rules": {"comment_days": 7, "hearing_materials_days": 7}}),
                true,
            )
            .await;
        assert_eq!(s, 200);
        let (s, v) = step(
            &leader,
            id,
            json!({"action": "publish_draft", "draft": "草案", "explanation": "说明", "days": 7}),
        )
        .await;
        assert_eq!(s, 200, "{v}");
        // Both APIs are in the OpenAPI document generated from the routes.
        let (_, doc) =
            fazhi_testkit::web::send_anon(&w.app, "GET", "/api/v1/openapi.json", Value::Null).await;
        for path in [
            "/api/v1/legal-reviews",
            "/api/v1/legal-reviews/{id}/actions",
            "/api/v1/legal-reviews/stats",
            "/api/v1/decisions/{id}/actions",
            "/api/v1/public/decisions/{code}",
        ] {
            assert!(doc["paths"][path].is_object(), "{path}");
        }
    }
}
