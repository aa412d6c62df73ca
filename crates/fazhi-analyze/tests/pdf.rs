//! PDF reports (issue 20, point 5): the text layer read, a scan without text refused
//! with a clear error, and decompression bounded. The PDFs are built here with lopdf,
//! from sentences written for the test, the way Chinese PDFs carry their text: a
//! Type0 font with Identity-H codes and a ToUnicode map.

use fazhi_analyze::{Error, analyze_bytes, pdf};
use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, StringFormat, dictionary};

/// One piece of text shown at (x, y) on a page.
struct Run<'a> {
    x: i64,
    y: i64,
    text: &'a str,
}

/// A PDF of `pages`, each a list of runs, with one CJK font; compressed when asked.
fn build(pages: &[Vec<Run>], compress: bool) -> Vec<u8> {
    let mut chars: Vec<char> = Vec::new();
    for r in pages.iter().flatten() {
        for c in r.text.chars() {
            if !chars.contains(&c) {
                chars.push(c);
            }
        }
    }
    let cid = |c: char| chars.iter().position(|&x| x == c).unwrap() as u16 + 1;
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for block in chars.chunks(100) {
        cmap.push_str(&format!("{} beginbfchar\n", block.len()));
        for &c in block {
            let mut units = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            cmap.push_str(&format!("<{:04X}> <{hex}>\n", cid(c)));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");

    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap.into_bytes()));
    let cid_font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => "SimSun",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"),
            "Supplement" => 0,
        },
    });
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => "SimSun",
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![cid_font.into()],
        "ToUnicode" => to_unicode,
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids = Vec::new();
    for page in pages {
        let mut ops = Vec::new();
        for r in page {
            let codes: Vec<u8> = r.text.chars().flat_map(|c| cid(c).to_be_bytes()).collect();
            ops.push(Operation::new("BT", vec![]));
            ops.push(Operation::new("Tf", vec!["F1".into(), 12.into()]));
            ops.push(Operation::new(
                "Tm",
                vec![
                    1.into(),
                    0.into(),
                    0.into(),
                    1.into(),
                    r.x.into(),
                    r.y.into(),
                ],
            ));
            ops.push(Operation::new(
                "Tj",
                vec![Object::String(codes, StringFormat::Hexadecimal)],
            ));
            ops.push(Operation::new("ET", vec![]));
        }
        // A drawn line, as scans and forms have: no text.
        ops.push(Operation::new("m", vec![0.into(), 0.into()]));
        ops.push(Operation::new("l", vec![100.into(), 100.into()]));
        ops.push(Operation::new("S", vec![]));
        let content = doc.add_object(Stream::new(
            dictionary! {},
            Content { operations: ops }.encode().unwrap(),
        ));
        kids.push(
            doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "Contents" => content,
            })
            .into(),
        );
    }
    let n = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => n,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    if compress {
        doc.compress();
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn report_pages() -> Vec<Vec<Run<'static>>> {
    vec![
        vec![
            Run {
                x: 200,
                y: 800,
                text: "横店镇人民政府",
            },
            Run {
                x: 120,
                y: 770,
                text: "关于2024年法治政府建设情况的报告",
            },
            Run {
                x: 72,
                y: 730,
                text: "一、主要举措和成效",
            },
            // One line shown in two pieces (two fonts runs, as Word writes them).
            Run {
                x: 72,
                y: 700,
                text: "全年开展普法宣传活动32场，",
            },
            Run {
                x: 250,
                y: 700,
                text: "发放宣传资料3000余份。",
            },
            Run {
                x: 72,
                y: 670,
                text: "二、存在的不足和原因",
            },
        ],
        vec![
            Run {
                x: 72,
                y: 800,
                text: "执法力量不足。",
            },
            Run {
                x: 72,
                y: 770,
                text: "三、下一步工作安排",
            },
            Run {
                x: 72,
                y: 740,
                text: "聘请法律顾问2名，审查合同28份。",
            },
        ],
    ]
}

#[test]
fn the_text_layer_is_read_line_by_line() {
    for compress in [false, true] {
        let bytes = build(&report_pages(), compress);
        let text = pdf::pdf_to_text(&bytes).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "横店镇人民政府",
                "关于2024年法治政府建设情况的报告",
                "一、主要举措和成效",
                "全年开展普法宣传活动32场，发放宣传资料3000余份。",
                "二、存在的不足和原因",
                "执法力量不足。",
                "三、下一步工作安排",
                "聘请法律顾问2名，审查合同28份。",
            ],
            "compressed: {compress}"
        );
    }
}

