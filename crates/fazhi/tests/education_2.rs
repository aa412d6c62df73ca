//! The duties beside publicity (issue 17) through the real router and a real database
//! (SQLite always, PostgreSQL when FAZHI_TEST_POSTGRES_URL is set), on the demo
//! organisation: 述法 statements and their rating, the village table, the 普法 plan's
//! progress, enterprise visits and emergency plans with drills — scoping, validation
//! with nothing written, versions, and the figures they add.

use crate::common::{World, unit_of, villages, world};
use fazhi_testkit::web::Client;
use serde_json::{Value, json};
use time::Duration;

const QINGSHI: &str = "500160101000";

async fn len(c: &Client, path: &str) -> usize {
    let (s, v) = c.get(path).await;
    assert_eq!(s, 200, "{path}: {v}");
    v.as_array().unwrap().len()
}

async fn put(c: &Client, path: &str, body: Value) -> (u16, Value) {
    let (s, v) = c.send_json("PUT", path, body, true).await;
    (s.as_u16(), v)
}

/// A figure of the education statistics of 青石镇 this year.
async fn figure(c: &Client, w: &World, key: &str) -> Option<f64> {
    let year = w.state.clock.today().year();
    let (s, st) = c
        .get(&format!(
            "/api/v1/stats/education?division={QINGSHI}&year={year}"
        ))
        .await;
    assert_eq!(s, 200, "{st}");
    st["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("figure {key}"))["value"]
        .as_f64()
}

/// A township leader of 清溪街道, outside 青石镇.
async fn outsider(w: &World) -> Client {
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
    w.login("other-leader").await
}

async fn audited(w: &World, action: &str, target: &str) -> bool {
    fazhi_db::audit::recent(&w.state.db, None, 50)
        .await
        .unwrap()
        .iter()
        .any(|a| a.action == action && a.target == target)
}

#[tokio::test]
async fn statements_are_one_per_head_and_year_scoped_and_rated_by_the_district() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let center = w.login("center").await;
        let year = w.state.clock.today().year();
        let today = w.state.clock.today().to_string();

        let (s, heads) = center.get("/api/v1/education/statements/heads").await;
        assert_eq!(s, 200, "{name}: {heads}");
        let leader = heads
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["name"] == "青石镇镇长 王强")
            .unwrap()["user_id"]
            .as_i64()
            .unwrap();

        // Every problem at once, in Chinese, and nothing written.
        let (s, e) = center
            .post(
                "/api/v1/education/statements",
                json!({"year": 1999, "post": "king", "text": "  "}),
            )
            .await;
        assert_eq!(s, 400, "{name}: {e}");
        for f in [
            "year",
            "post",
            "occasion",
            "text",
            "user_id",
            "delivered_on",
        ] {
            assert!(e["fields"][f].is_string(), "{name}: {f} in {e}");
        }
        assert_eq!(len(&center, "/api/v1/education/statements").await, 0);
        // A head who is no account of the township is refused on the field.
        let (s, e) = center
            .post(
                "/api/v1/education/statements",
                json!({"year": year, "user_id": 999_999, "post": "government_head",
                    "occasion": "year_end", "delivered_on": today, "text": "述法内容"}),
            )
            .await;
        assert_eq!(s, 400, "{name}");
        assert!(e["fields"]["user_id"].is_string(), "{name}: {e}");

        let body = json!({"year": year, "user_id": leader, "post": "government_head",
            "occasion": "year_end", "delivered_on": today,
            "text": "一、履行推进法治建设第一责任人职责情况……"});
        let (s, st) = center
            .post("/api/v1/education/statements", body.clone())
            .await;
        assert_eq!(s, 201, "{name}: {st}");
        assert_eq!(st["post_label"], "镇长（乡长、街道办事处主任）", "{name}");
        assert_eq!(st["head_name"], "青石镇镇长 王强", "{name}");
        assert!(
            st["title"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{year}年度"))
        );
        let id = st["id"].as_i64().unwrap();
        let path = format!("/api/v1/education/statements/{id}");
        // A second statement of the same head and year is an update, not a new one.
        let (s, e) = center
            .post("/api/v1/education/statements", body.clone())
            .await;
        assert_eq!((s.as_u16(), e["code"].as_str()), (409, Some("conflict")));
        assert!(e["message"].as_str().unwrap().contains("请在原记录上修改"));
        assert_eq!(len(&center, "/api/v1/education/statements").await, 1);

        // Out of scope is 404: a village account, another township's leader.
        let village = w.login("village01").await;
        assert_eq!(village.get(&path).await.0, 404, "{name}");
        let other = outsider(&w).await;
        assert_eq!(other.get(&path).await.0, 404, "{name}");
        let mut change = body.clone();
        change["text"] = json!("修改后的述法内容");
        change["version"] = json!(1);
        assert_eq!(put(&other, &path, change.clone()).await.0, 404, "{name}");
        assert_eq!(len(&other, "/api/v1/education/statements").await, 0);

        // Versions: the change at version 1 passes once.
        let (s, st) = put(&center, &path, change.clone()).await;
        assert_eq!((s, st["version"].as_i64()), (200, Some(2)), "{name}: {st}");
        assert_eq!(st["text"], "修改后的述法内容", "{name}");
        let (s, e) = put(&center, &path, change.clone()).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("stale_version")));

        // The district rates; the township may not, the district does not edit.
        let rate = json!({"rating": "good", "note": "履职较好", "version": 2});
        let (s, _) = center.post(&format!("{path}/rating"), rate.clone()).await;
        assert_eq!(s, 403, "{name}");
        let district = w.login("district").await;
        let (s, e) = district
            .post(
                &format!("{path}/rating"),
                json!({"rating": "best", "version": 2}),
            )
            .await;
        assert_eq!(s, 400, "{name}: {e}");
        assert!(e["fields"]["rating"].is_string(), "{name}");
        let (s, st) = district.post(&format!("{path}/rating"), rate.clone()).await;
        assert_eq!(s, 200, "{name}: {st}");
        assert_eq!(
            (
                st["rating_label"].as_str(),
                st["can_rate"].as_bool(),
                st["can_edit"].as_bool()
            ),
            (Some("较好"), Some(true), Some(false)),
            "{name}"
        );
        let (s, e) = district.post(&format!("{path}/rating"), rate).await;
        assert_eq!(
            (s.as_u16(), e["code"].as_str()),
            (409, Some("stale_version"))
        );
        change["version"] = json!(3);
        assert_eq!(put(&district, &path, change.clone()).await.0, 403, "{name}");
        // The head leaves: the statement stays theirs and can still be corrected.
        fazhi_db::auth::users::update(
            &w.state.db,
            &fazhi_db::audit::Actor::system("test"),
            leader,
            &fazhi_db::auth::users::UserChanges {
                display_name: None,
                phone: None,
                disabled: Some(true),
                grid_id: None,
                unit_id: None,
            },
        )
        .await
        .unwrap();
        change["text"] = json!("修改后的述法内容");
        let (s, st) = put(&center, &path, change).await;
        assert_eq!(
            (s, st["user_id"].as_i64()),
            (200, Some(leader)),
            "{name}: {st}"
        );
        let (s, e) = center
            .post("/api/v1/education/statements", body.clone())
            .await;
        assert_eq!(s, 400, "{name}: a new one needs an account in use");
        assert!(e["fields"]["user_id"].is_string(), "{name}: {e}");

        // What the annual report cites, and the figure.
        let township = fazhi_db::admin::divisions::by_code(&w.state.db, QINGSHI)
            .await
            .unwrap();
        let rows = fazhi_db::education::statements::for_year(&w.state.db, township.id, year)
            .await
            .unwrap();
        assert_eq!(rows.len(), 1, "{name}");
        assert_eq!(rows[0].user_id, leader, "{name}");
        assert_eq!(rows[0].body, "修改后的述法内容", "{name}");
        assert!(
            fazhi_db::education::statements::for_year(&w.state.db, township.id, year - 1)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(figure(&center, &w, "statements").await, Some(1.0), "{name}");
        let target = format!("law_statement:{id}");
        for action in [
            "education.statement.create",
            "education.statement.update",
            "education.statement.rate",
        ] {
            assert!(audited(&w, action, &target).await, "{name}: {action}");
        }
    }
}

