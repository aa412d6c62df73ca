//! The issuing township read from how the body names itself, for texts without a
//! title block: self-references (青石镇坚持…, 青石镇党委, 我镇 next to the name) are
//! counted per candidate name; higher levels (区委, 市委), places in lists and places
//! mentioned in passing count little or nothing; fragments (定期召开街道) are rejected.

use crate::doc::{Doc, is_cjk};

/// A township name found in the body with its score and deciding line.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Short name (青石镇, 高笋塘街道).
    pub name: String,
    /// Sum of the occurrences' scores.
    pub score: i32,
    /// Index of the line of the best-scoring occurrence.
    pub line: usize,
    /// That occurrence's score.
    pub best: i32,
}

/// What follows a name when the township itself acts: its Party committee or government.
const BODY_AFTER: &[&str] = &[
    "党委",
    "党工委",
    "人民政府",
    "政府",
    "办事处",
    "党政",
    "纪委",
    "人大",
    "司法所",
];
/// Words that make a mention one in passing: the place is an object, not the writer.
const PASSING: &[&str] = &[
    "区委",
    "县委",
    "市委",
    "区政府",
    "县政府",
    "市政府",
    "到",
    "赴",
    "前往",
    "邻近",
    "周边",
    "相邻",
    "兄弟",
    "协助",
    "配合",
    "联合",
    "学习",
    "参观",
    "考察",
    "对接",
];
/// Function words and verbs that cannot be part of a township name.
const NOT_NAME: &[&str] = &[
    "召开", "定期", "全", "各", "本", "我", "该", "乡镇", "镇街", "村", "社区", "推进", "开展",
    "加强", "建设", "组织", "落实", "实现", "促进", "服务", "成立", "会议", "工作", "城", "农",
    "每", "个", "级", "所有", "其他", "有关", "相关", "部分", "辖区", "美丽", "新型", "振兴",
    "特色", "小", "重点", "示范", "文明", "平安", "法治", "一", "二", "三", "两",
    // Verbs that stand before 镇政府 / 街道办事处 in running text (利用镇政府门户网站).
    "利用", "配合", "通过", "依托", "协调", "督促", "指导", "联系", "结合", "围绕", "深入", "进入",
    "走进", "带领", "牵头", "召集", "主持", "参加", "参与", "邀请", "聘请", "组建", "健全", "完善",
    "制定", "印发", "出台", "压实", "明确", "发挥", "强化", "提升", "深化", "严格", "规范", "坚持",
    "共同", "统筹", "全面", "按照", "根据", "经过", "作为", "报送", "提交", "提请", "纳入", "上报",
    "报请", "设立", "依法", "积极", "认真",
];
/// Characters after which a name starts (a boundary inside a run of Han characters).
const LEFT_CUT: &str = "将在由向对为经是把被从到赴于的了与和及同据按使让请";
/// Self-references without the name.
const SELF_REFS: &[&str] = &["我街道", "本街道", "我镇", "本镇", "我乡", "本乡"];

