//! The disk fills up under the write load. The real `fazhi serve` binary keeps its
//! SQLite file on a small tmpfs of its own; a filler file takes the remaining space
//! while clients register matters. Every write is either acknowledged (201) or refused
//! with 503 and a Chinese message — never a 500, never a false acknowledgement. Once
//! the filler is gone the same server takes writes again, and after a kill -9 the
//! database holds exactly the acknowledged matters, with the audit chain intact.
//!
//! Needs to mount a tmpfs (root, as in CI); elsewhere it says so and passes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use fazhi_demo as demo;
use serde_json::{Value, json};

use crate::common::server::{Server, request};

/// A tmpfs of `size` at a fresh folder; unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    fn new(size: &str) -> Option<Mount> {
        let dir = std::env::temp_dir().join(format!(
            "fazhi_full_{}_{}",
            std::process::id(),
            fazhi_db::now_ms()
        ));
        std::fs::create_dir_all(&dir).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "fazhi-full"])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            Some(Mount(dir))
        } else {
            let _ = std::fs::remove_dir(&dir);
            None
        }
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes zeros to `path` until the file system is full.
fn fill(path: &Path) {
    let mut f = std::fs::File::create(path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    while f.write_all(&chunk).is_ok() {}
    // What did fit stays; the last partial chunk may have found a few bytes.
    let _ = f.flush();
}

/// The id of an acknowledged registration.
fn acked_id(body: &str) -> i64 {
    serde_json::from_str::<Value>(body).unwrap()["id"]
        .as_i64()
        .unwrap()
}

fn matter(village: &str, n: usize) -> Value {
    json!({"kind": "dispute", "channel": "visit", "category": "neighbour",
        "division_code": village, "summary": format!("邻里通道纠纷，双方各执一词（第{n}件）"),
        "parties": [{"name": "王建国", "phone": "13800000000"}, {"name": "李秀英", "role": "respondent"}]})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_with_503_and_loses_no_acknowledged_one() {
    let Some(mount) = Mount::new("24m") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let url = format!("sqlite://{}", mount.0.join("d.db").display());
    let db = fazhi_db::Db::open(&url).await.unwrap();
    assert!(demo::seed(&db).await.unwrap());
    db.close().await;
    // The key file lives elsewhere: it must not be what fails.
    let keydir = tempfile::tempdir().unwrap();
    let mut server = Server::start(&url, &keydir.path().join("k"));
    let port = server.port;
    let auth = server.login("center", demo::DEMO_PASSWORD).await;
    let headers: Vec<(&str, &str)> = auth.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let village = "500160101200";

    let mut acked: Vec<i64> = Vec::new();
    let mut n = 0;
    let register = |n: usize| {
        let headers = headers.clone();
        async move {
            let (s, _, body) = request(
                port,
                "POST",
                "/api/v1/matters",
                &headers,
                Some(&matter(village, n)),
            )
            .await
            .unwrap();
            (s, body)
        }
    };
    // A few writes with room to spare.
    for _ in 0..5 {
        n += 1;
        let (s, body) = register(n).await;
        assert_eq!(s, 201, "{body}");
        acked.push(acked_id(&body));
    }
    let filler = mount.0.join("filler");
    fill(&filler);
    // Eight clients at once, so refused writes share batches with others: each
    // either goes into space the log already holds, or is refused.
    let owned: Vec<(String, String)> = auth.clone();
    let tasks: Vec<_> = (0..8)
        .map(|c| {
            let owned = owned.clone();
            tokio::spawn(async move {
                let headers: Vec<(&str, &str)> = owned
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                let (mut ok, mut refused) = (Vec::new(), 0);
                for i in 0..400 {
                    let m = matter(village, 10_000 + c * 1_000 + i);
                    let (s, _, body) = request(port, "POST", "/api/v1/matters", &headers, Some(&m))
                        .await
                        .unwrap();
                    match s {
                        201 => ok.push(acked_id(&body)),
                        503 => {
                            let e: Value = serde_json::from_str(&body).unwrap();
                            assert_eq!(e["code"], "storage_unavailable", "{body}");
                            assert!(e["message"].as_str().unwrap().contains("未保存"), "{body}");
                            refused += 1;
                            if refused == 10 {
                                break;
                            }
                        }
                        other => panic!("a write answered {other}: {body}"),
                    }
                }
                (ok, refused)
            })
        })
        .collect();
    let mut refused = 0;
    for t in tasks {
        let (ok, r) = t.await.unwrap();
        acked.extend(ok);
        refused += r;
    }
    assert!(refused >= 40, "the full disk refused only {refused} writes");
    // Reads still work while the disk is full.
    let (s, _, body) = request(port, "GET", "/api/v1/matters?limit=5", &headers, None)
        .await
        .unwrap();
    assert_eq!(s, 200, "{body}");
    // Space returns: the same server takes writes again.
    std::fs::remove_file(&filler).unwrap();
    for _ in 0..5 {
        n += 1;
        let (s, body) = register(n).await;
        assert_eq!(s, 201, "after space returned: {body}");
        acked.push(acked_id(&body));
    }
    eprintln!(
        "{} writes acknowledged, {refused} refused with 503",
        acked.len()
    );
    server.child.kill().unwrap();
    server.child.wait().unwrap();

    let db = fazhi_db::Db::open(&url).await.unwrap();
    let all = fazhi_db::matters::read::count(&db, &["/".to_string()], &Default::default())
        .await
        .unwrap();
    assert_eq!(
        all as usize,
        acked.len(),
        "exactly the acknowledged matters are stored"
    );
    for id in &acked {
        fazhi_db::matters::read::by_id(&db, *id)
            .await
            .unwrap_or_else(|e| panic!("acknowledged matter {id} lost: {e}"));
    }
    let v = fazhi_db::audit::verify(&db, None).await.unwrap();
    assert_eq!(v.first_bad, None);
    db.close().await;
}
