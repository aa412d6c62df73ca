//! Load driver for Fazhi's HTTP API. Three benchmarks (bench/README.md):
//!
//! - `lifecycle`: N clients each run matters through create → accept → assign → close →
//!   follow-up as fast as the server answers, for a fixed time; prints lifecycles per
//!   second and request latency percentiles.
//! - `search`: keyword searches of the ledger, one after another; latency percentiles.
//! - `stats`: the statistics of a division for a period, one after another.
//!
//! With `--pid`, the server's resident memory (VmRSS now, VmHWM peak) is read from /proc
//! at the end.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode, header};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::Deserialize;
use serde_json::{Value, json};

type Http = Client<HttpConnector, Full<Bytes>>;

const USAGE: &str = "usage: fazhi-load MODE [--url URL] [--user NAME] [--password PW] [--clients N]
       [--seconds S] [--division CODE] [--unit-kind KIND] [--from D --to D] [--n N] [--pid PID]
       [--queries A,B] [--extra '&sort=id_desc']
MODE: lifecycle | search | stats";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(mode) = args.first().cloned() else {
        eprintln!("{USAGE}");
        std::process::exit(2);
    };
    let mut opt: HashMap<String, String> = HashMap::new();
    let mut it = args[1..].iter();
    while let Some(k) = it.next() {
        let Some(name) = k.strip_prefix("--") else {
            eprintln!("unexpected argument {k}\n{USAGE}");
            std::process::exit(2);
        };
        let Some(v) = it.next() else {
            eprintln!("--{name} needs a value\n{USAGE}");
            std::process::exit(2);
        };
        opt.insert(name.to_string(), v.clone());
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let code = rt.block_on(async move {
        let cfg = Config::from(&opt);
        let r = match mode.as_str() {
            "lifecycle" => lifecycle(&cfg).await,
            "search" => search(&cfg).await,
            "stats" => stats(&cfg).await,
            _ => Err(format!("unknown mode {mode}\n{USAGE}")),
        };
        if let Some(pid) = &cfg.pid {
            print_memory(pid);
        }
        match r {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: {e}");
                1
            }
        }
    });
    std::process::exit(code);
}

struct Config {
    url: String,
    user: String,
    password: String,
    clients: usize,
    seconds: u64,
    division: String,
    unit_kind: String,
    from: String,
    to: String,
    n: usize,
    pid: Option<String>,
    queries: Vec<String>,
    /// Appended to the search query string, e.g. `&sort=id_desc`.
    extra: String,
}

impl Config {
    fn from(o: &HashMap<String, String>) -> Config {
        let get = |k: &str, d: &str| o.get(k).cloned().unwrap_or_else(|| d.to_string());
        Config {
            url: get("url", "http://127.0.0.1:8080"),
            user: get("user", "center"),
            password: get("password", "fazhi-demo"),
            clients: get("clients", "64").parse().expect("--clients N"),
            seconds: get("seconds", "30").parse().expect("--seconds S"),
            division: get("division", "500160101000"),
            unit_kind: get("unit-kind", "司法所"),
            from: get("from", "2025-01-01"),
            to: get("to", "2025-12-31"),
            n: get("n", "200").parse().expect("--n N"),
            pid: o.get("pid").cloned(),
            extra: get("extra", ""),
            queries: get(
                "queries",
                "土地,欠薪,宅基地,噪音,围墙,工资,王建国,李秀英,排水沟,承包地",
            )
            .split(',')
            .map(str::to_string)
            .collect(),
        }
    }
}

/// One logged-in session: cookie plus CSRF token.
#[derive(Clone)]
struct Session {
    http: Http,
    base: String,
    cookie: String,
    csrf: String,
}

