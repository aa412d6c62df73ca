//! A grid worker records a publicity event on a 390 px phone screen in headless
//! Chromium: the short form fits the screen (no sideways scrolling), the defaults
//! (today, the own village) are filled in, a mistake is shown next to its field, and
//! the saved event is on the list.
//!
//! Needs Debian's `chromium` and `chromium-driver`; skipped without `chromedriver`
//! unless `FAZHI_REQUIRE_BROWSER=1`.

use crate::common::browser::{chromedriver, el, fill, phone, widths};
use fantoccini::Locator;
use fazhi_demo as demo;
use fazhi_web::{AppState, Settings};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grid_worker_records_an_event_on_a_390px_phone() {
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
    let today = state.clock.today().to_string();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(fazhi_web::serve(listener, state));

    let b = phone(driver_port).await;
    let flow = b.clone();
    let result = tokio::spawn(async move {
        let b = flow;
        b.goto(&format!("{site}/")).await.unwrap();
        fill(&b, "input[name=username]", "grid01").await;
        fill(&b, "input[name=password]", demo::DEMO_PASSWORD).await;
        el(&b, "button[type=submit]").await.click().await.unwrap();
        el(&b, "header.top").await;

        // From the menu (behind its button on a phone) to the list, then to the form.
        el(&b, "label.menu-button").await.click().await.unwrap();
        b.wait()
            .for_element(Locator::XPath("//nav/a[normalize-space()='普法学法']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        b.wait()
            .for_element(Locator::XPath("//a[contains(., '登记普法活动')]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        el(&b, "#event-form").await;
        let (view, page) = widths(&b).await;
        assert_eq!(view, 390, "the phone's width");
        assert!(page <= view, "the form fits the screen: {page} > {view}");
        // Defaults: today, the grid worker's own village.
        let day = el(&b, "input[name=held_on]")
            .await
            .prop("value")
            .await
            .unwrap();
        assert_eq!(day.as_deref(), Some(today.as_str()));
        let village = el(&b, "select[name=division_code]").await;
        let chosen = village.prop("value").await.unwrap().unwrap_or_default();
        assert!(
            chosen.starts_with("500160101"),
            "own village preselected: {chosen}"
        );

        // A slip the browser cannot catch: fewer people reached than present. The
        // server's message is shown next to the field.
        fill(&b, "input[name=title]", "反诈骗宣传进院坝").await;
        el(&b, "select[name=kind]")
            .await
            .select_by_value("villages")
            .await
            .unwrap();
        fill(&b, "input[name=participants]", "42").await;
        fill(&b, "input[name=reached]", "10").await;
        fill(&b, "input[name=materials]", "80").await;
        el(&b, "#event-form button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        let err = b
            .wait()
            .for_element(Locator::XPath(
                "//span[@class='field-error' and contains(., '受众人次不能少于参与人数')]",
            ))
            .await
            .unwrap();
        assert!(err.is_displayed().await.unwrap());
        let (view, page) = widths(&b).await;
        assert!(page <= view, "the refused form fits too: {page} > {view}");
        let title = el(&b, "input[name=title]")
            .await
            .prop("value")
            .await
            .unwrap();
        assert_eq!(title.as_deref(), Some("反诈骗宣传进院坝"), "input kept");

        // Corrected and saved.
        el(&b, "input[name=reached]").await.clear().await.unwrap();
        el(&b, "#event-form button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        b.wait()
            .for_element(Locator::XPath(
                "//p[contains(@class,'notice') and contains(., '已登记')]",
            ))
            .await
            .unwrap();
        assert!(b.source().await.unwrap().contains("42 人次"));

        // On the list, with its figures.
        b.goto(&format!("{site}/education")).await.unwrap();
        let row = b
            .wait()
            .for_element(Locator::XPath(
                "//td/a[normalize-space()='反诈骗宣传进院坝']",
            ))
            .await
            .unwrap();
        assert!(row.is_displayed().await.unwrap());
        let (view, page) = widths(&b).await;
        assert!(
            page <= view,
            "the list page does not scroll sideways: {page} > {view}"
        );
    })
    .await;
    let _ = b.close().await;
    let _ = driver.kill().await;
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}
