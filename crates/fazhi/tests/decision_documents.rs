//! The documents of the review desk, major decisions and normative documents (issue 16
//! §7) through the real router on SQLite and PostgreSQL: each answers 409 until the
//! record's state supports it, then a DOCX with the record in it, an audit row per
//! download, 404 outside the scope, and the links on the pages.

use crate::common::{World, world};
use fazhi_analyze::decode::docx_to_text;
use fazhi_testkit::web::Client;
use serde_json::{Value, json};
use time::Date;

fn today(w: &World) -> Date {
    w.state.clock.today()
}

async fn docx(c: &Client, path: &str) -> (u16, String) {
    let (s, h, body) = c.get_bytes(path).await;
    if s != 200 {
        return (s.as_u16(), String::from_utf8_lossy(&body).into_owned());
    }
    assert!(
        h["content-type"]
            .to_str()
            .unwrap()
            .contains("wordprocessingml"),
        "{path}"
    );
    (200, docx_to_text(&body).unwrap())
}

async fn post(c: &Client, path: &str, body: Value) -> Value {
    let (s, v) = c.post(path, body).await;
    assert!(s == 200 || s == 201, "{path}: {s} {v}");
    v
}

async fn nact(c: &Client, nid: i64, body: Value) -> Value {
    post(
        c,
        &format!("/api/v1/normative-documents/{nid}/actions"),
        body,
    )
    .await
}

async fn step(c: &Client, did: i64, body: Value) -> Value {
    post(c, &format!("/api/v1/decisions/{did}/actions"), body).await
}

fn audited(audit: &[fazhi_db::audit::AuditRow], action: &str, target: &str) -> usize {
    audit
        .iter()
        .filter(|r| r.action == action && r.target == target)
        .count()
}

