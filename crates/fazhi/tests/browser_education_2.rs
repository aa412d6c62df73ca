//! The duty pages on a 390 px phone in headless Chromium, on the demo year: 司法所 staff
//! record an enterprise visit (a mistake shown next to its field, then saved), and no
//! page of 述法, villages, plan, visits or emergency scrolls sideways.
//!
//! Needs Debian's `chromium` and `chromium-driver`; skipped without `chromedriver`
//! unless `FAZHI_REQUIRE_BROWSER=1`.

use crate::common::browser::{chromedriver, el, fill, login_as, notice, phone, widths};
use fantoccini::Locator;
use fazhi_demo as demo;
use fazhi_web::{AppState, Settings};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_duty_pages_fit_a_390px_phone() {
    let Some((mut driver, driver_port)) = chromedriver().await else {
        return;
    };
    let t = fazhi_testkit::db::sqlite().await.unwrap();
    demo::seed(&t.db).await.unwrap();
    let state = AppState::new(
        t.db.clone(),
        Settings::default(),
        fazhi_testkit::web::vault(),
    );
    let today = state.clock.today();
    demo::education::seed(&state.db, &state.vault, today)
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(fazhi_web::serve(listener, state));

    let b = phone(driver_port).await;
    let flow = b.clone();
    let result = tokio::spawn(async move {
        let b = flow;
        login_as(
            &b,
            &site,
            "sifasuo",
            "/education/visits/new",
            "//input[@name='enterprise']",
        )
        .await;
        let (view, page) = widths(&b).await;
        assert_eq!(view, 390, "the phone's width");
        assert!(page <= view, "the visit form fits: {page} > {view}");
        // Issues without a day to fix them by: refused, shown next to the field.
        fill(&b, "input[name=enterprise]", "石桥竹木制品厂").await;
        fill(&b, "input[name=visitors]", "司法所 周敏").await;
        fill(&b, "textarea[name=issues]", "用工合同不规范").await;
        el(&b, "form.stack button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        b.wait()
            .for_element(Locator::XPath(
                "//span[@class='field-error' and contains(., '整改期限')]",
            ))
            .await
            .unwrap();
        let due = (today + time::Duration::days(30)).to_string();
        // Date inputs take the digits in the browser's own order; set the value directly.
        b.execute(
            "document.querySelector('input[name=rectify_by]').value = arguments[0];",
            vec![serde_json::json!(due)],
        )
        .await
        .unwrap();
        el(&b, "form.stack button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        notice(&b, "已登记").await;
        assert!(b.source().await.unwrap().contains("石桥竹木制品厂"));
        let (view, page) = widths(&b).await;
        assert!(page <= view, "the visit page fits: {page} > {view}");

        login_as(
            &b,
            &site,
            "center",
            "/education/statements",
            "//h1[contains(., '述法')]",
        )
        .await;
        for path in [
            "/education/statements",
            "/education/statements/new",
            "/education/villages",
            "/education/plan",
            "/education/visits",
            "/education/visits?overdue=1",
            "/education/emergency",
            "/education/emergency/new",
        ] {
            b.goto(&format!("{site}{path}")).await.unwrap();
            el(&b, "h1").await;
            let (view, page) = widths(&b).await;
            assert!(page <= view, "{path} scrolls sideways: {page} > {view}");
            snapshot(&b, path).await;
        }
        // A record of each kind, from its list.
        for (list, link) in [
            (
                "/education/statements",
                "//td/a[contains(@href, '/education/statements/')]",
            ),
            (
                "/education/villages",
                "//td/a[contains(@href, '/education/villages/')]",
            ),
            (
                "/education/plan",
                "//td/a[contains(@href, '/education/plan/')]",
            ),
            (
                "/education/emergency",
                "//td/a[contains(@href, '/education/emergency/')]",
            ),
        ] {
            b.goto(&format!("{site}{list}")).await.unwrap();
            b.wait()
                .for_element(Locator::XPath(link))
                .await
                .unwrap_or_else(|e| panic!("{list}: {e}"))
                .click()
                .await
                .unwrap();
            el(&b, "dl.fields").await;
            snapshot(&b, &format!("{list}-record")).await;
            let (view, page) = widths(&b).await;
            assert!(
                page <= view,
                "a record of {list} scrolls sideways: {page} > {view}"
            );
        }
    })
    .await;
    let _ = b.close().await;
    let _ = driver.kill().await;
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// With `FAZHI_SCREENSHOTS=dir`, keeps a PNG of the page for a look by eye.
async fn snapshot(b: &fantoccini::Client, path: &str) {
    let Ok(dir) = std::env::var("FAZHI_SCREENSHOTS") else {
        return;
    };
    let png = b.screenshot().await.unwrap();
    let name: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    std::fs::write(format!("{dir}/{name}.png"), png).unwrap();
}
