//! Rosters (法律明白人, 人民调解员, 网格员) to and from XLSX, issue 17 §4, through the
//! real router and a real database (SQLite, and PostgreSQL when FAZHI_TEST_POSTGRES_URL
//! is set): the export opened back with calamine (numbers masked, or in full with an
//! audit row and only for those who may reveal them), the import's dry run with every
//! bad row's reasons in Chinese, a commit refused whole while one row is bad, people
//! already on the roster skipped (the platform's own exports read back add nobody),
//! and the pages.

use crate::common::{id_number, villages, world};
use calamine::Reader;
use fazhi_testkit::web::Client;
use serde_json::{Value, json};

const QINGSHI: &str = "500160101000";

/// The rows of the first sheet, as text.
fn rows_of(book: Vec<u8>) -> Vec<Vec<String>> {
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(book)).unwrap();
    assert_eq!(wb.sheet_names(), ["队伍名册"]);
    let range = wb.worksheet_range("队伍名册").unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// A roster as townships keep it: a title row, the header, then the rows.
fn sheet(rows: &[[&str; 6]]) -> Vec<u8> {
    let headers = [
        "序号",
        "姓名",
        "人员类别",
        "所在村",
        "手机号码",
        "身份证号码",
        "备注",
    ];
    sheet_with(&headers, rows)
}