#[tokio::test]
async fn documents_follow_the_state_and_are_audited() {
    for t in fazhi_testkit::db::all().await {
        let name = t.name();
        let w = world(t).await;
        let leader = w.login("leader").await;
        let reviewer = w.login("reviewer").await;
        let center = w.login("center").await;
        let now = today(&w);

        // 合法性审查意见书: only after the opinion.
        let v = post(
            &leader,
            "/api/v1/legal-reviews",
            json!({"kind": "other", "title": "关于调整集镇摊位管理的通知", "drafting_unit": "党政办公室",
                "materials": "通知文本、起草说明"}),
        )
        .await;
        let rid = v["review"]["id"].as_i64().unwrap();
        let path = format!("/api/v1/legal-reviews/{rid}/documents/opinion.docx");
        let (s, m) = docx(&leader, &path).await;
        assert_eq!(s, 409, "{name}: {m}");
        assert!(m.contains("尚未出具审查意见"), "{m}");
        post(
            &reviewer,
            &format!("/api/v1/legal-reviews/{rid}/actions"),
            json!({"action": "review", "opinion": "amend", "reasons": "第三条收取管理费无法律依据，应删除"}),
        )
        .await;
        let (s, text) = docx(&leader, &path).await;
        assert_eq!(s, 200, "{name}");
        for want in [
            "合法性审查意见书",
            "党政办公室：",
            "《关于调整集镇摊位管理的通知》",
            "修改后合法",
            "第三条收取管理费无法律依据",
            "法制审核员 孙静",
            "青石镇人民政府",
        ] {
            assert!(text.contains(want), "{name}: {want} in {text}");
        }
        let (_, _, page) = leader.get_bytes(&format!("/decisions/reviews/{rid}")).await;
        assert!(String::from_utf8(page).unwrap().contains(&path), "{name}");

        // 规范性文件 and 备案报告.
        let v = post(
            &leader,
            "/api/v1/normative-documents",
            json!({"title": "青石镇农村建房管理办法", "drafting_unit": "规划建设办",
                "text": "第一条 为规范农村村民住宅建设管理，制定本办法。\n第二条 本办法适用于本镇行政区域。",
                "explanation": "依据上位法起草"}),
        )
        .await;
        let nid = v["document"]["id"].as_i64().unwrap();
        let v = nact(&leader, nid, json!({"action": "submit_review"})).await;
        post(
            &reviewer,
            &format!("/api/v1/legal-reviews/{}/actions", v["review"]["id"]),
            json!({"action": "review", "opinion": "lawful"}),
        )
        .await;
        nact(&leader, nid, json!({"action": "deliberate", "on": now.to_string(), "meeting": "镇政府常务会议2026年第9次", "conclusion": "原则通过"})).await;
        let doc_path = format!("/api/v1/normative-documents/{nid}/documents/document.docx");
        let filing_path = format!("/api/v1/normative-documents/{nid}/documents/filing-report.docx");
        assert_eq!(docx(&leader, &doc_path).await.0, 409, "{name}");
        nact(
            &leader,
            nid,
            json!({"action": "issue", "number": "青石府规〔2026〕3号"}),
        )
        .await;
        let (s, text) = docx(&leader, &doc_path).await;
        assert_eq!(s, 200, "{name}");
        for want in [
            "青石府规〔2026〕3号",
            "青石镇农村建房管理办法",
            "第二条 本办法适用于本镇行政区域",
        ] {
            assert!(text.contains(want), "{name}: {want} in {text}");
        }
        let (s, m) = docx(&leader, &filing_path).await;
        assert_eq!(s, 409, "{name}: {m}");
        nact(
            &leader,
            nid,
            json!({"action": "publish", "via": "镇政府网站", "effective_on": now.to_string()}),
        )
        .await;
        let (s, text) = docx(&leader, &filing_path).await;
        assert_eq!(s, 200, "{name}");
        for want in [
            "备案报告",
            "清溪区人民政府：",
            "青石府规〔2026〕3号",
            "规划建设办",
            "镇政府网站",
            "合法性审核意见",
        ] {
            assert!(text.contains(want), "{name}: {want} in {text}");
        }
        let (_, _, page) = leader
            .get_bytes(&format!("/decisions/normative/{nid}"))
            .await;
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains(&doc_path) && page.contains(&filing_path),
            "{name}"
        );

        // 征求意见公告 and 决策公告 of a major decision; the adviser named among the
        // discussion's attendees finds the meeting in the work log.
        let year = now.year();
        let adviser = post(
            &center,
            "/api/v1/legal-advisers",
            json!({"firm": "重庆清溪律师事务所", "lawyer": "周明", "licence_no": "15001201510987654",
                "term_from": now.to_string(), "term_to": (now + time::Duration::days(400)).to_string(),
                "service_scope": "重大行政决策合法性审查", "fee_fen": 0, "serves_township": true}),
        )
        .await;
        let adviser = adviser["adviser"]["id"].as_i64().unwrap();
        let v = post(
            &leader,
            &format!("/api/v1/decisions/catalogues/{year}/decisions"),
            json!({"title": "青石镇集镇停车管理方案", "lead_unit": "规划建设办"}),
        )
        .await;
        let did = v["decision"]["id"].as_i64().unwrap();
        let consult = format!("/api/v1/decisions/{did}/documents/consultation-notice.docx");
        let notice = format!("/api/v1/decisions/{did}/documents/decision-notice.docx");
        step(&center, did, json!({"action": "start"})).await;
        assert_eq!(docx(&leader, &consult).await.0, 409, "{name}");
        step(&center, did,
            json!({"action": "publish_draft", "draft": "第一条 集镇主街实行分时段停车。", "explanation": "缓解集镇停车难", "days": 30}),
        )
        .await;
        let (s, text) = docx(&leader, &consult).await;
        assert_eq!(s, 200, "{name}");
        for want in [
            "征求意见",
            "青石镇集镇停车管理方案",
            "第一条 集镇主街实行分时段停车",
            "缓解集镇停车难",
        ] {
            assert!(text.contains(want), "{name}: {want} in {text}");
        }
        assert_eq!(docx(&leader, &notice).await.0, 409, "{name}");
        w.state.clock.advance_minutes(31 * 24 * 60);
        let leader = w.login("leader").await;
        let center = w.login("center").await;
        let reviewer = w.login("reviewer").await;
        step(&center, did, json!({"action": "close_consultation"})).await;
        let v = step(&center, did, json!({"action": "submit_review"})).await;
        post(
            &reviewer,
            &format!(
                "/api/v1/legal-reviews/{}/actions",
                v["decision"]["legal_review_id"]
            ),
            json!({"action": "review", "opinion": "lawful"}),
        )
        .await;
        let on = today(&w).to_string();
        step(&leader, did,
            json!({"action": "discuss", "on": on, "attendees": "镇长王强、副镇长等9人，法律顾问周明列席", "majority_view": "同意", "head_decision": "通过"}),
        )
        .await;
        step(&leader, did, json!({"action": "report_to_party"})).await;
        assert_eq!(docx(&leader, &notice).await.0, 409, "{name}");
        step(
            &leader,
            did,
            json!({"action": "publish", "text": "青石镇集镇停车管理方案（全文）"}),
        )
        .await;
        let (s, text) = docx(&leader, &notice).await;
        assert_eq!(s, 200, "{name}");
        for want in [
            "关于公布《青石镇集镇停车管理方案》的公告",
            "集体讨论决定",
            "青石镇集镇停车管理方案（全文）",
        ] {
            assert!(text.contains(want), "{name}: {want} in {text}");
        }
        let (_, _, page) = leader.get_bytes(&format!("/decisions/major/{did}")).await;
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains(&consult) && page.contains(&notice), "{name}");

        let (_, d) = leader
            .get(&format!("/api/v1/legal-advisers/{adviser}"))
            .await;
        let meetings: Vec<&Value> = d["work"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "decision_meeting")
            .collect();
        assert_eq!(meetings.len(), 1, "{name}: {d}");
        assert_eq!(meetings[0]["href"], format!("/decisions/major/{did}"));
        // The documents are in the OpenAPI document generated from the routes.
        let (_, api) =
            fazhi_testkit::web::send_anon(&w.app, "GET", "/api/v1/openapi.json", Value::Null).await;
        for p in [
            "/api/v1/legal-reviews/{id}/documents/opinion.docx",
            "/api/v1/decisions/{id}/documents/consultation-notice.docx",
            "/api/v1/decisions/{id}/documents/decision-notice.docx",
            "/api/v1/normative-documents/{id}/documents/document.docx",
            "/api/v1/normative-documents/{id}/documents/filing-report.docx",
            "/api/v1/legal-advisers",
            "/api/v1/legal-advisers/{id}/assessments",
            "/api/v1/legal-reviews/{id}/adviser",
        ] {
            assert!(api["paths"][p].is_object(), "{p}");
        }

        // Outside the scope: 404, like a missing record.
        let hash = fazhi_web::auth::secrets::hash_password(fazhi_demo::DEMO_PASSWORD.into())
            .await
            .unwrap();
        fazhi_testkit::web::add_user(
            &w.state.db,
            "other-leader",
            &hash,
            fazhi_core::role::Role::TownshipLeader,
            "500160001000",
        )
        .await;
        let other = w.login("other-leader").await;
        for p in [&path, &doc_path, &filing_path, &consult, &notice] {
            assert_eq!(docx(&other, p).await.0, 404, "{name}: {p}");
        }

        // Every download is audited.
        let audit = fazhi_db::audit::recent(&w.state.db, None, 2000)
            .await
            .unwrap();
        assert_eq!(
            audited(
                &audit,
                "legal_review.document",
                &format!("legal_review:{rid}")
            ),
            1,
            "{name}"
        );
        assert_eq!(
            audited(&audit, "normative.document", &format!("normative:{nid}")),
            2,
            "{name}"
        );
        assert_eq!(
            audited(
                &audit,
                "major_decision.document",
                &format!("major_decision:{did}")
            ),
            2,
            "{name}"
        );
    }
}
