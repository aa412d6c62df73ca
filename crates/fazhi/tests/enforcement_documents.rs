//! Enforcement documents through the real router (SQLite always, PostgreSQL when
//! FAZHI_TEST_POSTGRES_URL is set): a case is walked from 立案 to 归档 and each
//! document downloaded as soon as its state allows it, refused (409) before, out of
//! scope 404, every download audited; the 笔录 one per evidence record (`?n=`), and a
//! 不予行政处罚 case with its own decision form.

use crate::common::{World, world};
use fazhi_analyze::decode::docx_to_text;
use fazhi_testkit::web::Client;
use serde_json::{Value, json};

/// Certificates for the two demo officers and one item with a hearing right that is
/// in the review catalogue; returns the officer's client, their ids and the item.
async fn setup(w: &World) -> (Client, i64, i64, i64) {
    let ids = crate::common::enforcement::certify_officers(w).await;
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
    // The 笔录 name their record, the first one without ?n=.
    let file = if kind.ends_with("-record") && kind != "hearing-record" {
        format!("{kind}-1-case-{id}.docx")
    } else {
        format!("{kind}-case-{id}.docx")
    };
    assert!(
        disposition.contains(&encoded) && disposition.contains(&file),
        "{kind}: {disposition}"
    );
    docx_to_text(&bytes).unwrap()
}

/// The kinds the case detail lists as available now (a 笔录 once per record).
async fn listed(c: &Client, id: i64) -> Vec<String> {
    documents(c, id)
        .await
        .iter()
        .map(|x| x["kind"].as_str().unwrap().to_string())
        .collect()
}

/// The documents the case detail lists, as sent.
async fn documents(c: &Client, id: i64) -> Vec<Value> {
    let (_, d) = c.get(&format!("/api/v1/enforcement/cases/{id}")).await;
    d["documents"].as_array().unwrap().clone()
}

