//! Import of a township's existing 普法活动 ledger (issue 17 §9) through the real router
//! and a real database (SQLite, and PostgreSQL when FAZHI_TEST_POSTGRES_URL is set):
//! the header row found under the title, columns suggested by name, every bad row
//! listed with its reasons and nothing written by a dry run, all good rows written by
//! the commit, the same rows skipped when imported again, scoping.

use crate::common::{villages, world};
use axum::body::Body;
use axum::http::{Request, header};
use fazhi_testkit::web::Client;
use serde_json::{Value, json};

async fn upload(c: &Client, file: &[u8]) -> (u16, Value) {
    let boundary = "fazhiledger42";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"台账.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes();
    body.extend_from_slice(file);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let req = Request::post("/api/v1/education/events/imports")
        .header(header::COOKIE, &c.cookie)
        .header("x-csrf-token", &c.csrf)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    let (s, v, _) = fazhi_testkit::web::send(&c.app, req).await;
    (s.as_u16(), v)
}

async fn events(c: &Client) -> usize {
    let (s, v) = c.get("/api/v1/education/events?limit=500").await;
    assert_eq!(s, 200, "{v}");
    v.as_array().unwrap().len()
}

/// A ledger as townships keep it: a title row, then the header, then the rows.
fn ledger(rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "青石镇普法活动台账").unwrap();
    let headers = [
        "序号",
        "活动时间",
        "活动名称",
        "活动形式",
        "村（社区）",
        "参加人数",
        "受众人次",
        "发放资料(份)",
        "备注",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write(1, c as u16, *h).unwrap();
    }
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        ws.write(r, 0, i as u32 + 1).unwrap();
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16 + 1;
            match cell {
                Cell::T(s) => ws.write(r, c, s.as_str()).unwrap(),
                Cell::N(n) => ws.write(r, c, *n).unwrap(),
            };
        }
    }
    wb.save_to_buffer().unwrap()
}

enum Cell {
    T(String),
    N(f64),
}

fn t(s: &str) -> Cell {
    Cell::T(s.into())
}

