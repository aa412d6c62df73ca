//! 人民调解协议书 (人民调解法 Arts 28–33, rules.md §5) in the 公文 layout: the
//! parties, the facts and the dispute, each side's responsibility, the terms with how
//! and by when they are performed, when it takes effect, the copies, signature lines
//! for every party and the mediator, the committee's seal, and the 30-day window to
//! ask a court to confirm it (司法确认).

use fazhi_core::calendar::{Calendar, Period};
use time::Date;

use crate::gongwen::{Gongwen, date_zh};

/// Parties may jointly apply for 司法确认 within 30日 of the agreement taking effect
/// (人民调解法 Art 33; 民事诉讼法 Art 205). Calendar days, start day not counted, a
/// last day on a rest day moves to the next working day (民事诉讼法 Art 85).
pub const CONFIRMATION_PERIOD: Period = Period::calendar_days(30);

/// Last day to apply for 司法确认 of an agreement that took effect on `effective`.
pub fn confirmation_due(effective: Date, cal: &Calendar) -> Date {
    CONFIRMATION_PERIOD.due(effective, cal)
}

/// One person named in the agreement.
#[derive(Debug, Clone, Default)]
pub struct AgreementParty {
    /// Role label: 申请人, 被申请人, 第三人, 代理人 ….
    pub role: String,
    pub name: String,
    /// 男 / 女.
    pub sex: Option<String>,
    pub age: Option<i32>,
    /// In full: the agreement identifies the parties.
    pub id_number: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    /// A party in their own right (gets a copy); false for agents and guardians,
    /// who sign but share the copy of the person they act for.
    pub principal: bool,
}

/// What the agreement says.
#[derive(Debug, Clone)]
pub struct Agreement {
    /// 人民调解委员会 name, e.g. 青石镇人民调解委员会.
    pub committee: String,
    /// 编号.
    pub number: String,
    pub parties: Vec<AgreementParty>,
    /// The main facts and the points in dispute.
    pub facts: String,
    /// Each side's responsibility, if stated.
    pub responsibilities: Option<String>,
    /// The agreed terms; one per line.
    pub terms: String,
    /// How and by when the terms are performed.
    pub performance: String,
    /// Mediator's name.
    pub mediator: String,
    /// Date of the agreement (the day it is signed and takes effect).
    pub date: Date,
    /// Last day to apply for 司法确认 ([`confirmation_due`]).
    pub confirmation_due: Date,
}

/// Sex and age from an 18-digit ID number (GB 11643: birth date at 7–14, the 17th
/// digit odd for men), age on `on`. `None` for masked or malformed numbers.
pub fn sex_and_age(id_number: &str, on: Date) -> Option<(&'static str, i32)> {
    let b = id_number.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| id_number[r].parse::<i32>().ok();
    let (y, m, d) = (n(6..10)?, n(10..12)?, n(12..14)?);
    let birth = Date::from_calendar_date(
        y,
        time::Month::try_from(u8::try_from(m).ok()?).ok()?,
        u8::try_from(d).ok()?,
    )
    .ok()?;
    if birth > on {
        return None;
    }
    let mut age = on.year() - birth.year();
    if (u8::from(on.month()), on.day()) < (u8::from(birth.month()), birth.day()) {
        age -= 1;
    }
    let sex = if (b[16] - b'0') % 2 == 1 {
        "男"
    } else {
        "女"
    };
    Some((sex, age))
}

/// Chinese numeral for small counts (copies): 二, 三, 十二 ….
pub fn count_zh(n: usize) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[n % 10]),
        20..=99 if n.is_multiple_of(10) => format!("{}十", D[n / 10]),
        20..=99 => format!("{}十{}", D[n / 10], D[n % 10]),
        _ => n.to_string(),
    }
}

const HEADING_NUMBERS: [&str; 8] = ["一", "二", "三", "四", "五", "六", "七", "八"];

/// The line describing one party.
fn party_line(p: &AgreementParty) -> String {
    let mut parts = vec![p.name.clone()];
    if let Some(s) = &p.sex {
        parts.push(s.clone());
    }
    if let Some(a) = p.age {
        parts.push(format!("{a}岁"));
    }
    if let Some(id) = &p.id_number {
        parts.push(format!("公民身份号码{id}"));
    }
    if let Some(a) = p.address.as_deref().filter(|a| !a.trim().is_empty()) {
        parts.push(format!("住址{}", a.trim()));
    }
    if let Some(ph) = &p.phone {
        parts.push(format!("联系电话{ph}"));
    }
    format!("{}：{}。", p.role, parts.join("，"))
}

/// The terms as paragraphs, numbered when there are several and they are not yet.
fn term_lines(terms: &str) -> Vec<String> {
    let lines: Vec<&str> = terms
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let numbered = lines.first().is_some_and(|l| {
        l.starts_with(|c: char| c.is_ascii_digit() || "（(一二三四五六七八九十".contains(c))
    });
    if lines.len() < 2 || numbered {
        return lines.into_iter().map(str::to_string).collect();
    }
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| format!("{}．{l}", i + 1))
        .collect()
}

