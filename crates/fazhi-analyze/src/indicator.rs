//! Indicator labels for figures (the table in seeds/gold/README.md).
//!
//! A count takes the label of the keyword nearest to it in its own list item
//! (the text since the previous 、，。 or figure); when that item has no keyword
//! before the number (开展47场法治知识讲座), the head noun after the number decides.

use crate::figures::Figure;

/// All indicator labels, in the column order of the workbook.
pub const LABELS: &[&str] = &[
    "study_sessions",
    "trainings",
    "publicity_events",
    "publicity_materials",
    "people_reached",
    "exam_rate",
    "legal_advisers_staff",
    "legal_reviews",
    "review_rate",
    "inspections",
    "enforcement_cases",
    "disputes_handled",
    "dispute_resolution_rate",
    "petitions",
    "completion_rate",
    "satisfaction_rate",
];

type Kw = (&'static str, Option<&'static str>);

/// Keywords for counts that are not headcounts or rates. `None` marks things the
/// conventions leave unlabelled (meetings, 法律咨询, patrols, criminal statistics …).
const COUNT_KWS: &[Kw] = &[
    ("中心组", Some("study_sessions")),
    ("学法", Some("study_sessions")),
    ("领学", Some("study_sessions")),
    ("专题学习", Some("study_sessions")),
    ("集中学习", Some("study_sessions")),
    ("学习", Some("study_sessions")),
    ("党课", Some("study_sessions")),
    ("法治课", Some("study_sessions")),
    ("讲法", Some("study_sessions")),
    ("培训", Some("trainings")),
    ("培训和讲座", Some("trainings")),
    ("轮训", Some("trainings")),
    ("普法", Some("publicity_events")),
    ("宣传", Some("publicity_events")),
    ("宣讲", Some("publicity_events")),
    ("六进", Some("publicity_events")),
    ("送法", Some("publicity_events")),
    ("讲座", Some("@lecture")),
    ("资料", Some("publicity_materials")),
    ("宣传册", Some("publicity_materials")),
    ("宣传单", Some("publicity_materials")),
    ("手册", Some("publicity_materials")),
    ("横幅", Some("publicity_materials")),
    ("标语", Some("publicity_materials")),
    ("LED", Some("publicity_materials")),
    ("滚动", Some("publicity_materials")),
    ("海报", Some("publicity_materials")),
    ("展板", Some("publicity_materials")),
    ("折页", Some("publicity_materials")),
    ("明白纸", Some("publicity_materials")),
    ("倡议书", Some("publicity_materials")),
    ("读本", Some("publicity_materials")),
    ("宣传品", Some("publicity_materials")),
    ("发放", Some("publicity_materials")),
    ("督查", Some("inspections")),
    ("检查", Some("inspections")),
    ("评查", Some("inspections")),
    ("巡查", Some("inspections")),
    ("抽查", Some("inspections")),
    ("暗访", Some("inspections")),
    ("查处", Some("enforcement_cases")),
    ("行政处罚", Some("enforcement_cases")),
    ("处罚", Some("enforcement_cases")),
    ("执法案件", Some("enforcement_cases")),
    ("纠违", Some("enforcement_cases")),
    ("立案", Some("enforcement_cases")),
    ("案件", Some("@case")),
    ("矛盾纠纷", Some("disputes_handled")),
    ("纠纷", Some("disputes_handled")),
    ("调解", Some("disputes_handled")),
    ("调处", Some("disputes_handled")),
    ("化解", Some("disputes_handled")),
    ("调解协议", Some("disputes_handled")),
    ("引导诉讼", Some("disputes_handled")),
    ("排查", Some("@screen")),
    ("信访", Some("petitions")),
    ("民呼我为", Some("petitions")),
    ("投诉", Some("petitions")),
    ("来访", Some("petitions")),
    ("来信", Some("petitions")),
    ("热线", Some("petitions")),
    ("12345", Some("petitions")),
    ("8890", Some("petitions")),
    ("信箱", Some("petitions")),
    ("不予受理", Some("petitions")),
    ("接访", Some("petitions")),
    ("合同审批", Some("legal_reviews")),
    ("合同审查", Some("legal_reviews")),
    ("合同审核", Some("legal_reviews")),
    ("审查合同", Some("legal_reviews")),
    ("重大决策", Some("legal_reviews")),
    ("法律建议", Some("legal_reviews")),
    ("法律意见", Some("legal_reviews")),
    ("合法性审查", Some("legal_reviews")),
    ("审核把关", Some("legal_reviews")),
    ("合法性审核", Some("legal_reviews")),
    ("法律审核", Some("legal_reviews")),
    ("审查", Some("@review")),
    ("审核", Some("@review")),
    ("会议", None),
    ("例会", None),
    ("推进会", None),
    ("大会", None),
    ("座谈", None),
    ("联席会", None),
    ("专题会", None),
    ("党委会", None),
    ("法律咨询", None),
    ("咨询", None),
    ("法律服务", None),
    ("驻站", None),
    ("联合行动", None),
    ("联合执法", None),
    ("巡逻", None),
    ("制止", None),
    ("考试", None),
    ("整改", None),
    ("隐患", None),
    ("问题", None),
    ("难题", None),
    ("刑事", None),
    ("治安", None),
    ("警情", None),
    ("满意", None),
    ("好差评", None),
    ("减少", None),
    ("增加", None),
    ("同比", None),
    ("下降", None),
    ("上升", None),
    ("增长", None),
    ("去年", None),
    ("走访", None),
    ("协调解决", None),
    ("解决", None),
    ("事项清单", None),
];

