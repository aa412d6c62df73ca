//! Matters through the real router and a real database (SQLite always, PostgreSQL when
//! FAZHI_TEST_POSTGRES_URL is set), on the demo district's organisation and accounts.

use crate::common::{id_number, unit_of, villages, world};
use fazhi_testkit::web::send_anon;
use serde_json::{Value, json};

fn petition(village: &str, idn: &str, phone: &str) -> Value {
    json!({
        "kind": "petition",
        "channel": "visit",
        "category": "land_rights",
        "division_code": village,
        "summary": "反映承包地边界被邻居占用，要求重新丈量",
        "parties": [{"name": "张三", "id_number": idn, "phone": phone}]
    })
}

#[tokio::test]
async fn a_petition_goes_from_intake_to_follow_up() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (village, _) = villages(&w).await;
        let c = w.login("center").await;
        let idn = id_number("51010519800101123");
        let (s, m) = c
            .post("/api/v1/matters", petition(&village, &idn, "13812345678"))
            .await;
        assert_eq!(s, 201, "{name}: {m}");
        let id = m["id"].as_i64().unwrap();
        assert_eq!(m["status"], "registered");
        assert_eq!(m["due_kind"], "acceptance", "{name}: 15-day notice runs");
        let code = m["tracking_code"].as_str().unwrap().to_string();
        assert_eq!(code.len(), 10);

        // Detail: parties masked.
        let (s, d) = c.get(&format!("/api/v1/matters/{id}")).await;
        assert_eq!(s, 200);
        let party = &d["parties"][0];
        assert_eq!(party["phone"], "138****5678", "{name}");
        assert!(party["id_number"].as_str().unwrap().contains("****"));
        assert!(
            !d.to_string().contains(&idn),
            "{name}: no ID number in clear"
        );

        // Walk the workflow, carrying the version.
        let unit = unit_of(&c, "司法所").await;
        let mut version = m["version"].as_i64().unwrap();
        let steps = [
            json!({"action": "accept"}),
            json!({"action": "assign", "assignee": {"kind": "unit", "id": unit}}),
            json!({"action": "acknowledge"}),
            json!({"action": "record_mediation", "held_on": w.state.clock.today().to_string(), "summary": "双方到场，现场丈量"}),
            json!({"action": "close", "closure_type": "substantive", "resolved": true, "opinion": "support"}),
            json!({"action": "follow_up", "satisfaction": "satisfied"}),
        ];
        for mut step in steps {
            step["version"] = json!(version);
            let (s, r) = c
                .post(&format!("/api/v1/matters/{id}/actions"), step.clone())
                .await;
            assert_eq!(s, 200, "{name}: {step} → {r}");
            version = r["matter"]["version"].as_i64().unwrap();
        }
        let (_, d) = c.get(&format!("/api/v1/matters/{id}")).await;
        assert_eq!(d["status"], "followed_up", "{name}");
        assert_eq!(
            d["events"].as_array().unwrap().len(),
            7,
            "{name}: register + 6"
        );

        // An illegal transition is refused with a reason; a stale version too.
        let (s, r) = c
            .post(
                &format!("/api/v1/matters/{id}/actions"),
                json!({"action": "accept"}),
            )
            .await;
        assert_eq!(s, 409, "{name}: {r}");
        assert_eq!(r["code"], "invalid_transition");
        let (s, r) = c
            .post(
                &format!("/api/v1/matters/{id}/actions"),
                json!({"action": "archive", "version": version - 1}),
            )
            .await;
        assert_eq!(
            (s.as_u16(), r["code"].as_str()),
            (409, Some("stale_version")),
            "{name}"
        );

        // Public tracking: status and dates, nothing personal.
        let (s, tr) = send_anon(
            &w.app,
            "GET",
            &format!("/api/v1/public/track/{code}"),
            json!(null),
        )
        .await;
        assert_eq!(s, 200, "{name}: {tr}");
        assert_eq!(tr["status"], "followed_up");
        let text = tr.to_string();
        for secret in ["张三", "13812345678", &idn, "承包地"] {
            assert!(
                !text.contains(secret),
                "{name}: {secret} leaked to the public page"
            );
        }
        let (s, _) = send_anon(
            &w.app,
            "GET",
            "/api/v1/public/track/2345678923",
            json!(null),
        )
        .await;
        assert_eq!(s, 404);
    }
}

