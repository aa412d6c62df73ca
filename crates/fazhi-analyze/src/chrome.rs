//! Text that does not belong in a report: web-page chrome and injected spam.

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

/// True when a line is web-page chrome rather than report text.
pub fn is_chrome_line(line: &[char]) -> bool {
    // Chrome lines are short; report paragraphs are not worth scanning.
    if line.is_empty() || line.len() > 160 {
        return false;
    }
    let s: String = line.iter().collect();
    let t = s.trim();
    if t.starts_with("日期:")
        || t.starts_with("日期：")
        || t.starts_with("来源:")
        || t.starts_with("来源：")
    {
        return true;
    }
    // Navigation bars: short items separated by pipes.
    if t.matches('|').count() >= 2 && t.chars().count() < 120 {
        return true;
    }
    // Breadcrumb trails: a > b > c.
    if t.matches(" > ").count() >= 2 || t.matches('»').count() >= 2 {
        return true;
    }
    CHROME_MARKERS.iter().any(|m| t.contains(m)) && t.chars().count() < 80
}

/// Character ranges of spam phrases in the text.
pub fn find_spam(chars: &[char]) -> Vec<(usize, usize)> {
    static TABLE: std::sync::OnceLock<Vec<Vec<Vec<char>>>> = std::sync::OnceLock::new();
    // Markers bucketed by their first character: one table lookup per character of text.
    let table = TABLE.get_or_init(|| {
        let mut t = vec![Vec::new(); 256];
        for m in SPAM_MARKERS {
            let v: Vec<char> = m.chars().collect();
            t[v[0] as usize % 256].push(v);
        }
        t
    });
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let bucket = &table[chars[i] as usize % 256];
        let hit = bucket
            .iter()
            .find(|m| chars.len() - i >= m.len() && chars[i..i + m.len()] == m[..]);
        let Some(m) = hit else {
            i += 1;
            continue;
        };
        let mut end = i + m.len();
        // Swallow the rest of a spam run such as 皇冠足球比分网.
        while end < chars.len() && end - i < 12 && SPAM_TAIL.contains(chars[end]) {
            end += 1;
        }
        out.push((i, end));
        i = end;
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
    let n = pat.chars().count();
    if n > at {
        return false;
    }
    starts_with(chars, at - n, pat)
}