/// Keywords for headcounts (名, 人, 位).
const PERSON_KWS: &[Kw] = &[
    ("法律顾问", Some("legal_advisers_staff")),
    ("律师", Some("legal_advisers_staff")),
    ("执法人员", Some("legal_advisers_staff")),
    ("执法队员", Some("legal_advisers_staff")),
    ("大队长", Some("legal_advisers_staff")),
    ("执法证", Some("legal_advisers_staff")),
    ("法制审核", Some("legal_advisers_staff")),
    ("所长", Some("legal_advisers_staff")),
    ("司法助理员", Some("legal_advisers_staff")),
    ("考试", Some("people_reached")),
    ("覆盖", Some("people_reached")),
    ("受教育", Some("people_reached")),
    ("惠及", Some("people_reached")),
    ("参训", Some("trainings")),
    ("培训", Some("trainings")),
    ("调解员", None),
    ("网格员", None),
    ("网格长", None),
    ("明白人", None),
    ("工作人员", None),
    ("志愿者", None),
    ("联络员", None),
    ("巡逻", None),
    ("信息员", None),
];

/// Rate names; the first one named decides when several share a number.
const RATE_KWS: &[Kw] = &[
    ("办结满意率", Some("satisfaction_rate")),
    ("满意率", Some("satisfaction_rate")),
    ("满意度", Some("satisfaction_rate")),
    ("办结率", Some("completion_rate")),
    ("化解率", Some("dispute_resolution_rate")),
    ("审查率", Some("review_rate")),
    ("审核率", Some("review_rate")),
    ("调处率", Some("dispute_resolution_rate")),
    ("成功率", Some("dispute_resolution_rate")),
    ("合格率", Some("@exam")),
    ("通过率", Some("@exam")),
    ("参考率", Some("@exam")),
    ("参与率", Some("@exam")),
    ("及格率", Some("@exam")),
    ("参考率", Some("@exam")),
    ("覆盖率", None),
    ("参评率", None),
    ("知晓率", None),
    ("响应率", None),
    ("解决率", None),
    ("执结率", None),
    ("公示率", None),
    ("履职率", None),
    ("出庭率", None),
    ("应诉率", None),
    ("率", None),
    ("度", None),
];

