//! A grid worker records a publicity event with photos and a sign-in sheet on a 390 px
//! phone screen in headless Chromium: the photos are sent with the form in the same
//! submit, the saved event's page lists them, the page does not scroll sideways, and a
//! listed photo downloads with the bytes that were picked. The centre records an
//! enterprise visit with a photo the same way, and the roster import, the rescue edit
//! page fit the phone.
//!
//! Needs Debian's `chromium` and `chromium-driver`; skipped without `chromedriver`
//! unless `FAZHI_REQUIRE_BROWSER=1`.

use crate::common::browser::{chromedriver, el, fill, notice, phone, widths};
use fantoccini::Locator;
use fazhi_demo as demo;
use fazhi_web::{AppState, Settings};

/// A PNG header and some bytes: the store types files by their first bytes.
fn png(seed: u8) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    v.extend((0..5000u32).map(|i| (i as u8).wrapping_mul(7).wrapping_add(seed)));
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grid_worker_records_an_event_with_photos_on_a_390px_phone() {
    let Some((mut driver, driver_port)) = chromedriver().await else {
        return;
    };
    let t = fazhi_testkit::db::sqlite().await.unwrap();
    demo::seed(&t.db).await.unwrap();
    let store = tempfile::tempdir().unwrap();
    let picked = tempfile::tempdir().unwrap();
    let settings = Settings {
        evidence_dir: Some(store.path().to_path_buf()),
        ..Settings::default()
    };
    let state = AppState::new(t.db.clone(), settings, fazhi_testkit::web::vault());
    let db = state.db.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(fazhi_web::serve(listener, state));

    let (one, two, sheet) = (
        picked.path().join("现场一.png"),
        picked.path().join("现场二.png"),
        picked.path().join("签到表.png"),
    );
    std::fs::write(&one, png(1)).unwrap();
    std::fs::write(&two, png(2)).unwrap();
    std::fs::write(&sheet, png(3)).unwrap();

    let b = phone(driver_port).await;
    let flow = b.clone();
    let result = tokio::spawn(async move {
        let b = flow;
        b.goto(&format!("{site}/education/events/new"))
            .await
            .unwrap();
        fill(&b, "input[name=username]", "grid01").await;
        fill(&b, "input[name=password]", demo::DEMO_PASSWORD).await;
        el(&b, "button[type=submit]").await.click().await.unwrap();
        el(&b, "#event-form").await;
        let (view, page) = widths(&b).await;
        assert_eq!(view, 390, "the phone's width");
        assert!(page <= view, "the form fits the screen: {page} > {view}");

        fill(&b, "input[name=title]", "防范电信诈骗进院坝").await;
        el(&b, "select[name=kind]")
            .await
            .select_by_value("villages")
            .await
            .unwrap();
        fill(&b, "input[name=participants]", "36").await;
        fill(&b, "input[name=materials]", "60").await;
        // Two photos picked at once, and the sign-in sheet.
        el(&b, "input[name=photo]")
            .await
            .send_keys(&format!("{}\n{}", one.display(), two.display()))
            .await
            .unwrap();
        el(&b, "input[name=sign_in]")
            .await
            .send_keys(&sheet.display().to_string())
            .await
            .unwrap();
        el(&b, "#event-form button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        notice(&b, "已登记").await;

        // The event's page lists the three files; the sheet is marked as personal data.
        for n in ["现场一.png", "现场二.png", "签到表.png"] {
            b.wait()
                .for_element(Locator::XPath(&format!(
                    "//ul[contains(@class,'files')]//a[normalize-space()='{n}']"
                )))
                .await
                .unwrap_or_else(|e| panic!("{n} listed: {e}"));
        }
        assert!(b.source().await.unwrap().contains("含个人信息，下载留痕"));
        let (view, page) = widths(&b).await;
        assert!(page <= view, "the event's page fits: {page} > {view}");

        // The first photo, fetched by the page's link in the browser's session, has the
        // bytes that were picked.
        let href = b
            .find(Locator::XPath(
                "//ul[contains(@class,'files')]//a[normalize-space()='现场一.png']",
            ))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        let got = b
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch(arguments[0]).then(r => r.arrayBuffer())
                   .then(a => done(Array.from(new Uint8Array(a))));",
                vec![serde_json::json!(href)],
            )
            .await
            .unwrap();
        let got: Vec<u8> = got
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as u8)
            .collect();
        assert_eq!(got, png(1), "the stored photo is the picked one");

        // The new pages fit the phone too.
        for (path, ready) in [
            ("/education/events/import", "input[name=file]"),
            ("/education/points", "form[action='/education/points']"),
            ("/education/rescue", "#teams"),
        ] {
            b.goto(&format!("{site}{path}")).await.unwrap();
            el(&b, ready).await;
            let (view, page) = widths(&b).await;
            assert!(page <= view, "{path} fits the screen: {page} > {view}");
        }
    })
    .await;
    let _ = b.close().await;
    let _ = driver.kill().await;
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
    // The event and its three files were written together.
    let events = fazhi_db::education::events::list(
        &db,
        &[String::new()],
        &fazhi_db::education::events::EventFilter {
            limit: 1000,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let e = events
        .iter()
        .find(|e| e.title == "防范电信诈骗进院坝")
        .expect("saved");
    let files = fazhi_db::education::files::of_record(
        &db,
        fazhi_db::education::files::FileRecord::Event,
        e.id,
    )
    .await
    .unwrap();
    assert_eq!(files.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_centre_records_a_visit_with_a_photo_on_a_390px_phone() {
    let Some((mut driver, driver_port)) = chromedriver().await else {
        return;
    };
    let t = fazhi_testkit::db::sqlite().await.unwrap();
    demo::seed(&t.db).await.unwrap();
    let store = tempfile::tempdir().unwrap();
    let picked = tempfile::tempdir().unwrap();
    let settings = Settings {
        evidence_dir: Some(store.path().to_path_buf()),
        ..Settings::default()
    };
    let state = AppState::new(t.db.clone(), settings, fazhi_testkit::web::vault());
    let today = state.clock.today();
    demo::education::seed(&state.db, &state.vault, today)
        .await
        .unwrap();
    let db = state.db.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(fazhi_web::serve(listener, state));
    let photo = picked.path().join("车间.png");
    std::fs::write(&photo, png(7)).unwrap();

    let b = phone(driver_port).await;
    let flow = b.clone();
    let result = tokio::spawn(async move {
        let b = flow;
        b.goto(&format!("{site}/education/visits/new"))
            .await
            .unwrap();
        fill(&b, "input[name=username]", "center").await;
        fill(&b, "input[name=password]", demo::DEMO_PASSWORD).await;
        el(&b, "button[type=submit]").await.click().await.unwrap();
        el(&b, "#visit-form").await;
        let (view, page) = widths(&b).await;
        assert!(page <= view, "the form fits the screen: {page} > {view}");
        fill(&b, "input[name=enterprise]", "青石竹编合作社").await;
        fill(&b, "textarea[name=issues]", "劳动合同未签订").await;
        let due = (today + time::Duration::days(30)).to_string();
        // A date input takes the date as typed in the browser's locale; set it directly.
        b.execute(
            "document.querySelector('input[name=rectify_by]').value = arguments[0];",
            vec![serde_json::json!(due)],
        )
        .await
        .unwrap();
        el(&b, "#visit-form input[name=photo]")
            .await
            .send_keys(&photo.display().to_string())
            .await
            .unwrap();
        el(&b, "#visit-form button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        notice(&b, "已登记").await;
        b.wait()
            .for_element(Locator::XPath(
                "//ul[contains(@class,'files')]//a[normalize-space()='车间.png']",
            ))
            .await
            .expect("the photo listed on the visit's page");
        let (view, page) = widths(&b).await;
        assert!(page <= view, "the visit's page fits: {page} > {view}");

        for (path, ready) in [
            ("/education/roster", "#roster-export"),
            ("/education/roster/import", "input[name=file]"),
        ] {
            b.goto(&format!("{site}{path}")).await.unwrap();
            el(&b, ready).await;
            let (view, page) = widths(&b).await;
            assert!(page <= view, "{path} fits the screen: {page} > {view}");
        }
        // A team's edit page, reached from the list.
        b.goto(&format!("{site}/education/rescue")).await.unwrap();
        el(&b, "#teams a").await.click().await.unwrap();
        el(&b, "#team-edit").await;
        let (view, page) = widths(&b).await;
        assert!(page <= view, "the edit page fits: {page} > {view}");
    })
    .await;
    let _ = b.close().await;
    let _ = driver.kill().await;
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
    let visits = fazhi_db::education::visits::list(
        &db,
        &[String::new()],
        &fazhi_db::education::visits::VisitFilter {
            limit: 1000,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let v = visits
        .iter()
        .find(|v| v.enterprise == "青石竹编合作社")
        .expect("saved");
    let files = fazhi_db::education::files::of_record(
        &db,
        fazhi_db::education::files::FileRecord::Visit,
        v.id,
    )
    .await
    .unwrap();
    assert_eq!(files.len(), 1);
}