#[tokio::test]
async fn scoping_reveal_and_repeat_petitions() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, other) = villages(&w).await;
        let c = w.login("center").await;
        let idn = id_number("51010519800101123");
        let (_, a) = c
            .post("/api/v1/matters", petition(&own, &idn, "13812345678"))
            .await;
        let (_, b) = c
            .post("/api/v1/matters", petition(&other, &idn, "13900001111"))
            .await;
        let (a, b) = (a["id"].as_i64().unwrap(), b["id"].as_i64().unwrap());

        // The grid worker of the first village sees that one only, by id or by list.
        let g = w.login("grid01").await;
        assert_eq!(
            g.get(&format!("/api/v1/matters/{a}")).await.0,
            200,
            "{name}"
        );
        assert_eq!(
            g.get(&format!("/api/v1/matters/{b}")).await.0,
            404,
            "{name}"
        );
        let (s, page) = g.get("/api/v1/matters").await;
        assert_eq!(s, 200);
        let ids: Vec<i64> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, vec![a], "{name}");
        let (s, _) = g
            .get(&format!("/api/v1/matters?division_code={other}"))
            .await;
        assert_eq!(s, 400, "{name}: a filter outside the scope is refused");
        // Nor can they act on it or reveal personal data.
        let (s, _) = g
            .post(
                &format!("/api/v1/matters/{a}/actions"),
                json!({"action": "accept"}),
            )
            .await;
        assert_eq!(s, 403, "{name}");
        let (_, d) = c.get(&format!("/api/v1/matters/{a}")).await;
        let party = d["parties"][0]["id"].as_i64().unwrap();
        let (s, _) = g
            .post(
                &format!("/api/v1/matters/{a}/parties/{party}/reveal"),
                json!({"field": "phone"}),
            )
            .await;
        assert_eq!(s, 403, "{name}");

        // Centre staff may reveal, and each reveal is audited.
        let (s, r) = c
            .post(
                &format!("/api/v1/matters/{a}/parties/{party}/reveal"),
                json!({"field": "id_number"}),
            )
            .await;
        assert_eq!(
            (s.as_u16(), r["value"].as_str()),
            (200, Some(idn.as_str())),
            "{name}"
        );
        let rows = fazhi_db::audit::recent(&w.t.db, None, 5).await.unwrap();
        assert!(
            rows.iter()
                .any(|r| r.action == "party.reveal"
                    && r.target == format!("matter:{a}/party:{party}")),
            "{name}"
        );

        // The same person is found at intake and in the detail; a repeat is linked.
        let (s, found) = c
            .post("/api/v1/matters/lookup", json!({"id_number": idn}))
            .await;
        assert_eq!(s, 200);
        assert_eq!(found.as_array().unwrap().len(), 2, "{name}");
        let (_, d) = c.get(&format!("/api/v1/matters/{a}")).await;
        assert_eq!(d["related"][0]["id"], b, "{name}");
        let mut again = petition(&own, &idn, "13812345678");
        again["repeat_of"] = json!(a);
        let (s, r) = c.post("/api/v1/matters", again).await;
        assert_eq!(s, 201, "{name}: {r}");
        assert_eq!(r["repeat_of"], a);
        let (_, reps) = c.get("/api/v1/matters?repeat=true").await;
        assert_eq!(reps["items"].as_array().unwrap().len(), 1, "{name}");
    }
}

#[tokio::test]
async fn bad_intake_gets_field_messages() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, _) = villages(&w).await;
        let c = w.login("center").await;
        let cases = [
            (json!({"kind": "x"}), "kind"),
            (
                json!({"kind": "dispute", "channel": "visit", "category": "nope"}),
                "category",
            ),
            (
                json!({"kind": "dispute", "channel": "visit", "category": "neighbour", "division_code": "500160102200", "summary": "x", "parties": [{"name": "李四"}]}),
                "division_code",
            ),
            (
                json!({"kind": "dispute", "channel": "visit", "category": "neighbour", "division_code": own, "summary": "", "parties": [{"name": "李四"}]}),
                "summary",
            ),
            (
                json!({"kind": "dispute", "channel": "visit", "category": "neighbour", "division_code": own, "summary": "吵架", "parties": []}),
                "parties",
            ),
            (
                json!({"kind": "dispute", "channel": "visit", "category": "neighbour", "division_code": own, "summary": "吵架", "parties": [{"name": "李四", "id_number": "510105198001011230"}]}),
                "parties[0].id_number",
            ),
            (
                json!({"kind": "dispute", "channel": "visit", "category": "neighbour", "division_code": own, "summary": "吵架", "parties": [{"name": "李四", "phone": "12345"}]}),
                "parties[0].phone",
            ),
            // A receipt date in year 1900 (or 0) is a slip, not a record.
            (
                json!({"kind": "dispute", "channel": "visit", "category": "neighbour", "division_code": own, "summary": "吵架", "received_on": "1900-01-01", "parties": [{"name": "李四"}]}),
                "received_on",
            ),
            (
                json!({"kind": "dispute", "channel": "visit", "category": "neighbour", "division_code": own, "summary": "吵架", "received_on": "0000-01-01", "parties": [{"name": "李四"}]}),
                "received_on",
            ),
            // Control characters would end up in documents that no longer open.
            (
                json!({"kind": "dispute", "channel": "visit", "category": "neighbour", "division_code": own, "summary": "吵架\u{0007}", "parties": [{"name": "李四"}]}),
                "summary",
            ),
            (
                json!({"kind": "dispute", "channel": "visit", "category": "neighbour", "division_code": own, "summary": "吵架", "parties": [{"name": "李\u{000b}四"}]}),
                "parties[0].name",
            ),
        ];
        for (body, field) in cases {
            let (s, r) = c.post("/api/v1/matters", body.clone()).await;
            assert_eq!(s, 400, "{name}: {body} → {r}");
            assert!(r["fields"][field].is_string(), "{name}: {field} in {r}");
        }
        // Nothing was written.
        let (_, page) = c.get("/api/v1/matters").await;
        assert_eq!(page["items"].as_array().unwrap().len(), 0, "{name}");
    }
}

#[tokio::test]
async fn personal_data_is_not_in_the_raw_sqlite_files() {
    let t = fazhi_testkit::db::sqlite().await.unwrap();
    let file = t.sqlite_file().unwrap().clone();
    let w = world(t).await;
    let (own, _) = villages(&w).await;
    let c = w.login("center").await;
    let idn = id_number("33010219751231456");
    let phone = "13987654321";
    let (s, _) = c.post("/api/v1/matters", petition(&own, &idn, phone)).await;
    assert_eq!(s, 201);
    let mut seen = 0;
    for suffix in ["", "-wal"] {
        let path = format!("{}{suffix}", file.display());
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        seen += bytes.len();
        let hay = String::from_utf8_lossy(&bytes);
        assert!(!hay.contains(&idn), "ID number in clear in {path}");
        assert!(!hay.contains(phone), "phone in clear in {path}");
        // The party's name is stored (it is searched), which shows the check can see text.
        if hay.contains("反映承包地") {
            seen += 1_000_000;
        }
    }
    assert!(
        seen > 1_000_000,
        "the matter's own text was found in the files, so the search works"
    );
}

