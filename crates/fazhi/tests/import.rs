//! Legacy ledger import and background jobs through the real router and a real database
//! (SQLite always, PostgreSQL when FAZHI_TEST_POSTGRES_URL is set), on the demo
//! district's organisation and accounts. The workbooks are written here.

use crate::common::{World, id_number, villages, world};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use fazhi_testkit::web::{Client, send};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::{Value, json};

const HEADERS: [&str; 12] = [
    "序号",
    "编号",
    "登记日期",
    "当事人",
    "身份证号",
    "联系电话",
    "村（社区）",
    "纠纷类型",
    "事由",
    "来源",
    "办理结果",
    "办结日期",
];

/// The summary of the last valid row (a trigger keyed on it forces a failure).
const LAST_SUMMARY: &str = "因借款两万元到期未还发生纠纷";

/// A township ledger: a title row, the headers, seven rows (three valid).
fn ledger(own: &str, other: &str) -> Vec<u8> {
    let good_id = id_number("51010519800101123");
    let mut bad_id = good_id.clone();
    let last = bad_id.pop().unwrap();
    bad_id.push(if last == '0' { '1' } else { '0' });
    let rows: Vec<[String; 12]> = vec![
        row([
            "1",
            "QS-001",
            "",
            "张三、李四",
            &good_id,
            "13812345678",
            own,
            "邻里纠纷",
            "排水沟堵塞积水浸泡房屋",
            "来访",
            "调解成功",
            "2025-03-10",
        ]),
        row([
            "2",
            "QS-002",
            "2025/3/5",
            "王五",
            &bad_id,
            "",
            other,
            "婚姻家庭",
            "夫妻因家庭琐事争吵",
            "来电",
            "",
            "",
        ]),
        row([
            "3",
            "QS-003",
            "",
            "赵六",
            "",
            "",
            own,
            "邻里纠纷",
            "噪音扰民",
            "来访",
            "",
            "",
        ]),
        row([
            "4",
            "QS-004",
            "2025年4月1日",
            "孙七",
            "",
            "",
            "不存在村",
            "宅基地",
            "宅基地界址争议",
            "来访",
            "",
            "",
        ]),
        row([
            "5",
            "QS-005",
            "2025-4-2",
            "周八",
            "",
            "13900001111",
            own,
            "外星人纠纷",
            "不明飞行物",
            "来访",
            "",
            "",
        ]),
        row([
            "6",
            "QS-006",
            "2025-5-6",
            "吴九",
            "",
            "",
            other,
            "土地权属",
            "承包地边界争议",
            "12345",
            "正在办理",
            "",
        ]),
        row([
            "7",
            "QS-007",
            "2025-05-08",
            "郑十",
            "",
            "",
            own,
            "合同债务",
            LAST_SUMMARY,
            "来访",
            "调解不成，引导诉讼",
            "2025年5月20日",
        ]),
    ];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("纠纷台账").unwrap();
    ws.write_string(0, 0, "青石镇矛盾纠纷排查化解台账").unwrap();
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    for (i, r) in rows.iter().enumerate() {
        let at = (i + 2) as u32;
        for (c, v) in r.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(at, c as u16, v).unwrap();
            }
        }
        ws.write_number(at, 0, (i + 1) as f64).unwrap();
    }
    // The first row's date is a real Excel date.
    ws.write_datetime_with_format(
        2,
        2,
        ExcelDateTime::from_ymd(2025, 3, 4).unwrap(),
        &date_fmt,
    )
    .unwrap();
    wb.save_to_buffer().unwrap()
}

fn row(v: [&str; 12]) -> [String; 12] {
    v.map(str::to_string)
}

/// A multipart body with one `file` part.
fn multipart(bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "fazhiimport9c1";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ledger.xlsx\"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Uploads a workbook through the API.
async fn upload(c: &Client, bytes: &[u8]) -> (StatusCode, Value) {
    let (ct, body) = multipart(bytes);
    let req = Request::post("/api/v1/matters/imports")
        .header(header::COOKIE, &c.cookie)
        .header("x-csrf-token", &c.csrf)
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(body))
        .unwrap();
    let (s, v, _) = send(&c.app, req).await;
    (s, v)
}

/// Polls a job until it leaves `running`; each poll is a request the server answers
/// while the job works (no sleeps).
async fn wait(c: &Client, id: &str) -> Value {
    for _ in 0..100_000 {
        let (s, j) = c.get(&format!("/api/v1/jobs/{id}")).await;
        assert_eq!(s, 200, "{j}");
        if j["state"] != "running" {
            return j;
        }
        tokio::task::yield_now().await;
    }
    panic!("job {id} never ended");
}

