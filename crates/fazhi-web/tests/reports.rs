//! Report analysis pages through the real router and a real database (SQLite always,
//! PostgreSQL when FAZHI_TEST_POSTGRES_URL is set): upload of files and a ZIP, the
//! comparison table, findings and duplicate paragraphs, the workbook download,
//! permissions, CSRF, the size limit and unreadable files. The reports are fixtures
//! written for these tests.

use std::io::Write;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use fazhi_core::division::Level;
use fazhi_core::role::Role;
use fazhi_db::admin::divisions::NewDivision;
use fazhi_db::admin::import;
use fazhi_db::audit::Actor;
use fazhi_testkit::web::{Client, send};
use fazhi_web::{AppState, Settings};

const PW: &str = "correct horse battery";

/// Written for these tests: a township report with every required part, an unclosed
/// bracket, and the boilerplate paragraph the other reports share.
const QINGSHI: &str = "重庆市清溪区青石镇人民政府
关于2024年法治政府建设情况的报告
青石府文〔2025〕3号

2024年，青石镇在区委、区政府的领导下，扎实推进法治政府建设。现将有关情况报告如下。
一、2024年推进法治政府建设的主要举措和成效
（一）强化学法用法。全年组织镇党委理论学习中心组集中学法6次，开展普法宣传活动32场，发放宣传资料5000余份。
（二）化解矛盾纠纷。全年排查化解矛盾纠纷128件，化解率98.5%，受理信访事项12件。
坚持和发展新时代枫桥经验，健全镇村两级矛盾纠纷排查调处机制，做到小事不出村、大事不出镇、矛盾不上交。
二、党政主要负责人履行推进法治建设第一责任人职责的情况
镇党委书记认真履行第一责任人职责（全年专题研究法治工作4次。
三、推进法治政府建设存在的不足和原因
一是基层执法力量不足；二是群众法治意识有待提高。
四、2025年推进法治政府建设的主要安排
继续加强法治宣传教育，提升基层依法治理水平。

重庆市清溪区青石镇人民政府
2025年1月15日
";

/// No section on the first responsible person, a rate above 100 %, the shared paragraph
/// with other punctuation and numbers.
const BAISHA: &str = "重庆市清溪区白沙镇人民政府
关于2024年法治政府建设工作情况的报告

一、2024年法治政府建设主要举措和成效
全年开展法治讲座15场，调解矛盾纠纷86件，群众满意率105%。
坚持和发展新时代“枫桥经验”，健全镇村3级矛盾纠纷排查调处机制；做到小事不出村、大事不出镇、矛盾不上交。
二、存在的不足和原因
法治宣传形式较为单一。
三、下一步工作安排
深入推进依法行政。

重庆市清溪区白沙镇人民政府
2025年1月20日
";

const SONGLIN: &str = "重庆市清溪区松林乡人民政府
关于2024年法治政府建设情况的报告

一、2024年推进法治政府建设的主要举措和成效
全年开展普法宣传活动20场，化解矛盾纠纷40件。
坚持和发展新时代枫桥经验，健全镇村两级矛盾纠纷排查调处机制，做到小事不出村、大事不出镇、矛盾不上交。
二、党政主要负责人履行推进法治建设第一责任人职责的情况
乡党委书记带头学法。
三、推进法治政府建设存在的不足和原因
执法人员数量不足。
四、2025年推进法治政府建设的主要安排
加强执法队伍建设。

重庆市清溪区松林乡人民政府
2025年1月10日
";

struct World {
    state: AppState,
    app: axum::Router,
    _t: fazhi_testkit::db::TestDb,
}

