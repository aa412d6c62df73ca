//! Driving headless Chromium over WebDriver for the browser tests. Needs Debian's
//! `chromium` and `chromium-driver`; without `chromedriver` a test is skipped with a
//! message, unless `FAZHI_REQUIRE_BROWSER=1` (CI sets it), which fails it.

use std::process::Stdio;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Starts chromedriver on a free port and waits for its "started successfully" line;
/// None (after checking `FAZHI_REQUIRE_BROWSER`) when it is not installed.
pub async fn chromedriver() -> Option<(Child, u16)> {
    let required = std::env::var("FAZHI_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = match Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
    {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            assert!(
                !required,
                "FAZHI_REQUIRE_BROWSER=1 but chromedriver is not installed (apt-get install chromium chromium-driver)"
            );
            eprintln!(
                "skipped: chromedriver not installed (apt-get install chromium chromium-driver)"
            );
            return None;
        }
        Err(e) => panic!("cannot start chromedriver: {e}"),
    };
    let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
    loop {
        match lines.next_line().await {
            Ok(Some(line)) if line.contains("started successfully") => break,
            Ok(Some(_)) => continue,
            _ => panic!("chromedriver exited before it was ready"),
        }
    }
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Some((child, port))
}

/// A headless Chromium session with a window `width` pixels wide.
pub async fn browser(port: u16, width: u32) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({"args": ["--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", format!("--window-size={width},1000"), "--lang=zh-CN"]}),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a browser session")
}

/// A headless phone: 390 px wide, touch-sized (Chromium's mobile emulation).
pub async fn phone(port: u16) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({"args": ["--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--lang=zh-CN"],
            "mobileEmulation": {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3.0, "touch": true}}}),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a browser session")
}

/// The element found by CSS, once it is there.
pub async fn el(b: &Client, css: &str) -> fantoccini::elements::Element {
    b.wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
}

/// Replaces the text of the input found by CSS.
pub async fn fill(b: &Client, css: &str, text: &str) {
    let e = el(b, css).await;
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

/// Width of the viewport and of the page: a page wider than the screen scrolls sideways.
pub async fn widths(b: &Client) -> (i64, i64) {
    let v = b
        .execute(
            "return [window.innerWidth, document.documentElement.scrollWidth];",
            vec![],
        )
        .await
        .unwrap();
    (v[0].as_i64().unwrap(), v[1].as_i64().unwrap())
}

pub async fn click(b: &Client, xpath: &str) {
    b.wait()
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {xpath}: {e}"));
}

/// Types into the element found by XPath.
pub async fn type_into(b: &Client, xpath: &str, text: &str) {
    b.wait()
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath}: {e}"))
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("type into {xpath}: {e}"));
}

/// Waits for the page whose notice says `what` (each action redirects with its own
/// notice, so the previous page cannot match).
pub async fn notice(b: &Client, what: &str) {
    let xpath = format!("//p[contains(@class, 'notice') and contains(., '{what}')]");
    if let Err(e) = b.wait().for_element(Locator::XPath(&xpath)).await {
        let shown = match b.find(Locator::Css(".error")).await {
            Ok(el) => el.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        panic!("no notice “{what}” ({e}); the page says: {shown}");
    }
}

/// Logs `user` in on the way to `path` and waits for an element of that page.
pub async fn login_as(b: &Client, site: &str, user: &str, path: &str, ready: &str) {
    b.delete_all_cookies().await.unwrap();
    b.goto(&format!("{site}{path}")).await.unwrap();
    type_into(b, "//input[@name='username']", user).await;
    type_into(b, "//input[@name='password']", fazhi_demo::DEMO_PASSWORD).await;
    click(b, "//button[normalize-space()='登录']").await;
    b.wait()
        .for_element(Locator::XPath(ready))
        .await
        .unwrap_or_else(|e| panic!("{user} on {path}: {e}"));
}
