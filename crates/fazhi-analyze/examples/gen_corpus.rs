//! Writes a synthetic corpus of township reports for the benchmarks (no real report text):
//! `cargo run --release -p fazhi-analyze --example gen_corpus -- N DIR [KB_PER_REPORT] [SEED] [--edits]`
//!
//! Each report has the four standard sections, figures of every kind, and a share of
//! paragraphs drawn from a common pool of boilerplate (with different numbers), so the
//! near-duplicate finder has real clusters to find.
//!
//! With `--edits` the boilerplate names the township that wrote it and says 我镇, and
//! six in ten uses are edited the way copiers do (the name swapped for the copier's,
//! 本镇 for 我镇, a clause added or dropped, 2–15 % of the characters changed); every
//! use is listed in `DIR/labels.tsv` (file, line, boilerplate id, edit) for
//! `dups_eval`. Without it the output is what it always was.
//!
//! `gen_corpus --seeds SEED_DIR DIR [COPIES] [SEED]` instead copies COPIES paragraphs
//! of real reports (one edit each) into synthetic reports, with the same labels: the
//! test of issue 19 (the seeds themselves are not written into DIR's copies whole).

use std::io::Write;

#[path = "common/edits.rs"]
mod edits;
use edits::{Edit, Rng};

const PLACES: &[&str] = &[
    "青石", "松林", "河口", "白沙", "枫叶", "龙泉", "金竹", "石桥", "桃源", "云峰", "新华", "长岭",
];
const KINDS: &[&str] = &["镇", "乡", "街道"];
const SUBJECTS: &[&str] = &[
    "镇党委",
    "镇政府",
    "综合行政执法大队",
    "司法所",
    "平安法治办",
    "综治中心",
    "各村（社区）",
    "法律顾问",
];
const ACTIONS: &[(&str, &str)] = &[
    ("组织中心组学法", "次"),
    ("开展法治培训", "期"),
    ("开展普法宣传活动", "场"),
    ("发放宣传资料", "份"),
    ("悬挂横幅", "条"),
    ("开展执法检查", "次"),
    ("查处违法案件", "件"),
    ("受理矛盾纠纷", "件"),
    ("化解矛盾纠纷", "起"),
    ("办理信访事项", "件"),
    ("审查合同", "份"),
    ("覆盖群众", "人次"),
    ("召开专题会议", "次"),
    ("配备执法人员", "名"),
];
const PHRASES: &[&str] = &[
    "坚持以习近平法治思想为指导",
    "全面落实法治政府建设各项任务",
    "推动依法行政水平持续提升",
    "切实维护群众合法权益",
    "不断完善矛盾纠纷多元化解机制",
    "进一步规范行政执法行为",
    "营造办事依法、遇事找法的良好氛围",
    "确保各项工作落地见效",
    "持续优化法治化营商环境",
    "夯实基层社会治理基础",
    "着力提升干部队伍法治素养",
    "形成齐抓共管的工作格局",
];
const QUALIFIERS: &[&str] = &["", "", "", "余", "不少于", "超过", "近", "约"];

fn number(rng: &mut Rng, unit: &str) -> String {
    let n = 1 + rng.below(900);
    let q = rng.pick(QUALIFIERS);
    match q {
        "余" => format!("{n}余{unit}"),
        "" => {
            if rng.below(10) == 0 {
                format!("{}.{}万{unit}", 1 + rng.below(9), rng.below(10))
            } else {
                format!("{n}{unit}")
            }
        }
        p => format!("{p}{n}{unit}"),
    }
}

fn sentence(rng: &mut Rng) -> String {
    let (a, unit) = ACTIONS[rng.below(ACTIONS.len())];
    let mut s = format!(
        "{}{}{}，{}",
        rng.pick(SUBJECTS),
        a,
        number(rng, unit),
        rng.pick(PHRASES)
    );
    if rng.below(4) == 0 {
        s.push_str(&format!("，办结率达{}%", 90 + rng.below(11)));
    }
    s.push('。');
    s
}

/// `n` words of two or three characters of common prose (with `--edits`), so that
/// paragraphs written independently share the topic's phrases but not their wording.
fn words(rng: &mut Rng, n: usize) -> String {
    let han: Vec<char> = edits::HAN.chars().collect();
    let mut s = String::new();
    for _ in 0..n {
        for _ in 0..2 + rng.below(2) {
            s.push(han[rng.below(han.len())]);
        }
    }
    s
}

/// A sentence of a township's own (with `--edits`): the topic's subjects, actions and
/// now and then a set phrase, around words of its own.
fn own_sentence(rng: &mut Rng) -> String {
    let (a, unit) = ACTIONS[rng.below(ACTIONS.len())];
    let subject = rng.pick(SUBJECTS);
    let lead = words(rng, 3);
    let num = number(rng, unit);
    let mid = words(rng, 2);
    let tail = if rng.below(3) == 0 {
        rng.pick(PHRASES).to_string()
    } else {
        words(rng, 3)
    };
    format!("{subject}{lead}{a}{num}，{mid}{tail}。")
}