/// County 500160 with township 101 and its village 200; a supervisor and an admin on
/// the county, a grid worker in the village.
async fn world(t: fazhi_testkit::db::TestDb) -> World {
    let db = t.db.clone();
    let a = Actor::system("test");
    let d = |code: &str, name: &str, level| NewDivision {
        code: code.into(),
        name: name.into(),
        level,
        parent_id: None,
        valid_from: None,
        valid_to: None,
    };
    let divisions = vec![
        (d("500160000000", "清溪区", Level::County), None),
        (
            d("500160101000", "青石镇", Level::Township),
            Some("500160000000".to_string()),
        ),
        (
            d("500160101200", "龙井村", Level::Village),
            Some("500160101000".to_string()),
        ),
    ];
    import::load(&db, &a, &divisions, &[], &[]).await.unwrap();
    let hash = fazhi_web::auth::secrets::hash_password(PW.into())
        .await
        .unwrap();
    for (name, role, code) in [
        ("supervisor", Role::DistrictSupervisor, "500160000000"),
        ("admin", Role::Admin, "500160000000"),
        ("grid01", Role::GridWorker, "500160101200"),
    ] {
        fazhi_testkit::web::add_user(&db, name, &hash, role, code).await;
    }
    let state = AppState::new(db, Settings::default(), fazhi_testkit::web::vault());
    World {
        app: fazhi_web::app(state.clone()),
        state,
        _t: t,
    }
}

async fn login(w: &World, user: &str) -> Client {
    Client::login(&w.app, user, PW).await.unwrap()
}

/// A page's status and HTML.
async fn page(c: &Client, path: &str) -> (StatusCode, String) {
    let (s, v) = c.get(path).await;
    (s, html(v))
}

fn html(v: serde_json::Value) -> String {
    v.as_str()
        .map(String::from)
        .unwrap_or_else(|| v.to_string())
}

/// A multipart/form-data body with one `files` part per (name, bytes).
fn multipart_body(files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "fazhiboundary7d3";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes());
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").into_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Posts the upload form with `csrf` in the query string (as the page's form does).
async fn upload(
    c: &Client,
    csrf: Option<&str>,
    files: &[(&str, &[u8])],
) -> (StatusCode, String, HeaderMap) {
    let (ct, body) = multipart_body(files);
    let path = match csrf {
        Some(t) => format!("/reports?_csrf={t}"),
        None => "/reports".to_string(),
    };
    let req = Request::post(path)
        .header(header::COOKIE, &c.cookie)
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(body))
        .unwrap();
    let (s, v, h) = send(&c.app, req).await;
    (s, html(v), h)
}

