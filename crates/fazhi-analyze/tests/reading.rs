//! Behaviour of the report reader on fixtures written for these tests (no real report text).

use fazhi_analyze::{Report, analyze_bytes, analyze_text};
use std::io::Write;

const SYNTHETIC: &str = include_str!("fixtures/synthetic_report.txt");
const PAGE: &str = include_str!("fixtures/page.html");

/// (text, value, value_max, unit, approx, indicator)
type Fig<'a> = (
    &'a str,
    f64,
    Option<f64>,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
);

fn figs(r: &Report) -> Vec<Fig<'_>> {
    r.figures
        .iter()
        .map(|f| {
            (
                f.text.as_str(),
                f.value,
                f.value_max,
                f.unit.unwrap_or(""),
                f.approx,
                f.indicator,
            )
        })
        .collect()
}

#[test]
fn synthetic_report_metadata_and_sections() {
    let r = analyze_text("synthetic.txt", SYNTHETIC);
    assert_eq!(r.issuer.as_deref(), Some("青石镇"));
    assert_eq!(r.issuer_full.as_deref(), Some("示例县青石镇人民政府"));
    assert_eq!(r.year, Some(2024));
    assert_eq!(r.date.as_deref(), Some("2025-01-15"));
    assert_eq!(r.doc_number.as_deref(), Some("青委发〔2025〕3号"));
    let tops: Vec<(&str, &str)> = r
        .sections
        .iter()
        .filter(|s| s.level == 1)
        .map(|s| (s.marker.as_str(), s.role))
        .collect();
    assert_eq!(
        tops,
        vec![
            ("一、", "measures"),
            ("二、", "first_responsible"),
            ("三、", "shortcomings"),
            ("四、", "next_year")
        ]
    );
    let shi: Vec<&str> = r
        .sections
        .iter()
        .filter(|s| s.marker.ends_with('是'))
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(
        shi,
        vec![
            "坚持领导干部学法",
            "深化普法宣传",
            "普法形式较为单一",
            "执法队伍专业化水平不高"
        ]
    );
    let sub = r.sections.iter().find(|s| s.marker == "（二）").unwrap();
    assert_eq!((sub.level, sub.title.as_str()), (2, "规范行政执法"));
    // Offsets count characters: the marker sits at its character offset.
    let chars: Vec<char> = SYNTHETIC.chars().collect();
    assert_eq!(
        chars[sub.start..sub.start + 3].iter().collect::<String>(),
        "（二）"
    );
}

#[test]
fn chinese_numerals_ranges_and_qualifiers() {
    let r = analyze_text("synthetic.txt", SYNTHETIC);
    let f = figs(&r);
    let expect: Vec<Fig> = vec![
        (
            "十余次",
            10.0,
            None,
            "次",
            Some("余"),
            Some("study_sessions"),
        ),
        ("6期", 6.0, None, "期", Some("不少于"), Some("trainings")),
        (
            "30场",
            30.0,
            None,
            "场",
            Some("超过"),
            Some("publicity_events"),
        ),
        (
            "两万余份",
            20000.0,
            None,
            "份",
            Some("余"),
            Some("publicity_materials"),
        ),
        (
            "40条",
            40.0,
            None,
            "条",
            Some("约"),
            Some("publicity_materials"),
        ),
        (
            "5000人次",
            5000.0,
            None,
            "人次",
            Some("近"),
            Some("people_reached"),
        ),
        ("12名", 12.0, None, "名", None, Some("legal_advisers_staff")),
        (
            "上百次",
            100.0,
            None,
            "次",
            Some("以上"),
            Some("inspections"),
        ),
        ("35件", 35.0, None, "件", None, Some("enforcement_cases")),
        ("2.5万元", 25000.0, None, "元", None, None),
        ("5至8人", 5.0, Some(8.0), "人", None, None),
        ("120件", 120.0, None, "件", None, Some("disputes_handled")),
        ("110件", 110.0, None, "件", None, Some("disputes_handled")),
        (
            "95%",
            95.0,
            None,
            "%",
            None,
            Some("dispute_resolution_rate"),
        ),
        (
            "1200件",
            1200.0,
            None,
            "件",
            Some("超过"),
            Some("petitions"),
        ),
        ("105%", 105.0, None, "%", None, Some("completion_rate")),
        ("40件", 40.0, None, "件", None, None),
        ("50件", 50.0, None, "件", None, None),
        ("25%", 25.0, None, "%", None, None),
        ("3次", 3.0, None, "次", None, None),
        ("两次", 2.0, None, "次", None, Some("study_sessions")),
        (
            "50场次",
            50.0,
            None,
            "场次",
            Some("不少于"),
            Some("publicity_events"),
        ),
    ];
    assert_eq!(f, expect);
    // Sections of figures follow the top-level roles.
    assert_eq!(r.figures.last().unwrap().section, Some("next_year"));
}

