//! The real `fazhi serve` binary in a child process, and plain HTTP/1.1 requests to it.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The server; killed when dropped (also when a test fails).
pub struct Server {
    pub child: std::process::Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `fazhi serve` on `db_url` with the key file `key`, on a port the system
    /// picks; returns once the server has printed the address it listens on.
    pub fn start(db_url: &str, key: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fazhi"))
            .args(["--db", db_url, "serve", "--bind", "127.0.0.1:0"])
            .arg("--key-file")
            .arg(key)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let mut lines = BufReader::new(out).lines();
        let port = loop {
            let line = lines
                .next()
                .expect("the server exited before listening")
                .unwrap();
            if let Some(rest) = line.split("running at http://127.0.0.1:").nth(1) {
                break rest.split('/').next().unwrap().parse().unwrap();
            }
        };
        // Keep reading so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, port }
    }

    /// Logs in; the session cookie and CSRF token as request headers.
    pub async fn login(&self, user: &str, password: &str) -> Vec<(String, String)> {
        let body = json!({"username": user, "password": password});
        let (s, head, body) = request(self.port, "POST", "/api/v1/session", &[], Some(&body))
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
        vec![("Cookie".into(), cookie), ("X-CSRF-Token".into(), csrf)]
    }
}

/// One HTTP/1.1 request on a fresh connection; returns status, headers and body.
pub async fn request(
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
