//! Evidence files of a case on a real disk and a real database (SQLite, and PostgreSQL
//! when FAZHI_TEST_POSTGRES_URL is set): digests taken while the file streams in, a
//! changed file reported and never served, custody logged, nothing deleted.

use crate::common::World;
use crate::common::enforcement::{case, setup};
use fazhi_demo as demo;
use fazhi_web::{AppState, Settings};
use serde_json::json;
use sha2::Digest;

/// The demo organisation with evidence kept in `dir`.
async fn world_with_evidence(t: fazhi_testkit::db::TestDb, dir: &std::path::Path) -> World {
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

/// A JPEG-looking file of `n` bytes with varied content.
fn photo(n: usize) -> Vec<u8> {
    let mut v = b"\xFF\xD8\xFF\xE0\x00\x10JFIF".to_vec();
    v.extend((0..n).map(|i| (i * 7 + i / 251) as u8));
    v
}

#[tokio::test]
async fn evidence_is_kept_checked_and_never_served_changed() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let dir = tempfile::tempdir().unwrap();
        let w = world_with_evidence(t, dir.path()).await;
        let (e, a, b, small, _) = setup(&w).await;
        let (_, d) = e
            .post(
                "/api/v1/enforcement/cases",
                case(small, &[a, b], "citizen", "ordinary"),
            )
            .await;
        let id = d["case"]["id"].as_i64().unwrap();
        let base = format!("/api/v1/enforcement/cases/{id}/evidence");

        // 3 MB in several chunks; both digests match ours.
        let bytes = photo(3 << 20);
        let parts: [(&str, Option<&str>, &[u8]); 2] = [
            ("description", None, "现场照片".as_bytes()),
            ("file", Some("现场.jpg"), &bytes),
        ];
        let (s, f) = e.post_multipart(&base, &parts, false).await;
        assert_eq!(s, 403, "{name}: a cookie upload needs the CSRF header");
        let (s, f1) = e.post_multipart(&base, &parts, true).await;
        assert_eq!(s, 201, "{name}: {f1} {f}");
        assert_eq!(
            f1["sha256"],
            hex::encode(sha2::Sha256::digest(&bytes)),
            "{name}"
        );
        assert_eq!(f1["sm3"], hex::encode(sm3::Sm3::digest(&bytes)), "{name}");
        assert_eq!(f1["content_type"], "image/jpeg");
        assert_eq!(f1["size"], bytes.len());
        assert_eq!(f1["description"], "现场照片");

        // Types are told by content; an executable named .jpg is refused.
        let exe: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00 not a photo";
        let (s, r) = e
            .post_multipart(&base, &[("file", Some("照片.jpg"), exe)], true)
            .await;
        assert_eq!(s, 400, "{name}: {r}");
        let (s, _) = e
            .post_multipart(&base, &[("description", None, b"x")], true)
            .await;
        assert_eq!(s, 400, "{name}: no file");

        // Downloaded intact, and the download is a custody event.
        let fid = f1["id"].as_i64().unwrap();
        let (s, h, got) = e.get_bytes(&format!("{base}/{fid}")).await;
        assert_eq!(s, 200, "{name}");
        assert_eq!(got, bytes, "{name}: the same bytes");
        assert!(
            h["content-disposition"]
                .to_str()
                .unwrap()
                .contains("filename*=UTF-8''")
        );
        let (_, c) = e.get(&format!("{base}/{fid}/custody")).await;
        let actions: Vec<&str> = c
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["upload", "download"], "{name}");

        // Another township's officer sees nothing.
        let other = crate::common::enforcement::other_officer(&w).await;
        assert_eq!(
            other.get_bytes(&format!("{base}/{fid}")).await.0,
            404,
            "{name}"
        );
        assert_eq!(
            other.post_multipart(&base, &parts, true).await.0,
            404,
            "{name}"
        );

        // Someone changes the stored file: it is reported and not served.
        let sha = f1["sha256"].as_str().unwrap();
        let stored = dir.path().join(&sha[..2]).join(sha);
        let mut changed = std::fs::read(&stored).unwrap();
        changed[1000] ^= 1;
        std::fs::write(&stored, &changed).unwrap();
        let (s, _, body) = e.get_bytes(&format!("{base}/{fid}")).await;
        assert_eq!(s, 409, "{name}");
        assert!(
            String::from_utf8_lossy(&body).contains("evidence_altered"),
            "{name}"
        );
        let (_, v) = e.post(&format!("{base}/verify"), json!({})).await;
        assert_eq!(
            (v["intact"].as_i64(), v["files"].as_i64()),
            (Some(0), Some(1)),
            "{name}"
        );
        let (_, c) = e.get(&format!("{base}/{fid}/custody")).await;
        assert!(
            c.as_array()
                .unwrap()
                .iter()
                .any(|x| x["action"] == "verify_failed"),
            "{name}: {c}"
        );

        // Nothing is deleted: the file is superseded by a new upload, with a reason.
        let (s, f2) = e
            .post_multipart(&base, &[("file", Some("现场2.jpg"), &photo(1000))], true)
            .await;
        assert_eq!(s, 201, "{name}: {f2}");
        let sup = format!("{base}/{fid}/supersede");
        let (s, _) = e.post(&sup, json!({"reason": "", "by": f2["id"]})).await;
        assert_eq!(s, 400, "{name}: a reason is required");
        let (s, r) = e
            .post(
                &sup,
                json!({"reason": "原文件校验不一致，重新提取", "by": f2["id"]}),
            )
            .await;
        assert_eq!(s, 204, "{name}: {r}");
        let (s, _) = e.post(&sup, json!({"reason": "再次"})).await;
        assert_eq!(s, 409, "{name}: already superseded");
        let (_, list) = e.get(&base).await;
        assert_eq!(list.as_array().unwrap().len(), 2, "{name}: both kept");
        assert_eq!(list[0]["superseded_by"], f2["id"], "{name}");
    }
}

#[tokio::test]
async fn without_an_evidence_folder_uploads_are_refused_plainly() {
    let t = fazhi_testkit::db::sqlite().await.unwrap();
    let w = crate::common::world(t).await;
    let (e, a, b, small, _) = setup(&w).await;
    let (_, d) = e
        .post(
            "/api/v1/enforcement/cases",
            case(small, &[a, b], "citizen", "ordinary"),
        )
        .await;
    let id = d["case"]["id"].as_i64().unwrap();
    let (s, r) = e
        .post_multipart(
            &format!("/api/v1/enforcement/cases/{id}/evidence"),
            &[("file", Some("a.jpg"), &photo(10))],
            true,
        )
        .await;
    assert_eq!(s, 503, "{r}");
    assert!(
        r["message"].as_str().unwrap().contains("evidence_dir"),
        "{r}"
    );
}
