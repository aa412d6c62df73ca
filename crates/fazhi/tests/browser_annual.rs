//! The annual report from draft to publication in a real browser: the centre's staff
//! edit the words and fill the typed figures, the head comments, the staff answer, pass
//! the secrecy check, the head signs, the staff submit and publish; the public page
//! shows it. Then the district's view and the report's pages on a 390 px phone.

use crate::common::browser::{
    browser, chromedriver, click, el, fill, login_as, notice, phone, type_into,
};
use fantoccini::{Client, Locator};
use fazhi_demo as demo;
use fazhi_web::{AppState, Settings};

const CODE: &str = "500160101000";

/// Presses the button of the form that posts `to` as the report's next step.
async fn step(b: &Client, to: &str, button: &str) {
    click(
        b,
        &format!(
            "//form[.//input[@name='to' and @value='{to}']]//button[normalize-space()='{button}']"
        ),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_goes_from_draft_to_publication_in_a_browser() {
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
    demo::matters::seed(&state.db, &fazhi_testkit::web::vault(), today, 60)
        .await
        .unwrap();
    let year = today.year();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(fazhi_web::serve(listener, state));

    let b = browser(driver_port, 1280).await;
    let p = phone(driver_port).await;
    let (flow, small) = (b.clone(), p.clone());
    let result = tokio::spawn(async move {
        let b = flow;
        let report = format!("/annual/{CODE}/{year}");
        let ready = "//h2[normalize-space()='附表：报告中的数字']";
        login_as(&b, &site, "center", &report, ready).await;
        // Edit the words: the typed figures get their values and sources.
        click(&b, "//summary[normalize-space()='修改文字']").await;
        el(&b, "textarea[name=part]").await;
        let areas = b
            .find_all(Locator::Css("textarea[name=part]"))
            .await
            .unwrap();
        assert_eq!(areas.len(), 5, "one box per part");
        let text = areas[1].prop("value").await.unwrap().unwrap_or_default();
        assert!(text.contains("〔heads.meetings〕"), "{text}");
        let filled = text.replace("〔heads.meetings〕", "〔heads.meetings=4；党委会会议纪要〕");
        areas[1].clear().await.unwrap();
        areas[1].send_keys(&filled).await.unwrap();
        click(&b, "//button[normalize-space()='保存']").await;
        notice(&b, "已保存（第1版）").await;
        let page = b.source().await.unwrap();
        assert!(
            !page.contains("待填写：专题研究法治建设"),
            "typed figure filled"
        );

        // The head reviews: a comment on the first paragraph holds the secrecy check.
        login_as(&b, &site, "leader", &report, ready).await;
        click(&b, "//summary[normalize-space()='提出审阅意见']").await;
        type_into(&b, "//textarea[@name='body']", "请补充典型案例").await;
        click(&b, "//button[normalize-space()='提出意见']").await;
        notice(&b, "审阅意见已记录").await;

        login_as(&b, &site, "center", &report, ready).await;
        click(&b, "//summary[normalize-space()='保密审查']").await;
        for c in b
            .find_all(Locator::XPath(
                "//form[.//input[@name='to' and @value='checked']]//input[@name='checklist']",
            ))
            .await
            .unwrap()
        {
            c.click().await.unwrap();
        }
        step(&b, "checked", "通过保密审查").await;
        b.wait()
            .for_element(Locator::XPath(
                "//p[contains(@class, 'error') and contains(., '审阅意见')]",
            ))
            .await
            .expect("the open comment holds the check");
        fill(&b, "input[name=answer]", "已补充两则案例").await;
        click(&b, "//button[normalize-space()='标为已处理']").await;
        notice(&b, "意见已处理").await;
        click(&b, "//summary[normalize-space()='保密审查']").await;
        for c in b
            .find_all(Locator::XPath(
                "//form[.//input[@name='to' and @value='checked']]//input[@name='checklist']",
            ))
            .await
            .unwrap()
        {
            c.click().await.unwrap();
        }
        step(&b, "checked", "通过保密审查").await;
        notice(&b, "报告已通过保密审查").await;

        // The head signs with both principal heads' names.
        login_as(&b, &site, "leader", &report, ready).await;
        let signers = b
            .find_all(Locator::Css("input[name=signers]"))
            .await
            .unwrap();
        signers[0].send_keys("刘建国").await.unwrap();
        signers[1].send_keys("王强").await.unwrap();
        step(&b, "signed", "签发").await;
        notice(&b, "主要负责人已签发").await;

        login_as(&b, &site, "center", &report, ready).await;
        step(&b, "submitted", "报送上级").await;
        notice(&b, "报告已报送").await;
        step(&b, "published", "向社会公开").await;
        notice(&b, "报告已公开").await;

        // The public page, without login.
        b.delete_all_cookies().await.unwrap();
        b.goto(&format!("{site}/public/annual/{CODE}/{year}"))
            .await
            .unwrap();
        let page = b.source().await.unwrap();
        assert!(
            page.contains("青石镇人民政府关于") && page.contains("研究法治建设4次"),
            "published text"
        );

        // The district on a phone: its view, and the report's pages, fit the screen.
        let p = small;
        login_as(
            &p,
            &site,
            "district",
            &format!("/annual/district/{year}"),
            "//h2[normalize-space()='报告数字与平台记录']",
        )
        .await;
        let row = p
            .find(Locator::XPath("//tr[.//a[normalize-space()='青石镇']]"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(row.contains("已公开") && row.contains("平台报送"), "{row}");
        // The menu waits behind its button; open, its links are thumb-sized.
        let link = p
            .find(Locator::XPath("//header//nav/a[normalize-space()='年度报告']"))
            .await
            .unwrap();
        assert!(!link.is_displayed().await.unwrap(), "menu closed on a phone");
        el(&p, "label.menu-button").await.click().await.unwrap();
        assert!(link.is_displayed().await.unwrap(), "menu opens");
        let heights = p
            .execute(
                "return [...document.querySelectorAll('header nav a')].map(a => a.getBoundingClientRect().height);",
                vec![],
            )
            .await
            .unwrap();
        for h in heights.as_array().unwrap() {
            assert!(h.as_f64().unwrap() >= 44.0, "touch target {h}px");
        }
        for path in [
            format!("/annual/district/{year}"),
            "/annual".to_string(),
            report.clone(),
            format!("{report}/versions"),
        ] {
            p.goto(&format!("{site}{path}")).await.unwrap();
            p.wait().for_element(Locator::Css("main h1")).await.unwrap();
            let wide: i64 = p
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
    })
    .await;
    b.close().await.ok();
    p.close().await.ok();
    driver.kill().await.ok();
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}
