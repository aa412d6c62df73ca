//! 行政复议答复书 (复议法 Art 48) and 行政诉讼答辩状 (行诉法 Art 67): the skeleton of the
//! township's answer, filled from the register (parties, the challenged act, the case
//! number, the day the copy was received) with the three parts the law asks for —
//! facts and evidence, legal basis, the answer to the claims — left as lines for the
//! handler to write.

use time::Date;

use crate::gongwen::{Gongwen, date_zh};

/// Which answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    /// 行政复议答复书.
    Reconsideration,
    /// 行政诉讼答辩状.
    Lawsuit,
}

/// What the answer is filled with.
#[derive(Debug, Clone)]
pub struct Answer {
    pub kind: AnswerKind,
    /// The township's government (答复人 / 答辩人).
    pub respondent: String,
    /// 申请人 / 原告.
    pub claimant: String,
    /// 复议机关 / 人民法院.
    pub body: String,
    pub challenged_act: String,
    /// 案号, may be empty.
    pub case_number: String,
    pub received_on: Date,
    /// Date of the document.
    pub date: Date,
}

const FILL: &str = "＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿";

/// Writes the answer as DOCX.
pub fn write(a: &Answer) -> Result<Vec<u8>, String> {
    let act = a.challenged_act.trim().trim_end_matches(['。', '.']);
    let case = if a.case_number.trim().is_empty() {
        String::new()
    } else {
        format!("（{}）", a.case_number.trim())
    };
    let received = date_zh(a.received_on);
    let mut doc = match a.kind {
        AnswerKind::Reconsideration => Gongwen::new()
            .title("行政复议答复书")
            .line(&format!("答复人：{}", a.respondent))
            .line("住所地：＿＿＿＿＿＿＿＿＿＿")
            .line("法定代表人：＿＿＿＿＿＿　职务：＿＿＿＿＿＿")
            .line(&format!("申请人：{}", a.claimant))
            .blank()
            .line(&format!("{}：", a.body))
            .para(&format!(
                "申请人{}不服答复人作出的{act}，向你机关申请行政复议{case}。答复人于{received}收到行政复议申请书副本，现依照《中华人民共和国行政复议法》第四十八条的规定，提出书面答复如下：",
                a.claimant
            )),
        AnswerKind::Lawsuit => Gongwen::new()
            .title("行政诉讼答辩状")
            .line(&format!("答辩人：{}", a.respondent))
            .line("住所地：＿＿＿＿＿＿＿＿＿＿")
            .line("法定代表人：＿＿＿＿＿＿　职务：＿＿＿＿＿＿")
            .line(&format!("被答辩人（原告）：{}", a.claimant))
            .blank()
            .para(&format!(
                "答辩人因{}诉答辩人{act}一案{case}，于{received}收到起诉状副本，现依照《中华人民共和国行政诉讼法》第六十七条的规定，提出答辩如下：",
                a.claimant
            )),
    };
    let (facts, basis, claims) = match a.kind {
        AnswerKind::Reconsideration => (
            "一、作出行政行为的事实和证据",
            "二、作出行政行为的法律依据和程序",
            "三、对申请人复议请求的意见",
        ),
        AnswerKind::Lawsuit => (
            "一、被诉行政行为认定的事实和证据",
            "二、被诉行政行为的法律依据和程序",
            "三、对原告诉讼请求的意见",
        ),
    };
    for h in [facts, basis, claims] {
        doc = doc.heading(1, h).line(FILL).line(FILL).line(FILL);
    }
    doc = match a.kind {
        AnswerKind::Reconsideration => doc
            .para("综上，答复人作出的行政行为认定事实清楚，证据确凿，适用依据正确，程序合法，内容适当。请求复议机关依法予以维持。")
            .para("附：作出行政行为的证据、依据和其他有关材料清单")
            .line(FILL)
            .blank()
            .line("此致")
            .line(&a.body),
        AnswerKind::Lawsuit => doc
            .para("综上，被诉行政行为认定事实清楚，证据确凿，适用法律、法规正确，符合法定程序。请求人民法院依法驳回原告的诉讼请求。")
            .para("附：证据、所依据的规范性文件清单")
            .line(FILL)
            .blank()
            .line("此致")
            .line(&a.body),
    };
    doc.blank()
        .issuer_and_date(&a.respondent, a.date)
        .to_bytes()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn both_answers_carry_the_record() {
        for (kind, title, article) in [
            (AnswerKind::Reconsideration, "行政复议答复书", "第四十八条"),
            (AnswerKind::Lawsuit, "行政诉讼答辩状", "第六十七条"),
        ] {
            let bytes = write(&Answer {
                kind,
                respondent: "青石镇人民政府".into(),
                claimant: "某建材公司".into(),
                body: "清溪区人民政府".into(),
                challenged_act: "青石执罚决〔2026〕7号行政处罚决定".into(),
                case_number: "清溪府复〔2026〕3号".into(),
                received_on: date!(2026 - 03 - 02),
                date: date!(2026 - 03 - 10),
            })
            .unwrap();
            let text = fazhi_analyze::decode::docx_to_text(&bytes).unwrap();
            for want in [
                title,
                article,
                "某建材公司",
                "青石执罚决〔2026〕7号行政处罚决定",
                "（清溪府复〔2026〕3号）",
                "2026年3月2日收到",
                "此致",
                "青石镇人民政府\n2026年3月10日",
            ] {
                assert!(text.contains(want), "{want} in {text}");
            }
        }
    }
}
