//! Issuer and year read from the body of texts without a title block (issue 20, points
//! 1 and 8), on texts written for these tests.

use fazhi_analyze::{Report, analyze_text};

fn read(text: &str) -> Report {
    analyze_text("t.txt", text)
}

const MEASURES: &str = "一、主要举措和成效\n（一）加强组织领导。";

#[test]
fn body_starting_with_the_year_names_the_street_office() {
    let text = format!(
        "2024年，在区委、区政府的坚强领导下，玉贤街道深入贯彻习近平法治思想，扎实推进依法行政，全年召开专题会议6次。\n\
         {MEASURES}玉贤街道党工委坚持把法治建设摆在突出位置，定期召开街道党工委会议研究法治工作。\n\
         二、下一步工作\n我街道将继续深化法治建设。"
    );
    let r = read(&text);
    assert_eq!(r.issuer.as_deref(), Some("玉贤街道"));
    assert_eq!(r.issuer_basis.confidence, Some("medium"));
    assert_eq!(r.year, Some(2024));
    assert_eq!(r.year_basis.confidence, Some("medium"));
    assert_eq!(r.year_basis.line, Some(1));
    assert!(
        r.year_basis
            .text
            .as_deref()
            .unwrap()
            .starts_with("2024年，")
    );
}

#[test]
fn body_starting_with_a_heading() {
    let text = "一、主要举措和成效\n\
        2023年以来，合心镇坚持以习近平法治思想为指导，推进法治政府建设。合心镇党委每季度研究法治工作。\n\
        （一）依法履职。我镇全面落实权责清单，合心镇人民政府严格执行重大行政决策程序。\n\
        二、存在的不足\n执法人员力量不足。\n";
    let r = read(text);
    assert_eq!(r.issuer.as_deref(), Some("合心镇"));
    assert_eq!(r.issuer_basis.confidence, Some("medium"));
    assert_eq!(r.issuer_full.as_deref(), Some("合心镇人民政府"));
    assert_eq!(r.year, Some(2023));
    let line = r.issuer_basis.line.unwrap();
    assert!((2..=3).contains(&line), "{:?}", r.issuer_basis);
}

#[test]
fn metadata_first_page_takes_the_reporting_year_not_the_publication_date() {
    let text = "索引号：11500000/2025-00012\n\
        发布日期：2025年1月10日\n\
        2025年1月10日\n\
        2024年度，石门乡党委、政府坚持依法行政，石门乡严格落实法治建设第一责任人职责。\n\
        一、主要举措和成效\n石门乡全面推行行政执法三项制度，我乡开展普法宣传12场次。\n";
    let r = read(text);
    assert_eq!(r.year, Some(2024), "{:?}", r.year_basis);
    assert_eq!(r.year_basis.line, Some(4));
    assert_eq!(r.issuer.as_deref(), Some("石门乡"));
}

#[test]
fn higher_levels_and_neighbours_are_not_the_issuer() {
    let text = "2024年，在市委、区委的正确领导下，金竹镇认真贯彻落实法治政府建设部署。\n\
        一、主要举措和成效\n\
        金竹镇党委定期研究法治工作。区委依法治区办到红岩镇、白云镇和金竹镇开展督查。\n\
        我镇与邻近的红岩镇建立联调机制，配合白云镇开展联合执法。金竹镇人民政府完善合法性审核机制。\n";
    let r = read(text);
    assert_eq!(r.issuer.as_deref(), Some("金竹镇"), "{:?}", r.issuer_basis);
    assert_eq!(r.year, Some(2024));
}

#[test]
fn a_fragment_is_never_an_issuer() {
    let text = "今年以来，我街道定期召开街道党工委会议研究法治工作，全街道各社区落实法治建设责任，\
        定期召开街道法治工作会议，推进乡村振兴和新型城镇化建设，利用镇政府门户网站公开信息，\
        配合镇纪委做好监督。\n\
        一、主要举措和成效\n全面推进依法行政。\n";
    let r = read(text);
    assert_eq!(r.issuer, None, "{:?}", r.issuer_basis);
    assert_eq!(r.issuer_basis.confidence, None);
    assert!(r.issuer_basis.note.is_some());
}