/// Writes the agreement as DOCX.
pub fn write(a: &Agreement) -> Result<Vec<u8>, String> {
    let copies = a.parties.iter().filter(|p| p.principal).count() + 1;
    let mut doc = Gongwen::new()
        .title("人民调解协议书")
        .right(&format!("编号：{}", a.number), 0);
    for p in &a.parties {
        doc = doc.para(&party_line(p));
    }
    let mut sections: Vec<(&str, Vec<String>)> =
        vec![("纠纷主要事实、争议事项", vec![a.facts.trim().to_string()])];
    if let Some(r) = a
        .responsibilities
        .as_deref()
        .filter(|r| !r.trim().is_empty())
    {
        sections.push(("各方当事人的责任", vec![r.trim().to_string()]));
    }
    sections.push((
        "经人民调解委员会调解，各方当事人自愿达成如下协议",
        term_lines(&a.terms),
    ));
    sections.push((
        "履行协议的方式、期限",
        vec![a.performance.trim().to_string()],
    ));
    sections.push((
        "协议的生效和份数",
        vec![
            "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。\
             经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行；\
             人民调解委员会对调解协议的履行情况进行监督，督促当事人履行约定的义务。"
                .to_string(),
            format!(
                "本协议一式{}份，当事人各执一份，人民调解委员会留存一份。",
                count_zh(copies)
            ),
        ],
    ));
    sections.push((
        "司法确认",
        vec![format!(
            "各方当事人认为有必要的，可以自本协议生效之日起三十日内，共同向当事人住所地、标的物所在地或者调解组织所在地的基层人民法院申请司法确认。\
             本协议于{}生效的，申请期限至{}止。\
             人民法院依法确认调解协议有效，一方当事人拒绝履行或者未全部履行的，对方当事人可以向人民法院申请强制执行。\
             （依据：《中华人民共和国人民调解法》第三十三条、《中华人民共和国民事诉讼法》第二百零五条）",
            date_zh(a.date),
            date_zh(a.confirmation_due),
        )],
    ));
    for (i, (heading, paras)) in sections.iter().enumerate() {
        doc = doc.heading(1, &format!("{}、{heading}", HEADING_NUMBERS[i]));
        for p in paras {
            doc = doc.para(p);
        }
    }
    doc = doc.blank().line("当事人（签名、盖章或者按指印）：");
    for p in &a.parties {
        doc = doc.sign_line(&format!("{}（{}）：", p.role, p.name), 8);
    }
    doc = doc
        .sign_line(&format!("人民调解员（签名）：{}　", a.mediator), 6)
        .blank()
        .right("（人民调解委员会印章）", 4)
        .issuer_and_date(&a.committee, a.date);
    doc.to_bytes()
}