async fn count(c: &Client) -> usize {
    let (_, v) = c.get("/api/v1/matters?limit=200").await;
    v["items"].as_array().unwrap().len()
}

async fn village_names(w: &World) -> (String, String) {
    let (own, other) = villages(w).await;
    let c = w.login("center").await;
    let name = |code: String| {
        let c = &c;
        async move {
            let (_, v) = c
                .get("/api/v1/divisions?parent_code=500160101000&limit=500")
                .await;
            v.as_array()
                .unwrap()
                .iter()
                .find(|d| d["code"] == code.as_str())
                .unwrap()["name"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    (name(own).await, name(other).await)
}

const FAIL_SQLITE: &str = "CREATE TRIGGER import_fails BEFORE INSERT ON matters WHEN NEW.summary = '因借款两万元到期未还发生纠纷' BEGIN SELECT RAISE(ABORT, 'forced failure'); END;";
const FAIL_PG: &str = "CREATE FUNCTION import_fails() RETURNS trigger AS $$ BEGIN IF NEW.summary = '因借款两万元到期未还发生纠纷' THEN RAISE EXCEPTION 'forced failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql; CREATE TRIGGER import_fails BEFORE INSERT ON matters FOR EACH ROW EXECUTE FUNCTION import_fails();";

#[tokio::test]
async fn ledger_import_dry_run_all_or_nothing_idempotent_and_export_job() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, other) = village_names(&w).await;
        let c = w.login("center").await;
        let bytes = ledger(&own, &other);

        // Upload: the mapping is suggested from the headers.
        let (s, up) = upload(&c, &bytes).await;
        assert_eq!(s, 201, "{name}: {up}");
        assert_eq!(up["header_row"], 2, "{name}: below the title");
        assert_eq!(up["rows"], 7);
        let mapping = up["suggested"].clone();
        for (field, col) in [
            ("legacy_no", 1),
            ("received_on", 2),
            ("party_name", 3),
            ("id_number", 4),
            ("phone", 5),
            ("village", 6),
            ("category", 7),
            ("summary", 8),
            ("channel", 9),
            ("result", 10),
            ("closed_on", 11),
        ] {
            assert_eq!(
                mapping["columns"][field], col,
                "{name}: {field} in {mapping}"
            );
        }
        let token = up["token"].as_str().unwrap().to_string();

        // Dry run: every bad row with its reason; nothing written.
        let (s, dry) = c
            .post(
                &format!("/api/v1/matters/imports/{token}/dry-run"),
                mapping.clone(),
            )
            .await;
        assert_eq!(s, 200, "{name}: {dry}");
        assert_eq!(
            (dry["total"].as_u64(), dry["valid"].as_u64()),
            (Some(7), Some(3)),
            "{name}: {dry}"
        );
        let bad = dry["bad"].as_array().unwrap();
        let reasons: Vec<(u64, &str)> = bad
            .iter()
            .map(|b| (b["row"].as_u64().unwrap(), b["reason"].as_str().unwrap()))
            .collect();
        assert_eq!(reasons.len(), 4, "{name}: {reasons:?}");
        assert_eq!(reasons[0].0, 4);
        assert!(reasons[0].1.contains("身份证号"), "{name}: {reasons:?}");
        assert_eq!(reasons[1].0, 5);
        assert!(reasons[1].1.contains("缺少登记日期"), "{name}: {reasons:?}");
        assert_eq!(reasons[2].0, 6);
        assert!(reasons[2].1.contains("不存在村"), "{name}: {reasons:?}");
        assert_eq!(reasons[3].0, 7);
        assert!(reasons[3].1.contains("外星人纠纷"), "{name}: {reasons:?}");
        assert_eq!(count(&c).await, 0, "{name}");

        // A bad mapping is refused with the reason.
        let (s, e) = c
            .post(
                &format!("/api/v1/matters/imports/{token}/dry-run"),
                json!({"columns": {"summary": 8}, "default_kind": "dispute"}),
            )
            .await;
        assert_eq!(s, 400, "{name}: {e}");
        assert!(e["message"].as_str().unwrap().contains("登记日期"), "{e}");
        // Someone else's token is unknown.
        let v = w.login("village01").await;
        let (s, _) = v
            .post(
                &format!("/api/v1/matters/imports/{token}/dry-run"),
                mapping.clone(),
            )
            .await;
        assert_eq!(s, 404, "{name}");

        // A failure in the database on the last valid row leaves nothing behind.
        if name == "sqlite" {
            w.t.execute_raw(FAIL_SQLITE).await.unwrap();
        } else {
            w.t.execute_raw(FAIL_PG).await.unwrap();
        }
        let (s, job) = c
            .post(
                &format!("/api/v1/matters/imports/{token}/commit"),
                mapping.clone(),
            )
            .await;
        assert_eq!(s, 202, "{name}: {job}");
        let j = wait(&c, job["id"].as_str().unwrap()).await;
        assert_eq!(j["state"], "failed", "{name}: {j}");
        assert!(
            j["message"].as_str().unwrap().contains("未写入任何数据"),
            "{j}"
        );
        assert_eq!(
            count(&c).await,
            0,
            "{name}: the two rows before the failure were rolled back"
        );
        w.t.execute_raw(if name == "sqlite" {
            "DROP TRIGGER import_fails"
        } else {
            "DROP TRIGGER import_fails ON matters"
        })
        .await
        .unwrap();

        // The real import runs in the background; the server answers meanwhile.
        let (s, job) = c
            .post(
                &format!("/api/v1/matters/imports/{token}/commit"),
                mapping.clone(),
            )
            .await;
        assert_eq!(s, 202, "{name}: {job}");
        assert_eq!(job["kind"], "import");
        let id = job["id"].as_str().unwrap().to_string();
        let (s, _) = c.get("/api/v1/matters?limit=5").await;
        assert_eq!(
            s, 200,
            "{name}: another request is answered while the job runs"
        );
        assert_eq!(
            v.get(&format!("/api/v1/jobs/{id}")).await.0,
            404,
            "{name}: owner only"
        );
        let j = wait(&c, &id).await;
        assert_eq!(j["state"], "done", "{name}: {j}");
        assert_eq!(j["done"], j["total"]);
        assert_eq!(j["result"]["created"], 3, "{name}: {j}");
        assert_eq!(j["result"]["bad"].as_array().unwrap().len(), 4);

        // Imported matters are in the list, with lawful states, masked parties, search and stats.
        let (_, list) = c.get("/api/v1/matters?limit=200").await;
        let items = list["items"].as_array().unwrap();
        assert_eq!(items.len(), 3, "{name}");
        let by = |s: &str| {
            items
                .iter()
                .find(|m| m["summary"].as_str().unwrap().contains(s))
                .unwrap_or_else(|| panic!("{s} not imported"))
                .clone()
        };
        let first = by("排水沟");
        assert_eq!(first["status"], "closed", "{name}: {first}");
        assert_eq!(first["received_on"], "2025-03-04");
        assert_eq!(first["closed_on"], "2025-03-10");
        assert_eq!(by("承包地")["status"], "accepted", "{name}");
        assert_eq!(by("借款")["status"], "closed", "{name}");
        let (_, d) = c.get(&format!("/api/v1/matters/{}", first["id"])).await;
        assert_eq!(d["parties"].as_array().unwrap().len(), 2, "{name}: {d}");
        assert_eq!(d["parties"][0]["phone"], "138****5678", "{name}");
        assert!(
            !d.to_string().contains("51010519800101123"),
            "{name}: sealed"
        );
        assert_eq!(
            d["events"].as_array().unwrap().len(),
            3,
            "{name}: register, accept, close"
        );
        let (_, found) = c.get("/api/v1/matters?q=排水沟").await;
        assert_eq!(
            found["items"].as_array().unwrap().len(),
            1,
            "{name}: searchable"
        );
        let (s, st) = c
            .get("/api/v1/stats/matters?division=500160101000&from=2025-01-01&to=2025-12-31")
            .await;
        assert_eq!(s, 200, "{name}: {st}");
        assert_eq!(st["received"], 3, "{name}: {st}");
        assert_eq!(st["resolved"], 1, "{name}: {st}");
        let audit = fazhi_db::audit::recent(&w.t.db, None, 10).await.unwrap();
        assert_eq!(
            audit.iter().filter(|a| a.action == "matter.import").count(),
            1,
            "{name}: one audit row for the import (the failed one rolled back)"
        );

        // The same file again: nothing new, every row accounted for.
        let (_, up2) = upload(&c, &bytes).await;
        let token2 = up2["token"].as_str().unwrap();
        let (_, dry) = c
            .post(
                &format!("/api/v1/matters/imports/{token2}/dry-run"),
                mapping.clone(),
            )
            .await;
        assert_eq!(dry["valid"], 0, "{name}: {dry}");
        let skipped = dry["skipped"].as_array().unwrap();
        assert_eq!(skipped.len(), 3, "{name}: {dry}");
        assert!(skipped.iter().all(|s| s["reason"] == "已导入，跳过"));
        let (s, e) = c
            .post(
                &format!("/api/v1/matters/imports/{token2}/commit"),
                mapping.clone(),
            )
            .await;
        assert_eq!(s, 400, "{name}: {e}");
        assert_eq!(count(&c).await, 3, "{name}: no duplicates");

        // A village mediator may import only in their own village.
        let (_, up3) = upload(&v, &bytes).await;
        let (_, dry) = v
            .post(
                &format!(
                    "/api/v1/matters/imports/{}/dry-run",
                    up3["token"].as_str().unwrap()
                ),
                mapping.clone(),
            )
            .await;
        let out_of_scope = dry["bad"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["row"] == 8)
            .unwrap_or_else(|| panic!("{name}: {dry}"));
        assert!(
            out_of_scope["reason"]
                .as_str()
                .unwrap()
                .contains("管辖范围"),
            "{dry}"
        );
        // Grid workers may not import.
        assert_eq!(
            upload(&w.login("grid01").await, &bytes).await.0,
            403,
            "{name}"
        );

        // Export as a background job: progress reaches done, the file opens.
        let (s, job) = c
            .post("/api/v1/matters/export-jobs?kind=dispute", json!(null))
            .await;
        assert_eq!(s, 202, "{name}: {job}");
        let id = job["id"].as_str().unwrap().to_string();
        assert_eq!(
            c.get("/api/v1/tasks").await.0,
            200,
            "{name}: served meanwhile"
        );
        let j = wait(&c, &id).await;
        assert_eq!(j["state"], "done", "{name}: {j}");
        assert_eq!(
            (j["done"].as_u64(), j["total"].as_u64()),
            (Some(3), Some(3)),
            "{name}: {j}"
        );
        assert_eq!(
            j["message"], "导出完成，共3件事项",
            "{name}: rows, not bytes"
        );
        let (s, h, file) = c.get_bytes(j["download"].as_str().unwrap()).await;
        assert_eq!(s, 200, "{name}");
        assert!(
            h[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .contains("filename*=UTF-8''")
        );
        use calamine::{Reader, Xlsx, open_workbook_from_rs};
        let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(file)).unwrap();
        let r = wb.worksheet_range("事项台账").unwrap();
        assert_eq!(r.height(), 5, "{name}: title, headers, three matters");
        let text = format!("{:?}", r.rows().collect::<Vec<_>>());
        assert!(text.contains("排水沟堵塞积水浸泡房屋"), "{name}");
        assert!(text.contains("138****5678"), "{name}: masked");
        assert_eq!(
            v.get_bytes(j["download"].as_str().unwrap()).await.0,
            404,
            "{name}"
        );
        // Bad filters answer before any job starts; the synchronous export still works.
        assert_eq!(
            c.post("/api/v1/matters/export-jobs?kind=x", json!(null))
                .await
                .0,
            400
        );
        assert_eq!(c.get_bytes("/api/v1/matters/export.xlsx").await.0, 200);
    }
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn page(c: &Client, path: &str) -> (StatusCode, String, String) {
    let req = Request::get(path)
        .header(header::COOKIE, &c.cookie)
        .body(Body::empty())
        .unwrap();
    let (s, v, h) = send(&c.app, req).await;
    let loc = h
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (
        s,
        v.as_str()
            .map(str::to_string)
            .unwrap_or_else(|| v.to_string()),
        loc,
    )
}

async fn post_form(
    c: &Client,
    path: &str,
    pairs: &[(&str, String)],
) -> (StatusCode, String, String) {
    let body: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect();
    let req = Request::post(path)
        .header(header::COOKIE, &c.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.join("&")))
        .unwrap();
    let (s, v, h) = send(&c.app, req).await;
    let loc = h
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (
        s,
        v.as_str()
            .map(str::to_string)
            .unwrap_or_else(|| v.to_string()),
        loc,
    )
}

