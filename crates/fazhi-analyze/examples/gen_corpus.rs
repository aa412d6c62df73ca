//! Writes a synthetic corpus of township reports for the benchmarks (no real report text):
//! `cargo run --release -p fazhi-analyze --example gen_corpus -- N DIR [KB_PER_REPORT] [SEED]`
//!
//! Each report has the four standard sections, figures of every kind, and a share of
//! paragraphs drawn from a common pool of boilerplate (with different numbers), so the
//! near-duplicate finder has real clusters to find.

use std::io::Write;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

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

fn paragraph(rng: &mut Rng, sentences: usize) -> String {
    (0..sentences).map(|_| sentence(rng)).collect()
}

/// A boilerplate paragraph: fixed wording, numbers varied per use.
fn boilerplate(id: usize, rng: &mut Rng) -> String {
    let mut fixed = Rng(0x9e37_79b9_7f4a_7c15 ^ ((id as u64 + 1) * 0x1000_0000_01b3));
    let mut s = String::new();
    for _ in 0..4 {
        let (a, unit) = ACTIONS[fixed.below(ACTIONS.len())];
        s.push_str(&format!(
            "{}{}{}{}，{}。",
            fixed.pick(SUBJECTS),
            a,
            1 + rng.below(500),
            unit,
            fixed.pick(PHRASES)
        ));
    }
    s
}

fn report(rng: &mut Rng, idx: usize, target_bytes: usize) -> String {
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
                s.push_str(&boilerplate(id, rng));
            } else {
                let k = 3 + rng.below(5);
                s.push_str(&paragraph(rng, k));
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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: gen_corpus N DIR [KB_PER_REPORT] [SEED]");
        std::process::exit(2);
    }
    let n: usize = args[1].parse().expect("N");
    let dir = std::path::PathBuf::from(&args[2]);
    let kb: usize = args.get(3).map_or(15, |s| s.parse().expect("KB"));
    let seed: u64 = args.get(4).map_or(42, |s| s.parse().expect("SEED"));
    std::fs::create_dir_all(&dir).expect("create dir");
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut total = 0;
    for i in 0..n {
        let text = report(&mut rng, i, kb * 1024);
        total += text.len();
        let sub = dir.join(format!("{:03}", i / 1000));
        std::fs::create_dir_all(&sub).expect("create subdir");
        let mut f =
            std::fs::File::create(sub.join(format!("report_{i:06}.txt"))).expect("create file");
        f.write_all(text.as_bytes()).expect("write");
    }
    println!(
        "wrote {n} reports, {:.1} MB, to {}",
        total as f64 / 1e6,
        dir.display()
    );
}