/// The 司法确认申请书 (人民调解法 Art 33; 民事诉讼法 Arts 205–206; the Supreme People's
/// Court's rules on judicial confirmation): every party applies together to `court`
/// within 30 days of the agreement taking effect, from the same record as the agreement;
/// dated `on`.
pub fn confirmation_application(a: &Agreement, court: &str, on: Date) -> Result<Vec<u8>, String> {
    let mut doc = Gongwen::new().title("司法确认申请书");
    let principals: Vec<&AgreementParty> = a.parties.iter().filter(|p| p.principal).collect();
    for p in &a.parties {
        let role = if p.principal {
            "申请人"
        } else {
            p.role.as_str()
        };
        doc = doc.para(&party_line(&AgreementParty {
            role: role.to_string(),
            ..p.clone()
        }));
    }
    doc = doc.heading(1, "一、请求事项").para(&format!(
        "请求人民法院确认申请人于{}经{}主持调解达成的人民调解协议（编号：{}）有效。",
        date_zh(a.date),
        a.committee,
        a.number
    ));
    let mut facts = vec![format!(
        "申请人之间因下列纠纷，经{}主持调解，于{}达成人民调解协议：{}",
        a.committee,
        date_zh(a.date),
        a.facts.trim()
    )];
    facts.push("协议内容如下：".into());
    facts.extend(term_lines(&a.terms));
    facts.push(format!("履行方式、期限：{}", a.performance.trim()));
    facts.push(
        "申请人出于解决纠纷的目的自愿达成上述协议，没有恶意串通、规避法律的行为；\
         如果因为该协议内容而给他人造成损害的，愿意承担相应的民事责任和其他法律责任。"
            .into(),
    );
    facts.push(format!(
        "本申请于调解协议生效之日起三十日内提出（申请期限至{}止）。",
        date_zh(a.confirmation_due)
    ));
    doc = doc.heading(1, "二、事实和理由");
    for f in &facts {
        doc = doc.para(f);
    }
    doc = doc
        .blank()
        .line("此致")
        .line(court)
        .blank()
        .line("附：人民调解协议书一份；申请人身份证明材料复印件。");
    doc = doc.blank();
    for p in principals {
        doc = doc.sign_line(&format!("申请人（{}）：", p.name), 8);
    }
    doc.blank().right(&date_zh(on), 4).to_bytes()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::gongwen::part;

    fn sample() -> Agreement {
        let cal = Calendar::builtin();
        let on = date!(2026 - 01 - 20);
        Agreement {
            committee: "青石镇人民调解委员会".into(),
            number: "青调〔2026〕3号".into(),
            parties: vec![
                AgreementParty {
                    role: "申请人".into(),
                    name: "张三".into(),
                    sex: Some("男".into()),
                    age: Some(46),
                    id_number: Some("51010519800101123X".into()),
                    address: Some("青石镇石桥村3组".into()),
                    phone: Some("13812345678".into()),
                    principal: true,
                },
                AgreementParty {
                    role: "被申请人".into(),
                    name: "李四".into(),
                    principal: true,
                    ..AgreementParty::default()
                },
            ],
            facts: "双方因排水沟堵塞发生争执。".into(),
            responsibilities: Some("李四负主要责任。".into()),
            terms: "李四疏通排水沟\n李四赔偿张三损失500元".into(),
            performance: "2026年1月31日前一次性付清。".into(),
            mediator: "王五".into(),
            date: on,
            confirmation_due: confirmation_due(on, &cal),
        }
    }

    #[test]
    fn confirmation_window_is_30_days_moved_off_rest_days() {
        let cal = Calendar::builtin();
        // 2026-01-20 + 30 = 2026-02-19, inside the 春节 break (2/15–2/23): moves to 2/24.
        assert_eq!(
            confirmation_due(date!(2026 - 01 - 20), &cal),
            date!(2026 - 02 - 24)
        );
        assert_eq!(
            confirmation_due(date!(2026 - 03 - 02), &cal),
            date!(2026 - 04 - 01)
        );
    }

    #[test]
    fn sex_and_age_come_from_the_id_number() {
        assert_eq!(
            sex_and_age("51010519800101123X", date!(2026 - 01 - 01)),
            Some(("男", 46))
        );
        assert_eq!(
            sex_and_age("510105198001021221", date!(2026 - 01 - 01)),
            Some(("女", 45))
        );
        assert_eq!(
            sex_and_age("5101**********123X", date!(2026 - 01 - 01)),
            None
        );
        assert_eq!(count_zh(3), "三");
        assert_eq!(count_zh(12), "十二");
    }

    #[test]
    fn the_application_for_confirmation_comes_from_the_same_record() {
        let a = sample();
        let bytes = confirmation_application(&a, "清溪区人民法院", date!(2026 - 01 - 22)).unwrap();
        let text = fazhi_analyze::decode::docx_to_text(&bytes).unwrap();
        for want in [
            "司法确认申请书",
            "申请人：张三，男，46岁，公民身份号码51010519800101123X",
            "申请人：李四。",
            "一、请求事项",
            "青调〔2026〕3号",
            "1．李四疏通排水沟",
            "2．李四赔偿张三损失500元",
            "清溪区人民法院",
            "三十日内",
            "2026年1月22日",
        ] {
            assert!(text.contains(want), "{want} missing: {text}");
        }
    }

    #[test]
    fn the_agreement_has_what_the_law_asks_for() {
        let bytes = write(&sample()).unwrap();
        // FAZHI_DOCX_OUT=dir keeps the sample for a look in Word or WPS.
        if let Some(dir) = std::env::var_os("FAZHI_DOCX_OUT") {
            std::fs::write(
                std::path::Path::new(&dir).join("调解协议书样例.docx"),
                &bytes,
            )
            .unwrap();
        }
        let text = fazhi_analyze::decode::docx_to_text(&bytes).unwrap();
        for want in [
            "人民调解协议书",
            "编号：青调〔2026〕3号",
            "申请人：张三，男，46岁，公民身份号码51010519800101123X，住址青石镇石桥村3组，联系电话13812345678。",
            "被申请人：李四。",
            "一、纠纷主要事实、争议事项",
            "二、各方当事人的责任",
            "三、经人民调解委员会调解，各方当事人自愿达成如下协议",
            "1．李四疏通排水沟",
            "2．李四赔偿张三损失500元",
            "四、履行协议的方式、期限",
            "2026年1月31日前一次性付清。",
            "签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效",
            "本协议一式三份，当事人各执一份，人民调解委员会留存一份。",
            "自本协议生效之日起三十日内，共同向",
            "本协议于2026年1月20日生效的，申请期限至2026年2月24日止。",
            "申请人（张三）：",
            "被申请人（李四）：",
            "人民调解员（签名）：王五",
            "（人民调解委员会印章）",
            "青石镇人民调解委员会\n2026年1月20日",
        ] {
            assert!(text.contains(want), "missing {want:?} in\n{text}");
        }
        let doc = part(&bytes, "word/document.xml");
        assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838""#));
        assert!(doc.contains(r#"w:top="2098""#) && doc.contains(r#"w:left="1587""#));
        assert!(doc.contains(r#"w:eastAsia="方正小标宋简体""#));
        assert!(doc.contains(r#"w:eastAsia="黑体""#));
        // One underlined signature blank per party plus the mediator's.
        assert_eq!(doc.matches(r#"<w:u w:val="single""#).count(), 3);
    }
}
