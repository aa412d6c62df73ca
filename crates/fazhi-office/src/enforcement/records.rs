//! The records taken during the case: 询问笔录 and 现场检查（勘验）笔录 (Art 55; rules-2.md
//! §3: time, place, ID shown, recusal told, every page signed, two officers, a
//! witness on refusal) and 听证笔录 (Arts 64(8), 65: checked and signed by the party).
//!
//! The case keeps the date and text of each record, not the hours, the place or who
//! was questioned: those are left as lines to fill in by hand on the printed form.

use fazhi_core::enforcement::{Evidence, EvidenceKind};

use super::{CaseFile, Person};
use crate::gongwen::{Gongwen, date_zh};

/// Hours and minutes to fill in by hand.
const HOURS: &str = "＿＿时＿＿分至＿＿时＿＿分";

/// 询问笔录 or 现场检查（勘验）笔录 of one evidence record.
pub(super) fn record(f: &CaseFile, e: &Evidence) -> Gongwen {
    let inquiry = e.kind == EvidenceKind::Inquiry;
    let title = if inquiry {
        "询问笔录"
    } else {
        "现场检查（勘验）笔录"
    };
    // Who the officers face: the person questioned, or the party (or whoever is
    // present for it) at an inspection.
    let person = if inquiry {
        "被询问人"
    } else {
        "当事人（或者在场人）"
    };
    let numbers: Vec<String> = e
        .officers
        .iter()
        .filter_map(|id| f.people.get(id))
        .filter_map(|p: &Person| p.number.clone())
        .collect();
    let mut doc = Gongwen::new()
        .title(title)
        .line(&format!("案号：{}", f.number))
        .line(&format!(
            "案由：{}（事项编码{}）",
            f.state.item.spec.name, f.state.item.spec.code
        ))
        .line(&format!("时间：{}{HOURS}", date_zh(e.on)))
        .sign_line(
            if inquiry {
                "地点："
            } else {
                "检查（勘验）地点："
            },
            12,
        )
        .line(&format!(
            "{}：{}",
            if inquiry {
                "询问人"
            } else {
                "检查（勘验）人"
            },
            f.officers_zh(&e.officers)
        ))
        .sign_line("记录人：", 8);
    doc = if inquiry {
        doc.sign_line("被询问人姓名：", 8)
            .sign_line("身份证件号码：", 12)
            .sign_line("与本案关系：", 8)
    } else {
        doc.line(&format!(
            "当事人：{}（{}）",
            f.state.party.name,
            f.state.party.kind.label_zh()
        ))
        .sign_line("在场人（与当事人关系）：", 8)
    };
    doc = doc
        .heading(1, "一、表明身份和告知")
        .para(&format!(
            "我们是{}的执法人员，依照《中华人民共和国行政处罚法》第五十五条的规定，\
             已向{person}出示执法证件{}，{person}已核对确认。\
             现依法{}，请如实{}。依照《中华人民共和国行政处罚法》第四十三条的规定，\
             执法人员与本案有直接利害关系或者有其他关系可能影响公正执法的，应当回避；\
             {person}认为执法人员应当回避的，有权申请回避。",
            f.agency,
            if numbers.is_empty() {
                String::new()
            } else {
                format!("（执法证号{}）", numbers.join("、"))
            },
            if inquiry {
                "就本案有关情况进行询问"
            } else {
                "进行现场检查（勘验）"
            },
            if inquiry {
                "回答"
            } else {
                "说明情况并配合检查"
            },
        ))
        .sign_line(&format!("{person}是否看清执法证件："), 6)
        .sign_line(&format!("{person}是否申请回避："), 6)
        .heading(
            1,
            if inquiry {
                "二、询问记录"
            } else {
                "二、检查（勘验）情况"
            },
        )
        .para(&super::sentence(&e.description))
        .heading(1, "三、核对和签名")
        .para(&format!(
            "以上笔录共＿＿页，已交{person}阅读（或者向其宣读），{person}确认与实际情况相符，\
             并在笔录每页签名。"
        ))
        .sign_line(&format!("{person}签名（每页）："), 8);
    for id in &e.officers {
        doc = doc.sign_line(&format!("执法人员（{}）签名：", f.name_of(Some(*id))), 8);
    }
    doc.sign_line("见证人签名：", 8).sign_line(
        &format!("{person}拒绝签名或者不在场的，注明原因（由见证人或者两名执法人员签名）："),
        8,
    )
}

/// 听证笔录: the hearing as held, with the transcript kept in the case; who chaired,
/// recorded and investigated is not recorded, so those are lines to fill in.
pub(super) fn hearing_record(f: &CaseFile) -> Gongwen {
    let s = &f.state;
    let h = s.hearing.as_ref().expect("checked by DocKind::check");
    let held = h.held_on.expect("checked by DocKind::check");
    let you = "当事人";
    let mut doc = f
        .header(Gongwen::new().title("听证笔录"))
        .line(&format!("听证时间：{}{HOURS}", date_zh(held)))
        .sign_line("听证地点：", 12)
        .sign_line("听证主持人：", 8)
        .sign_line("听证员：", 8)
        .sign_line("记录人：", 8)
        .sign_line("案件调查人员：", 8)
        .sign_line("当事人（法定代表人）或者委托代理人：", 8)
        .heading(1, "一、听证程序")
        .para(&format!(
            "主持人宣布听证开始，核对听证参加人身份，宣布听证纪律，告知{you}依法享有申请回避、\
             陈述、申辩和质证的权利。听证主持人不是本案调查人员（《中华人民共和国行政处罚法》\
             第六十四条）。{}",
            if h.requested_on.is_some() {
                "本次听证依当事人申请举行。"
            } else {
                ""
            }
        ))
        .heading(1, "二、听证情况")
        .para("案件调查人员提出当事人违法的事实、证据和行政处罚建议，当事人进行申辩和质证。")
        .para(&super::sentence(if h.transcript.trim().is_empty() {
            "（听证情况未录入系统，见手写记录）"
        } else {
            &h.transcript
        }))
        .heading(1, "三、核对和签名")
        .para(&format!(
            "以上笔录已交{you}核对（或者向其宣读），{you}确认无误后签名或者盖章。\
             本机关根据听证笔录依法作出决定（《中华人民共和国行政处罚法》第六十五条）。"
        ))
        .sign_line("当事人或者委托代理人签名（每页）：", 8)
        .sign_line("听证主持人签名：", 8)
        .sign_line("听证员签名：", 8)
        .sign_line("记录人签名：", 8);
    doc = doc.sign_line("当事人拒绝签名的，由主持人注明情况：", 8);
    doc
}
