//! An ordinary-procedure case from 立案 to 归档 in a real browser: the officer opens
//! and investigates it, notifies the party, sends it to review; the reviewer confirms
//! the seven points; the head decides; the officer serves, publishes, records the
//! payment and closes; the head archives. Then every enforcement page on a 390 px
//! phone, and the public page.

use crate::common::browser::{browser, chromedriver, click, login_as, notice, type_into};
use crate::common::enforcement::setup;
use fantoccini::{Client, Locator};
use fazhi_demo as demo;
use fazhi_web::{AppState, Settings};

/// Opens the action form `action` (its `<summary>` says `summary`), checks the
/// officers' boxes in it when it has any, fills `fields` (name, text) and submits.
async fn act(b: &Client, summary: &str, action: &str, fields: &[(&str, &str)], officers: bool) {
    let form = format!("//form[.//input[@name='action' and @value='{action}']]");
    if !summary.is_empty() {
        click(b, &format!("//summary[normalize-space()='{summary}']")).await;
    }
    if officers {
        let boxes = b
            .find_all(Locator::XPath(&format!("{form}//input[@name='officers']")))
            .await
            .unwrap();
        assert_eq!(boxes.len(), 2, "two officers offered in the {action} form");
        for box_ in boxes {
            box_.click().await.unwrap();
            assert!(
                box_.is_selected().await.unwrap(),
                "{action}: officer box ticked"
            );
        }
    }
    for (name, text) in fields {
        type_into(b, &format!("{form}//*[@name='{name}']"), text).await;
    }
    click(b, &format!("{form}//button")).await;
}

