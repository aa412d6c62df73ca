//! The annual report's first draft on the demo township's records (SQLite, and
//! PostgreSQL when FAZHI_TEST_POSTGRES_URL is set): every traced figure is the one its
//! statistics page shows, the text passes `fazhi check` with no error, and the report
//! reader finds every traced count in it again.

use crate::common::world;
use serde_json::Value;

#[tokio::test]
async fn the_draft_is_written_from_the_records_and_reads_back() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let today = w.state.clock.today();
        let vault = fazhi_testkit::web::vault();
        fazhi_demo::matters::seed(&w.state.db, &vault, today, 120)
            .await
            .unwrap();
        fazhi_demo::enforcement::seed(&w.state.db, today, 30)
            .await
            .unwrap();
        fazhi_demo::education::seed(&w.state.db, &vault, today)
            .await
            .unwrap();
        // The enforcement seed first: a review item links one of its cases.
        fazhi_demo::decisions::seed(&w.state.db, today)
            .await
            .unwrap();
        fazhi_demo::major::seed(&w.state.db, today).await.unwrap();
        fazhi_demo::litigation::seed(&w.state.db, today)
            .await
            .unwrap();
        fazhi_demo::advisers::seed(&w.state.db, today)
            .await
            .unwrap();
        let year = today.year();
        let leader = w.login("leader").await;
        let (s, v) = leader
            .get(&format!("/api/v1/annual/500160101000/{year}"))
            .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["version"], 0, "{name}: never saved");
        let d = v["draft"].clone();
        assert_eq!(
            d["title"],
            format!("青石镇人民政府关于{year}年度法治政府建设情况的报告"),
            "{name}"
        );
        let slots: Vec<&Value> = d["sections"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["paragraphs"].as_array().unwrap())
            .flat_map(|p| p.as_array().unwrap())
            .filter(|p| p["kind"] == "figure")
            .collect();
        let slot = |key: &str| {
            slots
                .iter()
                .find(|s| s["key"] == key)
                .unwrap_or_else(|| panic!("{name}: no slot {key}"))
        };
        // The same numbers as the statistics each stream shows.
        let (_, st) = leader
            .get(&format!("/api/v1/stats/enforcement?year={year}"))
            .await;
        let opened = st["figures"][0]["count"].as_i64().unwrap();
        assert_eq!(
            slot("enforcement.opened")["text"],
            format!("{opened}件"),
            "{name}"
        );
        assert!(
            slot("matters.received")["link"]
                .as_str()
                .unwrap()
                .contains("figure=received")
        );
        // The 第一责任人 part cites the head's own records (学法 attended, decisions).
        assert!(
            slots
                .iter()
                .any(|s| s["key"].as_str().unwrap().starts_with("heads.")
                    && s["key"].as_str().unwrap().ends_with(".case_decisions")
                    && s["traced"] == true),
            "{name}: the head's decisions are counted from records"
        );
        // The review desk and the catalogue fill the decisions paragraph.
        assert_eq!(slot("review.received")["traced"], true, "{name}");
        assert_ne!(
            slot("review.received")["text"],
            "0件",
            "{name}: the demo desk has items"
        );
        // 述法 comes from the statements: the count, and each one cited.
        let told = slot("heads.statements");
        assert_eq!(told["traced"], true, "{name}");
        let n: usize = told["text"]
            .as_str()
            .unwrap()
            .trim_end_matches("人次")
            .parse()
            .unwrap();
        let cited = slots
            .iter()
            .filter(|s| s["key"].as_str().unwrap().starts_with("heads.statement."))
            .count();
        assert_eq!(cited, n, "{name}: each statement cited");
        assert!(n > 0, "{name}: the demo heads made their statements");
        // 法律顾问 from the roster: one village of the demo has a lapsed contract.
        let covered: i64 = slot("advisers.villages_covered")["text"]
            .as_str()
            .unwrap()
            .trim_end_matches('个')
            .parse()
            .unwrap();
        let all: i64 = slot("advisers.villages")["text"]
            .as_str()
            .unwrap()
            .trim_end_matches('个')
            .parse()
            .unwrap();
        assert!(covered > 0 && covered < all, "{name}: {covered} of {all}");
        // 复议/诉讼 from the register, each hearing a head attended cited.
        assert_eq!(slot("litigation.lawsuits")["traced"], true, "{name}");
        let hearings = slots
            .iter()
            .filter(|s| s["key"].as_str().unwrap().starts_with("heads.hearing."))
            .count();
        let (_, att) = leader
            .get(&format!(
                "/api/v1/litigation/head-attendance?township_code=500160101000&year={year}"
            ))
            .await;
        assert_eq!(
            Some(hearings),
            att.as_array().map(|a| a.len()),
            "{name}: {att}"
        );
        assert!(hearings > 0, "{name}: the demo heads attended hearings");
        // Typed figures are marked as such.
        assert_eq!(slot("heads.meetings")["traced"], false, "{name}");
        assert!(
            slots.iter().filter(|s| s["traced"] == true).count() >= 20,
            "{name}"
        );

        // The text passes the reader's check and gives every traced count back.
        let (s, _, text) = leader
            .get_bytes(&format!("/annual/500160101000/{year}/draft.txt"))
            .await;
        assert_eq!(s, 200, "{name}");
        let text = String::from_utf8(text).unwrap();
        let report = fazhi_analyze::analyze_text("青石镇.txt", &text);
        assert!(!report.has_errors(), "{name}: {:?}", report.checks);
        assert_eq!(report.year, Some(year), "{name}");
        assert_read_back(name, &d, &report);
        // Every demo township's draft reads back the same way, naming its issuer.
        let district = w.login("district").await;
        for (code, town) in [("500160001000", "清溪街道"), ("500160102000", "白沙镇")] {
            let (s, v) = district.get(&format!("/api/v1/annual/{code}/{year}")).await;
            assert_eq!(s, 200, "{name}: {v}");
            let (_, _, text) = district
                .get_bytes(&format!("/annual/{code}/{year}/draft.txt"))
                .await;
            let text = String::from_utf8(text).unwrap();
            let report = fazhi_analyze::analyze_text("x.txt", &text);
            assert!(!report.has_errors(), "{name} {town}: {:?}", report.checks);
            assert_eq!(report.issuer.as_deref(), Some(town), "{name}");
            assert_read_back(&format!("{name} {town}"), &v["draft"], &report);
        }
    }
}

