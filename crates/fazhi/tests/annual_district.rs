//! The annual report beyond the township (issue 18 §4, §6, §7, §8), on SQLite and
//! PostgreSQL: review comments hold the secrecy check, versions compare side by side,
//! the district sees every township's report with its figures beside the records
//! (the demo's 清溪街道 typed a figure that disagrees, 白沙镇 was late), reports
//! written outside the platform are uploaded and read, and 督办 notices are answered.

use crate::common::world;
use serde_json::{Value, json};

const QINGSHI: &str = "500160101000";
const QINGXI: &str = "500160001000";
const BAISHA: &str = "500160102000";

fn row<'a>(v: &'a Value, code: &str) -> &'a Value {
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("no row {code}: {v}"))
}

#[tokio::test]
async fn the_district_sees_each_report_beside_the_records() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let today = w.state.clock.today();
        let vault = fazhi_testkit::web::vault();
        fazhi_demo::matters::seed(&w.state.db, &vault, today, 150)
            .await
            .unwrap();
        fazhi_demo::education::seed(&w.state.db, &vault, today)
            .await
            .unwrap();
        let stored = fazhi_demo::annual::seed(&w.state, today).await.unwrap();
        assert_eq!(stored, 4, "{name}");
        let last = today.year() - 1;
        let district = w.login("district").await;
        let (s, v) = district
            .get(&format!("/api/v1/annual/district/{last}"))
            .await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["rows"].as_array().unwrap().len(), 3, "{name}");
        for code in [QINGSHI, QINGXI, BAISHA] {
            let r = row(&v, code);
            assert_eq!(r["source"], "platform", "{name}: {r}");
            assert_eq!(r["status"], "已公开", "{name}");
            assert_eq!(r["errors"], 0, "{name}: {r}");
            assert!(r["compared"].as_array().unwrap().len() >= 5, "{name}: {r}");
        }
        // Only the figure 清溪街道 typed into its words disagrees with the records.
        assert_eq!(row(&v, QINGSHI)["differences"], 0, "{name}: {v}");
        assert_eq!(row(&v, BAISHA)["differences"], 0, "{name}: {v}");
        let qingxi = row(&v, QINGXI);
        let flagged: Vec<&Value> = qingxi["compared"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["differs"] == true)
            .collect();
        assert_eq!(flagged.len(), 1, "{name}: {qingxi}");
        assert_eq!(flagged[0]["indicator"], "disputes_handled", "{name}");
        // 白沙镇 submitted and published after the deadlines; the others on time.
        assert_eq!(row(&v, BAISHA)["submit_late"], true, "{name}");
        assert_eq!(row(&v, BAISHA)["publish_late"], true, "{name}");
        assert_eq!(row(&v, QINGSHI)["submit_late"], false, "{name}");
        let notice = &row(&v, BAISHA)["notices"][0];
        assert_eq!(notice["subject"], "年度报告逾期未报送", "{name}");
        assert!(notice["reply"].is_string(), "{name}");
        // The page shows the same; a township's head cannot read the district's view.
        let (s, _, page) = district
            .get_bytes(&format!("/annual/district/{last}"))
            .await;
        assert_eq!(s, 200, "{name}");
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("白沙镇") && page.contains("逾期"), "{name}");
        assert!(page.contains("class=\"differs\""), "{name}");
        let leader = w.login("leader").await;
        let (s, _) = leader.get(&format!("/api/v1/annual/district/{last}")).await;
        assert_eq!(s, 403, "{name}");
        // This year's draft of 青石镇 has two versions; they compare side by side.
        let (s, _, page) = leader
            .get_bytes(&format!("/annual/{QINGSHI}/{}/versions", today.year()))
            .await;
        assert_eq!(s, 200, "{name}");
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains("第1版（左）与第2版（右）") && page.contains("class=\"changed\""),
            "{name}: {page}"
        );
    }
}

