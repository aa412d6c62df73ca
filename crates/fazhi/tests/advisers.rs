//! Legal advisers (法律顾问) through the real router and a real database (SQLite always,
//! PostgreSQL when FAZHI_TEST_POSTGRES_URL is set): the roster with bad input writing
//! nothing, the village coverage (一村一法律顾问) by the contract in force today, review
//! items put to an adviser, the adviser's own narrow account (its items and its work
//! log; no matters, parties, cases or other items), the work log filled from the
//! records where the adviser acted, the yearly assessment, scope and pages.

use crate::common::{World, villages, world};
use fazhi_core::role::Role;
use fazhi_testkit::web::Client;
use serde_json::{Value, json};
use time::{Date, Duration};

const TOWN: &str = "500160101000";
const LICENCE: &str = "15001201510987654";

fn today(w: &World) -> Date {
    w.state.clock.today()
}

fn adviser(lawyer: &str, from: Date, to: Date, villages: &[&str]) -> Value {
    json!({"firm": "重庆清溪律师事务所", "lawyer": lawyer, "licence_no": LICENCE,
        "term_from": from.to_string(), "term_to": to.to_string(),
        "service_scope": "重大行政决策、规范性文件、合同的合法性审查，参与信访和调解",
        "fee_fen": 3_000_000, "serves_township": false, "village_codes": villages})
}

async fn add_account(w: &World, user: &str, role: Role, code: &str) -> i64 {
    let hash = fazhi_web::auth::secrets::hash_password(fazhi_demo::DEMO_PASSWORD.into())
        .await
        .unwrap();
    fazhi_testkit::web::add_user(&w.state.db, user, &hash, role, code).await
}