#[tokio::test]
async fn the_village_table_counts_coverage_from_the_roster_and_keeps_versions() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, other) = villages(&w).await;
        let village = w.login("village01").await;
        let center = w.login("center").await;
        for (i, code) in [&own, &own, &own, &other].into_iter().enumerate() {
            let (s, r) = center
                .post(
                    "/api/v1/education/roster",
                    json!({"role": "legal_literate", "name": format!("明白人{i}"), "division_code": code}),
                )
                .await;
            assert_eq!(s, 201, "{name}: {r}");
        }
        let (s, table) = center
            .get(&format!("/api/v1/education/villages?division={QINGSHI}"))
            .await;
        assert_eq!(s, 200, "{name}: {table}");
        let row = |t: &Value, code: &str| {
            t["villages"]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["code"] == code)
                .unwrap()
                .clone()
        };
        assert_eq!(table["villages"].as_array().unwrap().len(), 16, "{name}");
        assert_eq!(
            (
                row(&table, &own)["legal_literate"].as_i64(),
                row(&table, &own)["legal_literate_short_by"].as_i64()
            ),
            (Some(3), Some(0)),
            "{name}"
        );
        assert_eq!(row(&table, &other)["legal_literate_short_by"], 2, "{name}");
        assert_eq!(table["townships"][0]["legal_literate_covered"], 1, "{name}");
        assert!(row(&table, &own)["version"].is_null(), "{name}");

        // Refused input writes nothing.
        let path = format!("/api/v1/education/villages/{own}");
        let (s, e) = put(
            &village,
            &path,
            json!({"model_level": "county", "rules_reviewed_on": "2026-01-05", "adviser_firm": "某律师事务所"}),
        )
        .await;
        assert_eq!(s, 400, "{name}: {e}");
        for f in ["model_year", "rules_reviewed_by", "adviser_name"] {
            assert!(e["fields"][f].is_string(), "{name}: {f} in {e}");
        }
        let (_, v) = village.get(&path).await;
        assert!(v["version"].is_null(), "{name}: {v}");

        // The village keeps its own row under versions.
        let body = json!({"model_level": "provincial", "model_year": 2021,
            "rules_reviewed_on": "2026-01-05", "rules_reviewed_by": "镇司法所",
            "adviser_name": "林晓", "adviser_firm": "清溪律师事务所"});
        let (s, v) = put(&village, &path, body.clone()).await;
        assert_eq!((s, v["version"].as_i64()), (200, Some(1)), "{name}: {v}");
        assert_eq!(v["model_level_label"], "省级", "{name}");
        let (s, e) = put(&village, &path, body.clone()).await;
        assert_eq!(s, 400, "{name}");
        assert!(e["fields"]["version"].is_string(), "{name}: {e}");
        let mut next = body.clone();
        next["version"] = json!(1);
        next["adviser_firm"] = json!("");
        let (s, v) = put(&village, &path, next.clone()).await;
        assert_eq!((s, v["version"].as_i64()), (200, Some(2)), "{name}: {v}");
        assert!(v["adviser_firm"].is_null(), "{name}");
        let (s, e) = put(&village, &path, next).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("stale_version")));
        assert!(
            audited(
                &w,
                "education.village.save",
                &format!(
                    "division:{}",
                    fazhi_db::admin::divisions::by_code(&w.state.db, &own)
                        .await
                        .unwrap()
                        .id
                )
            )
            .await
        );

        // Another village is out of the village account's scope.
        let elsewhere = format!("/api/v1/education/villages/{other}");
        assert_eq!(village.get(&elsewhere).await.0, 404, "{name}");
        assert_eq!(
            put(&village, &elsewhere, body.clone()).await.0,
            404,
            "{name}"
        );
        // A township code is no village.
        assert_eq!(
            center
                .get(&format!("/api/v1/education/villages/{QINGSHI}"))
                .await
                .0,
            404
        );

        // The district compares its townships and does not edit.
        let district = w.login("district").await;
        let (s, all) = district.get("/api/v1/education/villages").await;
        assert_eq!(s, 200, "{name}");
        assert_eq!(all["townships"].as_array().unwrap().len(), 3, "{name}");
        let qs = all["townships"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["code"] == QINGSHI)
            .unwrap();
        assert_eq!(
            (
                qs["model_villages"].as_i64(),
                qs["with_adviser"].as_i64(),
                qs["rules_reviewed"].as_i64()
            ),
            (Some(1), Some(1), Some(1)),
            "{name}"
        );
        assert_eq!(row(&all, &own)["can_edit"], false, "{name}");
        let mut d = body;
        d["version"] = json!(2);
        assert_eq!(put(&district, &path, d).await.0, 403, "{name}");

        // The same table as a workbook for the district.
        let (s, h, book) = district.get_bytes("/api/v1/education/villages.xlsx").await;
        assert_eq!(s, 200, "{name}");
        assert!(
            h["content-disposition"]
                .to_str()
                .unwrap()
                .contains("filename*=UTF-8''")
        );
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(book)).unwrap();
        assert_eq!(wb.sheet_names(), ["镇街对比", "村（社区）"], "{name}");
        let towns = wb.worksheet_range("镇街对比").unwrap();
        assert_eq!(
            towns.height(),
            2 + 3,
            "{name}: title, header, three townships"
        );
        let rows = wb.worksheet_range("村（社区）").unwrap();
        assert_eq!(rows.height(), 2 + 47, "{name}");
        let mine = rows
            .rows()
            .find(|r| r[1].to_string() == own)
            .expect("the village's row");
        assert_eq!(
            (
                mine[3].to_string(),
                mine[7].to_string(),
                mine[9].to_string()
            ),
            ("省级".to_string(), "林晓".to_string(), "3".to_string()),
            "{name}"
        );
        let (s, _, _) = village
            .get_bytes("/api/v1/education/villages.xlsx?division=500160102000")
            .await;
        assert_eq!(s, 400, "{name}: a township outside the scope is refused");

        assert_eq!(figure(&center, &w, "model_villages").await, Some(1.0));
        assert_eq!(
            figure(&center, &w, "villages_with_adviser").await,
            Some(1.0)
        );
    }
}