async fn check_all(b: &Client, action: &str, name: &str) {
    let xpath = format!("//form[.//input[@value='{action}']]//input[@name='{name}']");
    for c in b.find_all(Locator::XPath(&xpath)).await.unwrap() {
        c.click().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ordinary_case_goes_from_opening_to_archive_in_a_browser() {
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
    let w = crate::common::World {
        app: fazhi_web::app(state.clone()),
        state: state.clone(),
        t,
    };
    // Certificates and the item list, through the API.
    let (_, _, _, _, big) = setup(&w).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(fazhi_web::serve(listener, state));

    let b = browser(driver_port, 1280).await;
    let flow = b.clone();
    let result = tokio::spawn(async move {
        let b = flow;
        // What marks each page (the login page has an h1 too).
        let new_page = "//h1[normalize-space()='立案 / 当场处罚']";
        let case_page = "//h2[normalize-space()='全过程记录']";
        login_as(&b, &site, "enforcer", "/enforcement/cases/new", new_page).await;
        b.find(Locator::Css("select[name=item_id]"))
            .await
            .unwrap()
            .select_by_value(&big.to_string())
            .await
            .unwrap();
        b.find(Locator::Css("select[name=party_kind]"))
            .await
            .unwrap()
            .select_by_value("organisation")
            .await
            .unwrap();
        type_into(&b, "//input[@name='party_name']", "某某建材有限公司").await;
        type_into(
            &b,
            "//textarea[@name='facts']",
            "在公路边随意倾倒建筑垃圾约十立方米",
        )
        .await;
        // Date inputs take their value by script: typed keys follow the locale's format.
        b.execute(
            "document.querySelector('input[name=act_on]').value = arguments[0]",
            vec![serde_json::json!("2026-11-20")],
        )
        .await
        .unwrap();
        for c in b
            .find_all(Locator::Css("input[name=officers]"))
            .await
            .unwrap()
        {
            c.click().await.unwrap();
        }
        click(&b, "//button[normalize-space()='提交']").await;
        notice(&b, "已立案").await;
        let case = b.current_url().await.unwrap().path().to_string();

        act(
            &b,
            "调查取证",
            "record_evidence",
            &[("description", "现场检查，拍照取证")],
            true,
        )
        .await;
        notice(&b, "已调查取证").await;
        click(&b, "//summary[starts-with(normalize-space(), '告知')]").await;
        // The form offers the item's kinds only (警告, 罚款).
        let kinds = b
            .find_all(Locator::XPath(
                "//form[.//input[@value='notify']]//input[@name='penalty_kinds']",
            ))
            .await
            .unwrap();
        assert_eq!(kinds.len(), 2);
        click(
            &b,
            "//form[.//input[@value='notify']]//input[@value='fine']",
        )
        .await;
        act(&b, "", "notify", &[("fine", "20000")], true).await;
        notice(&b, "已告知").await;
        click(&b, "//summary[normalize-space()='陈述申辩']").await;
        click(
            &b,
            "//form[.//input[@value='record_defence']]//input[@name='waived']",
        )
        .await;
        click(&b, "//form[.//input[@value='record_defence']]//button").await;
        notice(&b, "已陈述申辩").await;
        click(&b, "//button[normalize-space()='当事人书面放弃听证']").await;
        notice(&b, "已放弃听证").await;
        // The officer is not offered the decision.
        assert!(
            b.find(Locator::XPath("//summary[normalize-space()='作出决定']"))
                .await
                .is_err()
        );
        click(&b, "//button[normalize-space()='送法制审核']").await;
        notice(&b, "已送法制审核").await;

        login_as(&b, &site, "reviewer", &case, case_page).await;
        check_all(&b, "review", "checks").await;
        type_into(
            &b,
            "//form[.//input[@value='review']]//textarea[@name='note']",
            "同意",
        )
        .await;
        click(&b, "//form[.//input[@value='review']]//button").await;
        notice(&b, "已法制审核").await;

        login_as(&b, &site, "leader", &case, case_page).await;
        click(&b, "//summary[normalize-space()='作出决定']").await;
        click(
            &b,
            "//form[.//input[@value='decide']]//input[@value='fine']",
        )
        .await;
        type_into(
            &b,
            "//form[.//input[@value='decide']]//input[@name='fine']",
            "15000",
        )
        .await;
        type_into(
            &b,
            "//form[.//input[@value='decide']]//textarea[@name='reasons']",
            "违反《城市建筑垃圾管理规定》",
        )
        .await;
        click(&b, "//form[.//input[@value='decide']]//button").await;
        notice(&b, "已作出决定").await;

        login_as(&b, &site, "enforcer", &case, case_page).await;
        act(&b, "", "serve", &[], true).await;
        notice(&b, "已送达").await;
        click(&b, "//button[normalize-space()='公示决定']").await;
        notice(&b, "已公示").await;
        act(&b, "", "record_payment", &[("amount", "15000")], false).await;
        notice(&b, "已缴纳罚款").await;
        act(&b, "", "close", &[], false).await;
        notice(&b, "已结案").await;

        login_as(&b, &site, "leader", &case, case_page).await;
        click(&b, "//button[normalize-space()='归档']").await;
        notice(&b, "已归档").await;
        let status = b
            .find(Locator::Css("h1 .status"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(status, "已归档");

        // On a 390 px phone every enforcement page fits the screen (lists become cards).
        b.set_window_size(390, 900).await.unwrap();
        for path in [
            case.as_str(),
            "/enforcement",
            "/enforcement/cases",
            "/enforcement/cases/new",
            "/enforcement/items",
            "/enforcement/stats",
            "/enforcement/inspections",
            "/enforcement/file-reviews",
        ] {
            b.goto(&format!("{site}{path}")).await.unwrap();
            b.wait().for_element(Locator::Css("main h1")).await.unwrap();
            let wide: i64 = b
                .execute(
                    "return document.documentElement.scrollWidth - window.innerWidth",
                    vec![],
                )
                .await
                .unwrap()
                .as_i64()
                .unwrap();
            assert!(wide <= 1, "{path} scrolls sideways by {wide}px on a phone");
        }

        // The published decision on the public page, without login.
        b.delete_all_cookies().await.unwrap();
        b.goto(&format!("{site}/public/enforcement/500160101000"))
            .await
            .unwrap();
        let page = b.source().await.unwrap();
        assert!(
            page.contains("某某建材有限公司") && page.contains("罚款15000元"),
            "published"
        );
    })
    .await;
    b.close().await.ok();
    driver.kill().await.ok();
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}
