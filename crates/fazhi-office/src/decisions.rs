//! Documents of the review desk, major decisions and normative documents, in the 公文
//! layout: the 合法性审查意见书 (from an item with its opinion), the 征求意见公告 and the
//! 决策公告 of a major decision, the 规范性文件 with its number and its 备案报告 to the
//! county. The web layer fills the input structs from the stored states and says
//! which the state supports.

use time::Date;

use crate::gongwen::{Gongwen, date_zh};

/// 合法性审查意见书.
#[derive(Debug, Clone)]
pub struct ReviewOpinionDoc {
    /// The reviewing body (the township's government or its 司法所).
    pub issuer: String,
    /// 审查事项.
    pub title: String,
    /// 事项类型 ("重大行政决策" …).
    pub kind_label: String,
    pub drafting_unit: String,
    pub submitted_on: Date,
    pub materials: String,
    /// "合法" / "不合法" / "修改后合法".
    pub opinion_label: String,
    pub reasons: String,
    /// The reviewer (account name) and, when the item was put to one, the adviser.
    pub reviewer: String,
    pub reviewed_on: Date,
}

/// 征求意见公告 of a major decision's draft.
#[derive(Debug, Clone)]
pub struct ConsultationNoticeDoc {
    pub issuer: String,
    pub decision_title: String,
    pub draft: String,
    pub explanation: String,
    pub published_on: Date,
    pub closes_on: Date,
    /// Why the period is shorter than 30 days (Art 15), if it is.
    pub shorter_reason: String,
    /// A 听证会 with its participants, when one was scheduled.
    pub hearing: Option<(Date, String)>,
}

/// 决策公告 of a major decision.
#[derive(Debug, Clone)]
pub struct DecisionNoticeDoc {
    pub issuer: String,
    pub decision_title: String,
    pub text: String,
    pub discussed_on: Date,
    pub published_on: Date,
}

/// A 规范性文件 as registered: number, title, text and the days it counts from.
#[derive(Debug, Clone)]
pub struct NormativeDoc {
    pub issuer: String,
    pub number: String,
    pub title: String,
    pub text: String,
    pub issued_on: Date,
    pub effective_on: Option<Date>,
    pub expires_on: Option<Date>,
}

/// 规范性文件备案报告 to the county government.
#[derive(Debug, Clone)]
pub struct FilingReportDoc {
    pub issuer: String,
    /// The body it is filed with (区县人民政府).
    pub filed_with: String,
    pub number: String,
    pub title: String,
    pub drafting_unit: String,
    pub reviewed_on: Option<Date>,
    pub deliberated_on: Option<Date>,
    pub issued_on: Date,
    pub published_on: Date,
    pub published_via: String,
    pub effective_on: Option<Date>,
    pub date: Date,
}

fn no_stop(s: &str) -> &str {
    s.trim().trim_end_matches(['。', '.'])
}

/// Writes the 合法性审查意见书.
pub fn review_opinion(d: &ReviewOpinionDoc) -> Result<Vec<u8>, String> {
    let mut doc = Gongwen::new()
        .title("合法性审查意见书")
        .line(&format!("{}：", d.drafting_unit.trim()))
        .para(&format!(
            "你单位于{}报送的《{}》（{}）及有关材料收悉。经审查，现提出如下意见：",
            date_zh(d.submitted_on),
            no_stop(&d.title),
            d.kind_label
        ))
        .heading(1, "一、审查材料")
        .para(&d.materials)
        .heading(1, "二、审查意见")
        .para(&format!("审查结论：{}。", d.opinion_label));
    if !d.reasons.trim().is_empty() {
        doc = doc.heading(1, "三、理由和修改意见").para(&d.reasons);
    }
    doc.para("请在收到本意见书后反馈采纳情况；未予采纳的，请说明理由。")
        .blank()
        .line(&format!("审查人员：{}", d.reviewer))
        .blank()
        .issuer_and_date(&d.issuer, d.reviewed_on)
        .to_bytes()
}

/// Writes the 征求意见公告.
pub fn consultation_notice(d: &ConsultationNoticeDoc) -> Result<Vec<u8>, String> {
    let title = no_stop(&d.decision_title);
    let mut doc = Gongwen::new()
        .title(&format!("关于公开征求《{title}》\n（征求意见稿）意见的公告"))
        .para(&format!(
            "为提高决策质量、保障公众参与，依照《重大行政决策程序暂行条例》第十四条至第十六条的规定，现将《{title}》（征求意见稿）及起草说明向社会公布，公开征求意见。"
        ))
        .heading(1, "一、征求意见期限")
        .para(&format!(
            "{}至{}。",
            date_zh(d.published_on),
            date_zh(d.closes_on)
        ));
    if !d.shorter_reason.trim().is_empty() {
        doc = doc.para(&format!(
            "征求意见期限少于30日的理由：{}",
            d.shorter_reason.trim()
        ));
    }
    doc = doc
        .heading(1, "二、提出意见的方式")
        .para("可通过本公告所在网站留言，或将书面意见送交、邮寄至本机关党政办公室，请注明“意见建议”字样并留下联系方式。")
        .heading(1, "三、起草说明")
        .para(&d.explanation);
    if let Some((on, participants)) = &d.hearing {
        doc = doc.heading(1, "四、听证会").para(&format!(
            "定于{}举行听证会。听证参加人及其产生方式：{}",
            date_zh(*on),
            participants.trim()
        ));
    }
    doc.para("附件：征求意见稿")
        .blank()
        .issuer_and_date(&d.issuer, d.published_on)
        .page_break()
        .centered("征求意见稿")
        .title(title)
        .para(&d.draft)
        .to_bytes()
}

