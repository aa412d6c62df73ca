//! Enforcement documents through the real router (SQLite always, PostgreSQL when
//! FAZHI_TEST_POSTGRES_URL is set): a case is walked from 立案 to 归档 and each
//! document downloaded as soon as its state allows it, refused (409) before, out of
//! scope 404, every download audited.

mod common;

use common::{World, world};
use fazhi_analyze::decode::docx_to_text;
use fazhi_testkit::web::Client;
use serde_json::{Value, json};

/// Certificates for the two demo officers and one item with a hearing right that is
/// in the review catalogue; returns the officer's client, their ids and the item.
async fn setup(w: &World) -> (Client, i64, i64, i64) {
    let admin = w.login("admin").await;
    let mut ids = Vec::new();
    for (user, number) in [("enforcer", "Z-0001"), ("enforcer2", "Z-0002")] {
        let u = fazhi_db::auth::users::by_username(&w.state.db, user)
            .await
            .unwrap();
        let (s, b) = admin
            .send_json(
                "PUT",
                &format!("/api/v1/enforcement/officers/{}", u.id),
                json!({"number": number, "valid_until": "2099-12-31"}),
                true,
            )
            .await;
        assert_eq!(s, 204, "{b}");
        ids.push(u.id);
    }
    let e = w.login("enforcer").await;
    let (s, item) = e
        .post(
            "/api/v1/enforcement/items",
            json!({
                "code": "T-2", "name": "对擅自占用道路的处罚", "source": "empowered",
                "deciding_document": "省政府赋权决定", "legal_basis": "某条例第十条",
                "penalty_basis": "某条例第三十条", "penalty_kinds": ["warning", "fine"],
                "fine_min_fen": 500_000, "fine_max_fen": 5_000_000,
                "hearing_right": true, "review_catalogue": true
            }),
        )
        .await;
    assert_eq!(s, 201, "{item}");
    (e, ids[0], ids[1], item["id"].as_i64().unwrap())
}

async fn act(c: &Client, id: i64, body: Value) {
    let (s, v) = c
        .post(&format!("/api/v1/enforcement/cases/{id}/actions"), body)
        .await;
    assert_eq!(s, 200, "{v}");
}

fn url(id: i64, kind: &str) -> String {
    format!("/api/v1/enforcement/cases/{id}/documents/{kind}.docx")
}

