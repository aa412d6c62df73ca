//! Indicator labels for wording beyond the seeds (issue 20, point 3), one case per
//! wording listed in INDICATORS.md. Every sentence is written for this test.

use fazhi_analyze::analyze_text;

/// The label of the figure `fig` (its text) in `sentence`, the first one if repeated.
fn label(sentence: &str, fig: &str) -> Option<&'static str> {
    let r = analyze_text("t.txt", sentence);
    let f = r.figures.iter().find(|f| f.text == fig).unwrap_or_else(|| {
        let found: Vec<_> = r.figures.iter().map(|f| f.text.as_str()).collect();
        panic!("no figure {fig} in {sentence}: {found:?}")
    });
    f.indicator
}

/// Checks every (sentence, figure, label) case and reports all the wrong ones at once.
fn check(cases: &[(&str, &str, Option<&str>)]) {
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(s, fig, want)| {
            let got = label(s, fig);
            (got != *want).then(|| format!("{s} [{fig}]: got {got:?}, want {want:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

const STUDY: Option<&str> = Some("study_sessions");
const TRAIN: Option<&str> = Some("trainings");
const EVENTS: Option<&str> = Some("publicity_events");
const MATERIALS: Option<&str> = Some("publicity_materials");
const REACHED: Option<&str> = Some("people_reached");
const EXAM: Option<&str> = Some("exam_rate");
const STAFF: Option<&str> = Some("legal_advisers_staff");
const REVIEWS: Option<&str> = Some("legal_reviews");
const REVIEW_RATE: Option<&str> = Some("review_rate");
const INSPECT: Option<&str> = Some("inspections");
const CASES: Option<&str> = Some("enforcement_cases");
const DISPUTES: Option<&str> = Some("disputes_handled");
const RESOLVED: Option<&str> = Some("dispute_resolution_rate");
const PETITIONS: Option<&str> = Some("petitions");
const DONE: Option<&str> = Some("completion_rate");
const SATISFIED: Option<&str> = Some("satisfaction_rate");

#[test]
fn study_sessions() {
    check(&[
        ("今年镇党委理论学习中心组开展集中学习8次。", "8次", STUDY),
        ("全年坚持会前学法，累计学法12次。", "12次", STUDY),
        ("党政班子会前学法共开展11次。", "11次", STUDY),
        (
            "领导班子集体学法4次，专题学习《行政复议法》。",
            "4次",
            STUDY,
        ),
        ("组织机关干部集中学习法律法规6次。", "6次", STUDY),
        ("全年开展会前学法活动10余次。", "10余次", STUDY),
        // A lecture counts as study in a cadre-study context, else as publicity.
        ("为机关干部举办法治讲座3场。", "3场", STUDY),
        ("在村社区举办法治讲座5场。", "5场", EVENTS),
    ]);
}

#[test]
fn trainings() {
    check(&[
        ("举办执法人员业务培训3期。", "3期", TRAIN),
        ("开展法律明白人培训2次，参训80人次。", "2次", TRAIN),
        ("开展法律明白人培训2次，参训80人次。", "80人次", TRAIN),
    ]);
}

#[test]
fn legal_reviews() {
    check(&[
        ("法律顾问审查合同28份。", "28份", REVIEWS),
        ("全年审核行政合同15件，提出修改意见40条。", "15件", REVIEWS),
        ("审核规范性文件5件。", "5件", REVIEWS),
        ("对重大行政决策开展合法性审查6项。", "6项", REVIEWS),
        ("审查镇政府拟签订的协议9份。", "9份", REVIEWS),
        ("对3项重大决策事项进行合法性审核。", "3项", REVIEWS),
        ("出具法律意见书20份。", "20份", REVIEWS),
        ("审核把关行政决策7项。", "7项", REVIEWS),
        ("合法性审查率达100%。", "100%", REVIEW_RATE),
        ("规范性文件合法性审核通过率100%。", "100%", REVIEW_RATE),
        // 审核 of an application is no legal review.
        ("审核困难群众救助申请36件。", "36件", None),
        // Item lists and other 项 stay unlabelled.
        ("梳理行政执法事项126项。", "126项", None),
        ("完成民生实事8项。", "8项", None),
    ]);
}

#[test]
fn people_reached() {
    check(&[
        (
            "开展普法宣传活动20场，受众群众3000余人次。",
            "3000余人次",
            REACHED,
        ),
        (
            "开展普法宣传活动20场，覆盖群众5000余人。",
            "5000余人",
            REACHED,
        ),
        ("举办普法讲座6场，参与群众600余人。", "600余人", REACHED),
        (
            "开展宪法宣传周活动，吸引群众500余人参与。",
            "500余人",
            REACHED,
        ),
        (
            "普法志愿者走进校园，受教育学生1200人次。",
            "1200人次",
            REACHED,
        ),
        (
            "开展送法下乡活动12场，惠及群众2万余人次。",
            "2万余人次",
            REACHED,
        ),
        ("法治宣传活动累计服务群众8000人次。", "8000人次", REACHED),
        // Not in a publicity context: no label.
        ("化解纠纷涉及群众120人。", "120人", None),
        ("接待来访群众45人。", "45人", None),
    ]);
}

#[test]
fn publicity_events() {
    check(&[
        ("开展普法宣传活动32场。", "32场", EVENTS),
        ("开展法治宣讲进村社15场次。", "15场次", EVENTS),
        ("组织民法典宣传进企业活动6次。", "6次", EVENTS),
    ]);
}

#[test]
fn publicity_materials() {
    check(&[
        ("发放宣传资料3000余份。", "3000余份", MATERIALS),
        ("发放《民法典》读本500册。", "500册", MATERIALS),
        ("向群众发放法律知识手册800本。", "800本", MATERIALS),
        ("发放法治明白纸2000张。", "2000张", MATERIALS),
        ("累计发放1.2万余份。", "1.2万余份", MATERIALS),
        ("悬挂宣传横幅40条。", "40条", MATERIALS),
    ]);
}

#[test]
fn petitions() {
    check(&[
        ("全年受理信访事项56件。", "56件", PETITIONS),
        ("办理群众信访23批。", "23批", PETITIONS),
        ("接待群众来访12批次。", "12批次", PETITIONS),
        ("化解信访积案3起。", "3起", PETITIONS),
        ("处理信访案件8宗。", "8宗", PETITIONS),
        ("受理12345热线工单320件。", "320件", PETITIONS),
        ("受理网上投诉41件。", "41件", PETITIONS),
    ]);
}

#[test]
fn disputes_handled() {
    check(&[
        ("排查矛盾纠纷120起。", "120起", DISPUTES),
        ("调处各类纠纷45件。", "45件", DISPUTES),
        ("化解矛盾纠纷86条。", "86条", DISPUTES),
        ("开展矛盾纠纷排查，共排查出32起。", "32起", DISPUTES),
        ("成功调解邻里纠纷28件。", "28件", DISPUTES),
        ("全年共化解矛盾96件。", "96件", DISPUTES),
        // 排查 of hazards is not a dispute count.
        ("开展安全隐患排查12次。", "12次", None),
    ]);
}

#[test]
fn enforcement_cases() {
    check(&[
        ("查处违法建设12起。", "12起", CASES),
        ("立案查处违法行为8件。", "8件", CASES),
        ("办理行政处罚案件15件。", "15件", CASES),
        ("全年办理执法案件31件。", "31件", CASES),
        ("依法立案9起。", "9起", CASES),
        ("综合执法大队办理案件17件。", "17件", CASES),
        // A 信访 case is a petition, not an enforcement case.
        ("办理信访案件4件。", "4件", PETITIONS),
        // Legal aid and court cases are not the township's enforcement cases.
        ("执法人员协助办理法律援助案件6件。", "6件", None),
        (
            "司法所配合法院办理执行案件3件，开展执法检查2次。",
            "3件",
            None,
        ),
        // Inspections stay inspections.
        ("开展执法检查20次。", "20次", INSPECT),
    ]);
}

#[test]
fn staff_and_advisers() {
    check(&[
        ("聘请法律顾问2名。", "2名", STAFF),
        ("聘请专业律师3名担任法律顾问。", "3名", STAFF),
        ("现有持证执法人员23人。", "23人", STAFF),
        ("配备执法队员15名。", "15名", STAFF),
        ("法律顾问团队共5人。", "5人", STAFF),
        // Mediators, grid workers and 法律明白人 stay unlabelled (gold conventions).
        ("配备专职人民调解员5名。", "5名", None),
        ("培育法律明白人96名。", "96名", None),
    ]);
}

#[test]
fn exam_rates() {
    check(&[
        ("组织干部学法考试，参考率100%。", "100%", EXAM),
        ("年度学法考试合格率98%。", "98%", EXAM),
        ("参考率、合格率均为100%。", "100%", EXAM),
        ("全镇干部网上学法参考率达100%。", "100%", EXAM),
        ("法治理论知识测试通过率95%。", "95%", EXAM),
    ]);
}

#[test]
fn resolution_and_satisfaction_rates() {
    check(&[
        ("矛盾纠纷化解率98.5%。", "98.5%", RESOLVED),
        ("调解成功率达97%。", "97%", RESOLVED),
        ("纠纷调处率100%。", "100%", RESOLVED),
        ("群众满意率99%。", "99%", SATISFIED),
        ("群众满意度达96%。", "96%", SATISFIED),
        ("信访事项按期办结率100%。", "100%", DONE),
        ("办结率、满意率均达100%。", "100%", DONE),
        // Other rates stay unlabelled.
        ("行政执法公示率100%。", "100%", None),
    ]);
}

#[test]
fn the_clause_decides_not_the_heading() {
    // Under a heading about disputes, a publicity count is publicity.
    let text = "（三）矛盾纠纷化解\n\
        全年开展普法宣传活动18场，排查化解矛盾纠纷64件，化解率98%，发放宣传资料1200份。\n";
    let r = analyze_text("t.txt", text);
    let got: Vec<_> = r
        .figures
        .iter()
        .map(|f| (f.text.as_str(), f.indicator))
        .collect();
    assert_eq!(
        got,
        [
            ("18场", EVENTS),
            ("64件", DISPUTES),
            ("98%", RESOLVED),
            ("1200份", MATERIALS),
        ]
    );
}

#[test]
fn a_part_without_a_keyword_takes_its_totals_label() {
    check(&[
        (
            "全年办理行政执法案件27件，其中适用简易程序3件、普通程序24件。",
            "24件",
            CASES,
        ),
        (
            "共排查化解矛盾纠纷86件，其中当场化解40件，转办28件。",
            "28件",
            DISPUTES,
        ),
        ("开展普法宣传活动32场，其中进校园12场。", "12场", EVENTS),
        // A keyword of its own still decides (a meeting is no dispute) …
        ("排查矛盾纠纷60件，其中召开协调会议5次。", "5次", None),
        // … and a ；starts another topic.
        ("受理矛盾纠纷59件，化解率90%；回访52件。", "52件", None),
    ]);
}