#[tokio::test]
async fn drafts_stay_inside_the_scope() {
    let t = fazhi_testkit::db::sqlite().await.unwrap();
    let w = world(t).await;
    let village = w.login("village01").await;
    // A village mediator reads matters but not another township's report.
    let (s, _) = village.get("/api/v1/annual/500160001000/2026").await;
    assert_eq!(s, 404);
    let leader = w.login("leader").await;
    assert_eq!(leader.get("/api/v1/annual/500160001000/2026").await.0, 404);
    assert_eq!(leader.get("/api/v1/annual/500160101000/1900").await.0, 404);
    assert_eq!(leader.get("/api/v1/annual/abc/2026").await.0, 404);
    let (s, _, page) = leader.get_bytes("/annual/500160101000/2026").await;
    assert_eq!(s, 200);
    assert!(String::from_utf8_lossy(&page).contains("附表"));
    // The Word file opens back with the title, the parts and blanks for typed figures.
    let (s, h, docx) = leader
        .get_bytes("/annual/500160101000/2026/draft.docx")
        .await;
    assert_eq!(s, 200);
    assert!(
        h["content-type"]
            .to_str()
            .unwrap()
            .contains("wordprocessingml")
    );
    let text = fazhi_analyze::decode::docx_to_text(&docx).unwrap();
    assert!(
        text.contains("关于2026年度法治政府建设情况的报告"),
        "{text}"
    );
    assert!(text.contains("二、党政主要负责人履行推进法治建设第一责任人职责情况"));
    assert!(text.contains("____"), "typed figures are blanks");
}