#[tokio::test]
async fn a_ledger_is_checked_row_by_row_and_imported_once() {
    for t_ in fazhi_testkit::db::all().await {
        let name = t_.name();
        let w = world(t_).await;
        let center = w.login("center").await;
        let (own, other) = villages(&w).await;
        let (_, list) = center
            .get("/api/v1/divisions?parent_code=500160101000&limit=500")
            .await;
        let name_of = |code: &str| {
            list.as_array()
                .unwrap()
                .iter()
                .find(|d| d["code"] == code)
                .unwrap()["name"]
                .as_str()
                .unwrap()
                .to_string()
        };
        let (own_name, other_name) = (name_of(&own), name_of(&other));
        let today = w.state.clock.today();
        let day = |n: i64| today - time::Duration::days(n);
        // Excel's serial day of a date.
        let serial = |d: time::Date| {
            (d - time::Date::from_calendar_date(1899, time::Month::December, 30).unwrap())
                .whole_days() as f64
        };
        let d1 = day(40);
        let rows = vec![
            // Row 3: a date cell, the type in the ledger's words, counts with units.
            vec![
                Cell::N(serial(d1)),
                t("民法典进院坝"),
                t("进村入户宣传"),
                t(&own_name),
                t("45人"),
                t("120人次"),
                Cell::N(200.0),
                t(""),
            ],
            // Row 4: a date typed as text, a lecture in the other village.
            vec![
                t(&format!(
                    "{}年{}月{}日",
                    day(20).year(),
                    day(20).month() as u8,
                    day(20).day()
                )),
                t("反诈骗法治讲座"),
                t("法治讲座"),
                t(&other_name),
                Cell::N(60.0),
                t(""),
                t("80"),
                t("司法所主讲"),
            ],
            // Row 5: bad in three ways.
            vec![
                t(&d1.to_string()),
                t("广场舞"),
                t("跳舞"),
                t("不存在村"),
                t("很多"),
                t(""),
                t(""),
                t(""),
            ],
            // Row 6: no title, a date in the future.
            vec![
                t(&(today + time::Duration::days(3)).to_string()),
                t(""),
                t(""),
                t(""),
                t("10"),
                t(""),
                t(""),
                t(""),
            ],
            // Row 7: row 3 again.
            vec![
                t(&d1.to_string()),
                t("民法典进院坝"),
                t("进乡村"),
                t(&own_name),
                t("45"),
                t("120"),
                t("200"),
                t(""),
            ],
        ];
        let file = ledger(&rows);
        let before = events(&center).await;

        let (s, up) = upload(&center, &file).await;
        assert_eq!(s, 201, "{name}: {up}");
        assert_eq!(
            (up["header_row"].as_u64(), up["rows"].as_u64()),
            (Some(2), Some(5)),
            "{name}"
        );
        let suggested = up["suggested"].clone();
        assert_eq!(
            suggested,
            json!({"held_on": 1, "title": 2, "kind": 3, "village": 4, "participants": 5,
                "reached": 6, "materials": 7, "summary": 8}),
            "{name}"
        );
        let token = up["token"].as_str().unwrap().to_string();
        let base = format!("/api/v1/education/events/imports/{token}");
        let mapping = json!({"columns": suggested, "division_code": "500160101000"});

        // A mapping without a title column is refused.
        let mut no_title = mapping.clone();
        no_title["columns"].as_object_mut().unwrap().remove("title");
        let (s, e) = center.post(&format!("{base}/dry-run"), no_title).await;
        assert_eq!(s, 400, "{name}: {e}");
        assert!(
            e["message"].as_str().unwrap().contains("活动主题"),
            "{name}: {e}"
        );

        // The dry run: two good rows, every bad row with its reasons, the repeat skipped.
        let (s, dry) = center
            .post(&format!("{base}/dry-run"), mapping.clone())
            .await;
        assert_eq!(s, 200, "{name}: {dry}");
        assert_eq!(dry["valid"], 2, "{name}: {dry}");
        let bad = dry["bad"].as_array().unwrap();
        assert_eq!(
            bad.iter()
                .map(|b| b["row"].as_u64().unwrap())
                .collect::<Vec<_>>(),
            vec![5, 6],
            "{name}: {dry}"
        );
        let r5 = bad[0]["reason"].as_str().unwrap();
        for part in ["跳舞", "不存在村", "很多"] {
            assert!(r5.contains(part), "{name}: {part} in {r5}");
        }
        let r6 = bad[1]["reason"].as_str().unwrap();
        assert!(r6.contains("活动主题"), "{name}: {r6}");
        assert_eq!(dry["skipped"][0]["row"], 7, "{name}: {dry}");
        assert_eq!(
            events(&center).await,
            before,
            "{name}: a dry run writes nothing"
        );

        // Another account cannot use the upload.
        let village = w.login("village01").await;
        let (s, _) = village
            .post(&format!("{base}/dry-run"), mapping.clone())
            .await;
        assert_eq!(s, 404, "{name}");

        // The commit writes the two good rows, with their audit rows.
        let (s, done) = center
            .post(&format!("{base}/commit"), mapping.clone())
            .await;
        assert_eq!(s, 200, "{name}: {done}");
        assert_eq!(
            (done["valid"].as_u64(), done["committed"].as_bool()),
            (Some(2), Some(true)),
            "{name}"
        );
        assert_eq!(events(&center).await, before + 2, "{name}");
        let (_, list) = center.get("/api/v1/education/events?limit=500").await;
        let lecture = list
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["title"] == "反诈骗法治讲座")
            .unwrap_or_else(|| panic!("{name}: imported"));
        assert_eq!(
            (
                lecture["kind"].as_str(),
                lecture["division_code"].as_str(),
                lecture["materials"].as_i64()
            ),
            (Some("lecture"), Some(other.as_str()), Some(80)),
            "{name}"
        );
        let first = list
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["title"] == "民法典进院坝")
            .unwrap();
        assert_eq!(first["held_on"], d1.to_string(), "{name}: the date cell");
        assert_eq!(first["reached"], 120, "{name}");
        let audit = fazhi_db::audit::recent(&w.state.db, None, 50)
            .await
            .unwrap();
        assert_eq!(
            audit
                .iter()
                .filter(|a| a.action == "education.event.import")
                .count(),
            1,
            "{name}"
        );

        // The same file again: nothing to import, nothing written.
        let (s, up2) = upload(&center, &file).await;
        assert_eq!(s, 201, "{name}: {up2}");
        let base2 = format!(
            "/api/v1/education/events/imports/{}",
            up2["token"].as_str().unwrap()
        );
        let (_, dry) = center
            .post(&format!("{base2}/dry-run"), mapping.clone())
            .await;
        assert_eq!(
            (
                dry["valid"].as_u64(),
                dry["skipped"].as_array().unwrap().len()
            ),
            (Some(0), 3),
            "{name}: {dry}"
        );
        assert!(
            dry["skipped"][0]["reason"]
                .as_str()
                .unwrap()
                .contains("已导入"),
            "{name}"
        );
        let (s, e) = center
            .post(&format!("{base2}/commit"), mapping.clone())
            .await;
        assert_eq!(s, 400, "{name}: {e}");
        assert_eq!(events(&center).await, before + 2, "{name}");

        // A village account may not import rows of another village.
        let (s, up3) = upload(&village, &file).await;
        assert_eq!(s, 201, "{name}: {up3}");
        let (s, dry) = village
            .post(
                &format!(
                    "/api/v1/education/events/imports/{}/dry-run",
                    up3["token"].as_str().unwrap()
                ),
                json!({"columns": up3["suggested"]}),
            )
            .await;
        assert_eq!(s, 200, "{name}: {dry}");
        let rows: Vec<u64> = dry["bad"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["row"].as_u64().unwrap())
            .collect();
        assert!(
            rows.contains(&4),
            "{name}: the other village is out of scope: {dry}"
        );

        // The pages: upload, the suggested columns, the check listing the bad rows.
        let (s, _, page) = center.get_bytes("/education/events/import").await;
        assert_eq!(s, 200, "{name}");
        assert!(
            String::from_utf8(page)
                .unwrap()
                .contains("导入普法活动台账"),
            "{name}"
        );
        let (s, _, page) = center
            .post_form_bytes(
                &format!(
                    "/education/events/import/{}",
                    up2["token"].as_str().unwrap()
                ),
                &[
                    ("col_held_on", "1"),
                    ("col_title", "2"),
                    ("col_kind", "3"),
                    ("col_village", "4"),
                    ("col_participants", "5"),
                    ("default_kind", "villages"),
                    ("division_code", "500160101000"),
                    ("step", "check"),
                ],
                true,
            )
            .await;
        assert_eq!(s, 200, "{name}");
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains("第5行") && page.contains("已导入，跳过"),
            "{name}"
        );
    }
}