/// The document's text, after checking the download's headers.
async fn download(c: &Client, id: i64, kind: &str, number: &str) -> String {
    let (s, h, bytes) = c.get_bytes(&url(id, kind)).await;
    assert_eq!(s, 200, "{kind}: {}", String::from_utf8_lossy(&bytes));
    assert_eq!(
        h[axum::http::header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let disposition = h[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap();
    // The file name carries the case number (percent-encoded UTF-8).
    let encoded: String = number
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    assert!(
        disposition.contains(&encoded) && disposition.contains(&format!("{kind}-case-{id}.docx")),
        "{kind}: {disposition}"
    );
    docx_to_text(&bytes).unwrap()
}

/// The kinds the case detail lists as available now.
async fn listed(c: &Client, id: i64) -> Vec<String> {
    let (_, d) = c.get(&format!("/api/v1/enforcement/cases/{id}")).await;
    d["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap().to_string())
        .collect()
}

/// 409 with the reason in Chinese.
async fn refused(c: &Client, id: i64, kind: &str, why: &str) {
    let (s, _, body) = c.get_bytes(&url(id, kind)).await;
    assert_eq!(s, 409, "{kind}");
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert!(v["message"].as_str().unwrap().contains(why), "{kind}: {v}");
}

fn has(kind: &str, text: &str, wants: &[&str]) {
    for want in wants {
        assert!(text.contains(want), "{kind}: missing {want:?} in\n{text}");
    }
}

async fn audited(w: &World) -> usize {
    fazhi_db::audit::recent(&w.t.db, None, 1000)
        .await
        .unwrap()
        .iter()
        .filter(|a| a.action == "enforcement.document")
        .count()
}

#[tokio::test]
async fn each_document_follows_the_case_from_filing_to_archive() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (e, a, b, item) = setup(&w).await;
        let (s, d) = e
            .post(
                "/api/v1/enforcement/cases",
                json!({
                    "item_id": item, "procedure": "ordinary",
                    "party": {"kind": "organisation", "name": "某某建材有限公司", "address": "主街8号"},
                    "facts": "在主街占道堆放建筑材料", "act_on": "2026-01-05",
                    "discovered_on": "2026-01-06", "officers": [a, b]
                }),
            )
            .await;
        assert_eq!(s, 201, "{name}: {d}");
        let id = d["case"]["id"].as_i64().unwrap();
        let number = d["case"]["number"].as_str().unwrap().to_string();
        assert_eq!(listed(&e, id).await, ["cover", "filing"], "{name}");

        // Opened: the 立案审批表 and the cover; nothing that needs a later step.
        let t = download(&e, id, "filing", &number).await;
        has(
            "filing",
            &t,
            &[
                "立案审批表",
                &format!("案号：{number}"),
                "某某建材有限公司",
                "执法证号Z-0001",
                "执法证号Z-0002",
            ],
        );
        refused(&e, id, "notice", "尚未告知").await;
        refused(&e, id, "decision", "尚未作出行政处罚决定").await;
        refused(&e, id, "on-the-spot", "普通程序").await;
        // Unknown kinds and paths without .docx are missing, like a missing case.
        assert_eq!(e.get_bytes(&url(id, "nothing")).await.0, 404, "{name}");
        let bare = format!("/api/v1/enforcement/cases/{id}/documents/decision");
        assert_eq!(e.get_bytes(&bare).await.0, 404, "{name}");

        // Out of scope: an officer of another township gets 404; matter staff 403.
        let hash = fazhi_web::auth::secrets::hash_password(fazhi_demo::DEMO_PASSWORD.into())
            .await
            .unwrap();
        fazhi_testkit::web::add_user(
            &w.state.db,
            "other-officer",
            &hash,
            fazhi_core::role::Role::EnforcementOfficer,
            "500160001000",
        )
        .await;
        let other = w.login("other-officer").await;
        assert_eq!(other.get_bytes(&url(id, "filing")).await.0, 404, "{name}");
        assert_eq!(
            w.login("village01")
                .await
                .get_bytes(&url(id, "filing"))
                .await
                .0,
            403,
            "{name}"
        );

        // 告知 with a hearing right: the notice names the penalty and the 5-day limit.
        act(
            &e,
            id,
            json!({"action": "record_evidence", "kind": "inspection",
            "description": "现场检查并拍照", "officers": [a, b]}),
        )
        .await;
        act(
            &e,
            id,
            json!({"action": "notify", "grade": "ordinary", "officers": [a, b],
            "penalty": {"kinds": ["fine"], "fine_fen": 2_000_000}}),
        )
        .await;
        let t = download(&e, id, "notice", &number).await;
        has(
            "notice",
            &t,
            &[
                "行政处罚事先告知书",
                "某某建材有限公司：",
                "罚款20000元",
                "陈述和申辩",
                "五个工作日内，即于",
                "要求举行听证",
            ],
        );
        refused(&e, id, "hearing-notice", "尚未确定听证日期").await;

        // 听证: requested, notified a month ahead, held.
        act(
            &e,
            id,
            json!({"action": "record_defence", "summary": "材料已清理"}),
        )
        .await;
        act(&e, id, json!({"action": "request_hearing"})).await;
        let on = w.state.clock.today() + time::Duration::days(30);
        act(
            &e,
            id,
            json!({"action": "schedule_hearing", "on": on.to_string()}),
        )
        .await;
        let t = download(&e, id, "hearing-notice", &number).await;
        let on_zh = format!("{}年{}月{}日", on.year(), u8::from(on.month()), on.day());
        has(
            "hearing-notice",
            &t,
            &[
                "听证通知书",
                &format!("定于{on_zh}举行听证"),
                "一至二人代理",
            ],
        );
        w.state.clock.advance_minutes(30 * 24 * 60);
        // A month later the sessions have expired: log in again.
        let (e, leader, reviewer, other) = (
            w.login("enforcer").await,
            w.login("leader").await,
            w.login("reviewer").await,
            w.login("other-officer").await,
        );
        act(
            &e,
            id,
            json!({"action": "hold_hearing", "transcript": "当事人承认事实"}),
        )
        .await;

        // 法制审核.
        refused(&e, id, "review-opinion", "尚无法制审核意见").await;
        act(&e, id, json!({"action": "submit_review"})).await;
        act(
            &reviewer,
            id,
            json!({"action": "review", "opinion": "approved", "note": "事实清楚",
                // The reviewer confirms each point of the 118号 checklist.
                "checks": ["body", "procedure", "facts", "law", "power", "documents", "crime"]}),
        )
        .await;
        let t = download(&e, id, "review-opinion", &number).await;
        has(
            "review-opinion",
            &t,
            &["法制审核意见书", "同意。", "事实清楚", "罚款20000元"],
        );

        // 决定: Art 59 content, with 复议 to the county by default or as asked.
        refused(&e, id, "closing", "尚未执行完毕").await;
        act(
            &leader,
            id,
            json!({"action": "decide", "outcome": "penalty", "grade": "ordinary",
            "penalty": {"kinds": ["fine"], "fine_fen": 1_500_000}, "reasons": "占道时间较长"}),
        )
        .await;
        let t = download(&e, id, "decision", &number).await;
        has(
            "decision",
            &t,
            &[
                "行政处罚决定书",
                "住所（住址）：主街8号",
                "现场检查（勘验）笔录：现场检查并拍照",
                "违反了某条例第十条的规定",
                "依据某条例第三十条",
                "罚款15000元",
                "十五日内",
                "指定银行或者通过电子支付系统",
                "百分之三",
                "人民政府申请行政复议",
                "六十日内",
                "六个月内依法向人民法院提起行政诉讼",
                "根据听证笔录作出本决定",
                "青石镇人民政府印章",
                "青石镇人民政府\n",
            ],
        );
        assert!(
            !t.contains("青石镇人民政府申请行政复议"),
            "{name}: the township does not review itself:\n{t}"
        );
        let (s, _, bytes) = e
            .get_bytes(&format!(
                "{}?review_body=某某区人民政府",
                url(id, "decision")
            ))
            .await;
        assert_eq!(s, 200, "{name}");
        assert!(
            docx_to_text(&bytes)
                .unwrap()
                .contains("六十日内向某某区人民政府申请行政复议"),
            "{name}"
        );
        assert_eq!(other.get_bytes(&url(id, "decision")).await.0, 404, "{name}");

        // 送达, 缴纳, 结案, 归档.
        let t = download(&e, id, "service-receipt", &number).await;
        has(
            "service-receipt",
            &t,
            &["送达回证", "受送达人：某某建材有限公司"],
        );
        act(
            &e,
            id,
            json!({"action": "serve", "method": "direct", "officers": [a, b]}),
        )
        .await;
        let t = download(&e, id, "service-receipt", &number).await;
        has("service-receipt", &t, &["送达方式：直接送达"]);
        let t = download(&e, id, "decision", &number).await;
        assert!(t.contains("十五日内，即于"), "{name}: due day once served");
        act(
            &e,
            id,
            json!({"action": "record_payment", "amount_fen": 1_500_000}),
        )
        .await;
        let t = download(&e, id, "closing", &number).await;
        has("closing", &t, &["结案审批表", "已缴纳15000元"]);
        act(&e, id, json!({"action": "close"})).await;
        act(&leader, id, json!({"action": "archive"})).await;
        let t = download(&leader, id, "cover", &number).await;
        has(
            "cover",
            &t,
            &[
                "行政处罚案卷",
                "卷内目录",
                "1．立案审批表",
                "行政处罚事先告知书",
                "听证笔录",
                "法制审核意见书（同意）",
                "行政处罚决定书",
                "送达回证（直接送达）",
                "罚款缴纳凭证（15000元）",
                "结案审批表",
            ],
        );
        assert_eq!(
            listed(&e, id).await,
            [
                "cover",
                "filing",
                "notice",
                "hearing-notice",
                "review-opinion",
                "decision",
                "service-receipt",
                "closing"
            ],
            "{name}"
        );
        // Every successful download was audited (refusals were not downloads).
        assert_eq!(audited(&w).await, 11, "{name}");

        // The case page lists the documents with their links.
        let (s, _, page) = e.get_bytes(&format!("/enforcement/cases/{id}")).await;
        assert_eq!(s, 200, "{name}");
        let page = String::from_utf8_lossy(&page);
        assert!(page.contains("<h2>文书</h2>"), "{name}");
        assert!(page.contains(&url(id, "decision")), "{name}");
    }
}

#[tokio::test]
async fn an_on_the_spot_case_has_its_decision_form() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (e, a, b, _) = setup(&w).await;
        let (s, small) = e
            .post(
                "/api/v1/enforcement/items",
                json!({
                    "code": "T-1", "name": "对占道经营的处罚", "source": "statutory",
                    "legal_basis": "某条例第十条", "penalty_basis": "某条例第三十条",
                    "penalty_kinds": ["warning", "fine"], "fine_min_fen": 0, "fine_max_fen": 20_000
                }),
            )
            .await;
        assert_eq!(s, 201, "{name}: {small}");
        let (s, d) = e
            .post(
                "/api/v1/enforcement/cases",
                json!({
                    "item_id": small["id"], "procedure": "simple",
                    "party": {"kind": "citizen", "name": "张三"},
                    "facts": "占道经营", "act_on": "2026-01-05", "officers": [a, b],
                    "on_spot": {"penalty": {"kinds": ["fine"], "fine_fen": 5_000},
                        "reasons": "占道经营", "collected_on_spot": true}
                }),
            )
            .await;
        assert_eq!(s, 201, "{name}: {d}");
        let id = d["case"]["id"].as_i64().unwrap();
        let number = d["case"]["number"].as_str().unwrap().to_string();
        assert_eq!(listed(&e, id).await, ["cover", "on-the-spot"], "{name}");
        let t = download(&e, id, "on-the-spot", &number).await;
        has(
            "on-the-spot",
            &t,
            &[
                "当场处罚决定书",
                &number,
                "张三",
                "罚款50元",
                "已当场收缴",
                "应当自收到本决定书之日起六十日内",
                "申请行政复议；对行政复议决定不服的",
                "执法证号Z-0001",
            ],
        );
        refused(&e, id, "filing", "简易程序").await;
        refused(&e, id, "decision", "简易程序").await;
    }
}

#[tokio::test]
async fn documents_are_in_the_openapi_document() {
    let doc = serde_json::to_value(fazhi_web::openapi_document()).unwrap();
    assert!(doc["paths"]["/api/v1/enforcement/cases/{id}/documents/{file}"]["get"].is_object());
}