fn paragraph(rng: &mut Rng, sentences: usize, diverse: bool) -> String {
    if diverse {
        return (0..sentences).map(|_| own_sentence(rng)).collect();
    }
    (0..sentences).map(|_| sentence(rng)).collect()
}

/// The township that wrote boilerplate `id` (with `--edits`).
fn origin(id: usize) -> String {
    let mut fixed = Rng(0x51_7cc1_b727_220a ^ ((id as u64 + 1) * 0x1000_0000_01b3));
    format!("{}{}镇", fixed.pick(PLACES), fixed.pick(PLACES))
}

/// A boilerplate paragraph: fixed wording, numbers varied per use. With `named`, it
/// starts with the name of the township that wrote it and says 我镇 once.
fn boilerplate(id: usize, rng: &mut Rng, named: bool) -> String {
    let mut fixed = Rng(0x9e37_79b9_7f4a_7c15 ^ ((id as u64 + 1) * 0x1000_0000_01b3));
    let mut s = String::new();
    if named {
        s.push_str(&origin(id));
    }
    for i in 0..4 {
        let (a, unit) = ACTIONS[fixed.below(ACTIONS.len())];
        if named && i == 2 {
            s.push_str("我镇");
        }
        let subject = fixed.pick(SUBJECTS);
        let (lead, mid) = if named {
            (words(&mut fixed, 3), words(&mut fixed, 2))
        } else {
            (String::new(), String::new())
        };
        s.push_str(&format!(
            "{subject}{lead}{a}{}{unit}，{mid}{}。",
            1 + rng.below(500),
            fixed.pick(PHRASES)
        ));
    }
    s
}

/// One use of a boilerplate paragraph: (line, id, edit).
type Label = (usize, usize, Edit);

fn report(
    rng: &mut Rng,
    idx: usize,
    target_bytes: usize,
    mut labels: Option<&mut Vec<Label>>,
) -> String {
    let name = format!(
        "{}{}{}",
        rng.pick(PLACES),
        rng.pick(PLACES),
        rng.pick(KINDS)
    );
    let body = if name.ends_with("街道") {
        "办事处"
    } else {
        "人民政府"
    };
    let year = 2021 + rng.below(5);
    let mut s = format!(
        "示例县{name}{body}关于{year}年法治政府建设情况的报告\n现将{name}{year}年度法治政府建设情况报告如下。\n"
    );
    let heads = [
        format!("一、{year}年推进法治政府建设的主要举措和成效"),
        format!("二、{year}年党政主要负责人履行推进法治建设第一责任人职责的有关情况"),
        format!("三、{year}年推进法治政府建设存在的不足和原因"),
        format!("四、{}年推进法治政府建设的主要安排", year + 1),
    ];
    let share = [0.6, 0.15, 0.1, 0.15];
    let cn = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    for (h, part) in heads.iter().zip(share) {
        s.push_str(h);
        s.push('\n');
        let budget = (target_bytes as f64 * part) as usize;
        let start = s.len();
        let mut sub = 0;
        while s.len() - start < budget {
            if sub < cn.len() && rng.below(3) == 0 {
                s.push_str(&format!("（{}）{}\n", cn[sub], rng.pick(PHRASES)));
                sub += 1;
            }
            if rng.below(3) == 0 {
                let id = rng.below(300);
                match labels.as_deref_mut() {
                    None => s.push_str(&boilerplate(id, rng, false)),
                    Some(labels) => {
                        let edit = Edit::random(rng, 4);
                        let text = boilerplate(id, rng, true);
                        let text = edits::apply(rng, &text, edit, &origin(id), &name);
                        labels.push((s.matches('\n').count() + 1, id, edit));
                        s.push_str(&text);
                    }
                }
            } else {
                let k = 3 + rng.below(5);
                s.push_str(&paragraph(rng, k, labels.is_some()));
            }
            s.push('\n');
        }
    }
    s.push_str(&format!(
        "示例县{name}{body}\n{}年1月{}日\n",
        year + 1,
        1 + idx % 28
    ));
    s
}

