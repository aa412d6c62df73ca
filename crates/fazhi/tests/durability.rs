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
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fazhi::cmd::demo;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Clients sending at once.
const CLIENTS: usize = 16;
/// Acknowledged registrations after which the server is killed.
const KILL_AFTER: usize = 150;

/// One HTTP/1.1 request on a fresh connection; returns status, headers and body.
async fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> std::io::Result<(u16, String, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).await?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(&body);
    s.write_all(req.as_bytes()).await?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await?;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other(format!("incomplete response: {raw}")))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status: {head}")))?;
    Ok((status, head.to_string(), body.to_string()))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Kills the server if the test fails before it does.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

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

    let port = free_port();
    let bin = env!("CARGO_BIN_EXE_fazhi");
    let mut server = Server(
        Command::new(bin)
            .args([
                "--db",
                &url,
                "serve",
                "--bind",
                &format!("127.0.0.1:{port}"),
            ])
            .arg("--key-file")
            .arg(dir.join("k"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok((200, _, _)) = request(port, "GET", "/healthz", &[], None).await {
            break;
        }
        assert!(server.0.try_wait().unwrap().is_none(), "the server exited");
        assert!(Instant::now() < deadline, "the server did not come up");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let login = json!({"username": "center", "password": demo::DEMO_PASSWORD});
    let (s, head, body) = request(port, "POST", "/api/v1/session", &[], Some(&login))
        .await
        .unwrap();
    assert_eq!(s, 200, "{body}");
    let cookie = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("set-cookie")
                .then(|| v.trim().split(';').next().unwrap().to_string())
        })
        .expect("a session cookie");
    let me: Value = serde_json::from_str(&body).unwrap();
    let csrf = me["csrf_token"].as_str().unwrap().to_string();
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
    server.0.kill().unwrap();
    server.0.wait().unwrap();
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
    let out = Command::new(bin)
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