const PERSON_UNITS: &[&str] = &["名", "人", "人次", "位"];
/// Measure words whose figures are never labelled (money, households, item lists, equipment).
const NULL_UNITS: &[&str] = &[
    "元",
    "户",
    "户次",
    "项",
    "台",
    "辆",
    "平方米",
    "亩",
    "公里",
    "米",
    "吨",
    "套",
    "块",
    "盏",
    "架",
    "艘",
];

/// Assigns an indicator to every figure, in place.
/// Labels every figure; returns, per figure, whether it is a count no keyword decided
/// (neither a label nor a deliberate null), which may take its total's label ([`inherit`]).
pub fn label_all(chars: &[char], figures: &mut [Figure]) -> Vec<bool> {
    let mut undecided = Vec::with_capacity(figures.len());
    let mut prev_end = 0;
    let mut sentence_start = 0;
    let mut sentence_labels: Vec<&'static str> = Vec::new();
    for fig in figures.iter_mut() {
        let (start, end) = (fig.start, fig.end);
        // Scan back only to the previous figure: without a break in between, the sentence is the same.
        let s_start =
            if prev_end > 0 && !chars[prev_end..start].iter().any(|&c| is_sentence_break(c)) {
                sentence_start
            } else {
                sentence_bound_back(chars, start)
            };
        if s_start != sentence_start {
            sentence_start = s_start;
            sentence_labels.clear();
        }
        let ctx = Ctx {
            chars,
            start,
            end,
            prev_end,
            sentence_start: s_start,
        };
        let (label, open) = label_one(&ctx, fig, &sentence_labels);
        fig.indicator = label;
        undecided.push(open);
        if let Some(l) = label {
            sentence_labels.push(l);
        }
        prev_end = end;
    }
    undecided
}

/// A count no keyword decided that breaks down a labelled total in the same clause
/// takes the total's label: 办理执法案件27件，其中适用简易程序1件 (gold: sub-counts of
/// disputes are disputes_handled). A ；between them starts another topic.
pub fn inherit(chars: &[char], figures: &mut [Figure], undecided: &[bool]) {
    for i in 0..figures.len() {
        let Some(t) = figures[i].part_of else {
            continue;
        };
        if !undecided.get(i).copied().unwrap_or(false) || figures[i].indicator.is_some() {
            continue;
        }
        let between = &chars[figures[t].end.min(figures[i].start)..figures[i].start];
        if between.iter().any(|&c| matches!(c, '；' | ';')) {
            continue;
        }
        figures[i].indicator = figures[t].indicator;
    }
}

struct Ctx<'a> {
    chars: &'a [char],
    start: usize,
    end: usize,
    prev_end: usize,
    sentence_start: usize,
}

impl Ctx<'_> {
    /// Start of the list item holding the number: after 、，。 or the previous figure.
    fn item_start(&self) -> usize {
        let floor = self.prev_end.max(self.start.saturating_sub(40));
        let mut k = self.start;
        while k > floor {
            if is_item_break(self.chars[k - 1]) {
                break;
            }
            k -= 1;
        }
        k
    }

    /// Start of the clause: like the item, but a 、 does not end it.
    fn clause_start(&self) -> usize {
        let floor = self.start.saturating_sub(60);
        let mut k = self.start;
        while k > floor {
            let c = self.chars[k - 1];
            if crate::doc::is_clause_punct(c) {
                break;
            }
            k -= 1;
        }
        k
    }

    /// Text after the figure up to the next break or number (the head noun).
    fn after_end(&self, max: usize) -> usize {
        let mut k = self.end;
        let lim = (self.end + max).min(self.chars.len());
        while k < lim && !is_item_break(self.chars[k]) {
            if self.is_year_at(k) {
                k += 5;
                continue;
            }
            if crate::numerals::digit(self.chars[k]).is_some() {
                break;
            }
            k += 1;
        }
        k
    }

    /// A year such as 2025年 is part of the noun phrase, not the next figure.
    fn is_year_at(&self, k: usize) -> bool {
        let c = self.chars;
        (k == 0 || crate::numerals::digit(c[k - 1]).is_none())
            && k + 4 < c.len()
            && c[k..k + 4]
                .iter()
                .all(|&x| crate::numerals::digit(x).is_some())
            && c[k + 4] == '年'
    }

    fn sentence_end(&self) -> usize {
        // As far ahead as sentence_bound_back looks back: an endless sentence stays linear.
        let lim = self.chars.len().min(self.end + 400);
        let mut k = self.end;
        while k < lim && !matches!(self.chars[k], '。' | '\n' | '；' | ';') {
            k += 1;
        }
        k
    }

    fn sentence_has(&self, words: &[&str]) -> bool {
        // The sentence start is shared by the figures of one sentence; in an endless one
        // only the text near this figure counts.
        let from = self.sentence_start.max(self.start.saturating_sub(400));
        let s = &self.chars[from..self.sentence_end()];
        words.iter().any(|w| contains(s, w))
    }
}