fn event(unit: i64, kind: &str, law: &str) -> Value {
    json!({"kind": kind, "division_code": QINGSHI, "unit_id": unit, "title": "普法活动",
        "participants": 30, "laws": [law]})
}

#[tokio::test]
async fn plan_progress_is_counted_from_the_recorded_events() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let center = w.login("center").await;
        let year = w.state.clock.today().year();
        let sifa = unit_of(&center, "司法所").await;
        let police = unit_of(&center, "派出所").await;

        // Refused input writes nothing: no laws, nothing planned, a unit elsewhere.
        let district = w.login("district").await;
        let (_, units) = district
            .get("/api/v1/units?division_code=500160102000&limit=100")
            .await;
        let foreign = units[0]["id"].as_i64().unwrap();
        let (s, e) = center
            .post(
                "/api/v1/education/plan",
                json!({"year": year, "unit_id": foreign, "laws": [], "planned": 0, "kind": "nope"}),
            )
            .await;
        assert_eq!(s, 400, "{name}: {e}");
        for f in ["laws", "planned", "kind", "unit_id"] {
            assert!(e["fields"][f].is_string(), "{name}: {f} in {e}");
        }
        assert_eq!(len(&center, "/api/v1/education/plan").await, 0, "{name}");
        // A village account cannot make a township's plan.
        let village = w.login("village01").await;
        let (s, e) = village
            .post(
                "/api/v1/education/plan",
                json!({"year": year, "unit_id": sifa, "laws": ["民法典"], "planned": 2}),
            )
            .await;
        assert_eq!(s, 400, "{name}");
        assert!(e["fields"]["division_code"].is_string(), "{name}: {e}");

        let (s, item) = center
            .post(
                "/api/v1/education/plan",
                json!({"year": year, "unit_id": sifa, "laws": ["《民法典》"], "planned": 4}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {item}");
        assert_eq!(
            (item["done"].as_i64(), item["laws"][0].as_str()),
            (Some(0), Some("民法典"))
        );
        let (s, schools) = center
            .post(
                "/api/v1/education/plan",
                json!({"year": year, "unit_id": police, "laws": ["未成年人保护法"], "kind": "schools", "planned": 2}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {schools}");

        for body in [
            event(sifa, "villages", "民法典"),
            event(sifa, "lecture", "民法典"),
            event(police, "villages", "民法典"),
            event(sifa, "villages", "宪法"),
            event(police, "villages", "未成年人保护法"),
            event(police, "schools", "未成年人保护法"),
        ] {
            let (s, r) = center.post("/api/v1/education/events", body).await;
            assert_eq!(s, 201, "{name}: {r}");
        }
        let (s, plan) = center
            .get(&format!("/api/v1/education/plan?year={year}"))
            .await;
        assert_eq!(s, 200, "{name}");
        let of = |id: &Value| {
            plan.as_array()
                .unwrap()
                .iter()
                .find(|i| i["id"] == *id)
                .unwrap()
                .clone()
        };
        let a = of(&item["id"]);
        assert_eq!(
            (a["done"].as_i64(), a["percent"].as_f64()),
            (Some(2), Some(50.0)),
            "{name}"
        );
        assert_eq!(of(&schools["id"])["done"], 1, "{name}");

        // Versions and scope.
        let path = format!("/api/v1/education/plan/{}", item["id"]);
        let change = json!({"year": year, "unit_id": sifa, "laws": ["民法典", "宪法"], "planned": 4, "version": 1});
        let (s, r) = put(&center, &path, change.clone()).await;
        assert_eq!((s, r["done"].as_i64()), (200, Some(3)), "{name}: {r}");
        let (s, e) = put(&center, &path, change.clone()).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("stale_version")));
        assert_eq!(village.get(&path).await.0, 404, "{name}");
        let other = outsider(&w).await;
        assert_eq!(put(&other, &path, change).await.0, 404, "{name}");
        assert_eq!(len(&other, "/api/v1/education/plan").await, 0, "{name}");
        assert!(
            audited(
                &w,
                "education.plan.update",
                &format!("plan_item:{}", item["id"])
            )
            .await
        );
    }
}