/// The `n`th record of a 笔录 kind: its text, after checking the file names it.
async fn download_nth(c: &Client, id: i64, kind: &str, n: usize) -> String {
    let (s, h, bytes) = c.get_bytes(&format!("{}?n={n}", url(id, kind))).await;
    assert_eq!(s, 200, "{kind} {n}: {}", String::from_utf8_lossy(&bytes));
    let disposition = h[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        disposition.contains(&format!("{kind}-{n}-case-{id}.docx")),
        "{kind}: {disposition}"
    );
    docx_to_text(&bytes).unwrap()
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
        refused(&e, id, "inquiry-record", "尚未记录询问笔录").await;
        refused(&e, id, "inspection-record", "尚未记录现场检查").await;
        refused(&e, id, "hearing-record", "尚未举行听证").await;
        refused(&e, id, "no-penalty-decision", "尚未作出决定").await;
        // Unknown kinds and paths without .docx are missing, like a missing case.
        assert_eq!(e.get_bytes(&url(id, "nothing")).await.0, 404, "{name}");
        let bare = format!("/api/v1/enforcement/cases/{id}/documents/decision");
        assert_eq!(e.get_bytes(&bare).await.0, 404, "{name}");

        // Out of scope: an officer of another township gets 404; matter staff 403.
        let other = crate::common::enforcement::other_officer(&w).await;
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
        // Two 询问笔录: each its own document, picked with ?n= (default the first).
        for text in [
            "询问现场负责人，其承认占道堆放",
            "询问附近商户，证实占道十日",
        ] {
            act(
                &e,
                id,
                json!({"action": "record_evidence", "kind": "inquiry",
                "description": text, "officers": [b, a]}),
            )
            .await;
        }
        let t = download(&e, id, "inquiry-record", &number).await;
        has(
            "inquiry-record",
            &t,
            &[
                "询问笔录",
                &format!("案号：{number}"),
                "询问人：",
                "执法证号Z-0002",
                "执法证号Z-0001",
                "出示执法证件",
                "有权申请回避",
                "询问现场负责人，其承认占道堆放。",
                "被询问人签名（每页）：",
                "见证人签名：",
            ],
        );
        assert!(!t.contains("证实占道十日"), "{name}: the first record only");
        let t = download_nth(&e, id, "inquiry-record", 2).await;
        has("inquiry-record 2", &t, &["询问附近商户，证实占道十日。"]);
        assert_eq!(
            download_nth(&e, id, "inquiry-record", 1).await,
            download(&e, id, "inquiry-record", &number).await,
            "{name}"
        );
        for n in [0, 3] {
            let u = format!("{}?n={n}", url(id, "inquiry-record"));
            assert_eq!(e.get_bytes(&u).await.0, 404, "{name}: n={n}");
        }
        let u = format!("{}?n=2", url(id, "inspection-record"));
        assert_eq!(e.get_bytes(&u).await.0, 404, "{name}: one inspection");
        let u = format!("{}?n=2", url(id, "filing"));
        assert_eq!(e.get_bytes(&u).await.0, 404, "{name}: one 立案审批表");
        let t = download_nth(&e, id, "inspection-record", 1).await;
        has(
            "inspection-record",
            &t,
            &[
                "现场检查（勘验）笔录",
                "检查（勘验）地点：",
                "现场检查并拍照。",
            ],
        );
        // Each record is its own entry on the case, linked with its number.
        let docs = documents(&e, id).await;
        let records: Vec<(&str, i64, &str)> = docs
            .iter()
            .filter(|d| d["n"].is_i64())
            .map(|d| {
                (
                    d["kind"].as_str().unwrap(),
                    d["n"].as_i64().unwrap(),
                    d["url"].as_str().unwrap(),
                )
            })
            .collect();
        let (u1, u2, u3) = (
            format!("{}?n=1", url(id, "inquiry-record")),
            format!("{}?n=2", url(id, "inquiry-record")),
            format!("{}?n=1", url(id, "inspection-record")),
        );
        assert_eq!(
            records,
            [
                ("inquiry-record", 1, u1.as_str()),
                ("inquiry-record", 2, u2.as_str()),
                ("inspection-record", 1, u3.as_str()),
            ],
            "{name}"
        );
        assert!(
            docs.iter().any(|d| d["title"]
                .as_str()
                .unwrap()
                .starts_with("询问笔录（第2份，")),
            "{name}: {docs:?}"
        );
        assert!(docs[0].get("n").is_none(), "{name}: no n for the cover");
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
        refused(&e, id, "hearing-record", "尚未举行听证").await;
        act(
            &e,
            id,
            json!({"action": "hold_hearing", "transcript": "当事人承认事实"}),
        )
        .await;
        let t = download(&e, id, "hearing-record", &number).await;
        has(
            "hearing-record",
            &t,
            &[
                "听证笔录",
                "某某建材有限公司",
                "听证主持人：",
                "记录人：",
                "当事人承认事实。",
                "当事人或者委托代理人签名（每页）：",
            ],
        );

        // 法制审核.
        refused(&e, id, "review-opinion", "尚无法制审核意见").await;
        // Returned first: the points not confirmed are the problems.
        act(&e, id, json!({"action": "submit_review"})).await;
        act(
            &reviewer,
            id,
            json!({"action": "review", "opinion": "returned", "note": "证据不足，请补充",
                "checks": ["body", "procedure"]}),
        )
        .await;
        let t = download(&e, id, "review-opinion", &number).await;
        has(
            "review-opinion",
            &t,
            &[
                "已审核确认：",
                "2．执法程序合法",
                "存在问题：",
                "1．案件事实清楚，证据合法充分",
                "存在问题，退回补正。",
                "证据不足，请补充",
            ],
        );
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
            &[
                "法制审核意见书",
                "同意。",
                "事实清楚",
                "罚款20000元",
                "已审核确认：",
                "7．已审查是否涉嫌犯罪、须移送司法机关",
            ],
        );
        assert!(!t.contains("存在问题："), "{name}: approved\n{t}");

        // 决定: Art 59 content, with 复议 to the county by default or as asked.
        refused(&e, id, "closing", "尚未执行完毕").await;
        act(
            &leader,
            id,
            json!({"action": "decide", "outcome": "penalty", "grade": "ordinary",
            "penalty": {"kinds": ["fine"], "fine_fen": 1_500_000}, "reasons": "占道时间较长"}),
        )
        .await;
        refused(&e, id, "no-penalty-decision", "不是不予行政处罚").await;
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
                "inquiry-record",
                "inquiry-record",
                "inspection-record",
                "notice",
                "hearing-notice",
                "hearing-record",
                "review-opinion",
                "decision",
                "service-receipt",
                "closing"
            ],
            "{name}"
        );
        // Every successful download was audited (refusals were not downloads).
        assert_eq!(audited(&w).await, 18, "{name}");

        // The case page lists the documents with their links.
        let (s, _, page) = e.get_bytes(&format!("/enforcement/cases/{id}")).await;
        assert_eq!(s, 200, "{name}");
        let page = String::from_utf8_lossy(&page);
        assert!(page.contains("<h2>文书</h2>"), "{name}");
        assert!(page.contains(&url(id, "decision")), "{name}");
        assert!(
            page.contains(&format!("{}?n=2", url(id, "inquiry-record"))),
            "{name}"
        );
        assert!(page.contains("询问笔录（第2份，"), "{name}");
    }
}

