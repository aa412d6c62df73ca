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

/// A .doc and a .wps as a real word processor writes them: LibreOffice's Word 97
/// export of a text written for the test. Skipped with a message where `soffice` is
/// missing, unless `FAZHI_REQUIRE_OFFICE=1` (set by `.ci/run`).
#[test]
fn files_written_by_libreoffice_read_like_their_text() {
    use std::process::{Command, Stdio};
    let has_soffice = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .any(|d| d.join("soffice").is_file());
    if !has_soffice {
        assert_ne!(
            std::env::var("FAZHI_REQUIRE_OFFICE").as_deref(),
            Ok("1"),
            "soffice is not on PATH, and FAZHI_REQUIRE_OFFICE=1 requires it"
        );
        let _ = writeln!(
            std::io::stderr(),
            "files_written_by_libreoffice_read_like_their_text: SKIPPED: soffice is not on PATH"
        );
        return;
    }
    let dir = std::env::temp_dir().join(format!("fazhi-msdoc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text = "东阳市横店镇人民政府关于2024年法治政府建设情况的报告\n\
                一、主要举措和成效\n全年开展普法宣传活动32场，发放宣传资料3000余份，查处违法建设12起。\n\
                二、党政主要负责人履行推进法治建设第一责任人职责情况\n主要负责人带头学法4次。\n\
                三、存在的不足和原因\n基层法治力量仍显薄弱。\n四、下一年度的主要安排\n继续加强普法。\n";
    std::fs::write(dir.join("r.txt"), text).unwrap();
    for (filter, ext) in [("doc:MS Word 97", "doc"), ("wps", "wps")] {
        // A private profile: two soffice processes sharing one clash on its lock.
        let status = Command::new("timeout")
            .arg("180")
            .arg("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                dir.join("profile").display()
            ))
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                filter,
                "--outdir",
            ])
            .arg(&dir)
            .arg(dir.join("r.txt"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "soffice --convert-to {filter}: {status}");
        let bytes = std::fs::read(dir.join(format!("r.{ext}"))).unwrap();
        let r = analyze_bytes(&format!("r.{ext}"), &bytes).unwrap();
        let plain = fazhi_analyze::analyze_text("r.txt", text);
        assert_eq!(r.issuer.as_deref(), Some("横店镇"), "{ext}");
        assert_eq!(r.year, Some(2024), "{ext}");
        let read: Vec<_> = r.figures.iter().map(|f| (&f.text, f.indicator)).collect();
        let want: Vec<_> = plain
            .figures
            .iter()
            .map(|f| (&f.text, f.indicator))
            .collect();
        assert_eq!(read, want, "{ext}");
        assert_eq!(want.len(), 4);
        assert!(r.required_sections.next_year, "{ext}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
