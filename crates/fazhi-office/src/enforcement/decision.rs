//! The decision forms and their service: 行政处罚决定书 with what Art 59 requires,
//! 当场处罚决定书 (Arts 51–52, 复议 first under 行政复议法 Art 23) and 送达回证
//! (Art 61).

use fazhi_core::enforcement::{Decision, PenaltyKind, money::yuan};

use super::{CaseFile, period_zh, permille_zh};
use crate::gongwen::{Gongwen, date_zh};

/// How and by when to pay (Arts 67, 70, 72): within the payment period of receipt,
/// at a bank or electronically, with the daily surcharge capped at the fine.
fn payment(f: &CaseFile, d: &Decision) -> Option<String> {
    let p = d.penalty.as_ref()?;
    if !p.kinds.contains(&PenaltyKind::Fine) || p.fine_fen == 0 {
        return None;
    }
    if d.collected_on_spot {
        return Some(format!(
            "罚款{}元已当场收缴，本机关向{}出具省级财政部门统一制发的专用票据\
             （《中华人民共和国行政处罚法》第六十八条、第七十条）。",
            yuan(p.fine_fen),
            f.you()
        ));
    }
    let by = f
        .state
        .service
        .as_ref()
        .map(|s| format!("，即于{}前", date_zh(s.payment_due)))
        .unwrap_or_default();
    Some(format!(
        "{you}应当自收到本决定书之日起{}内{by}，持本决定书到指定银行或者通过电子支付系统缴纳罚款{}元。\
         到期不缴纳罚款的，本机关将依照《中华人民共和国行政处罚法》第七十二条的规定，\
         每日按罚款数额的{}加处罚款，加处罚款的数额不超出罚款的数额，并可以依法申请人民法院强制执行。",
        period_zh(f.rules.payment_period),
        yuan(p.fine_fen),
        permille_zh(f.rules.surcharge_permille_per_day),
        you = f.you(),
    ))
}

/// 行政处罚决定书 (Art 59): party and address; facts and evidence; type and basis of
/// the penalty; how and by when to comply; 复议 and 诉讼 routes and deadlines;
/// agency, date and seal.
pub(super) fn decision(f: &CaseFile) -> Gongwen {
    let s = &f.state;
    let d = s.decision.as_ref().expect("checked by DocKind::check");
    let p = d.penalty.clone().unwrap_or_default();
    let you = f.you();
    let mut doc = Gongwen::new()
        .title("行政处罚决定书")
        .centered(&f.doc_number("决"))
        .line(&format!(
            "当事人：{}（{}）",
            s.party.name,
            s.party.kind.label_zh()
        ))
        .line(&format!("住所（住址）：{}", f.address()))
        .para(&format!(
            "{you}{}一案，本机关于{}立案调查{}。现已调查终结。",
            f.facts(),
            date_zh(s.opened_on),
            s.notice
                .as_ref()
                .map(|n| format!(
                    "，于{}向{you}告知了拟作出的行政处罚决定的事实、理由、依据及{you}依法享有的权利",
                    date_zh(n.on)
                ))
                .unwrap_or_default()
        ))
        .heading(1, "一、违法事实")
        .para(&format!(
            "经查，{you}于{}{}（违法行为发生地：{}）。",
            date_zh(s.act_on),
            f.facts(),
            f.place
        ))
        .heading(1, "二、证据");
    if s.evidence.is_empty() {
        doc = doc.para("以上事实有本案调查材料证实。");
    } else {
        doc = doc.para("以上事实有下列证据证实：");
        for (i, e) in s.evidence.iter().enumerate() {
            doc = doc.para(&format!(
                "{}．{}：{}（{}）",
                i + 1,
                e.kind.label_zh(),
                e.description.trim().trim_end_matches('。'),
                date_zh(e.on)
            ));
        }
    }
    let mut heard = Vec::new();
    if let Some(df) = &s.defence {
        heard.push(if df.waived {
            format!("{you}书面放弃陈述、申辩。")
        } else {
            format!(
                "{you}于{}提出陈述、申辩：{}本机关已进行复核。",
                date_zh(df.on),
                df.summary.trim().trim_end_matches('。').to_string() + "。"
            )
        });
    }
    if let Some(h) = &s.hearing {
        if h.waived {
            heard.push(format!("{you}书面放弃听证。"));
        } else if let Some(held) = h.held_on {
            heard.push(format!(
                "本机关于{}依法举行听证，根据听证笔录作出本决定。",
                date_zh(held)
            ));
        }
    }
    if !heard.is_empty() {
        doc = doc.heading(1, "三、陈述、申辩和听证").para(&heard.join(""));
    }
    let n = if heard.is_empty() { 3 } else { 4 };
    let numbers = ["一", "二", "三", "四", "五", "六", "七"];
    doc = doc
        .heading(1, &format!("{}、处罚依据和处罚决定", numbers[n - 1]))
        .para(&format!(
            "{you}的上述行为违反了{}的规定。依据{}{}，本机关决定对{you}作出如下行政处罚：{}。",
            s.item.spec.legal_basis,
            s.item.spec.penalty_basis,
            d.grade
                .map(|g| format!("，按照行政处罚裁量基准中“{}”的标准", g.label_zh()))
                .unwrap_or_default(),
            p.label_zh()
        ));
    if !d.reasons.trim().is_empty() {
        doc = doc.para(&format!("理由：{}", super::sentence(&d.reasons)));
    }
    let mut duties: Vec<String> = payment(f, d).into_iter().collect();
    if p.kinds.iter().any(|k| *k != PenaltyKind::Fine) {
        duties.push(format!("{you}应当自收到本决定书之日起履行本决定。"));
    }
    doc = doc.heading(1, &format!("{}、履行方式和期限", numbers[n]));
    for t in &duties {
        doc = doc.para(t);
    }
    doc = doc
        .heading(1, &format!("{}、救济途径和期限", numbers[n + 1]))
        .para(&format!(
            "{you}如不服本决定，可以自收到本决定书之日起六十日内向{}申请行政复议，\
             也可以自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。\
             申请行政复议或者提起行政诉讼期间，本决定不停止执行，法律另有规定的除外\
             （《中华人民共和国行政复议法》第二十条、《中华人民共和国行政诉讼法》第四十六条、\
             《中华人民共和国行政处罚法》第七十三条）。",
            f.review_body
        ));
    f.sign_off(doc, d.on)
}

