use fazhi_core::enforcement::*;
use time::macros::date;

use super::*;

/// A case opened on 2026-01-06 and walked to `upto` (0 opened … 6 archived), built
/// from JSON as it is stored, so fields added to the state later take their defaults.
pub(crate) fn case_at(upto: u8) -> CaseState {
    let penalty = serde_json::json!({"kinds": ["fine"], "fine_fen": 1_500_000});
    let mut s = serde_json::json!({
        "procedure": "ordinary", "status": "opened",
        "item": {"id": 1, "version": 1, "code": "330217001000", "name": "对擅自占用城市道路的处罚",
            "source": "empowered", "deciding_document": "省政府赋权决定",
            "legal_basis": "《城市道路管理条例》第二十七条", "penalty_basis": "《城市道路管理条例》第四十二条",
            "penalty_kinds": ["warning", "fine"], "fine_min_fen": 0, "fine_max_fen": 2_000_000,
            "hearing_right": true, "review_catalogue": true},
        "party": {"kind": "organisation", "name": "某某建材有限公司", "address": "青石镇主街8号"},
        "facts": "在主街占道堆放建筑材料，影响通行。",
        "act_on": "2026-01-05", "discovered_on": "2026-01-06", "opened_on": "2026-01-06",
        "officers": [11, 12],
        "evidence": [{"on": "2026-01-07", "kind": "inspection", "description": "现场检查并拍照",
            "officers": [11, 12]}]
    });
    if upto >= 1 {
        s["status"] = "hearing".into();
        s["notice"] = serde_json::json!({"on": "2026-01-08", "penalty": penalty, "grade": "ordinary",
            "hearing_right": true, "defence_due": "2026-01-13", "hearing_request_due": "2026-01-15"});
        s["defence"] =
            serde_json::json!({"on": "2026-01-09", "waived": false, "summary": "材料已清理"});
        s["hearing"] = serde_json::json!({"requested_on": "2026-01-12", "notified_on": "2026-01-13",
            "scheduled_on": "2026-01-23"});
    }
    if upto >= 2 {
        s["status"] = "ready".into();
        s["hearing"]["held_on"] = "2026-01-23".into();
        s["hearing"]["transcript"] = "当事人承认事实".into();
        s["reviews"] = serde_json::json!([{"submitted_on": "2026-01-26", "reviewed_on": "2026-01-27",
            "opinion": "approved", "note": "事实清楚，证据充分。", "reviewer": 13}]);
    }
    if upto >= 3 {
        s["status"] = "decided".into();
        s["decision"] = serde_json::json!({"on": "2026-01-28", "outcome": "penalty", "penalty": penalty,
            "grade": "ordinary", "reasons": "占道时间较长", "service_due": "2026-02-06"});
    }
    if upto >= 4 {
        s["status"] = "served".into();
        s["service"] = serde_json::json!({"on": "2026-01-29", "method": "direct",
            "payment_due": "2026-02-13"});
    }
    if upto >= 5 {
        s["status"] = "executed".into();
        s["payments"] = serde_json::json!([{"on": "2026-02-10", "amount_fen": 1_500_000}]);
    }
    if upto >= 6 {
        s["status"] = "archived".into();
        s["closed_on"] = "2026-02-11".into();
        s["archived_on"] = "2026-02-12".into();
    }
    serde_json::from_value(s).unwrap()
}

pub(crate) fn file(state: CaseState) -> CaseFile {
    let mut people = BTreeMap::new();
    for (id, name, number) in [
        (11, "张执法", Some("Z-0001")),
        (12, "李执法", Some("Z-0002")),
        (13, "王审核", None),
    ] {
        people.insert(
            id,
            Person {
                name: name.into(),
                number: number.map(str::to_string),
            },
        );
    }
    CaseFile {
        number: "青石执罚〔2026〕7号".into(),
        agency: "青石镇人民政府".into(),
        seal: "青石镇人民政府".into(),
        review_body: "某某区人民政府".into(),
        place: "青石镇石桥村".into(),
        state,
        people,
        rules: EnforcementRules::default(),
        today: date!(2026 - 02 - 12),
    }
}

