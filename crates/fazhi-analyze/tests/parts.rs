//! Totals and their parts (issue 20, point 4): fixtures written for these tests, one
//! per phrasing. A part points at its total, and the sum per indicator counts the total.

use fazhi_analyze::analyze_text;

/// (text, part_of as the text of the total)
fn parts(text: &str) -> Vec<(String, Option<String>)> {
    let r = analyze_text("p.txt", text);
    r.figures
        .iter()
        .map(|f| (f.text.clone(), f.part_of.map(|t| r.figures[t].text.clone())))
        .collect()
}

fn p(t: &str, of: Option<&str>) -> (String, Option<String>) {
    (t.to_string(), of.map(str::to_string))
}

#[test]
fn qizhong_list() {
    let text =
        "一、主要举措和成效\n全年排查化解矛盾纠纷1290件，其中调解成功640件，引导诉讼12件。\n";
    assert_eq!(
        parts(text),
        vec![
            p("1290件", None),
            p("640件", Some("1290件")),
            p("12件", Some("1290件"))
        ]
    );
    let r = analyze_text("p.txt", text);
    assert_eq!(r.indicator_value("disputes_handled"), Some(1290.0));
}

#[test]
fn baokuo() {
    let text = "受理群众来信来访86件，包括网上投诉50件、来访20件。";
    assert_eq!(
        parts(text),
        vec![
            p("86件", None),
            p("50件", Some("86件")),
            p("20件", Some("86件"))
        ]
    );
    assert_eq!(
        analyze_text("p.txt", text).indicator_value("petitions"),
        Some(86.0)
    );
}

#[test]
fn han_in_brackets() {
    let text = "查处违法案件30起（含行政处罚18起）。";
    assert_eq!(parts(text), vec![p("30起", None), p("18起", Some("30起"))]);
    assert_eq!(
        analyze_text("p.txt", text).indicator_value("enforcement_cases"),
        Some(30.0)
    );
}

#[test]
fn fenbiewei() {
    let text = "共调处矛盾纠纷75件，婚姻家庭和邻里纠纷分别为40件、25件。";
    assert_eq!(
        parts(text),
        vec![
            p("75件", None),
            p("40件", Some("75件")),
            p("25件", Some("75件"))
        ]
    );
}

#[test]
fn list_after_a_colon() {
    let text = "排查矛盾纠纷120件：婚姻家庭纠纷30件、邻里纠纷50件、土地纠纷40件。";
    assert_eq!(
        parts(text),
        vec![
            p("120件", None),
            p("30件", Some("120件")),
            p("50件", Some("120件")),
            p("40件", Some("120件"))
        ]
    );
    assert_eq!(
        analyze_text("p.txt", text).indicator_value("disputes_handled"),
        Some(120.0)
    );
}

#[test]
fn not_parts() {
    // A colon list that adds up to more than the figure before it is no breakdown.
    assert_eq!(
        parts("调解纠纷20件：受理信访30件、办结信访28件。"),
        vec![p("20件", None), p("30件", None), p("28件", None)]
    );
    // Other units, other sentences, and figures listed side by side are not parts.
    assert_eq!(
        parts("开展普法活动20场，其中覆盖群众3000人次。化解纠纷50件。调解纠纷40件，处理信访12件。"),
        vec![
            p("20场", None),
            p("3000人次", None),
            p("50件", None),
            p("40件", None),
            p("12件", None)
        ]
    );
    // A part larger than its would-be total is not one.
    assert_eq!(
        parts("办结5件，其中受理信访件8件。"),
        vec![p("5件", None), p("8件", None)]
    );
}

#[test]
fn nested_breakdown() {
    let text = "化解矛盾纠纷1290件，其中调解640件，其中达成协议600件。";
    assert_eq!(
        parts(text),
        vec![
            p("1290件", None),
            p("640件", Some("1290件")),
            p("600件", Some("640件"))
        ]
    );
    assert_eq!(
        analyze_text("p.txt", text).indicator_value("disputes_handled"),
        Some(1290.0)
    );
}
