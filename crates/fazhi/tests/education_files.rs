//! Photos and sign-in sheets with publicity events and enterprise visits (issue 17 §2,
//! §6), on a real disk and a real database (SQLite, and PostgreSQL when
//! FAZHI_TEST_POSTGRES_URL is set): typed by content, stored with their digests, listed
//! on the record's page, served to those who may see the record, downloads of sign-in
//! sheets audited; the phone form writes an event and its photos together, or nothing.

use crate::common::{World, villages};
use fazhi_demo as demo;
use fazhi_web::{AppState, Settings};
use serde_json::json;
use sha2::Digest;

async fn world_with_files(t: fazhi_testkit::db::TestDb, dir: &std::path::Path) -> World {
    demo::seed(&t.db).await.unwrap();
    let settings = Settings {
        evidence_dir: Some(dir.to_path_buf()),
        ..Settings::default()
    };
    let state = AppState::new(t.db.clone(), settings, fazhi_testkit::web::vault());
    World {
        app: fazhi_web::app(state.clone()),
        state,
        t,
    }
}

/// A JPEG-looking photo, distinct per `seed`.
fn jpeg(seed: u8, n: usize) -> Vec<u8> {
    let mut v = b"\xFF\xD8\xFF\xE0\x00\x10JFIF".to_vec();
    v.extend((0..n).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    v
}

async fn audit_count(w: &World, action: &str) -> usize {
    fazhi_db::audit::search(
        &w.state.db,
        &fazhi_db::audit::AuditFilter {
            action_prefix: Some(action.into()),
            ..Default::default()
        },
        None,
        500,
    )
    .await
    .unwrap()
    .len()
}

async fn count(c: &fazhi_testkit::web::Client) -> usize {
    let (_, v) = c.get("/api/v1/education/events").await;
    v.as_array().unwrap().len()
}

async fn outsider(w: &World) -> fazhi_testkit::web::Client {
    let hash = fazhi_web::auth::secrets::hash_password(demo::DEMO_PASSWORD.into())
        .await
        .unwrap();
    fazhi_testkit::web::add_user(
        &w.state.db,
        "qx-leader",
        &hash,
        fazhi_core::role::Role::TownshipLeader,
        "500160001000",
    )
    .await;
    w.login("qx-leader").await
}

#[tokio::test]
async fn photos_and_sign_in_sheets_are_kept_with_events_and_visits() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let dir = tempfile::tempdir().unwrap();
        let w = world_with_files(t, dir.path()).await;
        let (own, _) = villages(&w).await;
        let village = w.login("village01").await;
        let center = w.login("center").await;
        let (s, e) = village
            .post(
                "/api/v1/education/events",
                json!({"kind": "villages", "division_code": own, "title": "民法典进院坝",
                    "participants": 30, "materials": 50}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {e}");
        let id = e["id"].as_i64().unwrap();
        let base = format!("/api/v1/education/events/{id}/files");

        // Two photos and a sign-in sheet (a PDF scan) in one request.
        let (p1, p2) = (jpeg(1, 2000), jpeg(2, 3000));
        let sheet = b"%PDF-1.7\n sign-in sheet with names".to_vec();
        let parts: [(&str, Option<&str>, &[u8]); 3] = [
            ("photo", Some("现场1.jpg"), &p1),
            ("photo", Some("现场2.jpg"), &p2),
            ("sign_in", Some("签到表.pdf"), &sheet),
        ];
        let (s, _) = village.post_multipart(&base, &parts, false).await;
        assert_eq!(s, 403, "{name}: a cookie upload needs the CSRF header");
        let (s, added) = village.post_multipart(&base, &parts, true).await;
        assert_eq!(s, 201, "{name}: {added}");
        let added = added.as_array().unwrap().clone();
        assert_eq!(added.len(), 3, "{name}");
        assert_eq!(
            added[0]["sha256"],
            hex::encode(sha2::Sha256::digest(&p1)),
            "{name}"
        );
        assert_eq!(
            (
                added[0]["personal"].as_bool(),
                added[2]["personal"].as_bool()
            ),
            (Some(false), Some(true)),
            "{name}: only the sign-in sheet is personal"
        );
        assert_eq!(added[2]["kind_label"], "签到表", "{name}");
        assert_eq!(audit_count(&w, "education.file.add").await, 3, "{name}");

        // Refused: a PDF as a photo, an executable as a sheet, nothing at all; nothing kept.
        for (parts, field) in [
            (vec![("photo", Some("a.jpg"), &sheet[..])], "photo"),
            (
                vec![("sign_in", Some("x.pdf"), &b"MZ\x90\x00 exe"[..])],
                "sign_in",
            ),
            (vec![("note", None, &b"x"[..])], "photo"),
        ] {
            let (s, r) = village.post_multipart(&base, &parts, true).await;
            assert_eq!(s, 400, "{name}: {r}");
            assert!(r["fields"][field].is_string(), "{name}: {field} in {r}");
        }
        let (_, list) = village.get(&base).await;
        assert_eq!(list.as_array().unwrap().len(), 3, "{name}: {list}");

        // Downloads: the same bytes; only the sign-in sheet audited, before serving.
        let (s, _, got) = center
            .get_bytes(added[0]["download"].as_str().unwrap())
            .await;
        assert_eq!((s.as_u16(), got == p1), (200, true), "{name}");
        assert_eq!(
            audit_count(&w, "education.file.download").await,
            0,
            "{name}"
        );
        let (s, _, got) = center
            .get_bytes(added[2]["download"].as_str().unwrap())
            .await;
        assert_eq!((s.as_u16(), got == sheet), (200, true), "{name}");
        assert_eq!(
            audit_count(&w, "education.file.download").await,
            1,
            "{name}"
        );

        // Another township sees neither the list nor a file, and may not add.
        let other = outsider(&w).await;
        let (s, _) = other.get(&base).await;
        assert_eq!(s, 404, "{name}");
        let (s, _, _) = other
            .get_bytes(added[2]["download"].as_str().unwrap())
            .await;
        assert_eq!(s, 404, "{name}");
        let (s, _) = other.post_multipart(&base, &parts, true).await;
        assert_eq!(s, 404, "{name}");
        assert_eq!(
            audit_count(&w, "education.file.download").await,
            1,
            "{name}"
        );
        // A file id of another record is 404 here.
        let (s, _, _) = center
            .get_bytes(&format!(
                "/api/v1/education/events/{}/files/{}",
                id + 1000,
                added[0]["id"]
            ))
            .await;
        assert_eq!(s, 404, "{name}");

        // A file changed on disk is not served.
        let sha = added[1]["sha256"].as_str().unwrap();
        std::fs::write(
            dir.path().join(&sha[..2]).join(sha),
            b"\xFF\xD8\xFF changed",
        )
        .unwrap();
        let (s, _, _) = center
            .get_bytes(added[1]["download"].as_str().unwrap())
            .await;
        assert_eq!(s, 409, "{name}");

        // The event's page lists them, with the form to add more.
        let (s, _, page) = village.get_bytes(&format!("/education/events/{id}")).await;
        assert_eq!(s, 200, "{name}");
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains("签到表.pdf") && page.contains("含个人信息，下载留痕"),
            "{name}"
        );
        assert!(page.contains("添加照片或签到表"), "{name}");
        let (s, _) = village
            .post_multipart(
                &format!("/education/events/{id}/files?_csrf={}", village.csrf),
                &[("photo", Some("补拍.jpg"), &jpeg(3, 100))],
                false,
            )
            .await;
        assert_eq!(s, 303, "{name}");
        let (_, list) = village.get(&base).await;
        assert_eq!(list.as_array().unwrap().len(), 4, "{name}");

        // Enterprise visits: the same, recorded by 司法所.
        let sifasuo = w.login("sifasuo").await;
        let today = w.state.clock.today().to_string();
        let (s, v) = sifasuo
            .post(
                "/api/v1/education/visits",
                json!({"division_code": "500160101000", "enterprise": "青石建材有限公司",
                    "visited_on": today, "visitors": "司法所 周敏"}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {v}");
        let vbase = format!("/api/v1/education/visits/{}/files", v["id"]);
        let (s, vf) = sifasuo
            .post_multipart(
                &vbase,
                &[("sign_in", Some("座谈签到.jpg"), &jpeg(4, 500))],
                true,
            )
            .await;
        assert_eq!(s, 201, "{name}: {vf}");
        assert_eq!(vf[0]["personal"], true, "{name}");
        let (s, _) = other.get(&vbase).await;
        assert_eq!(s, 404, "{name}");
        let (s, _, _) = center.get_bytes(vf[0]["download"].as_str().unwrap()).await;
        assert_eq!(s, 200, "{name}");
        assert_eq!(
            audit_count(&w, "education.file.download").await,
            2,
            "{name}"
        );
        let (_, _, page) = sifasuo
            .get_bytes(&format!("/education/visits/{}", v["id"]))
            .await;
        assert!(
            String::from_utf8(page).unwrap().contains("座谈签到.jpg"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn the_phone_form_writes_the_event_with_its_photos_or_nothing() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let dir = tempfile::tempdir().unwrap();
        let w = world_with_files(t, dir.path()).await;
        let (own, _) = villages(&w).await;
        let grid = w.login("grid01").await;
        let before = count(&grid).await;
        let action = format!("/education/events/new?_csrf={}", grid.csrf);
        let today = w.state.clock.today().to_string();
        let photo = jpeg(9, 4000);
        let fields: Vec<(&str, Option<&str>, &[u8])> = vec![
            ("title", None, "扫黑除恶宣传".as_bytes()),
            ("kind", None, b"villages"),
            ("held_on", None, today.as_bytes()),
            ("division_code", None, own.as_bytes()),
            ("participants", None, b"25"),
            ("materials", None, b"40"),
        ];

        // A bad photo: the form comes back with the message on the field, nothing written.
        let mut bad = fields.clone();
        bad.push(("photo", Some("x.jpg"), b"%PDF-1.4 not a photo"));
        let (s, _) = grid.post_multipart(&action, &bad, false).await;
        assert_eq!(s, 400, "{name}");
        assert_eq!(count(&grid).await, before, "{name}: nothing written");
        // A bad field with a good photo: nothing written either.
        let mut bad = fields.clone();
        bad[4] = ("participants", None, b"-3");
        bad.push(("photo", Some("a.jpg"), &photo));
        let (s, _) = grid.post_multipart(&action, &bad, false).await;
        assert_eq!(s, 400, "{name}");
        assert_eq!(count(&grid).await, before, "{name}: nothing written");
        assert_eq!(audit_count(&w, "education.file.add").await, 0, "{name}");

        // The event and its photo, with an empty sign-in input, in one submit.
        let mut good = fields.clone();
        good.push(("photo", Some("现场.jpg"), &photo));
        good.push(("sign_in", Some(""), b""));
        let (s, _) = grid.post_multipart(&action, &good, false).await;
        assert_eq!(s, 303, "{name}");
        let (_, list) = grid.get("/api/v1/education/events").await;
        let e = list
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["title"] == "扫黑除恶宣传")
            .unwrap_or_else(|| panic!("{name}: saved"))
            .clone();
        let (_, files) = grid
            .get(&format!("/api/v1/education/events/{}/files", e["id"]))
            .await;
        let files = files.as_array().unwrap();
        assert_eq!(files.len(), 1, "{name}: {files:?}");
        assert_eq!(files[0]["name"], "现场.jpg", "{name}");
        assert_eq!(files[0]["kind"], "photo", "{name}");

        // The urlencoded form still works (no files).
        let (s, _, _) = grid
            .post_form_bytes(
                "/education/events/new",
                &[
                    ("title", "普法讲座"),
                    ("kind", "lecture"),
                    ("division_code", &own),
                    ("participants", "12"),
                ],
                true,
            )
            .await;
        assert_eq!(s, 303, "{name}");
    }
}

#[tokio::test]
async fn the_visit_form_writes_the_visit_with_its_photos_or_nothing() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let dir = tempfile::tempdir().unwrap();
        let w = world_with_files(t, dir.path()).await;
        let (own, _) = villages(&w).await;
        let center = w.login("center").await;
        async fn visits(c: &fazhi_testkit::web::Client) -> Vec<serde_json::Value> {
            let (_, v) = c.get("/api/v1/education/visits").await;
            v.as_array().unwrap().clone()
        }
        let before = visits(&center).await.len();
        let (s, _, page) = center.get_bytes("/education/visits/new").await;
        assert_eq!(s, 200, "{name}");
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains("enctype=\"multipart/form-data\"") && page.contains("name=\"photo\""),
            "{name}: the phone form takes photos"
        );
        let action = format!("/education/visits/new?_csrf={}", center.csrf);
        let today = w.state.clock.today().to_string();
        let photo = jpeg(3, 3000);
        let fields: Vec<(&str, Option<&str>, &[u8])> = vec![
            ("enterprise", None, "青石竹木加工厂".as_bytes()),
            ("division_code", None, own.as_bytes()),
            ("visited_on", None, today.as_bytes()),
            ("visitors", None, "司法所 张敏".as_bytes()),
        ];

        // A bad photo, or a bad field with a good photo: nothing written.
        let mut bad = fields.clone();
        bad.push(("photo", Some("x.jpg"), b"GIF89a not accepted"));
        let (s, _) = center.post_multipart(&action, &bad, false).await;
        assert_eq!(s, 400, "{name}");
        let mut bad = fields.clone();
        bad[0] = ("enterprise", None, b"");
        bad.push(("photo", Some("a.jpg"), &photo));
        let (s, page) = center.post_multipart(&action, &bad, false).await;
        assert_eq!(s, 400, "{name}");
        assert!(
            page.as_str().unwrap_or_default().contains("未保存"),
            "{name}: the form shown again"
        );
        assert_eq!(
            visits(&center).await.len(),
            before,
            "{name}: nothing written"
        );
        assert_eq!(audit_count(&w, "education.file.add").await, 0, "{name}");

        // The visit with two photos in one submit.
        let second = jpeg(4, 2000);
        let mut good = fields.clone();
        good.push(("photo", Some("车间.jpg"), &photo));
        good.push(("photo", Some("台账.jpg"), &second));
        good.push(("sign_in", Some(""), b""));
        let (s, _) = center.post_multipart(&action, &good, false).await;
        assert_eq!(s, 303, "{name}");
        let list = visits(&center).await;
        let v = list
            .iter()
            .find(|v| v["enterprise"] == "青石竹木加工厂")
            .unwrap_or_else(|| panic!("{name}: saved"));
        let (_, files) = center
            .get(&format!("/api/v1/education/visits/{}/files", v["id"]))
            .await;
        let files = files.as_array().unwrap();
        assert_eq!(files.len(), 2, "{name}: {files:?}");
        assert!(files.iter().all(|f| f["kind"] == "photo"), "{name}");
        let (s, _, got) = center
            .get_bytes(files[0]["download"].as_str().unwrap())
            .await;
        assert_eq!(s, 200, "{name}");
        assert!(got == photo || got == second, "{name}: the bytes sent");

        // The urlencoded form still works (no files).
        let (s, _, _) = center
            .post_form_bytes(
                "/education/visits/new",
                &[
                    ("enterprise", "青石砖厂"),
                    ("division_code", &own),
                    ("visited_on", &today),
                    ("visitors", "司法所"),
                ],
                true,
            )
            .await;
        assert_eq!(s, 303, "{name}");
        assert_eq!(visits(&center).await.len(), before + 2, "{name}");
    }
}