#[tokio::test]
async fn the_public_form_is_rate_limited_and_creates_pending_matters() {
    let w = world(fazhi_testkit::db::sqlite().await.unwrap()).await;
    let (own, _) = villages(&w).await;
    let body = json!({"kind": "complaint", "division_code": own, "category": "environment",
        "summary": "夜间工地噪音扰民", "name": "王五", "phone": "13800001234"});
    let (s, r) = send_anon(&w.app, "POST", "/api/v1/public/matters", body.clone()).await;
    assert_eq!(s, 201, "{r}");
    let code = r["tracking_code"].as_str().unwrap();
    let (_, tr) = send_anon(
        &w.app,
        "GET",
        &format!("/api/v1/public/track/{code}"),
        json!(null),
    )
    .await;
    assert_eq!(tr["status"], "pending");
    let c = w.login("center").await;
    let (_, page) = c.get("/api/v1/matters?status=pending").await;
    assert_eq!(page["items"][0]["channel"], "online");
    // Bad input gets a field message; floods are stopped.
    let (s, r) = send_anon(
        &w.app,
        "POST",
        "/api/v1/public/matters",
        json!({"kind": "complaint"}),
    )
    .await;
    assert_eq!(s, 400, "{r}");
    let mut last = 0;
    for _ in 0..6 {
        last = send_anon(&w.app, "POST", "/api/v1/public/matters", body.clone())
            .await
            .0
            .as_u16();
    }
    assert_eq!(last, 429);
}

#[tokio::test]
async fn statistics_follow_the_definitions() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, other) = villages(&w).await;
        let c = w.login("center").await;
        let unit = unit_of(&c, "司法所").await;
        let dispute = |village: &str| {
            json!({"kind": "dispute", "channel": "grid_report", "category": "neighbour",
                "division_code": village, "summary": "邻里因排水沟发生争执",
                "parties": [{"name": "甲"}, {"name": "乙", "role": "respondent"}]})
        };
        let act = |id: i64, body: Value| {
            let c = &c;
            async move {
                let (s, r) = c.post(&format!("/api/v1/matters/{id}/actions"), body).await;
                assert_eq!(s, 200, "{r}");
            }
        };
        // a: settled and followed up; b: in progress; c: a petition not accepted; d: a repeat of c.
        let (_, a) = c.post("/api/v1/matters", dispute(&own)).await;
        let a = a["id"].as_i64().unwrap();
        act(a, json!({"action": "accept"})).await;
        act(
            a,
            json!({"action": "assign", "assignee": {"kind": "unit", "id": unit}}),
        )
        .await;
        act(a, json!({"action": "acknowledge"})).await;
        act(a, json!({"action": "close", "closure_type": "substantive", "resolved": true, "outcome": "success"})).await;
        act(
            a,
            json!({"action": "follow_up", "satisfaction": "basically_satisfied"}),
        )
        .await;
        let (_, b) = c.post("/api/v1/matters", dispute(&other)).await;
        act(b["id"].as_i64().unwrap(), json!({"action": "accept"})).await;
        let idn = id_number("51010519800101123");
        let (_, p) = c
            .post("/api/v1/matters", petition(&own, &idn, "13812345678"))
            .await;
        let p = p["id"].as_i64().unwrap();
        act(
            p,
            json!({"action": "reject", "reason": "属于诉讼途径解决的事项"}),
        )
        .await;
        let mut again = petition(&own, &idn, "13812345678");
        again["repeat_of"] = json!(p);
        assert_eq!(c.post("/api/v1/matters", again).await.0, 201);

        let (s, st) = c.get("/api/v1/stats/matters?division=500160101000").await;
        assert_eq!(s, 200, "{name}: {st}");
        let expect = [
            ("received", 3),
            ("accepted", 2),
            ("resolved", 1),
            ("closed", 1),
            ("closed_on_time", 1),
            ("evaluated", 1),
            ("satisfied", 1),
            ("repeats", 1),
        ];
        for (k, v) in expect {
            assert_eq!(st[k], v, "{name}: {k} in {st}");
        }
        assert_eq!(st["resolution_rate"], 50.0, "{name}");
        assert_eq!(st["completion_rate"], 50.0);
        assert_eq!(st["on_time_rate"], 100.0);
        assert_eq!(st["satisfaction_rate"], 100.0);
        assert_eq!(st["evaluated_rate"], 100.0);
        // Breakdowns add up to the totals.
        for part in [
            "by_channel",
            "by_category",
            "by_kind",
            "by_village",
            "by_month",
        ] {
            let sum: i64 = st[part]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["received"].as_i64().unwrap())
                .sum();
            assert_eq!(sum, 3, "{name}: {part}");
        }
        assert_eq!(
            st["by_channel"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["key"] == "grid_report")
                .unwrap()["label"],
            "网格上报"
        );
        // Each figure links to the list of the matters it counts.
        for (k, _) in expect {
            let (s, page) = c
                .get(&format!(
                    "/api/v1/matters?division_code=500160101000&figure={k}&limit=200"
                ))
                .await;
            assert_eq!(s, 200, "{name}: {k}");
            assert_eq!(
                page["items"].as_array().unwrap().len() as i64,
                st[k].as_i64().unwrap(),
                "{name}: list of {k}"
            );
        }
        assert_eq!(c.get("/api/v1/matters?figure=nope").await.0, 400, "{name}");
        // A period with nothing in it has no rates rather than fake zeros.
        let (_, empty) = c
            .get("/api/v1/stats/matters?from=2020-01-01&to=2020-12-31")
            .await;
        assert_eq!(empty["received"], 0);
        assert!(empty["resolution_rate"].is_null());
        // Bad input and other areas are refused.
        assert_eq!(c.get("/api/v1/stats/matters?from=2026-13-01").await.0, 400);
        assert_eq!(
            c.get("/api/v1/stats/matters?division=500160102000").await.0,
            400
        );
        let (s, _) = w.login("grid01").await.get("/api/v1/stats/matters").await;
        assert_eq!(s, 200, "{name}: grid workers see their village's figures");
    }
}

