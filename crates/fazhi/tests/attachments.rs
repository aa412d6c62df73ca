//! Files kept with a matter (一事一档) on a real disk and a real database (SQLite, and
//! PostgreSQL when FAZHI_TEST_POSTGRES_URL is set): typed by content, stored with their
//! digests, listed on the page and the timeline, served to those in scope, downloads of
//! personal files audited, nothing kept of a refused upload.

use crate::common::World;
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

/// A PDF-looking scan of `n` bytes.
fn scan(n: usize) -> Vec<u8> {
    let mut v = b"%PDF-1.7\n".to_vec();
    v.extend((0..n).map(|i| (i * 13 + i / 97) as u8));
    v
}

#[tokio::test]
async fn files_are_kept_with_the_matter_and_served_in_scope() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let dir = tempfile::tempdir().unwrap();
        let w = world_with_files(t, dir.path()).await;
        let center = w.login("center").await;
        let (village, _) = crate::common::villages(&w).await;
        let (s, m) = center
            .post(
                "/api/v1/matters",
                json!({"kind": "petition", "channel": "letter", "category": "neighbour",
                    "division_code": village, "summary": "来信反映邻里纠纷",
                    "parties": [{"name": "某甲"}]}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {m}");
        let id = m["id"].as_i64().unwrap();
        let base = format!("/api/v1/matters/{id}/attachments");

        // A scanned letter: personal by default, digests match ours.
        let bytes = scan(300_000);
        let parts: [(&str, Option<&str>, &[u8]); 3] = [
            ("kind", None, b"letter"),
            ("description", None, "来信原件扫描".as_bytes()),
            ("file", Some("来信.pdf"), &bytes),
        ];
        let (s, _) = center.post_multipart(&base, &parts, false).await;
        assert_eq!(s, 403, "{name}: a cookie upload needs the CSRF header");
        let (s, a) = center.post_multipart(&base, &parts, true).await;
        assert_eq!(s, 201, "{name}: {a}");
        assert_eq!(a["personal"], true, "{name}");
        assert_eq!(a["kind_label"], "来信来访材料", "{name}");
        assert_eq!(
            a["sha256"],
            hex::encode(sha2::Sha256::digest(&bytes)),
            "{name}"
        );
        // A photo is not personal unless said; an executable is refused, nothing kept.
        let photo = b"\xFF\xD8\xFF\xE0\x00\x10JFIF....".to_vec();
        let (s, p1) = center
            .post_multipart(
                &base,
                &[("kind", None, b"photo"), ("file", Some("现场.jpg"), &photo)],
                true,
            )
            .await;
        assert_eq!(s, 201, "{name}: {p1}");
        assert_eq!(p1["personal"], false, "{name}");
        let (s, r) = center
            .post_multipart(
                &base,
                &[("file", Some("x.pdf"), b"MZ\x90\x00 not a pdf")],
                true,
            )
            .await;
        assert_eq!(s, 400, "{name}: {r}");
        let (s, r) = center
            .post_multipart(
                &base,
                &[("kind", None, b"nonsense"), ("file", Some("a.jpg"), &photo)],
                true,
            )
            .await;
        assert_eq!(s, 400, "{name}: {r}");
        let (_, list) = center.get(&base).await;
        assert_eq!(list.as_array().unwrap().len(), 2, "{name}: {list}");

        // Downloads: the same bytes; the personal one audited.
        let (s, _, got) = center.get_bytes(a["download"].as_str().unwrap()).await;
        assert_eq!((s.as_u16(), got == bytes), (200, true), "{name}");
        let audited = |w: &World| {
            let db = w.state.db.clone();
            async move {
                fazhi_db::audit::search(
                    &db,
                    &fazhi_db::audit::AuditFilter {
                        action_prefix: Some("matter.attachment_download".into()),
                        ..Default::default()
                    },
                    None,
                    100,
                )
                .await
                .unwrap()
                .len()
            }
        };
        assert_eq!(audited(&w).await, 1, "{name}");
        let (s, _, _) = center.get_bytes(p1["download"].as_str().unwrap()).await;
        assert_eq!(s, 200, "{name}");
        assert_eq!(
            audited(&w).await,
            1,
            "{name}: a photo without personal data is not"
        );

        // Another township's head sees neither the list nor the file.
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
        let other = w.login("qx-leader").await;
        let (s, _) = other.get(&base).await;
        assert_eq!(s, 404, "{name}");
        let (s, _, _) = other.get_bytes(a["download"].as_str().unwrap()).await;
        assert_eq!(s, 404, "{name}");

        // A file changed on disk is not served.
        let stored = dir
            .path()
            .join(&a["sha256"].as_str().unwrap()[..2])
            .join(a["sha256"].as_str().unwrap());
        std::fs::write(&stored, b"%PDF-1.7 tampered").unwrap();
        let (s, _, _) = center.get_bytes(a["download"].as_str().unwrap()).await;
        assert_eq!(s, 409, "{name}");

        // The page lists them and puts them on the timeline; the form posts a file.
        let (s, _, page) = center.get_bytes(&format!("/matters/{id}")).await;
        assert_eq!(s, 200, "{name}");
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains("来信.pdf") && page.contains("添加附件（来信来访材料）"),
            "{name}"
        );
        let (s, _) = center
            .post_multipart(
                &format!("/matters/{id}/attachments?_csrf={}", center.csrf),
                &[
                    ("kind", None, b"audio"),
                    ("file", Some("回访.mp3"), b"ID3\x03\x00rest"),
                ],
                false,
            )
            .await;
        assert_eq!(s, 303, "{name}");
        let (_, list) = center.get(&base).await;
        let last = &list.as_array().unwrap()[2];
        assert_eq!(
            (last["kind"].as_str(), last["personal"].as_bool()),
            (Some("audio"), Some(true)),
            "{name}"
        );
    }
}