/// Copies `copies` paragraphs of the reports in `seeds` into synthetic reports, one
/// edit each, four to a report; the seeds are written beside them and labelled too.
fn from_seeds(seeds: &std::path::Path, dir: &std::path::Path, copies: usize, rng: &mut Rng) {
    let mut paras: Vec<(String, usize, String, String)> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(seeds)
        .expect("seeds")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut labels = String::new();
    for p in &files {
        let text = std::fs::read_to_string(p).expect("seed");
        let report = fazhi_analyze::analyze_text("seed", &text);
        let town = report.issuer.unwrap_or_default();
        let stem = town.trim_end_matches(['镇', '乡']).to_string();
        names.push(stem.clone());
        let file = p.file_name().unwrap().to_string_lossy().into_owned();
        for (i, line) in text.lines().enumerate() {
            let han = line
                .chars()
                .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
                .count();
            if han >= 40 && !line.starts_with(['一', '二', '三', '四', '（', '(']) {
                paras.push((file.clone(), i + 1, line.trim().to_string(), stem.clone()));
            }
        }
        std::fs::copy(p, dir.join(&file)).expect("copy seed");
    }
    let mut k = 0;
    let mut out = String::new();
    let mut line = 0;
    let mut town = String::new();
    for c in 0..copies {
        if c % 4 == 0 {
            if !out.is_empty() {
                std::fs::write(dir.join(format!("copy_{k:03}.txt")), &out).expect("write");
                k += 1;
            }
            town = format!("{}{}", rng.pick(PLACES), rng.pick(PLACES));
            out = format!("示例县{town}镇人民政府关于2025年法治政府建设情况的报告\n");
            line = 1;
        }
        let (file, l, text, stem) = &paras[rng.below(paras.len())];
        // An edit that changes something (most paragraphs name no township, few say 我镇).
        let (mut edit, mut copy) = (Edit::None, text.clone());
        for _ in 0..20 {
            edit = Edit::random(rng, 0);
            if edit == Edit::Names && stem.is_empty() {
                continue;
            }
            copy = edits::apply(rng, text, edit, stem, &town);
            // A copy cut below the finder's 30 characters is a heading, not a paragraph.
            let han = copy
                .chars()
                .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
                .count();
            if copy != *text && han >= 36 {
                break;
            }
        }
        // Some text of the copier's own between the copies.
        out.push_str(&paragraph(rng, 3, true));
        out.push('\n');
        out.push_str(&copy);
        out.push('\n');
        line += 2;
        labels.push_str(&format!(
            "copy_{k:03}.txt\t{line}\t{file}:{l}\t{}\n",
            edit.label()
        ));
    }
    std::fs::write(dir.join(format!("copy_{k:03}.txt")), &out).expect("write");
    for (file, l, _, _) in &paras {
        labels.push_str(&format!("{file}\t{l}\t{file}:{l}\tseed\n"));
    }
    std::fs::write(dir.join("labels.tsv"), labels).expect("labels");
    println!(
        "wrote {copies} edited copies of {} seed paragraphs ({} names) to {}",
        paras.len(),
        names.len(),
        dir.display()
    );
}

fn main() {
    let mut args: Vec<String> = std::env::args().collect();
    let with_edits = args.iter().any(|a| a == "--edits");
    args.retain(|a| a != "--edits");
    if args.get(1).is_some_and(|a| a == "--seeds") && args.len() >= 4 {
        let dir = std::path::PathBuf::from(&args[3]);
        std::fs::create_dir_all(&dir).expect("create dir");
        let copies = args.get(4).map_or(160, |s| s.parse().expect("COPIES"));
        let seed: u64 = args.get(5).map_or(42, |s| s.parse().expect("SEED"));
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        from_seeds(std::path::Path::new(&args[2]), &dir, copies, &mut rng);
        return;
    }
    if args.len() < 3 {
        eprintln!(
            "usage: gen_corpus N DIR [KB_PER_REPORT] [SEED] [--edits]\n       gen_corpus --seeds SEED_DIR DIR [COPIES] [SEED]"
        );
        std::process::exit(2);
    }
    let n: usize = args[1].parse().expect("N");
    let dir = std::path::PathBuf::from(&args[2]);
    let kb: usize = args.get(3).map_or(15, |s| s.parse().expect("KB"));
    let seed: u64 = args.get(4).map_or(42, |s| s.parse().expect("SEED"));
    std::fs::create_dir_all(&dir).expect("create dir");
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut total = 0;
    let mut labels = String::new();
    for i in 0..n {
        let mut used = Vec::new();
        let text = report(&mut rng, i, kb * 1024, with_edits.then_some(&mut used));
        for (line, id, edit) in used {
            labels.push_str(&format!(
                "{:03}/report_{i:06}.txt\t{line}\tb{id}\t{}\n",
                i / 1000,
                edit.label()
            ));
        }
        total += text.len();
        let sub = dir.join(format!("{:03}", i / 1000));
        std::fs::create_dir_all(&sub).expect("create subdir");
        let mut f =
            std::fs::File::create(sub.join(format!("report_{i:06}.txt"))).expect("create file");
        f.write_all(text.as_bytes()).expect("write");
    }
    if with_edits {
        std::fs::write(dir.join("labels.tsv"), labels).expect("labels");
    }
    println!(
        "wrote {n} reports, {:.1} MB, to {}",
        total as f64 / 1e6,
        dir.display()
    );
}