impl Session {
    async fn login(http: &Http, c: &Config) -> Result<Session, String> {
        let body = json!({"username": c.user, "password": c.password}).to_string();
        let req = Request::post(format!("{}/api/v1/session", c.url))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| e.to_string())?;
        let res = http.request(req).await.map_err(|e| e.to_string())?;
        let cookie = res
            .headers()
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::to_string)
            .ok_or("login gave no session cookie")?;
        let status = res.status();
        let bytes = res
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        let v: Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        if status != StatusCode::OK {
            return Err(format!("login failed: {status} {v}"));
        }
        Ok(Session {
            http: http.clone(),
            base: c.url.clone(),
            cookie,
            csrf: v["csrf_token"].as_str().unwrap_or_default().to_string(),
        })
    }

    /// Sends one request; returns status, JSON body and the time it took.
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<(StatusCode, Value, Duration), String> {
        let (status, bytes, took) = self
            .send_raw(method, path, body.map(|b| b.to_string()))
            .await?;
        let v = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok((status, v, took))
    }

    /// Sends one request with a JSON body given as text; returns status, body bytes and
    /// the time it took. The lifecycle load uses this and reads only the fields it needs,
    /// so that the driver (on the same machine) takes as little CPU as it can.
    async fn send_raw(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> Result<(StatusCode, Bytes, Duration), String> {
        let mut req = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header(header::COOKIE, &self.cookie)
            .header("X-CSRF-Token", &self.csrf);
        let bytes = match body {
            Some(b) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Bytes::from(b)
            }
            None => Bytes::new(),
        };
        let req = req.body(Full::new(bytes)).map_err(|e| e.to_string())?;
        let t = Instant::now();
        let res = self.http.request(req).await.map_err(|e| e.to_string())?;
        let status = res.status();
        let bytes = res
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok((status, bytes, t.elapsed()))
    }
}

/// The fields of a matter the lifecycle load needs (the rest of the answer is skipped).
#[derive(Deserialize)]
struct MatterRef {
    id: i64,
    version: i64,
}

/// The answer to an action.
#[derive(Deserialize)]
struct Acted {
    matter: MatterRef,
}

fn client(pool: usize) -> Http {
    let mut conn = HttpConnector::new();
    conn.set_nodelay(true);
    Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(pool)
        .build(conn)
}

/// Latencies in microseconds, summarised.
fn percentiles(label: &str, mut us: Vec<u64>) {
    if us.is_empty() {
        println!("{label}: no samples");
        return;
    }
    us.sort_unstable();
    let p =
        |q: f64| us[((us.len() as f64 * q).ceil() as usize).clamp(1, us.len()) - 1] as f64 / 1000.0;
    println!(
        "{label}: n={} p50={:.2}ms p95={:.2}ms p99={:.2}ms max={:.2}ms",
        us.len(),
        p(0.50),
        p(0.95),
        p(0.99),
        p(1.0)
    );
}

async fn village_and_unit(s: &Session, c: &Config) -> Result<(Vec<String>, i64), String> {
    let (_, v, _) = s
        .send(
            Method::GET,
            &format!("/api/v1/divisions?parent_code={}&limit=500", c.division),
            None,
        )
        .await?;
    let villages: Vec<String> = v
        .as_array()
        .ok_or(format!("no villages under {}: {v}", c.division))?
        .iter()
        .filter_map(|d| d["code"].as_str().map(str::to_string))
        .collect();
    if villages.is_empty() {
        return Err(format!("no villages under {}", c.division));
    }
    let (_, u, _) = s
        .send(
            Method::GET,
            &format!("/api/v1/units?division_code={}&limit=100", c.division),
            None,
        )
        .await?;
    let unit = u
        .as_array()
        .and_then(|a| a.iter().find(|x| x["kind"] == c.unit_kind.as_str()))
        .and_then(|x| x["id"].as_i64())
        .ok_or(format!("no unit of kind {} in {}", c.unit_kind, c.division))?;
    Ok((villages, unit))
}

const NAMES: [&str; 8] = [
    "王建国",
    "李秀英",
    "张志强",
    "刘桂兰",
    "陈德明",
    "杨小红",
    "赵永福",
    "周淑珍",
];