#[test]
fn exclusions_from_the_conventions() {
    let text = "一、2025年推进法治政府建设的主要举措和成效\n\
        深入开展八五普法和六进活动，落实三项制度、三重一大、三会一课和“四个亲自”，推进一件事一次办和最多跑一次改革。\
        依据忠府办发〔2025〕26号文件，每月开展一次会前学法，每季度开展2次督查，9月份开展第一次演练，12·4宪法宣传日当天值守24小时。\
        拨打12345热线或12348平台，地址为鸽子沟7、9、11号。建立镇、村、网格三级网络和两级责任清单，取得一定成效，打通最后一公里。\
        组建一支队伍，处置一起家暴事件，学习市委六届七次、八次全会精神，开展百日攻坚，落实提升行政执法质量三年行动计划。\n\
        帮助两户村民解决困难。\n";
    let r = analyze_text("x.txt", text);
    let texts: Vec<&str> = r.figures.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(texts, vec!["两户"]);
}

#[test]
fn more_conventions() {
    let text = "一、主要举措和成效\n全年受理信访事项超1200件，巡逻120次，巡查检查36场次，引导诉讼5件，调解协议18件，比去年同期减少6件，满意12件。\n";
    let r = analyze_text("x.txt", text);
    let got: Vec<(&str, Option<&str>, Option<&str>)> = r
        .figures
        .iter()
        .map(|f| (f.text.as_str(), f.approx, f.indicator))
        .collect();
    assert_eq!(
        got,
        vec![
            ("1200件", Some("超过"), Some("petitions")),
            ("120次", None, None),
            ("36场次", None, Some("inspections")),
            ("5件", None, Some("disputes_handled")),
            ("18件", None, Some("disputes_handled")),
            ("6件", None, None),
            ("12件", None, None),
        ]
    );
}

#[test]
fn gbk_text_is_detected() {
    let (bytes, _, bad) = encoding_rs::GBK.encode(SYNTHETIC);
    assert!(!bad);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture must not be valid UTF-8"
    );
    let r = analyze_bytes("gbk.txt", &bytes).unwrap();
    let utf8 = analyze_text("synthetic.txt", SYNTHETIC);
    assert_eq!(r.issuer, utf8.issuer);
    assert_eq!(figs(&r), figs(&utf8));
}

#[test]
fn html_page_chrome_is_stripped() {
    let r = analyze_bytes("page.html", PAGE.as_bytes()).unwrap();
    assert_eq!(r.issuer.as_deref(), Some("松林乡"));
    assert_eq!(r.year, Some(2023));
    assert_eq!(r.date.as_deref(), Some("2024-02-18"));
    assert!(r.required_sections.measures && r.required_sections.next_year);
    let texts: Vec<&str> = r.figures.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(
        texts,
        vec![
            "26场",
            "3,000余份",
            "1.2万人次",
            "48次",
            "9件",
            "1.5万元",
            "8次",
            "2次",
            "4期"
        ]
    );
    assert_eq!(r.figures[1].value, 3000.0);
    assert_eq!(r.figures[2].value, 12000.0);
    assert_eq!(r.figures[2].approx, Some("约"));
    // Navigation, scripts, styles and footers are gone; no chrome survives as text.
    assert!(
        !r.checks.iter().any(|c| c.kind == "web_chrome"),
        "{:?}",
        r.checks
    );
}

