//! The whole path in a real browser (headless Chromium over WebDriver): a newcomer logs
//! in, registers a matter, assigns it, closes it, and opens its public tracking page.
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without `chromedriver` the test is
//! skipped with a message, unless `FAZHI_REQUIRE_BROWSER=1` (CI sets it), which fails it.

use std::process::Stdio;

use fantoccini::{Client, ClientBuilder, Locator};
use fazhi_demo as demo;
use fazhi_web::{AppState, Settings};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Starts chromedriver on a free port and waits for its "started successfully" line.
/// None when chromedriver is not installed.
async fn chromedriver() -> Option<(Child, u16)> {
    // A port the system just handed out; chromedriver takes it right after.
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
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
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
    // Keep draining its output so it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Some((child, port))
}

async fn browser(port: u16) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({"args": ["--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=zh-CN"]}),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a browser session")
}

async fn click(b: &Client, xpath: &str) {
    b.wait()
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {xpath}: {e}"));
}

async fn fill(b: &Client, css: &str, text: &str) {
    let e = b
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    e.send_keys(text).await.unwrap();
}

/// Starts a new session as `user` and opens `path` (the login form sends them there).
async fn login_as(b: &Client, site: &str, user: &str, path: &str) {
    b.delete_all_cookies().await.unwrap();
    b.goto(&format!("{site}{path}")).await.unwrap();
    fill(b, "input[name=username]", user).await;
    fill(b, "input[name=password]", demo::DEMO_PASSWORD).await;
    click(b, "//button[normalize-space()='登录']").await;
    b.wait()
        .for_element(Locator::XPath("//h2[normalize-space()='办理']"))
        .await
        .unwrap_or_else(|e| panic!("{user} on {path}: {e}"));
}

/// Waits for the page whose notice says `what` (each action redirects with its own
/// notice, so the previous page cannot match).
async fn notice(b: &Client, what: &str) {
    let xpath = format!("//p[contains(@class, 'notice') and contains(., '{what}')]");
    if let Err(e) = b.wait().for_element(Locator::XPath(&xpath)).await {
        let shown = match b.find(Locator::Css(".error")).await {
            Ok(el) => el.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        panic!("no notice “{what}” ({e}); the page says: {shown}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newcomer_registers_assigns_and_closes_a_matter_in_a_browser() {
    let required = std::env::var("FAZHI_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let Some((mut driver, driver_port)) = chromedriver().await else {
        assert!(
            !required,
            "FAZHI_REQUIRE_BROWSER=1 but chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
        eprintln!("skipped: chromedriver not installed (apt-get install chromium chromium-driver)");
        return;
    };

    // The server, in-process on a port of its own, on the demo district.
    let t = fazhi_testkit::db::sqlite().await.unwrap();
    demo::seed(&t.db).await.unwrap();
    let state = AppState::new(
        t.db.clone(),
        Settings::default(),
        fazhi_testkit::web::vault(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(fazhi_web::serve(listener, state));

    let b = browser(driver_port).await;
    let flow = b.clone();
    // Run in a task so a failed assertion still closes the browser below.
    let result = tokio::spawn(async move {
        let b = flow;
        // Log in: the home page sends a visitor to the login form.
        b.goto(&format!("{site}/")).await.unwrap();
        fill(&b, "input[name=username]", "center").await;
        fill(&b, "input[name=password]", demo::DEMO_PASSWORD).await;
        click(&b, "//button[normalize-space()='登录']").await;

        // Register from the navigation.
        click(&b, "//nav/a[normalize-space()='登记']").await;
        let category = b
            .wait()
            .for_element(Locator::Css("select[name=category]"))
            .await
            .unwrap();
        category.select_by_value("neighbour").await.unwrap();
        let place = b
            .find(Locator::Css("select[name=division_code]"))
            .await
            .unwrap();
        place.select_by_index(1).await.unwrap();
        fill(
            &b,
            "textarea[name=summary]",
            "楼上漏水渗到楼下，双方协商未果",
        )
        .await;
        fill(&b, "input[name='parties[0].name']", "李四").await;
        fill(&b, "input[name='parties[0].phone']", "13812345678").await;
        click(&b, "//button[@value='register']").await;
        notice(&b, "已登记").await;
        let track = b
            .find(Locator::Css("a[href^='/track/']"))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .expect("a tracking link");

        // Accept, assign to the 司法所, acknowledge, close.
        click(&b, "//button[normalize-space()='受理']").await;
        notice(&b, "已受理").await;
        let assignee = b
            .find(Locator::XPath(
                "//form[.//input[@value='assign']]//select[@name='assignee']",
            ))
            .await
            .unwrap();
        assignee
            .select_by_label("青石镇司法所（青石镇）")
            .await
            .unwrap();
        click(&b, "//form[.//input[@value='assign']]//button").await;
        notice(&b, "已交办").await;
        let matter = b.current_url().await.unwrap().path().to_string();

        // The 司法所's member signs for it and closes it; the centre reviews the closing.
        login_as(&b, &site, "sifasuo", &matter).await;
        click(&b, "//button[normalize-space()='签收']").await;
        notice(&b, "已签收").await;
        click(&b, "//summary[normalize-space()='办结（报综治中心审核）']").await;
        let outcome = b
            .find(Locator::XPath(
                "//form[.//input[@value='close']]//select[@name='outcome']",
            ))
            .await
            .unwrap();
        outcome.select_by_value("success").await.unwrap();
        click(&b, "//form[.//input[@value='close']]//button").await;
        notice(&b, "待综治中心审核").await;
        login_as(&b, &site, "center", &matter).await;
        click(&b, "//button[normalize-space()='审核通过（办结）']").await;
        notice(&b, "已审核通过").await;

        // The public page, as the party would open it.
        b.goto(&format!("{site}{track}")).await.unwrap();
        let status = b
            .wait()
            .for_element(Locator::Css(".big-status"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(status, "已办结");
        let page = b.source().await.unwrap();
        assert!(
            !page.contains("李四") && !page.contains("漏水"),
            "no personal data in public"
        );
    })
    .await;
    let _ = b.close().await;
    let _ = driver.kill().await;
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}