async fn submit(c: &Client, title: &str) -> i64 {
    let (s, v) = c
        .post(
            "/api/v1/legal-reviews",
            json!({"kind": "contract", "title": title, "drafting_unit": "党政办公室",
                "materials": "合同文本、招标文件"}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    v["review"]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn roster_coverage_the_adviser_account_and_the_work_log() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let leader = w.login("leader").await;
        let center = w.login("center").await;
        let now = today(&w);
        let (own, other) = villages(&w).await;
        let year_start = Date::from_calendar_date(now.year(), time::Month::January, 1).unwrap();
        let year_end = Date::from_calendar_date(now.year(), time::Month::December, 31).unwrap();

        // Bad input writes nothing.
        let mut bad = Vec::new();
        let mut v = adviser("周明", year_start, year_end, &[&own]);
        v["licence_no"] = json!("1234");
        bad.push(v);
        bad.push(adviser("周明", year_end, year_start, &[&own]));
        bad.push(adviser("周明", year_start, year_end, &[]));
        bad.push(adviser("周明", year_start, year_end, &[TOWN]));
        let mut v = adviser("", year_start, year_end, &[&own]);
        v["lawyer"] = json!(" ");
        bad.push(v);
        let mut v = adviser("周明", year_start, year_end, &[&own]);
        v["username"] = json!("grid01");
        bad.push(v);
        // A village of another township.
        bad.push(adviser("周明", year_start, year_end, &["500160001001"]));
        for b in bad {
            let (s, v) = center.post("/api/v1/legal-advisers", b).await;
            assert_eq!(s, 400, "{name}: {v}");
            assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
        }
        let (_, list) = center.get("/api/v1/legal-advisers").await;
        assert_eq!(list.as_array().unwrap().len(), 0, "{name}: nothing written");
        // The reviewer keeps no roster.
        let reviewer = w.login("reviewer").await;
        let (s, _) = reviewer
            .post(
                "/api/v1/legal-advisers",
                adviser("周明", year_start, year_end, &[&own]),
            )
            .await;
        assert_eq!(s, 403, "{name}");

        // The township's adviser with an account, and a village adviser whose term ended.
        let zhou_uid = add_account(&w, "lawyer-zhou", Role::LegalAdviser, TOWN).await;
        let mut v = adviser("周明", year_start, year_end, &[&own]);
        v["serves_township"] = json!(true);
        v["username"] = json!("lawyer-zhou");
        let (s, a) = center.post("/api/v1/legal-advisers", v).await;
        assert_eq!(s, 201, "{name}: {a}");
        let zhou = a["adviser"]["id"].as_i64().unwrap();
        assert_eq!(a["adviser"]["valid_today"], true);
        assert_eq!(a["adviser"]["fee_label"], "30000元");
        let lapsed_to = now - Duration::days(1);
        let (s, b) = center
            .post(
                "/api/v1/legal-advisers",
                adviser(
                    "吴芳",
                    lapsed_to - Duration::days(365),
                    lapsed_to,
                    &[&other],
                ),
            )
            .await;
        assert_eq!(s, 201, "{name}: {b}");
        let wu = b["adviser"]["id"].as_i64().unwrap();
        // One account is one adviser.
        let mut v = adviser("周明", year_start, year_end, &[&own]);
        v["username"] = json!("lawyer-zhou");
        assert_eq!(
            center.post("/api/v1/legal-advisers", v).await.0,
            409,
            "{name}"
        );

        // Coverage by the contract in force today.
        let (s, cov) = leader
            .get(&format!(
                "/api/v1/legal-advisers/coverage?township_code={TOWN}"
            ))
            .await;
        assert_eq!(s, 200, "{name}: {cov}");
        let row = |code: &str| {
            cov.as_array()
                .unwrap()
                .iter()
                .find(|r| r["code"] == code)
                .unwrap()
                .clone()
        };
        assert_eq!(row(&own)["covered"], true, "{cov}");
        assert_eq!(row(&other)["covered"], false, "{cov}");
        assert!(row(&other)["lapsed"][0].as_str().unwrap().contains("吴芳"));

        // Items put to the adviser; a lapsed adviser cannot take one.
        let rid = submit(&leader, "村道养护服务合同").await;
        let unassigned = submit(&leader, "办公楼物业服务合同").await;
        let path = format!("/api/v1/legal-reviews/{rid}/adviser");
        let (s, v) = leader.post(&path, json!({"adviser_id": wu})).await;
        assert_eq!(s, 409, "{name}: {v}");
        assert_eq!(
            reviewer.post(&path, json!({"adviser_id": zhou})).await.0,
            403
        );
        let (s, v) = leader.post(&path, json!({"adviser_id": zhou})).await;
        assert_eq!(s, 200, "{name}: {v}");
        let (_, d) = leader.get(&format!("/api/v1/legal-reviews/{rid}")).await;
        assert!(d["adviser"].as_str().unwrap().contains("周明"), "{d}");

        // The adviser's account: its item and its log, nothing else.
        let lawyer = w.login("lawyer-zhou").await;
        let (s, d) = lawyer.get(&format!("/api/v1/legal-reviews/{rid}")).await;
        assert_eq!(s, 200, "{name}: {d}");
        assert_eq!(d["allowed_actions"], json!(["review"]), "{d}");
        assert_eq!(
            lawyer
                .get(&format!("/api/v1/legal-reviews/{unassigned}"))
                .await
                .0,
            404
        );
        let review =
            json!({"action": "review", "opinion": "amend", "reasons": "违约责任条款须明确"});
        let (s, _) = lawyer
            .post(
                &format!("/api/v1/legal-reviews/{unassigned}/actions"),
                review.clone(),
            )
            .await;
        assert_eq!(s, 404, "{name}");
        let (s, v) = lawyer
            .post(&format!("/api/v1/legal-reviews/{rid}/actions"), review)
            .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["review"]["opinion"], "amend");
        // A matter with a party, registered by the centre: not for the adviser.
        let idn = crate::common::id_number("50010119800101123");
        let (s, m) = center
            .post(
                "/api/v1/matters",
                json!({"kind": "dispute", "channel": "visit", "category": "land_rights",
                    "division_code": own, "summary": "相邻土地边界纠纷，要求调解",
                    "parties": [{"name": "张三", "id_number": idn, "phone": "13812345678"}]}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {m}");
        let mid = m["id"].as_i64().unwrap();
        for path in [
            "/api/v1/matters".to_string(),
            format!("/api/v1/matters/{mid}"),
            "/api/v1/legal-reviews".to_string(),
            "/api/v1/litigation".to_string(),
            "/api/v1/contracts".to_string(),
            "/api/v1/decisions/catalogues".to_string(),
            "/api/v1/enforcement/cases".to_string(),
            "/api/v1/legal-advisers".to_string(),
            format!("/api/v1/legal-advisers/{wu}"),
            "/api/v1/divisions".to_string(),
        ] {
            let (s, v) = lawyer.get(&path).await;
            assert!(s == 403 || s == 404, "{name}: {path} gave {s} {v}");
        }
        let party = m["parties"][0]["id"].as_i64().unwrap_or(1);
        let (s, _) = lawyer
            .post(
                &format!("/api/v1/matters/{mid}/parties/{party}/reveal"),
                json!({"field": "id_number"}),
            )
            .await;
        assert!(s == 403 || s == 404, "{name}: reveal gave {s}");
        let (s, _, _) = lawyer.get_bytes(&format!("/matters/{mid}")).await;
        assert!(s == 403 || s == 404, "{name}: matter page gave {s}");

        // A hearing the adviser attended for the township.
        let (s, lc) = leader
            .post(
                "/api/v1/litigation",
                json!({"kind": "lawsuit", "instance": "first", "claimant": "某建材公司",
                    "body": "清溪区人民法院", "challenged_act": "某拆除决定",
                    "received_on": (now - Duration::days(20)).to_string()}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {lc}");
        let lid = lc["case"]["id"].as_i64().unwrap();
        let held = now - Duration::days(3);
        for body in [
            json!({"action": "schedule_hearing", "on": held.to_string()}),
            json!({"action": "record_attendance", "index": 0, "attendee": "staff",
                "attendee_name": "法律顾问 周明", "excuse": "同日出席区政府常务会议",
                "proof": "区政府会议通知"}),
        ] {
            let (s, v) = leader
                .post(&format!("/api/v1/litigation/{lid}/actions"), body)
                .await;
            assert_eq!(s, 200, "{name}: {v}");
        }
        // Work logged by hand; a day in the future is refused and writes nothing.
        let log = |on: Date| json!({"on": on.to_string(), "kind": "mediation", "subject": "参与某村土地纠纷调解"});
        let path = format!("/api/v1/legal-advisers/{zhou}/logs");
        let (s, v) = center.post(&path, log(now + Duration::days(1))).await;
        assert_eq!(s, 400, "{name}: {v}");
        let (s, v) = center.post(&path, log(now)).await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(
            lawyer.post(&path, log(now)).await.0,
            403,
            "{name}: read only"
        );

        let (s, me) = lawyer.get("/api/v1/legal-advisers/me").await;
        assert_eq!(s, 200, "{name}: {me}");
        let kinds: Vec<&str> = me["work"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds.len(), 3, "{name}: {me}");
        for k in ["contract_review", "hearing", "logged"] {
            assert!(kinds.contains(&k), "{name}: {k} in {kinds:?}");
        }
        assert_eq!(me["assigned"][0]["id"], rid);
        // The leader sees the same log; another adviser's log stays empty.
        let (_, d) = leader.get(&format!("/api/v1/legal-advisers/{zhou}")).await;
        assert_eq!(d["work"], me["work"]);
        let (_, d) = leader.get(&format!("/api/v1/legal-advisers/{wu}")).await;
        assert_eq!(d["work"].as_array().unwrap().len(), 0, "{name}: {d}");

        // The yearly assessment by the township leader.
        let path = format!("/api/v1/legal-advisers/{zhou}/assessments");
        let year = now.year();
        let rate = |r: &str, note: &str| json!({"year": year, "rating": r, "note": note});
        assert_eq!(center.post(&path, rate("excellent", "")).await.0, 403);
        let (s, v) = leader.post(&path, rate("incompetent", "")).await;
        assert_eq!(s, 400, "{name}: a low rating needs a note: {v}");
        let (s, v) = leader.post(&path, rate("excellent", "")).await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["assessments"][0]["rating_label"], "优秀");
        assert_eq!(leader.post(&path, rate("competent", "")).await.0, 409);

        // Update with a stale version writes nothing.
        let mut v = adviser("周明", year_start, year_end, &[&own, &other]);
        v["username"] = json!("lawyer-zhou");
        v["version"] = json!(99);
        let url = format!("/api/v1/legal-advisers/{zhou}");
        assert_eq!(center.send_json("PUT", &url, v.clone(), true).await.0, 409);
        v["version"] = json!(1);
        let (s, d) = center.send_json("PUT", &url, v, true).await;
        assert_eq!(s, 200, "{name}: {d}");
        assert_eq!(d["adviser"]["villages"].as_array().unwrap().len(), 2);
        let (_, cov) = leader
            .get(&format!(
                "/api/v1/legal-advisers/coverage?township_code={TOWN}"
            ))
            .await;
        let covered = cov
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == other.as_str())
            .unwrap();
        assert_eq!(covered["covered"], true, "{name}: {cov}");

        // Every write is audited.
        let audit = fazhi_db::audit::recent(&w.state.db, None, 1000)
            .await
            .unwrap();
        let on = |a: &str| audit.iter().filter(|r| r.action == a).count();
        assert_eq!(on("legal_adviser.create"), 2, "{name}");
        assert_eq!(on("legal_adviser.update"), 1, "{name}");
        assert_eq!(on("legal_adviser.log"), 1, "{name}");
        assert_eq!(on("legal_adviser.assess"), 1, "{name}");
        assert_eq!(on("legal_review.assign_adviser"), 1, "{name}");
        assert!(
            audit
                .iter()
                .any(|r| r.action == "legal_review.review" && r.actor_id == Some(zhou_uid)),
            "{name}: the adviser's opinion is audited as theirs"
        );

        // Pages.
        let (s, _, body) = leader.get_bytes("/decisions/advisers").await;
        assert_eq!(s, 200);
        let html = String::from_utf8(body).unwrap();
        assert!(
            html.contains("一村一法律顾问") && html.contains("周明"),
            "{name}"
        );
        let (s, _, body) = lawyer.get_bytes("/decisions/advisers/me").await;
        assert_eq!(s, 200);
        let html = String::from_utf8(body).unwrap();
        assert!(
            html.contains("村道养护服务合同") && html.contains("我的履职"),
            "{name}"
        );
        let (s, _, _) = lawyer.get_bytes(&format!("/decisions/reviews/{rid}")).await;
        assert_eq!(s, 200, "{name}");
        let (s, _, body) = lawyer.get_bytes("/").await;
        assert_eq!(s, 200, "{name}: the home page");
        assert!(
            String::from_utf8(body)
                .unwrap()
                .contains("/decisions/advisers/me")
        );
        let (s, _, _) = lawyer.get_bytes("/decisions/advisers").await;
        assert_eq!(s, 403, "{name}");
        let (s, _, _) = lawyer.get_bytes("/decisions/reviews").await;
        assert_eq!(s, 403, "{name}");
        let (s, _, body) = leader
            .get_bytes(&format!("/decisions/reviews/{unassigned}"))
            .await;
        assert_eq!(s, 200);
        assert!(
            String::from_utf8(body).unwrap().contains("交法律顾问审查"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn another_township_sees_nothing() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let center = w.login("center").await;
        let leader = w.login("leader").await;
        let now = today(&w);
        let (own, _) = villages(&w).await;
        let (s, a) = center
            .post(
                "/api/v1/legal-advisers",
                adviser(
                    "周明",
                    now - Duration::days(30),
                    now + Duration::days(300),
                    &[&own],
                ),
            )
            .await;
        assert_eq!(s, 201, "{name}: {a}");
        let id = a["adviser"]["id"].as_i64().unwrap();
        let rid = submit(&leader, "村道养护服务合同").await;
        add_account(&w, "other-leader", Role::TownshipLeader, "500160001000").await;
        let other = w.login("other-leader").await;
        assert_eq!(
            other.get(&format!("/api/v1/legal-advisers/{id}")).await.0,
            404
        );
        let (_, list) = other.get("/api/v1/legal-advisers").await;
        assert_eq!(list.as_array().unwrap().len(), 0, "{name}");
        let (s, _) = other
            .post(
                &format!("/api/v1/legal-advisers/{id}/assessments"),
                json!({"year": now.year(), "rating": "excellent"}),
            )
            .await;
        assert_eq!(s, 404, "{name}");
        let (s, _) = other
            .post(
                &format!("/api/v1/legal-reviews/{rid}/adviser"),
                json!({"adviser_id": id}),
            )
            .await;
        assert_eq!(s, 404, "{name}");
        // An adviser's account of another township does not reach this one's items.
        add_account(&w, "lawyer-other", Role::LegalAdviser, "500160001000").await;
        let lawyer = w.login("lawyer-other").await;
        assert_eq!(
            lawyer.get(&format!("/api/v1/legal-reviews/{rid}")).await.0,
            404
        );
        assert_eq!(lawyer.get("/api/v1/legal-advisers/me").await.0, 404);
    }
}

#[tokio::test]
async fn the_demo_advisers_cover_all_villages_but_one() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let now = today(&w);
        fazhi_demo::decisions::seed(&w.state.db, now).await.unwrap();
        let n = fazhi_demo::advisers::seed(&w.state.db, now).await.unwrap();
        assert!(n > 5, "{name}: {n}");
        let district = w.login("district").await;
        let (_, cov) = district.get("/api/v1/legal-advisers/coverage").await;
        let gaps: Vec<&Value> = cov
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["covered"] == false)
            .collect();
        assert_eq!(gaps.len(), 1, "{name}: {gaps:?}");
        assert_eq!(gaps[0]["lapsed"].as_array().unwrap().len(), 1, "{name}");
        let (_, roster) = district.get("/api/v1/legal-advisers").await;
        assert_eq!(roster.as_array().unwrap().len(), n, "{name}");
        // The adviser's account: the items put to it, its opinion in the log.
        let lawyer = w.login("lawyer").await;
        let (s, me) = lawyer.get("/api/v1/legal-advisers/me").await;
        assert_eq!(s, 200, "{name}: {me}");
        assert!(
            !me["assigned"].as_array().unwrap().is_empty(),
            "{name}: {me}"
        );
        let work = me["work"].as_array().unwrap();
        assert_eq!(work.len(), 5, "{name}: {me}");
        assert_eq!(
            work.iter()
                .filter(|e| e["kind"] == "review_opinion")
                .count(),
            1,
            "{name}"
        );
        assert_eq!(me["assessments"][0]["rating_label"], "称职");
        // The figures count the same records.
        let (s, st) = district.get("/api/v1/legal-advisers/stats").await;
        assert_eq!(s, 200, "{name}: {st}");
        assert_eq!(st["advisers"], n);
        assert_eq!(
            st["villages_covered"].as_i64().unwrap() + 1,
            st["villages"].as_i64().unwrap(),
            "{st}"
        );
        let count = |code: &str| {
            st["work"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["code"] == code)
                .unwrap()["count"]
                .as_i64()
                .unwrap()
        };
        let this_year = |k: &str| {
            work.iter()
                .filter(|e| {
                    e["on"]
                        .as_str()
                        .unwrap()
                        .starts_with(&now.year().to_string())
                })
                .filter(|e| e["kind"] == k || e["log_kind"] == k)
                .count() as i64
        };
        for k in [
            "review_opinion",
            "consultation",
            "mediation",
            "petition",
            "other",
        ] {
            assert_eq!(count(k), this_year(k), "{name}: {k} {st}");
        }
        assert_eq!(count("review_opinion"), 1, "{name}");
        let (s, _) = district.get("/api/v1/legal-advisers/stats?year=1999").await;
        assert_eq!(s, 400);
        let id = me["assigned"][0]["id"].as_i64().unwrap();
        assert_eq!(
            lawyer.get(&format!("/api/v1/legal-reviews/{id}")).await.0,
            200
        );
    }
}

#[tokio::test]
async fn the_forms_go_through_the_same_rules() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let center = w.login("center").await;
        let leader = w.login("leader").await;
        let now = today(&w);
        let (own, _) = villages(&w).await;
        let (from, to) = (now.to_string(), (now + Duration::days(365)).to_string());
        let form = |licence: &'static str| {
            vec![
                ("firm", "重庆清溪律师事务所"),
                ("lawyer", "周明"),
                ("licence_no", licence),
                ("term_from", from.as_str()),
                ("term_to", to.as_str()),
                ("service_scope", "村务法律咨询"),
                ("fee", "12000.50"),
                ("village_codes", own.as_str()),
            ]
        };
        // Without the CSRF token nothing is written; a bad licence comes back with its message.
        let (s, _, _) = center
            .post_form_bytes("/decisions/advisers/new", &form(LICENCE), false)
            .await;
        assert!(s == 403 || s == 400, "{name}: {s}");
        let (s, h, _) = center
            .post_form_bytes("/decisions/advisers/new", &form("123"), true)
            .await;
        assert_eq!(s, 303, "{name}");
        let back = h["location"].to_str().unwrap();
        assert!(back.starts_with("/decisions/advisers/new?err="), "{back}");
        let (_, list) = center.get("/api/v1/legal-advisers").await;
        assert_eq!(list.as_array().unwrap().len(), 0, "{name}");
        let (s, h, _) = center
            .post_form_bytes("/decisions/advisers/new", &form(LICENCE), true)
            .await;
        assert_eq!(s, 303, "{name}");
        let page = h["location"]
            .to_str()
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let (_, list) = center.get("/api/v1/legal-advisers").await;
        assert_eq!(list[0]["fee_fen"], 1_200_050, "{name}: {list}");
        let id = list[0]["id"].as_i64().unwrap();
        assert_eq!(page, format!("/decisions/advisers/{id}"));
        // The edit form: prefilled, and a stale version writes nothing.
        let (s, _, body) = center.get_bytes(&page).await;
        assert_eq!(s, 200);
        let html = String::from_utf8(body).unwrap();
        assert!(
            html.contains("修改顾问信息") && html.contains("12000.5"),
            "{name}"
        );
        let mut edit = form(LICENCE);
        edit.push(("version", "7"));
        let (s, h, _) = center
            .post_form_bytes(&format!("{page}/edit"), &edit, true)
            .await;
        assert_eq!(s, 303);
        assert!(h["location"].to_str().unwrap().contains("err="), "{name}");
        edit.pop();
        edit.push(("version", "1"));
        edit.push(("serves_township", "1"));
        let (s, h, _) = center
            .post_form_bytes(&format!("{page}/edit"), &edit, true)
            .await;
        assert_eq!(s, 303);
        assert!(h["location"].to_str().unwrap().contains("ok="), "{name}");
        let (_, d) = center.get(&format!("/api/v1/legal-advisers/{id}")).await;
        assert_eq!(d["adviser"]["serves_township"], true, "{name}");
        assert_eq!(d["adviser"]["version"], 2);
        // Logging work and the leader's assessment through the pages.
        let day = now.to_string();
        let (s, h, _) = center
            .post_form_bytes(
                &format!("{page}/log"),
                &[
                    ("on", day.as_str()),
                    ("kind", "consultation"),
                    ("subject", "村务公开咨询"),
                ],
                true,
            )
            .await;
        assert_eq!(s, 303);
        assert!(h["location"].to_str().unwrap().contains("ok="), "{name}");
        let year = now.year().to_string();
        let (s, h, _) = leader
            .post_form_bytes(
                &format!("{page}/assess"),
                &[("year", year.as_str()), ("rating", "basically_competent")],
                true,
            )
            .await;
        assert_eq!(s, 303);
        assert!(
            h["location"].to_str().unwrap().contains("err="),
            "{name}: a note is needed"
        );
        let (s, h, _) = leader
            .post_form_bytes(
                &format!("{page}/assess"),
                &[
                    ("year", year.as_str()),
                    ("rating", "basically_competent"),
                    ("note", "答复偶有迟延"),
                ],
                true,
            )
            .await;
        assert_eq!(s, 303);
        assert!(h["location"].to_str().unwrap().contains("ok="), "{name}");
        let (_, d) = center.get(&format!("/api/v1/legal-advisers/{id}")).await;
        assert_eq!(d["work"].as_array().unwrap().len(), 1, "{name}");
        assert_eq!(d["assessments"][0]["rating"], "basically_competent");
        // The centre does not assess.
        let (s, _, _) = center
            .post_form_bytes(
                &format!("{page}/assess"),
                &[("year", year.as_str()), ("rating", "excellent")],
                true,
            )
            .await;
        assert_eq!(s, 403, "{name}");
    }
}