fn sheet_with<const N: usize>(headers: &[&str], rows: &[[&str; N]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "青石镇法律明白人及调解员名册").unwrap();
    for (c, h) in headers.iter().enumerate() {
        ws.write(1, c as u16, *h).unwrap();
    }
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        ws.write(r, 0, i as u32 + 1).unwrap();
        for (c, v) in row.iter().enumerate() {
            ws.write(r, c as u16 + 1, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

async fn upload(c: &Client, file: &[u8]) -> (u16, Value) {
    let (s, v) = c
        .post_multipart(
            "/api/v1/education/roster/imports",
            &[("file", Some("名册.xlsx"), file)],
            true,
        )
        .await;
    (s.as_u16(), v)
}

async fn step(c: &Client, token: &str, step: &str, mapping: &Value) -> (u16, Value) {
    let (s, v) = c
        .post(
            &format!("/api/v1/education/roster/imports/{token}/{step}"),
            mapping.clone(),
        )
        .await;
    (s.as_u16(), v)
}

async fn people(c: &Client) -> usize {
    let (s, v) = c.get("/api/v1/education/roster?limit=500&all=true").await;
    assert_eq!(s, 200, "{v}");
    v.as_array().unwrap().len()
}

#[tokio::test]
async fn rosters_go_out_masked_and_come_back_once() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, other) = villages(&w).await;
        let center = w.login("center").await;
        let grid = w.login("grid01").await;
        let (_, list) = center
            .get(&format!(
                "/api/v1/divisions?parent_code={QINGSHI}&limit=500"
            ))
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
        let id1 = id_number("11010519800101123");
        let id2 = id_number("11010519850505432");

        // Two people by hand: the ID number is checked, sealed and shown masked.
        let (s, e) = center
            .post(
                "/api/v1/education/roster",
                json!({"role": "legal_literate", "name": "张三", "division_code": own,
                    "id_number": "110105198001011230"}),
            )
            .await;
        if id1 != "110105198001011230" {
            assert_eq!(s, 400, "{name}: {e}");
            assert!(e["fields"]["id_number"].is_string(), "{name}: {e}");
        }
        let (s, p1) = center
            .post(
                "/api/v1/education/roster",
                json!({"role": "legal_literate", "name": "张三", "division_code": own,
                    "phone": "13812345678", "id_number": id1,
                    "training_hours": 1.25}),
            )
            .await;
        // Training hours take one decimal at most.
        assert_eq!(s, 400, "{name}: {p1}");
        assert!(p1["fields"]["training_hours"].is_string(), "{name}: {p1}");
        let (s, p1) = center
            .post(
                "/api/v1/education/roster",
                json!({"role": "legal_literate", "name": "张三", "division_code": own,
                    "phone": "13812345678", "id_number": id1,
                    "training_hours": 16.5, "certificates": "法律明白人培训合格证"}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {p1}");
        assert_eq!(p1["training_hours"], 16.5, "{name}: {p1}");
        assert_eq!(p1["certificates"], "法律明白人培训合格证", "{name}: {p1}");
        assert_eq!(p1["phone"], "138****5678", "{name}");
        assert!(
            p1["id_number"].as_str().unwrap().contains('*'),
            "{name}: {p1}"
        );
        let (s, p2) = center
            .post(
                "/api/v1/education/roster",
                json!({"role": "mediator", "name": "李四", "division_code": other,
                    "phone": "13900001111"}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {p2}");
        let (s, shown) = center
            .post(
                &format!("/api/v1/education/roster/{}/reveal", p1["id"]),
                json!({}),
            )
            .await;
        assert_eq!(s, 200, "{name}: {shown}");
        assert_eq!(
            (shown["phone"].as_str(), shown["id_number"].as_str()),
            (Some("13812345678"), Some(id1.as_str())),
            "{name}"
        );

        // The export, masked: opened back, every person with masked numbers.
        let (s, h, book) = center.get_bytes("/api/v1/education/roster.xlsx").await;
        assert_eq!(s, 200, "{name}");
        assert!(
            h["content-disposition"]
                .to_str()
                .unwrap()
                .contains("filename*=UTF-8''"),
            "{name}"
        );
        let masked_book = book.clone();
        let rows = rows_of(book);
        assert!(rows[0][0].contains("已遮蔽"), "{name}: {:?}", rows[0]);
        assert_eq!(
            rows[1],
            [
                "姓名",
                "类别",
                "村（社区）",
                "网格",
                "联系电话",
                "身份证号",
                "培训学时",
                "证书",
                "状态",
                "备注"
            ],
            "{name}"
        );
        let zhang = rows.iter().find(|r| r[0] == "张三").expect("张三");
        assert_eq!(
            (zhang[6].as_str(), zhang[7].as_str()),
            ("16.5", "法律明白人培训合格证"),
            "{name}"
        );
        assert_eq!(
            (zhang[1].as_str(), zhang[2].as_str(), zhang[4].as_str()),
            ("法律明白人", own_name.as_str(), "138****5678"),
            "{name}"
        );
        assert!(zhang[5].contains('*') && zhang[5] != id1, "{name}");
        assert!(
            rows.iter()
                .flatten()
                .all(|c| c != &id1 && c != "13812345678"),
            "{name}: nothing in full"
        );
        let demo_people = people(&center).await;
        assert_eq!(rows.len() - 2, demo_people, "{name}: one row each");

        // In full: only for those who may reveal, and audited.
        let (s, _, _) = grid
            .get_bytes("/api/v1/education/roster.xlsx?personal=full")
            .await;
        assert_eq!(s, 403, "{name}");
        let (s, _, book) = center
            .get_bytes("/api/v1/education/roster.xlsx?personal=full")
            .await;
        assert_eq!(s, 200, "{name}");
        let full_book = book.clone();
        let rows = rows_of(book);
        let zhang = rows.iter().find(|r| r[0] == "张三").expect("张三");
        assert_eq!(
            (zhang[4].as_str(), zhang[5].as_str()),
            ("13812345678", id1.as_str()),
            "{name}"
        );
        let audit = fazhi_db::audit::recent(&w.state.db, None, 50)
            .await
            .unwrap();
        assert!(audit.iter().any(|a| a.action == "roster.export"), "{name}");
        let (s, _, book) = center
            .get_bytes("/api/v1/education/roster.xlsx?role=mediator")
            .await;
        assert_eq!(s, 200, "{name}");
        assert!(
            rows_of(book).iter().skip(2).all(|r| r[1] == "人民调解员"),
            "{name}: filtered"
        );

        // The import: every bad row with its reasons; a commit with one is refused whole.
        let file = sheet(&[
            ["王五", "法律明白人", &own_name, "13700002222", &id2, "五老"],
            ["", "厨师", "东山村", "12", "110105198505054321", ""],
            ["赵六", "", &other_name, "", "", ""],
        ]);
        let (s, up) = upload(&center, &file).await;
        assert_eq!(s, 201, "{name}: {up}");
        assert_eq!(up["header_row"], 2, "{name}: below the title");
        let token = up["token"].as_str().unwrap().to_string();
        let sg = &up["suggested"];
        assert_eq!(
            (
                sg["name"].as_u64(),
                sg["role"].as_u64(),
                sg["village"].as_u64()
            ),
            (Some(1), Some(2), Some(3)),
            "{name}: {sg}"
        );
        assert_eq!(
            (sg["phone"].as_u64(), sg["id_number"].as_u64()),
            (Some(4), Some(5)),
            "{name}: {sg}"
        );
        let mapping = json!({"columns": sg, "default_role": "grid_worker"});
        let (s, dry) = step(&center, &token, "dry-run", &mapping).await;
        assert_eq!(s, 200, "{name}: {dry}");
        assert_eq!(dry["valid"], 2, "{name}: {dry}");
        let bad = dry["bad"].as_array().unwrap();
        assert_eq!(bad.len(), 1, "{name}: {dry}");
        assert_eq!(bad[0]["row"], 4, "{name}");
        let reason = bad[0]["reason"].as_str().unwrap();
        for word in ["姓名", "厨师", "东山村", "校验位"] {
            assert!(reason.contains(word), "{name}: {word} in {reason}");
        }
        let before = people(&center).await;
        let (s, e) = step(&center, &token, "commit", &mapping).await;
        assert_eq!(s, 400, "{name}: {e}");
        assert!(
            e["message"].as_str().unwrap().contains("未导入"),
            "{name}: {e}"
        );
        assert_eq!(people(&center).await, before, "{name}: nothing written");

        // Corrected: 张三 (by hand already) and a repeated row are skipped, two are new.
        let file = sheet(&[
            ["王五", "法律明白人", &own_name, "13700002222", &id2, "五老"],
            ["赵六", "", &other_name, "", "", ""],
            ["张三", "法律明白人", &own_name, "", "", ""],
            ["王五", "法律明白人", &own_name, "", &id2, ""],
        ]);
        let (_, up) = upload(&center, &file).await;
        let token = up["token"].as_str().unwrap().to_string();
        let (s, done) = step(&center, &token, "commit", &mapping).await;
        assert_eq!(s, 200, "{name}: {done}");
        assert_eq!(done["valid"], 2, "{name}: {done}");
        let skipped: Vec<String> = done["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["reason"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(skipped.len(), 2, "{name}: {done}");
        assert!(skipped[0].contains("已在名册中"), "{name}: {skipped:?}");
        assert!(skipped[1].contains("重复"), "{name}: {skipped:?}");
        assert_eq!(people(&center).await, before + 2, "{name}");
        let (_, l) = center
            .get("/api/v1/education/roster?role=grid_worker&limit=500")
            .await;
        let zhao = l
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "赵六")
            .expect("the default role");
        assert_eq!(zhao["division_code"], other.as_str(), "{name}");
        let (_, l) = center
            .get("/api/v1/education/roster?role=legal_literate&limit=500")
            .await;
        let wang = l
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "王五")
            .unwrap();
        assert_eq!(
            wang["phone"], "137****2222",
            "{name}: sealed like the form's"
        );

        // The same file again, and the platform's own exports: nobody added.
        let (_, up) = upload(&center, &file).await;
        let token = up["token"].as_str().unwrap().to_string();
        let (s, e) = step(&center, &token, "commit", &mapping).await;
        assert_eq!(s, 400, "{name}: {e}");
        for book in [masked_book, full_book] {
            let (s, up) = upload(&center, &book).await;
            assert_eq!(s, 201, "{name}: {up}");
            let token = up["token"].as_str().unwrap().to_string();
            let m = json!({"columns": up["suggested"]});
            let (s, dry) = step(&center, &token, "dry-run", &m).await;
            assert_eq!(s, 200, "{name}: {dry}");
            assert_eq!(
                (dry["valid"].as_u64(), dry["bad"].as_array().unwrap().len()),
                (Some(0), 0),
                "{name}: {dry}"
            );
            assert_eq!(
                dry["skipped"].as_array().unwrap().len(),
                demo_people,
                "{name}"
            );
        }
        assert_eq!(people(&center).await, before + 2, "{name}");
        let audit = fazhi_db::audit::recent(&w.state.db, None, 50)
            .await
            .unwrap();
        assert!(
            audit.iter().any(|a| a.action == "education.roster.import"),
            "{name}"
        );

        // A grid named by its name among the village's grids; an unknown one is a bad row.
        let (_, gl) = center
            .get(&format!("/api/v1/grids?division_code={own}"))
            .await;
        let g = &gl.as_array().expect("grids")[0];
        let with_grid = [
            String::new(),
            String::new(),
            g["division_name"].as_str().unwrap().to_string(),
            g["name"].as_str().unwrap().to_string(),
        ];
        let headers = ["序号", "姓名", "类别", "村（社区）", "所在网格"];
        let file = sheet_with(
            &headers,
            &[
                ["周八", "网格员", &with_grid[2], &with_grid[3]],
                ["吴九", "网格员", &with_grid[2], "第99网格"],
            ],
        );
        let (_, up) = upload(&center, &file).await;
        let token = up["token"].as_str().unwrap().to_string();
        let m = json!({"columns": up["suggested"]});
        assert_eq!(up["suggested"]["grid"], 4, "{name}: {up}");
        let (_, dry) = step(&center, &token, "dry-run", &m).await;
        assert_eq!(dry["valid"], 1, "{name}: {dry}");
        assert!(
            dry["bad"][0]["reason"]
                .as_str()
                .unwrap()
                .contains("第99网格"),
            "{name}: {dry}"
        );
        let file = sheet_with(
            &headers,
            &[["周八", "网格员", &with_grid[2], &with_grid[3]]],
        );
        let (_, up) = upload(&center, &file).await;
        let token = up["token"].as_str().unwrap().to_string();
        let (s, done) = step(&center, &token, "commit", &m).await;
        assert_eq!(s, 200, "{name}: {done}");
        let (_, l) = center
            .get("/api/v1/education/roster?role=grid_worker&limit=500")
            .await;
        let zhou = l
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "周八")
            .expect("周八");
        assert_eq!(zhou["grid_name"], with_grid[3].as_str(), "{name}");

        // A grid worker may not import.
        let (s, _) = upload(&grid, &file).await;
        assert_eq!(s, 403, "{name}");

        // The pages: the list links both exports, the import page takes the file.
        let (s, _, page) = center.get_bytes("/education/roster").await;
        assert_eq!(s, 200, "{name}");
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains("/education/roster/export?") && page.contains("personal=full"),
            "{name}"
        );
        let (s, h, book) = center
            .get_bytes("/education/roster/export?role=mediator")
            .await;
        assert_eq!(s, 200, "{name}");
        assert!(
            h["content-type"]
                .to_str()
                .unwrap()
                .contains("spreadsheetml"),
            "{name}"
        );
        assert!(rows_of(book).len() > 2, "{name}");
        let (s, _, page) = center.get_bytes("/education/roster/import").await;
        assert_eq!(s, 200, "{name}");
        assert!(
            String::from_utf8(page).unwrap().contains("导入队伍名册"),
            "{name}"
        );
        let file = sheet(&[["孙七", "网格员", &own_name, "", "", ""]]);
        let (s, page) = center
            .post_multipart(
                &format!("/education/roster/import?_csrf={}", center.csrf),
                &[("file", Some("名册.xlsx"), &file)],
                false,
            )
            .await;
        let page = page.as_str().unwrap_or_default().to_string();
        assert_eq!(s, 200, "{name}: {page}");
        let token = page
            .split("action=\"/education/roster/import/")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("the mapping form")
            .to_string();
        let (s, _, page) = center
            .post_form_bytes(
                &format!("/education/roster/import/{token}"),
                &[
                    ("col_name", "1"),
                    ("col_role", "2"),
                    ("col_village", "3"),
                    ("default_kind", "legal_literate"),
                    ("step", "commit"),
                ],
                true,
            )
            .await;
        assert_eq!(s, 200, "{name}");
        assert!(
            String::from_utf8(page).unwrap().contains("新增1人"),
            "{name}"
        );
        assert_eq!(people(&center).await, before + 4, "{name}");

        // In the OpenAPI document.
        let (_, doc) = fazhi_testkit::web::send_anon(
            &w.app,
            "GET",
            "/api/v1/openapi.json",
            serde_json::Value::Null,
        )
        .await;
        for path in [
            "/api/v1/education/roster.xlsx",
            "/api/v1/education/roster/imports",
            "/api/v1/education/roster/imports/{token}/dry-run",
            "/api/v1/education/roster/imports/{token}/commit",
        ] {
            assert!(doc["paths"][path].is_object(), "{name}: {path}");
        }
    }
}
