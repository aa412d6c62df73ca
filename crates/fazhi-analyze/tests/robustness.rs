//! Hostile and broken input: no panic, and output bounded by caps rather than by the
//! input (one finding per bracket once made 2.4 MB into 195 MB of JSON). Behaviour
//! only: the time per MB is measured in bench/README.md, not asserted here.

use fazhi_analyze::checks::MAX_PER_KIND;
use fazhi_analyze::figures::MAX_FIGURES;
use fazhi_analyze::sections::MAX_SECTIONS;
use fazhi_analyze::{Report, analyze_bytes, analyze_text};
use proptest::prelude::*;

fn json_len(r: &Report) -> usize {
    let mut v = Vec::new();
    fazhi_analyze::json::write_report(&mut v, r);
    v.len()
}

/// Every kind appears at most MAX_PER_KIND + 1 times (the last one counts the rest).
fn assert_bounded(r: &Report) {
    let mut kinds: Vec<&str> = r.checks.iter().map(|c| c.kind).collect();
    kinds.sort();
    kinds.dedup();
    for k in &kinds {
        let n = r.checks.iter().filter(|c| c.kind == *k).count();
        assert!(n <= MAX_PER_KIND + 1, "{k}: {n} findings");
    }
    assert!(r.checks.len() <= kinds.len() * (MAX_PER_KIND + 1));
    assert!(r.figures.len() <= MAX_FIGURES);
    assert!(r.sections.len() <= MAX_SECTIONS);
    for c in &r.checks {
        assert!(c.start <= c.end && c.line >= 1 && c.column >= 1);
    }
}

fn repeat(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes / unit.len() + 1)
}

#[test]
fn unclosed_brackets_give_a_few_findings_and_a_count() {
    let text = repeat("（", 600_000);
    let r = analyze_text("b.txt", &text);
    assert_bounded(&r);
    let b: Vec<_> = r
        .checks
        .iter()
        .filter(|c| c.kind == "unbalanced_bracket")
        .collect();
    assert_eq!(b.len(), MAX_PER_KIND + 1);
    // The first ones in text order, then the count of the rest.
    assert_eq!(b[0].start, 0);
    assert!(b.windows(2).all(|w| w[0].start < w[1].start));
    assert!(b[MAX_PER_KIND].message.contains("200001处"));
    // The totals (tables, workbook, `fazhi check`) still count every one of them.
    let (errors, warnings) = r.check_counts();
    let listed_others = r.checks.len() - b.len();
    assert_eq!(errors + warnings, 200_001 + listed_others);
    assert!(json_len(&r) < 64 * 1024, "{}", json_len(&r));
}

#[test]
fn brackets_closed_by_other_kinds_stay_bounded() {
    // 《 never opened: every 》 once searched the whole stack of （.
    let text = format!("{}{}", "（".repeat(100_000), "》".repeat(100_000));
    let r = analyze_text("m.txt", &text);
    assert_bounded(&r);
    assert_eq!(
        r.checks
            .iter()
            .filter(|c| c.kind == "unbalanced_bracket")
            .count(),
        MAX_PER_KIND + 1
    );
}

#[test]
fn dense_figures_are_capped_and_said_so() {
    let text = repeat("1件", 400_000);
    let r = analyze_text("d.txt", &text);
    assert_bounded(&r);
    assert_eq!(r.figures.len(), MAX_FIGURES);
    assert!(r.checks.iter().any(|c| c.kind == "too_many_figures"));
    assert!(json_len(&r) < 4 * text.len());
}

#[test]
fn many_headings_are_capped_and_said_so() {
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!("（{}）标题{i}\n", i % 7 + 1));
    }
    let r = analyze_text("h.txt", &text);
    assert_bounded(&r);
    assert_eq!(r.sections.len(), MAX_SECTIONS);
    assert!(r.checks.iter().any(|c| c.kind == "too_many_sections"));
    assert!(json_len(&r) < 2 * text.len());
}

#[test]
fn one_endless_line_stays_bounded() {
    let text = repeat(
        "开展讲座3次，受理10件，办结9件，办结率90%，合格率95%，皇冠足球比分12件，“四个",
        1_000_000,
    );
    let r = analyze_text("l.txt", &text);
    assert_bounded(&r);
    assert!(json_len(&r) < 2 * text.len());
}

#[test]
fn blank_lines_keep_their_numbers() {
    let text = format!("{}一、主要举措和成效\n（\n", "\n".repeat(100_000));
    let r = analyze_text("n.txt", &text);
    let c = r
        .checks
        .iter()
        .find(|c| c.kind == "unbalanced_bracket")
        .unwrap();
    assert_eq!((c.line, c.column), (100_002, 1));
}

/// Text built from the characters the reader reacts to, plus anything at all.
fn adversarial() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "（",
        "）",
        "(",
        "《",
        "》",
        "“",
        "”",
        "[bookmark:",
        "]",
        "\n",
        "\r\n",
        "一、",
        "（一）",
        "1.",
        "（1）",
        "一是",
        "二是",
        "。",
        "，",
        "、",
        "；",
        "：",
        "其中",
        "包括",
        "含",
        "分别为",
        "1290",
        "640",
        "12",
        "3.5万",
        "百分之九十",
        "上百",
        "两",
        "十余",
        "至",
        "余",
        "件",
        "次",
        "人次",
        "%",
        "率",
        "2024年",
        "1月2日",
        "办结率",
        "合格率",
        "讲座",
        "同比",
        "下降",
        "持平",
        "镇",
        "街道",
        "人民政府",
        "党委",
        "皇冠足球",
        "索引号",
        "关于",
        "报告",
        "\u{2002}",
        "０",
        "９",
        "亿",
        "万",
        "余家镇",
        " ",
        "现将",
        "今年以来",
    ]);
    prop_oneof![
        prop::collection::vec(pieces, 0..400).prop_map(|v| v.concat()),
        any::<String>(),
    ]
}

proptest! {
    // Fixed number of cases: CI time stays small.
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_panic_and_bounded_output(text in adversarial()) {
        let r = analyze_text("p.txt", &text);
        assert_bounded(&r);
        for f in &r.figures {
            prop_assert!(f.start < f.end && f.end <= text.chars().count());
            if let Some(p) = f.part_of {
                prop_assert!(p < r.figures.len());
            }
        }
        // Bounded by the caps: a fixed allowance plus a small multiple of the text.
        prop_assert!(json_len(&r) <= 64 * 1024 + 64 * text.len());
    }

    #[test]
    fn no_panic_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        for name in ["a.txt", "a.html", "a.docx"] {
            if let Ok(r) = analyze_bytes(name, &bytes) {
                assert_bounded(&r);
            }
        }
    }
}

#[test]
fn a_long_run_of_digits_before_a_bracket_is_no_heading_and_no_overflow() {
    // Found by the property test below: the heading number overflowed u32.
    let text = format!("{}（\n（（（（\n", "1290".repeat(8));
    let r = analyze_text("t.txt", &text);
    assert_bounded(&r);
    let text = format!("（{}）标题\n{}、标题\n", "9".repeat(30), "9".repeat(30));
    assert_bounded(&analyze_text("t.txt", &text));
}
