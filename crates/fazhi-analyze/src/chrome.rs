//! Text that does not belong in a report: web-page chrome and injected spam.

use crate::charset::PhraseSet;
use std::sync::OnceLock;

/// Phrases that only occur in the furniture of a government web page.
const CHROME_MARKERS: &[&str] = &[
    "您当前位置",
    "当前位置：",
    "当前位置:",
    "索引号",
    "发文字号 ]",
    "发文字号]",
    "主题分类",
    "体裁分类",
    "发布机构",
    "有效性 ]",
    "成文日期",
    "发布日期",
    "语音播报",
    "扫一扫",
    "我要找政策",
    "打印本页",
    "关闭窗口",
    "【打印】",
    "【关闭】",
    "分享到",
    "浏览次数",
    "网站地图",
    "版权所有",
    "ICP备",
    "公网安备",
    "字号：",
    "[bookmark:",
];

/// Gambling and advertising phrases injected into compromised government sites.
pub const SPAM_MARKERS: &[&str] = &[
    "皇冠足球",
    "足球比分",
    "皇冠体育",
    "博彩",
    "百家乐",
    "六合彩",
    "时时彩",
    "北京赛车",
    "幸运飞艇",
    "娱乐城",
    "真人娱乐",
    "棋牌游戏",
    "老虎机",
    "新葡京",
    "威尼斯人",
    "太阳城",
    "体育投注",
    "在线投注",
    "网上赌场",
    "赌场",
    "开户送",
    "买球",
    "电竞竞猜",
    "菠菜",
];

fn chrome_markers() -> &'static PhraseSet {
    static SET: OnceLock<PhraseSet> = OnceLock::new();
    SET.get_or_init(|| PhraseSet::new(CHROME_MARKERS))
}

fn spam_markers() -> &'static PhraseSet {
    static SET: OnceLock<PhraseSet> = OnceLock::new();
    SET.get_or_init(|| PhraseSet::new(SPAM_MARKERS))
}

/// True when a line is web-page chrome rather than report text.
pub fn is_chrome_line(line: &[char]) -> bool {
    // Chrome lines are short; report paragraphs are not worth scanning.
    if line.is_empty() || line.len() > 160 {
        return false;
    }
    let mut s = 0;
    while s < line.len() && line[s].is_whitespace() {
        s += 1;
    }
    let t = &line[s..];
    if ["日期:", "日期：", "来源:", "来源："]
        .iter()
        .any(|p| starts_with(t, 0, p))
    {
        return true;
    }
    // Navigation bars (a | b | c) and breadcrumb trails (a > b > c).
    let (mut pipes, mut arrows, mut guillemets) = (0, 0, 0);
    for (k, &c) in t.iter().enumerate() {
        match c {
            '|' => pipes += 1,
            '»' => guillemets += 1,
            '>' if k > 0
                && k + 1 < t.len()
                && t[k - 1].is_whitespace()
                && t[k + 1].is_whitespace() =>
            {
                arrows += 1
            }
            _ => {}
        }
    }
    if (pipes >= 2 && t.len() < 120) || arrows >= 2 || guillemets >= 2 {
        return true;
    }
    t.len() < 80 && chrome_markers().occurs_in(t)
}

/// Character ranges of spam phrases in the text.
pub fn find_spam(chars: &[char]) -> Vec<(usize, usize)> {
    spam_at(chars, 0..chars.len())
}

/// Character ranges of spam phrases starting at one of `candidates` (increasing
/// offsets that include every offset where a phrase can start).
pub fn spam_at(chars: &[char], candidates: impl IntoIterator<Item = usize>) -> Vec<(usize, usize)> {
    let set = spam_markers();
    let mut out = Vec::new();
    let mut next = 0;
    for i in candidates {
        if i < next {
            continue;
        }
        let Some(len) = set.match_at(chars, i) else {
            continue;
        };
        let mut end = i + len;
        // Swallow the rest of a spam run such as 皇冠足球比分网.
        while end < chars.len() && end - i < 12 && SPAM_TAIL.contains(chars[end]) {
            end += 1;
        }
        out.push((i, end));
        next = end;
    }
    out
}

const SPAM_TAIL: &str = "比分网站平台官网app手机版注册开户";

/// True when `chars[at..]` starts with `pat`.
pub fn starts_with(chars: &[char], at: usize, pat: &str) -> bool {
    let mut rest = chars.get(at..).unwrap_or(&[]).iter();
    pat.chars().all(|p| rest.next() == Some(&p))
}

/// True when `chars[..at]` ends with `pat`.
pub fn ends_with(chars: &[char], at: usize, pat: &str) -> bool {
    let mut k = at;
    for p in pat.chars().rev() {
        if k == 0 || chars[k - 1] != p {
            return false;
        }
        k -= 1;
    }
    true
}

/// True when `pat` occurs in `chars`.
pub fn contains(chars: &[char], pat: &str) -> bool {
    (0..chars.len()).any(|k| starts_with(chars, k, pat))
}