#[test]
fn weak_evidence_gives_no_issuer_and_a_note() {
    // Two places, each named once in passing: no clear writer.
    let text = "一、主要举措和成效\n\
        组织干部赴青山镇学习调解经验，参加在白石镇举办的培训。\n\
        二、下一步工作\n继续推进法治建设。\n";
    let r = read(text);
    assert_eq!(r.issuer, None, "{:?}", r.issuer_basis);
    assert_eq!(r.issuer_basis.confidence, None);
    let note = r.issuer_basis.note.as_deref().unwrap();
    assert!(!note.is_empty());
    // No year and no date: null with a note.
    assert_eq!(r.year, None);
    assert!(r.year_basis.note.is_some());
}

#[test]
fn title_block_stays_high() {
    let text = "常山县青石镇人民政府\n关于2024年法治政府建设情况的报告\n\n\
        2024年，白云镇深入推进法治建设，白云镇党委研究法治工作。\n一、主要举措和成效\n";
    let r = read(text);
    assert_eq!(r.issuer.as_deref(), Some("青石镇"));
    assert_eq!(r.issuer_basis.confidence, Some("high"));
    assert_eq!(r.issuer_basis.line, Some(1));
    assert_eq!(r.issuer_basis.text.as_deref(), Some("常山县青石镇人民政府"));
    assert_eq!(r.year, Some(2024));
    assert_eq!(r.year_basis.confidence, Some("high"));
    assert_eq!(r.year_basis.line, Some(2));
}

#[test]
fn evidence_text_is_trimmed_to_80_characters() {
    let long = "法".repeat(200);
    let text = format!("2024年，青柳街道深入推进法治建设{long}。青柳街道党工委研究法治。\n");
    let r = read(&text);
    assert_eq!(r.issuer.as_deref(), Some("青柳街道"));
    assert_eq!(r.issuer_basis.text.as_deref().unwrap().chars().count(), 80);
}

#[test]
fn seeds_issuer_and_year_basis() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut paths: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap();
        let r = read(&text);
        println!(
            "{}: {:?} {:?} | {:?} {:?}",
            p.file_name().unwrap().to_string_lossy(),
            r.issuer,
            r.issuer_basis,
            r.year,
            r.year_basis
        );
        if r.issuer.is_some() {
            assert_eq!(r.issuer_basis.confidence, Some("high"));
        }
    }
}

#[test]
fn long_line_of_names_without_punctuation_stays_fast() {
    // Many distinct candidate names on one line with no clause punctuation.
    let digits = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
    let mut text = String::new();
    for i in 0..60_000usize {
        text.push(digits[i % 10]);
        text.push(digits[(i / 10) % 10]);
        text.push(digits[(i / 100) % 10]);
        text.push_str("镇党委我镇");
    }
    let t = std::time::Instant::now();
    let r = read(&text);
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
    // Only the first name stands on its own (the others run into the text before them).
    assert_eq!(r.issuer.as_deref(), Some("甲甲甲镇"));
}

#[test]
fn plans_and_cited_documents_do_not_set_the_year() {
    let text = "一、主要举措和成效\n\
        根据《2025年法治政府建设工作要点》，2024年以来，青柳街道党工委坚持依法决策，青柳街道深入开展普法。\n\
        二、下一步工作安排\n\
        2025年，我街道将继续推进法治建设。2025年度重点抓好执法规范化。\n";
    let r = read(text);
    assert_eq!(r.year, Some(2024), "{:?}", r.year_basis);
    assert_eq!(r.year_basis.line, Some(2));
    assert_eq!(r.issuer.as_deref(), Some("青柳街道"));
}