#[tokio::test]
async fn comments_hold_the_secrecy_check_until_answered() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let year = w.state.clock.today().year();
        let url = format!("/api/v1/annual/{QINGSHI}/{year}");
        let center = w.login("center").await;
        let leader = w.login("leader").await;
        let body = json!({"version": 0, "sections": [
            ["全年受理〔matters.received〕。"],
            ["主持召开专题会议〔heads.meetings=4；党委会会议纪要〕次，述法〔heads.statements〕。"],
            [], [], []]});
        let (s, r) = center.send_json("PUT", &url, body, true).await;
        assert_eq!(s, 200, "{name}: {r}");
        // A comment names an existing part and paragraph.
        let comments = format!("{url}/comments");
        let (s, r) = leader
            .post(
                &comments,
                json!({"section": 1, "paragraph": 2, "body": "请补充案例"}),
            )
            .await;
        assert_eq!(s, 400, "{name}: {r}");
        assert!(r["fields"]["paragraph"].is_string(), "{name}: {r}");
        let (s, r) = leader
            .post(
                &comments,
                json!({"section": 1, "paragraph": 1, "body": " "}),
            )
            .await;
        assert_eq!(s, 400, "{name}: {r}");
        let (s, r) = leader
            .post(
                &comments,
                json!({"section": 1, "paragraph": 1, "body": "请补充典型案例"}),
            )
            .await;
        assert_eq!(s, 200, "{name}: {r}");
        let id = r["id"].as_i64().unwrap();
        // A village mediator of the township is no reviewer.
        let village = w.login("village01").await;
        let (s, _) = village
            .post(
                &comments,
                json!({"section": 1, "paragraph": 1, "body": "意见"}),
            )
            .await;
        assert!(s == 403 || s == 404, "{name}: {s}");
        let all = ["secrets", "personal", "internal", "figures"];
        let check = json!({"to": "checked", "version": 1, "checklist": all});
        let (s, r) = center.post(&format!("{url}/step"), check.clone()).await;
        assert_eq!(s, 409, "{name}: {r}");
        assert!(
            r["message"].as_str().unwrap().contains("审阅意见"),
            "{name}: {r}"
        );
        // The district reviews too, but only the drafting side answers.
        let district = w.login("district").await;
        let (s, r) = district
            .post(
                &comments,
                json!({"section": 1, "paragraph": 1, "body": "数字请注明口径"}),
            )
            .await;
        assert_eq!(s, 200, "{name}: {r}");
        let other = r["id"].as_i64().unwrap();
        let resolve = format!("{comments}/{id}/resolve");
        let (s, _) = district.post(&resolve, json!({"answer": "已补充"})).await;
        assert_eq!(s, 403, "{name}");
        let (s, _) = leader
            .post(
                &format!("{comments}/{other}/resolve"),
                json!({"answer": "已注明"}),
            )
            .await;
        assert_eq!(s, 204, "{name}");
        let (s, r) = center
            .post(&resolve, json!({"answer": "已补充两则案例"}))
            .await;
        assert_eq!(s, 204, "{name}: {r}");
        let (s, _) = center.post(&resolve, json!({"answer": "再次"})).await;
        assert_eq!(s, 409, "{name}");
        let (s, r) = center.post(&format!("{url}/step"), check).await;
        assert_eq!(s, 200, "{name}: {r}");
        // The page shows the comment with its answer.
        let (s, _, page) = center.get_bytes(&format!("/annual/{QINGSHI}/{year}")).await;
        assert_eq!(s, 200);
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains("请补充典型案例") && page.contains("已补充两则案例"),
            "{name}"
        );
    }
}

/// A report a township wrote by hand (fictional, written for this test).
fn outside_text(year: i32) -> String {
    format!(
        "白沙镇人民政府关于{year}年度法治政府建设情况的报告\n\
         一、推进法治政府建设的主要举措和成效\n\
         （一）矛盾纠纷化解。全年排查化解矛盾纠纷321件，开展普法宣传活动45场，发放宣传资料6000份。\n\
         二、党政主要负责人履行推进法治建设第一责任人职责情况\n\
         党委书记主持专题研究法治建设4次。\n\
         三、存在的不足和原因\n\
         基层法治力量仍然薄弱。\n\
         四、下一年度推进法治政府建设的主要安排\n\
         持续推进综治中心规范化建设。\n\
         白沙镇人民政府\n\
         {}年2月20日\n",
        year + 1
    )
}