#[tokio::test]
async fn the_demo_year_has_photos_of_events_and_visits() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let dir = tempfile::tempdir().unwrap();
        let w = world_with_files(t, dir.path()).await;
        let today = w.state.clock.today();
        demo::education::seed(&w.state.db, &w.state.vault, today)
            .await
            .unwrap();
        let added = demo::education::seed_photos(&w.state.db, dir.path())
            .await
            .unwrap();
        assert_eq!(added.events, 6, "{name}: {added:?}");
        assert!(
            added.visits > 0 && added.files >= 9 + added.visits,
            "{name}: {added:?}"
        );
        let center = w.login("center").await;
        let (_, events) = center.get("/api/v1/education/events?limit=1").await;
        let id = events[0]["id"].as_i64().unwrap();
        let (_, files) = center
            .get(&format!("/api/v1/education/events/{id}/files"))
            .await;
        let files = files.as_array().unwrap();
        assert!(!files.is_empty(), "{name}: the latest event has photos");
        assert_eq!(files[0]["content_type"], "image/png", "{name}");
        // Served after the digest check: a real PNG of 160 × 120.
        let (s, _, png) = center
            .get_bytes(files[0]["download"].as_str().unwrap())
            .await;
        assert_eq!(s, 200, "{name}");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}");
        assert_eq!(&png[12..16], b"IHDR", "{name}");
        assert_eq!(
            (
                u32::from_be_bytes(png[16..20].try_into().unwrap()),
                u32::from_be_bytes(png[20..24].try_into().unwrap())
            ),
            (160, 120),
            "{name}"
        );
        let (_, visits) = center.get("/api/v1/education/visits?limit=1").await;
        let vid = visits[0]["id"].as_i64().unwrap();
        let (_, vfiles) = center
            .get(&format!("/api/v1/education/visits/{vid}/files"))
            .await;
        assert_eq!(vfiles.as_array().unwrap().len(), 1, "{name}: {vfiles}");
        // The event page shows them.
        let (_, _, page) = center.get_bytes(&format!("/education/events/{id}")).await;
        assert!(
            String::from_utf8(page).unwrap().contains("活动现场1.png"),
            "{name}"
        );
    }
}