#[test]
fn a_pdf_report_is_analysed_like_text() {
    let bytes = build(&report_pages(), true);
    let r = analyze_bytes("report.pdf", &bytes).unwrap();
    assert_eq!(r.issuer.as_deref(), Some("横店镇"));
    assert_eq!(r.issuer_code.as_deref(), Some("330783123"));
    assert_eq!(r.year, Some(2024));
    let figs: Vec<(&str, Option<&str>)> = r
        .figures
        .iter()
        .map(|f| (f.text.as_str(), f.indicator))
        .collect();
    assert_eq!(
        figs,
        [
            ("32场", Some("publicity_events")),
            ("3000余份", Some("publicity_materials")),
            ("2名", Some("legal_advisers_staff")),
            ("28份", Some("legal_reviews")),
        ]
    );
    // Told by its first bytes too, whatever the name.
    let r = analyze_bytes("report", &bytes).unwrap();
    assert_eq!(r.issuer.as_deref(), Some("横店镇"));
}

#[test]
fn a_scan_without_text_is_refused_with_a_clear_error() {
    let bytes = build(&[vec![], vec![]], true);
    let err = analyze_bytes("scan.pdf", &bytes).unwrap_err();
    assert!(matches!(err, Error::NoText), "{err:?}");
    assert!(err.to_string().contains("no text layer"), "{err}");
    // A page number alone is no text layer either.
    let bytes = build(
        &[vec![Run {
            x: 300,
            y: 40,
            text: "第1页",
        }]],
        false,
    );
    assert!(matches!(
        analyze_bytes("scan.pdf", &bytes),
        Err(Error::NoText)
    ));
}

#[test]
fn content_is_bounded_after_decompression() {
    // 3 MB of text compresses to a few kilobytes.
    let long = "法".repeat(1 << 20);
    let pages = vec![vec![Run {
        x: 72,
        y: 800,
        text: &long,
    }]];
    let bytes = build(&pages, true);
    assert!(bytes.len() < 200_000, "{}", bytes.len());
    assert!(matches!(
        pdf::pdf_to_text_within(&bytes, 1 << 20),
        Err(Error::TooLarge(_))
    ));
    // The same file within a larger bound reads.
    let text = pdf::pdf_to_text_within(&bytes, 8 << 20).unwrap();
    assert_eq!(text.trim_end().chars().count(), 1 << 20);
    // Many pages count together: 4 pages of 400 KB exceed 1 MB.
    let part = "法".repeat(130_000);
    let pages: Vec<Vec<Run>> = (0..4)
        .map(|_| {
            vec![Run {
                x: 72,
                y: 800,
                text: &part,
            }]
        })
        .collect();
    let bytes = build(&pages, true);
    assert!(matches!(
        pdf::pdf_to_text_within(&bytes, 1 << 20),
        Err(Error::TooLarge(_))
    ));
}

#[test]
fn broken_files_are_errors_not_panics() {
    for bytes in [
        &b"%PDF-1.4"[..],
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        b"not a pdf at all",
    ] {
        let r = analyze_bytes("x.pdf", bytes);
        assert!(r.is_err(), "{:?}", r.map(|r| r.figures.len()));
    }
    let mut bytes = build(&report_pages(), true);
    let cut = bytes.len() / 2;
    bytes.truncate(cut);
    let _ = analyze_bytes("cut.pdf", &bytes);
}

#[test]
fn damaged_copies_never_panic() {
    let good = build(&report_pages(), true);
    let plain = build(&report_pages(), false);
    // A fixed pseudo-random walk: each copy has a few bytes overwritten or is cut.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..400 {
        let mut b = if round % 2 == 0 {
            good.clone()
        } else {
            plain.clone()
        };
        for _ in 0..1 + next() % 8 {
            let at = (next() % b.len() as u64) as usize;
            b[at] = next() as u8;
        }
        if round % 5 == 0 {
            let cut = (next() % b.len() as u64) as usize;
            b.truncate(cut);
        }
        let _ = pdf::pdf_to_text(&b);
    }
}

#[test]
fn a_long_page_is_parsed_in_pieces_without_losing_text() {
    // 20,000 lines of one page: over a megabyte of content, parsed piece by piece.
    let texts: Vec<String> = (0..20_000)
        .map(|i| format!("第{i}行开展普法宣传"))
        .collect();
    let page: Vec<Run> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| Run {
            x: 72,
            y: 800 - i as i64,
            text: t,
        })
        .collect();
    let bytes = build(&[page], true);
    let text = pdf::pdf_to_text(&bytes).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 20_000);
    assert!(lines.iter().zip(&texts).all(|(a, b)| a == b));
}
