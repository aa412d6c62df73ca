//! Contracts through the real router and a real database (SQLite always, PostgreSQL
//! when FAZHI_TEST_POSTGRES_URL is set): the review from the desk before signing (an
//! unlawful opinion blocks it, a missing or pending one counts as skipped in the 审查率),
//! validation with nothing written, milestones and expiry reminders, scope, and pages.

use crate::common::{World, world};
use fazhi_testkit::web::Client;
use serde_json::{Value, json};
use time::{Date, Duration};

fn today(w: &World) -> Date {
    w.state.clock.today()
}

fn contract(title: &str) -> Value {
    json!({"title": title, "counterparty": "某环境服务有限公司", "amount_fen": 36_000_000,
        "drafting_unit": "环卫所"})
}

async fn register(c: &Client, body: Value) -> i64 {
    let (s, v) = c.post("/api/v1/contracts", body).await;
    assert_eq!(s, 201, "{v}");
    v["contract"]["id"].as_i64().unwrap()
}

async fn act(c: &Client, id: i64, body: Value) -> (u16, Value) {
    let (s, v) = c
        .post(&format!("/api/v1/contracts/{id}/actions"), body)
        .await;
    (s.as_u16(), v)
}

async fn review(c: &Client, id: i64, opinion: &str) {
    let (s, v) = c
        .post(
            &format!("/api/v1/legal-reviews/{id}/actions"),
            json!({"action": "review", "opinion": opinion, "reasons": "未经政府采购程序"}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
}

#[tokio::test]
async fn signing_goes_through_the_review_desk() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let leader = w.login("leader").await;
        let reviewer = w.login("reviewer").await;
        let now = today(&w);
        let year = now.year();
        // Bad input writes nothing.
        let mut bad = Vec::new();
        let mut v = contract("某合同");
        v["amount_fen"] = json!(-5);
        bad.push(v);
        let mut v = contract("某合同");
        v["counterparty"] = json!("");
        bad.push(v);
        let mut v = contract("某合同");
        v["starts_on"] = json!("2026-06-01");
        v["expires_on"] = json!("2026-05-01");
        bad.push(v);
        let mut v = contract("某合同");
        v["amount_fen"] = json!(12.5);
        bad.push(v);
        for b in bad {
            let (s, v) = leader.post("/api/v1/contracts", b).await;
            assert!(s == 400 || s == 422, "{name}: {s} {v}");
            assert!(v["message"].is_string());
        }
        let (_, list) = leader.get("/api/v1/contracts").await;
        assert_eq!(list.as_array().unwrap().len(), 0, "{name}: nothing written");
        // The reviewer does not register contracts.
        assert_eq!(
            reviewer.post("/api/v1/contracts", contract("x")).await.0,
            403
        );

        // 1. Reviewed lawful, then signed: reviewed before signing.
        let good = register(&leader, contract("集镇保洁服务外包合同")).await;
        let (s, v) = act(&leader, good, json!({"action": "submit_review"})).await;
        assert_eq!(s, 200, "{name}: {v}");
        let rid = v["review"]["id"].as_i64().unwrap();
        assert_eq!(v["review"]["status"], "pending");
        assert_eq!(
            v["allowed_actions"],
            json!(["sign", "add_milestone", "drop"]),
            "{v}"
        );
        let (_, item) = leader.get(&format!("/api/v1/legal-reviews/{rid}")).await;
        assert_eq!(item["review"]["kind"], "contract", "{item}");
        review(&reviewer, rid, "lawful").await;
        let (s, v) = act(&leader, good, json!({"action": "sign"})).await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["contract"]["reviewed_before_signing"], true);
        assert_eq!(v["contract"]["skipped_review"], false);
        assert_eq!(
            v["review"]["status"], "signed",
            "{name}: the desk item is signed too"
        );

        // 2. Unlawful: the signing is refused, nothing changes on either side.
        let unlawful = register(&leader, contract("某工程施工合同")).await;
        let (_, v) = act(&leader, unlawful, json!({"action": "submit_review"})).await;
        let bad_rid = v["review"]["id"].as_i64().unwrap();
        review(&reviewer, bad_rid, "unlawful").await;
        let (s, v) = act(&leader, unlawful, json!({"action": "sign"})).await;
        assert_eq!(s, 409, "{name}: {v}");
        assert!(v["message"].as_str().unwrap().contains("不合法"), "{v}");
        let (_, d) = leader.get(&format!("/api/v1/contracts/{unlawful}")).await;
        assert_eq!(d["contract"]["status"], "draft");
        assert_eq!(d["events"].as_array().unwrap().len(), 2, "{name}: {d}");
        // Dropping it takes the item off the desk.
        let (s, v) = act(
            &leader,
            unlawful,
            json!({"action": "drop", "reason": "重新组织采购"}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["review"]["status"], "withdrawn", "{name}");

        // 3. Signed while the review is pending: skipped.
        let hurried = register(&leader, contract("农贸市场租赁合同")).await;
        let (_, v) = act(&leader, hurried, json!({"action": "submit_review"})).await;
        let pending = v["review"]["id"].as_i64().unwrap();
        // A stale version is refused and writes nothing on the desk.
        let (s, v) = act(&leader, hurried, json!({"action": "sign", "version": 1})).await;
        assert_eq!(s, 409, "{name}: {v}");
        let (_, item) = leader
            .get(&format!("/api/v1/legal-reviews/{pending}"))
            .await;
        assert_eq!(item["review"]["status"], "pending", "{name}");
        let (s, v) = act(&leader, hurried, json!({"action": "sign"})).await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["contract"]["skipped_review"], true, "{name}");

        // 4. Never put to review: an item registered as signed without review.
        let never = register(&leader, contract("村级光伏项目合作协议")).await;
        let (s, v) = act(
            &leader,
            never,
            json!({"action": "sign", "on": now.to_string()}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["contract"]["skipped_review"], true);
        let registered = v["review"]["id"].as_i64().unwrap();
        let (s, v) = act(&leader, never, json!({"action": "sign"})).await;
        assert_eq!(s, 409, "{name}: signed once: {v}");

        // The desk's 审查率 counts the contracts: 1 of 3 reviewed before signing.
        let (_, st) = leader
            .get(&format!("/api/v1/legal-reviews/stats?year={year}"))
            .await;
        let k = st["by_kind"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kind"] == "contract")
            .unwrap()
            .clone();
        assert_eq!(k["needed_review"], 3, "{name}: {st}");
        assert_eq!(k["skipped"], 2, "{name}");
        assert_eq!(k["review_rate"], 33.33, "{name}");
        let mut skipped: Vec<i64> = st["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        skipped.sort();
        assert_eq!(skipped, vec![pending, registered], "{name}");
        let (_, sk) = leader.get("/api/v1/contracts?skipped=true").await;
        let mut ids: Vec<i64> = sk
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        ids.sort();
        assert_eq!(ids, vec![hurried, never], "{name}");
        // The contracts' own figures, each with its drill-down.
        let (s, cs) = leader
            .get(&format!("/api/v1/contracts/stats?year={year}"))
            .await;
        assert_eq!(s, 200, "{name}: {cs}");
        assert_eq!(cs["review_rate"], 33.33, "{name}: {cs}");
        assert_eq!(cs["amount_fen"], 3 * 36_000_000, "{name}");
        for f in cs["figures"].as_array().unwrap() {
            let (_, list) = leader.get(f["api"].as_str().unwrap()).await;
            assert_eq!(
                list.as_array().unwrap().len() as i64,
                f["count"].as_i64().unwrap(),
                "{name}: {}",
                f["figure"]
            );
        }
        let fig = |code: &str| {
            cs["figures"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["figure"] == code)
                .unwrap()["count"]
                .as_i64()
                .unwrap()
        };
        assert_eq!(
            (
                fig("signed"),
                fig("reviewed_before_signing"),
                fig("skipped")
            ),
            (3, 1, 2)
        );
        // Every write is audited, the desk's in the same transactions.
        let audit = fazhi_db::audit::recent(&w.state.db, None, 1000)
            .await
            .unwrap();
        let n = |a: &str, target: String| {
            audit
                .iter()
                .filter(|r| r.action == a && r.target == target)
                .count()
        };
        assert_eq!(n("contract.register", format!("contract:{good}")), 1);
        assert_eq!(n("contract.sign", format!("contract:{good}")), 1);
        assert_eq!(n("legal_review.sign", format!("legal_review:{rid}")), 1);
        assert_eq!(
            n(
                "legal_review.register",
                format!("legal_review:{registered}")
            ),
            1,
            "{name}"
        );
    }
}

#[tokio::test]
async fn milestones_and_expiry_reminders() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let leader = w.login("leader").await;
        let now = today(&w);
        let mut ids = Vec::new();
        for (title, days) in [("十日后到期", 10), ("百日后到期", 100), ("已到期", -3)]
        {
            let mut c = contract(title);
            c["starts_on"] = json!((now - Duration::days(300)).to_string());
            c["expires_on"] = json!((now + Duration::days(days)).to_string());
            let id = register(&leader, c).await;
            let (s, _) = act(
                &leader,
                id,
                json!({"action": "sign", "on": (now - Duration::days(290)).to_string()}),
            )
            .await;
            assert_eq!(s, 200);
            ids.push(id);
        }
        // A draft never shows in the reminders.
        let mut draft = contract("未签订");
        draft["expires_on"] = json!((now + Duration::days(5)).to_string());
        register(&leader, draft).await;
        let (s, v) = leader.get("/api/v1/contracts/expiring").await;
        assert_eq!(s, 200, "{v}");
        let got: Vec<i64> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        assert_eq!(got, vec![ids[2], ids[0]], "{name}: nearest first: {v}");
        assert_eq!(v[0]["warning"], "red");
        assert_eq!(v[1]["days_to_expiry"], 10);
        let (_, v) = leader.get("/api/v1/contracts/expiring?days=200").await;
        assert_eq!(v.as_array().unwrap().len(), 3, "{name}");
        let (s, _) = leader.get("/api/v1/contracts/expiring?days=-1").await;
        assert_eq!(s, 400);
        // Milestones: one late, then completing in order.
        let id = ids[1];
        let (s, v) = act(&leader, id, json!({"action": "add_milestone", "title": "第一季度考核", "due_on": (now - Duration::days(1)).to_string()})).await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["contract"]["milestone_overdue"], true);
        assert_eq!(v["milestones"][0]["overdue"], true);
        let (s, v) = act(&leader, id, json!({"action": "complete"})).await;
        assert_eq!(s, 409, "{name}: open milestone: {v}");
        let (s, v) = act(
            &leader,
            id,
            json!({"action": "complete_milestone", "index": 3}),
        )
        .await;
        assert_eq!(s, 400, "{name}: {v}");
        let (s, v) = act(
            &leader,
            id,
            json!({"action": "complete_milestone", "index": 0, "note": "考核合格"}),
        )
        .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["contract"]["milestone_overdue"], false);
        let (s, v) = act(&leader, id, json!({"action": "complete"})).await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["contract"]["status"], "completed");
        assert_eq!(v["allowed_actions"], json!([]));
    }
}