async fn lifecycle(c: &Config) -> Result<(), String> {
    let http = client(c.clients);
    let first = Session::login(&http, c).await?;
    let (villages, unit) = village_and_unit(&first, c).await?;
    let mut sessions = vec![first];
    for _ in 1..c.clients {
        sessions.push(Session::login(&http, c).await?);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let villages = Arc::new(villages);
    println!(
        "lifecycle: {} clients for {}s against {} (create → accept → assign → close → follow_up)",
        c.clients, c.seconds, c.url
    );
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (i, s) in sessions.into_iter().enumerate() {
        let (stop, done, villages) = (stop.clone(), done.clone(), villages.clone());
        tasks.push(tokio::spawn(async move {
            // Latencies per step: create, accept, assign, close, follow-up.
            let mut lat: [Vec<u64>; 5] = Default::default();
            let mut n = 0usize;
            while !stop.load(Ordering::Relaxed) {
                let name = NAMES[(i + n) % NAMES.len()];
                let village = &villages[(i * 7 + n) % villages.len()];
                let body = format!(
                    r#"{{"kind":"dispute","channel":"visit","category":"neighbour","division_code":"{village}","summary":"{name}反映邻居修建围墙占用公共通道，双方多次争吵（压测{i}-{n}）","parties":[{{"name":"{name}"}},{{"name":"邻户","role":"respondent"}}]}}"#
                );
                let (st, m, t) = s.send_raw(Method::POST, "/api/v1/matters", Some(body)).await?;
                if st != StatusCode::CREATED {
                    return Err(format!("create: {st} {}", String::from_utf8_lossy(&m)));
                }
                lat[0].push(t.as_micros() as u64);
                let m: MatterRef = serde_json::from_slice(&m).map_err(|e| format!("create: {e}"))?;
                let (id, mut version) = (m.id, m.version);
                let path = format!("/api/v1/matters/{id}/actions");
                let steps = [
                    r#""action":"accept""#.to_string(),
                    format!(r#""action":"assign","assignee":{{"kind":"unit","id":{unit}}}"#),
                    r#""action":"close","closure_type":"substantive","resolved":true,"outcome":"success""#.to_string(),
                    r#""action":"follow_up","satisfaction":"satisfied""#.to_string(),
                ];
                for (k, step) in steps.into_iter().enumerate() {
                    let body = format!(r#"{{{step},"version":{version}}}"#);
                    let (st, r, t) = s.send_raw(Method::POST, &path, Some(body)).await?;
                    if st != StatusCode::OK {
                        return Err(format!("{step}: {st} {}", String::from_utf8_lossy(&r)));
                    }
                    lat[k + 1].push(t.as_micros() as u64);
                    let r: Acted = serde_json::from_slice(&r).map_err(|e| format!("{step}: {e}"))?;
                    version = r.matter.version;
                }
                n += 1;
                done.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<_, String>(lat)
        }));
    }
    tokio::time::sleep(Duration::from_secs(c.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut steps: [Vec<u64>; 5] = Default::default();
    for t in tasks {
        for (k, l) in t.await.map_err(|e| e.to_string())??.into_iter().enumerate() {
            steps[k].extend(l);
        }
    }
    let all: Vec<u64> = steps.iter().flatten().copied().collect();
    let secs = start.elapsed().as_secs_f64();
    let n = done.load(Ordering::Relaxed);
    println!(
        "lifecycles: {n} in {secs:.1}s = {:.1}/s ({:.0} requests/s)",
        n as f64 / secs,
        all.len() as f64 / secs
    );
    percentiles("request latency", all);
    for (name, l) in ["create", "accept", "assign", "close", "follow_up"]
        .iter()
        .zip(steps)
    {
        percentiles(&format!("  {name}"), l);
    }
    Ok(())
}

async fn search(c: &Config) -> Result<(), String> {
    let http = client(4);
    let s = Session::login(&http, c).await?;
    let mut lat = Vec::new();
    let mut hits = 0usize;
    for i in 0..c.n {
        let q = &c.queries[i % c.queries.len()];
        let path = format!("/api/v1/matters?q={}&limit=50{}", encode(q), c.extra);
        let (st, v, t) = s.send(Method::GET, &path, None).await?;
        if st != StatusCode::OK {
            return Err(format!("search {q}: {st} {v}"));
        }
        hits += v["items"].as_array().map_or(0, Vec::len);
        lat.push(t.as_micros() as u64);
    }
    println!("search: {} queries, {hits} rows returned in all", c.n);
    percentiles("search latency", lat);
    Ok(())
}

async fn stats(c: &Config) -> Result<(), String> {
    let http = client(4);
    let s = Session::login(&http, c).await?;
    let path = format!(
        "/api/v1/stats/matters?division={}&from={}&to={}",
        c.division, c.from, c.to
    );
    let mut lat = Vec::new();
    let mut received = 0;
    for _ in 0..c.n {
        let (st, v, t) = s.send(Method::GET, &path, None).await?;
        if st != StatusCode::OK {
            return Err(format!("stats: {st} {v}"));
        }
        received = v["received"].as_i64().unwrap_or(-1);
        lat.push(t.as_micros() as u64);
    }
    println!(
        "stats of {} {}..{}: received={received}",
        c.division, c.from, c.to
    );
    percentiles("stats latency", lat);
    Ok(())
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn print_memory(pid: &str) {
    match std::fs::read_to_string(format!("/proc/{pid}/status")) {
        Ok(s) => {
            for l in s
                .lines()
                .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
            {
                println!("server {l}");
            }
        }
        Err(e) => eprintln!("cannot read memory of pid {pid}: {e}"),
    }
}