/// Uploads, follows the redirect and returns the result id and page.
async fn analyse(c: &Client, files: &[(&str, &[u8])]) -> (String, String) {
    let (s, body, h) = upload(c, Some(&c.csrf), files).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let to = h[header::LOCATION].to_str().unwrap().to_string();
    let id = to.strip_prefix("/reports/").unwrap().to_string();
    let (s, html) = page(c, &to).await;
    assert_eq!(s, StatusCode::OK);
    (id, html)
}

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        for (name, bytes) in entries {
            z.start_file(*name, opts).unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn batch() -> Vec<u8> {
    zip(&[
        ("松林乡.txt", SONGLIN.as_bytes()),
        ("说明.png", b"\x89PNG not a report"),
    ])
}

#[tokio::test]
async fn supervisor_sees_table_checks_and_duplicates() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let c = login(&w, "supervisor").await;
        let (_, home) = page(&c, "/").await;
        assert!(home.contains("href=\"/reports\""), "{name}: nav link");
        let (s, form) = page(&c, "/reports").await;
        assert_eq!(s, StatusCode::OK);
        assert!(form.contains(&format!("_csrf={}", c.csrf)));
        let zip = batch();
        let (_, html) = analyse(
            &c,
            &[
                ("qingshi.txt", QINGSHI.as_bytes()),
                ("baisha.txt", BAISHA.as_bytes()),
                ("batch.zip", &zip),
            ],
        )
        .await;
        // FAZHI_HTML_OUT=dir keeps the page for a look in a browser.
        if let Some(dir) = std::env::var_os("FAZHI_HTML_OUT") {
            std::fs::write(std::path::Path::new(&dir).join("reports.html"), &html).unwrap();
        }
        // The comparison table: one row per report, issuer, year, document number.
        for s in [
            "qingshi.txt",
            "baisha.txt",
            "batch.zip/松林乡.txt",
            "青石镇",
            "白沙镇",
            "松林乡",
            ">2024<br>",
            // How sure the issuer and year are, and the line that decided them (the
            // demo district 清溪区 is not in the national township list: one step less
            // sure, and the page says so).
            "可信度中：第1行「重庆市清溪区青石镇人民政府」",
            "全国区划代码表中有3个同名乡镇，文中未指明所在区县",
            "青石府文〔2025〕3号",
            "2025-01-15",
        ] {
            assert!(html.contains(s), "{name}: {s} in\n{html}");
        }
        assert_eq!(
            html.matches("<td class=\"no\"").count(),
            1,
            "{name}: 白沙镇 lacks one part"
        );
        assert!(
            !html.contains("说明.png"),
            "{name}: non-report files in a ZIP are skipped"
        );
        // Findings with kind, severity and line:column.
        assert!(html.contains("括号或引号不配对"), "{name}");
        assert!(html.contains("11:17"), "{name}: the unclosed （ on line 11");
        assert!(html.contains("比率超过100%"), "{name}");
        assert!(html.contains("缺少必备部分"), "{name}");
        // The shared paragraph, in all three reports despite other punctuation and numbers.
        assert!(
            html.contains("做到小事不出村、大事不出镇、矛盾不上交"),
            "{name}"
        );
        assert!(html.contains("出现在 3 份报告中，涉及 3 个乡镇"), "{name}");
        assert!(html.contains("baisha.txt 第6行"), "{name}");
        // 松林乡 issued first: the likely source, and the copies' changes marked.
        assert!(
            html.contains("batch.zip/松林乡.txt 第") && html.contains("可能的来源（成文最早）"),
            "{name}"
        );
        assert!(
            html.contains("<del>两</del><ins class=\"number\">3</ins>"),
            "{name}: the changed numeral in\n{html}"
        );
    }
}

/// The national township list places a real issuer (issue 20, point 2): the row shows
/// its province, city, county and code.
#[tokio::test]
async fn a_listed_issuer_shows_its_place_and_code() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let c = login(&w, "supervisor").await;
        let text = QINGSHI.replace("重庆市清溪区青石镇", "浙江省常山县青石镇");
        let (_, html) = analyse(&c, &[("changshan.txt", text.as_bytes())]).await;
        for s in [
            "浙江省衢州市常山县（区划代码330822109）",
            "可信度高：第1行「浙江省常山县青石镇人民政府」",
        ] {
            assert!(html.contains(s), "{name}: {s} in\n{html}");
        }
    }
}

#[tokio::test]
async fn workbook_download_has_one_row_per_report_and_stays_with_its_owner() {
    use calamine::{Reader, Xlsx, open_workbook_from_rs};
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let c = login(&w, "supervisor").await;
        let zip = batch();
        let (id, html) = analyse(
            &c,
            &[
                ("qingshi.txt", QINGSHI.as_bytes()),
                ("baisha.txt", BAISHA.as_bytes()),
                ("batch.zip", &zip),
            ],
        )
        .await;
        let link = format!("/reports/{id}/analysis.xlsx");
        assert!(html.contains(&link), "{name}");
        let (s, headers, body) = c.get_bytes(&link).await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .contains("spreadsheetml"),
            "{name}"
        );
        let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(body)).unwrap();
        let summary = wb
            .worksheet_range(fazhi_office::analysis::SUMMARY_SHEET)
            .unwrap();
        assert_eq!(summary.height(), 4, "{name}: header and three reports");
        let issuers: Vec<String> = (1..4)
            .map(|row| summary.get((row, 1)).unwrap().to_string())
            .collect();
        assert_eq!(issuers, ["青石镇", "白沙镇", "松林乡"], "{name}");
        assert_eq!(
            summary.get((3, 0)).unwrap().to_string(),
            "batch.zip/松林乡.txt"
        );
        // Another user, even one who may read reports, finds nothing under that id.
        let admin = login(&w, "admin").await;
        assert_eq!(admin.get_bytes(&link).await.0, StatusCode::NOT_FOUND);
        assert_eq!(
            page(&admin, &format!("/reports/{id}")).await.0,
            StatusCode::NOT_FOUND
        );
        // Results expire (the session too: log in again).
        w.state.clock.advance_minutes(31);
        let c = login(&w, "supervisor").await;
        let (s, gone) = page(&c, &format!("/reports/{id}")).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{name}");
        assert!(gone.contains("已过期"), "{name}");
    }
}