#[tokio::test]
async fn edited_words_keep_their_figures_and_moved_ones_are_shown() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let year = w.state.clock.today().year();
        let url = format!("/api/v1/annual/500160101000/{year}");
        let center = w.login("center").await;
        let (_, v) = center.get(&url).await;
        // Rewrite the first part: new words around the received figure, a typed
        // figure given with its source.
        let mut sections: Vec<Vec<String>> = vec![vec![]; 5];
        sections[0] = vec![
            "我镇全年共受理矛盾纠纷〔matters.received〕。".into(),
            "全年作出重大行政决策〔heads.meetings=2；党委会会议纪要〕项。".into(),
        ];
        let body = serde_json::json!({"version": 0, "sections": sections});
        let (s, r) = center.send_json("PUT", &url, body.clone(), true).await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(r["version"], 1, "{name}");
        let first = &r["draft"]["sections"][0]["paragraphs"][0];
        let text: String = first
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["text"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(text, "我镇全年共受理矛盾纠纷0件。", "{name}: {r}");
        // The same save again is stale; a traced figure cannot be typed over.
        let (s, _) = center.send_json("PUT", &url, body, true).await;
        assert_eq!(s, 409, "{name}: stale version");
        let typed_over = serde_json::json!({"version": 1, "sections": [["受理〔matters.received=999；口头〕"], [], [], [], []]});
        let (s, r) = center.send_json("PUT", &url, typed_over, true).await;
        assert_eq!(s, 400, "{name}: {r}");
        // A village mediator reads matters but does not write the township's report.
        let (s, _) = w
            .login("village01")
            .await
            .send_json(
                "PUT",
                &url,
                serde_json::json!({"version": 1, "sections": []}),
                true,
            )
            .await;
        assert_eq!(s, 404, "{name}");
        // Records change: the saved draft shows the new value and says it moved.
        let (village, _) = crate::common::villages(&w).await;
        let (s, m) = center
            .post(
                "/api/v1/matters",
                serde_json::json!({"kind": "dispute", "channel": "visit", "category": "neighbour",
                    "division_code": village, "summary": "邻里之间因排水沟堵塞发生争执",
                    "parties": [{"name": "赵六"}]}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {m}");
        let (_, v2) = center.get(&url).await;
        assert_eq!(v2["moved"][0]["saved"], "0件", "{name}: {v2}");
        assert_eq!(v2["moved"][0]["now"], "1件", "{name}: {v2}");
        let _ = v;
    }
}

#[tokio::test]
async fn a_report_is_checked_signed_submitted_and_published() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let year = w.state.clock.today().year();
        let url = format!("/api/v1/annual/500160101000/{year}");
        let step = format!("{url}/step");
        let public = format!("/public/annual/500160101000/{year}");
        let center = w.login("center").await;
        let leader = w.login("leader").await;
        // A party of this year's matters, whose name must not reach the report.
        let (village, _) = crate::common::villages(&w).await;
        let (s, m) = center
            .post(
                "/api/v1/matters",
                serde_json::json!({"kind": "dispute", "channel": "visit", "category": "neighbour",
                    "division_code": village, "summary": "钱七与邻居因院墙发生争执",
                    "parties": [{"name": "钱七"}]}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {m}");
        let save = |version: i64, first: &str| {
            serde_json::json!({"version": version, "sections": [
                [first],
                ["主持召开专题会议〔heads.meetings=4；党委会会议纪要〕次，述法〔heads.statements〕。"],
                [], [], []]})
        };
        let (s, r) = center
            .send_json(
                "PUT",
                &url,
                save(0, "调解了钱七的纠纷，受理〔matters.received〕。"),
                true,
            )
            .await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(r["findings"][0]["kind"], "party_name", "{name}: {r}");
        let all = ["secrets", "personal", "internal", "figures"];
        let check = |v: i64, list: &[&str]| serde_json::json!({"to": "checked", "version": v, "checklist": list});
        let (s, r) = center.post(&step, check(1, &all)).await;
        assert_eq!(s, 409, "{name}: personal data blocks the check: {r}");
        let (s, _) = center
            .send_json("PUT", &url, save(1, "全年受理〔matters.received〕。"), true)
            .await;
        assert_eq!(s, 200, "{name}");
        let (s, r) = center.post(&step, check(2, &all[..3])).await;
        assert_eq!(s, 400, "{name}: every point confirmed: {r}");
        let (s, r) = center.post(&step, check(2, &all)).await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(r["status"], "checked", "{name}");
        // Only the head signs, with both principal heads named.
        let sign = |v: i64, who: &[&str]| serde_json::json!({"to": "signed", "version": v, "signers": who});
        assert_eq!(
            center.post(&step, sign(3, &["甲", "乙"])).await.0,
            403,
            "{name}"
        );
        assert_eq!(leader.post(&step, sign(3, &["甲"])).await.0, 400, "{name}");
        // Not published before it is: the public page is missing.
        let (s, _) =
            fazhi_testkit::web::send_anon(&w.app, "GET", &public, serde_json::Value::Null).await;
        assert_eq!(s.as_u16(), 404, "{name}");
        let (s, r) = leader.post(&step, sign(3, &["李书记", "王强"])).await;
        assert_eq!(s, 200, "{name}: {r}");
        // Publishing skips no step.
        let publish = |v: i64| serde_json::json!({"to": "published", "version": v});
        assert_eq!(center.post(&step, publish(4)).await.0, 409, "{name}");
        let (s, _) = center
            .post(&step, serde_json::json!({"to": "submitted", "version": 4}))
            .await;
        assert_eq!(s, 200, "{name}");
        let (s, r) = center.post(&step, publish(5)).await;
        assert_eq!(s, 200, "{name}: {r}");
        assert_eq!(r["status"], "published", "{name}");
        let (s, _, page) = center.get_bytes(&public).await;
        assert_eq!(s, 200, "{name}");
        let page = String::from_utf8_lossy(&page);
        assert!(
            page.contains("关于") && page.contains("全年受理1件"),
            "{name}: {page}"
        );
        assert!(!page.contains("钱七"), "{name}");
    }
}

/// Every traced figure of draft `d` is read back where it stands in `report` (the
/// reader on its text), with the value the records give and the indicator the reader's
/// conventions name for its wording (gold README and INDICATORS.md; null where they
/// name none).
fn assert_read_back(name: &str, d: &Value, report: &fazhi_analyze::Report) {
    let draft: fazhi_core::report::Draft = serde_json::from_value(d.clone()).unwrap();
    let mut read = 0;
    for (at, slot) in draft.slot_offsets() {
        // Durations (学时), citations and typed blanks are not figures (gold README).
        let digits: String = slot
            .text
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let Ok(v) = digits.parse::<f64>() else {
            continue;
        };
        if !slot.traced || slot.text.ends_with("学时") {
            continue;
        }
        let f = report.figures.iter().find(|f| f.start == at);
        let f = f.unwrap_or_else(|| panic!("{name}: {} ({}) not read back", slot.key, slot.text));
        assert!(
            (f.value - v).abs() < 1e-9,
            "{name}: {} read as {}",
            slot.key,
            f.text
        );
        assert_eq!(
            f.indicator,
            expected_indicator(&slot.key),
            "{name}: {} ({})",
            slot.key,
            slot.text
        );
        read += 1;
    }
    assert!(read >= 40, "{name}: {read} figures read back");
}

/// The indicator the reader's conventions give each figure of the draft.
fn expected_indicator(key: &str) -> Option<&'static str> {
    let tail = key.rsplit('.').next().unwrap_or(key);
    Some(match key {
        "matters.received" | "matters.accepted" | "matters.resolved" => "disputes_handled",
        "matters.resolution_rate" => "dispute_resolution_rate",
        "matters.on_time_rate" => "completion_rate",
        "matters.satisfaction_rate" => "satisfaction_rate",
        "enforcement.opened"
        | "enforcement.simple"
        | "enforcement.ordinary"
        | "enforcement.penalised"
        | "enforcement.published_on_time" => "enforcement_cases",
        "enforcement.inspections" => "inspections",
        "education.events" => "publicity_events",
        "education.participants" | "education.reached" => "people_reached",
        "education.materials" => "publicity_materials",
        "education.study_sessions" => "study_sessions",
        "review.received" | "review.reviewed" => "legal_reviews",
        "review.rate" => "review_rate",
        "advisers.in_force" => "legal_advisers_staff",
        _ if key.starts_with("heads.") => match tail {
            "study" => "study_sessions",
            "matter_supervisions" => "disputes_handled",
            "case_supervisions" | "case_decisions" => "enforcement_cases",
            _ => return None,
        },
        _ => return None,
    })
}
