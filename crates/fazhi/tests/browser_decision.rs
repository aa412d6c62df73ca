//! A major decision from the catalogue to publication in a real browser (desktop): the
//! head lists it and publishes the catalogue, the lead unit starts it and publishes the
//! draft for comments, a month later closes the consultation and sends it to the review
//! desk, the reviewer gives the opinion, the head minutes the collective discussion,
//! reports to the Party committee and publishes it; the documents are offered and the
//! public page shows it. Then the decisions pages on a 390 px phone, none scrolling
//! sideways.

use crate::common::browser::{browser, chromedriver, click, el, fill, login_as, notice, phone};
use fantoccini::{Client, Locator};
use fazhi_demo as demo;
use fazhi_web::{AppState, Settings};

const CODE: &str = "500160101000";
const TITLE: &str = "青石镇集镇停车管理方案";

/// Presses the button of the decision page's form for `action`.
async fn step(b: &Client, action: &str) {
    click(
        b,
        &format!("//form[.//input[@name='action' and @value='{action}']]//button[@type='submit']"),
    )
    .await;
}

/// Sets every date input called `name` on the page (typing into a date field depends
/// on the browser's locale).
async fn set_dates(b: &Client, name: &str, day: &str) {
    b.execute(
        &format!(
            "document.querySelectorAll('input[name={name}]').forEach(i => i.value = arguments[0]);"
        ),
        vec![serde_json::json!(day)],
    )
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_goes_from_the_catalogue_to_publication_in_a_browser() {
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
    demo::advisers::seed(&state.db, today).await.unwrap();
    let clock = state.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(fazhi_web::serve(listener, state));

    let b = browser(driver_port, 1280).await;
    let p = phone(driver_port).await;
    let (flow, small) = (b.clone(), p.clone());
    let result = tokio::spawn(async move {
        let b = flow;
        let major = "/decisions/major";
        let ready = "//h1[normalize-space()='重大行政决策']";
        // The head lists the decision, registers the Party committee's agreement and
        // publishes the catalogue.
        login_as(&b, &site, "leader", major, ready).await;
        fill(&b, "input[name=title]", TITLE).await;
        fill(&b, "input[name=lead_unit]", "规划建设办").await;
        click(&b, "//button[normalize-space()='列入目录']").await;
        notice(&b, "已列入决策事项目录").await;
        set_dates(&b, "on", &today.to_string()).await;
        click(&b, "//button[normalize-space()='登记']").await;
        notice(&b, "已登记党委同意日期").await;
        click(&b, "//button[normalize-space()='公布目录']").await;
        notice(&b, "已公布决策事项目录").await;
        click(&b, &format!("//a[normalize-space()='{TITLE}']")).await;
        el(&b, "form input[name=action]").await;
        let url = b.current_url().await.unwrap();
        let page = url.path().to_string();
        assert!(page.starts_with("/decisions/major/"), "{page}");
        let ready = format!("//h1[normalize-space()='{TITLE}']");

        // The lead unit starts it and publishes the draft for 30 days of comments.
        login_as(&b, &site, "center", &page, &ready).await;
        step(&b, "start").await;
        notice(&b, "已决策启动").await;
        fill(
            &b,
            "textarea[name=draft]",
            "第一条 集镇主街实行分时段停车。",
        )
        .await;
        fill(&b, "textarea[name=explanation]", "缓解集镇停车难").await;
        step(&b, "publish_draft").await;
        notice(&b, "已公开征求意见").await;
        el(&b, "a[href$='consultation-notice.docx']").await;
        // The discussion is not offered before the review.
        assert!(
            b.find(Locator::XPath(
                "//input[@name='action' and @value='discuss']"
            ))
            .await
            .is_err()
        );

        // A month later the consultation closes and the draft goes to the desk.
        clock.clock.advance_minutes(31 * 24 * 60);
        login_as(&b, &site, "center", &page, &ready).await;
        step(&b, "close_consultation").await;
        notice(&b, "已结束征求意见").await;
        step(&b, "submit_review").await;
        notice(&b, "已送合法性审查").await;
        let review = el(&b, "a[href^='/decisions/reviews/']")
            .await
            .attr("href")
            .await
            .unwrap()
            .unwrap();

        // The reviewer gives the opinion on the desk.
        login_as(
            &b,
            &site,
            "reviewer",
            &review,
            "//h2[normalize-space()='出具审查意见']",
        )
        .await;
        click(&b, "//input[@name='opinion' and @value='lawful']").await;
        click(&b, "//button[normalize-space()='出具意见']").await;
        notice(&b, "已出具审查意见").await;
        el(&b, "a[href$='opinion.docx']").await;

        // The head minutes the discussion, reports to the Party committee, publishes.
        login_as(&b, &site, "leader", &page, &ready).await;
        let day = clock.clock.today().to_string();
        set_dates(&b, "on", &day).await;
        fill(
            &b,
            "textarea[name=attendees]",
            "镇长王强、副镇长等9人，法律顾问列席",
        )
        .await;
        fill(&b, "textarea[name=majority_view]", "同意").await;
        fill(&b, "textarea[name=head_decision]", "通过").await;
        step(&b, "discuss").await;
        notice(&b, "已集体讨论决定").await;
        step(&b, "report_to_party").await;
        notice(&b, "已报告党委").await;
        fill(&b, "textarea[name=text]", "青石镇集镇停车管理方案（全文）").await;
        step(&b, "publish").await;
        notice(&b, "已公布").await;
        let link = el(&b, "a[href$='decision-notice.docx']").await;
        assert!(link.text().await.unwrap().contains("决策公告"));

        // The public page, without login.
        b.delete_all_cookies().await.unwrap();
        b.goto(&format!("{site}/public/decisions/{CODE}"))
            .await
            .unwrap();
        let page_text = b.source().await.unwrap();
        assert!(
            page_text.contains(TITLE) && page_text.contains("青石镇集镇停车管理方案（全文）"),
            "published on the public page"
        );

        // The decisions pages on a phone.
        let p = small;
        login_as(&p, &site, "leader", "/decisions", "//main//h1").await;
        for path in [
            "/decisions".to_string(),
            major.to_string(),
            page.clone(),
            "/decisions/reviews".to_string(),
            review.clone(),
            "/decisions/stats".to_string(),
            "/decisions/advisers".to_string(),
            "/decisions/litigation".to_string(),
            "/decisions/contracts".to_string(),
            "/decisions/normative".to_string(),
            "/decisions/normative/rounds".to_string(),
            "/decisions/advisers/work".to_string(),
            "/decisions/major/list?figure=listed".to_string(),
            format!("/public/decisions/{CODE}"),
            format!("/public/normative/{CODE}"),
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
        // The adviser's own page on a phone.
        login_as(&p, &site, "lawyer", "/decisions/advisers/me", "//main//h1").await;
        let wide: i64 = p
            .execute(
                "return document.documentElement.scrollWidth - window.innerWidth",
                vec![],
            )
            .await
            .unwrap()
            .as_i64()
            .unwrap();
        assert!(wide <= 1, "the adviser's page scrolls sideways by {wide}px");
    })
    .await;
    b.close().await.ok();
    p.close().await.ok();
    driver.kill().await.ok();
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}