fn docx_bytes(paragraphs: &[&str]) -> Vec<u8> {
    let mut body = String::new();
    for p in paragraphs {
        // Split each paragraph into two runs to check that runs are joined.
        let mid = p
            .char_indices()
            .nth(p.chars().count() / 2)
            .map_or(0, |(i, _)| i);
        body.push_str(&format!(
            "<w:p><w:r><w:t>{}</w:t></w:r><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            &p[..mid],
            &p[mid..]
        ));
    }
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("[Content_Types].xml", opts).unwrap();
        zip.write_all(b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>").unwrap();
        zip.start_file("word/document.xml", opts).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn docx_is_read() {
    let bytes = docx_bytes(&[
        "示例区枫叶街道办事处关于2022年法治政府建设情况的报告",
        "一、2022年推进法治政府建设的主要举措和成效",
        "全年开展法治讲座7场，发放宣传册1500余份。",
        "二、2022年党政主要负责人履行推进法治建设第一责任人职责的有关情况",
        "三、2022年推进法治政府建设存在的不足和原因",
        "四、2023年推进法治政府建设的主要安排",
    ]);
    let r = analyze_bytes("report.docx", &bytes).unwrap();
    assert_eq!(r.issuer.as_deref(), Some("枫叶街道"));
    assert_eq!(r.year, Some(2022));
    assert_eq!(r.sections.iter().filter(|s| s.level == 1).count(), 4);
    let got: Vec<(&str, Option<&str>)> = r
        .figures
        .iter()
        .map(|f| (f.text.as_str(), f.indicator))
        .collect();
    assert_eq!(
        got,
        vec![
            ("7场", Some("publicity_events")),
            ("1500余份", Some("publicity_materials"))
        ]
    );
}

#[test]
fn not_a_docx_is_an_error() {
    assert!(analyze_bytes("broken.docx", b"PK\x03\x04 not really a zip").is_err());
}

#[test]
fn proofreader_findings() {
    let text = "关于2024年法治政府建设情况的报告\n\
        一、2024年推进法治政府建设的主要举措和成效\n\
        （一）加强学习\n\
        全年开展学法活动12次（含专题讲座，发放资料300份。\n\
        （3）规范执法\n\
        现将有关情况皇冠足球比分报告如下。2025年3月10日开展检查5次。\n\
        二、2024年党政主要负责人履行推进法治建设第一责任人职责的有关情况\n\
        主持召开会议2次。\n\
        四、2024年推进法治政府建设的主要安排\n\
        持续推进。\n";
    let r = analyze_text("x.txt", text);
    let kinds: Vec<&str> = r.checks.iter().map(|c| c.kind).collect();
    for k in [
        "missing_section",
        "unbalanced_bracket",
        "heading_numbering",
        "spam",
        "year_mismatch",
    ] {
        assert!(kinds.contains(&k), "missing {k} in {kinds:?}");
    }
    let spam = r.checks.iter().find(|c| c.kind == "spam").unwrap();
    assert_eq!((spam.line, spam.column), (6, 7));
    assert!(spam.message.contains("皇冠足球比分"));
    let missing = r
        .checks
        .iter()
        .find(|c| c.kind == "missing_section")
        .unwrap();
    assert!(missing.message.contains("不足和原因"));
    // 四、 after 二、 skips 三、
    assert!(
        r.checks
            .iter()
            .any(|c| c.kind == "heading_numbering" && c.line == 9)
    );
    let next_year = r
        .checks
        .iter()
        .find(|c| c.kind == "year_mismatch" && c.line == 9)
        .unwrap();
    assert!(next_year.message.contains("2025"));
    assert!(r.has_errors());
}

#[test]
fn clean_report_has_no_errors() {
    let r = analyze_text("page.txt", &fazhi_analyze::decode::html_to_text(PAGE));
    assert!(!r.has_errors(), "{:?}", r.checks);
}

#[test]
fn zip_upload_is_read_in_name_order() {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file("b/page.html", opts).unwrap();
        zip.write_all(PAGE.as_bytes()).unwrap();
        zip.start_file("a/report.txt", opts).unwrap();
        zip.write_all(SYNTHETIC.as_bytes()).unwrap();
        zip.start_file("notes.xls", opts).unwrap();
        zip.write_all(b"ignored").unwrap();
        zip.finish().unwrap();
    }
    let got = fazhi_analyze::analyze_zip(&buf.into_inner()).unwrap();
    let names: Vec<(&str, Option<&str>)> = got
        .iter()
        .map(|(n, r)| {
            (
                n.as_str(),
                r.as_ref().ok().and_then(|r| r.issuer.as_deref()),
            )
        })
        .collect();
    assert_eq!(
        names,
        vec![
            ("a/report.txt", Some("青石镇")),
            ("b/page.html", Some("松林乡"))
        ]
    );
}

#[test]
fn zip_reading_stops_at_the_unpacked_size_limit() {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file("a.txt", opts).unwrap();
        zip.write_all(&[b'a'; 600]).unwrap();
        zip.start_file("b.txt", opts).unwrap();
        zip.write_all(&[b'b'; 600]).unwrap();
        zip.finish().unwrap();
    }
    let bytes = buf.into_inner();
    let mut seen = Vec::new();
    let r = fazhi_analyze::zip_reports(&bytes, 1000, |n, b| {
        seen.push((n.to_string(), b.unwrap().len()))
    });
    assert!(
        matches!(r, Err(fazhi_analyze::Error::TooLarge(1000))),
        "{r:?}"
    );
    assert_eq!(seen, vec![("a.txt".to_string(), 600)]);
    let mut all = 0;
    fazhi_analyze::zip_reports(&bytes, 1200, |_, b| all += b.unwrap().len()).unwrap();
    assert_eq!(all, 1200);
}

#[test]
fn zip_entry_names_in_gbk_are_read() {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        // An ASCII name of the same length, replaced below by its GBK bytes (no UTF-8
        // flag, as Windows' own ZIP tool writes it).
        zip.start_file("QQQQQQ.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(SYNTHETIC.as_bytes()).unwrap();
        zip.finish().unwrap();
    }
    let mut bytes = buf.into_inner();
    let (gbk, _, _) = encoding_rs::GBK.encode("松林乡");
    assert_eq!(gbk.len(), 6);
    let mut replaced = 0;
    for k in 0..bytes.len() - 6 {
        if &bytes[k..k + 6] == b"QQQQQQ" {
            bytes[k..k + 6].copy_from_slice(&gbk);
            replaced += 1;
        }
    }
    assert_eq!(replaced, 2, "local header and central directory");
    let got = fazhi_analyze::analyze_zip(&bytes).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "松林乡.txt");
    assert!(got[0].1.is_ok());
}