#[tokio::test]
async fn visits_follow_up_open_issues_and_seal_the_contact_phone() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let today = w.state.clock.today();
        let day = |d: i64| (today - Duration::days(d)).to_string();
        let sifasuo = w.login("sifasuo").await;
        let center = w.login("center").await;

        // Issues need a day to rectify them by; a rectification before the visit is refused.
        let (s, e) = sifasuo
            .post(
                "/api/v1/education/visits",
                json!({"division_code": QINGSHI, "enterprise": "青石建材有限公司", "visited_on": day(30),
                    "visitors": "司法所 周敏", "issues": "劳动合同未续签", "rectified_on": day(40),
                    "contact_phone": "12"}),
            )
            .await;
        assert_eq!(s, 400, "{name}: {e}");
        for f in ["rectify_by", "rectified_on", "contact_phone"] {
            assert!(e["fields"][f].is_string(), "{name}: {f} in {e}");
        }
        assert_eq!(len(&center, "/api/v1/education/visits").await, 0, "{name}");

        let body = json!({"division_code": QINGSHI, "enterprise": "青石建材有限公司", "visited_on": day(30),
            "visitors": "司法所 周敏", "contact_name": "李经理", "contact_phone": "138 1234 5678",
            "issues": "劳动合同未续签；消防通道堆放杂物", "issue_count": 2,
            "advice": "限期补签合同，清理通道", "rectify_by": day(10)});
        let (s, v) = sifasuo.post("/api/v1/education/visits", body.clone()).await;
        assert_eq!(s, 201, "{name}: {v}");
        assert_eq!(v["contact_phone"], "138****5678", "{name}");
        assert_eq!(v["overdue"], true, "{name}");
        let id = v["id"].as_i64().unwrap();
        let (s, _) = sifasuo
            .post(
                "/api/v1/education/visits",
                json!({"division_code": QINGSHI, "enterprise": "白鹤食品厂", "visitors": "司法所 周敏"}),
            )
            .await;
        assert_eq!(s, 201, "{name}");

        // The follow-up list holds the open issue past its day.
        let (_, due) = center.get("/api/v1/education/visits?overdue=true").await;
        assert_eq!(due.as_array().unwrap().len(), 1, "{name}: {due}");
        assert_eq!(due[0]["id"], id, "{name}");
        assert_eq!(figure(&center, &w, "rectification_rate").await, Some(0.0));

        // The phone is sealed: revealing it needs the right and is audited.
        let path = format!("/api/v1/education/visits/{id}");
        assert_eq!(
            sifasuo.post(&format!("{path}/reveal"), json!({})).await.0,
            403
        );
        let (s, r) = center.post(&format!("{path}/reveal"), json!({})).await;
        assert_eq!(
            (s.as_u16(), r["phone"].as_str()),
            (200, Some("13812345678")),
            "{name}"
        );
        assert!(audited(&w, "visit.reveal", &format!("enterprise_visit:{id}")).await);
        // Nothing stored holds the number in plain text: blanking any column that did
        // would lose it, yet the reveal still opens it from the sealed value.
        fazhi_testkit::db::execute_raw(
            &w.state.db,
            "UPDATE enterprise_visits SET phone_enc = NULL, phone_idx = NULL, contact_name = NULL, issues = NULL WHERE phone_enc LIKE '%13812345678%' OR phone_idx LIKE '%13812345678%' OR phone_mask LIKE '%13812345678%'",
        )
        .await
        .unwrap();
        let (_, r) = center.post(&format!("{path}/reveal"), json!({})).await;
        assert_eq!(r["phone"], "13812345678", "{name}");

        // Recording the rectification (the phone kept when not sent), under the version.
        let mut done = body.clone();
        done.as_object_mut().unwrap().remove("contact_phone");
        done["rectified_on"] = json!(day(0));
        done["version"] = json!(1);
        let (s, v) = put(&sifasuo, &path, done.clone()).await;
        assert_eq!(
            (s, v["overdue"].as_bool()),
            (200, Some(false)),
            "{name}: {v}"
        );
        assert_eq!(v["contact_phone"], "138****5678", "{name}");
        let (s, e) = put(&sifasuo, &path, done.clone()).await;
        assert_eq!((s, e["code"].as_str()), (409, Some("stale_version")));
        assert_eq!(
            len(&center, "/api/v1/education/visits?overdue=true").await,
            0
        );

        // Scope: another township's leader sees nothing and changes nothing.
        let other = outsider(&w).await;
        assert_eq!(other.get(&path).await.0, 404, "{name}");
        assert_eq!(put(&other, &path, done).await.0, 404, "{name}");
        assert_eq!(len(&other, "/api/v1/education/visits").await, 0, "{name}");

        assert_eq!(figure(&center, &w, "enterprise_visits").await, Some(2.0));
        assert_eq!(figure(&center, &w, "rectification_rate").await, Some(100.0));
    }
}