fn is_item_break(c: char) -> bool {
    matches!(
        c,
        '、' | '，' | ',' | '。' | '；' | ';' | '：' | ':' | '！' | '？' | '\n'
    )
}

fn is_sentence_break(c: char) -> bool {
    matches!(c, '。' | '\n' | '；' | ';')
}

fn sentence_bound_back(chars: &[char], at: usize) -> usize {
    let floor = at.saturating_sub(400);
    let mut k = at;
    while k > floor {
        if matches!(chars[k - 1], '。' | '\n' | '；' | ';') {
            break;
        }
        k -= 1;
    }
    k
}

/// True when `s` contains the characters of `w` in a row.
fn contains(s: &[char], w: &str) -> bool {
    let Some(first) = w.chars().next() else {
        return true;
    };
    let n = w.chars().count();
    (0..s.len().saturating_sub(n - 1))
        .any(|i| s[i] == first && s[i..].iter().zip(w.chars()).take(n).all(|(a, b)| *a == b))
}

/// A keyword table indexed by each keyword's last character, so that finding the
/// keyword nearest to a number is one backward pass over the window.
struct Matcher {
    kws: Vec<(Vec<char>, Option<&'static str>)>,
    buckets: Vec<Vec<u16>>,
}

const BUCKETS: usize = 1024;

impl Matcher {
    fn new(table: &[Kw]) -> Matcher {
        let mut buckets = vec![Vec::new(); BUCKETS];
        let kws: Vec<(Vec<char>, Option<&'static str>)> = table
            .iter()
            .map(|(w, l)| (w.chars().collect(), *l))
            .collect();
        for (i, (w, _)) in kws.iter().enumerate() {
            if let Some(&last) = w.last() {
                buckets[last as usize % BUCKETS].push(i as u16);
            }
        }
        Matcher { kws, buckets }
    }

    /// The keyword ending nearest to the end of `s` (ties: the longer keyword), with its distance.
    fn nearest(&self, s: &[char]) -> Option<(Option<&'static str>, usize)> {
        for e in (1..=s.len()).rev() {
            let mut best: Option<(usize, Option<&'static str>)> = None;
            for &i in &self.buckets[s[e - 1] as usize % BUCKETS] {
                let (w, l) = &self.kws[i as usize];
                if w.len() <= e
                    && s[e - w.len()..e] == w[..]
                    && best.is_none_or(|(bl, _)| w.len() > bl)
                {
                    best = Some((w.len(), *l));
                }
            }
            if let Some((_, l)) = best {
                return Some((l, s.len() - e));
            }
        }
        None
    }
}

macro_rules! matcher {
    ($name:ident, $table:expr) => {
        fn $name() -> &'static Matcher {
            static M: std::sync::OnceLock<Matcher> = std::sync::OnceLock::new();
            M.get_or_init(|| Matcher::new($table))
        }
    };
}

matcher!(count_m, COUNT_KWS);
matcher!(person_m, PERSON_KWS);
matcher!(petition_m, &PETITION_KWS);

/// The keyword nearest to the number in the text before it.
fn nearest(s: &[char], m: &Matcher) -> Option<(Option<&'static str>, usize)> {
    m.nearest(s)
}

/// The keyword ending last in `s`: Chinese noun phrases put the head at the end.
fn head(s: &[char], m: &Matcher) -> Option<Option<&'static str>> {
    m.nearest(s).map(|(l, _)| l)
}

/// The label, and whether no keyword decided it (an open count, see [`inherit`]).
fn label_one(
    ctx: &Ctx,
    fig: &Figure,
    sentence_labels: &[&'static str],
) -> (Option<&'static str>, bool) {
    let unit = fig.unit.unwrap_or("");
    if unit == "%" {
        return (rate_label(ctx), false);
    }
    // 项 counts item lists (执法事项126项) unless the clause is about a legal review.
    if NULL_UNITS.contains(&unit) && unit != "项" {
        return (None, false);
    }
    if PERSON_UNITS.contains(&unit) {
        return (person_label(ctx, unit, sentence_labels), false);
    }
    count_label(ctx, unit)
}

/// A headcount: the person keyword nearest before it, else the noun after it, else
/// people reached by the 普法 or study event of its sentence.
fn person_label(ctx: &Ctx, unit: &str, sentence_labels: &[&'static str]) -> Option<&'static str> {
    let chars = ctx.chars;
    let item = &chars[ctx.item_start()..ctx.start];
    let after = &chars[ctx.end..ctx.after_end(24)];
    let hit = match nearest(item, person_m()) {
        Some((l, _)) => Some(l),
        None => head(after, person_m()),
    };
    if let Some(l) = hit {
        return l;
    }
    // Cadres or residents reached by a study or publicity event named just before,
    // or in a clause about 普法 (受众群众3000人次, 吸引群众500余人参与).
    let reached = [
        "干部", "党员", "群众", "居民", "学生", "职工", "村民", "师生", "受众", "听众",
    ];
    let names_people = reached
        .iter()
        .any(|w| contains(after, w) || contains(item, w));
    let event_before = sentence_labels
        .iter()
        .any(|l| matches!(*l, "study_sessions" | "trainings" | "publicity_events"));
    if (names_people || unit == "人次") && (event_before || ctx.sentence_has(PUBLICITY_WORDS)) {
        return Some("people_reached");
    }
    None
}

/// Any other count: the keyword nearest before it in its item, else its head noun.
fn count_label(ctx: &Ctx, unit: &str) -> (Option<&'static str>, bool) {
    let chars = ctx.chars;
    let item = &chars[ctx.item_start()..ctx.start];
    let review_items = unit == "项";
    let hit = match nearest(item, count_m()) {
        Some((l, _)) => Some(l),
        // Places and bodies (个, 家) are counted before their noun, which rarely names an activity.
        None if unit != "个" => head(&chars[ctx.end..ctx.after_end(24)], count_m()),
        None => None,
    };
    // A petition channel named in the item wins over the dispute words it shares (信访矛盾纠纷).
    let hit = match hit {
        Some(Some("disputes_handled")) if nearest(item, petition_m()).is_some() => {
            Some(Some("petitions"))
        }
        h => h,
    };
    let label = match hit {
        Some(Some("@review")) => {
            // 审查/审核 of a contract, a document or a decision (not of an application).
            let after = &chars[ctx.end..ctx.after_end(24)];
            REVIEWED
                .iter()
                .any(|w| contains(item, w) || contains(after, w))
                .then_some("legal_reviews")
        }
        Some(Some("@screen")) => ctx
            .sentence_has(&["纠纷", "矛盾"])
            .then_some("disputes_handled"),
        Some(Some("@case")) => case_label(ctx, item),
        Some(Some("@lecture")) => Some(
            if ctx.sentence_has(&["中心组", "学法", "干部", "党员", "机关"]) {
                "study_sessions"
            } else {
                "publicity_events"
            },
        ),
        Some(l) => l,
        None => None,
    };
    if review_items && label != Some("legal_reviews") {
        return (None, false);
    }
    (label, hit.is_none() && !review_items)
}

/// Words of a clause about publicity (普法): headcounts in it are people reached.
const PUBLICITY_WORDS: &[&str] = &["普法", "宣传", "讲座", "宣讲", "法治教育", "送法", "六进"];

/// What a legal review examines: 审查/审核 with one of these is a legal review.
const REVIEWED: &[&str] = &[
    "合同",
    "协议",
    "文件",
    "决策",
    "规范性",
    "合法性",
    "法律意见",
    "重大事项",
];

/// 案件 alone: a petition or dispute case when the item says so, an enforcement case
/// in a clause about enforcement, else nothing (刑事案件, 复议案件, court cases).
fn case_label(ctx: &Ctx, item: &[char]) -> Option<&'static str> {
    let has = |ws: &[&str]| ws.iter().any(|w| contains(item, w));
    if has(&["信访", "投诉", "来访"]) {
        Some("petitions")
    } else if has(&["纠纷", "调解", "矛盾"]) {
        Some("disputes_handled")
    } else if has(&[
        "刑事", "治安", "民事", "诉讼", "复议", "审判", "法院", "援助", "仲裁", "公证",
    ]) {
        None
    } else if ctx.sentence_has(&["执法", "处罚", "违法", "查处", "立案", "城管"]) {
        Some("enforcement_cases")
    } else {
        None
    }
}

const PETITION_KWS: [Kw; 4] = [
    ("信访", None),
    ("民呼我为", None),
    ("投诉", None),
    ("来访", None),
];

fn rate_label(ctx: &Ctx) -> Option<&'static str> {
    let chars = ctx.chars;
    let cs = ctx.clause_start();
    let clause = &chars[cs..ctx.start];
    // Find the nearest 率/度 word, then walk back over "X率、Y率" to the first one named.
    let (mut label, mut word_end) = rate_word_before(clause, clause.len())?;
    while let Some(ws) = word_end.checked_sub(rate_len(clause, word_end)) {
        if ws >= 1
            && clause[ws - 1] == '、'
            && let Some((l, e)) = rate_word_ending_at(clause, ws - 1)
        {
            label = l;
            word_end = e;
            continue;
        }
        break;
    }
    match label {
        Some("@exam") => {
            if ctx.sentence_has(&["审核", "审查"]) && !ctx.sentence_has(&["考试"]) {
                Some("review_rate")
            } else if ctx.sentence_has(&["考试", "考核", "测试", "学法", "参考率"]) {
                Some("exam_rate")
            } else {
                None
            }
        }
        l => l,
    }
}

/// Nearest rate word ending at or before `limit` within 8 characters of the number.
fn rate_word_before(s: &[char], limit: usize) -> Option<(Option<&'static str>, usize)> {
    let floor = limit.saturating_sub(10);
    let mut e = limit;
    while e > floor {
        if matches!(s[e - 1], '率' | '度')
            && let Some(hit) = rate_word_ending_at(s, e)
        {
            return Some(hit);
        }
        e -= 1;
    }
    None
}

fn rate_word_ending_at(s: &[char], e: usize) -> Option<(Option<&'static str>, usize)> {
    if e == 0 || !matches!(s[e - 1], '率' | '度') {
        return None;
    }
    RATE_KWS
        .iter()
        .find(|(w, _)| ends_at(s, e, w))
        .map(|(_, l)| (*l, e))
}

fn rate_len(s: &[char], e: usize) -> usize {
    RATE_KWS
        .iter()
        .find(|(w, _)| ends_at(s, e, w))
        .map_or(1, |(w, _)| w.chars().count())
        .max(2)
        .min(e)
}

fn ends_at(s: &[char], e: usize, w: &str) -> bool {
    let n = w.chars().count();
    e >= n && s[e - n..e].iter().copied().eq(w.chars())
}
