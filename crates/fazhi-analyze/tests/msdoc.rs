//! Word 97–2003 (.doc) and WPS (.wps) reports (issue 20, point 5). The files are built
//! here with the `cfb` crate, laid out as [MS-DOC] describes (a FIB, a piece table in
//! the 1Table stream, UTF-16 and 8-bit pieces), from sentences written for the test.

use fazhi_analyze::{Error, analyze_bytes, msdoc};
use std::io::Write;

/// A .doc holding `pieces`: (text, compressed) in order; `\r` ends a paragraph. The
/// first `main` pieces are the main document (the FIB's ccpText), the rest stand for
/// headers and footnotes.
fn build(pieces: &[(&str, bool)], main: usize) -> Vec<u8> {
    const TEXT_AT: usize = 0x800;
    let mut word = vec![0u8; TEXT_AT];
    // FIB: wIdent, nFib, flags with fWhichTblStm (use 1Table).
    word[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes());
    word[2..4].copy_from_slice(&0x00C1u16.to_le_bytes());
    word[0x0A..0x0C].copy_from_slice(&0x0200u16.to_le_bytes());
    let csw = 14usize;
    word[32..34].copy_from_slice(&(csw as u16).to_le_bytes());
    let cslw_at = 34 + csw * 2;
    let cslw = 22usize;
    word[cslw_at..cslw_at + 2].copy_from_slice(&(cslw as u16).to_le_bytes());
    let rg_lw = cslw_at + 2;
    let rg_fc_count_at = rg_lw + cslw * 4;
    word[rg_fc_count_at..rg_fc_count_at + 2].copy_from_slice(&93u16.to_le_bytes());
    let rg_fc = rg_fc_count_at + 2;

    // The text, piece by piece, and the piece table.
    let mut cps = vec![0u32];
    let mut pcds: Vec<u8> = Vec::new();
    for (text, compressed) in pieces {
        let at = word.len();
        let n = text.chars().count() as u32;
        let fc = if *compressed {
            word.extend(text.chars().map(|c| c as u8));
            (at as u32 * 2) | 0x4000_0000
        } else {
            word.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
            at as u32
        };
        cps.push(cps.last().unwrap() + n);
        pcds.extend([0, 0]);
        pcds.extend(fc.to_le_bytes());
        pcds.extend([0, 0]);
    }
    let ccp_text = cps[main];
    word[rg_lw + 12..rg_lw + 16].copy_from_slice(&ccp_text.to_le_bytes());
    let mut plc: Vec<u8> = cps.iter().flat_map(|c| c.to_le_bytes()).collect();
    plc.extend(pcds);
    // A Prc (formatting) entry first, as Word writes, then the Pcdt.
    let mut clx = vec![0x01, 2, 0, 0xAA, 0xBB, 0x02];
    clx.extend((plc.len() as u32).to_le_bytes());
    clx.extend(plc);
    let mut table = vec![0u8; 16];
    let fc_clx = table.len() as u32;
    table.extend(&clx);
    word[rg_fc + 33 * 8..rg_fc + 33 * 8 + 4].copy_from_slice(&fc_clx.to_le_bytes());
    word[rg_fc + 33 * 8 + 4..rg_fc + 33 * 8 + 8].copy_from_slice(&(clx.len() as u32).to_le_bytes());

    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    file.create_stream("/WordDocument")
        .unwrap()
        .write_all(&word)
        .unwrap();
    file.create_stream("/1Table")
        .unwrap()
        .write_all(&table)
        .unwrap();
    file.flush().unwrap();
    file.into_inner().into_inner()
}

const TITLE: &str = "横店镇人民政府\r关于2024年法治政府建设情况的报告\r";
const BODY: &str = "一、主要举措和成效\r全年开展普法宣传活动32场，\u{13} PAGE \u{14}\u{15}发放宣传资料3000余份。\r\
    二、存在的不足和原因\r执法力量不足。\r三、下一步工作安排\r聘请法律顾问2名。\r";

#[test]
fn a_doc_report_is_read_through_its_piece_table() {
    // The title in UTF-16, a Latin note in an 8-bit piece, the body in UTF-16.
    let bytes = build(&[(TITLE, false), ("Version 2\r", true), (BODY, false)], 3);
    assert!(msdoc::is_compound(&bytes));
    let text = msdoc::doc_to_text(&bytes).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "横店镇人民政府",
            "关于2024年法治政府建设情况的报告",
            "Version 2",
            "一、主要举措和成效",
            "全年开展普法宣传活动32场，发放宣传资料3000余份。",
            "二、存在的不足和原因",
            "执法力量不足。",
            "三、下一步工作安排",
            "聘请法律顾问2名。",
        ]
    );
    for name in ["report.doc", "report.wps", "report"] {
        let r = analyze_bytes(name, &bytes).unwrap();
        assert_eq!(r.issuer.as_deref(), Some("横店镇"), "{name}");
        assert_eq!(r.year, Some(2024), "{name}");
        let figs: Vec<&str> = r.figures.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(figs, ["32场", "3000余份", "2名"], "{name}");
    }
}

#[test]
fn only_the_main_text_is_read() {
    // Text past ccpText (headers, footnotes) is left out.
    let mut bytes = build(&[(TITLE, false), ("页眉：内部资料\r", false)], 1);
    let text = msdoc::doc_to_text(&bytes).unwrap();
    assert_eq!(text, "横店镇人民政府\n关于2024年法治政府建设情况的报告\n");
    // Damage: cut the file, and every reader error is an error, not a panic.
    bytes.truncate(bytes.len() / 2);
    assert!(analyze_bytes("cut.doc", &bytes).is_err());
    for junk in [
        &b""[..],
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 not really",
        b"plain text",
    ] {
        assert!(matches!(msdoc::doc_to_text(junk), Err(Error::Format(_))));
    }
}

#[test]
fn a_compound_file_without_a_word_stream_is_refused() {
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    file.create_stream("/Workbook")
        .unwrap()
        .write_all(b"xls")
        .unwrap();
    file.flush().unwrap();
    let bytes = file.into_inner().into_inner();
    let err = msdoc::doc_to_text(&bytes).unwrap_err();
    assert!(err.to_string().contains("no /WordDocument stream"), "{err}");
}

#[test]
fn damaged_copies_never_panic() {
    let good = build(&[(TITLE, false), ("Version 2\r", true), (BODY, false)], 3);
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..400 {
        let mut b = good.clone();
        for _ in 0..1 + next() % 8 {
            let at = (next() % b.len() as u64) as usize;
            b[at] = next() as u8;
        }
        if round % 5 == 0 {
            let cut = (next() % b.len() as u64) as usize;
            b.truncate(cut);
        }
        let _ = msdoc::doc_to_text(&b);
    }
}