/// Writes the 决策公告.
pub fn decision_notice(d: &DecisionNoticeDoc) -> Result<Vec<u8>, String> {
    let title = no_stop(&d.decision_title);
    Gongwen::new()
        .title(&format!("关于公布《{title}》的公告"))
        .para(&format!(
            "《{title}》已经{}集体讨论决定，并依照《重大行政决策程序暂行条例》第三十一条的规定报告同级党委，现予公布。",
            date_zh(d.discussed_on)
        ))
        .para(&d.text)
        .blank()
        .issuer_and_date(&d.issuer, d.published_on)
        .to_bytes()
}

/// Writes the 规范性文件 with its number.
pub fn normative_document(d: &NormativeDoc) -> Result<Vec<u8>, String> {
    // The number under the title, as on a published 规范性文件.
    let mut doc = Gongwen::new()
        .title(no_stop(&d.title))
        .centered(&d.number)
        .blank()
        .para(&d.text);
    let mut validity = String::new();
    if let Some(e) = d.effective_on {
        validity.push_str(&format!("本文件自{}起施行", date_zh(e)));
        if let Some(x) = d.expires_on {
            validity.push_str(&format!("，有效期至{}", date_zh(x)));
        }
        validity.push('。');
    }
    if !validity.is_empty() {
        doc = doc.para(&validity);
    }
    doc.blank()
        .issuer_and_date(&d.issuer, d.issued_on)
        .to_bytes()
}

/// Writes the 备案报告.
pub fn filing_report(d: &FilingReportDoc) -> Result<Vec<u8>, String> {
    let title = no_stop(&d.title);
    let on = |x: Option<Date>| x.map(date_zh).unwrap_or_else(|| "＿＿＿＿".into());
    Gongwen::new()
        .title(&format!("关于《{title}》的备案报告"))
        .line(&format!("{}：", d.filed_with.trim()))
        .para(&format!(
            "根据行政规范性文件备案审查的有关规定，现将我单位制定的《{title}》（{}）报送备案。",
            d.number
        ))
        .heading(1, "一、制定情况")
        .para(&format!(
            "该文件由{}起草，于{}经合法性审核，于{}经集体审议通过，{}印发，{}通过{}公布，自{}起施行。",
            d.drafting_unit.trim(),
            on(d.reviewed_on),
            on(d.deliberated_on),
            date_zh(d.issued_on),
            date_zh(d.published_on),
            if d.published_via.trim().is_empty() { "政府网站" } else { d.published_via.trim() },
            on(d.effective_on)
        ))
        .heading(1, "二、报送材料")
        .para("1.备案报告；\n2.规范性文件正式文本；\n3.起草说明；\n4.制定依据；\n5.合法性审核意见；\n6.征求意见及采纳情况。")
        .para("请予备案审查。")
        .blank()
        .issuer_and_date(&d.issuer, d.date)
        .to_bytes()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn text(bytes: &[u8]) -> String {
        fazhi_analyze::decode::docx_to_text(bytes).unwrap()
    }

    #[test]
    fn each_document_carries_its_record() {
        let t = text(
            &review_opinion(&ReviewOpinionDoc {
                issuer: "青石镇人民政府".into(),
                title: "村道养护服务合同".into(),
                kind_label: "合同".into(),
                drafting_unit: "党政办公室".into(),
                submitted_on: date!(2026 - 03 - 02),
                materials: "合同文本".into(),
                opinion_label: "修改后合法".into(),
                reasons: "违约责任条款须明确".into(),
                reviewer: "周明（重庆清溪律师事务所）".into(),
                reviewed_on: date!(2026 - 03 - 06),
            })
            .unwrap(),
        );
        for want in [
            "合法性审查意见书",
            "《村道养护服务合同》（合同）",
            "修改后合法",
            "违约责任条款须明确",
            "2026年3月6日",
        ] {
            assert!(t.contains(want), "{want} in {t}");
        }
        let t = text(
            &consultation_notice(&ConsultationNoticeDoc {
                issuer: "青石镇人民政府".into(),
                decision_title: "青石镇集镇停车管理办法".into(),
                draft: "第一条 为规范停车……".into(),
                explanation: "起草背景".into(),
                published_on: date!(2026 - 03 - 02),
                closes_on: date!(2026 - 04 - 01),
                shorter_reason: String::new(),
                hearing: Some((date!(2026 - 03 - 20), "居民代表5名".into())),
            })
            .unwrap(),
        );
        for want in [
            "征求意见稿",
            "2026年3月2日至2026年4月1日",
            "听证会",
            "居民代表5名",
            "第一条 为规范停车",
        ] {
            assert!(t.contains(want), "{want} in {t}");
        }
        let t = text(
            &normative_document(&NormativeDoc {
                issuer: "青石镇人民政府".into(),
                number: "青石府规〔2026〕1号".into(),
                title: "青石镇农村建房管理规定".into(),
                text: "第一条 ……".into(),
                issued_on: date!(2026 - 03 - 02),
                effective_on: Some(date!(2026 - 04 - 01)),
                expires_on: Some(date!(2031 - 03 - 31)),
            })
            .unwrap(),
        );
        for want in [
            "青石府规〔2026〕1号",
            "自2026年4月1日起施行，有效期至2031年3月31日",
        ] {
            assert!(t.contains(want), "{want} in {t}");
        }
    }
}