/// Every figure's drill-down lists exactly what it counts.
async fn drill_downs_match(c: &Client, figures: &Value, name: &str) {
    for f in figures.as_array().unwrap() {
        let (s, list) = c.get(f["api"].as_str().unwrap()).await;
        assert_eq!(s, 200, "{name}: {f} {list}");
        assert_eq!(
            list.as_array().unwrap().len() as i64,
            f["count"].as_i64().unwrap(),
            "{name}: {f} lists {list}"
        );
    }
}

#[tokio::test]
async fn advisers_are_picked_from_the_roster_and_counted_per_adviser() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let leader = w.login("leader").await;
        let center = w.login("center").await;
        let reviewer = w.login("reviewer").await;
        let now = today(&w);
        let (own, _) = villages(&w).await;
        // 青石镇's own adviser, in force long enough for the demo's discussion day.
        let mut v = adviser(
            "周明",
            now - Duration::days(400),
            now + Duration::days(300),
            &[&own],
        );
        v["serves_township"] = json!(true);
        let (s, a) = center.post("/api/v1/legal-advisers", v).await;
        assert_eq!(s, 201, "{name}: {a}");
        let zhou = a["adviser"]["id"].as_i64().unwrap();
        // Another township's adviser.
        add_account(&w, "other-center", Role::CenterStaff, "500160001000").await;
        add_account(&w, "other-leader", Role::TownshipLeader, "500160001000").await;
        let other_center = w.login("other-center").await;
        let (s, b) = other_center
            .post(
                "/api/v1/legal-advisers",
                adviser(
                    "吴芳",
                    now - Duration::days(30),
                    now + Duration::days(300),
                    &["500160001001"],
                ),
            )
            .await;
        assert_eq!(s, 201, "{name}: {b}");
        let wu = b["adviser"]["id"].as_i64().unwrap();

        // An opinion given by the adviser, recorded by the reviewer: the form offers
        // 青石镇's roster; another township's adviser is refused and nothing is written.
        let rid = submit(&leader, "集镇保洁服务合同").await;
        let (_, d) = reviewer.get(&format!("/api/v1/legal-reviews/{rid}")).await;
        let choices: Vec<i64> = d["adviser_choices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        assert_eq!(choices, vec![zhou], "{name}: {d}");
        let review = |adviser_id: i64| json!({"action": "review", "opinion": "lawful", "adviser_id": adviser_id});
        let url = format!("/api/v1/legal-reviews/{rid}/actions");
        let (s, v) = reviewer.post(&url, review(wu)).await;
        assert_eq!(s, 400, "{name}: {v}");
        assert!(v["fields"]["adviser_id"].is_string(), "{name}: {v}");
        let (_, d) = reviewer.get(&format!("/api/v1/legal-reviews/{rid}")).await;
        assert_eq!(d["review"]["status"], "pending", "{name}: nothing written");
        let (s, d) = reviewer.post(&url, review(zhou)).await;
        assert_eq!(s, 200, "{name}: {d}");
        assert!(
            d["opinion_adviser"].as_str().unwrap().contains("周明"),
            "{name}: {d}"
        );

        // A hearing the adviser attended, picked from the roster: the attendee's name
        // does not need to name the lawyer any more.
        let (s, lc) = leader
            .post(
                "/api/v1/litigation",
                json!({"kind": "lawsuit", "instance": "first", "claimant": "某运输公司",
                    "body": "清溪区人民法院", "challenged_act": "某责令停业决定",
                    "received_on": (now - Duration::days(20)).to_string()}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {lc}");
        let lid = lc["case"]["id"].as_i64().unwrap();
        let lurl = format!("/api/v1/litigation/{lid}/actions");
        let held = now;
        let (s, v) = leader
            .post(
                &lurl,
                json!({"action": "schedule_hearing", "on": held.to_string()}),
            )
            .await;
        assert_eq!(s, 200, "{name}: {v}");
        let attend = |ids: Vec<i64>| {
            json!({"action": "record_attendance", "index": 0, "attendee": "staff",
                "attendee_name": "司法所 王某", "excuse": "同日出席区政府常务会议",
                "proof": "区政府会议通知", "adviser_ids": ids})
        };
        let (s, v) = leader.post(&lurl, attend(vec![wu])).await;
        assert_eq!(s, 400, "{name}: {v}");
        let (_, c) = leader.get(&format!("/api/v1/litigation/{lid}")).await;
        assert!(c["hearings"][0]["attendee"].is_null(), "{name}: {c}");
        let (s, c) = leader.post(&lurl, attend(vec![zhou])).await;
        assert_eq!(s, 200, "{name}: {c}");
        assert!(
            c["hearings"][0]["advisers"][0]
                .as_str()
                .unwrap()
                .contains("周明"),
            "{name}: {c}"
        );

        // The collective discussion: the demo catalogue's discussion picks 青石镇's
        // adviser from the roster; naming another township's adviser is refused.
        assert_eq!(fazhi_demo::major::seed(&w.state.db, now).await.unwrap(), 4);
        let (_, cats) = leader.get("/api/v1/decisions/catalogues").await;
        let open = cats[0]["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["status"] == "in_review")
            .unwrap()["id"]
            .clone();
        let (s, v) = leader
            .post(
                &format!("/api/v1/decisions/{open}/actions"),
                json!({"action": "discuss", "on": now.to_string(), "attendees": "镇长等7人",
                    "majority_view": "同意", "head_decision": "通过", "adviser_ids": [wu]}),
            )
            .await;
        assert_eq!(s, 400, "{name}: {v}");
        let (_, d) = leader.get(&format!("/api/v1/decisions/{open}")).await;
        assert_eq!(d["decision"]["status"], "in_review", "{name}");

        // The work log from the links: the opinion, the hearing and the discussion.
        let (_, d) = leader.get(&format!("/api/v1/legal-advisers/{zhou}")).await;
        let kinds: Vec<&str> = d["work"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        for k in ["contract_review", "hearing", "decision_meeting"] {
            assert!(kinds.contains(&k), "{name}: {k} in {kinds:?}");
        }
        let (_, d) = other_center
            .get(&format!("/api/v1/legal-advisers/{wu}"))
            .await;
        assert_eq!(d["work"].as_array().unwrap().len(), 0, "{name}: {d}");

        // The figures per adviser and in total, each listing exactly what it counts.
        let year = now.year();
        let (s, st) = leader
            .get(&format!("/api/v1/decisions/stats?year={year}"))
            .await;
        assert_eq!(s, 200, "{name}: {st}");
        let adv = &st["advisers"];
        let rows = adv["per_adviser"].as_array().unwrap();
        assert_eq!(rows.len(), 1, "{name}: only 青石镇's roster: {adv}");
        let mine = &rows[0];
        assert_eq!(mine["adviser_id"], zhou);
        let count = |row: &Value, code: &str| {
            row["figures"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["code"] == code)
                .unwrap()["count"]
                .as_i64()
                .unwrap()
        };
        assert_eq!(count(mine, "contract_review"), 1, "{name}: {mine}");
        assert_eq!(count(mine, "hearing"), 1, "{name}: {mine}");
        drill_downs_match(&leader, &mine["figures"], name).await;
        drill_downs_match(&leader, &adv["work"], name).await;
        let (_, all) = leader
            .get(&format!("/api/v1/legal-advisers/work?year={year}"))
            .await;
        assert_eq!(all.as_array().unwrap().len() as i64, adv["total_work"]);
        let (_, hearing) = leader
            .get(&format!(
                "/api/v1/legal-advisers/work?year={year}&kind=hearing&adviser_id={zhou}"
            ))
            .await;
        assert_eq!(hearing[0]["href"], format!("/decisions/litigation/{lid}"));
        let (s, _) = leader
            .get("/api/v1/legal-advisers/work?kind=nonsense")
            .await;
        assert_eq!(s, 400, "{name}");
        // The other sections of the one statistics answer are there too.
        for k in ["reviews", "major", "normative", "contracts", "litigation"] {
            assert!(st[k].is_object(), "{name}: {k}");
        }

        // Another township sees neither the adviser's work nor its figures.
        let other = w.login("other-leader").await;
        let (s, _) = other
            .get(&format!("/api/v1/legal-advisers/work?adviser_id={zhou}"))
            .await;
        assert_eq!(s, 404, "{name}");
        let (_, st) = other
            .get(&format!("/api/v1/decisions/stats?year={year}"))
            .await;
        let ids: Vec<i64> = st["advisers"]["per_adviser"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["adviser_id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, vec![wu], "{name}: {st}");

        // The pages.
        for (page, text) in [
            ("/decisions/stats".to_string(), "法律顾问履职"),
            (
                format!("/decisions/advisers/work?year={year}&kind=hearing&adviser_id={zhou}"),
                "某责令停业决定",
            ),
            (format!("/decisions/reviews/{rid}"), "出具意见的法律顾问"),
            (format!("/decisions/litigation/{lid}"), "法律顾问出庭"),
        ] {
            let (s, _, body) = leader.get_bytes(&page).await;
            let html = String::from_utf8(body).unwrap();
            assert_eq!(s, 200, "{name}: {page}");
            assert!(html.contains(text), "{name}: {page} lacks {text}");
        }
    }
}