#[tokio::test]
async fn ledger_exports_to_xlsx_masked_unless_allowed() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let sheet = |bytes: Vec<u8>| {
        let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        wb.worksheet_range("事项台账").unwrap()
    };
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, _) = villages(&w).await;
        let c = w.login("center").await;
        let idn = id_number("51010519800101123");
        assert_eq!(
            c.post("/api/v1/matters", petition(&own, &idn, "13812345678"))
                .await
                .0,
            201
        );
        let dispute = json!({"kind": "dispute", "channel": "visit", "category": "neighbour",
            "division_code": own, "summary": "噪音", "parties": [{"name": "李四"}]});
        assert_eq!(c.post("/api/v1/matters", dispute).await.0, 201);

        let (s, h, bytes) = c.get_bytes("/api/v1/matters/export.xlsx").await;
        assert_eq!(s, 200, "{name}");
        assert!(
            h[axum::http::header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .contains("spreadsheetml")
        );
        let r = sheet(bytes);
        assert_eq!(
            r.get_value((1, 2)),
            Some(&Data::String("收到日期".into())),
            "{name}"
        );
        assert_eq!(r.height(), 4, "{name}: title, headers and two matters");
        assert!(
            matches!(r.get_value((2, 2)), Some(Data::DateTime(_))),
            "{name}: dates are dates"
        );
        let text = format!("{:?}", r.rows().collect::<Vec<_>>());
        assert!(text.contains("张三（信访人）"), "{name}");
        assert!(!text.contains(&idn), "{name}: masked by default");
        assert!(text.contains("138****5678"), "{name}");

        // Filters apply; full personal data needs the permission and is audited.
        let (_, _, bytes) = c
            .get_bytes("/api/v1/matters/export.xlsx?kind=petition&personal=full")
            .await;
        let r = sheet(bytes);
        assert_eq!(r.height(), 3, "{name}");
        assert_eq!(
            r.get_value((2, 10)),
            Some(&Data::String(idn.clone())),
            "{name}"
        );
        let audit = fazhi_db::audit::recent(&w.t.db, None, 3).await.unwrap();
        assert!(audit.iter().any(|a| a.action == "ledger.export"), "{name}");
        let g = w.login("grid01").await;
        assert_eq!(
            g.get_bytes("/api/v1/matters/export.xlsx?personal=full")
                .await
                .0,
            403,
            "{name}"
        );
        assert_eq!(
            g.get_bytes("/api/v1/matters/export.xlsx").await.0,
            200,
            "{name}"
        );
        assert_eq!(
            c.get_bytes("/api/v1/matters/export.xlsx?personal=all")
                .await
                .0,
            400,
            "{name}"
        );
    }
}

#[tokio::test]
async fn keyword_search_finds_two_character_words_and_names_and_follows_edits() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, _) = villages(&w).await;
        let c = w.login("center").await;
        let idn = id_number("51010519800101123");
        let (_, m) = c
            .post("/api/v1/matters", petition(&own, &idn, "13812345678"))
            .await;
        let (id, version) = (m["id"].as_i64().unwrap(), m["version"].as_i64().unwrap());
        let other = json!({"kind": "dispute", "channel": "visit", "category": "unpaid_wages",
            "division_code": own, "summary": "务工人员反映欠薪三个月", "parties": [{"name": "王建国"}]});
        let (_, o) = c.post("/api/v1/matters", other).await;
        let oid = o["id"].as_i64().unwrap();
        let find = |q: &'static str| {
            let c = &c;
            async move {
                let (s, v) = c
                    .get(&format!("/api/v1/matters?q={}", fazhi_web_url(q)))
                    .await;
                assert_eq!(s, 200, "{v}");
                v["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m["id"].as_i64().unwrap())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(find("承包").await, vec![id], "{name}: two-character word");
        assert_eq!(find("张三").await, vec![id], "{name}: a party's name");
        assert_eq!(find("欠薪").await, vec![oid], "{name}");
        assert_eq!(
            find("王建国").await,
            vec![oid],
            "{name}: three-character name"
        );
        assert_eq!(find("边界被邻居").await, vec![id], "{name}: longer phrase");
        assert!(
            find("地界").await.is_empty(),
            "{name}: characters not adjacent"
        );
        assert_eq!(find("占").await, vec![id], "{name}: one character");
        let mut both = find("反映").await;
        both.sort();
        assert_eq!(both, vec![id, oid], "{name}");
        // After an edit the old words are gone and the new ones found.
        let (_, d) = c.get(&format!("/api/v1/matters/{id}")).await;
        let party = d["parties"][0]["id"].as_i64().unwrap();
        let (s, r) = c
            .send_json(
                "PATCH",
                &format!("/api/v1/matters/{id}"),
                json!({"version": version, "summary": "反映土地流转纠纷", "parties": [{"id": party, "name": "赵六"}]}),
                true,
            )
            .await;
        assert_eq!(s, 200, "{name}: {r}");
        assert!(find("承包").await.is_empty(), "{name}");
        assert!(find("张三").await.is_empty(), "{name}");
        assert_eq!(find("土地").await, vec![id], "{name}");
        assert_eq!(find("赵六").await, vec![id], "{name}");
        // A second edit with the old version is refused.
        let (s, _) = c
            .send_json(
                "PATCH",
                &format!("/api/v1/matters/{id}"),
                json!({"version": version, "summary": "x"}),
                true,
            )
            .await;
        assert_eq!(s, 409, "{name}");
        // The index is derived: rebuilding it gives the same answers.
        assert_eq!(
            fazhi_db::matters::search::reindex(&w.t.db).await.unwrap(),
            2,
            "{name}"
        );
        assert_eq!(find("土地").await, vec![id], "{name}");
        assert_eq!(find("欠薪").await, vec![oid], "{name}");
    }
}

