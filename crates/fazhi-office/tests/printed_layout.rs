//! The 公文 layout as printed (docs/PRINTING.md). Each DOCX the crate makes is
//! converted to PDF by LibreOffice (`soffice --headless --convert-to pdf`) and read
//! back with `pdftotext -layout`, and the GB/T 9704 grid is checked on that text:
//! 28 characters per full body line (±1), 22 lines on a full page, a "— n —" page
//! number on every page (odd pages right, even pages left).
//!
//! The XML-level tests in `src/` cannot catch a layout that Word and LibreOffice
//! read differently; this one renders it. Skipped with a message where `soffice`,
//! `pdftotext` or a Chinese font is missing, unless `FAZHI_REQUIRE_OFFICE=1` (set
//! by `.ci/run`), where that is a failure. `FAZHI_PRINT_OUT=dir` keeps the DOCX,
//! PDF and text of each document there.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fazhi_core::calendar::Calendar;
use fazhi_office::{enforcement, mediation, notice};
use time::macros::date;

/// Characters per full line and lines per page (GB/T 9704, rules.md §8).
const CHARS: usize = 28;
const LINES: usize = 22;
/// A first line is indented two characters.
const INDENT: usize = 2;
/// LibreOffice on a cold profile takes a few seconds; a hung one must not hang CI.
const CONVERT_LIMIT: Duration = Duration::from_secs(180);

/// Body text long enough to run over pages: plain Chinese, distinct per `seed` so
/// each filler is found once in the printed text. No final stop: callers add one
/// where the document does not.
fn filler(chars: usize, seed: usize) -> String {
    const SENTENCES: &[&str] = &[
        "村民委员会应当协助人民调解委员会做好矛盾纠纷排查化解工作",
        "双方当事人对承包地边界的位置长期存在不同认识",
        "调解员多次到现场查看并听取了周边群众的意见",
        "镇人民政府司法所对本次调解工作给予了业务指导",
        "各方同意以原始承包合同所附四至图为准重新确定界址",
        "网格员在日常走访中发现了这一纠纷并及时上报",
        "双方均表示愿意在人民调解委员会主持下协商解决",
    ];
    let mut s = String::new();
    let mut i = seed;
    while s.chars().count() < chars {
        if !s.is_empty() {
            s.push('，');
        }
        s += SENTENCES[i % SENTENCES.len()];
        i += 1;
    }
    s
}

/// A stretch of body text whose lines the check measures; `starts_paragraph` when
/// it begins its paragraph, so its first line is indented.
struct Filler {
    text: String,
    starts_paragraph: bool,
}

fn which(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// `soffice` and `pdftotext` on PATH and a Chinese font for LibreOffice, or the
/// reason they are not there.
fn missing_tools() -> Option<String> {
    for tool in ["soffice", "pdftotext", "fc-list"] {
        if which(tool).is_none() {
            return Some(format!("`{tool}` is not on PATH"));
        }
    }
    let fonts = Command::new("fc-list")
        .args([":lang=zh", "family"])
        .output();
    match fonts {
        Ok(o) if !o.stdout.trim_ascii().is_empty() => None,
        _ => Some("no Chinese font (fc-list :lang=zh is empty)".into()),
    }
}

/// Whether to go on: false (with a message) where the tools are missing, a
/// failure instead where FAZHI_REQUIRE_OFFICE=1.
fn tools_present(test: &str) -> bool {
    let Some(why) = missing_tools() else {
        return true;
    };
    if std::env::var("FAZHI_REQUIRE_OFFICE").as_deref() == Ok("1") {
        panic!("{test}: {why}, and FAZHI_REQUIRE_OFFICE=1 requires the printed-layout check");
    }
    // Straight to stderr: the harness swallows eprintln! of a passing test, and a
    // skip must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "{test}: SKIPPED: {why}. Install Debian's libreoffice-writer-nogui poppler-utils \
         fonts-noto-cjk to check the printed layout (FAZHI_REQUIRE_OFFICE=1 makes this a failure)."
    );
    false
}

