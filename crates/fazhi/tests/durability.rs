//! Every acknowledged write survives the server being killed: the real `fazhi serve`
//! binary on a SQLite file takes concurrent registrations and acceptances over HTTP,
//! is killed with SIGKILL while requests are still in flight, and the reopened
//! database holds every matter, timeline entry and audit row it acknowledged, with
//! the audit chain intact.
//!
//! A killed process loses nothing the kernel already holds, so this checks that the
//! server acknowledges only committed work and that the file stays consistent; it
//! cannot simulate a power loss (whether the write-ahead log reached the disk before
//! the acknowledgement, which `fazhi_db`'s group commit is responsible for).

use std::collections::HashSet;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fazhi_demo as demo;
use serde_json::{Value, json};

use crate::common::server::{Server, request};

/// Clients sending at once.
const CLIENTS: usize = 16;
/// Acknowledged registrations after which the server is killed.
const KILL_AFTER: usize = 150;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_matters_survive_a_killed_server() {
    let dir = std::env::temp_dir().join(format!(
        "fazhi_durability_{}_{}",
        std::process::id(),
        fazhi_db::now_ms()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("d.db").display());
    let db = fazhi_db::Db::open(&url).await.unwrap();
    assert!(demo::seed(&db).await.unwrap());
    db.close().await;

    let mut server = Server::start(&url, &dir.join("k"));
    let port = server.port;
    let auth = server.login("center", demo::DEMO_PASSWORD).await;
    let cookie = auth[0].1.clone();
    let csrf = auth[1].1.clone();
    let (s, _, body) = request(
        port,
        "GET",
        "/api/v1/divisions?parent_code=500160101000&limit=500",
        &[("Cookie", &cookie)],
        None,
    )
    .await
    .unwrap();
    assert_eq!(s, 200, "{body}");
    let villages: Vec<String> = serde_json::from_str::<Value>(&body)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();

    // (matter id, timeline entries acknowledged)
    let acked: Arc<Mutex<Vec<(i64, usize)>>> = Arc::default();
    let registered = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for i in 0..CLIENTS {
        let (acked, registered, stop) = (acked.clone(), registered.clone(), stop.clone());
        let (cookie, csrf) = (cookie.clone(), csrf.clone());
        let village = villages[i % villages.len()].clone();
        tasks.push(tokio::spawn(async move {
            let headers = [("Cookie", cookie.as_str()), ("X-CSRF-Token", csrf.as_str())];
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let m = json!({"kind": "dispute", "channel": "visit", "category": "neighbour",
                    "division_code": village, "summary": format!("围墙占道纠纷（{i}-{n}）"),
                    "parties": [{"name": "王建国"}, {"name": "李秀英", "role": "respondent"}]});
                let Ok((201, _, body)) =
                    request(port, "POST", "/api/v1/matters", &headers, Some(&m)).await
                else {
                    return;
                };
                // A body cut short by the kill is no acknowledgement.
                let Ok(m) = serde_json::from_str::<Value>(&body) else {
                    return;
                };
                let id = m["id"].as_i64().unwrap();
                acked.lock().unwrap().push((id, 1));
                registered.fetch_add(1, Ordering::Relaxed);
                let accept = json!({"action": "accept", "version": m["version"]});
                let path = format!("/api/v1/matters/{id}/actions");
                let Ok((200, _, body)) =
                    request(port, "POST", &path, &headers, Some(&accept)).await
                else {
                    return;
                };
                if serde_json::from_str::<Value>(&body).is_err() {
                    return;
                }
                let mut a = acked.lock().unwrap();
                let entry = a.iter_mut().find(|(x, _)| *x == id).unwrap();
                entry.1 = 2;
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while registered.load(Ordering::Relaxed) < KILL_AFTER {
        assert!(Instant::now() < deadline, "too slow to register");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Requests are still in flight: kill the process mid-stream (SIGKILL, no shutdown).
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= KILL_AFTER);

    let db = fazhi_db::Db::open(&url).await.unwrap();
    let audited: HashSet<String> = fazhi_db::audit::recent(&db, None, 1_000_000)
        .await
        .unwrap()
        .into_iter()
        .map(|r| format!("{} {}", r.action, r.target))
        .collect();
    for (id, entries) in &acked {
        let m = fazhi_db::matters::read::by_id(&db, *id)
            .await
            .unwrap_or_else(|e| panic!("acknowledged matter {id} lost: {e}"));
        let events = fazhi_db::matters::read::events(&db, *id).await.unwrap();
        assert!(events.len() >= *entries, "matter {id}: {events:?}");
        assert_eq!(events[0].action, fazhi_core::matter::ActionCode::Register);
        assert!(audited.contains(&format!("matter.register matter:{id}")));
        if *entries == 2 {
            assert_eq!(
                m.status,
                fazhi_core::matter::Status::Accepted,
                "matter {id}"
            );
            assert_eq!(events[1].action, fazhi_core::matter::ActionCode::Accept);
            assert!(audited.contains(&format!("matter.accept matter:{id}")));
        }
    }
    let v = fazhi_db::audit::verify(&db, None).await.unwrap();
    assert_eq!(v.first_bad, None);
    db.close().await;
    let out = Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .args(["--db", &url, "audit", "verify"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The server checkpoints the audit chain beside its key file; `fazhi audit verify`
/// finds the log intact against them, and finds it tampered once the log is wiped,
/// which the chain alone cannot tell.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_anchors_the_audit_log_and_verify_catches_a_wiped_log() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("a.db").display());
    let db = fazhi_db::Db::open(&url).await.unwrap();
    assert!(demo::seed(&db).await.unwrap());
    db.close().await;
    let key = dir.path().join("fazhi.key");
    let server = Server::start(&url, &key);
    server.login("center", demo::DEMO_PASSWORD).await;
    drop(server); // killed: only the checkpoint written at start is there
    let anchors = std::fs::read_to_string(dir.path().join("fazhi.anchors")).unwrap();
    assert!(!anchors.trim().is_empty(), "no checkpoint written");
    let verify = || {
        Command::new(env!("CARGO_BIN_EXE_fazhi"))
            .args(["--db", &url, "audit", "verify"])
            .env("FAZHI_KEY_FILE", &key)
            .output()
            .unwrap()
    };
    let out = verify();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Checked against 1 checkpoints"), "{text}");
    let db = fazhi_db::Db::open(&url).await.unwrap();
    fazhi_testkit::db::execute_raw(
        &db,
        "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log; UPDATE audit_head SET seq = 0, hash = '0000000000000000000000000000000000000000000000000000000000000000'",
    )
    .await
    .unwrap();
    db.close().await;
    let out = verify();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("TAMPERED") && text.contains("removed"),
        "{text}"
    );
}