fn fazhi_web_url(q: &str) -> String {
    q.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[tokio::test]
async fn monthly_sweeps_and_the_grids_that_have_not_reported() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, other) = villages(&w).await;
        let c = w.login("center").await;
        let g = w.login("grid01").await;
        let month = w.state.clock.today().to_string()[..7].to_string();
        let (s, r) = g.post("/api/v1/sweeps", json!({"zero_report": true})).await;
        assert_eq!(s, 201, "{name}: {r}");
        assert_eq!(r["month"], month.as_str());
        let (s, r) = g.post("/api/v1/sweeps", json!({"zero_report": true})).await;
        assert_eq!(s, 409, "{name}: once per grid and month: {r}");

        let (s, st) = c.get("/api/v1/sweeps/status?division=500160101000").await;
        assert_eq!(s, 200, "{name}: {st}");
        let grids = st["grids"].as_array().unwrap();
        assert!(grids.len() > 20, "{name}: every grid of 青石镇 is listed");
        assert_eq!(st["reported"], 1, "{name}");
        assert_eq!(st["missing"].as_u64().unwrap() as usize, grids.len() - 1);

        // Last month: the matters found, which must lie in the grid's own village.
        let (_, mine) = c
            .post(
                "/api/v1/matters",
                petition(&own, &id_number("51010519800101123"), "13812345678"),
            )
            .await;
        let (_, theirs) = c
            .post(
                "/api/v1/matters",
                petition(&other, &id_number("51010519800101124"), "13812345679"),
            )
            .await;
        let today = w.state.clock.today();
        let last = (today - time::Duration::days(today.day() as i64)).to_string()[..7].to_string();
        let (s, r) = g
            .post(
                "/api/v1/sweeps",
                json!({"month": last, "matter_ids": [theirs["id"]]}),
            )
            .await;
        assert_eq!(s, 400, "{name}: {r}");
        assert!(r["fields"]["matter_ids[0]"].is_string());
        let (s, r) = g
            .post(
                "/api/v1/sweeps",
                json!({"month": last, "matter_ids": [mine["id"]]}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {r}");
        for (body, field) in [
            (json!({"month": "2099-01", "zero_report": true}), "month"),
            (json!({"month": "2026-13", "zero_report": true}), "month"),
            (json!({"month": "2025-01"}), "matter_ids"),
            (
                json!({"month": "2025-01", "zero_report": true, "matter_ids": [mine["id"]]}),
                "zero_report",
            ),
        ] {
            let (s, r) = g.post("/api/v1/sweeps", body.clone()).await;
            assert_eq!(s, 400, "{name}: {body} → {r}");
            assert!(r["fields"][field].is_string(), "{name}: {field} in {r}");
        }
        let (_, st) = c
            .get(&format!(
                "/api/v1/sweeps/status?division=500160101000&month={last}"
            ))
            .await;
        assert_eq!(st["reported"], 1, "{name}");
        let row = st["grids"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["reported"] == true)
            .unwrap();
        assert_eq!(row["matters"], 1, "{name}");
    }
}

#[tokio::test]
async fn the_openapi_document_lists_the_matters_api() {
    let w = world(fazhi_testkit::db::sqlite().await.unwrap()).await;
    let (s, doc) = send_anon(&w.app, "GET", "/api/v1/openapi.json", json!(null)).await;
    assert_eq!(s, 200);
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/matters",
        "/api/v1/matters/{id}",
        "/api/v1/matters/{id}/actions",
        "/api/v1/matters/{id}/parties/{party_id}/reveal",
        "/api/v1/matters/lookup",
        "/api/v1/matters/export.xlsx",
        "/api/v1/matters/export-jobs",
        "/api/v1/matters/imports",
        "/api/v1/matters/imports/{token}/dry-run",
        "/api/v1/matters/imports/{token}/commit",
        "/api/v1/jobs/{id}",
        "/api/v1/jobs/{id}/download",
        "/api/v1/public/track/{code}",
        "/api/v1/public/matters",
        "/api/v1/tasks",
        "/api/v1/stats/matters",
        "/api/v1/sweeps",
        "/api/v1/sweeps/status",
        "/api/v1/settings/calendar",
    ] {
        assert!(
            paths.contains_key(p),
            "{p} missing from the OpenAPI document"
        );
    }
    assert!(paths["/api/v1/matters/{id}"]["patch"].is_object());
    assert!(paths["/api/v1/matters/{id}"]["get"].is_object());
    // The list's order and cursor are documented.
    let params: Vec<&str> = paths["/api/v1/matters"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    for want in ["sort", "after", "before", "limit"] {
        assert!(params.contains(&want), "{want} not in {params:?}");
    }
    // Codes are enums with their allowed values, not bare strings.
    let schemas = &doc["components"]["schemas"];
    let status: Vec<&str> = schemas["Status"]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("no Status enum: {}", schemas["Status"]))
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(
        status.contains(&"in_progress") && status.contains(&"followed_up"),
        "{status:?}"
    );
    let matter = &schemas["MatterOut"]["properties"];
    assert_eq!(
        matter["status"]["$ref"], "#/components/schemas/Status",
        "{}",
        matter["status"]
    );
    assert_eq!(matter["warning"]["$ref"], "#/components/schemas/Warning");
    // The action body has a real schema: every action by its tag.
    let body = &paths["/api/v1/matters/{id}/actions"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    assert_eq!(body["$ref"], "#/components/schemas/ActionRequest", "{body}");
    let text = schemas["ActionRequest"].to_string() + &schemas["Action"].to_string();
    for tag in [
        "assign",
        "record_mediation",
        "follow_up",
        "closure_type",
        "held_on",
    ] {
        assert!(text.contains(tag), "{tag} missing from the action schema");
    }
}