async fn upload_to(c: &Client, path: &str, file: &[u8]) -> (u16, Value) {
    let boundary = "fazhisignin42";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"签到表.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes();
    body.extend_from_slice(file);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let req = Request::post(path)
        .header(header::COOKIE, &c.cookie)
        .header("x-csrf-token", &c.csrf)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    let (s, v, _) = fazhi_testkit::web::send(&c.app, req).await;
    (s.as_u16(), v)
}

/// Sign-in sheets: a title row, then 学习日期/学习内容/形式/学时/主讲人/姓名/签到情况.
fn sign_in_sheet(rows: &[[&str; 7]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "青石镇学法签到表").unwrap();
    for (c, h) in [
        "学习日期",
        "学习内容",
        "形式",
        "学时",
        "主讲人",
        "姓名",
        "签到情况",
    ]
    .iter()
    .enumerate()
    {
        ws.write(1, c as u16, *h).unwrap();
    }
    for (i, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write(i as u32 + 2, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

#[tokio::test]
async fn study_sign_in_sheets_become_sessions_with_their_attendance_once() {
    for t_ in fazhi_testkit::db::all().await {
        let name = t_.name();
        let w = world(t_).await;
        let center = w.login("center").await;
        let (_, cands) = center
            .get("/api/v1/education/attendees?division=500160101000")
            .await;
        let names: Vec<String> = cands
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect();
        let unique: Vec<&String> = names
            .iter()
            .filter(|n| names.iter().filter(|m| m == n).count() == 1)
            .collect();
        assert!(unique.len() >= 3, "{name}: {names:?}");
        let (a, b, c) = (unique[0].as_str(), unique[1].as_str(), unique[2].as_str());
        let today = w.state.clock.today();
        let d1 = (today - time::Duration::days(30)).to_string();
        let d2 = (today - time::Duration::days(10)).to_string();
        let file = sign_in_sheet(&[
            // Rows 3–5: one session, one absent.
            [&d1, "学习民法典", "会前学法", "1.5", "司法所", a, "√"],
            [&d1, "学习民法典", "会前学法", "1.5", "司法所", b, "请假"],
            [&d1, "学习民法典", "会前学法", "1.5", "司法所", c, ""],
            // Row 6: the same person again: skipped.
            [&d1, "学习民法典", "会前学法", "1.5", "司法所", a, "√"],
            // Rows 7–8: a second session with a stranger: left out whole.
            [&d2, "学习行政复议法", "中心组学法", "2", "", a, "是"],
            [
                &d2,
                "学习行政复议法",
                "中心组学法",
                "2",
                "",
                "不存在的人",
                "是",
            ],
        ]);
        let (s, up) = upload_to(&center, "/api/v1/education/study-sessions/imports", &file).await;
        assert_eq!(s, 201, "{name}: {up}");
        assert_eq!(
            up["suggested"],
            json!({"held_on": 0, "topic": 1, "kind": 2, "hours": 3, "speaker": 4, "name": 5, "present": 6}),
            "{name}"
        );
        let base = format!(
            "/api/v1/education/study-sessions/imports/{}",
            up["token"].as_str().unwrap()
        );
        let mapping = json!({"columns": up["suggested"], "division_code": "500160101000"});
        let (s, dry) = center
            .post(&format!("{base}/dry-run"), mapping.clone())
            .await;
        assert_eq!(s, 200, "{name}: {dry}");
        assert_eq!(
            (dry["sessions"].as_u64(), dry["attendees"].as_u64()),
            (Some(1), Some(3)),
            "{name}: {dry}"
        );
        let bad: Vec<u64> = dry["bad"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["row"].as_u64().unwrap())
            .collect();
        assert_eq!(bad, vec![7, 8], "{name}: {dry}");
        assert!(
            dry["bad"][1]["reason"]
                .as_str()
                .unwrap()
                .contains("不存在的人"),
            "{name}"
        );
        assert_eq!(dry["skipped"][0]["row"], 6, "{name}");
        let (_, before) = center.get("/api/v1/education/study-sessions").await;
        let before = before.as_array().unwrap().len();

        let (s, done) = center
            .post(&format!("{base}/commit"), mapping.clone())
            .await;
        assert_eq!(s, 200, "{name}: {done}");
        let (_, list) = center.get("/api/v1/education/study-sessions").await;
        assert_eq!(list.as_array().unwrap().len(), before + 1, "{name}");
        let session = list
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["topic"] == "学习民法典")
            .unwrap();
        assert_eq!(
            (session["expected"].as_i64(), session["present"].as_i64()),
            (Some(3), Some(2)),
            "{name}: {session}"
        );
        assert_eq!(session["kind"], "pre_meeting", "{name}");

        // Again: already imported, nothing written.
        let (_, up2) = upload_to(&center, "/api/v1/education/study-sessions/imports", &file).await;
        let base2 = format!(
            "/api/v1/education/study-sessions/imports/{}",
            up2["token"].as_str().unwrap()
        );
        let (s, e) = center
            .post(&format!("{base2}/commit"), mapping.clone())
            .await;
        assert_eq!(s, 400, "{name}: {e}");
        let (_, list) = center.get("/api/v1/education/study-sessions").await;
        assert_eq!(list.as_array().unwrap().len(), before + 1, "{name}");
        // The page: the suggested columns and the check of the same sheet.
        let (s, _, page) = center
            .post_form_bytes(
                &format!("/education/study/import/{}", up2["token"].as_str().unwrap()),
                &[
                    ("col_held_on", "0"),
                    ("col_topic", "1"),
                    ("col_hours", "3"),
                    ("col_name", "5"),
                    ("col_present", "6"),
                    ("division_code", "500160101000"),
                    ("step", "check"),
                ],
                true,
            )
            .await;
        assert_eq!(s, 200, "{name}");
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains("第8行") && page.contains("已导入，跳过"),
            "{name}"
        );
        // A grid worker may not import study sessions.
        let grid = w.login("grid01").await;
        let (s, _) = upload_to(&grid, "/api/v1/education/study-sessions/imports", &file).await;
        assert_eq!(s, 403, "{name}");
    }
}
