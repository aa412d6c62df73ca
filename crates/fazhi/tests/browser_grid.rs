//! The grid worker's and the village mediator's matter flows on a 390 px phone in
//! headless Chromium (issue 14 §8): the grid worker reports a dispute from their own
//! grid and files the month's sweep with it (no 零报告 offered once a matter came from
//! the grid); the centre assigns it to the village; the mediator signs for it, records
//! the mediation and closes it for the centre's review. No page scrolls sideways.
//!
//! Needs Debian's `chromium` and `chromium-driver`; skipped without `chromedriver`
//! unless `FAZHI_REQUIRE_BROWSER=1`.

use crate::common::browser::{chromedriver, click, el, fill, login_as, notice, phone, widths};
use fantoccini::{Client, Locator};
use fazhi_demo as demo;
use fazhi_web::{AppState, Settings};
use serde_json::json;

/// What marks a matter's page once logged in.
const MATTER_PAGE: &str = "//h2[normalize-space()='办理']";

/// The page fits the phone's width.
async fn fits(b: &Client, what: &str) {
    let (view, page) = widths(b).await;
    assert_eq!(view, 390, "the phone's width");
    assert!(page <= view, "{what} fits the screen: {page} > {view}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grid_worker_and_a_mediator_work_a_matter_on_a_390px_phone() {
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
    let app = fazhi_web::app(state.clone());
    let grid01 = fazhi_db::auth::users::by_username(&t.db, "grid01")
        .await
        .unwrap();
    let own_grid = grid01.grid_id.unwrap();
    let village = fazhi_db::admin::grids::by_id(&t.db, own_grid)
        .await
        .unwrap()
        .division_id;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(fazhi_web::serve(listener, state));

    let b = phone(driver_port).await;
    let flow = b.clone();
    // Run in a task so a failed assertion still closes the browser below.
    let result = tokio::spawn(async move {
        let b = flow;
        // The grid worker reports from their own grid, the only one offered.
        login_as(
            &b,
            &site,
            "grid01",
            "/matters/report",
            "//select[@name='grid_id']",
        )
        .await;
        fits(&b, "the report form").await;
        let grids = b
            .find_all(Locator::Css(
                "select[name=grid_id] option[value]:not([value=''])",
            ))
            .await
            .unwrap();
        assert_eq!(grids.len(), 1, "only the own grid");
        assert_eq!(
            grids[0].attr("value").await.unwrap(),
            Some(own_grid.to_string())
        );
        el(&b, "select[name=category]")
            .await
            .select_by_value("neighbour")
            .await
            .unwrap();
        fill(&b, "textarea[name=summary]", "两户因院坝排水沟堵塞发生争执").await;
        fill(&b, "input[name=name]", "王建国").await;
        click(&b, "//button[normalize-space()='上报']").await;
        notice(&b, "已上报").await;
        let matter = b.current_url().await.unwrap().path().to_string();
        let id: i64 = matter.trim_start_matches("/matters/").parse().unwrap();

        // The month's sweep lists the matter; no zero report once the grid reported one.
        b.goto(&format!("{site}/sweeps")).await.unwrap();
        let tick = el(&b, &format!("input[name=matter_id][value='{id}']")).await;
        fits(&b, "the sweep page").await;
        assert!(
            b.find(Locator::Css("button[name=zero_report]"))
                .await
                .is_err(),
            "no zero report over a reported matter"
        );
        tick.click().await.unwrap();
        click(&b, "//button[normalize-space()='提交所选事项']").await;
        notice(&b, "已提交本月排查").await;

        // The centre accepts it and assigns it to the village.
        let c = fazhi_testkit::web::Client::login(&app, "center", demo::DEMO_PASSWORD)
            .await
            .unwrap();
        for step in [
            json!({"action": "accept"}),
            json!({"action": "assign", "assignee": {"kind": "division", "id": village}}),
        ] {
            let (s, r) = c.post(&format!("/api/v1/matters/{id}/actions"), step).await;
            assert_eq!(s, 200, "{r}");
        }

        // The village mediator finds it in 我的待办, signs, mediates and closes.
        login_as(
            &b,
            &site,
            "village01",
            "/tasks",
            "//h1[contains(., '我的待办')]",
        )
        .await;
        fits(&b, "my tasks").await;
        el(&b, &format!("a[href='{matter}']"))
            .await
            .click()
            .await
            .unwrap();
        b.wait()
            .for_element(Locator::XPath(MATTER_PAGE))
            .await
            .unwrap();
        fits(&b, "the matter page").await;
        click(&b, "//button[normalize-space()='签收']").await;
        notice(&b, "已签收").await;
        click(&b, "//summary[normalize-space()='记录调解']").await;
        fill(
            &b,
            "form:has(input[value=record_mediation]) textarea[name=summary]",
            "组织双方现场查看，约定共同清理排水沟",
        )
        .await;
        el(
            &b,
            "form:has(input[value=record_mediation]) select[name=outcome]",
        )
        .await
        .select_by_value("success")
        .await
        .unwrap();
        click(&b, "//form[.//input[@value='record_mediation']]//button").await;
        notice(&b, "已记录调解").await;
        click(&b, "//summary[normalize-space()='办结（报综治中心审核）']").await;
        el(&b, "form:has(input[value=close]) select[name=outcome]")
            .await
            .select_by_value("success")
            .await
            .unwrap();
        click(&b, "//form[.//input[@value='close']]//button").await;
        notice(&b, "待综治中心审核").await;
        fits(&b, "the matter page after closing").await;
        // The timeline names the people who acted.
        let page = b.source().await.unwrap();
        assert!(
            page.contains("网格员 刘芳") && page.contains("调解员 陈国华"),
            "people on the timeline"
        );
    })
    .await;
    let _ = b.close().await;
    let _ = driver.kill().await;
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}
