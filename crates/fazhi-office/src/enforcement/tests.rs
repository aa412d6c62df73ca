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
        vec![DocKind::Cover, DocKind::Filing, DocKind::Inspection]
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
            DocKind::Inspection,
            DocKind::Notice,
            DocKind::HearingNotice
        ]
    );
    assert_eq!(
        DocKind::available(&case_at(6)).len(),
        10,
        "all but 询问笔录 (no such record), 当场 and 不予"
    );
    let mut spot = case_at(5);
    spot.procedure = Procedure::Simple;
    assert_eq!(
        DocKind::available(&spot),
        vec![DocKind::Cover, DocKind::Inspection, DocKind::OnSpot]
    );
    spot.filed_on = Some(date!(2026 - 01 - 07));
    assert_eq!(
        DocKind::available(&spot),
        vec![
            DocKind::Cover,
            DocKind::Inspection,
            DocKind::OnSpot,
            DocKind::Closing
        ]
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

fn text_nth(kind: DocKind, f: &CaseFile, n: usize) -> String {
    let bytes = kind
        .write_nth(f, n)
        .unwrap_or_else(|e| panic!("{kind:?} {n}: {e}"));
    fazhi_analyze::decode::docx_to_text(&bytes).unwrap()
}

/// A case with two 询问笔录 records (the second by other officers) and one inspection.
fn with_inquiries() -> CaseFile {
    let mut s = case_at(1);
    for (on, text, officers) in [
        (
            "2026-01-07",
            "询问当事人现场负责人，其承认占道堆放",
            vec![11, 12],
        ),
        (
            "2026-01-09",
            "询问附近商户，证实占道已持续十日。",
            vec![12, 11],
        ),
    ] {
        s.evidence.push(
            serde_json::from_value(serde_json::json!({"on": on, "kind": "inquiry",
                "description": text, "officers": officers}))
            .unwrap(),
        );
    }
    file(s)
}

#[test]
fn each_inquiry_and_inspection_record_is_its_own_document() {
    let f = with_inquiries();
    let s = &f.state;
    assert_eq!(DocKind::Inquiry.count(s), 2);
    assert_eq!(DocKind::Inspection.count(s), 1);
    assert_eq!(DocKind::Notice.count(s), 1);
    let entries = DocKind::entries(s);
    let records: Vec<(DocKind, Option<usize>, &str)> = entries
        .iter()
        .filter(|e| e.kind.per_record().is_some())
        .map(|e| (e.kind, e.n, e.title.as_str()))
        .collect();
    assert_eq!(
        records,
        [
            (DocKind::Inquiry, Some(1), "询问笔录（第1份，2026年1月7日）"),
            (DocKind::Inquiry, Some(2), "询问笔录（第2份，2026年1月9日）"),
            (
                DocKind::Inspection,
                Some(1),
                "现场检查（勘验）笔录（第1份，2026年1月7日）"
            ),
        ]
    );
    assert!(
        entries
            .iter()
            .any(|e| e.kind == DocKind::Notice && e.n.is_none())
    );

    let first = text_nth(DocKind::Inquiry, &f, 1);
    has(
        &first,
        &[
            "询问笔录",
            "案号：青石执罚〔2026〕7号",
            "时间：2026年1月7日＿＿时＿＿分至＿＿时＿＿分",
            "地点：",
            "询问人：张执法（执法证号Z-0001）、李执法（执法证号Z-0002）",
            "被询问人姓名：",
            "已向被询问人出示执法证件（执法证号Z-0001、Z-0002）",
            "有权申请回避",
            "询问当事人现场负责人，其承认占道堆放。",
            "在笔录每页签名",
            "被询问人签名（每页）：",
            "执法人员（张执法）签名：",
            "执法人员（李执法）签名：",
            "见证人签名：",
            "拒绝签名或者不在场的，注明原因",
        ],
    );
    assert!(!first.contains("证实占道已持续十日"), "{first}");
    assert_eq!(
        DocKind::Inquiry.write(&f).unwrap(),
        DocKind::Inquiry.write_nth(&f, 1).unwrap()
    );
    let second = text_nth(DocKind::Inquiry, &f, 2);
    has(
        &second,
        &[
            "时间：2026年1月9日",
            "询问人：李执法（执法证号Z-0002）、张执法（执法证号Z-0001）",
            "询问附近商户，证实占道已持续十日。",
        ],
    );
    for n in [0, 3] {
        let e = DocKind::Inquiry.write_nth(&f, n).unwrap_err();
        assert!(e.contains(&format!("没有第{n}份询问笔录")), "{e}");
    }
    assert!(DocKind::Notice.write_nth(&f, 2).is_err());

    let inspection = text_nth(DocKind::Inspection, &f, 1);
    has(
        &inspection,
        &[
            "现场检查（勘验）笔录",
            "检查（勘验）地点：",
            "检查（勘验）人：张执法（执法证号Z-0001）",
            "当事人：某某建材有限公司（法人或其他组织）",
            "进行现场检查（勘验）",
            "现场检查并拍照。",
            "当事人（或者在场人）签名（每页）：",
            "见证人签名：",
        ],
    );

    // Without such a record there is nothing to print.
    let e = DocKind::Inquiry.check(&case_at(0)).unwrap_err();
    assert!(e.contains("尚未记录询问笔录"), "{e}");
}

#[test]
fn the_hearing_record_follows_the_hearing_held() {
    assert!(
        DocKind::HearingRecord
            .check(&case_at(1))
            .unwrap_err()
            .contains("尚未举行听证")
    );
    let t = text(DocKind::HearingRecord, &file(case_at(2)));
    has(
        &t,
        &[
            "听证笔录",
            "案号：青石执罚〔2026〕7号",
            "当事人：某某建材有限公司",
            "听证时间：2026年1月23日＿＿时＿＿分",
            "听证主持人：",
            "记录人：",
            "案件调查人员：",
            "申请回避",
            "当事人承认事实。",
            "当事人或者委托代理人签名（每页）：",
            "听证主持人签名：",
            "当事人拒绝签名的，由主持人注明情况：",
        ],
    );
}

#[test]
fn a_no_penalty_decision_has_its_own_form() {
    let mut s = case_at(2);
    s.status = CaseStatus::Decided;
    s.decision = Some(
        serde_json::from_value(
            serde_json::json!({"on": "2026-01-28", "outcome": "no_penalty",
            "reasons": "违法行为轻微并已及时改正，没有造成危害后果", "service_due": "2026-02-06"}),
        )
        .unwrap(),
    );
    let e = DocKind::Decision.check(&s).unwrap_err();
    assert!(e.contains("请出具不予行政处罚决定书"), "{e}");
    assert!(DocKind::available(&s).contains(&DocKind::NoPenalty));
    assert!(!DocKind::available(&s).contains(&DocKind::Decision));
    let t = text(DocKind::NoPenalty, &file(s.clone()));
    has(
        &t,
        &[
            "不予行政处罚决定书",
            "青石执罚决〔2026〕7号",
            "当事人：某某建材有限公司（法人或其他组织）",
            "经查，你单位于2026年1月5日在主街占道堆放建筑材料",
            "1．现场检查（勘验）笔录：现场检查并拍照（2026年1月7日）",
            "三、陈述、申辩和听证",
            "四、不予行政处罚的理由和依据",
            "违反了《城市道路管理条例》第二十七条的规定",
            "理由：违法行为轻微并已及时改正，没有造成危害后果。",
            "第三十三条",
            "本机关决定对你单位不予行政处罚",
            "本机关对你单位进行教育",
            "五、救济途径和期限",
            "六十日内向某某区人民政府申请行政复议",
            "六个月内依法向人民法院提起行政诉讼",
            "青石镇人民政府\n2026年1月28日",
        ],
    );
    assert!(!t.contains("罚款"), "{t}");
    let cover = text(DocKind::Cover, &file(s.clone()));
    assert!(
        cover.contains("不予行政处罚决定书（青石执罚决〔2026〕7号）（2026年1月28日）"),
        "{cover}"
    );
    // A penalty decision has no 不予 form; a dropped case has neither.
    assert!(DocKind::NoPenalty.check(&case_at(3)).is_err());
    if let Some(d) = &mut s.decision {
        d.outcome = CaseOutcome::Dropped;
    }
    assert!(DocKind::NoPenalty.check(&s).is_err());
    assert!(!DocKind::Decision.check(&s).unwrap_err().contains("请出具"));
}

#[test]
fn the_review_opinion_lists_the_points_confirmed_and_the_problems() {
    let mut s = case_at(6);
    s.reviews[0].checks = ReviewCheck::ALL.to_vec();
    let t = text(DocKind::ReviewOpinion, &file(s.clone()));
    has(
        &t,
        &[
            "三、审核要点",
            "已审核确认：",
            "1．执法主体合法，执法人员具备执法资格",
            "7．已审查是否涉嫌犯罪、须移送司法机关",
            "四、审核意见",
            "同意。",
        ],
    );
    assert!(!t.contains("存在问题："), "{t}");

    // Returned: the points not confirmed are the problems (the latest review counts).
    let mut returned = s.reviews[0].clone();
    returned.opinion = Some(ReviewOpinion::Returned);
    returned.note = "证据不足，请补充询问笔录。".into();
    returned.checks = vec![ReviewCheck::Procedure, ReviewCheck::Body];
    s.reviews.push(returned);
    let t = text(DocKind::ReviewOpinion, &file(s));
    has(
        &t,
        &[
            "已审核确认：",
            "1．执法主体合法，执法人员具备执法资格",
            "2．执法程序合法",
            "存在问题：",
            "1．案件事实清楚，证据合法充分",
            "5．已审查是否涉嫌犯罪、须移送司法机关",
            "存在问题，退回补正。",
            "证据不足，请补充询问笔录。",
        ],
    );

    // Without recorded points (older reviews) the opinion stands alone.
    let t = text(DocKind::ReviewOpinion, &file(case_at(6)));
    assert!(!t.contains("审核要点") && t.contains("三、审核意见"), "{t}");
}