#[tokio::test]
async fn a_no_penalty_decision_has_its_own_form() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (e, a, b, item) = setup(&w).await;
        let (s, d) = e
            .post(
                "/api/v1/enforcement/cases",
                json!({
                    "item_id": item, "procedure": "ordinary",
                    "party": {"kind": "citizen", "name": "李四", "address": "石桥村3组"},
                    "facts": "在主街临时堆放少量材料，当日清理", "act_on": "2026-01-05",
                    "discovered_on": "2026-01-06", "officers": [a, b]
                }),
            )
            .await;
        assert_eq!(s, 201, "{name}: {d}");
        let id = d["case"]["id"].as_i64().unwrap();
        let number = d["case"]["number"].as_str().unwrap().to_string();
        act(
            &e,
            id,
            json!({"action": "record_evidence", "kind": "inquiry",
            "description": "询问当事人，其当日已清理", "officers": [a, b]}),
        )
        .await;
        let leader = w.login("leader").await;
        act(
            &leader,
            id,
            json!({"action": "decide", "outcome": "no_penalty",
            "reasons": "违法行为轻微并及时改正，没有造成危害后果"}),
        )
        .await;
        // The 决定书 refuses and says which form to use instead.
        refused(&e, id, "decision", "请出具不予行政处罚决定书").await;
        let t = download(&e, id, "no-penalty-decision", &number).await;
        has(
            "no-penalty-decision",
            &t,
            &[
                "不予行政处罚决定书",
                "当事人：李四",
                "住所（住址）：石桥村3组",
                "经查，你于2026年1月5日在主街临时堆放少量材料，当日清理",
                "1．询问笔录：询问当事人，其当日已清理",
                "违反了某条例第十条的规定",
                "理由：违法行为轻微并及时改正，没有造成危害后果。",
                "第三十三条",
                "本机关决定对你不予行政处罚",
                "人民政府申请行政复议",
                "六个月内依法向人民法院提起行政诉讼",
                "青石镇人民政府印章",
            ],
        );
        assert!(!t.contains("罚款"), "{name}:\n{t}");
        let t = download(&e, id, "service-receipt", &number).await;
        has("service-receipt", &t, &["送达文书：不予行政处罚决定书"]);
        let kinds = listed(&e, id).await;
        assert!(
            kinds.contains(&"no-penalty-decision".to_string())
                && !kinds.contains(&"decision".to_string()),
            "{name}: {kinds:?}"
        );
        // ?n=1 names the only one of a document that is not a 笔录.
        let u = format!("{}?n=1", url(id, "no-penalty-decision"));
        assert_eq!(e.get_bytes(&u).await.0, 200, "{name}");
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