#[tokio::test]
async fn every_sort_pages_through_all_matters_exactly_once_in_order() {
    use fazhi_db::matters::{MatterRow, MatterSort};
    use std::cmp::Reverse;
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let today = time::macros::date!(2026 - 11 - 24);
        fazhi_demo::matters::seed(&w.t.db, &w.state.vault, today, 120)
            .await
            .unwrap();
        let all: Vec<MatterRow> = fazhi_db::matters::read::list(
            &w.t.db,
            &["/".to_string()],
            &Default::default(),
            MatterSort::IdDesc,
            None,
            100_000,
        )
        .await
        .unwrap();
        assert_eq!(all.len(), 360, "{name}");
        assert!(all.iter().any(|m| m.due_on.is_none()), "{name}");
        assert!(all.iter().any(|m| m.due_on.is_some()), "{name}");
        let by_id: std::collections::HashMap<i64, &MatterRow> =
            all.iter().map(|m| (m.id, m)).collect();
        // The order each sort must give, computed here from the rows.
        let expected = |sort: MatterSort, ids: &[i64]| {
            let mut rows: Vec<&MatterRow> = ids.iter().map(|i| by_id[i]).collect();
            match sort {
                MatterSort::ReceivedDesc => rows.sort_by_key(|m| Reverse((m.received_on, m.id))),
                MatterSort::ReceivedAsc => rows.sort_by_key(|m| (m.received_on, m.id)),
                MatterSort::DueAsc => rows.sort_by_key(|m| (m.due_on.is_none(), m.due_on, m.id)),
                MatterSort::UpdatedDesc => rows.sort_by_key(|m| Reverse((m.updated_at, m.id))),
                MatterSort::IdDesc => rows.sort_by_key(|m| Reverse(m.id)),
            }
            rows.iter().map(|m| m.id).collect::<Vec<i64>>()
        };
        let c = w.login("district").await;
        let ids = |v: &Value| -> Vec<i64> {
            v["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["id"].as_i64().unwrap())
                .collect()
        };
        // Walks every page of `query` with pages of `limit`.
        let walk = |query: String, limit: usize| {
            let c = &c;
            async move {
                let mut out = Vec::new();
                let mut after: Option<String> = None;
                for _ in 0..1000 {
                    let cursor = after
                        .as_deref()
                        .map(|a| format!("&after={a}"))
                        .unwrap_or_default();
                    let (s, v) = c
                        .get(&format!("/api/v1/matters?{query}&limit={limit}{cursor}"))
                        .await;
                    assert_eq!(s, 200, "{query}: {v}");
                    let page = ids(&v);
                    assert!(page.len() <= limit);
                    out.extend(page);
                    match v["next"].as_str() {
                        Some(n) => after = Some(n.to_string()),
                        None => return out,
                    }
                }
                panic!("{query}: the pages never end");
            }
        };
        let every: Vec<i64> = all.iter().map(|m| m.id).collect();
        // The default is newest received first.
        let (_, first) = c.get("/api/v1/matters?limit=5").await;
        assert_eq!(
            ids(&first),
            expected(MatterSort::ReceivedDesc, &every)[..5],
            "{name}"
        );
        for sort in MatterSort::ALL {
            let got = walk(format!("sort={}", sort.as_str()), 7).await;
            assert_eq!(got, expected(sort, &every), "{name}: {}", sort.as_str());
        }
        // With keywords: a term found in some summaries, each order paged the same way.
        let mut pick = None;
        'words: for m in all.iter().take(40) {
            let chars: Vec<char> = m.summary.chars().collect();
            for w2 in chars.windows(2) {
                let word: String = w2.iter().collect();
                let q = fazhi_web_url(&word);
                let (_, v) = c.get(&format!("/api/v1/matters?q={q}&limit=200")).await;
                let found = ids(&v);
                if found.len() > 10 && found.len() < 200 {
                    pick = Some((word, q, found));
                    break 'words;
                }
            }
        }
        let (word, q, found) = pick.expect("a word found in some matters");
        for sort in MatterSort::ALL {
            let got = walk(format!("q={q}&sort={}", sort.as_str()), 3).await;
            assert_eq!(
                got,
                expected(sort, &found),
                "{name}: {word} {}",
                sort.as_str()
            );
        }
        // The older `before` still pages by id, newest first.
        let (_, v) = c.get("/api/v1/matters?sort=id_desc&limit=4").await;
        let b = v["next_before"].as_i64().unwrap();
        let (_, v2) = c.get(&format!("/api/v1/matters?before={b}&limit=4")).await;
        assert_eq!(
            ids(&v2),
            expected(MatterSort::IdDesc, &every)[4..8],
            "{name}"
        );
        // Bad orders and cursors are refused in Chinese.
        let (_, v) = c.get("/api/v1/matters?sort=due_asc&limit=3").await;
        let due_cursor = v["next"].as_str().unwrap().to_string();
        for bad in [
            "sort=newest".to_string(),
            "after=zz".to_string(),
            "after=6e6f7065".to_string(),
            format!("sort=received_desc&after={due_cursor}"),
            format!("after={due_cursor}"),
            format!("sort=due_asc&after={due_cursor}&before=5"),
            "sort=received_asc&before=5".to_string(),
        ] {
            let (s, v) = c.get(&format!("/api/v1/matters?{bad}")).await;
            assert_eq!(s, 400, "{name}: {bad}: {v}");
            assert!(
                v["message"]
                    .as_str()
                    .unwrap()
                    .chars()
                    .any(|ch| ch > '\u{2e80}'),
                "{name}: {v}"
            );
        }
        // The XLSX export follows the order too (and refuses a bad one).
        let (s, _, _) = c
            .get_bytes("/api/v1/matters/export.xlsx?sort=due_asc")
            .await;
        assert_eq!(s, 200, "{name}");
        let (s, _, _) = c.get_bytes("/api/v1/matters/export.xlsx?sort=x").await;
        assert_eq!(s, 400, "{name}");
        // The ledger page: a 排序 select, and the next page keeps order and cursor.
        let (s, page) = c.get("/matters?sort=due_asc").await;
        let page = page.as_str().unwrap().to_string();
        assert_eq!(s, 200, "{name}");
        assert!(page.contains("排序"), "{name}");
        assert!(
            page.contains(r#"<option value="due_asc" selected>"#),
            "{name}"
        );
        let link = page
            .split("href=\"/matters?")
            .filter_map(|s| s.split('"').next())
            .find(|l| l.contains("after="))
            .expect("a next-page link")
            .replace("&amp;", "&")
            .replace("&#38;", "&");
        assert!(link.contains("sort=due_asc"), "{name}: {link}");
        let (s, page2) = c.get(&format!("/matters?{link}")).await;
        assert_eq!(s, 200, "{name}");
        let page2 = page2.as_str().unwrap();
        let second = expected(MatterSort::DueAsc, &every)[50];
        assert!(
            page2.contains(&format!("/matters/{second}\"")),
            "{name}: page two starts at {second}: {link} {:?} {}",
            &expected(MatterSort::DueAsc, &every)[45..55],
            page2
                .split("<tbody>")
                .nth(1)
                .unwrap_or("")
                .chars()
                .take(600)
                .collect::<String>()
        );
        assert!(!page2.contains("class=\"error\""), "{name}");
        let (s, bad) = c.get("/matters?sort=nope").await;
        assert_eq!(s, 200, "{name}");
        assert!(bad.as_str().unwrap().contains("排序须为"), "{name}");
    }
}