/// Reloads the job page until the job has ended (each load is answered at once).
async fn wait_page(c: &Client, path: &str) -> String {
    for _ in 0..100_000 {
        let (s, html, _) = page(c, path).await;
        assert_eq!(s, 200, "{html}");
        if !html.contains("data-state=\"running\"") {
            return html;
        }
        tokio::task::yield_now().await;
    }
    panic!("{path} never finished");
}

#[tokio::test]
async fn import_and_export_pages() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, other) = village_names(&w).await;
        let c = w.login("center").await;

        // The ledger links the import and offers the background export.
        let (s, html, _) = page(&c, "/matters").await;
        assert_eq!(s, 200);
        assert!(html.contains("href=\"/matters/import\""), "{name}");
        assert!(html.contains("导出Excel（后台）"), "{name}");
        let (s, html, _) = page(&c, "/matters/import").await;
        assert_eq!(s, 200);
        assert!(html.contains("enctype=\"multipart/form-data\""), "{name}");

        // Upload (CSRF token in the query string, as for every upload).
        let (ct, body) = multipart(&ledger(&own, &other));
        let post = |uri: String| {
            Request::post(uri)
                .header(header::COOKIE, &c.cookie)
                .header(header::CONTENT_TYPE, ct.clone())
                .body(Body::from(body.clone()))
                .unwrap()
        };
        let (s, _, _) = send(&c.app, post("/matters/import".into())).await;
        assert_eq!(s, 403, "{name}: no CSRF token");
        let (s, _, h) = send(
            &c.app,
            post(format!("/matters/import?_csrf={}", enc(&c.csrf))),
        )
        .await;
        assert_eq!(s, 303, "{name}");
        let mapping_url = h[header::LOCATION].to_str().unwrap().to_string();
        assert!(mapping_url.starts_with("/matters/import/"));

        // The mapping form is prefilled with the suggestion.
        let (s, html, _) = page(&c, &mapping_url).await;
        assert_eq!(s, 200, "{name}: {html}");
        assert!(
            html.contains("<option value=\"2\" selected>C 登记日期"),
            "{name}: {html}"
        );
        let form: Vec<(&str, String)> = vec![
            ("_csrf", c.csrf.clone()),
            ("col_legacy_no", "1".into()),
            ("col_received_on", "2".into()),
            ("col_party_name", "3".into()),
            ("col_id_number", "4".into()),
            ("col_phone", "5".into()),
            ("col_village", "6".into()),
            ("col_category", "7".into()),
            ("col_summary", "8".into()),
            ("col_channel", "9".into()),
            ("col_result", "10".into()),
            ("col_closed_on", "11".into()),
            ("default_kind", "dispute".into()),
            ("category_fallback", "".into()),
        ];
        // A mapping without the date redisplays the form with the reason.
        let no_date: Vec<(&str, String)> = form
            .iter()
            .filter(|(k, _)| *k != "col_received_on")
            .cloned()
            .chain([("op", "check".to_string())])
            .collect();
        let (s, html, _) = post_form(&c, &mapping_url, &no_date).await;
        assert_eq!(s, 200);
        assert!(html.contains("请为“登记日期”选择一列"), "{name}: {html}");

        // The dry run lists the bad rows with reasons.
        let mut check = form.clone();
        check.push(("op", "check".into()));
        let (s, html, _) = post_form(&c, &mapping_url, &check).await;
        assert_eq!(s, 200, "{name}: {html}");
        assert!(html.contains("有问题 4 行"), "{name}: {html}");
        assert!(
            html.contains("第6行") && html.contains("不存在村"),
            "{name}"
        );
        assert!(html.contains("确认导入3行"), "{name}");
        assert_eq!(count(&c).await, 0);

        // Confirm: a progress page that ends with the counts.
        let mut commit = form.clone();
        commit.push(("op", "commit".into()));
        let (s, _, job_url) = post_form(&c, &mapping_url, &commit).await;
        assert_eq!(s, 303, "{name}");
        assert!(job_url.starts_with("/jobs/"), "{job_url}");
        let html = wait_page(&c, &job_url).await;
        assert!(html.contains("导入完成：新增3件"), "{name}: {html}");
        assert!(html.contains("第7行"), "{name}: bad rows listed");
        assert_eq!(count(&c).await, 3, "{name}");

        // The background export from the ledger page.
        let (s, _, job_url) = post_form(
            &c,
            "/matters/export-job",
            &[("_csrf", c.csrf.clone()), ("kind", "dispute".into())],
        )
        .await;
        assert_eq!(s, 303, "{name}");
        let html = wait_page(&c, &job_url).await;
        assert!(html.contains("下载Excel文件"), "{name}: {html}");
        let (s, _, _) = post_form(&c, "/matters/export-job", &[("kind", "dispute".into())]).await;
        assert_eq!(s, 403, "{name}: CSRF");
        let (s, _, _) = page(&c, "/jobs/nope").await;
        assert_eq!(s, 404);
        let (s, js, _) = page(&c, "/static/jobs.js").await;
        assert_eq!(s, 200);
        assert!(js.contains("/api/v1/jobs/"));
    }
}
