//! The whole path in a real browser (headless Chromium over WebDriver): a newcomer logs
//! in, registers a matter, assigns it, closes it, and opens its public tracking page.
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without `chromedriver` the test is
//! skipped with a message, unless `FAZHI_REQUIRE_BROWSER=1` (CI sets it), which fails it.

use crate::common::browser::{browser, chromedriver, click, fill, login_as, notice};
use fantoccini::Locator;
use fazhi_demo as demo;
use fazhi_web::{AppState, Settings};

/// What marks a matter's page once logged in.
const MATTER_PAGE: &str = "//h2[normalize-space()='办理']";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newcomer_registers_assigns_and_closes_a_matter_in_a_browser() {
    let Some((mut driver, driver_port)) = chromedriver().await else {
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

    let b = browser(driver_port, 1280).await;
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
        login_as(&b, &site, "sifasuo", &matter, MATTER_PAGE).await;
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
        login_as(&b, &site, "center", &matter, MATTER_PAGE).await;
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