/// Scores every township name in the non-chrome, non-spam text, best first.
pub fn candidates(doc: &Doc) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    // (sentence index, candidate index) of the names seen most recently.
    let mut recent: Vec<(usize, usize)> = Vec::new();
    let mut sentence = 0usize;
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (li, l) in doc.lines.iter().enumerate() {
        if l.chrome {
            continue;
        }
        let c = &doc.chars[l.start..l.end];
        let mut k = 0;
        while k < c.len() {
            let ch = c[k];
            if matches!(ch, '。' | '！' | '？' | '；' | '!' | '?' | ';') {
                sentence += 1;
            }
            if doc.in_spam(l.start + k, l.start + k + 1) {
                k += 1;
                continue;
            }
            if let Some(r) = SELF_REFS.iter().find(|r| at(c, k, r)) {
                let street = r.ends_with("街道");
                // The nearest name of the same kind in this sentence or the previous one.
                if let Some(&(_, ci)) = recent
                    .iter()
                    .rev()
                    .find(|(s, ci)| sentence - s <= 1 && out[*ci].name.ends_with("街道") == street)
                {
                    out[ci].score += 2;
                }
                k += r.chars().count();
                continue;
            }
            let suffix = if at(c, k, "街道") {
                2
            } else if matches!(ch, '镇' | '乡') {
                1
            } else {
                k += 1;
                continue;
            };
            let end = k + suffix;
            if let Some((b, base)) = name_before(c, k)
                && !trap_after(c, k, suffix)
            {
                let name = format!("{base}{}", crate::doc::to_string(&c[k..end]));
                let s = occurrence_score(c, b, end);
                let ci = match index.get(&name) {
                    Some(&i) => i,
                    None => {
                        index.insert(name.clone(), out.len());
                        out.push(Candidate {
                            name,
                            score: 0,
                            line: li,
                            best: i32::MIN,
                        });
                        out.len() - 1
                    }
                };
                let cand = &mut out[ci];
                cand.score += s;
                if s > cand.best {
                    cand.best = s;
                    cand.line = li;
                }
                if s > 0 {
                    recent.retain(|(_, x)| *x != ci);
                    // A self-reference looks back one sentence: a few names are enough.
                    if recent.len() >= 8 {
                        recent.remove(0);
                    }
                    recent.push((sentence, ci));
                }
            }
            k = end;
        }
        sentence += 1;
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.score));
    out
}

fn at(c: &[char], k: usize, w: &str) -> bool {
    w.chars()
        .enumerate()
        .all(|(i, ch)| c.get(k + i) == Some(&ch))
}

/// 乡村, 乡镇, 城镇化, 镇村两级: 乡 and 镇 that are no suffix of a name.
fn trap_after(c: &[char], k: usize, suffix: usize) -> bool {
    let next = c.get(k + suffix).copied().unwrap_or(' ');
    match c[k] {
        '乡' => "村镇贤土风愁亲里音下".contains(next),
        '镇' => "街化村域区".contains(next) && !at(c, k + 1, "村委"),
        _ => false,
    }
}

/// The name part before a suffix at `k`: start offset and text, or None for a fragment.
fn name_before(c: &[char], k: usize) -> Option<(usize, String)> {
    let mut b = k;
    while b > 0 && k - b < 12 && is_cjk(c[b - 1]) {
        b -= 1;
    }
    // Cut after the last administrative level (万州区高笋塘) or function word (现将).
    let s = c[b..k]
        .iter()
        .rposition(|&ch| "省市区县州旗盟".contains(ch) || LEFT_CUT.contains(ch))
        .map_or(b, |p| b + p + 1);
    let base: String = c[s..k].iter().collect();
    let n = k - s;
    if !(2..=5).contains(&n) || NOT_NAME.iter().any(|w| base.contains(w)) {
        return None;
    }
    Some((s, base))
}

/// How strongly one occurrence says "this township wrote the text".
fn occurrence_score(c: &[char], b: usize, end: usize) -> i32 {
    let prev = b.checked_sub(1).map(|i| c[i]);
    let next = c.get(end).copied();
    // In a list of several places (青石镇、白云镇和红岩镇).
    if prev == Some('、') || matches!(next, Some('、' | '和' | '与' | '及' | '等')) {
        return -1;
    }
    // The clause up to the name.
    // (At most 40 characters back: a hostile line without punctuation stays linear.)
    let from = b.saturating_sub(40);
    let cs = c[from..b]
        .iter()
        .rposition(|&ch| crate::doc::is_clause_punct(ch) || ch == '、')
        .map_or(from, |p| from + p + 1);
    let clause: String = c[cs..b].iter().collect();
    if PASSING.iter().any(|w| clause.contains(w)) {
        return 0;
    }
    if BODY_AFTER.iter().any(|w| at(c, end, w)) {
        return 3;
    }
    // Subject of its clause (2024年，青石镇坚持…; 万州区青石镇深入…) followed by a verb.
    let clause_start = clause.chars().all(|ch| !is_cjk(ch))
        || clause.ends_with(['省', '市', '区', '县'])
        || clause.ends_with("年度")
        || clause.ends_with("以来");
    if clause_start && next.is_some_and(is_cjk) {
        return 2;
    }
    1
}