#[tokio::test]
async fn emergency_plans_remind_of_review_drills_and_filing() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let today = w.state.clock.today();
        let center = w.login("center").await;

        let (s, e) = center
            .post(
                "/api/v1/education/emergency-plans",
                json!({"kind": "flood", "title": "", "approved_on": "2024-03-01",
                    "filed_on": "2024-02-01", "next_review_on": "2024-01-01", "drill_years": 9}),
            )
            .await;
        assert_eq!(s, 400, "{name}: {e}");
        for f in [
            "kind",
            "title",
            "version_label",
            "approved_by",
            "filed_on",
            "next_review_on",
            "drill_years",
        ] {
            assert!(e["fields"][f].is_string(), "{name}: {f} in {e}");
        }
        assert_eq!(len(&center, "/api/v1/education/emergency-plans").await, 0);

        let approved = (today - Duration::days(4 * 365)).to_string();
        let review = (today + Duration::days(200)).to_string();
        let body = json!({"division_code": QINGSHI, "kind": "natural_disaster",
            "title": "青石镇防汛抗旱应急预案", "version_label": "2022版", "approved_on": approved,
            "approved_by": "青石镇人民政府", "next_review_on": review});
        let (s, plan) = center
            .post("/api/v1/education/emergency-plans", body.clone())
            .await;
        assert_eq!(s, 201, "{name}: {plan}");
        let codes = |p: &Value| -> Vec<String> {
            p["reminders"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["code"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(codes(&plan), ["not_drilled", "not_filed"], "{name}");
        let id = plan["id"].as_i64().unwrap();
        let path = format!("/api/v1/education/emergency-plans/{id}");

        // A drill: checked, then it clears the drill reminder.
        let (s, e) = center
            .post(
                &format!("{path}/drills"),
                json!({"form": "live", "scenario": ""}),
            )
            .await;
        assert_eq!(s, 400, "{name}: {e}");
        for f in ["form", "scenario", "participants", "held_on"] {
            assert!(e["fields"][f].is_string(), "{name}: {f} in {e}");
        }
        let (s, d) = center
            .post(
                &format!("{path}/drills"),
                json!({"held_on": today.to_string(), "form": "field", "scenario": "山洪转移群众",
                    "participants": 80, "evaluation": "转移用时偏长", "revisions": "增加村级预警员"}),
            )
            .await;
        assert_eq!(
            (s.as_u16(), d["form_label"].as_str()),
            (201, Some("实战演练")),
            "{name}: {d}"
        );
        let (_, detail) = center.get(&path).await;
        assert_eq!(codes(&detail["plan"]), ["not_filed"], "{name}");
        assert_eq!(detail["drills"].as_array().unwrap().len(), 1, "{name}");

        // Filing it under the version clears the last reminder.
        let mut filed = body.clone();
        filed["filed_on"] = json!(approved);
        filed["version"] = json!(1);
        let (s, p) = put(&center, &path, filed.clone()).await;
        assert_eq!(s, 200, "{name}: {p}");
        assert!(codes(&p).is_empty(), "{name}");
        assert_eq!(put(&center, &path, filed.clone()).await.0, 409, "{name}");
        assert_eq!(
            len(&center, "/api/v1/education/emergency-plans?due=true").await,
            0
        );
        assert_eq!(len(&center, "/api/v1/education/emergency-plans").await, 1);

        // Scope.
        let village = w.login("village01").await;
        assert_eq!(village.get(&path).await.0, 404, "{name}");
        let (s, _) = village
            .post(
                &format!("{path}/drills"),
                json!({"held_on": today.to_string(), "form": "tabletop", "scenario": "x", "participants": 1}),
            )
            .await;
        assert_eq!(s, 404, "{name}");
        let other = outsider(&w).await;
        assert_eq!(put(&other, &path, filed).await.0, 404, "{name}");

        assert_eq!(figure(&center, &w, "emergency_plans").await, Some(1.0));
        assert_eq!(figure(&center, &w, "drills").await, Some(1.0));
        assert!(
            audited(
                &w,
                "education.drill.create",
                &format!("emergency_drill:{}", d["id"])
            )
            .await
        );
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
async fn the_duty_pages_go_through_the_same_checks() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, _) = villages(&w).await;
        let center = w.login("center").await;
        let today = w.state.clock.today().to_string();
        let year = w.state.clock.today().year().to_string();
        for path in [
            "/education/statements",
            "/education/statements/new",
            "/education/villages",
            "/education/plan",
            "/education/visits",
            "/education/visits/new",
            "/education/visits?overdue=1",
            "/education/emergency",
            "/education/emergency/new",
        ] {
            let (s, page) = html(&center, path).await;
            assert_eq!(s, 200, "{name}: {path}");
            assert!(
                page.contains("href=\"/education/statements\""),
                "{name}: {path}"
            );
        }

        // 述法: the head is picked from the township's accounts; refused input is kept.
        let (_, page) = html(&center, "/education/statements/new").await;
        assert!(page.contains("青石镇镇长 王强"), "{name}");
        let (_, heads) = center.get("/api/v1/education/statements/heads").await;
        let leader = heads
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["name"] == "青石镇镇长 王强")
            .unwrap()["user_id"]
            .to_string();
        let mut form = vec![
            ("division_code", QINGSHI),
            ("year", year.as_str()),
            ("user_id", leader.as_str()),
            ("post", "government_head"),
            ("delivered_on", today.as_str()),
            ("occasion", "year_end"),
            ("text", ""),
        ];
        let (s, _, page) = post_page(&center, "/education/statements/new", &form).await;
        assert_eq!(s, 400, "{name}");
        assert!(page.contains("述法内容不能为空"), "{name}");
        assert_eq!(len(&center, "/api/v1/education/statements").await, 0);
        form[6] = ("text", "述法：推进法治建设情况");
        let (s, to, _) = post_page(&center, "/education/statements/new", &form).await;
        assert_eq!(s, 303, "{name}");
        let (s, page) = html(&center, &to).await;
        assert_eq!(s, 200, "{name}: {to}");
        assert!(page.contains("述法：推进法治建设情况"), "{name}");
        let id = to
            .trim_start_matches("/education/statements/")
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let district = w.login("district").await;
        let (_, page) = html(&district, &format!("/education/statements/{id}")).await;
        assert!(page.contains("保存评价"), "{name}");
        let (s, _, _) = post_page(
            &district,
            &format!("/education/statements/{id}/rating"),
            &[("rating", "excellent"), ("note", "好"), ("version", "1")],
        )
        .await;
        assert_eq!(s, 303, "{name}");
        let (_, page) = html(&center, "/education/statements").await;
        assert!(page.contains("<td>好</td>"), "{name}");
        let village = w.login("village01").await;
        assert_eq!(
            html(&village, &format!("/education/statements/{id}"))
                .await
                .0,
            404
        );

        // Every API of these records is in the OpenAPI document generated from the routes.
        let (_, doc) =
            fazhi_testkit::web::send_anon(&w.app, "GET", "/api/v1/openapi.json", Value::Null).await;
        for path in [
            "/api/v1/education/statements",
            "/api/v1/education/statements/heads",
            "/api/v1/education/statements/{id}/rating",
            "/api/v1/education/villages",
            "/api/v1/education/villages.xlsx",
            "/api/v1/education/villages/{code}",
            "/api/v1/education/plan/{id}",
            "/api/v1/education/visits/{id}/reveal",
            "/api/v1/education/emergency-plans/{id}/drills",
        ] {
            assert!(doc["paths"][path].is_object(), "{name}: {path}");
        }

        // A village's standing from its page.
        let vpath = format!("/education/villages/{own}");
        let (s, _, page) = post_page(
            &village,
            &vpath,
            &[("model_level", "city"), ("model_year", "")],
        )
        .await;
        assert_eq!(s, 400, "{name}");
        assert!(page.contains("请填写示范村命名年度"), "{name}");
        let (s, _, _) = post_page(
            &village,
            &vpath,
            &[
                ("model_level", "city"),
                ("model_year", "2022"),
                ("adviser_name", "林晓"),
            ],
        )
        .await;
        assert_eq!(s, 303, "{name}");
        let (_, page) = html(&center, &format!("/education/villages?division={QINGSHI}")).await;
        assert!(
            page.contains("市级（2022）") && page.contains("林晓"),
            "{name}"
        );

        // A plan item from the plan page.
        let sifa = unit_of(&center, "司法所").await.to_string();
        let item = [
            ("division_code", QINGSHI),
            ("year", year.as_str()),
            ("unit_id", sifa.as_str()),
            ("laws", "民法典、宪法"),
            ("planned", "3"),
        ];
        let (s, _, _) = post_page(&center, "/education/plan", &item).await;
        assert_eq!(s, 303, "{name}");
        let (_, page) = html(&center, "/education/plan").await;
        assert!(
            page.contains("青石镇司法所") && page.contains("<span class=\"tag\">宪法</span>"),
            "{name}"
        );

        // A visit on the phone form; a mistake is shown next to its field.
        let visit = [
            ("division_code", QINGSHI),
            ("enterprise", "青石建材有限公司"),
            ("visited_on", today.as_str()),
            ("visitors", "综治中心 张丽"),
            ("contact_phone", "13812345678"),
            ("issues", "消防通道堆放杂物"),
        ];
        let (s, _, page) = post_page(&center, "/education/visits/new", &visit).await;
        assert_eq!(s, 400, "{name}");
        assert!(page.contains("发现了问题，请填写整改期限"), "{name}");
        assert!(
            page.contains("青石建材有限公司"),
            "{name}: the input is kept"
        );
        assert_eq!(len(&center, "/api/v1/education/visits").await, 0);
        let mut visit = visit.to_vec();
        visit.push(("rectify_by", today.as_str()));
        let (s, to, _) = post_page(&center, "/education/visits/new", &visit).await;
        assert_eq!(s, 303, "{name}");
        let (_, page) = html(&center, &to).await;
        assert!(
            page.contains("138****5678") && !page.contains("13812345678"),
            "{name}"
        );

        // A plan and a drill on it.
        let plan = [
            ("division_code", QINGSHI),
            ("kind", "general"),
            ("title", "青石镇突发事件总体应急预案"),
            ("version_label", "2025版"),
            ("approved_on", today.as_str()),
            ("approved_by", "青石镇人民政府"),
            ("next_review_on", "2029-01-01"),
            ("drill_years", "3"),
        ];
        let (s, to, _) = post_page(&center, "/education/emergency/new", &plan).await;
        assert_eq!(s, 303, "{name}");
        let plan_path = to.split('?').next().unwrap().to_string();
        let (s, _, page) = post_page(
            &center,
            &format!("{plan_path}/drills"),
            &[("form", "tabletop")],
        )
        .await;
        assert_eq!(s, 400, "{name}");
        assert!(page.contains("请填写参演人数"), "{name}");
        let (s, _, _) = post_page(
            &center,
            &format!("{plan_path}/drills"),
            &[
                ("held_on", today.as_str()),
                ("form", "tabletop"),
                ("scenario", "桌面推演：山洪"),
                ("participants", "12"),
            ],
        )
        .await;
        assert_eq!(s, 303, "{name}");
        let (_, page) = html(&center, &plan_path).await;
        assert!(
            page.contains("桌面推演：山洪") && page.contains("尚未备案"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn the_demo_district_has_a_year_of_duties_with_something_to_follow_up() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let today = w.state.clock.today();
        let added = fazhi_demo::education::seed(&w.state.db, &w.state.vault, today)
            .await
            .unwrap();
        let d = &added.duties;
        assert_eq!(
            (d.villages, d.plan_items, d.emergency_plans),
            (47, 9, 12),
            "{name}: {d:?}"
        );
        assert_eq!(d.statements, 2, "{name}");
        let center = w.login("center").await;
        let (_, plan) = center.get("/api/v1/education/plan").await;
        let done: i64 = plan
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["done"].as_i64().unwrap())
            .sum();
        assert!(
            done > 0,
            "{name}: progress comes from the demo events: {plan}"
        );
        assert_eq!(
            len(&center, "/api/v1/education/visits?overdue=true").await,
            1,
            "{name}"
        );
        let (_, due) = center
            .get("/api/v1/education/emergency-plans?due=true")
            .await;
        let reminders: Vec<&str> = due
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["reminders"].as_array().unwrap())
            .map(|r| r["code"].as_str().unwrap())
            .collect();
        for code in ["review_due", "not_drilled", "not_filed"] {
            assert!(reminders.contains(&code), "{name}: {code} in {reminders:?}");
        }
        let (_, st) = center.get("/api/v1/education/statements").await;
        assert_eq!(st.as_array().unwrap().len(), 1, "{name}: this year's");
        let (_, last) = center
            .get(&format!(
                "/api/v1/education/statements?year={}",
                today.year() - 1
            ))
            .await;
        assert_eq!(last[0]["rating"], "good", "{name}: rated by the district");
    }
}