#[tokio::test]
async fn both_ways_of_counting_by_class_agree_with_a_plain_count() {
    use fazhi_db::matters::stats::tallies;
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let today = w.state.clock.today();
        fazhi_demo::matters::seed(&w.t.db, &fazhi_testkit::web::vault(), today, 200)
            .await
            .unwrap();
        let everything = vec!["/".to_string()];
        let (from, to) = ("2000-01-01", "2999-12-31");
        for path in [None, Some("/1/2/")] {
            let sorted = tallies(&w.t.db, &everything, path, from, to, false)
                .await
                .unwrap();
            let scanned = tallies(&w.t.db, &everything, path, from, to, true)
                .await
                .unwrap();
            assert_eq!(sorted, scanned, "{name} {path:?}");
            // Both breakdowns cover every matter once: received plus repeats = all matters.
            let all = |rows: Vec<fazhi_core::stats::MatterCounts>| {
                rows.iter().map(|c| c.received + c.repeats).sum::<i64>()
            };
            let by_place = all(sorted.by_place_month.iter().map(|(_, c)| *c).collect());
            let by_class = all(sorted.by_class.iter().map(|(_, c)| *c).collect());
            assert_eq!(by_place, by_class, "{name} {path:?}");
            let expected = if path.is_none() { 600 } else { 200 };
            assert_eq!(
                by_place, expected,
                "{name} {path:?}: every demo matter counted"
            );
        }
    }
}

#[tokio::test]
async fn counting_by_township_agrees_for_villages_and_partial_scopes() {
    use fazhi_db::matters::stats::tallies;
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let today = w.state.clock.today();
        fazhi_demo::matters::seed(&w.t.db, &fazhi_testkit::web::vault(), today, 60)
            .await
            .unwrap();
        let everything = vec!["/".to_string()];
        let all = fazhi_db::admin::divisions::tree(&w.t.db, &everything)
            .await
            .unwrap();
        let towns: Vec<_> = all
            .iter()
            .filter(|d| d.level == fazhi_core::division::Level::Township)
            .collect();
        let village_of = |t: &fazhi_db::admin::divisions::DivisionRow| {
            all.iter()
                .find(|d| d.parent_id == Some(t.id))
                .unwrap()
                .path
                .clone()
        };
        let (v0, t1) = (village_of(towns[0]), towns[1].path.clone());
        let total = |x: &fazhi_db::matters::stats::Tallies| -> (i64, i64) {
            let sum = |rows: Vec<fazhi_core::stats::MatterCounts>| {
                rows.iter().map(|c| c.received + c.repeats).sum::<i64>()
            };
            (
                sum(x.by_place_month.iter().map(|(_, c)| *c).collect()),
                sum(x.by_class.iter().map(|(_, c)| *c).collect()),
            )
        };
        // (scope, area): a village, a scope of one village, a scope of a village and a
        // township (not whole townships: sorted), and one township as the scope.
        let cases = [
            (everything.clone(), Some(v0.as_str())),
            (vec![v0.clone()], None),
            (vec![v0.clone(), t1.clone()], None),
            (vec![t1.clone()], None),
        ];
        let mut counted = Vec::new();
        for (roots, path) in &cases {
            let (from, to) = ("2000-01-01", "2999-12-31");
            let sorted = tallies(&w.t.db, roots, *path, from, to, false)
                .await
                .unwrap();
            let by_township = tallies(&w.t.db, roots, *path, from, to, true)
                .await
                .unwrap();
            assert_eq!(sorted, by_township, "{name} {roots:?} {path:?}");
            let (place, class) = total(&by_township);
            assert_eq!(place, class, "{name} {roots:?} {path:?}");
            counted.push(place);
        }
        let village = counted[0];
        assert!(village > 0, "{name}");
        assert_eq!(counted, [village, village, village + 60, 60], "{name}");
    }
}

#[tokio::test]
async fn a_keyword_search_lists_newest_registered_first_unless_sorted() {
    let t = fazhi_testkit::db::sqlite().await.unwrap();
    let w = world(t).await;
    fazhi_demo::matters::seed(&w.t.db, &w.state.vault, w.state.clock.today(), 120)
        .await
        .unwrap();
    let c = w.login("district").await;
    let ids = |v: &Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_i64().unwrap())
            .collect()
    };
    let (s, plain) = c
        .get("/api/v1/matters?q=%E5%8F%8D%E6%98%A0&limit=200")
        .await;
    assert_eq!(s, 200, "{plain}");
    let plain = ids(&plain);
    assert!(plain.len() > 20, "反映 is in many demo summaries");
    assert!(plain.windows(2).all(|w| w[0] > w[1]), "id_desc: {plain:?}");
    let (_, by_received) = c
        .get("/api/v1/matters?q=%E5%8F%8D%E6%98%A0&limit=200&sort=received_desc")
        .await;
    let mut a = ids(&by_received);
    assert_ne!(a, plain, "an explicit sort is kept");
    a.sort_unstable_by(|x, y| y.cmp(x));
    assert_eq!(a, plain, "the same matters either way");
}