#[tokio::test]
async fn scope_holds_and_pages_work() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let leader = w.login("leader").await;
        let now = today(&w);
        let mut c = contract("青石镇保洁合同");
        c["expires_on"] = json!((now + Duration::days(20)).to_string());
        let id = register(&leader, c).await;
        act(&leader, id, json!({"action": "sign"})).await;
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
        assert_eq!(other.get(&format!("/api/v1/contracts/{id}")).await.0, 404);
        assert_eq!(act(&other, id, json!({"action": "complete"})).await.0, 404);
        let (_, l) = other.get("/api/v1/contracts/expiring").await;
        assert_eq!(l.as_array().unwrap().len(), 0, "{name}");
        let (s, _, _) = other.get_bytes(&format!("/decisions/contracts/{id}")).await;
        assert_eq!(s, 404, "{name}");
        // Another township's review item cannot be linked.
        let (_, r) = other
            .post(
                "/api/v1/legal-reviews",
                json!({"kind": "contract", "title": "清溪街道合同", "drafting_unit": "党政办", "materials": "文本"}),
            )
            .await;
        let mut linked = contract("借用他镇审查");
        linked["legal_review_id"] = r["review"]["id"].clone();
        let (s, v) = leader.post("/api/v1/contracts", linked).await;
        assert_eq!(s, 400, "{name}: {v}");
        let district = w.login("district").await;
        let (s, d) = district.get(&format!("/api/v1/contracts/{id}")).await;
        assert_eq!(s, 200, "{name}");
        assert_eq!(d["allowed_actions"], json!([]));
        assert_eq!(
            act(&district, id, json!({"action": "complete"})).await.0,
            403
        );
        // Pages: the register with its reminders, the form (yuan → fen), the contract.
        let (s, _, html) = leader.get_bytes("/decisions/contracts").await;
        assert_eq!(s, 200);
        let html = String::from_utf8(html).unwrap();
        assert!(
            html.contains("到期提醒") && html.contains("青石镇保洁合同"),
            "{name}"
        );
        let form = [
            ("title", "道路维修施工合同"),
            ("counterparty", "某建设公司"),
            ("amount", "12,345.6"),
            ("drafting_unit", "建设环保办"),
        ];
        let (s, _, _) = leader
            .post_form_bytes("/decisions/contracts/new", &form, false)
            .await;
        assert_eq!(s, 403, "{name}: no CSRF token, no write");
        let (s, h, _) = leader
            .post_form_bytes("/decisions/contracts/new", &form, true)
            .await;
        assert_eq!(s, 303);
        let to = h["location"].to_str().unwrap().to_string();
        assert!(
            to.starts_with("/decisions/contracts/") && to.contains("ok="),
            "{to}"
        );
        let new_id: i64 = to
            .trim_start_matches("/decisions/contracts/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let (_, d) = leader.get(&format!("/api/v1/contracts/{new_id}")).await;
        assert_eq!(d["contract"]["amount_fen"], 1_234_560, "{name}");
        let (s, _, html) = leader.get_bytes(&to).await;
        assert_eq!(s, 200);
        let html = String::from_utf8(html).unwrap();
        assert!(
            html.contains("12345.60元") && html.contains("送合法性审查"),
            "{name}"
        );
        let (s, h, _) = leader
            .post_form_bytes(
                "/decisions/contracts/new",
                &[("title", "x"), ("amount", "十万")],
                true,
            )
            .await;
        assert_eq!(s, 303);
        assert!(h["location"].to_str().unwrap().contains("err="), "{name}");
        let (s, h, _) = leader
            .post_form_bytes(
                &format!("/decisions/contracts/{new_id}/act"),
                &[("action", "submit_review")],
                true,
            )
            .await;
        assert_eq!(s, 303);
        assert!(h["location"].to_str().unwrap().contains("ok="), "{name}");
        let (_, d) = leader.get(&format!("/api/v1/contracts/{new_id}")).await;
        assert_eq!(d["review"]["status"], "pending", "{name}");
    }
}

