//! Normative documents through the real router and a real database (SQLite always,
//! PostgreSQL when FAZHI_TEST_POSTGRES_URL is set): the review gate before the
//! collective deliberation, the head's steps, numbering, publication, the filing
//! period, validity and its reminder, clean-up into the public lists, validation with
//! nothing written, scope, and pages.

use crate::common::{World, world};
use fazhi_testkit::web::Client;
use serde_json::{Value, json};
use time::{Date, Duration};

fn today(w: &World) -> Date {
    w.state.clock.today()
}

fn draft(title: &str) -> Value {
    json!({"title": title, "drafting_unit": "规划建设办",
        "text": "第一条 为规范农村村民住宅建设管理，制定本办法。", "explanation": "依据上位法起草"})
}

async fn create(c: &Client, body: Value) -> i64 {
    let (s, v) = c.post("/api/v1/normative-documents", body).await;
    assert_eq!(s, 201, "{v}");
    v["document"]["id"].as_i64().unwrap()
}

async fn act(c: &Client, id: i64, body: Value) -> (u16, Value) {
    let (s, v) = c
        .post(&format!("/api/v1/normative-documents/{id}/actions"), body)
        .await;
    (s.as_u16(), v)
}

async fn review(c: &Client, id: i64, opinion: &str) {
    let (s, v) = c
        .post(
            &format!("/api/v1/legal-reviews/{id}/actions"),
            json!({"action": "review", "opinion": opinion, "reasons": "第五条设定收费无法律依据"}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
}

fn deliberate(on: Date) -> Value {
    json!({"action": "deliberate", "on": on.to_string(), "meeting": "镇政府常务会议2026年第9次", "conclusion": "原则通过"})
}

/// Drafts, reviews (lawful), deliberates and issues a document; its id.
async fn issued(w: &World, title: &str, number: &str) -> i64 {
    let leader = w.login("leader").await;
    let reviewer = w.login("reviewer").await;
    let id = create(&leader, draft(title)).await;
    let (_, v) = act(&leader, id, json!({"action": "submit_review"})).await;
    review(&reviewer, v["review"]["id"].as_i64().unwrap(), "lawful").await;
    let (s, v) = act(&leader, id, deliberate(today(w))).await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = act(&leader, id, json!({"action": "issue", "number": number})).await;
    assert_eq!(s, 200, "{v}");
    id
}

#[tokio::test]
async fn the_review_gate_and_the_steps_hold() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let leader = w.login("leader").await;
        let center = w.login("center").await;
        let reviewer = w.login("reviewer").await;
        let now = today(&w);
        // Bad input writes nothing.
        for bad in [
            json!({"title": "", "drafting_unit": "办", "text": "正文"}),
            json!({"title": "某办法", "drafting_unit": "办", "text": " "}),
            json!({"title": "某办法", "drafting_unit": "办"}),
        ] {
            let (s, v) = leader.post("/api/v1/normative-documents", bad).await;
            assert!(s == 400 || s == 422, "{name}: {s} {v}");
        }
        let (_, list) = leader.get("/api/v1/normative-documents").await;
        assert_eq!(list.as_array().unwrap().len(), 0, "{name}");
        assert_eq!(
            reviewer
                .post("/api/v1/normative-documents", draft("x"))
                .await
                .0,
            403,
            "{name}: the reviewer does not draft"
        );
        // The centre drafts; 暂行 gives the shorter validity.
        let id = create(&center, draft("青石镇农村建房管理暂行办法")).await;
        // No deliberation without a review (115号).
        let (s, v) = act(&leader, id, deliberate(now)).await;
        assert_eq!(s, 409, "{name}: {v}");
        assert!(v["message"].as_str().unwrap().contains("115号"), "{v}");
        let (s, _) = act(&center, id, json!({"action": "record_comments", "summary": "在政务公开栏公开征求意见7日，收到意见2条，采纳1条"})).await;
        assert_eq!(s, 200, "{name}");
        let (s, v) = act(&center, id, json!({"action": "submit_review"})).await;
        assert_eq!(s, 200, "{name}: {v}");
        let first = v["review"]["id"].as_i64().unwrap();
        let (_, item) = leader.get(&format!("/api/v1/legal-reviews/{first}")).await;
        assert_eq!(item["review"]["kind"], "normative_document", "{item}");
        assert!(
            item["materials"].as_str().unwrap().contains("征求意见"),
            "{item}"
        );
        // Pending, then unlawful: still no deliberation; a new review after amending.
        let (s, _) = act(&leader, id, deliberate(now)).await;
        assert_eq!(s, 409, "{name}");
        review(&reviewer, first, "unlawful").await;
        let (s, v) = act(&leader, id, deliberate(now)).await;
        assert_eq!(s, 409, "{name}: {v}");
        let (_, d) = leader
            .get(&format!("/api/v1/normative-documents/{id}"))
            .await;
        assert!(
            d["allowed_actions"]
                .as_array()
                .unwrap()
                .contains(&json!("submit_review")),
            "{name}: {d}"
        );
        let (s, v) = act(&center, id, json!({"action": "submit_review"})).await;
        assert_eq!(s, 200, "{name}: {v}");
        let second = v["review"]["id"].as_i64().unwrap();
        assert_ne!(first, second);
        review(&reviewer, second, "lawful").await;
        // The centre does not deliberate: the leader's step.
        let (s, _) = act(&center, id, deliberate(now)).await;
        assert_eq!(s, 403, "{name}");
        // No publication before numbering (37号).
        let (s, v) = act(&leader, id, json!({"action": "deliberate", "on": (now + Duration::days(1)).to_string(), "meeting": "会", "conclusion": "通过"})).await;
        assert_eq!(s, 400, "{name}: a meeting in the future: {v}");
        let (s, v) = act(&leader, id, deliberate(now)).await;
        assert_eq!(s, 200, "{name}: {v}");
        let (s, v) = act(
            &leader,
            id,
            json!({"action": "publish", "via": "镇政府网站"}),
        )
        .await;
        assert_eq!(s, 409, "{name}: {v}");
        assert!(v["message"].as_str().unwrap().contains("37号"), "{v}");
        let (s, v) = act(
            &leader,
            id,
            json!({"action": "issue", "number": "青石府规〔2026〕1号"}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {v}");
        // A number is used once per township.
        let other = issued(&w, "青石镇临时救助实施办法", "青石府规〔2026〕2号").await;
        let dup = create(&leader, draft("另一办法")).await;
        let (_, v) = act(&leader, dup, json!({"action": "submit_review"})).await;
        review(&reviewer, v["review"]["id"].as_i64().unwrap(), "lawful").await;
        act(&leader, dup, deliberate(now)).await;
        let (s, v) = act(
            &leader,
            dup,
            json!({"action": "issue", "number": "青石府规〔2026〕1号"}),
        )
        .await;
        assert_eq!(s, 409, "{name}: {v}");
        let (_, d) = leader
            .get(&format!("/api/v1/normative-documents/{dup}"))
            .await;
        assert_eq!(
            d["document"]["status"], "deliberated",
            "{name}: nothing written"
        );
        // Publication: in force 30 days later, 2 years for 暂行, filing within 30 days.
        let (s, v) = act(
            &leader,
            id,
            json!({"action": "publish", "via": "镇政府网站"}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {v}");
        let eff = now + Duration::days(30);
        assert_eq!(v["document"]["effective_on"], eff.to_string());
        let until = Date::from_calendar_date(eff.year() + 2, eff.month(), eff.day()).unwrap()
            - Duration::days(1);
        assert_eq!(v["document"]["expires_on"], until.to_string(), "{name}");
        assert_eq!(v["document"]["validity"], "pending");
        let due = w.state.matters.calendar().add_calendar_days(now, 30);
        assert_eq!(v["document"]["filing_due"], due.to_string());
        let (s, v) = act(
            &leader,
            other,
            json!({"action": "publish", "via": "政务公开栏", "effective_on": now.to_string()}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["document"]["validity"], "valid");
        assert_eq!(
            v["document"]["expires_on"],
            (Date::from_calendar_date(now.year() + 5, now.month(), now.day()).unwrap()
                - Duration::days(1))
            .to_string()
        );
        // Every write is audited; the desk items were created in the same transactions.
        let audit = fazhi_db::audit::recent(&w.state.db, None, 2000)
            .await
            .unwrap();
        let n = |a: &str| {
            audit
                .iter()
                .filter(|r| r.action == a && r.target == format!("normative:{id}"))
                .count()
        };
        assert_eq!(n("normative.draft"), 1, "{name}");
        assert_eq!(n("normative.submit_review"), 2, "{name}");
        assert_eq!(n("normative.deliberate"), 1, "{name}");
        assert_eq!(n("normative.publish"), 1, "{name}");
    }
}

#[tokio::test]
async fn filing_reminders_clean_up_and_the_public_lists() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let now = today(&w);
        let a = issued(&w, "青石镇村庄保洁管理暂行办法", "青石府规〔2026〕3号").await;
        let b = issued(&w, "青石镇集镇摊位管理办法", "青石府规〔2026〕4号").await;
        let leader = w.login("leader").await;
        for id in [a, b] {
            let (s, _) = act(
                &leader,
                id,
                json!({"action": "publish", "via": "镇政府网站", "effective_on": now.to_string()}),
            )
            .await;
            assert_eq!(s, 200);
        }
        let (s, _) = act(
            &leader,
            b,
            json!({"action": "file", "with": "清溪区人民政府"}),
        )
        .await;
        assert_eq!(s, 200, "{name}");
        // 40 days on: `a` was not filed in time.
        w.state.clock.advance_minutes(40 * 24 * 60);
        let leader = w.login("leader").await;
        let (_, late) = leader
            .get("/api/v1/normative-documents?filing_overdue=true")
            .await;
        let ids: Vec<i64> = late
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, vec![a], "{name}");
        let (s, v) = act(
            &leader,
            a,
            json!({"action": "file", "with": "清溪区人民政府"}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["document"]["filing_overdue"], true, "{name}: filed late");
        let (s, st) = leader
            .get(&format!(
                "/api/v1/normative-documents/stats?year={}",
                now.year()
            ))
            .await;
        assert_eq!(s, 200, "{name}: {st}");
        assert_eq!(st["filing_rate"], 100.0, "{name}: {st}");
        assert_eq!(st["filing_on_time_rate"], 50.0, "{name}: {st}");
        for f in st["figures"].as_array().unwrap() {
            let (_, list) = leader.get(f["api"].as_str().unwrap()).await;
            assert_eq!(
                list.as_array().unwrap().len() as i64,
                f["count"].as_i64().unwrap(),
                "{name}: {}",
                f["figure"]
            );
        }
        // 6 months before the end of the 2 years of `a`: the reminder.
        let (_, exp) = leader
            .get("/api/v1/normative-documents?expiring=true")
            .await;
        assert_eq!(exp.as_array().unwrap().len(), 0, "{name}");
        w.state.clock.advance_minutes(560 * 24 * 60);
        let leader = w.login("leader").await;
        let (_, exp) = leader
            .get("/api/v1/normative-documents?expiring=true")
            .await;
        let ids: Vec<i64> = exp
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, vec![a], "{name}: {exp}");
        // Clean-up: `b` repealed (with a reason), `a` runs out.
        let (s, _) = act(
            &leader,
            b,
            json!({"action": "clean_up", "decision": "repeal"}),
        )
        .await;
        assert_eq!(s, 400, "{name}: a reason is required");
        let (s, v) = act(
            &leader,
            b,
            json!({"action": "clean_up", "decision": "repeal", "note": "上位法已修改"}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["document"]["validity"], "repealed");
        w.state.clock.advance_minutes(200 * 24 * 60);
        // The public lists, without login.
        let (s, v) = fazhi_testkit::web::send_anon(
            &w.app,
            "GET",
            "/api/v1/public/normative-documents/500160101000",
            Value::Null,
        )
        .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["valid"].as_array().unwrap().len(), 0, "{name}: {v}");
        assert_eq!(v["repealed"][0]["id"], b, "{name}");
        assert_eq!(v["expired"][0]["id"], a, "{name}");
        assert!(v["expired"][0]["text"].as_str().unwrap().contains("第一条"));
        let (s, _) = fazhi_testkit::web::send_anon(
            &w.app,
            "GET",
            "/api/v1/public/normative-documents/500160000000",
            Value::Null,
        )
        .await;
        assert_eq!(s, 404, "{name}: a district is not a township");
    }
}

#[tokio::test]
async fn scope_holds_and_pages_work() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let now = today(&w);
        let id = issued(&w, "青石镇门前三包管理办法", "青石府规〔2026〕5号").await;
        let leader = w.login("leader").await;
        act(
            &leader,
            id,
            json!({"action": "publish", "via": "镇政府网站", "effective_on": now.to_string()}),
        )
        .await;
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
        let path = format!("/api/v1/normative-documents/{id}");
        assert_eq!(other.get(&path).await.0, 404, "{name}");
        assert_eq!(
            act(&other, id, json!({"action": "file", "with": "区政府"}))
                .await
                .0,
            404
        );
        let (s, _, _) = other.get_bytes(&format!("/decisions/normative/{id}")).await;
        assert_eq!(s, 404, "{name}");
        let district = w.login("district").await;
        let (s, d) = district.get(&path).await;
        assert_eq!(s, 200);
        assert_eq!(d["allowed_actions"], json!([]), "{name}");
        // Pages: the list, drafting through the form, the document, the public page.
        let (s, _, html) = leader.get_bytes("/decisions/normative").await;
        assert_eq!(s, 200);
        let html = String::from_utf8(html).unwrap();
        assert!(
            html.contains("青石镇门前三包管理办法")
                && html.contains("/public/normative/500160101000"),
            "{name}"
        );
        let form = [
            ("title", "青石镇河道保洁试行办法"),
            ("drafting_unit", "农业农村办"),
            ("text", "第一条 为加强河道保洁……"),
        ];
        let (s, _, _) = leader
            .post_form_bytes("/decisions/normative/new", &form, false)
            .await;
        assert_eq!(s, 403, "{name}: no CSRF token, no write");
        let (s, h, _) = leader
            .post_form_bytes("/decisions/normative/new", &form, true)
            .await;
        assert_eq!(s, 303);
        let to = h["location"].to_str().unwrap().to_string();
        assert!(
            to.starts_with("/decisions/normative/") && to.contains("ok="),
            "{to}"
        );
        let doc: i64 = to
            .trim_start_matches("/decisions/normative/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let (s, h, _) = leader
            .post_form_bytes(
                &format!("/decisions/normative/{doc}/act"),
                &[
                    ("action", "deliberate"),
                    ("on", &now.to_string()),
                    ("meeting", "会"),
                    ("conclusion", "通过"),
                ],
                true,
            )
            .await;
        assert_eq!(s, 303);
        let back = h["location"].to_str().unwrap();
        assert!(
            back.contains("err="),
            "{name}: the gate on the page too: {back}"
        );
        let (s, _, html) = leader.get_bytes(&to).await;
        assert_eq!(s, 200);
        let html = String::from_utf8(html).unwrap();
        assert!(
            html.contains("河道保洁") && html.contains("送合法性审核"),
            "{name}"
        );
        let (s, html) = fazhi_testkit::web::send_anon(
            &w.app,
            "GET",
            "/public/normative/500160101000",
            Value::Null,
        )
        .await;
        assert_eq!(s, 200, "{name}");
        let html = html.as_str().unwrap().to_string();
        assert!(
            html.contains("青石府规〔2026〕5号") && html.contains("现行有效"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn the_demo_documents_go_through_the_rules() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let now = today(&w);
        let n = fazhi_demo::normative::seed(&w.state.db, now).await.unwrap();
        assert_eq!(n, 6, "{name}");
        let leader = w.login("leader").await;
        // Near expiry with its renewal review on the desk; the 暂行 one let lapse and the
        // renewed one are off the reminders.
        let (_, exp) = leader
            .get("/api/v1/normative-documents?expiring=true")
            .await;
        assert_eq!(exp.as_array().unwrap().len(), 1, "{name}: {exp}");
        let (_, d) = leader
            .get(&format!("/api/v1/normative-documents/{}", exp[0]["id"]))
            .await;
        assert_eq!(d["renewal_pending"], true, "{name}: {d}");
        assert_eq!(d["comment_records"].as_array().unwrap().len(), 2, "{d}");
        let (_, all) = leader.get("/api/v1/normative-documents").await;
        let renewed = all
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["title"] == "青石镇农村集体经济组织财务公开办法")
            .unwrap();
        let (_, d) = leader
            .get(&format!("/api/v1/normative-documents/{}", renewed["id"]))
            .await;
        assert_eq!(d["renewals"].as_array().unwrap().len(), 1, "{name}: {d}");
        assert_eq!(d["document"]["validity"], "valid", "{name}: {d}");
        let (_, rounds) = leader.get("/api/v1/normative-documents/rounds").await;
        assert_eq!(rounds.as_array().unwrap().len(), 1, "{name}: {rounds}");
        assert_eq!(
            rounds[0]["lists"]["repealed"].as_array().unwrap().len(),
            1,
            "{name}: {rounds}"
        );
        let (_, v) = fazhi_testkit::web::send_anon(
            &w.app,
            "GET",
            "/api/v1/public/normative-documents/500160101000",
            Value::Null,
        )
        .await;
        let len = |k: &str| v[k].as_array().unwrap().len();
        assert_eq!(
            (len("valid"), len("repealed"), len("expired")),
            (3, 1, 1),
            "{name}: {v}"
        );
        assert_eq!(len("rounds"), 1, "{name}");
        let (_, list) = leader
            .get("/api/v1/normative-documents?status=in_review")
            .await;
        assert_eq!(list.as_array().unwrap().len(), 1, "{name}");
        let (_, all) = leader.get("/api/v1/normative-documents").await;
        for d in all.as_array().unwrap() {
            let (s, _, _) = leader
                .get_bytes(&format!("/decisions/normative/{}", d["id"]))
                .await;
            assert_eq!(s, 200, "{name}");
        }
        for page in [
            "/decisions/normative",
            "/decisions/normative/rounds",
            "/decisions/stats",
            "/public/normative/500160101000",
        ] {
            let (s, _, _) = leader.get_bytes(page).await;
            assert_eq!(s, 200, "{name}: {page}");
        }
    }
}

#[tokio::test]
async fn comments_one_by_one_renewal_lapse_and_clean_up_rounds() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let leader = w.login("leader").await;
        let center = w.login("center").await;
        let now = today(&w);

        // Comments one per record: who, what, the answer; none left unanswered at review.
        let c = create(&center, draft("青石镇集镇广告牌设置管理办法")).await;
        let (s, v) = act(
            &center,
            c,
            json!({"action": "record_comment", "author": "商户李某", "content": " "}),
        )
        .await;
        assert_eq!(s, 400, "{name}: {v}");
        let (s, v) = act(&center, c, json!({"action": "record_comment", "author": "商户李某", "content": "建议放宽店招尺寸"})).await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(
            v["comment_records"].as_array().unwrap().len(),
            1,
            "{name}: bad input wrote nothing"
        );
        let (s, v) = act(&center, c, json!({"action": "submit_review"})).await;
        assert_eq!(s, 409, "{name}: {v}");
        assert!(v["message"].as_str().unwrap().contains("未答复"), "{v}");
        let (s, _) = act(
            &center,
            c,
            json!({"action": "answer_comment", "n": 2, "answer": "采纳"}),
        )
        .await;
        assert_eq!(s, 400, "{name}: no second comment");
        let (s, v) = act(
            &center,
            c,
            json!({"action": "answer_comment", "n": 1, "answer": "部分采纳：主干道外放宽至3米"}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(
            v["comment_records"][0]["answer"],
            "部分采纳：主干道外放宽至3米"
        );
        let (s, v) = act(&center, c, json!({"action": "submit_review"})).await;
        assert_eq!(s, 200, "{name}: {v}");
        let (_, item) = leader
            .get(&format!("/api/v1/legal-reviews/{}", v["review"]["id"]))
            .await;
        assert!(
            item["materials"].as_str().unwrap().contains("商户李某"),
            "{name}: the comments go to the desk: {item}"
        );
        // The deliberation names the advisers who attended, picked from the roster.
        let (own, _) = crate::common::villages(&w).await;
        let (s, zhou) = center
            .post(
                "/api/v1/legal-advisers",
                json!({"firm": "重庆清溪律师事务所", "lawyer": "周明", "licence_no": "15001201510987654",
                    "term_from": (now - Duration::days(30)).to_string(),
                    "term_to": (now + Duration::days(300)).to_string(),
                    "service_scope": "规范性文件的合法性审核", "fee_fen": 0,
                    "serves_township": true, "village_codes": [own]}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {zhou}");
        let zhou = zhou["adviser"]["id"].as_i64().unwrap();
        let reviewer = w.login("reviewer").await;
        review(&reviewer, v["review"]["id"].as_i64().unwrap(), "lawful").await;
        let (_, d) = leader
            .get(&format!("/api/v1/normative-documents/{c}"))
            .await;
        assert_eq!(d["adviser_choices"][0]["id"], zhou, "{name}: {d}");
        let mut meet = deliberate(now);
        meet["adviser_ids"] = json!([zhou + 1000]);
        let (s, v) = act(&leader, c, meet.clone()).await;
        assert_eq!(s, 400, "{name}: not on the roster: {v}");
        meet["adviser_ids"] = json!([zhou]);
        let (s, v) = act(&leader, c, meet).await;
        assert_eq!(s, 200, "{name}: {v}");
        assert!(
            v["deliberation_advisers"][0]
                .as_str()
                .unwrap()
                .contains("周明"),
            "{name}: {v}"
        );
        let (_, a) = leader.get(&format!("/api/v1/legal-advisers/{zhou}")).await;
        assert_eq!(a["work"][0]["kind"], "decision_meeting", "{name}: {a}");
        assert_eq!(a["work"][0]["href"], format!("/decisions/normative/{c}"));

        // Two documents in force for five years.
        let a = issued(&w, "青石镇集镇摊位管理办法", "青石府规〔2026〕7号").await;
        let b = issued(&w, "青石镇村级公益设施管护办法", "青石府规〔2026〕8号").await;
        for id in [a, b] {
            let (s, v) = act(
                &leader,
                id,
                json!({"action": "publish", "via": "镇政府网站", "effective_on": now.to_string()}),
            )
            .await;
            assert_eq!(s, 200, "{name}: {v}");
        }
        let (_, d) = leader
            .get(&format!("/api/v1/normative-documents/{a}"))
            .await;
        let allowed = |d: &Value, code: &str| {
            d["allowed_actions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c == code)
        };
        assert!(
            !allowed(&d, "renew") && !allowed(&d, "lapse"),
            "{name}: not near expiry: {d}"
        );
        // Near the end of the five years: evaluate, review again, renew or let lapse.
        w.state.clock.advance_minutes((5 * 365 - 150) * 24 * 60);
        let later = today(&w);
        let leader = w.login("leader").await;
        let reviewer = w.login("reviewer").await;
        let (_, d) = leader
            .get(&format!("/api/v1/normative-documents/{a}"))
            .await;
        assert!(
            allowed(&d, "submit_review") && allowed(&d, "lapse"),
            "{name}: {d}"
        );
        let renew =
            |number: &str| json!({"action": "renew", "number": number, "via": "镇政府网站"});
        let (s, v) = act(&leader, a, renew("青石府规〔2031〕1号")).await;
        assert_eq!(s, 409, "{name}: the first review does not count: {v}");
        assert!(
            v["message"].as_str().unwrap().contains("重新经合法性审核"),
            "{v}"
        );
        let (s, v) = act(&leader, a, json!({"action": "submit_review"})).await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["renewal_pending"], true);
        let renewal_review = v["review"]["id"].as_i64().unwrap();
        assert_eq!(v["earlier_review_ids"].as_array().unwrap().len(), 1, "{v}");
        let (s, _) = act(&leader, a, renew("青石府规〔2031〕1号")).await;
        assert_eq!(s, 409, "{name}: the renewal review is pending");
        review(&reviewer, renewal_review, "lawful").await;
        let (s, _) = act(&leader, a, renew("青石府规〔2026〕7号")).await;
        assert_eq!(s, 400, "{name}: a new number is required");
        let (s, v) = act(&leader, a, renew("青石府规〔2026〕8号")).await;
        assert_eq!(s, 409, "{name}: the number of another document: {v}");
        assert!(v["fields"]["number"].is_string(), "{v}");
        // Another township can neither see nor renew it.
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
        let (s, _) = act(&other, a, renew("青石府规〔2031〕1号")).await;
        assert_eq!(s, 404, "{name}");
        let (s, v) = act(&leader, a, renew("青石府规〔2031〕1号")).await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["document"]["number"], "青石府规〔2031〕1号");
        assert_eq!(v["document"]["expiring"], false);
        assert_eq!(v["document"]["validity"], "valid");
        assert_eq!(v["renewals"][0]["old_number"], "青石府规〔2026〕7号");
        assert!(
            v["document"]["filed_on"].is_null(),
            "{name}: to be filed again"
        );
        // `b` is let lapse: off the reminders, expires as planned.
        let (s, _) = act(&leader, b, json!({"action": "lapse", "note": ""})).await;
        assert_eq!(s, 400, "{name}");
        let (s, v) = act(
            &leader,
            b,
            json!({"action": "lapse", "note": "上位法已修改，到期不再延续"}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {v}");
        let (_, exp) = leader
            .get("/api/v1/normative-documents?expiring=true")
            .await;
        assert_eq!(exp.as_array().unwrap().len(), 0, "{name}: {exp}");
        let year = later.year();
        let (_, st) = leader
            .get(&format!("/api/v1/normative-documents/stats?year={year}"))
            .await;
        let renewed = st["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["figure"] == "renewed")
            .unwrap();
        assert_eq!(renewed["count"], 1, "{name}: {st}");
        let (_, list) = leader.get(renewed["api"].as_str().unwrap()).await;
        assert_eq!(list[0]["id"], a, "{name}");

        // A clean-up round: its decisions in one transaction, its lists published.
        let round = |decisions: Value| json!({"on": later.to_string(), "scope": "本镇现行有效的行政规范性文件", "decisions": decisions});
        for bad in [
            json!([{"document_id": b, "decision": "repeal"}]),
            json!([{"document_id": c, "decision": "keep"}]),
            json!([{"document_id": b, "decision": "repeal", "note": "上位法已修改"}, {"document_id": b, "decision": "keep"}]),
        ] {
            let (s, v) = leader
                .post("/api/v1/normative-documents/rounds", round(bad))
                .await;
            assert_eq!(s, 400, "{name}: {v}");
        }
        let (s, _) = reviewer
            .post("/api/v1/normative-documents/rounds", round(json!([])))
            .await;
        assert_eq!(s, 403, "{name}: the leader cleans up");
        let (_, rounds) = leader.get("/api/v1/normative-documents/rounds").await;
        assert_eq!(
            rounds.as_array().unwrap().len(),
            0,
            "{name}: nothing written"
        );
        let (_, d) = leader
            .get(&format!("/api/v1/normative-documents/{b}"))
            .await;
        assert_eq!(d["document"]["status"], "published", "{name}");
        let (s, r) = leader
            .post(
                "/api/v1/normative-documents/rounds",
                round(json!([{"document_id": b, "decision": "repeal", "note": "上位法已修改"}])),
            )
            .await;
        assert_eq!(s, 201, "{name}: {r}");
        let rid = r["id"].as_i64().unwrap();
        let ids = |k: &str| -> Vec<i64> {
            r["lists"][k]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["document_id"].as_i64().unwrap())
                .collect()
        };
        assert_eq!(ids("valid"), vec![a], "{name}: {r}");
        assert_eq!(ids("repealed"), vec![b], "{name}: {r}");
        let (_, d) = leader
            .get(&format!("/api/v1/normative-documents/{b}"))
            .await;
        assert_eq!(d["document"]["validity"], "repealed", "{name}");
        assert_eq!(d["cleanups"][0]["round_id"], rid, "{name}: {d}");
        assert_eq!(
            other
                .get(&format!("/api/v1/normative-documents/rounds/{rid}"))
                .await
                .0,
            404,
            "{name}"
        );
        let (_, theirs) = other.get("/api/v1/normative-documents/rounds").await;
        assert_eq!(theirs.as_array().unwrap().len(), 0, "{name}");
        let (_, st) = leader
            .get(&format!("/api/v1/normative-documents/stats?year={year}"))
            .await;
        assert_eq!(st["rounds"], 1, "{name}: {st}");
        let (s, v) = fazhi_testkit::web::send_anon(
            &w.app,
            "GET",
            "/api/v1/public/normative-documents/500160101000",
            Value::Null,
        )
        .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["rounds"][0]["id"], rid, "{name}: {v}");

        // The pages: the round through the form, its page, the public page.
        let form_note = format!("note_{a}");
        let form_decision = format!("decision_{a}");
        let (s, h, _) = leader
            .post_form_bytes(
                "/decisions/normative/rounds",
                &[
                    ("on", &later.to_string()),
                    ("scope", "年中清理"),
                    (&form_decision, "revise"),
                    (&form_note, "第五条与新修订的条例不一致"),
                ],
                true,
            )
            .await;
        assert_eq!(s, 303, "{name}");
        let to = h["location"].to_str().unwrap().to_string();
        assert!(
            to.starts_with("/decisions/normative/rounds/") && to.contains("ok="),
            "{name}: {to}"
        );
        for (page, text) in [
            (to.as_str(), "拟修改"),
            ("/decisions/normative/rounds", "年中清理"),
            (
                &format!("/decisions/normative/{a}") as &str,
                "原文号青石府规〔2026〕7号",
            ),
        ] {
            let (s, _, html) = leader.get_bytes(page).await;
            assert_eq!(s, 200, "{name}: {page}");
            assert!(
                String::from_utf8(html).unwrap().contains(text),
                "{name}: {page} lacks {text}"
            );
        }
        let (s, _, html) = leader.get_bytes("/public/normative/500160101000").await;
        assert_eq!(s, 200, "{name}");
        assert!(
            String::from_utf8(html).unwrap().contains("清理结果"),
            "{name}"
        );
    }
}