/// What a write answers (built from what was written, not read back) is what a read
/// gives afterwards: registering with a grid and an address, actions with and without
/// a version, a new handler by assignment and by transfer, and a return.
#[tokio::test]
async fn what_a_write_answers_is_what_is_read_back() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (village, _) = villages(&w).await;
        let c = w.login("center").await;
        let same = |label: &str, written: &Value, read: &Value| {
            let fields = written.as_object().unwrap();
            assert!(fields.len() > 10, "{name}: {label}: {written}");
            for (k, v) in fields {
                assert_eq!(&read[k], v, "{name}: {label}: field {k}");
            }
        };
        let (s, m) = w
            .login("grid01")
            .await
            .post(
                "/api/v1/matters",
                json!({"kind": "dispute", "channel": "visit", "category": "neighbour",
                    "division_code": village, "address": "村东头三组",
                    "summary": "邻居修建围墙占用公共通道",
                    "parties": [{"name": "王建国"}, {"name": "李秀英", "role": "respondent"}]}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {m}");
        assert!(m["grid_name"].is_string(), "{name}: {m}");
        let id = m["id"].as_i64().unwrap();
        let (_, d) = c.get(&format!("/api/v1/matters/{id}")).await;
        same("register", &m, &d);
        let (_, found) = c.get("/api/v1/matters?q=李秀英").await;
        assert!(
            found["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["id"] == id),
            "{name}: indexed at registration"
        );

        let unit = unit_of(&c, "司法所").await;
        let other = unit_of(&c, "派出所").await;
        let village_id = fazhi_db::admin::divisions::by_code(&w.state.db, &village)
            .await
            .unwrap()
            .id;
        let steps = [
            (json!({"action": "accept"}), false),
            (
                json!({"action": "assign", "assignee": {"kind": "unit", "id": unit}}),
                true,
            ),
            (
                json!({"action": "transfer", "assignee": {"kind": "unit", "id": other}, "reason": "属治安案件"}),
                false,
            ),
            (json!({"action": "acknowledge"}), true),
            (
                json!({"action": "return", "reason": "不属本单位职责"}),
                true,
            ),
            (
                json!({"action": "assign", "assignee": {"kind": "division", "id": village_id}}),
                false,
            ),
            (
                json!({"action": "close", "closure_type": "substantive", "resolved": true, "outcome": "success"}),
                true,
            ),
            (
                json!({"action": "follow_up", "satisfaction": "satisfied"}),
                true,
            ),
        ];
        let mut version = m["version"].as_i64().unwrap();
        for (mut step, versioned) in steps {
            if versioned {
                step["version"] = json!(version);
            }
            let (s, r) = c
                .post(&format!("/api/v1/matters/{id}/actions"), step.clone())
                .await;
            assert_eq!(s, 200, "{name}: {step} → {r}");
            version = r["matter"]["version"].as_i64().unwrap();
            let (_, d) = c.get(&format!("/api/v1/matters/{id}")).await;
            same(&step.to_string(), &r["matter"], &d);
            let last = d["events"].as_array().unwrap().last().unwrap().clone();
            assert_eq!(r["event"], last, "{name}: {step}");
        }

        // Every column, beyond what the API shows.
        use fazhi_core::matter::{Action, MatterState, apply};
        use fazhi_db::matters::{Applied, NewMatter, NewParty, read, write};
        let db = &w.state.db;
        let actor = fazhi_db::audit::Actor {
            id: Some(1),
            name: "center".into(),
            shown: None,
        };
        let roots = vec!["/".to_string()];
        let (cal, rules) = (w.state.matters.calendar(), w.state.matters.rules());
        let today = w.state.clock.today();
        let before = read::by_id(db, id).await.unwrap();
        let archive = |version: Option<i64>| {
            write::act(
                db,
                &actor,
                &roots,
                id,
                version,
                None,
                time::macros::date!(2025 - 01 - 02),
                |_, st| {
                    apply(&st, &Action::Archive, today, &cal, &rules).map(|t| Applied {
                        action: t.action,
                        state: t.state,
                        note: "备注".into(),
                        payload: "{}".into(),
                    })
                },
            )
        };
        let stale = archive(Some(before.version - 1)).await;
        assert!(matches!(stale, Err(fazhi_db::DbError::Stale)), "{name}");
        let (row, ev) = archive(Some(before.version)).await.unwrap().unwrap();
        assert_eq!(row, read::by_id(db, id).await.unwrap(), "{name}");
        let events = read::events(db, id).await.unwrap();
        assert_eq!(&ev, events.last().unwrap(), "{name}");
        assert!(archive(None).await.unwrap().is_err(), "{name}: archived");
        assert_eq!(row, read::by_id(db, id).await.unwrap(), "{name}");
        let m = NewMatter {
            tracking_code: "2345678923".into(),
            category: "neighbour".into(),
            division_id: village_id,
            division_path: before.division_path.clone(),
            grid_id: before.grid_id,
            summary: "院墙渗水".into(),
            address: Some("二组".into()),
            state: MatterState::register(
                fazhi_core::matter::Kind::Dispute,
                fazhi_core::matter::Channel::Visit,
                today,
                &cal,
                &rules,
            ),
            repeat_of: Some(id),
            parties: vec![NewParty {
                role: fazhi_core::party::PartyRole::Applicant,
                name: "赵六".into(),
                ..NewParty::default()
            }],
            photos: Vec::new(),
            today,
            assignee_path: None,
            history: Vec::new(),
            source_ref: None,
        };
        let row = write::create(db, &w.state.vault, &actor, &m).await.unwrap();
        assert_eq!(row, read::by_id(db, row.id).await.unwrap(), "{name}");
        let report = fazhi_db::audit::verify(db, None).await.unwrap();
        assert_eq!(report.first_bad, None, "{name}");
    }
}