/// Runs a command with its output in files under `dir`, killing its process group
/// after `limit` (soffice starts children that outlive a plain kill).
fn run(cmd: &mut Command, dir: &Path, name: &str, limit: Duration) {
    use std::os::unix::process::CommandExt;
    let out = std::fs::File::create(dir.join(format!("{name}.out"))).unwrap();
    let err = std::fs::File::create(dir.join(format!("{name}.err"))).unwrap();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.wait();
            panic!("{name} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let log = |ext| std::fs::read_to_string(dir.join(format!("{name}.{ext}"))).unwrap_or_default();
    assert!(
        status.success(),
        "{name} failed ({status}):\n{}\n{}",
        log("out"),
        log("err")
    );
}

/// The document as LibreOffice prints it, as `pdftotext -layout` text (pages
/// separated by form feeds).
fn print(name: &str, docx: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("fazhi-print-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join(format!("{name}.docx"));
    std::fs::write(&input, docx).unwrap();
    // A private profile per run: two soffice processes sharing one profile clash
    // (the second hands its work to the first or fails on the lock).
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    run(
        Command::new("soffice")
            .arg(&profile)
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
            ])
            .arg(&dir)
            .arg(&input),
        &dir,
        "soffice",
        CONVERT_LIMIT,
    );
    let pdf = dir.join(format!("{name}.pdf"));
    assert!(pdf.is_file(), "soffice wrote no PDF for {name}");
    let txt = dir.join(format!("{name}.txt"));
    run(
        Command::new("pdftotext").arg("-layout").arg(&pdf).arg(&txt),
        &dir,
        "pdftotext",
        Duration::from_secs(60),
    );
    let text = std::fs::read_to_string(&txt).unwrap();
    if let Some(keep) = std::env::var_os("FAZHI_PRINT_OUT") {
        let keep = Path::new(&keep);
        std::fs::create_dir_all(keep).unwrap();
        for f in [&input, &pdf, &txt] {
            std::fs::copy(f, keep.join(f.file_name().unwrap())).unwrap();
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    text
}

/// Width in characters: Chinese characters count one, ASCII half.
fn width(s: &str) -> usize {
    let halves: usize = s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    halves.div_ceil(2)
}

/// A line without the spaces pdftotext puts between spaced-out characters.
fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// One printed body line: page (from 1), text, and its byte range in the
/// document's body text with spaces removed.
struct Line {
    page: usize,
    text: String,
    range: std::ops::Range<usize>,
}

/// Checks what every printed document must have: the title first and set solid, a
/// "— n —" page number ending every page on its side, no page over 22 lines.
/// Returns the pages and their body rows (page number removed).
fn check_pages<'t>(name: &str, text: &'t str) -> Vec<(&'t str, Vec<&'t str>)> {
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    // The title (the document's name) comes first, set solid: on the character grid
    // its 22 pt characters took two cells each, which pdftotext prints spaced out.
    let title = pages
        .first()
        .and_then(|p| p.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or_default()
        .trim();
    assert_eq!(title, name, "{name}: the title is not set solid:\n{text}");
    let mut out = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let n = i + 1;
        let rows: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
        // The page number is the page's last line, in the "— n —" form.
        let (number, rows) = rows
            .split_last()
            .unwrap_or_else(|| panic!("{name}: page {n} is empty"));
        assert_eq!(
            compact(number),
            format!("—{n}—"),
            "{name}: page {n} does not end with its page number “— {n} —”:\n{page}"
        );
        // Odd pages right, even pages left: the number starts right or left of the
        // middle of the widest line.
        let lead = number.chars().take_while(|c| c.is_whitespace()).count();
        let widest = rows.iter().map(|r| r.chars().count()).max().unwrap_or(0);
        assert_eq!(
            2 * lead > widest,
            n % 2 == 1,
            "{name}: page number {n} on the wrong side (starts at column {lead} of {widest}):\n{page}"
        );
        assert!(
            rows.len() <= LINES,
            "{name}: page {n} has {} lines, more than {LINES}:\n{page}",
            rows.len()
        );
        out.push((*page, rows.to_vec()));
    }
    out
}

/// Checks the printed text of a document against the grid and returns a summary
/// of what it measured.
fn check_grid(name: &str, text: &str, fillers: &[Filler]) -> String {
    let checked = check_pages(name, text);
    let pages: Vec<&str> = checked.iter().map(|(p, _)| *p).collect();
    let mut body = String::new();
    let mut lines = Vec::new();
    for (i, (_, rows)) in checked.iter().enumerate() {
        let n = i + 1;
        for row in rows {
            let t = compact(row);
            let start = body.len();
            body += &t;
            lines.push(Line {
                page: n,
                text: t,
                range: start..body.len(),
            });
        }
    }

    // Full lines: inside a filler, neither the first nor the last line of their
    // paragraph. First lines of fillers that start a paragraph lose the indent.
    let mut full = Vec::new();
    let mut first = Vec::new();
    let mut spans = Vec::new();
    for f in fillers {
        let at = body.find(&f.text).unwrap_or_else(|| {
            panic!(
                "{name}: the body text “{}…” is not in the printed text:\n{text}",
                f.text.chars().take(12).collect::<String>()
            )
        });
        let span = at..at + f.text.len();
        for l in &lines {
            if l.range.end >= span.end {
                continue;
            }
            if l.range.start > span.start {
                full.push(l);
            } else if l.range.start == span.start && f.starts_paragraph {
                first.push(l);
            }
        }
        spans.push(span);
    }
    let bad: Vec<String> = full
        .iter()
        .filter(|l| width(&l.text).abs_diff(CHARS) > 1)
        .chain(
            first
                .iter()
                .filter(|l| width(&l.text).abs_diff(CHARS - INDENT) > 1),
        )
        .map(|l| format!("page {}: {} chars: {}", l.page, width(&l.text), l.text))
        .collect();
    assert!(
        bad.is_empty(),
        "{name}: full body lines must have {CHARS} characters (±1), first lines {} (±1):\n{}\n\nprinted:\n{text}",
        CHARS - INDENT,
        bad.join("\n")
    );
    assert!(
        full.len() >= LINES,
        "{name}: only {} full body lines to measure:\n{text}",
        full.len()
    );

    // A full page: every line of it is body text of the fillers.
    let mut full_pages = Vec::new();
    for n in 1..=pages.len() {
        let on_page: Vec<&Line> = lines.iter().filter(|l| l.page == n).collect();
        let all_body = on_page.iter().all(|l| {
            spans
                .iter()
                .any(|s| s.start <= l.range.start && l.range.end <= s.end)
        });
        if all_body && n < pages.len() {
            assert_eq!(
                on_page.len(),
                LINES,
                "{name}: full page {n} has {} lines, not {LINES}:\n{}",
                on_page.len(),
                pages[n - 1]
            );
            full_pages.push(n);
        }
    }
    assert!(
        !full_pages.is_empty(),
        "{name}: no full page of body text to count lines on:\n{text}"
    );

    let widths = |ls: &[&Line]| {
        let w: Vec<usize> = ls.iter().map(|l| width(&l.text)).collect();
        format!(
            "{}–{}",
            w.iter().min().unwrap_or(&0),
            w.iter().max().unwrap_or(&0)
        )
    };
    let firsts = if first.is_empty() {
        String::new()
    } else {
        format!(
            ", {} indented first lines of {} chars",
            first.len(),
            widths(&first)
        )
    };
    format!(
        "{name}: {} pages; {} full lines of {} chars{firsts}; full pages {:?} of {LINES} lines; page numbers — 1 — to — {} —",
        pages.len(),
        full.len(),
        widths(&full),
        full_pages,
        pages.len()
    )
}

/// What was measured, for the CI log (stderr directly: the harness keeps a passing
/// test's output to itself).
fn report(summary: &str) {
    let _ = writeln!(std::io::stderr(), "printed layout: {summary}");
}

#[test]
fn mediation_agreement_prints_on_the_grid() {
    let test = "mediation_agreement_prints_on_the_grid";
    if !tools_present(test) {
        return;
    }
    let cal = Calendar::builtin();
    let on = date!(2026 - 01 - 20);
    // Facts and terms long enough for a full second page; the rest as the law asks.
    let facts = [filler(700, 0) + "。", filler(420, 3) + "。"];
    let terms = filler(200, 5);
    let a = mediation::Agreement {
        committee: "青石镇人民调解委员会".into(),
        number: "青调〔2026〕3号".into(),
        parties: vec![
            mediation::AgreementParty {
                role: "申请人".into(),
                name: "张三".into(),
                sex: Some("男".into()),
                age: Some(46),
                id_number: Some("51010519800101123X".into()),
                address: Some("青石镇石桥村3组".into()),
                phone: Some("13812345678".into()),
                principal: true,
            },
            mediation::AgreementParty {
                role: "被申请人".into(),
                name: "李四".into(),
                principal: true,
                ..Default::default()
            },
        ],
        facts: facts.join("\n"),
        responsibilities: Some("李四负主要责任。".into()),
        terms: format!("{terms}\n李四赔偿张三损失500元"),
        performance: "2026年1月31日前一次性付清。".into(),
        mediator: "王五".into(),
        date: on,
        confirmation_due: mediation::confirmation_due(on, &cal),
    };
    let text = print("mediation", &mediation::write(&a).unwrap());
    let fillers = [
        Filler {
            text: facts[0].clone(),
            starts_paragraph: true,
        },
        Filler {
            text: facts[1].clone(),
            starts_paragraph: true,
        },
        // A numbered term ("1．…"): the filler starts after the number.
        Filler {
            text: terms,
            starts_paragraph: false,
        },
    ];
    report(&check_grid("人民调解协议书", &text, &fillers));
}

#[test]
fn acceptance_notice_prints_on_the_grid() {
    let test = "acceptance_notice_prints_on_the_grid";
    if !tools_present(test) {
        return;
    }
    // The summary sits inside a sentence: its lines are full lines, none a first.
    let summary = filler(1100, 1);
    let n = notice::AcceptanceNotice {
        issuer: "青石镇人民政府".into(),
        petitioner: "张三".into(),
        tracking_code: "23456789AC".into(),
        received_on: date!(2026 - 03 - 02),
        channel: "来访".into(),
        summary: summary.clone(),
        decision: notice::Decision::Accepted {
            on: date!(2026 - 03 - 05),
            period: "60日".into(),
            due: date!(2026 - 05 - 06),
            max_extension_days: Some(30),
        },
        date: date!(2026 - 03 - 05),
    };
    let text = print("notice", &notice::write(&n).unwrap());
    let fillers = [Filler {
        text: summary,
        starts_paragraph: false,
    }];
    report(&check_grid("信访事项受理告知书", &text, &fillers));
}

/// An ordinary case walked to 归档, as stored (JSON), with `facts` as its facts.
fn enforcement_case(facts: &str, simple: bool) -> enforcement::CaseFile {
    let penalty = serde_json::json!({"kinds": ["fine"], "fine_fen": 1_500_000});
    let mut state = serde_json::json!({
        "procedure": "ordinary", "status": "archived",
        "item": {"id": 1, "version": 1, "code": "330217001000", "name": "对擅自占用城市道路的处罚",
            "source": "empowered", "deciding_document": "省政府赋权决定",
            "legal_basis": "《城市道路管理条例》第二十七条", "penalty_basis": "《城市道路管理条例》第四十二条",
            "penalty_kinds": ["warning", "fine"], "fine_min_fen": 0, "fine_max_fen": 2_000_000,
            "hearing_right": true, "review_catalogue": true},
        "party": {"kind": "organisation", "name": "某某建材有限公司", "address": "青石镇主街8号"},
        "facts": facts, "act_on": "2026-01-05", "discovered_on": "2026-01-06",
        "opened_on": "2026-01-06", "officers": [11, 12],
        "evidence": [{"on": "2026-01-07", "kind": "inspection", "description": "现场检查并拍照", "officers": [11, 12]}],
        "notice": {"on": "2026-01-08", "penalty": penalty, "grade": "ordinary", "hearing_right": true,
            "defence_due": "2026-01-13", "hearing_request_due": "2026-01-15"},
        "defence": {"on": "2026-01-09", "waived": false, "summary": "材料已清理"},
        "hearing": {"requested_on": "2026-01-12", "notified_on": "2026-01-13", "scheduled_on": "2026-01-23",
            "held_on": "2026-01-23", "transcript": "当事人承认事实"},
        "reviews": [{"submitted_on": "2026-01-26", "reviewed_on": "2026-01-27", "opinion": "approved",
            "note": "事实清楚，证据充分。", "reviewer": 13}],
        "decision": {"on": "2026-01-28", "outcome": "penalty", "penalty": penalty, "grade": "ordinary",
            "reasons": "占道时间较长", "service_due": "2026-02-06"},
        "service": {"on": "2026-01-29", "method": "direct", "payment_due": "2026-02-13"},
        "payments": [{"on": "2026-02-10", "amount_fen": 1_500_000}],
        "closed_on": "2026-02-11", "archived_on": "2026-02-12"
    });
    let mut number = "青石执罚〔2026〕7号";
    if simple {
        state["procedure"] = "simple".into();
        state["decision"]["collected_on_spot"] = false.into();
        number = "青石当罚〔2026〕3号";
    }
    let people = [
        (11, "张执法", Some("Z-0001")),
        (12, "李执法", Some("Z-0002")),
        (13, "王审核", None),
    ]
    .into_iter()
    .map(|(id, name, number)| {
        (
            id,
            enforcement::Person {
                name: name.into(),
                number: number.map(str::to_string),
            },
        )
    })
    .collect();
    enforcement::CaseFile {
        number: number.into(),
        agency: "青石镇人民政府".into(),
        seal: "青石镇人民政府".into(),
        review_body: "某某区人民政府".into(),
        place: "青石镇石桥村".into(),
        state: serde_json::from_value(state).unwrap(),
        people,
        rules: Default::default(),
        today: date!(2026 - 02 - 12),
    }
}

/// Each enforcement document as printed: those with body text on the grid (the
/// case's facts, long enough for full pages), the forms (送达回证, the cover with its
/// index) for title, page numbers and lines per page.
#[test]
fn enforcement_documents_print_on_the_grid() {
    use enforcement::DocKind;
    let test = "enforcement_documents_print_on_the_grid";
    if !tools_present(test) {
        return;
    }
    let facts = filler(1300, 2);
    let ordinary = enforcement_case(&facts, false);
    let simple = enforcement_case(&facts, true);
    // The 笔录 run over pages with their own text: the record's, the transcript.
    let record = filler(1300, 5);
    let mut records = ordinary.clone();
    records.state.evidence = ["inquiry", "inspection"]
        .into_iter()
        .map(|kind| {
            serde_json::from_value(serde_json::json!({"on": "2026-01-07", "kind": kind,
                "description": record, "officers": [11, 12]}))
            .unwrap()
        })
        .collect();
    if let Some(h) = &mut records.state.hearing {
        h.transcript = record.clone();
    }
    let mut no_penalty = ordinary.clone();
    no_penalty.state.decision = Some(
        serde_json::from_value(
            serde_json::json!({"on": "2026-01-28", "outcome": "no_penalty",
            "reasons": "违法行为轻微并及时改正", "service_due": "2026-02-06"}),
        )
        .unwrap(),
    );
    for (kind, f, title, own_paragraph, body) in [
        (DocKind::Filing, &ordinary, "立案审批表", Some(true), &facts),
        (DocKind::Inquiry, &records, "询问笔录", Some(true), &record),
        (
            DocKind::Inspection,
            &records,
            "现场检查（勘验）笔录",
            Some(true),
            &record,
        ),
        (
            DocKind::HearingRecord,
            &records,
            "听证笔录",
            Some(true),
            &record,
        ),
        (
            DocKind::Notice,
            &ordinary,
            "行政处罚事先告知书",
            Some(false),
            &facts,
        ),
        (
            DocKind::HearingNotice,
            &ordinary,
            "听证通知书",
            Some(false),
            &facts,
        ),
        (
            DocKind::ReviewOpinion,
            &ordinary,
            "法制审核意见书",
            Some(true),
            &facts,
        ),
        (
            DocKind::Decision,
            &ordinary,
            "行政处罚决定书",
            Some(false),
            &facts,
        ),
        (
            DocKind::NoPenalty,
            &no_penalty,
            "不予行政处罚决定书",
            Some(false),
            &facts,
        ),
        (
            DocKind::Closing,
            &ordinary,
            "结案审批表",
            Some(true),
            &facts,
        ),
        (
            DocKind::OnSpot,
            &simple,
            "当场处罚决定书",
            Some(false),
            &facts,
        ),
        (DocKind::ServiceReceipt, &ordinary, "送达回证", None, &facts),
        (DocKind::Cover, &ordinary, "行政处罚案卷", None, &facts),
    ] {
        let text = print(kind.slug(), &kind.write(f).unwrap());
        match own_paragraph {
            Some(starts_paragraph) => {
                let fillers = [Filler {
                    text: body.clone(),
                    starts_paragraph,
                }];
                report(&check_grid(title, &text, &fillers));
            }
            None => {
                let pages = check_pages(title, &text);
                report(&format!(
                    "{title}: {} pages; page numbers — 1 — to — {} —",
                    pages.len(),
                    pages.len()
                ));
            }
        }
    }
}

#[test]
fn annual_report_draft_prints_on_the_grid() {
    let test = "annual_report_draft_prints_on_the_grid";
    if !tools_present(test) {
        return;
    }
    use fazhi_core::report::{Draft, Para, Section};
    // Two long paragraphs, each its own: every line but the last of each is full.
    let (a, b) = (filler(1900, 2), filler(700, 4));
    let d = Draft {
        township: "青石镇".into(),
        year: 2026,
        title: "青石镇人民政府关于2026年度法治政府建设情况的报告".into(),
        sections: vec![
            Section {
                part: None,
                title: "一、推进法治政府建设的主要举措和成效".into(),
                paragraphs: vec![Para::new().t(format!("{a}。")).done()],
            },
            Section {
                part: None,
                title: "二、党政主要负责人履行推进法治建设第一责任人职责情况".into(),
                paragraphs: vec![Para::new().t(format!("{b}。")).done()],
            },
        ],
    };
    let bytes = fazhi_office::annual::docx(&d, "青石镇人民政府", date!(2027 - 01 - 15)).unwrap();
    let text = print("annual", &bytes);
    let fillers = [
        Filler {
            text: a,
            starts_paragraph: true,
        },
        Filler {
            text: b,
            starts_paragraph: true,
        },
    ];
    // The title's first line is the issuer; the check reads the first line.
    report(&check_grid("青石镇人民政府", &text, &fillers));
}

#[test]
fn decision_documents_print_on_the_grid() {
    let test = "decision_documents_print_on_the_grid";
    if !tools_present(test) {
        return;
    }
    use fazhi_office::decisions as d;
    let issuer = "青石镇人民政府".to_string();
    let reasons = filler(1900, 3);
    let bytes = d::review_opinion(&d::ReviewOpinionDoc {
        issuer: issuer.clone(),
        title: "村道养护服务合同".into(),
        kind_label: "合同".into(),
        drafting_unit: "党政办公室".into(),
        submitted_on: date!(2026 - 03 - 02),
        materials: "合同文本、招标文件".into(),
        opinion_label: "修改后合法".into(),
        reasons: format!("{reasons}。"),
        reviewer: "法制审核员 孙静".into(),
        reviewed_on: date!(2026 - 03 - 06),
    })
    .unwrap();
    let text = print("review_opinion", &bytes);
    let fillers = [Filler {
        text: reasons,
        starts_paragraph: true,
    }];
    report(&check_grid("合法性审查意见书", &text, &fillers));

    let body = filler(1900, 5);
    let bytes = d::normative_document(&d::NormativeDoc {
        issuer: issuer.clone(),
        number: "青石府规〔2026〕1号".into(),
        title: "青石镇农村建房管理办法".into(),
        text: format!("{body}。"),
        issued_on: date!(2026 - 03 - 02),
        effective_on: Some(date!(2026 - 04 - 01)),
        expires_on: Some(date!(2031 - 03 - 31)),
    })
    .unwrap();
    let text = print("normative", &bytes);
    let fillers = [Filler {
        text: body,
        starts_paragraph: true,
    }];
    report(&check_grid("青石镇农村建房管理办法", &text, &fillers));

    let decided = filler(1900, 6);
    let bytes = d::decision_notice(&d::DecisionNoticeDoc {
        issuer: issuer.clone(),
        decision_title: "集镇停车方案".into(),
        text: format!("{decided}。"),
        discussed_on: date!(2026 - 05 - 06),
        published_on: date!(2026 - 05 - 20),
    })
    .unwrap();
    let text = print("decision_notice", &bytes);
    let fillers = [Filler {
        text: decided,
        starts_paragraph: true,
    }];
    report(&check_grid(
        "关于公布《集镇停车方案》的公告",
        &text,
        &fillers,
    ));

    let explanation = filler(1900, 2);
    let bytes = d::consultation_notice(&d::ConsultationNoticeDoc {
        issuer,
        decision_title: "集镇停车方案".into(),
        draft: "第一条 集镇主街实行分时段停车。".into(),
        explanation: format!("{explanation}。"),
        published_on: date!(2026 - 03 - 02),
        closes_on: date!(2026 - 04 - 01),
        shorter_reason: String::new(),
        hearing: None,
    })
    .unwrap();
    let text = print("consultation_notice", &bytes);
    let fillers = [Filler {
        text: explanation,
        starts_paragraph: true,
    }];
    report(&check_grid("关于公开征求《集镇停车方案》", &text, &fillers));
}