#[tokio::test]
async fn outside_reports_are_read_and_notices_answered() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let today = w.state.clock.today();
        let year = today.year();
        let district = w.login("district").await;
        let upload = format!("/annual/district/{year}/upload?_csrf={}", district.csrf);
        let text = outside_text(year);
        let (s, _) = district
            .post_multipart(
                &upload,
                &[
                    ("code", None, BAISHA.as_bytes()),
                    ("file", Some("白沙镇.txt"), text.as_bytes()),
                ],
                false,
            )
            .await;
        assert_eq!(s, 303, "{name}");
        // Binary content is refused and keeps nothing.
        let (s, _) = district
            .post_multipart(
                &upload,
                &[
                    ("code", None, QINGXI.as_bytes()),
                    ("file", Some("x.txt"), &[0u8, 159, 146, 150, 0, 1, 2, 3]),
                ],
                false,
            )
            .await;
        assert_eq!(s, 303, "{name}");
        let (s, v) = district
            .get(&format!("/api/v1/annual/district/{year}"))
            .await;
        assert_eq!(s, 200, "{name}: {v}");
        let r = row(&v, BAISHA);
        assert_eq!(r["source"], "uploaded", "{name}: {r}");
        assert_eq!(r["file_name"], "白沙镇.txt", "{name}");
        let disputes = r["compared"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["indicator"] == "disputes_handled")
            .unwrap();
        assert_eq!(disputes["claimed"], 321.0, "{name}: {r}");
        assert_eq!(disputes["differs"], true, "{name}: no such records: {r}");
        assert_eq!(row(&v, QINGXI)["source"], "none", "{name}");
        // Outside its scope a township's staff cannot upload.
        let village = w.login("village01").await;
        let (s, _) = village
            .post_multipart(
                &format!("/annual/district/{year}/upload?_csrf={}", village.csrf),
                &[
                    ("code", None, BAISHA.as_bytes()),
                    ("file", Some("白沙镇.txt"), text.as_bytes()),
                ],
                false,
            )
            .await;
        assert!(s == 404 || s == 403, "{name}: {s}");

        // 督办: only the district sends; the due day is after today.
        let due = (today + time::Duration::days(7)).to_string();
        let notice = |due: &str| {
            json!({"code": QINGSHI, "year": year, "subject": "请核实矛盾纠纷数",
            "body": "报告与记录不一致，请说明。", "due_on": due})
        };
        let leader = w.login("leader").await;
        let (s, _) = leader.post("/api/v1/annual/notices", notice(&due)).await;
        assert_eq!(s, 403, "{name}");
        let (s, r) = district
            .post("/api/v1/annual/notices", notice(&today.to_string()))
            .await;
        assert_eq!(s, 400, "{name}: {r}");
        assert!(r["fields"]["due_on"].is_string(), "{name}: {r}");
        let (s, r) = district.post("/api/v1/annual/notices", notice(&due)).await;
        assert_eq!(s, 200, "{name}: {r}");
        let id = r["id"].as_i64().unwrap();
        // The township answers once; another township cannot.
        let reply = |code: &str| format!("/api/v1/annual/{code}/notices/{id}/reply");
        let center = w.login("center").await;
        let (s, _) = center.post(&reply(QINGXI), json!({"reply": "x"})).await;
        assert_eq!(s, 404, "{name}");
        let (s, r) = center
            .post(&reply(QINGSHI), json!({"reply": "已核实，系统计口径不同"}))
            .await;
        assert_eq!(s, 204, "{name}: {r}");
        let (s, _) = center.post(&reply(QINGSHI), json!({"reply": "再次"})).await;
        assert_eq!(s, 409, "{name}");
        let (_, v) = district
            .get(&format!("/api/v1/annual/district/{year}"))
            .await;
        let n = &row(&v, QINGSHI)["notices"][0];
        assert_eq!(n["reply"], "已核实，系统计口径不同", "{name}: {n}");
        // The township's page shows the notice with its reply.
        let (_, _, page) = center.get_bytes(&format!("/annual/{QINGSHI}/{year}")).await;
        assert!(
            String::from_utf8(page)
                .unwrap()
                .contains("请核实矛盾纠纷数"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn the_district_sets_the_order_and_titles_of_the_parts() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let year = w.state.clock.today().year();
        let district = w.login("district").await;
        let leader = w.login("leader").await;
        let (s, v) = leader.get("/api/v1/annual/template").await;
        assert_eq!(s, 200, "{name}: {v}");
        assert_eq!(v["parts"][0]["part"], "measures", "{name}");
        let mut parts = v["parts"].as_array().unwrap().clone();
        parts.swap(2, 3);
        parts[0]["title"] = json!("法治政府建设主要举措和成效");
        let body = json!({ "parts": parts });
        assert_eq!(
            leader
                .send_json("PUT", "/api/v1/annual/template", body.clone(), true)
                .await
                .0,
            403,
            "{name}"
        );
        // A title the reader cannot place is refused, and so is a part given twice.
        let mut bad = parts.clone();
        bad[1]["title"] = json!("领导带头");
        let (s, r) = district
            .send_json(
                "PUT",
                "/api/v1/annual/template",
                json!({"parts": bad}),
                true,
            )
            .await;
        assert_eq!(s, 400, "{name}: {r}");
        let mut twice = parts.clone();
        twice[4]["part"] = json!("measures");
        let (s, _) = district
            .send_json(
                "PUT",
                "/api/v1/annual/template",
                json!({"parts": twice}),
                true,
            )
            .await;
        assert_eq!(s, 400, "{name}");
        // A draft saved under the old order, with a comment on its third part.
        let center = w.login("center").await;
        let url = format!("/api/v1/annual/{QINGSHI}/{year}");
        let saved = json!({"version": 0, "sections": [
            ["全年受理〔matters.received〕。"], ["述法〔heads.statements〕。"],
            ["一是基层力量仍显薄弱。"], ["明年继续加强。"], []]});
        let (s, r) = center.send_json("PUT", &url, saved.clone(), true).await;
        assert_eq!(s, 200, "{name}: {r}");
        let (s, r) = leader
            .post(
                &format!("{url}/comments"),
                json!({"section": 3, "paragraph": 1, "body": "请写明原因"}),
            )
            .await;
        assert_eq!(s, 200, "{name}: {r}");
        let (s, r) = district
            .send_json("PUT", "/api/v1/annual/template", body, true)
            .await;
        assert_eq!(s, 200, "{name}: {r}");
        // The saved words follow the new order as a new version; the comment moves with
        // its part, and a form opened on the old order is refused as out of date.
        let (_, v) = leader.get(&url).await;
        assert_eq!(v["version"], 2, "{name}: {v}");
        let part = |i: usize| v["draft"]["sections"][i].to_string();
        assert!(
            part(3).contains("四、存在的不足和原因"),
            "{name}: {}",
            part(3)
        );
        assert!(part(3).contains("基层力量仍显薄弱"), "{name}: {}", part(3));
        assert!(part(2).contains("明年继续加强"), "{name}: {}", part(2));
        let mut stale = saved.clone();
        stale["version"] = json!(1);
        let (s, r) = center.send_json("PUT", &url, stale, true).await;
        assert_eq!(s, 409, "{name}: {r}");
        let township = fazhi_db::admin::divisions::by_code(&w.state.db, QINGSHI)
            .await
            .unwrap();
        let comments = fazhi_db::annual::review::comments(&w.state.db, township.id, year)
            .await
            .unwrap();
        assert_eq!(comments[0].section, 3, "{name}");
        // New drafts follow it, and still read as a complete report.
        let (_, v) = leader
            .get(&format!("/api/v1/annual/{QINGSHI}/{year}"))
            .await;
        let titles: Vec<&str> = v["draft"]["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles[0], "一、法治政府建设主要举措和成效", "{name}");
        assert_eq!(
            titles[2], "三、下一年度推进法治政府建设的主要安排",
            "{name}"
        );
        let (_, _, text) = leader
            .get_bytes(&format!("/annual/{QINGSHI}/{year}/draft.txt"))
            .await;
        let report = fazhi_analyze::analyze_text("x.txt", &String::from_utf8(text).unwrap());
        assert!(!report.has_errors(), "{name}: {:?}", report.checks);
        // The appendix table lists every figure of the draft.
        let slots = v["draft"]["sections"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["paragraphs"].as_array().unwrap())
            .flat_map(|p| p.as_array().unwrap())
            .filter(|p| p["kind"] == "figure")
            .count();
        let (s, _, xlsx) = leader
            .get_bytes(&format!("/annual/{QINGSHI}/{year}/figures.xlsx"))
            .await;
        assert_eq!(s, 200, "{name}");
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
        let range = wb.worksheet_range("数字来源").unwrap();
        assert_eq!(range.get_size().0, slots + 2, "{name}");
        // Every traced figure says how many records it rests on; a count rests on as
        // many records as it counts.
        let cell = |r: usize, c: usize| range.get_value((r as u32, c as u32)).unwrap().to_string();
        assert_eq!(cell(1, 5), "所据记录数", "{name}");
        for r in 2..slots + 2 {
            let (text, source, records) = (cell(r, 2), cell(r, 4), cell(r, 5));
            if source != "平台记录" {
                assert_eq!(records, "", "{name}: a typed figure has no records");
                continue;
            }
            assert!(
                records.parse::<i64>().is_ok(),
                "{name}: row {r} {text} has no count"
            );
            let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
            let measure = &text[digits.len()..];
            if !digits.is_empty() && ["件", "起", "场", "次", "名", "个", "项"].contains(&measure)
            {
                assert_eq!(records, digits, "{name}: {text}");
            }
        }
    }
}