/// 当场处罚决定书 (Arts 51–52): handed over on the spot with the officers'
/// certificate numbers, filed with the agency; 复议 comes first (行政复议法 Art 23).
pub(super) fn on_the_spot(f: &CaseFile) -> Gongwen {
    let s = &f.state;
    let d = s.decision.as_ref().expect("checked by DocKind::check");
    let p = d.penalty.clone().unwrap_or_default();
    let you = f.you();
    let mut doc = Gongwen::new()
        .title("当场处罚决定书")
        .centered(&f.number)
        .line(&format!(
            "当事人：{}（{}）",
            s.party.name,
            s.party.kind.label_zh()
        ))
        .line(&format!("住所（住址）：{}", f.address()))
        .para(&format!(
            "经查，{you}于{}{}（违法行为发生地：{}）。",
            date_zh(s.act_on),
            f.facts(),
            f.place
        ))
        .para(&format!(
            "{you}的上述行为违反了{}的规定。依据{}和《中华人民共和国行政处罚法》第五十一条、第五十二条的规定，\
             本机关执法人员当场作出如下行政处罚决定：{}。",
            s.item.spec.legal_basis,
            s.item.spec.penalty_basis,
            p.label_zh()
        ));
    if !d.reasons.trim().is_empty() {
        doc = doc.para(&format!("理由：{}", super::sentence(&d.reasons)));
    }
    if let Some(t) = payment(f, d) {
        doc = doc.para(&t);
    }
    doc = doc
        .para(&format!(
            "{you}如不服本决定，应当自收到本决定书之日起六十日内向{}申请行政复议；\
             对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼\
             （《中华人民共和国行政复议法》第二十条、第二十三条）。",
            f.review_body
        ))
        .para(&format!(
            "执法人员：{}。本决定书当场交付当事人，并报{}备案。",
            f.officers_zh(&s.officers),
            f.agency
        ));
    for id in &s.officers {
        doc = doc.sign_line(&format!("执法人员（{}）签名：", f.name_of(Some(*id))), 8);
    }
    doc = doc
        .sign_line("当事人签收：", 8)
        .line(&format!("作出决定的地点：{}", f.place));
    f.sign_off(doc, d.on)
}

/// 送达回证: the document served, on whom, where, how and when, with signature lines
/// and the note on service by leaving it (民事诉讼法 Art 89).
pub(super) fn service_receipt(f: &CaseFile) -> Gongwen {
    let s = &f.state;
    let d = s.decision.as_ref().expect("checked by DocKind::check");
    let served = s.service.as_ref();
    let title = match d.outcome {
        fazhi_core::enforcement::CaseOutcome::Penalty => "行政处罚决定书",
        fazhi_core::enforcement::CaseOutcome::NoPenalty => "不予行政处罚决定书",
        _ => "处理决定书",
    };
    let mut doc = Gongwen::new()
        .title("送达回证")
        .line(&format!("案号：{}", f.number))
        .line(&format!("送达文书：{title}（{}）", f.doc_number("决")))
        .line(&format!("受送达人：{}", s.party.name))
        .line(&format!("送达地点：{}", f.address()));
    doc = match served {
        Some(sv) => doc
            .line(&format!("送达方式：{}", sv.method.label_zh()))
            .line(&format!("送达日期：{}", date_zh(sv.on))),
        None => doc.sign_line("送达方式：", 10).sign_line("送达日期：", 10),
    };
    doc = doc
        .line(&format!("送达人：{}", f.officers_zh(&s.officers)))
        .sign_line("受送达人签名或者盖章：", 8)
        .sign_line("送达人签名：", 8)
        .sign_line("见证人签名：", 8)
        .para(
            "备注：受送达人或者其同住成年家属拒绝签收的，送达人可以邀请有关基层组织或者所在单位的代表到场，\
             说明情况，在送达回证上记明拒收事由和日期，由送达人、见证人签名或者盖章，\
             把文书留在受送达人的住所，即视为送达。",
        );
    f.sign_off(doc, served.map_or(d.on, |sv| sv.on))
}