#[tokio::test]
async fn the_demo_year_goes_through_the_rules() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let now = today(&w);
        let n = fazhi_demo::contracts::seed(&w.state.db, now).await.unwrap();
        assert_eq!(n, 8, "{name}");
        let leader = w.login("leader").await;
        let (_, list) = leader.get("/api/v1/contracts").await;
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 8, "{name}");
        let status = |s: &str| list.iter().filter(|c| c["status"] == s).count();
        assert_eq!(status("dropped"), 1, "{name}");
        assert_eq!(status("signed"), 7, "{name}");
        let skipped: Vec<&Value> = list
            .iter()
            .filter(|c| c["skipped_review"] == true)
            .collect();
        assert_eq!(skipped.len(), 1, "{name}");
        assert!(
            list.iter().any(|c| c["milestone_overdue"] == true),
            "{name}"
        );
        let (_, exp) = leader.get("/api/v1/contracts/expiring").await;
        assert!(exp.as_array().unwrap().len() >= 2, "{name}: {exp}");
        // The contracts' 审查率 on the desk: 6 of 7 signed after review.
        let mut needed = 0;
        let mut skipped_items = 0;
        for y in [now.year() - 1, now.year()] {
            let (_, st) = leader
                .get(&format!("/api/v1/legal-reviews/stats?year={y}"))
                .await;
            let k = st["by_kind"]
                .as_array()
                .unwrap()
                .iter()
                .find(|k| k["kind"] == "contract")
                .unwrap()
                .clone();
            needed += k["needed_review"].as_i64().unwrap();
            skipped_items += k["skipped"].as_i64().unwrap();
        }
        assert_eq!((needed, skipped_items), (7, 1), "{name}");
        for c in list {
            let (s, _, html) = leader
                .get_bytes(&format!("/decisions/contracts/{}", c["id"]))
                .await;
            assert_eq!(s, 200, "{name}");
            assert!(String::from_utf8(html).unwrap().contains("履约节点"));
        }
        let (s, _, html) = leader.get_bytes("/decisions/contracts").await;
        assert_eq!(s, 200, "{name}");
        assert!(
            String::from_utf8(html).unwrap().contains("已到期"),
            "{name}"
        );
        // The desk's front page reminds of them.
        let (s, _, html) = leader.get_bytes("/decisions").await;
        assert_eq!(s, 200, "{name}");
        assert!(
            String::from_utf8(html)
                .unwrap()
                .contains("合同30日内到期或已到期"),
            "{name}"
        );
    }
}
