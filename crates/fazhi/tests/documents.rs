//! Documents of matters (人民调解协议书, 信访事项受理告知书) through the real router and a
//! real database (SQLite always, PostgreSQL when FAZHI_TEST_POSTGRES_URL is set).

use crate::common::{id_number, villages, world};
use fazhi_analyze::decode::docx_to_text;
use fazhi_testkit::web::Client;
use serde_json::{Value, json};

async fn act(c: &Client, id: i64, body: Value) {
    let (s, r) = c.post(&format!("/api/v1/matters/{id}/actions"), body).await;
    assert_eq!(s, 200, "{r}");
}

fn agreement_body() -> Value {
    json!({
        "facts": "双方因排水沟堵塞致张三家院坝积水发生争执。",
        "responsibilities": "李四未及时清理排水沟，负主要责任。",
        "terms": "李四于三日内疏通排水沟\n李四赔偿张三损失人民币800元",
        "performance": "赔偿款于2026年2月10日前以现金方式一次性付清。",
        "mediator": "王调解",
        "number": "青调〔2026〕7号",
        "date": "2026-01-20"
    })
}

#[tokio::test]
async fn mediation_agreement_and_acceptance_notice() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, other) = villages(&w).await;
        let c = w.login("center").await;
        let idn = id_number("51010519800101123");

        // A dispute with two parties, one with an ID number; mediated and closed.
        let (s, m) = c
            .post(
                "/api/v1/matters",
                json!({"kind": "dispute", "channel": "visit", "category": "neighbour",
                    "division_code": own, "summary": "邻里因排水沟发生争执",
                    "parties": [
                        {"name": "张三", "id_number": idn, "phone": "13812345678", "address": "石桥村3组"},
                        {"name": "李四", "role": "respondent"}
                    ]}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {m}");
        let id = m["id"].as_i64().unwrap();
        let path = format!("/api/v1/matters/{id}/documents/mediation-agreement");

        // Not before acceptance.
        let (s, _, _) = c.post_bytes(&path, agreement_body()).await;
        assert_eq!(s, 409, "{name}: not accepted yet");

        let (_, units) = c
            .get("/api/v1/units?division_code=500160101000&limit=100")
            .await;
        let unit = units
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["kind"] == "司法所")
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        act(&c, id, json!({"action": "accept"})).await;
        act(
            &c,
            id,
            json!({"action": "assign", "assignee": {"kind": "unit", "id": unit}}),
        )
        .await;
        act(&c, id, json!({"action": "acknowledge"})).await;
        act(
            &c,
            id,
            json!({"action": "record_mediation", "held_on": w.state.clock.today().to_string(), "summary": "双方到场，达成协议"}),
        )
        .await;
        act(
            &c,
            id,
            json!({"action": "close", "closure_type": "substantive", "resolved": true, "outcome": "success"}),
        )
        .await;

        let audit_before = fazhi_db::audit::recent(&w.t.db, None, 1).await.unwrap()[0].seq;
        let (s, h, bytes) = c.post_bytes(&path, agreement_body()).await;
        assert_eq!(s, 200, "{name}: {}", String::from_utf8_lossy(&bytes));
        assert!(
            h[axum::http::header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .contains("wordprocessingml")
        );
        let cd = h[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap();
        // 人民调解协议书 percent-encoded.
        assert!(
            cd.contains("filename*=UTF-8''%E4%BA%BA%E6%B0%91%E8%B0%83%E8%A7%A3"),
            "{name}: {cd}"
        );
        let text = docx_to_text(&bytes).unwrap();
        for want in [
            "人民调解协议书",
            "编号：青调〔2026〕7号",
            "申请人：张三，男，46岁",
            &format!("公民身份号码{idn}"),
            "联系电话13812345678",
            "住址石桥村3组",
            "被申请人：李四。",
            "1．李四于三日内疏通排水沟",
            "2．李四赔偿张三损失人民币800元",
            "李四未及时清理排水沟，负主要责任。",
            "本协议一式三份",
            // 2026-01-20 + 30日 falls in the 春节 break (2/15–2/23).
            "申请期限至2026年2月24日止",
            "申请人（张三）：",
            "被申请人（李四）：",
            "人民调解员（签名）：王调解",
            "人民调解委员会\n2026年1月20日",
        ] {
            assert!(text.contains(want), "{name}: missing {want:?} in\n{text}");
        }
        let audit = fazhi_db::audit::recent(&w.t.db, None, 5).await.unwrap();
        let row = audit
            .iter()
            .find(|a| a.seq > audit_before && a.action == "party.reveal")
            .unwrap_or_else(|| panic!("{name}: no audit row in {audit:?}"));
        assert_eq!(row.target, format!("matter:{id}"), "{name}");
        assert!(row.detail.contains("id_number"), "{name}");

        // The 司法确认申请书 from the same record: every party, the court of the county.
        let confirm = format!("/api/v1/matters/{id}/documents/confirmation-application");
        let (s, h, bytes) = c.post_bytes(&confirm, agreement_body()).await;
        assert_eq!(s, 200, "{name}: {}", String::from_utf8_lossy(&bytes));
        let cd = h[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(cd.contains("confirmation-application"), "{name}: {cd}");
        let text = docx_to_text(&bytes).unwrap();
        for want in [
            "司法确认申请书",
            &format!("申请人：张三，男，46岁，公民身份号码{idn}"),
            "申请人：李四。",
            "编号：青调〔2026〕7号",
            "1．李四于三日内疏通排水沟",
            "清溪区人民法院",
            "申请期限至2026年2月24日止",
        ] {
            assert!(text.contains(want), "{name}: missing {want:?} in\n{text}");
        }
        let mut court = agreement_body();
        court["court"] = json!("青石镇人民法庭\u{7}");
        assert_eq!(
            c.post(&confirm, court).await.0,
            400,
            "{name}: control character"
        );

        // Bad input: every missing field named, in Chinese.
        let (s, r) = c
            .post(
                &path,
                json!({"facts": "事实", "terms": "  ", "performance": "当场履行"}),
            )
            .await;
        assert_eq!(s, 400, "{name}: {r}");
        assert!(r["fields"]["terms"].as_str().unwrap().contains("协议内容"));
        assert!(r["fields"]["mediator"].is_string(), "{name}: {r}");
        let mut bad_date = agreement_body();
        bad_date["date"] = json!("2026-13-01");
        assert_eq!(c.post(&path, bad_date).await.0, 400, "{name}");

        // Scope: a grid worker cannot make documents; a village mediator of another
        // village does not see the matter.
        let (s, _, _) = w
            .login("grid01")
            .await
            .post_bytes(&path, agreement_body())
            .await;
        assert_eq!(s, 403, "{name}");
        // The permission follows the assignment: the village's mediator reads this
        // 司法所 matter but does not make its documents.
        let (s, _, _) = w
            .login("village01")
            .await
            .post_bytes(&path, agreement_body())
            .await;
        assert_eq!(s, 403, "{name}");
        // The handling unit's member, without the reveal permission, gets the agreement
        // with masked numbers.
        let (s, _, bytes) = w
            .login("sifasuo")
            .await
            .post_bytes(&path, agreement_body())
            .await;
        assert_eq!(s, 200, "{name}");
        let masked = docx_to_text(&bytes).unwrap();
        assert!(
            !masked.contains(&idn),
            "{name}: full ID number given to a handler without the reveal permission"
        );
        assert!(masked.contains("****"), "{name}");
        let (s, m2) = c
            .post(
                "/api/v1/matters",
                json!({"kind": "dispute", "channel": "visit", "category": "neighbour",
                    "division_code": other, "summary": "宅基地纠纷",
                    "parties": [{"name": "赵六"}, {"name": "钱七", "role": "respondent"}]}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {m2}");
        let other_id = m2["id"].as_i64().unwrap();
        let (s, _, _) = w
            .login("village01")
            .await
            .post_bytes(
                &format!("/api/v1/matters/{other_id}/documents/mediation-agreement"),
                agreement_body(),
            )
            .await;
        assert_eq!(s, 404, "{name}");

        // A petition: no notice before the decision, one after acceptance.
        let (s, pm) = c
            .post(
                "/api/v1/matters",
                json!({"kind": "petition", "channel": "visit", "category": "land_rights",
                    "division_code": own, "summary": "反映承包地边界被邻居占用，要求重新丈量",
                    "parties": [{"name": "孙八", "phone": "13912345678"}]}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {pm}");
        let pid = pm["id"].as_i64().unwrap();
        let notice = format!("/api/v1/matters/{pid}/documents/acceptance-notice.docx");
        let (s, _, body) = c.get_bytes(&notice).await;
        assert_eq!(s, 409, "{name}");
        let err: Value = serde_json::from_slice(&body).unwrap();
        assert!(err["message"].as_str().unwrap().contains("尚未作出受理"));
        let (_, page) = c.get(&format!("/matters/{pid}")).await;
        assert!(
            !page.to_string().contains("受理告知书"),
            "{name}: no link before the decision"
        );
        act(&c, pid, json!({"action": "accept"})).await;
        let (_, page) = c.get(&format!("/matters/{pid}")).await;
        assert!(
            page.to_string().contains(&notice),
            "{name}: the detail page links the notice"
        );
        let (_, d) = c.get(&format!("/api/v1/matters/{pid}")).await;
        let due = d["handling_due"].as_str().unwrap().to_string();
        let (s, h, bytes) = c.get_bytes(&notice).await;
        assert_eq!(s, 200, "{name}: {}", String::from_utf8_lossy(&bytes));
        assert!(
            h[axum::http::header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .contains("filename*=UTF-8''")
        );
        let text = docx_to_text(&bytes).unwrap();
        let (y, rest) = due.split_once('-').unwrap();
        let (mo, da) = rest.split_once('-').unwrap();
        let due_zh = format!(
            "{y}年{}月{}日",
            mo.parse::<u8>().unwrap(),
            da.parse::<u8>().unwrap()
        );
        for want in [
            "信访事项受理告知书",
            "孙八：",
            "以来访方式提出的信访事项",
            "予以受理",
            "自受理之日起60日内办结",
            due_zh.as_str(),
            "人民政府",
        ] {
            assert!(text.contains(want), "{name}: missing {want:?} in\n{text}");
        }
        assert!(
            !text.contains("13912345678"),
            "{name}: no phone in the notice"
        );

        // A dispute has no acceptance notice; grid workers get none either.
        assert_eq!(
            c.get_bytes(&format!(
                "/api/v1/matters/{id}/documents/acceptance-notice.docx"
            ))
            .await
            .0,
            409,
            "{name}"
        );
        assert_eq!(
            w.login("grid01").await.get_bytes(&notice).await.0,
            403,
            "{name}"
        );
    }
}

#[tokio::test]
async fn documents_are_in_the_openapi_document() {
    let doc = serde_json::to_value(fazhi_web::openapi_document()).unwrap();
    let paths = &doc["paths"];
    assert!(paths["/api/v1/matters/{id}/documents/mediation-agreement"]["post"].is_object());
    assert!(paths["/api/v1/matters/{id}/documents/acceptance-notice.docx"]["get"].is_object());
}

/// A dispute of `own` with two parties, accepted, handled by the 司法所 and closed
/// with the mediation `outcome` (`success` or `failed`).
async fn mediated_dispute(c: &Client, own: &str, idn: &str, outcome: &str) -> i64 {
    let (s, m) = c
        .post(
            "/api/v1/matters",
            json!({"kind": "dispute", "channel": "visit", "category": "neighbour",
            "division_code": own, "summary": "邻里因排水沟发生争执",
            "parties": [
                {"name": "张三", "id_number": idn, "phone": "13812345678"},
                {"name": "李四", "role": "respondent"}
            ]}),
        )
        .await;
    assert_eq!(s, 201, "{m}");
    let id = m["id"].as_i64().unwrap();
    let (_, units) = c
        .get("/api/v1/units?division_code=500160101000&limit=100")
        .await;
    let unit = units
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["kind"] == "司法所")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    act(c, id, json!({"action": "accept"})).await;
    act(
        c,
        id,
        json!({"action": "assign", "assignee": {"kind": "unit", "id": unit}}),
    )
    .await;
    act(c, id, json!({"action": "acknowledge"})).await;
    if outcome == "open" {
        return id;
    }
    let close = if outcome == "success" {
        json!({"action": "close", "closure_type": "substantive", "resolved": true, "outcome": "success"})
    } else {
        json!({"action": "close", "closure_type": "substantive", "resolved": false, "outcome": "failed", "directed_to": "litigation"})
    };
    act(c, id, close).await;
    id
}

#[tokio::test]
async fn the_detail_page_makes_the_mediation_agreement() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let (own, _) = villages(&w).await;
        let c = w.login("center").await;
        let idn = id_number("51010519800101123");
        let today = w.state.clock.today();
        let due = fazhi_office::mediation::confirmation_due(today, &w.state.matters.calendar());

        // Not before acceptance: no form.
        let (s, m) = c
            .post(
                "/api/v1/matters",
                json!({"kind": "dispute", "channel": "visit", "category": "neighbour",
                    "division_code": own, "summary": "尚未受理的纠纷",
                    "parties": [{"name": "周九"}]}),
            )
            .await;
        assert_eq!(s, 201, "{name}: {m}");
        let (_, page) = c.get(&format!("/matters/{}", m["id"])).await;
        assert!(
            !page.as_str().unwrap().contains("生成调解协议书"),
            "{name}: no form before acceptance"
        );
        // Failed mediation: no form either.
        let failed = mediated_dispute(&c, &own, &idn, "failed").await;
        let (_, page) = c.get(&format!("/matters/{failed}")).await;
        assert!(
            !page.as_str().unwrap().contains("生成调解协议书"),
            "{name}: no form after failed mediation"
        );

        let id = mediated_dispute(&c, &own, &idn, "success").await;
        let (s, page) = c.get(&format!("/matters/{id}")).await;
        assert_eq!(s, 200, "{name}");
        let page = page.as_str().unwrap().to_string();
        for want in [
            "生成调解协议书".to_string(),
            format!("action=\"/matters/{id}/mediation-agreement#agreement\""),
            ">邻里因排水沟发生争执</textarea>".to_string(),
            "value=\"综治中心 张丽\"".to_string(),
            "人民调解委员会\"".to_string(),
            format!("name=\"date\" value=\"{today}\""),
            format!("申请期限至<strong>{due}</strong>"),
        ] {
            assert!(page.contains(&want), "{name}: missing {want:?}");
        }

        let path = format!("/matters/{id}/mediation-agreement");
        let form = [
            ("facts", "双方因排水沟堵塞致张三家院坝积水发生争执。"),
            ("responsibilities", ""),
            (
                "terms",
                "李四于三日内疏通排水沟\n李四赔偿张三损失人民币800元",
            ),
            ("performance", "赔偿款当场以现金付清。"),
            ("mediator", "王调解"),
            ("committee", ""),
            ("number", ""),
            ("date", ""),
        ];
        // Without the CSRF token: refused, no document.
        let (s, h, _) = c.post_form_bytes(&path, &form, false).await;
        assert_eq!(s, 403, "{name}");
        assert!(
            !h.contains_key(axum::http::header::CONTENT_DISPOSITION),
            "{name}"
        );
        // With it: the DOCX download, naming the parties and the terms.
        let (s, h, bytes) = c.post_form_bytes(&path, &form, true).await;
        assert_eq!(s, 200, "{name}: {}", String::from_utf8_lossy(&bytes));
        assert!(
            h[axum::http::header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .contains("wordprocessingml"),
            "{name}"
        );
        assert!(
            h[axum::http::header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .contains("attachment"),
            "{name}"
        );
        let text = docx_to_text(&bytes).unwrap();
        for want in [
            "人民调解协议书",
            "申请人：张三",
            "被申请人：李四",
            "1．李四于三日内疏通排水沟",
            "2．李四赔偿张三损失人民币800元",
            "人民调解员（签名）：王调解",
            "人民调解委员会",
        ] {
            assert!(text.contains(want), "{name}: missing {want:?} in\n{text}");
        }
        assert!(
            !text.contains("当事人责任"),
            "{name}: empty section left out"
        );
        // Missing terms: the page again, the form open with the input and the message.
        let mut bad = form;
        bad[2] = ("terms", " ");
        bad[7] = ("date", "2026-13-01");
        let (s, h, body) = c.post_form_bytes(&path, &bad, true).await;
        assert_eq!(s, 400, "{name}");
        assert!(
            h[axum::http::header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{name}"
        );
        let html = String::from_utf8(body).unwrap();
        for want in [
            "未生成调解协议书",
            "请填写协议内容",
            ">双方因排水沟堵塞致张三家院坝积水发生争执。</textarea>",
            "<details class=\"action card\" open>",
        ] {
            assert!(html.contains(want), "{name}: missing {want:?}");
        }
        // A bad date is named once the rest is right.
        let mut bad = form;
        bad[7] = ("date", "2026-13-01");
        let (s, _, body) = c.post_form_bytes(&path, &bad, true).await;
        assert_eq!(s, 400, "{name}");
        assert!(
            String::from_utf8(body)
                .unwrap()
                .contains("日期格式须为YYYY-MM-DD"),
            "{name}"
        );
        // The failed one is refused through the page route too.
        let (s, _, body) = c
            .post_form_bytes(
                &format!("/matters/{failed}/mediation-agreement"),
                &form,
                true,
            )
            .await;
        assert_eq!(s, 409, "{name}");
        assert!(
            String::from_utf8(body).unwrap().contains("调解不成"),
            "{name}"
        );
    }
}

/// The agreement is offered only once an agreement was reached: not for a matter in
/// progress whose mediation sessions have no result yet (decisions.md).
#[tokio::test]
async fn the_agreement_waits_for_a_recorded_success() {
    let w = world(fazhi_testkit::db::sqlite().await.unwrap()).await;
    let (own, _) = villages(&w).await;
    let c = w.login("center").await;
    let idn = id_number("51010519800101123");
    let id = mediated_dispute(&c, &own, &idn, "open").await;
    let today = w.state.clock.today().to_string();
    let api = format!("/api/v1/matters/{id}/documents/mediation-agreement");
    act(
        &c,
        id,
        json!({"action": "record_mediation", "held_on": today, "summary": "双方陈述各自理由，约定下周再谈"}),
    )
    .await;
    let (_, page) = c.get(&format!("/matters/{id}")).await;
    assert!(!page.as_str().unwrap().contains("生成调解协议书"));
    let (s, _, body) = c.post_bytes(&api, agreement_body()).await;
    assert_eq!(s, 409, "{}", String::from_utf8_lossy(&body));
    act(
        &c,
        id,
        json!({"action": "record_mediation", "held_on": today, "summary": "双方达成协议", "outcome": "success"}),
    )
    .await;
    let (_, page) = c.get(&format!("/matters/{id}")).await;
    assert!(page.as_str().unwrap().contains("生成调解协议书"));
    let (s, _, body) = c.post_bytes(&api, agreement_body()).await;
    assert_eq!(s, 200, "{}", String::from_utf8_lossy(&body));
}