#[tokio::test]
async fn only_report_readers_may_upload() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let g = login(&w, "grid01").await;
        assert!(!page(&g, "/").await.1.contains("href=\"/reports\""));
        let (s, body) = page(&g, "/reports").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{name}");
        assert!(body.contains("没有权限"));
        let (s, _, _) = upload(&g, Some(&g.csrf), &[("qingshi.txt", QINGSHI.as_bytes())]).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{name}");
        // Anonymous visitors are sent to the login page.
        let (s, _, h) = send(
            &w.app,
            Request::get("/reports").body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{name}");
        assert_eq!(h[header::LOCATION], "/login?next=%2Freports");
    }
}

#[tokio::test]
async fn upload_without_csrf_token_is_rejected() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let c = login(&w, "supervisor").await;
        for token in [None, Some("forged")] {
            let (s, body, _) = upload(&c, token, &[("qingshi.txt", QINGSHI.as_bytes())]).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{name}: {token:?}");
            assert!(body.contains("表单校验失败"), "{name}");
        }
    }
}

#[tokio::test]
async fn oversize_upload_gets_413_with_a_chinese_message() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let c = login(&w, "supervisor").await;
        let big = vec![b'x'; 50 * 1024 * 1024 + 1];
        let (s, html, _) = upload(
            &c,
            Some(&c.csrf),
            &[("qingshi.txt", QINGSHI.as_bytes()), ("big.txt", &big)],
        )
        .await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{name}");
        assert!(html.contains("超过50MB上限"), "{name}: {html}");
        assert!(
            html.contains("enctype=\"multipart/form-data\""),
            "{name}: form again"
        );
    }
}

#[tokio::test]
async fn unreadable_files_are_listed_with_a_reason() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let c = login(&w, "supervisor").await;
        let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 256) as u8).collect();
        let (_, html) = analyse(
            &c,
            &[
                ("qingshi.txt", QINGSHI.as_bytes()),
                ("garbage.txt", &garbage),
                ("scan.pdf", b"%PDF-1.4"),
                ("old.doc", &garbage),
                ("photo.png", b"\x89PNG"),
                ("broken.docx", &garbage),
                ("broken.zip", b"PK not really"),
                ("empty.html", b""),
                ("pictures.zip", &zip(&[("a.png", b"\x89PNG")])),
            ],
        )
        .await;
        assert!(html.contains("无法读取的文件"), "{name}");
        for (file, reason) in [
            ("garbage.txt", "无法识别为文本"),
            ("scan.pdf", "无法读取PDF文件"),
            ("old.doc", "无法读取Word文件"),
            ("photo.png", "不支持的文件类型"),
            ("broken.docx", "无法读取DOCX文件"),
            ("broken.zip", "无法打开ZIP压缩包"),
            ("empty.html", "文件为空"),
            ("pictures.zip", "压缩包中没有可读取的报告"),
        ] {
            assert!(
                html.contains(&format!("<li>{file}：{reason}")),
                "{name}: {file} in\n{html}"
            );
        }
        // The readable report is still analysed.
        assert!(html.contains("青石镇"), "{name}");
        assert!(html.contains("<div class=\"v\">1</div><div class=\"l\">份报告已读取"));
    }
}