fn text(kind: DocKind, f: &CaseFile) -> String {
    let bytes = kind.write(f).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
    if let Some(dir) = std::env::var_os("FAZHI_DOCX_OUT") {
        std::fs::write(
            std::path::Path::new(&dir).join(format!("{}.docx", kind.title())),
            &bytes,
        )
        .unwrap();
    }
    let doc = crate::gongwen::part(&bytes, "word/document.xml");
    assert!(
        doc.contains(r#"<w:pgSz w:w="11906" w:h="16838""#),
        "{kind:?}"
    );
    fazhi_analyze::decode::docx_to_text(&bytes).unwrap()
}

fn has(text: &str, wants: &[&str]) {
    for want in wants {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
}

#[test]
fn documents_follow_the_state_of_the_case() {
    let opened = case_at(0);
    assert_eq!(
        DocKind::available(&opened),
        vec![DocKind::Cover, DocKind::Filing]
    );
    assert!(
        DocKind::Decision
            .check(&opened)
            .unwrap_err()
            .contains("尚未作出行政处罚决定")
    );
    assert!(DocKind::Decision.write(&file(opened)).is_err());
    assert_eq!(
        DocKind::available(&case_at(1)),
        vec![
            DocKind::Cover,
            DocKind::Filing,
            DocKind::Notice,
            DocKind::HearingNotice
        ]
    );
    assert_eq!(DocKind::available(&case_at(6)).len(), 8, "all but 当场");
    let mut spot = case_at(5);
    spot.procedure = Procedure::Simple;
    assert_eq!(
        DocKind::available(&spot),
        vec![DocKind::Cover, DocKind::OnSpot]
    );
    spot.filed_on = Some(date!(2026 - 01 - 07));
    assert_eq!(
        DocKind::available(&spot),
        vec![DocKind::Cover, DocKind::OnSpot, DocKind::Closing]
    );
    for k in DocKind::ALL {
        assert_eq!(DocKind::from_slug(k.slug()), Some(*k));
    }
}

#[test]
fn the_decision_has_what_article_59_asks_for() {
    let t = text(DocKind::Decision, &file(case_at(4)));
    has(
        &t,
        &[
            "行政处罚决定书",
            "青石执罚决〔2026〕7号",
            "当事人：某某建材有限公司（法人或其他组织）",
            "住所（住址）：青石镇主街8号",
            "在主街占道堆放建筑材料，影响通行",
            "1．现场检查（勘验）笔录：现场检查并拍照（2026年1月7日）",
            "违反了《城市道路管理条例》第二十七条的规定",
            "依据《城市道路管理条例》第四十二条",
            "罚款15000元",
            "自收到本决定书之日起十五日内，即于2026年2月13日前",
            "指定银行或者通过电子支付系统缴纳罚款15000元",
            "每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额",
            "六十日内向某某区人民政府申请行政复议",
            "六个月内依法向人民法院提起行政诉讼",
            "根据听证笔录作出本决定",
            "（青石镇人民政府印章）",
            "青石镇人民政府\n2026年1月28日",
        ],
    );
    // Before service the period stands without a day.
    let t = text(DocKind::Decision, &file(case_at(3)));
    assert!(t.contains("十五日内，持本决定书"), "{t}");
}

#[test]
fn the_notice_tells_the_penalty_and_the_rights_with_their_days() {
    let t = text(DocKind::Notice, &file(case_at(1)));
    has(
        &t,
        &[
            "行政处罚事先告知书",
            "青石执罚告〔2026〕7号",
            "某某建材有限公司：",
            "经调查，你单位于2026年1月5日在主街占道堆放建筑材料",
            "现场检查（勘验）笔录等证据证实",
            "拟对你单位作出如下行政处罚：罚款15000元",
            "陈述和申辩",
            "请于2026年1月13日前",
            "五个工作日内，即于2026年1月15日前",
            "张执法（执法证号Z-0001）、李执法（执法证号Z-0002）",
            "青石镇人民政府\n2026年1月8日",
        ],
    );
    let mut no_hearing = case_at(1);
    if let Some(n) = &mut no_hearing.notice {
        n.hearing_right = false;
    }
    let t = text(DocKind::Notice, &file(no_hearing));
    assert!(!t.contains("要求举行听证"), "{t}");
}

#[test]
fn the_forms_name_officers_dates_and_outcomes() {
    let f = file(case_at(6));
    has(
        &text(DocKind::Filing, &f),
        &[
            "立案审批表",
            "案号：青石执罚〔2026〕7号",
            "案由：对擅自占用城市道路的处罚（事项编码330217001000）",
            "案件来源：执法检查中发现",
            "追责时效（至2028年1月5日）",
            "张执法（执法证号Z-0001）",
            "立案日期：2026年1月6日",
        ],
    );
    has(
        &text(DocKind::HearingNotice, &f),
        &[
            "听证通知书",
            "青石执罚听〔2026〕7号",
            "于2026年1月12日提出了听证申请",
            "定于2026年1月23日举行听证",
            "委托一至二人代理",
            "青石镇人民政府\n2026年1月13日",
        ],
    );
    has(
        &text(DocKind::ReviewOpinion, &f),
        &[
            "法制审核意见书",
            "拟作出的处理决定：罚款15000元（一般处罚）",
            "裁量基准运用是否适当",
            "同意。",
            "事实清楚，证据充分。",
            "法制审核人员（王审核）签名：",
        ],
    );
    has(
        &text(DocKind::ServiceReceipt, &f),
        &[
            "送达回证",
            "送达文书：行政处罚决定书（青石执罚决〔2026〕7号）",
            "送达方式：直接送达",
            "送达日期：2026年1月29日",
            "受送达人签名或者盖章：",
        ],
    );
    has(
        &text(DocKind::Closing, &f),
        &[
            "结案审批表",
            "处理结果：给予行政处罚：罚款15000元",
            "罚款15000元，已缴纳15000元（2026年2月10日缴纳15000元）",
            "青石镇人民政府\n2026年2月11日",
        ],
    );
}

#[test]
fn the_cover_lists_the_records_in_order() {
    let t = text(DocKind::Cover, &file(case_at(6)));
    has(
        &t,
        &[
            "行政处罚案卷",
            "卷内目录",
            "1．立案审批表（2026年1月6日）",
            "2．现场检查（勘验）笔录：现场检查并拍照（2026年1月7日）",
            "3．行政处罚事先告知书（青石执罚告〔2026〕7号）（2026年1月8日）",
            "4．陈述、申辩笔录（2026年1月9日）",
            "5．听证申请（2026年1月12日）",
            "6．听证通知书（青石执罚听〔2026〕7号）（2026年1月13日）",
            "7．听证笔录（2026年1月23日）",
            "8．法制审核意见书（同意）（2026年1月27日）",
            "9．行政处罚决定书（青石执罚决〔2026〕7号）（2026年1月28日）",
            "10．送达回证（直接送达）（2026年1月29日）",
            "11．罚款缴纳凭证（15000元）（2026年2月10日）",
            "12．结案审批表（2026年2月11日）",
            "归档日期：2026年2月12日",
        ],
    );
}

#[test]
fn the_on_the_spot_decision_puts_review_first() {
    let mut s = case_at(0);
    s.procedure = Procedure::Simple;
    s.party.kind = PartyKind::Citizen;
    s.party.name = "张三".into();
    s.status = CaseStatus::Executed;
    s.decision = Some(
        serde_json::from_value(serde_json::json!({"on": "2026-01-06", "outcome": "penalty",
            "penalty": {"kinds": ["fine"], "fine_fen": 5_000}, "grade": "ordinary", "reasons": "",
            "collected_on_spot": true, "service_due": "2026-01-06"}))
        .unwrap(),
    );
    let mut f = file(s);
    f.number = "青石当罚〔2026〕3号".into();
    let t = text(DocKind::OnSpot, &f);
    has(
        &t,
        &[
            "当场处罚决定书",
            "青石当罚〔2026〕3号",
            "你的上述行为违反了",
            "第五十一条、第五十二条",
            "罚款50元",
            "罚款50元已当场收缴",
            "应当自收到本决定书之日起六十日内向某某区人民政府申请行政复议",
            "自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼",
            "张执法（执法证号Z-0001）",
            "并报青石镇人民政府备案",
            "青石镇人民政府\n2026年1月6日",
        ],
    );
    assert!(DocKind::Filing.write(&f).is_err());
}

#[test]
fn numbers_and_rates_read_as_the_law_writes_them() {
    let f = file(case_at(0));
    assert_eq!(f.doc_number("决"), "青石执罚决〔2026〕7号");
    assert_eq!(permille_zh(30), "百分之三");
    assert_eq!(permille_zh(5), "千分之五");
    assert_eq!(days_zh(15), "十五日");
    assert_eq!(days_zh(60), "六十日");
    assert_eq!(period_zh(f.rules.hearing_request_period), "五个工作日");
    assert_eq!(period_zh(f.rules.payment_period), "十五日");
}
